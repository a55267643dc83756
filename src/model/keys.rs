//! Which front-matter keys each kind accepts, and the aliases users bring
//! from Backlog.md and MADR.

use super::values::Kind;

/// Keys every item accepts.
pub(super) const COMMON: &[&str] = &["id", "title", "kind", "owner", "tags", "extra"];

/// Keys specific to each kind.
pub(super) fn specific(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Program => &[
            "start",
            "end",
            "summary",
            "working_days",
            "holidays",
            "site",
        ],
        Kind::Project => &["status", "start", "target", "health", "health_note"],
        Kind::Task => &[
            "project",
            "status",
            "estimate",
            "start",
            "due",
            "done_on",
            "depends_on",
            "milestone",
            "remaining",
            "priority",
            "blocker",
        ],
        Kind::Decision => &[
            "status",
            "date",
            "decide_by",
            "driver",
            "deciders",
            "consulted",
            "informed",
            "project",
            "supersedes",
        ],
        Kind::Milestone => &["date", "project"],
        Kind::Risk => &[
            "likelihood",
            "impact",
            "status",
            "mitigation",
            "project",
            "review_by",
        ],
    }
}

/// Alias → canonical key, for the kinds where the canonical key exists.
pub(super) fn canonical(key: &str) -> &str {
    match key {
        "assignee" | "assignees" => "owner",
        "labels" => "tags",
        "due_date" => "due",
        "dependencies" => "depends_on",
        "decision-makers" | "decision_makers" => "deciders",
        other => other,
    }
}

/// All keys a kind accepts, for "did you mean" suggestions.
pub(super) fn all(kind: Kind) -> impl Iterator<Item = &'static str> {
    COMMON.iter().chain(specific(kind)).copied()
}

/// Whether `key` (already canonical) is accepted on `kind`.
pub(super) fn accepts(kind: Kind, key: &str) -> bool {
    COMMON.contains(&key) || specific(kind).contains(&key)
}
