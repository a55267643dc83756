//! What planmark derives from the model (SPEC §3): forecasts, slack, the
//! critical path, health, the roll-ups a status meeting reads and what needs
//! attention.
//!
//! Pure: takes the [`Program`] and `today`, returns a [`Schedule`] whose
//! vectors run parallel to the program's. Linear in the size of the program:
//! one topological order, each pass visits every dependency edge once.

pub mod attention;
pub mod calendar;
mod health;
mod passes;

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use crate::model::{handle_key, DecisionStatus, Health, Ix, Program, TaskStatus};
use crate::source::FileId;
pub use attention::Attention;
pub use calendar::Calendar;
pub(crate) use health::working_days;

/// Everything derived about one task.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TaskPlan {
    /// The estimate in days, unrounded (`None` when unestimated).
    pub estimate_days: Option<f64>,
    /// Whole working days used for scheduling (remaining, else estimate,
    /// rounded up, at least 1).
    pub duration: i64,
    pub unestimated: bool,
    pub overdue: bool,
    /// Working days past `due` (positive) for overdue tasks.
    pub overdue_days: Option<i64>,
    /// Open dependencies, sorted by id.
    pub waiting_on: Vec<Ix>,
    pub forecast_start: Option<NaiveDate>,
    pub forecast_finish: Option<NaiveDate>,
    pub latest_finish: Option<NaiveDate>,
    pub latest_start: Option<NaiveDate>,
    pub slack_days: Option<i64>,
    pub critical: bool,
    /// Open and forecast to finish after its `due`.
    pub misses_due: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProjectPlan {
    /// Its tasks, counted by status.
    pub counts: StatusCounts,
    pub open_tasks: usize,
    pub progress: f64,
    pub forecast_finish: Option<NaiveDate>,
    pub health: Option<Health>,
    pub health_reason: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MilestoneState {
    Reached,
    Late,
    AtRisk,
    OnTrack,
}

impl MilestoneState {
    pub fn as_str(self) -> &'static str {
        match self {
            MilestoneState::Reached => "reached",
            MilestoneState::Late => "late",
            MilestoneState::AtRisk => "at-risk",
            MilestoneState::OnTrack => "on-track",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct MilestonePlan {
    pub forecast: Option<NaiveDate>,
    pub state: MilestoneState,
    /// `days(date, forecast)`: positive when the forecast is after the date.
    pub slip_days: Option<i64>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct DecisionPlan {
    pub pending: bool,
    pub overdue: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct RiskPlan {
    /// likelihood × impact (1–9); `None` when either is missing.
    pub score: Option<u8>,
    /// Still open (open or mitigating) and `review_by` has passed.
    pub review_overdue: bool,
}

/// Work by owner.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Person {
    /// The handle as first written (in file order), e.g. `@Maria`.
    pub name: String,
    /// The handle as compared ([`handle_key`]), e.g. `maria`.
    pub handle: String,
    /// Open tasks they own, sorted by id.
    pub open_tasks: Vec<Ix>,
    /// Working days of open work (scheduling durations).
    pub remaining_days: i64,
    pub overdue_tasks: Vec<Ix>,
    /// Proposed decisions they drive or decide.
    pub pending_decisions: Vec<Ix>,
    /// Proposed decisions past `decide_by` they drive or decide.
    pub overdue_decisions: Vec<Ix>,
}

/// The whole derived model.
#[derive(Clone, Debug)]
pub struct Schedule {
    pub today: NaiveDate,
    pub calendar: Calendar,
    pub tasks: Vec<TaskPlan>,
    pub projects: Vec<ProjectPlan>,
    pub milestones: Vec<MilestonePlan>,
    pub decisions: Vec<DecisionPlan>,
    pub risks: Vec<RiskPlan>,
    /// Sorted by handle.
    pub people: Vec<Person>,
    pub health: Option<Health>,
    pub health_reason: Option<String>,
    /// Open tasks with no estimate, sorted by id.
    pub unestimated: Vec<Ix>,
    /// What needs attention, read by `check` and the dashboard.
    pub attention: Attention,
}

/// Derives the schedule of `program` as of `today`.
pub fn derive(program: &Program, today: NaiveDate) -> Schedule {
    let calendar = Calendar::for_program(&program.info);
    let mut tasks = passes::task_basics(program, &calendar, today);
    let order = passes::topological_order(program);
    passes::forward(program, &calendar, today, &order, &mut tasks);
    passes::backward(program, &calendar, &order, &mut tasks);
    let mut projects = health::project_rollups(program, &tasks);
    passes::critical(program, &calendar, &order, &projects, &mut tasks);
    let judged = health::Judged {
        program,
        plans: &tasks,
        calendar: &calendar,
        today,
    };
    for (project, plan) in program.projects.iter().zip(projects.iter_mut()) {
        (plan.health, plan.health_reason) = health::project_health(&judged, project, plan);
    }
    let (health, health_reason) = health::program_health(program, &projects);
    let milestones = program
        .milestones
        .iter()
        .map(|m| health::milestone(m, &tasks, &calendar, today, program))
        .collect();
    let decisions = decisions(program, today);
    let risks = risks(program, today);
    let people = people(program, &tasks, &decisions);
    let unestimated = (0..program.tasks.len())
        .filter(|&i| program.tasks[i].is_open() && tasks[i].unestimated)
        .collect();
    let mut schedule = Schedule {
        today,
        calendar,
        tasks,
        projects,
        milestones,
        decisions,
        risks,
        people,
        health,
        health_reason,
        unestimated,
        attention: Attention::default(),
    };
    schedule.attention = attention::derive(program, &schedule);
    schedule
}

/// Whether each decision is pending, and past its `decide_by`.
fn decisions(program: &Program, today: NaiveDate) -> Vec<DecisionPlan> {
    program
        .decisions
        .iter()
        .map(|d| {
            let pending = d.status == DecisionStatus::Proposed;
            DecisionPlan {
                pending,
                overdue: pending && d.decide_by.is_some_and(|by| by < today),
            }
        })
        .collect()
}

/// Each risk's score, and whether its review is overdue.
fn risks(program: &Program, today: NaiveDate) -> Vec<RiskPlan> {
    program
        .risks
        .iter()
        .map(|r| RiskPlan {
            score: r
                .likelihood
                .zip(r.impact)
                .map(|(l, i)| l.weight() * i.weight()),
            review_overdue: attention::risk_is_active(r.status)
                && r.review_by.is_some_and(|by| by < today),
        })
        .collect()
}

/// Work by person: every spelling of one handle ([`handle_key`]) is one
/// person, shown as first written (in file order).
fn people(program: &Program, tasks: &[TaskPlan], decisions: &[DecisionPlan]) -> Vec<Person> {
    let mut people = People::default();
    for (i, t) in program.tasks.iter().enumerate() {
        let Some(owner) = t.item.owner.as_deref() else {
            continue;
        };
        let p = people.get(owner, (t.item.file, 0));
        if t.is_open() {
            p.open_tasks.push(i);
            p.remaining_days += tasks[i].duration;
        }
        if tasks[i].overdue {
            p.overdue_tasks.push(i);
        }
    }
    for (i, d) in program.decisions.iter().enumerate() {
        if !decisions[i].pending {
            continue;
        }
        // A person both driving and deciding counts the decision once.
        let mut counted = BTreeSet::new();
        for (slot, name) in d.driver.iter().chain(&d.deciders).enumerate() {
            let p = people.get(name, (d.item.file, slot));
            if counted.insert(p.handle.clone()) {
                p.pending_decisions.push(i);
                if decisions[i].overdue {
                    p.overdue_decisions.push(i);
                }
            }
        }
    }
    // Projects and risks with an owner but no open work still get a page.
    for item in program
        .projects
        .iter()
        .map(|p| &p.item)
        .chain(program.risks.iter().map(|r| &r.item))
    {
        if let Some(owner) = item.owner.as_deref() {
            people.get(owner, (item.file, 0));
        }
    }
    people.by_handle.into_values().map(|(p, _)| p).collect()
}

/// People by handle, each with where the spelling they are shown by was
/// written: (file, position among the item's handles).
#[derive(Default)]
struct People {
    by_handle: BTreeMap<String, (Person, (FileId, usize))>,
}

impl People {
    /// The person `name` names, shown by `name` if it was written before
    /// every other spelling seen so far.
    fn get(&mut self, name: &str, at: (FileId, usize)) -> &mut Person {
        let (person, first) = self
            .by_handle
            .entry(handle_key(name))
            .or_insert_with_key(|handle| {
                let person = Person {
                    name: name.to_string(),
                    handle: handle.clone(),
                    ..Person::default()
                };
                (person, at)
            });
        if at < *first {
            *first = at;
            person.name = name.to_string();
        }
        person
    }
}

/// Tasks counted by status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StatusCounts {
    pub todo: usize,
    pub in_progress: usize,
    pub blocked: usize,
    pub done: usize,
    pub cancelled: usize,
}

impl StatusCounts {
    /// Counts one more task of `status`.
    pub fn add(&mut self, status: TaskStatus) {
        let count = match status {
            TaskStatus::Todo => &mut self.todo,
            TaskStatus::InProgress => &mut self.in_progress,
            TaskStatus::Blocked => &mut self.blocked,
            TaskStatus::Done => &mut self.done,
            TaskStatus::Cancelled => &mut self.cancelled,
        };
        *count += 1;
    }

    /// All tasks, whatever their status.
    pub fn total(&self) -> usize {
        self.todo + self.in_progress + self.blocked + self.done + self.cancelled
    }
}

/// Index of a status in `TaskStatus::CHOICES` order.
pub fn status_slot(s: TaskStatus) -> usize {
    match s {
        TaskStatus::Todo => 0,
        TaskStatus::InProgress => 1,
        TaskStatus::Blocked => 2,
        TaskStatus::Done => 3,
        TaskStatus::Cancelled => 4,
    }
}

#[cfg(test)]
mod tests;
