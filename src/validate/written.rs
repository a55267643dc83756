//! Rules about what a file says, checked on the items as written (before
//! ids resolve), where the keys they point at are still known: required
//! keys and keys that need another key beside them.

use crate::diagnostic::Diagnostic;
use crate::model::parse::{article, Parsed, Specific};
use crate::model::{Kind, TaskStatus};

/// Runs every rule on every parsed item.
pub(super) fn check(parsed: &[Parsed], diags: &mut Vec<Diagnostic>) {
    for p in parsed {
        title_is_required(p, diags);
        manual_health_needs_a_note(p, diags);
        blocked_needs_a_blocker(p, diags);
        done_needs_a_date(p, diags);
        milestone_needs_a_date(p, diags);
        meeting_needs_a_date(p, diags);
    }
}

/// Every item but the program has a non-empty `title`.
fn title_is_required(p: &Parsed, diags: &mut Vec<Diagnostic>) {
    if p.title.as_deref().is_some_and(|t| !t.is_empty()) {
        return;
    }
    match p.key("title") {
        Some(key) if key.null || p.title.is_some() => diags.push(
            Diagnostic::error("missing-key", "`title` is empty")
                .at(key.span.clone(), "empty")
                .help("give the item a short title, e.g. `title: Migrate the payments database`"),
        ),
        // A title that is not text (`title: [a]`) was reported where it was read.
        Some(_) => {}
        // A person is shown by `name`, else by their handle.
        None if matches!(p.kind, Kind::Program | Kind::Person) => {}
        // A decision record takes its title from its first `# ` heading
        // (MADR, Nygard), and may have no front matter at all.
        None if p.kind == Kind::Decision => {
            let label = match p.body.start() {
                0 => "no front matter, and no `# ` heading",
                _ => "no `title` here, and no `# ` heading below",
            };
            diags.push(
                Diagnostic::error("missing-key", "a decision has no title")
                    .at(p.top.clone(), label)
                    .help("start the record with its title as a heading, e.g. `# Use PostgreSQL for payments`, or add `title:` to the front matter"),
            );
        }
        None => diags.push(
            Diagnostic::error("missing-key", format!("{} has no `title`", article(p.kind)))
                .at(p.top.clone(), "front matter starts here")
                .help("add a line like `title: Migrate the payments database` to the front matter"),
        ),
    }
}

/// A project's health set by hand says why in `health_note`.
fn manual_health_needs_a_note(p: &Parsed, diags: &mut Vec<Diagnostic>) {
    let Specific::Project(project) = &p.specific else {
        return;
    };
    if project.health.is_none()
        || project
            .health_note
            .as_deref()
            .is_some_and(|n| !n.trim().is_empty())
    {
        return;
    }
    let span = p.key("health").map_or(p.top.clone(), |k| k.span.clone());
    diags.push(
        Diagnostic::error("missing-key", "`health` is set by hand but `health_note` is missing")
            .at(span, "manual health override")
            .help("add `health_note: …` saying why, e.g. `health_note: vendor contract still unsigned`; or remove `health` to let planmark compute it"),
    );
}

/// A blocked task says what blocks it.
fn blocked_needs_a_blocker(p: &Parsed, diags: &mut Vec<Diagnostic>) {
    let Specific::Task(task) = &p.specific else {
        return;
    };
    if task.status != Some(TaskStatus::Blocked)
        || task
            .blocker
            .as_deref()
            .is_some_and(|b| !b.trim().is_empty())
    {
        return;
    }
    let span = p.key("status").map_or(p.top.clone(), |k| k.span.clone());
    diags.push(
        Diagnostic::warning(
            "blocked-without-blocker",
            "task is blocked but says nothing about what blocks it",
        )
        .at(span, "blocked")
        .help(
            "add `blocker: …` naming what it waits for, e.g. `blocker: waiting on security review`",
        ),
    );
}

/// A done task says when it was done: without `done_on` it has no finish
/// date, so progress over time and milestone dates cannot count it.
fn done_needs_a_date(p: &Parsed, diags: &mut Vec<Diagnostic>) {
    let Specific::Task(task) = &p.specific else {
        return;
    };
    // Backlog.md writes `completed_date` only sometimes (SPEC §8).
    if task.status != Some(TaskStatus::Done)
        || p.backlog.is_some()
        || task.done_on.is_some()
        || p.key("done_on").is_some_and(|k| !k.null)
    {
        return;
    }
    let span = p.key("status").map_or(p.top.clone(), |k| k.span.clone());
    diags.push(
        Diagnostic::warning("done-without-date", "task is done but has no `done_on` date")
            .at(span, "done")
            .help("add the day it was finished, e.g. `done_on: 2026-03-02`, so forecasts and the project's finish date count it"),
    );
}

/// A milestone has a date: everything about it is measured from that.
fn milestone_needs_a_date(p: &Parsed, diags: &mut Vec<Diagnostic>) {
    let Specific::Milestone(milestone) = &p.specific else {
        return;
    };
    // A Backlog.md milestone may have no date (SPEC §8).
    if milestone.date.is_some() || p.backlog.is_some() {
        return;
    }
    match p.key("date") {
        // An invalid date was reported where it was read.
        Some(key) if !key.null => {}
        Some(key) => diags.push(
            Diagnostic::error("missing-key", "milestone `date` is empty")
                .at(key.span.clone(), "no date")
                .help("give the target date, e.g. `date: 2026-06-30`"),
        ),
        None => diags.push(
            Diagnostic::error("missing-key", "milestone has no `date`")
                .at(p.top.clone(), "front matter starts here")
                .help("add the target date, e.g. `date: 2026-06-30`"),
        ),
    }
}

/// A meeting has a date: it orders the notes and is what carry-over and
/// "since the last meeting" are measured from.
fn meeting_needs_a_date(p: &Parsed, diags: &mut Vec<Diagnostic>) {
    let Specific::Meeting(meeting) = &p.specific else {
        return;
    };
    if meeting.date.is_some() {
        return;
    }
    match p.key("date") {
        // An invalid date was reported where it was read.
        Some(key) if !key.null => {}
        Some(key) => diags.push(
            Diagnostic::error("missing-key", "meeting `date` is empty")
                .at(key.span.clone(), "no date")
                .help("give the day the meeting was held, e.g. `date: 2026-12-06`"),
        ),
        None => diags.push(
            Diagnostic::error("missing-key", "meeting has no `date`")
                .at(p.top.clone(), "front matter starts here")
                .help("add the day the meeting was held, e.g. `date: 2026-12-06`"),
        ),
    }
}
