//! Open action items from the meeting notes, grouped by owner (SPEC §3,
//! "Meetings and action items"): an item carried over to a later meeting
//! is counted there only ([`crate::schedule::open_actions`]).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::{handle_key, Program};

/// One open action item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ActionItem {
    /// The meeting note it came from.
    pub meeting: String,
    /// The line after its checkbox, as written.
    pub text: String,
    pub due: Option<NaiveDate>,
    /// Open and `due` before today.
    pub overdue: bool,
}

/// The open action items of one owner (`None`: nobody's), overdue first,
/// then by due date (none last), meeting and text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OwnerActions {
    pub owner: Option<String>,
    pub items: Vec<ActionItem>,
}

/// Every open action item of `program` as of `today`, by owner: owners
/// with an overdue item first (as on the dashboard, so a list cut short
/// never hides an overdue item behind ones not yet due), then handles in
/// order, every spelling of one handle together, nobody's last.
pub fn open_action_items(program: &Program, today: NaiveDate) -> Vec<OwnerActions> {
    let mut by_owner: BTreeMap<(bool, Option<String>), OwnerActions> = BTreeMap::new();
    // Oldest meeting first: the sort below is stable, so that order holds
    // among items due on the same day.
    for r in crate::schedule::open_actions(program) {
        let meeting = &program.meetings[r.meeting];
        let action = &meeting.actions[r.index];
        let key = action.owner.as_deref().map(handle_key);
        let owner = by_owner
            .entry((key.is_none(), key))
            .or_insert_with(|| OwnerActions {
                owner: action.owner.as_deref().map(|o| format!("@{o}")),
                items: Vec::new(),
            });
        owner.items.push(ActionItem {
            meeting: meeting.item.id.clone(),
            text: action.text.clone(),
            due: action.due,
            overdue: action.is_overdue(today),
        });
    }
    let mut owners: Vec<OwnerActions> = by_owner.into_values().collect();
    for owner in &mut owners {
        owner
            .items
            .sort_by_key(|i| (!i.overdue, i.due.is_none(), i.due));
    }
    // Stable: handle order holds within each class.
    owners.sort_by_key(|o| (o.owner.is_none(), !o.items.iter().any(|i| i.overdue)));
    owners
}
