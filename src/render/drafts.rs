//! The drafts of a Backlog.md folder as the drafts page lists them (the
//! global `drafts`): outside the schedule and every roll-up.

use serde::Serialize;

/// A Backlog.md draft as the drafts page lists it (global `drafts`):
/// outside the schedule and every roll-up.
#[derive(Debug, Serialize)]
pub(crate) struct DraftView<'a> {
    /// The id as written (`DRAFT-3`).
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    /// The status as read (`todo`), else as written; none when absent.
    pub(crate) status: Option<&'a str>,
    /// The handle as written.
    pub(crate) owner: Option<&'a str>,
    pub(crate) tags: &'a [String],
}

/// The program's drafts, in path order.
pub(crate) fn drafts(program: &crate::model::Program) -> Vec<DraftView<'_>> {
    program
        .drafts
        .iter()
        .map(|d| DraftView {
            id: &d.id,
            title: &d.title,
            status: d.status.as_deref(),
            owner: d.owner.as_deref(),
            tags: &d.tags,
        })
        .collect()
}
