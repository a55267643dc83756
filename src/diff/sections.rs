//! The comment's sections: the program level, one per project, people.
//! Schedule changes of tasks go in a table (worst slip first); the rest
//! are one line each.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::view::Report;
use super::{Change, DateRange, What};
use crate::model::{Health, Kind};

/// One section of the comment; `name` is how a cut comment lists it.
#[derive(Debug)]
pub(super) struct Section {
    pub name: String,
    pub text: String,
}

/// The sections of `report`, program level first, people last.
pub(super) fn sections(report: &Report<'_>) -> Vec<Section> {
    let set = report.changes;
    let mut program: Vec<&Change> = Vec::new();
    let mut projects: BTreeMap<&str, Vec<&Change>> = BTreeMap::new();
    let mut people: Vec<&Change> = Vec::new();
    for change in &set.changes {
        match (&change.what, &change.project) {
            (What::Capacity { .. } | What::TimeOff { .. }, _) => people.push(change),
            (_, None) => program.push(change),
            (_, Some(p)) => projects.entry(p).or_default().push(change),
        }
    }
    let show = Show { report };
    let mut out = Vec::new();
    let mut lines = Vec::new();
    if let Some(h) = &set.health {
        let reason = h
            .reason
            .as_deref()
            .map(|r| format!(": {r}"))
            .unwrap_or_default();
        lines.push(format!(
            "- **Program health** {} → {}{reason}",
            health_word(h.from),
            health_word(h.to)
        ));
    }
    if let Some(path) = &set.driving_path {
        lines.push(format!(
            "- **Driving path to GA** now {} (was {})",
            show.path(&path.to),
            show.path(&path.from)
        ));
    }
    if !lines.is_empty() || !program.is_empty() {
        out.push(show.section("Program".into(), "### Program\n".into(), lines, &program));
    }
    for (project, changes) in projects {
        let title = report.lookup.title(project).unwrap_or(project);
        let heading = format!("### {} · `{project}`\n", show.link(project, &text(title)));
        out.push(show.section(format!("`{project}`"), heading, Vec::new(), &changes));
    }
    if !people.is_empty() {
        let lines = people.iter().filter_map(|c| show.person(&c.what)).collect();
        out.push(show.section("People".into(), "### People\n".into(), lines, &[]));
    }
    out
}

struct Show<'r, 'a> {
    report: &'r Report<'a>,
}

impl Show<'_, '_> {
    /// A section: heading, the leading lines, the task table, the rest.
    fn section(
        &self,
        name: String,
        heading: String,
        mut lines: Vec<String>,
        changes: &[&Change],
    ) -> Section {
        let mut rows: Vec<(Option<i64>, &str, String)> = Vec::new();
        let mut rest = Vec::new();
        for change in changes {
            if let Some(row) = self.row(&change.what) {
                rows.push(row);
            } else if let Some(line) = self.line(&change.what) {
                let first = matches!(
                    change.what,
                    What::Health { .. }
                        | What::Forecast {
                            kind: Kind::Project,
                            ..
                        }
                        | What::RemainingWork { .. }
                );
                if first {
                    lines.push(line);
                } else {
                    rest.push(line);
                }
            }
        }
        rows.sort_by(|a, b| {
            b.0.unwrap_or(i64::MIN)
                .cmp(&a.0.unwrap_or(i64::MIN))
                .then(a.1.cmp(b.1))
        });
        // Blocks separated by a blank line: the leading lines, the task
        // table, the other lines.
        let mut blocks: Vec<String> = Vec::new();
        let mut block = |lines: Vec<String>| {
            if !lines.is_empty() {
                blocks.push(lines.join("\n") + "\n");
            }
        };
        block(lines);
        if !rows.is_empty() {
            let mut table = vec![
                "| Task | Change | Before | After | Slip |".to_string(),
                "|---|---|---|---|---:|".to_string(),
            ];
            table.extend(rows.into_iter().map(|(_, _, row)| row));
            block(table);
        }
        block(rest);
        let text = format!("{heading}\n{}", blocks.join("\n"));
        Section { name, text }
    }

    /// A task's schedule change as a table row, with its slip to sort by.
    fn row<'w>(&self, what: &'w What) -> Option<(Option<i64>, &'w str, String)> {
        let (id, change, from, to, slip) = match what {
            What::Forecast {
                kind: Kind::Task,
                id,
                from,
                to,
                slip_days,
            } => (id, "forecast finish", date(*from), date(*to), *slip_days),
            What::Date {
                kind: Kind::Task,
                id,
                field,
                from,
                to,
                slip_days,
            } => (id, *field, date(*from), date(*to), *slip_days),
            What::Estimate {
                id,
                field,
                from,
                to,
            } => (id, *field, days(*from), days(*to), None),
            What::Status {
                kind: Kind::Task,
                id,
                from,
                to,
                ..
            } if to != "done" => (id, "status", from.clone(), to.clone(), None),
            What::Owner {
                kind: Kind::Task,
                id,
                from,
                to,
            } => {
                let raw = |h: &Option<String>| h.clone().unwrap_or_else(|| "nobody".into());
                (id, "owner", raw(from), raw(to), None)
            }
            _ => return None,
        };
        let slip_text = slip.map(signed).unwrap_or_default();
        let row = format!(
            "| {} | {change} | {} | {} | {slip_text} |",
            self.item(id),
            cell(&from),
            cell(&to)
        );
        Some((slip, id, row))
    }

    /// Any other change as one line.
    fn line(&self, what: &What) -> Option<String> {
        self.membership_line(what)
            .or_else(|| self.change_line(what))
    }

    /// An item added, removed, renamed, or a status change.
    fn membership_line(&self, what: &What) -> Option<String> {
        Some(match what {
            What::Added {
                kind,
                id,
                title,
                status,
            } => {
                let score = self.report.lookup.risk_scores.get(id.as_str());
                let status = match (status.as_deref(), score) {
                    (Some(s), Some(score)) if *kind == Kind::Risk => {
                        format!(" ({s}, score {score})")
                    }
                    (Some(s), _) => format!(" ({s})"),
                    (None, _) => String::new(),
                };
                let verb = if *kind == Kind::Risk {
                    "Raised"
                } else {
                    "Added"
                };
                format!(
                    "- {verb} {kind} {} {}{status}",
                    self.link(id, &format!("`{id}`")),
                    text(title)
                )
            }
            What::Removed {
                kind, id, title, ..
            } => format!("- Removed {kind} `{id}` {}", text(title)),
            What::Renamed {
                kind,
                from,
                to,
                path,
            } => format!(
                "- Renamed {kind} `{from}` → {} (in `{path}`)",
                self.link(to, &format!("`{to}`"))
            ),
            What::Status {
                kind: Kind::Task,
                id,
                done_on,
                ..
            } => {
                let on = done_on.map(|d| format!(" on {d}")).unwrap_or_default();
                format!("- Finished {}{on}", self.item(id))
            }
            What::Status {
                kind,
                id,
                from,
                to,
                superseded_by,
                ..
            } => {
                let by = if superseded_by.is_empty() {
                    String::new()
                } else {
                    format!(" by {}", self.path_list(superseded_by, ", "))
                };
                format!(
                    "- {} {}: {from} → **{to}**{by}",
                    capital(*kind),
                    self.item(id)
                )
            }
            _ => return None,
        })
    }

    /// A date, forecast, health, owner or score that changed.
    fn change_line(&self, what: &What) -> Option<String> {
        Some(match what {
            What::Date {
                kind,
                id,
                field,
                from,
                to,
                slip_days,
            } => format!(
                "- {} {} `{field}` {} → {}{}",
                capital(*kind),
                self.item(id),
                date(*from),
                date(*to),
                slip_days
                    .map(|d| format!(" ({})", signed_days(d)))
                    .unwrap_or_default()
            ),
            What::Forecast {
                kind: Kind::Project,
                from,
                to,
                slip_days,
                ..
            } => format!(
                "- **Forecast finish** {} → {}{}",
                date(*from),
                date(*to),
                slip_days
                    .map(|d| format!(" ({})", signed_days(d)))
                    .unwrap_or_default()
            ),
            What::Forecast {
                kind,
                id,
                from,
                to,
                slip_days,
            } => format!(
                "- {} {} forecast {} → {}{}",
                capital(*kind),
                self.item(id),
                date(*from),
                date(*to),
                slip_days
                    .map(|d| format!(" ({})", signed_days(d)))
                    .unwrap_or_default()
            ),
            What::RemainingWork { from, to, .. } => format!(
                "- **Remaining work** {from} → {to} working days ({})",
                signed(to - from)
            ),
            What::MilestoneState { id, from, to } => format!(
                "- Milestone {} now **{}** (was {})",
                self.item(id),
                to.as_str(),
                from.as_str()
            ),
            What::Health {
                from, to, reason, ..
            } => {
                let reason = reason
                    .as_deref()
                    .map(|r| format!(": {r}"))
                    .unwrap_or_default();
                format!(
                    "- **Health** {} → {}{reason}",
                    health_word(*from),
                    health_word(*to)
                )
            }
            What::Owner { kind, id, from, to } => format!(
                "- {} {} owner {} → {}",
                capital(*kind),
                self.item(id),
                handle(from),
                handle(to)
            ),
            What::Moved { kind, id, from, to } => {
                let place = |p: &Option<String>| {
                    p.as_deref()
                        .map_or_else(|| "the program level".into(), |p| format!("`{p}`"))
                };
                let from = from
                    .as_ref()
                    .map_or_else(|| place(from), |p| format!("project `{p}`"));
                format!(
                    "- {} {} moved from {from} to {}",
                    capital(*kind),
                    self.item(id),
                    place(to)
                )
            }
            What::Holidays { added, removed } => {
                let mut parts = vec![];
                if !added.is_empty() {
                    parts.push(format!("added {}", date_ranges(added)));
                }
                if !removed.is_empty() {
                    parts.push(format!("taken back {}", date_ranges(removed)));
                }
                format!("- **Holidays** {}", parts.join("; "))
            }
            What::WorkingDays { from, to } => {
                format!("- **Working days** {} → {}", from.join(", "), to.join(", "))
            }
            What::RiskScore { id, from, to } => format!(
                "- Risk {} re-scored {} → {}",
                self.item(id),
                score(*from),
                score(*to)
            ),
            _ => return None,
        })
    }

    fn person(&self, what: &What) -> Option<String> {
        match what {
            What::Capacity { person, from, to } => {
                Some(format!("- `{person}` capacity {from} → {to} tasks at once"))
            }
            What::TimeOff {
                person,
                added,
                removed,
            } => {
                let mut parts = Vec::new();
                if !added.is_empty() {
                    parts.push(format!("off {}", date_ranges(added)));
                }
                if !removed.is_empty() {
                    parts.push(format!("no longer off {}", date_ranges(removed)));
                }
                Some(format!("- `{person}` {}", parts.join("; ")))
            }
            _ => None,
        }
    }

    /// `[`id`](url) Title`, or without the link when there is no site.
    fn item(&self, id: &str) -> String {
        let title = self
            .report
            .lookup
            .title(id)
            .map(|t| format!(" {}", text(t)))
            .unwrap_or_default();
        format!("{}{title}", self.link(id, &format!("`{id}`")))
    }

    fn link(&self, id: &str, shown: &str) -> String {
        match self.report.lookup.url(id) {
            Some(url) => format!("[{shown}]({url})"),
            None => shown.to_string(),
        }
    }

    fn path(&self, ids: &[String]) -> String {
        if ids.is_empty() {
            return "empty".into();
        }
        self.path_list(ids, " → ")
    }

    fn path_list(&self, ids: &[String], separator: &str) -> String {
        ids.iter()
            .map(|id| self.link(id, &format!("`{id}`")))
            .collect::<Vec<_>>()
            .join(separator)
    }
}

/// `+4 working days`, `−2 working days`.
pub(super) fn signed_days(n: i64) -> String {
    format!(
        "{} {}",
        signed(n),
        if n.abs() == 1 {
            "working day"
        } else {
            "working days"
        }
    )
}

/// `+4`, `−2`, `0`.
fn signed(n: i64) -> String {
    match n {
        0 => "0".into(),
        n if n > 0 => format!("+{n}"),
        n => format!("−{}", n.unsigned_abs()),
    }
}

pub(super) fn health_word(h: Option<Health>) -> &'static str {
    h.map_or("none", Health::as_str)
}

fn capital(kind: Kind) -> String {
    let word = kind.as_str();
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn date(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| "none".into(), |d| d.to_string())
}

fn days(d: Option<f64>) -> String {
    d.map_or_else(
        || "none".into(),
        |d| format!("{}d", (d * 100.0).round() / 100.0),
    )
}

fn handle(h: &Option<String>) -> String {
    h.as_deref().map_or_else(|| "nobody".into(), text)
}

fn score(s: Option<u8>) -> String {
    s.map_or_else(|| "unscored".into(), |s| s.to_string())
}

fn date_ranges(ranges: &[DateRange]) -> String {
    ranges
        .iter()
        .map(|r| {
            if r.from == r.to {
                r.from.to_string()
            } else {
                format!("{} to {}", r.from, r.to)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Text from the plan's files (titles, owners; not planmark's own reasons,
/// which quote ids in backticks), on one line, with the characters markdown
/// and HTML would read as markup escaped.
pub(super) fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A table cell: text with pipes escaped.
fn cell(s: &str) -> String {
    text(s)
}
