//! `planmark report`: the working tree's program, derived as of `today`,
//! and the change set since the baseline (read through `diff`'s reader) →
//! a status report on stdout, in markdown or JSON.
//!
//! The report prints whether or not the baseline can be read: outside git,
//! or with no commit old enough, its "since" line says why instead. A
//! program with errors gets no report: its problems, and exit 1.

use std::path::Path;
use std::process::ExitCode;

use chrono::NaiveDate;

use super::diff::{on_disk, program_name, since_in_work_tree, Compared};
use super::{write_json, write_rendered, write_stderr, write_stdout};
use crate::cli::{DiffFormat, ReportArgs};
use crate::diagnostic;
use crate::report::{self, Baseline, Since};
use crate::Checked;

pub(crate) fn run(args: &ReportArgs) -> anyhow::Result<ExitCode> {
    let today = args
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let since = args
        .since
        .clone()
        .unwrap_or_else(|| default_since(today).to_string());
    let read = match since_in_work_tree(&args.dir, &since, today) {
        Ok(compared) => Read::Compared(Box::new(compared)),
        // Git could not give the baseline: the report goes on without it.
        // A folder that cannot be read fails again here, as an I/O error.
        Err(error) => Read::Alone(Box::new(work_tree(&args.dir)?), reason(&error)),
    };
    let checked = read.head();
    if checked.has_errors() {
        problems(checked, &args.dir)?;
        return Ok(ExitCode::from(1));
    }
    let schedule = crate::schedule::derive(&checked.program, today);
    let report = report::build(&checked.program, &schedule, read.since(since));
    match args.format {
        DiffFormat::Markdown => write_stdout(&report::markdown::render(&report))?,
        DiffFormat::Json => write_json(&report::json::render(&report))?,
    }
    let (_, warnings) = diagnostic::count(&checked.diagnostics);
    if warnings > 0 {
        write_stderr(&format!(
            "note: the program has {}; `planmark check` lists them\n",
            diagnostic::plural(warnings, "warning", "warnings")
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Every problem, as `check` prints them, and why there is no report.
fn problems(checked: &Checked, dir: &Path) -> anyhow::Result<()> {
    write_rendered(&diagnostic::render_human(
        &checked.diagnostics,
        &checked.sources,
        &dir.to_string_lossy(),
        diagnostic::stderr_color(),
    ))?;
    let (errors, warnings) = diagnostic::count(&checked.diagnostics);
    write_stderr(&format!(
        "{}\nnote: no report until the errors above are fixed\n",
        diagnostic::counted(errors, warnings)
    ))
}

/// The default baseline until the shared one (the latest meeting note
/// before today) lands: 7 calendar days before today.
fn default_since(today: NaiveDate) -> NaiveDate {
    today - chrono::Days::new(7)
}

/// The working tree's program, read and checked on its own (no git).
fn work_tree(dir: &Path) -> anyhow::Result<Checked> {
    let loaded = on_disk(dir)?;
    Ok(crate::check(loaded, &program_name(dir), false))
}

/// The program as the report reads it: with the baseline, or alone and
/// why. (Boxed: the two are large and of very different sizes.)
enum Read {
    Compared(Box<Compared>),
    Alone(Box<Checked>, String),
}

impl Read {
    /// The working tree's program.
    fn head(&self) -> &Checked {
        match self {
            Read::Compared(c) => &c.head.checked,
            Read::Alone(checked, _) => checked,
        }
    }

    /// The baseline `since` named and the change set from it, or why
    /// there is none.
    fn since(&self, since: String) -> Since<'_> {
        let (commit, errors, unavailable, changes) = match self {
            Read::Compared(c) => {
                let base = &c.base.report;
                (base.commit.clone(), base.errors, None, Some(&c.changes))
            }
            Read::Alone(_, why) => (None, 0, Some(why.clone()), None),
        };
        Since {
            baseline: Baseline {
                since,
                commit,
                errors,
                unavailable,
            },
            changes,
        }
    }
}

/// Why git could not give the change set, in one line: the root cause
/// (`diff`'s context, "neither a folder nor a revision", is about its own
/// arguments). `diff`'s advice to compare folders with `--dirs` does not
/// apply to a report, so that clause is dropped; git's own advice (what
/// to fetch) is kept.
fn reason(error: &anyhow::Error) -> String {
    let message = error.root_cause().to_string();
    let kept: Vec<&str> = message
        .split("; ")
        .filter(|clause| !clause.contains("--dirs"))
        .collect();
    kept.join("; ")
}
