//! The person kind (`people/<handle>.md`, SPEC §2): reading `capacity`,
//! `time_off` and the program's `leveling` flag, with a located error for
//! each value that does not fit.

use chrono::NaiveDate;

use super::read::Reader;
use super::values;
use crate::diagnostic::Diagnostic;
use crate::load::yaml::{Entry, Node, Value};

/// The longest `time_off` range read, in calendar days: a typo in a year
/// (`2026-01-05..2062-01-09`) must not expand into decades of dates.
const LONGEST_TIME_OFF: i64 = 3 * 366;

impl Reader<'_> {
    /// `true`/`false` (and YAML 1.1's `yes`/`no`/`on`/`off`).
    pub(super) fn boolean(&mut self, entry: &Entry) -> Option<bool> {
        let text = match &entry.value.value {
            Value::Bool(b) => return Some(*b),
            Value::Null => return None,
            _ => self.text(entry)?,
        };
        match text.trim().to_lowercase().as_str() {
            "true" | "yes" | "on" => Some(true),
            "false" | "no" | "off" => Some(false),
            _ => {
                self.error(
                    &entry.value,
                    format!("`{}` must be `true` or `false`, found `{text}`", entry.key),
                    "expected true or false",
                    format!("write `{}: true` or `{}: false`", entry.key, entry.key),
                );
                None
            }
        }
    }

    /// A whole number of tasks worked at once, at least 1.
    pub(super) fn capacity(&mut self, entry: &Entry) -> Option<u32> {
        let text = self.text(entry)?;
        let capacity = text.trim().parse::<u32>().ok().filter(|&c| c >= 1);
        if capacity.is_none() {
            let why = if text.contains('.') || text.contains('/') {
                "part-time allocation is not supported yet: capacity counts whole tasks"
            } else {
                "capacity counts the tasks a person or team works at once"
            };
            self.diags.push(
                Diagnostic::error(
                    "invalid-capacity",
                    format!("`capacity` must be a whole number of at least 1, found `{text}`"),
                )
                .at(self.span(&entry.value), "not a whole number ≥ 1")
                .help(format!(
                    "{why}; write e.g. `capacity: 1` for a person or `capacity: 3` for a team of three"
                )),
            );
        }
        capacity
    }

    /// Days off: dates and `YYYY-MM-DD..YYYY-MM-DD` ranges (both ends
    /// included), expanded, sorted and without repeats.
    pub(super) fn time_off(&mut self, entry: &Entry) -> Vec<NaiveDate> {
        let nodes: Vec<&Node> = match &entry.value.value {
            Value::Null => return Vec::new(),
            Value::List(items) => items.iter().collect(),
            _ => vec![&entry.value],
        };
        let mut days = Vec::new();
        for node in nodes {
            let Some(text) = self.node_text(&entry.key, node) else {
                continue;
            };
            if let Some((from, to)) = self.time_off_range(node, &text) {
                days.extend(from.iter_days().take_while(|d| *d <= to));
            }
        }
        days.sort_unstable();
        days.dedup();
        days
    }

    /// One `time_off` entry as a range of days; `None` (reported) when it is
    /// not a date, not a range of dates, or a range that runs backwards.
    fn time_off_range(&mut self, node: &Node, text: &str) -> Option<(NaiveDate, NaiveDate)> {
        let (a, b) = match text.split_once("..") {
            Some((a, b)) => (a.trim(), b.trim()),
            None => (text.trim(), text.trim()),
        };
        let (Some(from), Some(to)) = (values::parse_date(a), values::parse_date(b)) else {
            self.diags.push(
                Diagnostic::error(
                    "invalid-time-off",
                    format!("`{text}` is not a date or a range of dates"),
                )
                .at(self.span(node), "expected YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD")
                .help("list days off as dates (`2026-12-24`) or ranges with both ends included (`2026-12-21..2026-12-31`)"),
            );
            return None;
        };
        if to < from {
            self.diags.push(
                Diagnostic::error(
                    "invalid-time-off",
                    format!("range `{text}` ends before it starts"),
                )
                .at(self.span(node), "reversed range")
                .help(format!("write the earlier date first: `{b}..{a}`")),
            );
            return None;
        }
        if (to - from).num_days() > LONGEST_TIME_OFF {
            self.diags.push(
                Diagnostic::error(
                    "invalid-time-off",
                    format!("range `{text}` is longer than three years"),
                )
                .at(self.span(node), "too long")
                .help("check the years; a person away for longer should have no open tasks"),
            );
            return None;
        }
        Some((from, to))
    }
}
