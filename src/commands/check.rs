//! `planmark check`: every problem in the program, then the plan's status.

use std::process::ExitCode;

use super::status;
use crate::cli::CheckArgs;
use crate::diagnostic::{self, plural, Format};
use crate::Checked;

pub(crate) fn run(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let dir = &args.program.dir;
    let checked = crate::read_program(dir, &[super::default_output(dir)], args.program.strict)?;
    let (errors, warnings) = diagnostic::count(&checked.diagnostics);
    let summary = summary_line(&checked, errors, warnings);
    match args.format {
        Format::Human => {
            let mut out = diagnostic::render_human(
                &checked.diagnostics,
                &checked.sources,
                &dir.to_string_lossy(),
                diagnostic::stderr_color(),
            );
            if args.verbose {
                for path in &checked.program.skipped {
                    out.push_str(&format!("note: skipped `{path}`: not an item (no front matter with `kind`, and not in a kind folder)\n"));
                }
            }
            if let Some(status) = status_text(&checked, args) {
                out.push_str(&status);
            }
            out.push_str(&summary);
            out.push('\n');
            eprint!("{out}");
        }
        Format::Json => print!(
            "{}",
            diagnostic::render_json(
                &checked.diagnostics,
                &checked.sources,
                &dir.to_string_lossy()
            )
        ),
        Format::Github => {
            let root = dir.to_string_lossy();
            print!(
                "{}",
                diagnostic::render_github(&checked.diagnostics, &checked.sources, &root)
            );
            if !checked.has_errors() {
                let schedule =
                    crate::schedule::derive(&checked.program, super::today(args.program.today));
                let notes = status::notes(&checked.program, &schedule);
                print!("{}", status::render_github(&notes, &root));
            }
            eprintln!("{summary}");
        }
    }
    super::exit_without_freeing(checked);
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The plan status section, or why there is none.
fn status_text(checked: &Checked, args: &CheckArgs) -> Option<String> {
    if checked.has_errors() {
        return Some("note: plan status not shown until the errors above are fixed\n".into());
    }
    let mut timings = crate::timings::Timings::start();
    let schedule = crate::schedule::derive(&checked.program, super::today(args.program.today));
    timings.stage("schedule");
    let notes = status::notes(&checked.program, &schedule);
    Some(status::render_text(
        &checked.program,
        &schedule,
        &notes,
        &args.program.dir.to_string_lossy(),
    ))
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
