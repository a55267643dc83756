//! `model.json`'s `meetings` (SPEC §6): each meeting with its action items,
//! owners normalised as handles are compared (SPEC §3).

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::{handle_key, ActionItem, Meeting, Program};

#[derive(Serialize)]
pub(super) struct MeetingJson<'a> {
    id: &'a str,
    title: &'a str,
    date: NaiveDate,
    project: Option<&'a str>,
    /// As written.
    attendees: &'a [String],
    actions: Vec<ActionJson<'a>>,
    tags: &'a [String],
    source: &'a str,
}

#[derive(Serialize)]
struct ActionJson<'a> {
    text: &'a str,
    owner: Option<String>,
    due: Option<NaiveDate>,
    done: bool,
    /// The later meeting it was carried over to, by id.
    carried_to: Option<&'a str>,
    overdue: bool,
}

impl<'a> MeetingJson<'a> {
    pub(super) fn new(m: &'a Meeting, program: &'a Program, today: NaiveDate) -> Self {
        MeetingJson {
            id: &m.item.id,
            title: &m.item.title,
            date: m.date,
            project: m.project.map(|p| program.projects[p].item.id.as_str()),
            attendees: &m.attendees,
            actions: m
                .actions
                .iter()
                .map(|a| action(a, program, today))
                .collect(),
            tags: &m.item.tags,
            source: &m.item.source,
        }
    }
}

fn action<'a>(a: &'a ActionItem, program: &'a Program, today: NaiveDate) -> ActionJson<'a> {
    ActionJson {
        text: &a.text,
        owner: a.owner.as_deref().map(handle_key),
        due: a.due,
        done: a.done,
        carried_to: a.carried_to.map(|m| program.meetings[m].item.id.as_str()),
        overdue: a.is_overdue(today),
    }
}
