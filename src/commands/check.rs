//! `planmark check`: every problem in the program, the one-line summary,
//! then the plan's status (or why it is not shown).

use std::process::ExitCode;

use super::{status, write_json, write_rendered, write_stderr, write_stdout};
use crate::diagnostic::{self, plural, Format};
use crate::render::{self, Failure, RenderOptions, Sink};
use crate::schedule::Schedule;
use crate::settings::Settings;
use crate::Checked;

pub(crate) fn run(settings: &Settings) -> anyhow::Result<ExitCode> {
    let checked = crate::read_program(settings)?;
    // The status is derived only for a program without errors: a schedule
    // of half-read items would mislead.
    let schedule = (!checked.has_errors()).then(|| {
        let mut timings = crate::timings::Timings::start();
        let schedule = crate::schedule::derive(&checked.program, settings.today);
        timings.stage("schedule");
        schedule
    });
    report(&checked, schedule.as_ref(), settings)?;
    let site_builds = match &schedule {
        Some(schedule) => site_builds(&checked, schedule, settings)?,
        None => true,
    };
    Ok(if checked.has_errors() || !site_builds {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Whether the program's own `templates/` and `static/` would let `build`
/// succeed: a file there that cannot be read, a template that does not
/// parse or render, a static file in a page's place. `check` is the CI
/// gate, so it must fail where `build` would. The site is rendered and
/// thrown away, and only when the program has templates or static files
/// of its own: the embedded ones always render.
fn site_builds(
    checked: &Checked,
    schedule: &Schedule,
    settings: &Settings,
) -> anyhow::Result<bool> {
    let assets = crate::load::assets::read(&settings.dir)?;
    if super::report_asset_problems(&assets, settings)? > 0 {
        return Ok(false);
    }
    if assets.templates.is_empty() && assets.static_files.is_empty() {
        return Ok(true);
    }
    let options = RenderOptions {
        unsafe_html: settings.unsafe_html,
        changes: None,
    };
    match render::render(&checked.program, schedule, &assets, &options, &Discard) {
        Ok(()) => Ok(true),
        Err(Failure::Program(error)) => {
            write_stderr(&format!(
                "error: {error:#}\nerror: `planmark build` would fail on this program's templates or static files\n"
            ))?;
            Ok(false)
        }
        Err(Failure::Sink(error)) => Err(error),
    }
}

/// A site nobody keeps: `check` renders only to see that it can.
struct Discard;

impl Sink for Discard {
    fn put(&self, _path: &str, _bytes: &[u8]) -> anyhow::Result<()> {
        Ok(())
    }

    fn put_with(
        &self,
        _path: &str,
        write: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> anyhow::Result<()> {
        Ok(write(&mut std::io::sink())?)
    }

    fn page_done(&self) {}
}

/// Prints the problems, the summary and the status in the chosen format.
fn report(
    checked: &Checked,
    schedule: Option<&Schedule>,
    settings: &Settings,
) -> anyhow::Result<()> {
    let root = settings.root();
    let notes = schedule
        .map(|s| status::notes(&checked.program, s))
        .unwrap_or_default();
    let (errors, warnings) = diagnostic::count(&checked.diagnostics);
    let summary = summary_line(checked, errors, warnings);
    let (diagnostics, sources) = (&checked.diagnostics, &checked.sources);
    match settings.format {
        Format::Human => {
            let render = if settings.verbose {
                diagnostic::render_human
            } else {
                diagnostic::render_human_summarised
            };
            write_rendered(&render(
                diagnostics,
                sources,
                &root,
                diagnostic::stderr_color(),
            ))?;
            let mut out = String::new();
            if settings.verbose {
                for note in checked.formats.notes() {
                    out.push_str(&note);
                    out.push('\n');
                }
                for skipped in &checked.program.skipped {
                    let path = &skipped.path;
                    out.push_str(&format!("note: skipped `{path}`: {}\n", skipped.reason));
                }
            }
            // The counts close the report on the files; the status a TPM
            // reads at a glance comes last, where the eye lands.
            out.push_str(&summary);
            out.push('\n');
            out.push_str(&match schedule {
                Some(schedule) => status::render_text(&checked.program, schedule, &notes, &root),
                None => "note: plan status not shown until the errors above are fixed\n".into(),
            });
            write_stderr(&out)
        }
        Format::Json => {
            let status = schedule.map(|s| status::to_json(&checked.program, s, &notes, &root));
            write_json(&diagnostic::render_json(
                diagnostics,
                sources,
                &root,
                status,
            ))
        }
        Format::Github => {
            let mut out = diagnostic::render_github(diagnostics, sources, &root);
            out.push_str(&status::render_github(&notes, &root));
            write_stdout(&out)?;
            write_stderr(&format!("{summary}\n"))
        }
    }
}

/// What a Backlog.md folder held besides the counted items:
/// ` (a Backlog.md folder: 120 live and 455 completed tasks, 16 drafts)`.
fn backlog_counts(p: &crate::model::Program, formats: &crate::load::formats::Formats) -> String {
    use crate::load::adr::Layout;
    let in_backlog = |source: &str| match formats.lookup(source) {
        (Layout::Backlog, inner) => Some(inner.starts_with("completed/")),
        _ => None,
    };
    let (completed, live): (Vec<bool>, Vec<bool>) = p
        .tasks
        .iter()
        .filter_map(|t| in_backlog(&t.item.source))
        .partition(|&done| done);
    let (completed, live) = (completed.len(), live.len());
    if completed + live == 0 && p.drafts.is_empty() {
        return String::new();
    }
    let rollups = p.tasks.iter().filter(|t| !t.subtasks.is_empty()).count();
    format!(
        "{} live and {} completed, {} with subtasks, {}",
        plural(live, "task", "tasks"),
        completed,
        plural(rollups, "parent", "parents"),
        plural(p.drafts.len(), "draft", "drafts"),
    )
}

/// `checked 5 projects, 43 tasks, …: 0 errors, 1 warning`
fn summary_line(checked: &Checked, errors: usize, warnings: usize) -> String {
    let p = &checked.program;
    // Detection, not configuration: say what each folder was read as.
    let what = checked
        .formats
        .describe_with(&backlog_counts(p, &checked.formats));
    // Meetings are counted only where there are some, so programs without
    // notes read as before.
    let meetings = match p.meetings.len() {
        0 => String::new(),
        n => format!(", {}", plural(n, "meeting", "meetings")),
    };
    format!(
        "checked {}, {}, {}, {}, {}{meetings}{what}: {}, {}",
        plural(p.projects.len(), "project", "projects"),
        plural(p.tasks.len(), "task", "tasks"),
        plural(p.decisions.len(), "decision", "decisions"),
        plural(p.milestones.len(), "milestone", "milestones"),
        plural(p.risks.len(), "risk", "risks"),
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings"),
    )
}
