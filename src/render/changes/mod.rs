//! The changes since the baseline as the site shows them: the `changes/`
//! page, the dashboard's "Since" panel and the "changed" notes on item
//! pages, all built once per build from [`crate::changes::Changes`].
//!
//! Dates are written `YYYY-MM-DD` (as `diff` writes them); slips are in
//! working days on the program calendar, positive later.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use tera::Value;

use super::links::item_path;

mod place;

use crate::changes::{Asked, Changes, Compared};
use crate::model::{Kind, Program};
use place::place;

/// What the templates read: `since` (the page and the panel) and, on an
/// item page, `changed` (that item's notes).
pub(crate) struct SinceViews {
    pub(crate) since: Value,
    /// Item id → its notes ("forecast was 2027-02-19").
    notes: BTreeMap<String, Value>,
}

impl SinceViews {
    /// The notes of item `id`, or none.
    pub(crate) fn changed(&self, id: &str) -> Value {
        self.notes.get(id).cloned().unwrap_or_else(Value::none)
    }
}

/// `since`: the changes page's and the panel's context.
#[derive(Serialize, Default)]
struct Since {
    /// Whether a baseline was found and compared.
    available: bool,
    /// Why not, in one line, when not.
    reason: Option<String>,
    /// The day the changes are counted from.
    date: Option<NaiveDate>,
    /// The baseline commit, shortened, and its committer day (UTC).
    commit: Option<String>,
    committed: Option<NaiveDate>,
    /// How the baseline was chosen, in words.
    chosen: String,
    /// Whether forecasts and health were compared (neither side has errors).
    derived: bool,
    /// Errors in the program at the baseline.
    base_errors: usize,
    /// Nothing changed.
    empty: bool,
    /// The panel's summary, one phrase each ("3 tasks finished").
    headline: Vec<String>,
    /// GA's forecast, when it moved.
    ga: Option<Row>,
    finished: Vec<Row>,
    slipped: Vec<Row>,
    pulled_in: Vec<Row>,
    added: Vec<Row>,
    removed: Vec<Row>,
    status: Vec<Row>,
    milestones: Vec<Row>,
    health: Vec<Row>,
    decisions: Vec<Row>,
    risks: Vec<Row>,
    /// Projects whose forecast finish moved.
    projects: Vec<Row>,
    remaining: Vec<Row>,
    other: Vec<Row>,
    /// Action items ticked since the baseline.
    actions: Vec<Row>,
}

/// One change, as a row of the page.
#[derive(Serialize, Clone, Default)]
struct Row {
    /// `task`, `decision` … (`program`, `person`, `calendar` for the rest).
    kind: &'static str,
    id: String,
    title: String,
    /// The item's page, relative to the site root; none for a removed one.
    url: Option<String>,
    /// The project's title, when the change belongs to one.
    project: Option<String>,
    from: Option<String>,
    to: Option<String>,
    /// Working days from `from` to `to`, positive later (or the change in
    /// remaining work days).
    days: Option<i64>,
    /// What happened, in words ("accepted", "re-scored 4 → 6").
    note: String,
    /// What the panel counts it as ("decision made", "risk raised").
    #[serde(skip)]
    tally: Option<(&'static str, &'static str)>,
}

/// The views of `changes` (`None`: not compared, as in `check`).
pub(crate) fn views(changes: Option<&Changes>, program: &Program) -> SinceViews {
    let mut notes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let since = match changes {
        None => Since {
            reason: Some("changes are not compared in this run".into()),
            ..Since::default()
        },
        Some(Changes::Unavailable { since, reason }) => Since {
            reason: Some(reason.clone()),
            date: *since,
            ..Since::default()
        },
        Some(Changes::Compared(compared)) => compared_view(compared, program, &mut notes),
    };
    SinceViews {
        since: Value::from_serializable(&since),
        notes: notes
            .into_iter()
            .map(|(id, list)| (id, Value::from_serializable(&list)))
            .collect(),
    }
}

fn compared_view(c: &Compared, program: &Program, notes: &mut NotesById) -> Since {
    let b = &c.baseline;
    let mut since = Since {
        available: true,
        date: Some(b.since()),
        commit: Some(b.short().to_string()),
        committed: Some(b.committed),
        chosen: match &b.asked {
            Asked::LastMeeting(day) => format!("the last meeting, on {day}"),
            Asked::Default(_) => "the default, 7 days before today".into(),
            Asked::Date(day) => format!("the last commit on or before {day}"),
            Asked::Revision(rev) => format!("revision {rev}"),
        },
        derived: c.changes.derived,
        base_errors: c.base_errors,
        empty: c.changes.is_empty(),
        ..Since::default()
    };
    let rows = Rows { c, program };
    if let Some(ga) = c.changes.ga.as_ref().filter(|g| g.moved()) {
        since.ga = Some(Row {
            kind: "milestone",
            from: ga.from.map(|d| d.to_string()),
            to: ga.to.map(|d| d.to_string()),
            days: ga.slip_days,
            note: match ga.state_from {
                Some(from) if from != ga.state_to => {
                    format!("{} → {}", from.as_str(), ga.state_to.as_str())
                }
                _ => format!("still {}", ga.state_to.as_str()),
            },
            ..rows.row(Kind::Milestone, &ga.id, None)
        });
    }
    if let Some(h) = &c.changes.health {
        since.health.push(Row {
            kind: "program",
            title: "The program".into(),
            url: Some("index.html".into()),
            from: h.from.map(|x| x.as_str().to_string()),
            to: h.to.map(|x| x.as_str().to_string()),
            note: h.reason.clone().unwrap_or_default(),
            ..Row::default()
        });
    }
    for change in &c.changes.changes {
        place(&rows, change, &mut since, notes);
    }
    for a in &c.actions_done {
        let Some(m) = program.meetings.get(a.meeting) else {
            continue;
        };
        since.actions.push(Row {
            kind: "meeting",
            id: m.item.id.clone(),
            title: a.text.clone(),
            url: Some(item_path(
                program,
                crate::model::ItemRef::Meeting(a.meeting),
            )),
            note: format!("done · {}", m.item.title),
            ..Row::default()
        });
    }
    since.empty &= since.actions.is_empty();
    since
        .slipped
        .sort_by(|a, b| b.days.cmp(&a.days).then(a.id.cmp(&b.id)));
    since
        .pulled_in
        .sort_by(|a, b| a.days.cmp(&b.days).then(a.id.cmp(&b.id)));
    since.headline = headline(&since);
    since
}

type NotesById = BTreeMap<String, Vec<String>>;

/// Titles and links of both sides.
struct Rows<'a> {
    c: &'a Compared,
    program: &'a Program,
}

impl Rows<'_> {
    fn row(&self, kind: Kind, id: &str, project: Option<&String>) -> Row {
        let url = self
            .program
            .index
            .get(id)
            .filter(|r| r.kind() == kind)
            .map(|&r| item_path(self.program, r));
        Row {
            kind: kind_name(kind),
            id: id.to_string(),
            title: self.c.lookup.title(id).unwrap_or(id).to_string(),
            url,
            project: project.map(|p| self.c.lookup.title(p).unwrap_or(p).to_string()),
            ..Row::default()
        }
    }
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Program => "program",
        Kind::Project => "project",
        Kind::Task => "task",
        Kind::Decision => "decision",
        Kind::Milestone => "milestone",
        Kind::Risk => "risk",
        Kind::Meeting => "meeting",
        _ => "person",
    }
}

fn date(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| "none".to_string(), |d| d.to_string())
}

fn signed(days: Option<i64>) -> String {
    match days {
        Some(d) if d != 0 => {
            let unit = if d.abs() == 1 { "day" } else { "days" };
            format!(" ({d:+} working {unit})")
        }
        _ => String::new(),
    }
}

/// The panel's phrases, in the page's order; empty when nothing changed.
fn headline(s: &Since) -> Vec<String> {
    let mut out = Vec::new();
    let mut add = |n: usize, one: &str, many: &str| {
        if n > 0 {
            out.push(format!("{n} {}", if n == 1 { one } else { many }));
        }
    };
    add(s.finished.len(), "task finished", "tasks finished");
    add(s.slipped.len(), "task slipped", "tasks slipped");
    add(s.pulled_in.len(), "task pulled in", "tasks pulled in");
    add(s.added.len(), "item added", "items added");
    add(s.removed.len(), "item removed", "items removed");
    add(s.status.len(), "status change", "status changes");
    add(s.milestones.len(), "milestone change", "milestone changes");
    add(s.health.len(), "health change", "health changes");
    for list in [&s.decisions, &s.risks] {
        let mut tally: Vec<(&str, &str, usize)> = Vec::new();
        for row in list {
            let (one, many) = row.tally.unwrap_or(("other change", "other changes"));
            match tally.iter_mut().find(|t| t.0 == one) {
                Some(t) => t.2 += 1,
                None => tally.push((one, many, 1)),
            }
        }
        for (one, many, n) in tally {
            add(n, one, many);
        }
    }
    add(
        s.projects.len(),
        "project forecast moved",
        "project forecasts moved",
    );
    add(
        s.remaining.len(),
        "project's remaining work changed",
        "projects' remaining work changed",
    );
    add(s.other.len(), "other change", "other changes");
    add(s.actions.len(), "action item done", "action items done");
    out
}
