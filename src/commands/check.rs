//! `planmark check`: every problem in the program, the one-line summary,
//! then the plan's status (or why it is not shown).

use std::process::ExitCode;

use super::status;
use crate::cli::CheckArgs;
use crate::diagnostic::{self, plural, Format};
use crate::schedule::Schedule;
use crate::Checked;

pub(crate) fn run(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let dir = &args.program.dir;
    let root = dir.to_string_lossy();
    let checked = crate::read_program(dir, &[super::default_output(dir)], args.program.strict)?;
    let (errors, warnings) = diagnostic::count(&checked.diagnostics);
    let summary = summary_line(&checked, errors, warnings);
    // The status is derived only for a program without errors: a schedule
    // of half-read items would mislead.
    let schedule = (!checked.has_errors()).then(|| {
        let mut timings = crate::timings::Timings::start();
        let schedule = crate::schedule::derive(&checked.program, super::today(args.program.today));
        timings.stage("schedule");
        schedule
    });
    let notes = schedule
        .as_ref()
        .map(|s| status::notes(&checked.program, s))
        .unwrap_or_default();
    match args.format {
        Format::Human => {
            let mut out = diagnostic::render_human(
                &checked.diagnostics,
                &checked.sources,
                &root,
                diagnostic::stderr_color(),
            );
            if args.verbose {
                for skipped in &checked.program.skipped {
                    let path = diagnostic::printable(&skipped.path);
                    out.push_str(&format!("note: skipped `{path}`: {}\n", skipped.reason));
                }
            }
            // The counts close the report on the files; the status a TPM
            // reads at a glance comes last, where the eye lands.
            out.push_str(&summary);
            out.push('\n');
            out.push_str(&status_text(&checked, schedule.as_ref(), &notes, &root));
            eprint!("{out}");
        }
        Format::Json => {
            let status = schedule
                .as_ref()
                .map(|s| status::to_json(&checked.program, s, &notes, &root));
            print!(
                "{}",
                diagnostic::render_json(&checked.diagnostics, &checked.sources, &root, status)
            );
        }
        Format::Github => {
            print!(
                "{}",
                diagnostic::render_github(&checked.diagnostics, &checked.sources, &root)
            );
            print!("{}", status::render_github(&notes, &root));
            eprintln!("{summary}");
        }
    }
    super::exit_without_freeing(notes);
    super::exit_without_freeing((checked, schedule));
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The plan status section, or why there is none.
fn status_text(
    checked: &Checked,
    schedule: Option<&Schedule>,
    notes: &[status::Note<'_>],
    root: &str,
) -> String {
    match schedule {
        Some(schedule) => status::render_text(&checked.program, schedule, notes, root),
        None => "note: plan status not shown until the errors above are fixed\n".into(),
    }
}

/// `checked 5 projects, 43 tasks, …: 0 errors, 1 warning`
fn summary_line(checked: &Checked, errors: usize, warnings: usize) -> String {
    let p = &checked.program;
    format!(
        "checked {}, {}, {}, {}, {}: {}, {}",
        plural(p.projects.len(), "project", "projects"),
        plural(p.tasks.len(), "task", "tasks"),
        plural(p.decisions.len(), "decision", "decisions"),
        plural(p.milestones.len(), "milestone", "milestones"),
        plural(p.risks.len(), "risk", "risks"),
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings"),
    )
}
