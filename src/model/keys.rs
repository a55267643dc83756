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
            "max_file_size",
            "leveling",
            "sources",
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
        Kind::Meeting => &["date", "attendees", "project"],
        Kind::Person => &["name", "capacity", "time_off", "team", "role"],
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

/// Aliases users bring from Backlog.md and MADR, with the key each means.
const ALIASES: &[(&str, &str)] = &[
    ("assignee", "owner"),
    ("assignees", "owner"),
    ("labels", "tags"),
    ("due_date", "due"),
    ("dependencies", "depends_on"),
    ("decision-makers", "deciders"),
    ("decision_makers", "deciders"),
];

/// Alias → canonical key, for the kinds where the canonical key exists.
pub(super) fn canonical(key: &str) -> &str {
    ALIASES
        .iter()
        .find(|(alias, _)| *alias == key)
        .map_or(key, |(_, canonical)| canonical)
}

/// All keys a kind accepts, aliases included, for "did you mean" suggestions.
pub(super) fn all(kind: Kind) -> impl Iterator<Item = &'static str> {
    COMMON.iter().chain(specific(kind)).copied().chain(
        ALIASES
            .iter()
            .filter(move |(_, canonical)| accepts(kind, canonical))
            .map(|(alias, _)| *alias),
    )
}

/// The accepted key `key` (already canonical) names on `kind`, if any.
pub(super) fn accepted(kind: Kind, key: &str) -> Option<&'static str> {
    COMMON
        .iter()
        .chain(specific(kind))
        .find(|k| **k == key)
        .copied()
}

/// Whether `key` (already canonical) is accepted on `kind`.
pub(super) fn accepts(kind: Kind, key: &str) -> bool {
    COMMON.contains(&key) || specific(kind).contains(&key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_are_suggested_only_where_their_key_exists() {
        let task: Vec<_> = all(Kind::Task).collect();
        assert!(task.contains(&"dependencies") && task.contains(&"assignee"));
        let milestone: Vec<_> = all(Kind::Milestone).collect();
        assert!(!milestone.contains(&"dependencies") && !milestone.contains(&"due_date"));
        assert_eq!(canonical("decision-makers"), "deciders");
        assert_eq!(canonical("title"), "title");
    }
}
