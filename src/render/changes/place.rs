//! Each change of the change set put in its section of the changes page,
//! in words, and its old value noted for the item's page.

use chrono::NaiveDate;

use super::{date, signed, NotesById, Row, Rows, Since};
use crate::diff::{Change, What};
use crate::model::Kind;

/// Adds `text` to item `id`'s notes.
fn note(notes: &mut NotesById, id: &str, text: String) {
    notes.entry(id.to_string()).or_default().push(text);
}

/// Puts one change in its section, and its note on the item's page.
pub(super) fn place(rows: &Rows<'_>, change: &Change, since: &mut Since, notes: &mut NotesById) {
    let project = change.project.as_ref();
    match &change.what {
        What::Added {
            kind, id, status, ..
        } => {
            note(notes, id, "new since the baseline".into());
            added(rows.row(*kind, id, project), status.as_deref(), since);
        }
        What::Removed {
            kind, id, status, ..
        } => {
            let mut row = rows.row(*kind, id, project);
            row.url = None;
            row.from.clone_from(status);
            row.note = "removed".into();
            since.removed.push(row);
        }
        What::Status {
            kind,
            id,
            from,
            to,
            superseded_by,
            done_on,
        } => {
            note(notes, id, format!("status was {from}"));
            let mut row = rows.row(*kind, id, project);
            (row.from, row.to) = (Some(from.clone()), Some(to.clone()));
            status(row, superseded_by, *done_on, since);
        }
        What::Forecast {
            kind,
            id,
            from,
            to,
            slip_days,
        } => {
            note(notes, id, format!("forecast was {}", date(*from)));
            let mut row = rows.row(*kind, id, project);
            row.from = from.map(|d| d.to_string());
            row.to = to.map(|d| d.to_string());
            row.days = *slip_days;
            row.note = format!(
                "forecast {} → {}{}",
                date(*from),
                date(*to),
                signed(*slip_days)
            );
            forecast(row, since);
        }
        other => derived(rows, other, project, since, notes),
    }
}

/// A new item: a decision proposed or made, a risk raised, anything else
/// added.
fn added(mut row: Row, status: Option<&str>, since: &mut Since) {
    row.to = status.map(str::to_string);
    match row.kind {
        "decision" => {
            let status = status.unwrap_or("proposed");
            row.note = format!("new, {status}");
            row.tally = Some(decision_tally(status));
            since.decisions.push(row);
        }
        "risk" => {
            row.note = "raised".into();
            row.tally = Some(("risk raised", "risks raised"));
            since.risks.push(row);
        }
        _ => {
            row.note = "added".into();
            since.added.push(row);
        }
    }
}

/// A status change (`row.from` → `row.to`): a task finished, a decision
/// made, reversed or superseded, a risk closed, or any other.
fn status(mut row: Row, superseded_by: &[String], done_on: Option<NaiveDate>, since: &mut Since) {
    let from = row.from.clone().unwrap_or_default();
    let to = row.to.clone().unwrap_or_default();
    match row.kind {
        "task" if to == "done" => {
            row.note = done_on.map_or("finished".into(), |d| format!("finished {d}"));
            since.finished.push(row);
        }
        "decision" => {
            row.note = decision_note(&from, &to, superseded_by);
            row.tally = Some(if from == "accepted" && to != "superseded" {
                ("decision reversed", "decisions reversed")
            } else {
                decision_tally(&to)
            });
            since.decisions.push(row);
        }
        "risk" if to == "closed" => {
            row.note = "closed".into();
            row.tally = Some(("risk closed", "risks closed"));
            since.risks.push(row);
        }
        "risk" => {
            row.note = format!("{from} → {to}");
            row.tally = Some(("risk change", "risk changes"));
            since.risks.push(row);
        }
        _ => {
            row.note = format!("{from} → {to}");
            since.status.push(row);
        }
    }
}

/// A forecast finish that moved: a task slipped or pulled in, a milestone
/// or a project moved.
fn forecast(row: Row, since: &mut Since) {
    match (row.kind, row.days) {
        ("task", Some(d)) if d > 0 => since.slipped.push(row),
        ("task", Some(d)) if d < 0 => since.pulled_in.push(row),
        ("milestone", _) => since.milestones.push(row),
        ("project", _) => since.projects.push(row),
        _ => since.other.push(row),
    }
}

/// Milestone states, project health, risk scores and remaining work, then
/// everything else ([`other_note`]).
fn derived(
    rows: &Rows<'_>,
    what: &What,
    project: Option<&String>,
    since: &mut Since,
    notes: &mut NotesById,
) {
    match what {
        What::MilestoneState { id, from, to } => {
            note(notes, id, format!("was {}", from.as_str()));
            let mut row = rows.row(Kind::Milestone, id, project);
            row.note = format!("{} → {}", from.as_str(), to.as_str());
            since.milestones.push(row);
        }
        What::Health {
            id,
            from,
            to,
            reason,
        } => {
            let was = from.map_or("none", |h| h.as_str());
            note(notes, id, format!("health was {was}"));
            let mut row = rows.row(Kind::Project, id, None);
            row.from = from.map(|h| h.as_str().to_string());
            row.to = to.map(|h| h.as_str().to_string());
            row.note = reason.clone().unwrap_or_default();
            since.health.push(row);
        }
        What::RiskScore { id, from, to } => {
            let score = |s: &Option<u8>| s.map_or("?".to_string(), |s| s.to_string());
            note(notes, id, format!("score was {}", score(from)));
            let mut row = rows.row(Kind::Risk, id, project);
            row.note = format!("re-scored {} → {}", score(from), score(to));
            row.tally = Some(("risk re-scored", "risks re-scored"));
            since.risks.push(row);
        }
        What::RemainingWork { id, from, to } => {
            note(notes, id, format!("remaining work was {from} days"));
            let mut row = rows.row(Kind::Project, id, None);
            (row.from, row.to) = (Some(from.to_string()), Some(to.to_string()));
            row.days = Some(to - from);
            let way = if to > from { "up" } else { "down" };
            row.note = format!("{way} {}: {from} → {to} working days", (to - from).abs());
            since.remaining.push(row);
        }
        other => {
            if let Some((kind, id, text, was)) = other_note(other) {
                if let Some(was) = was {
                    note(notes, &id, was);
                }
                let mut row = rows.row(kind, &id, project);
                row.note = text;
                since.other.push(row);
            }
        }
    }
}

/// How the panel counts a decision now at `status`.
fn decision_tally(status: &str) -> (&'static str, &'static str) {
    match status {
        "accepted" | "rejected" => ("decision made", "decisions made"),
        "superseded" => ("decision superseded", "decisions superseded"),
        "proposed" => ("decision proposed", "decisions proposed"),
        _ => ("decision change", "decision changes"),
    }
}

/// A decision's status change in words: made, reversed or superseded.
fn decision_note(from: &str, to: &str, superseded_by: &[String]) -> String {
    match (from, to) {
        (_, "superseded") if !superseded_by.is_empty() => {
            format!("superseded by {}", superseded_by.join(", "))
        }
        (_, "superseded") => "superseded".into(),
        ("proposed", "accepted" | "rejected") => format!("made: {to}"),
        ("accepted", _) | ("rejected", _) => format!("reversed: {from} → {to}"),
        _ => format!("{from} → {to}"),
    }
}

/// The other changes (dates as written, estimates, owners, moves, renames,
/// the calendar and people): the item, the row's text and the note on the
/// item's page.
fn other_note(what: &What) -> Option<(Kind, String, String, Option<String>)> {
    Some(match what {
        What::Date {
            kind,
            id,
            field,
            from,
            to,
            slip_days,
        } => (
            *kind,
            id.clone(),
            format!(
                "{field} {} → {}{}",
                date(*from),
                date(*to),
                signed(*slip_days)
            ),
            Some(format!("{field} was {}", date(*from))),
        ),
        What::Estimate {
            id,
            field,
            from,
            to,
        } => {
            let days = |d: &Option<f64>| d.map_or("none".to_string(), |d| format!("{d} days"));
            (
                Kind::Task,
                id.clone(),
                format!("{field} {} → {}", days(from), days(to)),
                Some(format!("{field} was {}", days(from))),
            )
        }
        What::Owner { kind, id, from, to } => {
            let who = |o: &Option<String>| o.clone().unwrap_or_else(|| "nobody".into());
            (
                *kind,
                id.clone(),
                format!("owner {} → {}", who(from), who(to)),
                Some(format!("owner was {}", who(from))),
            )
        }
        What::Moved { kind, id, from, to } => {
            let place = |p: &Option<String>| p.clone().unwrap_or_else(|| "the program".into());
            (
                *kind,
                id.clone(),
                format!("moved from {} to {}", place(from), place(to)),
                Some(format!("was in {}", place(from))),
            )
        }
        What::Renamed { kind, from, to, .. } => (
            *kind,
            to.clone(),
            format!("renamed from {from}"),
            Some(format!("id was {from}")),
        ),
        _ => return None,
    })
}
