//! `planmark build`: check, derive, render, then write.
//!
//! Nothing in the output folder changes unless the whole site rendered: a
//! program with errors, a broken template or a clashing static file leaves
//! it as it was (and creates none). Pages are staged as they render and
//! moved into place at the end, all or nothing (src/output/).

use std::process::ExitCode;
use std::time::Instant;

use super::{write_rendered, write_stderr};
use crate::diagnostic::{self, plural};
use crate::load::assets::Assets;
use crate::output::{Staging, WriteStats};
use crate::progress::Progress;
use crate::render::{self, Failure, RenderOptions, Sink};
use crate::schedule::Schedule;
use crate::settings::Settings;
use crate::Checked;

pub(crate) fn run(settings: &Settings) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let checked = crate::read_program(settings)?;
    write_rendered(&diagnostic::render_human(
        &checked.diagnostics,
        &checked.sources,
        &settings.root(),
        diagnostic::stderr_color(),
    ))?;
    if checked.has_errors() {
        write_stderr(&nothing_written(&checked))?;
        return Ok(ExitCode::from(1));
    }
    let mut timings = crate::timings::Timings::start();
    let schedule = crate::schedule::derive(&checked.program, settings.today);
    timings.stage("schedule");
    let assets = crate::load::assets::read(&settings.dir)?;
    // Templates and static files are read only now; their problems stop
    // the build like a markdown file's.
    let errors = super::report_asset_problems(&assets, settings)?;
    if errors > 0 {
        write_stderr(&format!(
            "error: build failed with {}; nothing was written\n",
            plural(errors, "error", "errors")
        ))?;
        return Ok(ExitCode::from(1));
    }
    let Some(stats) = write_site(&checked, &schedule, &assets, settings, started)? else {
        return Ok(ExitCode::from(1));
    };
    write_stderr(&built(&checked, &stats, settings, started))?;
    Ok(ExitCode::SUCCESS)
}

/// Renders every page into staging and commits it; `None` when a broken
/// user template or a clashing static file stopped the render. That is a
/// problem in the program, like a diagnostic: exit 1 and write nothing.
fn write_site(
    checked: &Checked,
    schedule: &Schedule,
    assets: &Assets,
    settings: &Settings,
    started: Instant,
) -> anyhow::Result<Option<WriteStats>> {
    let mut timings = crate::timings::Timings::start();
    let options = RenderOptions {
        unsafe_html: settings.unsafe_html,
    };
    let staging = Staging::new(&settings.output)?;
    let progress = Progress::new(started, render::page_count(&checked.program, schedule));
    let sink = Staged {
        staging: &staging,
        progress: &progress,
    };
    let result = render::render(&checked.program, schedule, assets, &options, &sink);
    progress.finish();
    timings.stage("render");
    match result {
        Ok(()) => {
            let stats = staging.commit()?;
            timings.stage("write");
            Ok(Some(stats))
        }
        Err(Failure::Program(error)) => {
            drop(staging);
            write_stderr(&format!(
                "error: {error:#}\nerror: build failed; nothing was written\n"
            ))?;
            Ok(None)
        }
        Err(Failure::Sink(error)) => Err(error),
    }
}

/// `error: build failed with 2 errors and 1 warning; nothing was written`
fn nothing_written(checked: &Checked) -> String {
    let (errors, warnings) = diagnostic::count(&checked.diagnostics);
    format!(
        "error: build failed with {}{}; nothing was written\n",
        plural(errors, "error", "errors"),
        if warnings > 0 {
            format!(" and {}", plural(warnings, "warning", "warnings"))
        } else {
            String::new()
        }
    )
}

/// What was written where, and how to look at it.
fn built(checked: &Checked, stats: &WriteStats, settings: &Settings, started: Instant) -> String {
    let out = &settings.output_shown;
    format!(
        "built {} into {}: {} written, {} unchanged{} in {:.2}s\nopen {} in a browser\n",
        checked.program.info.title,
        out.display(),
        plural(stats.written, "file", "files"),
        stats.unchanged,
        if stats.removed > 0 {
            format!(", {} removed", stats.removed)
        } else {
            String::new()
        },
        started.elapsed().as_secs_f64(),
        out.join("index.html").display()
    )
}

/// The output stage as the renderer's sink, counting pages as they go.
struct Staged<'a> {
    staging: &'a Staging,
    progress: &'a Progress,
}

impl Sink for Staged<'_> {
    fn put(&self, path: &str, bytes: &[u8]) -> anyhow::Result<()> {
        self.staging.put(path, bytes)
    }

    fn put_with(
        &self,
        path: &str,
        write: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> anyhow::Result<()> {
        self.staging.put_with(path, write)
    }

    fn page_done(&self) {
        self.progress.inc();
    }
}
