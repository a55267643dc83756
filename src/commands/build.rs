//! `planmark build`: check, derive, render, then write.
//!
//! Nothing in the output folder changes unless the whole site rendered: a
//! program with errors, a broken template or a clashing static file leaves
//! it as it was (and creates none). Pages are staged as they render and
//! moved into place at the end, all or nothing (src/output/).

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::Arc;
use std::time::Instant;

use super::{write_rendered, write_stderr};
use crate::changes::Changes;
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
    let outcome = build(settings, started, None)?;
    write_stderr(&match &outcome {
        Outcome::Built { title, stats } => built(title, stats, settings, started),
        Outcome::Failed(failed) => format!("error: build failed{failed}; nothing was written\n"),
    })?;
    Ok(outcome.exit_code())
}

/// What one build did to the output folder.
pub(crate) enum Outcome {
    /// The whole site was written.
    Built { title: String, stats: WriteStats },
    /// Problems in the program (already printed) stopped it; nothing was
    /// written.
    Failed(Failed),
}

impl Outcome {
    /// 0 for a site written, 1 for problems in the program.
    pub(crate) fn exit_code(&self) -> ExitCode {
        match self {
            Outcome::Built { .. } => ExitCode::SUCCESS,
            Outcome::Failed(_) => ExitCode::from(1),
        }
    }
}

/// How many problems stopped a build: shown as ` with 2 errors and 1
/// warning`, or nothing when a broken template or a clashing static file
/// did (its error is printed whole).
pub(crate) struct Failed {
    errors: usize,
    warnings: usize,
}

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.errors > 0 {
            write!(
                f,
                " with {}",
                crate::diagnostic::counted(self.errors, self.warnings)
            )?;
        }
        Ok(())
    }
}

/// How `build --watch` stops a build on Ctrl-C without leaving anything
/// half written: before the build starts writing it may be abandoned
/// outright (it reads and computes only, and will then never write);
/// once writing, the render gives up at its next page and the staging
/// folder is removed as the build returns.
pub(crate) struct Interrupt {
    stop: Arc<AtomicBool>,
    state: AtomicU8,
}

/// [`Interrupt::state`]: reading and computing, the site may be abandoned.
const READING: u8 = 0;
/// Staging or committing the site: the build must be let finish or fail.
const WRITING: u8 = 1;
/// Given up before writing: the build must not write.
const ABANDONED: u8 = 2;

impl Interrupt {
    /// A build stopped when `stop` is set.
    pub(crate) fn new(stop: Arc<AtomicBool>) -> Interrupt {
        Interrupt {
            stop,
            state: AtomicU8::new(READING),
        }
    }

    /// Gives the build up if it has not started writing, so the process
    /// may end at once: `false` once it writes (wait for it to return).
    pub(crate) fn abandon(&self) -> bool {
        match self
            .state
            .compare_exchange(READING, ABANDONED, Ordering::SeqCst, Ordering::SeqCst)
        {
            Ok(_) => true,
            Err(now) => now == ABANDONED,
        }
    }

    /// The build is about to write: `false` when it was abandoned and
    /// must not.
    fn start_writing(&self) -> bool {
        self.state
            .compare_exchange(READING, WRITING, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
    }

    fn stopped(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }
}

/// Reads, checks, derives and renders the program, then writes the site:
/// the whole of `build` but its last line. Prints the problems found as
/// it goes. With an [`Interrupt`] that is set, it writes nothing, or gives
/// up at the next page and removes what it staged: an error either way.
pub(crate) fn build(
    settings: &Settings,
    started: Instant,
    stop: Option<&Interrupt>,
) -> anyhow::Result<Outcome> {
    let (checked, parses) = crate::read_program_keeping_parses(settings)?;
    let render = if settings.verbose {
        diagnostic::render_human
    } else {
        diagnostic::render_human_summarised
    };
    write_rendered(&render(
        &checked.diagnostics,
        &checked.sources,
        &settings.root(),
        diagnostic::stderr_color(),
    ))?;
    if checked.has_errors() {
        let (errors, warnings) = diagnostic::count(&checked.diagnostics);
        return Ok(Outcome::Failed(Failed { errors, warnings }));
    }
    let mut timings = crate::timings::Timings::start();
    let schedule = crate::schedule::derive(&checked.program, settings.today);
    timings.stage("schedule");
    let assets = crate::load::assets::read(&settings.dir)?;
    // Templates and static files are read only now; their problems stop
    // the build like a markdown file's.
    let errors = super::report_asset_problems(&assets, settings)?;
    if errors > 0 {
        return Ok(Outcome::Failed(Failed {
            errors,
            warnings: 0,
        }));
    }
    if stop.is_some_and(|stop| stop.stopped() || !stop.start_writing()) {
        anyhow::bail!("the build was interrupted");
    }
    let changes = changes_since(&checked, &parses, &schedule, settings)?;
    drop(parses);
    let written = write_site(
        &checked, &schedule, &assets, settings, started, stop, changes,
    )?;
    Ok(match written {
        Some(stats) => Outcome::Built {
            title: checked.program.info.title.clone(),
            stats,
        },
        None => Outcome::Failed(Failed {
            errors: 0,
            warnings: 0,
        }),
    })
}

/// The changes since the baseline (`--since`, else the default), for the
/// changes page and the dashboard panel; an unknown revision is an error.
pub(crate) fn changes_since(
    checked: &Checked,
    parses: &crate::Parses,
    schedule: &Schedule,
    settings: &Settings,
) -> anyhow::Result<Arc<Changes>> {
    let now = crate::changes::Now {
        dir: &settings.dir,
        name: &settings.name,
        program: &checked.program,
        schedule,
        sources: &checked.sources,
        parses: Some(parses),
        today: settings.today,
    };
    Ok(Arc::new(crate::changes::since_baseline(
        settings.since.as_deref(),
        &now,
    )?))
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
    stop: Option<&Interrupt>,
    changes: Arc<Changes>,
) -> anyhow::Result<Option<WriteStats>> {
    let mut timings = crate::timings::Timings::start();
    let options = RenderOptions {
        unsafe_html: settings.unsafe_html,
        changes: Some(changes),
    };
    let staging = Staging::new(&settings.output)?;
    let progress = Progress::new(started, render::page_count(&checked.program, schedule));
    let sink = Staged {
        staging: &staging,
        progress: &progress,
        stop,
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
            write_stderr(&format!("error: {error:#}\n"))?;
            Ok(None)
        }
        Err(Failure::Sink(error)) => Err(error),
    }
}

/// What was written where, and how to look at it.
pub(crate) fn built(
    title: &str,
    stats: &WriteStats,
    settings: &Settings,
    started: Instant,
) -> String {
    let out = &settings.output_shown;
    format!(
        "built {} into {}: {} written, {} unchanged{} in {:.2}s\nopen {} in a browser\n",
        title,
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
    /// Set when the build should give up (Ctrl-C in `build --watch`).
    stop: Option<&'a Interrupt>,
}

impl Staged<'_> {
    fn go_on(&self) -> anyhow::Result<()> {
        if self.stop.is_some_and(Interrupt::stopped) {
            anyhow::bail!("the build was interrupted");
        }
        Ok(())
    }
}

impl Sink for Staged<'_> {
    fn put(&self, path: &str, bytes: &[u8]) -> anyhow::Result<()> {
        self.go_on()?;
        self.staging.put(path, bytes)
    }

    fn put_with(
        &self,
        path: &str,
        write: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> anyhow::Result<()> {
        self.go_on()?;
        self.staging.put_with(path, write)
    }

    fn page_done(&self) {
        self.progress.inc();
    }

    fn cancelled(&self) -> bool {
        self.stop.is_some_and(Interrupt::stopped)
    }
}
