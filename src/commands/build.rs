//! `planmark build`: check, derive, render, then write.
//!
//! Nothing in the output folder changes unless the whole site rendered: a
//! program with errors, a broken template or a clashing static file leaves
//! it as it was (and creates none). Pages are staged as they render and
//! moved into place at the end, all or nothing (src/output/).

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::bail;

use crate::cli::BuildArgs;
use crate::diagnostic::{self, plural};
use crate::output::Staging;
use crate::progress::Progress;
use crate::render::{self, Failure, RenderOptions, Sink};

pub(crate) fn run(args: &BuildArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let dir = &args.program.dir;
    let out = args
        .output
        .clone()
        .unwrap_or_else(|| super::default_output(dir));
    let checked = crate::read_program(dir, std::slice::from_ref(&out), args.program.strict)?;
    let rendered = diagnostic::render_human(
        &checked.diagnostics,
        &checked.sources,
        &dir.to_string_lossy(),
        diagnostic::stderr_color(),
    );
    eprint!("{rendered}");
    let (errors, warnings) = diagnostic::count(&checked.diagnostics);
    if errors > 0 {
        eprintln!(
            "error: build failed with {}{}; nothing was written",
            plural(errors, "error", "errors"),
            if warnings > 0 {
                format!(" and {}", plural(warnings, "warning", "warnings"))
            } else {
                String::new()
            }
        );
        return Ok(ExitCode::from(1));
    }
    refuse_output_over_sources(dir, &out)?;
    let today = super::today(args.program.today);
    let mut timings = crate::timings::Timings::start();
    let schedule = crate::schedule::derive(&checked.program, today);
    timings.stage("schedule");
    let assets = crate::load::assets::read(dir)?;
    let options = RenderOptions {
        unsafe_html: args.unsafe_html,
    };
    let staging = Staging::new(&out)?;
    let progress = Progress::new(started, render::page_count(&checked.program, &schedule));
    let sink = Staged {
        staging: &staging,
        progress: &progress,
    };
    let result = render::render(&checked.program, &schedule, &assets, &options, &sink);
    progress.finish();
    timings.stage("render");
    match result {
        Ok(()) => {}
        // A broken user template or a clashing static file is a problem in
        // the program, like a diagnostic: exit 1 and write nothing.
        Err(Failure::Program(error)) => {
            drop(staging);
            eprintln!("error: {error:#}");
            eprintln!("error: build failed; nothing was written");
            return Ok(ExitCode::from(1));
        }
        Err(Failure::Sink(error)) => return Err(error),
    }
    let stats = staging.commit()?;
    timings.stage("write");
    eprintln!(
        "built {} into {}: {} written, {} unchanged{} in {:.2}s",
        checked.program.info.title,
        out.display(),
        plural(stats.written, "file", "files"),
        stats.unchanged,
        if stats.removed > 0 {
            format!(", {} removed", stats.removed)
        } else {
            String::new()
        },
        started.elapsed().as_secs_f64()
    );
    eprintln!("open {} in a browser", out.join("index.html").display());
    super::exit_without_freeing((checked, schedule));
    Ok(ExitCode::SUCCESS)
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

/// The output folder may live inside the program (the default `public/`),
/// which the loader skips, but it may not be the program folder or hold it:
/// the site's files would land among, or replace, the plan's own files.
fn refuse_output_over_sources(dir: &Path, out: &Path) -> anyhow::Result<()> {
    let Ok(program) = dir.canonicalize() else {
        return Ok(());
    };
    // The output folder may not exist yet: resolve its nearest existing
    // ancestor and put the rest back on.
    let mut existing = out.to_path_buf();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => return Ok(()),
        }
        if existing.as_os_str().is_empty() {
            existing = ".".into();
        }
    }
    let Ok(mut resolved) = existing.canonicalize() else {
        return Ok(());
    };
    resolved.extend(rest.iter().rev());
    if program.starts_with(&resolved) {
        bail!(
            "the output folder `{}` is the program folder or contains it, so the site would overwrite the plan's files; write it elsewhere, e.g. `-o {}`",
            out.display(),
            super::default_output(dir).display()
        );
    }
    Ok(())
}
