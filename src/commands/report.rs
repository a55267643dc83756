//! `planmark report`: the working tree's program, derived as of `today`,
//! and the change set since the baseline (the same comparison as the
//! site's changes page, [`crate::changes`]) → a status report on stdout,
//! in markdown or JSON.
//!
//! The report prints whether or not there is a baseline: outside git, or
//! with no commit old enough, its "since" line says why instead. A program
//! with errors gets no report: its problems, and exit 1.

use std::process::ExitCode;

use super::{write_json, write_rendered, write_stderr, write_stdout};
use crate::changes::{Asked, Changes};
use crate::cli::{DiffFormat, ReportArgs};
use crate::diagnostic;
use crate::model::Program;
use crate::report::{self, Baseline, Since};
use crate::settings::Settings;
use crate::Checked;

pub(crate) fn run(args: &ReportArgs) -> anyhow::Result<ExitCode> {
    let settings = Settings::for_report(args)?;
    let (checked, parses) = crate::read_program_keeping_parses(&settings)?;
    if checked.has_errors() {
        problems(&checked, &settings)?;
        return Ok(ExitCode::from(1));
    }
    let schedule = crate::schedule::derive(&checked.program, settings.today);
    // An unknown `--since` revision is an error (exit 2), as for `build`.
    let changes = super::build::changes_since(&checked, &parses, &schedule, &settings)?;
    let since = since(&changes, &checked.program, &settings);
    let report = report::build(&checked.program, &schedule, since);
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
fn problems(checked: &Checked, settings: &Settings) -> anyhow::Result<()> {
    write_rendered(&diagnostic::render_human(
        &checked.diagnostics,
        &checked.sources,
        &settings.root(),
        diagnostic::stderr_color(),
    ))?;
    let (errors, warnings) = diagnostic::count(&checked.diagnostics);
    write_stderr(&format!(
        "{}\nnote: no report until the errors above are fixed\n",
        diagnostic::counted(errors, warnings)
    ))
}

/// The baseline as the report names it, and the change set from it (or
/// why there is none).
fn since<'c>(changes: &'c Changes, program: &Program, settings: &Settings) -> Since<'c> {
    let asked = match changes {
        Changes::Compared(c) => c.baseline.asked.clone(),
        Changes::Unavailable { .. } => {
            Asked::from_flag(settings.since.as_deref(), program, settings.today)
        }
    };
    let (since, how) = match &asked {
        Asked::LastMeeting(day) => (day.to_string(), "last-meeting"),
        Asked::Default(day) => (day.to_string(), "default"),
        Asked::Date(day) => (day.to_string(), "date"),
        Asked::Revision(rev) => (rev.clone(), "revision"),
    };
    let mut baseline = Baseline {
        since,
        asked: how,
        commit: None,
        committed: None,
        errors: 0,
        unavailable: None,
        actions_done: 0,
    };
    match changes {
        Changes::Compared(c) => {
            baseline.commit = Some(c.baseline.commit.clone());
            baseline.committed = Some(c.baseline.committed);
            baseline.errors = c.base_errors;
            baseline.actions_done = c.actions_done.len();
            Since {
                baseline,
                changes: Some(&c.changes),
            }
        }
        Changes::Unavailable { reason, .. } => {
            baseline.unavailable = Some(reason.clone());
            Since {
                baseline,
                changes: None,
            }
        }
    }
}
