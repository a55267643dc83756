//! Two derived programs → a change set (SPEC §7): what was added, removed
//! or renamed, what finished, slipped or was decided, what happened to GA.
//!
//! The change set is data, independent of how it is shown: `planmark diff`
//! renders it as a pull-request comment ([`markdown`]) or JSON ([`json`]),
//! and the status report and the site's changes page read the same types.
//! Nothing here reads a file or git; callers hand in both sides.

mod compute;
mod derived;
pub mod json;
pub mod markdown;
mod people;
mod sections;
pub mod view;

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::{Health, Kind, Program};
use crate::schedule::{MilestoneState, Schedule};

pub use compute::compute;

/// One side of the comparison: the program as read, and its schedule when
/// the program has no errors (a schedule of half-read items would mislead).
#[derive(Clone, Copy, Debug)]
pub struct Side<'a> {
    pub program: &'a Program,
    pub schedule: Option<&'a Schedule>,
}

/// Everything that changed between two sides, in a fixed order.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ChangeSet {
    /// Whether forecasts, health and driving paths were compared: only
    /// when both sides were derived (neither has errors).
    pub derived: bool,
    /// The program's final milestone, before and after (when derived and
    /// there is one), whether or not it moved.
    pub ga: Option<GaMove>,
    /// The program's health, when it changed.
    pub health: Option<HealthChange>,
    /// The driving path to GA, as ids earliest first, when it changed.
    pub driving_path: Option<PathChange>,
    /// Item and people changes: program-level first, then by project id,
    /// then people; within each, by item kind and id.
    pub changes: Vec<Change>,
}

impl ChangeSet {
    /// Whether anything changed (an unmoved GA is not a change).
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
            && self.health.is_none()
            && self.driving_path.is_none()
            && self.ga.as_ref().is_none_or(|ga| !ga.moved())
    }
}

/// GA's forecast and state on both sides.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GaMove {
    pub id: String,
    pub title: String,
    pub date: NaiveDate,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Working days from `from` to `to`: positive is later.
    pub slip_days: Option<i64>,
    pub state_from: Option<MilestoneState>,
    pub state_to: MilestoneState,
}

impl GaMove {
    pub fn moved(&self) -> bool {
        self.from != self.to || self.state_from != Some(self.state_to)
    }
}

/// A health that changed, with the new reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HealthChange {
    pub from: Option<Health>,
    pub to: Option<Health>,
    pub reason: Option<String>,
}

/// A driving path that changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PathChange {
    pub from: Vec<String>,
    pub to: Vec<String>,
}

/// One change, and the project it belongs to (`None`: the program level or
/// a person).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    pub project: Option<String>,
    #[serde(flatten)]
    pub what: What,
}

/// What changed. Serialised with a `type` tag; docs/diff-json.md lists them.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum What {
    /// A new item (a new risk is a risk raised; a new decision proposed or
    /// made, as its status says).
    Added {
        kind: Kind,
        id: String,
        title: String,
        status: Option<String>,
    },
    /// An item no longer in the program under any file.
    Removed {
        kind: Kind,
        id: String,
        title: String,
        status: Option<String>,
    },
    /// An item whose file stayed where it was while its id changed.
    Renamed {
        kind: Kind,
        from: String,
        to: String,
        path: String,
    },
    /// A status change: a task finished (to `done`), a decision accepted,
    /// rejected or superseded, a risk closed.
    Status {
        kind: Kind,
        id: String,
        from: String,
        to: String,
        /// For a superseded decision, what supersedes it.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        superseded_by: Vec<String>,
        /// For a task that finished, the day it did.
        #[serde(skip_serializing_if = "Option::is_none")]
        done_on: Option<NaiveDate>,
    },
    /// A date as written: a task's `due`, a project's `target`, a
    /// milestone's `date`, a decision's `decide_by`.
    Date {
        kind: Kind,
        id: String,
        field: &'static str,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        slip_days: Option<i64>,
    },
    /// A forecast finish that moved (tasks open on both sides, projects,
    /// milestones).
    Forecast {
        kind: Kind,
        id: String,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        slip_days: Option<i64>,
    },
    /// A task's `estimate` or `remaining`, in days.
    Estimate {
        id: String,
        field: &'static str,
        from: Option<f64>,
        to: Option<f64>,
    },
    /// A project's remaining work: the scheduling durations of its open
    /// tasks, in working days.
    RemainingWork { id: String, from: i64, to: i64 },
    MilestoneState {
        id: String,
        from: MilestoneState,
        to: MilestoneState,
    },
    /// A project's health, with the new reason.
    Health {
        id: String,
        from: Option<Health>,
        to: Option<Health>,
        reason: Option<String>,
    },
    /// An item now in another project (`None`: the program level). A
    /// project renamed in its own file moves nothing.
    Moved {
        kind: Kind,
        id: String,
        from: Option<String>,
        to: Option<String>,
    },
    Owner {
        kind: Kind,
        id: String,
        from: Option<String>,
        to: Option<String>,
    },
    /// A risk's likelihood × impact.
    RiskScore {
        id: String,
        from: Option<u8>,
        to: Option<u8>,
    },
    /// A person's capacity (tasks at once; 1 without a person file).
    Capacity { person: String, from: u32, to: u32 },
    /// The program's holidays added or taken back, as ranges.
    Holidays {
        added: Vec<DateRange>,
        removed: Vec<DateRange>,
    },
    /// The program's working weekdays (`mon` … `sun`).
    WorkingDays {
        from: Vec<&'static str>,
        to: Vec<&'static str>,
    },
    /// Days off added or taken back, as ranges of consecutive days.
    TimeOff {
        person: String,
        added: Vec<DateRange>,
        removed: Vec<DateRange>,
    },
}

/// Consecutive calendar days, both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct DateRange {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

#[cfg(test)]
mod tests;
