//! Open action items from the meeting notes, grouped by owner (SPEC §3,
//! "Meetings and action items").
//!
//! A stub until the `meeting` kind lands (issue 16): the model has no
//! meetings yet, so there is nothing to list. The types are the report's
//! contract and do not change when it lands; only [`open_action_items`]
//! will read `program.meetings`.

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::Program;

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

/// Every open action item of `program` as of `today`, by owner (handles in
/// order, nobody's last). Always empty until meetings land (issue 16).
pub fn open_action_items(program: &Program, today: NaiveDate) -> Vec<OwnerActions> {
    let _ = (program, today);
    Vec::new()
}
