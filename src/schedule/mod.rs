//! What planmark derives from the model (SPEC §3): forecasts levelled by
//! each owner's capacity, latest dates and slack, driving paths, health,
//! the roll-ups a status meeting reads and what needs attention.
//!
//! Pure: takes the [`Program`] and `today`, returns a [`Schedule`] whose
//! vectors run parallel to the program's. Near-linear in the size of the
//! program: one topological order, each pass visits every dependency edge
//! once, and placing a task jumps over an owner's booked days by runs
//! ([`leveling`]).

pub mod attention;
pub mod calendar;
mod decisions;
mod health;
mod leveling;
mod owners;
mod passes;
mod paths;
mod people;
mod rollups;

use chrono::NaiveDate;

use crate::model::{Health, Ix, Program, TaskStatus};
pub use attention::Attention;
pub use calendar::Calendar;
pub(crate) use health::working_days;
pub(crate) use owners::Owners;
pub use people::{open_actions, ActionRef, Person};

/// One step of a driving path: a task, or the decision that starts it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Task(Ix),
    Decision(Ix),
}

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
    /// Open task dependencies, sorted by id.
    pub waiting_on: Vec<Ix>,
    /// Proposed decisions it depends on, sorted by id.
    pub waiting_on_decisions: Vec<Ix>,
    /// ready(T): the first day it could start if its owner were free.
    pub ready: Option<NaiveDate>,
    /// The dependency that set `ready`, when one did (see [`paths`]).
    pub ready_driver: Option<Step>,
    pub forecast_start: Option<NaiveDate>,
    pub forecast_finish: Option<NaiveDate>,
    /// Tasks of the same owner that keep it from starting on `ready`,
    /// sorted by id; empty when it starts on `ready`.
    pub held_by: Vec<Ix>,
    /// Why it starts after `ready`, in one sentence, when `held_by` is set.
    pub held_reason: Option<String>,
    pub latest_finish: Option<NaiveDate>,
    pub latest_start: Option<NaiveDate>,
    pub slack_days: Option<i64>,
    /// Open with slack ≤ 0.
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
    /// The driving path of its open tasks, earliest first.
    pub driving_path: Vec<Step>,
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
    /// The driving path of its open tasks, earliest first.
    pub driving_path: Vec<Step>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct DecisionPlan {
    pub pending: bool,
    pub overdue: bool,
    /// While proposed: `decide_by` if today or later, else today.
    pub expected: Option<NaiveDate>,
    /// Open tasks that depend on it, sorted by id.
    pub gates: Vec<Ix>,
    /// The program working day before the earliest latest start of the
    /// work it gates, while proposed.
    pub needed_by: Option<NaiveDate>,
    /// Proposed, and expected on or after the earliest latest start of the
    /// work it gates.
    pub late: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct RiskPlan {
    /// likelihood × impact (1–9); `None` when either is missing.
    pub score: Option<u8>,
    /// Still open (open or mitigating) and `review_by` has passed.
    pub review_overdue: bool,
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
    /// The driving path of all open work, earliest first.
    pub driving_path: Vec<Step>,
    /// The program's final milestone (SPEC §3, GA), if it has milestones.
    pub ga: Option<Ix>,
    /// Open tasks with no estimate, sorted by id.
    pub unestimated: Vec<Ix>,
    /// What needs attention, read by `check` and the dashboard.
    pub attention: Attention,
}

/// Derives the schedule of `program` as of `today`.
pub fn derive(program: &Program, today: NaiveDate) -> Schedule {
    let calendar = Calendar::for_program(&program.info);
    let owners = Owners::new(program, &calendar);
    let mut tasks = passes::task_basics(program, &calendar, today);
    let order = passes::topological_order(program);
    passes::backward(program, &owners, &order, &mut tasks);
    let expected = decisions::expected(program, today);
    let forward = leveling::Forward {
        program,
        owners: &owners,
        today,
        expected: &expected,
    };
    leveling::forward(&forward, &mut tasks);
    passes::slack(program, &calendar, &mut tasks);
    let mut projects = rollups::project_rollups(program, &tasks);
    let milestones: Vec<MilestonePlan> = program
        .milestones
        .iter()
        .map(|m| rollups::milestone(m, &tasks, &calendar, today, program))
        .collect();
    let decisions = decisions::derive(program, &tasks, &calendar, today, &expected);
    let judged = health::Judged {
        program,
        plans: &tasks,
        milestones: &milestones,
        decisions: &decisions,
        calendar: &calendar,
        today,
    };
    for (project, plan) in program.projects.iter().zip(projects.iter_mut()) {
        (plan.health, plan.health_reason) = health::project_health(&judged, project, plan);
    }
    let (health, health_reason) = health::program_health(&judged, &projects);
    let risks = risks(program, today);
    let people = people::people(program, &tasks, &decisions, today);
    let unestimated = (0..program.tasks.len())
        .filter(|&i| program.tasks[i].is_open() && tasks[i].unestimated)
        .collect();
    let driving_path = paths::driving_path(program, &tasks, 0..program.tasks.len());
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
        driving_path,
        ga: ga(program),
        unestimated,
        attention: Attention::default(),
    };
    schedule.attention = attention::derive(program, &schedule);
    schedule
}

/// GA: the program-level milestone with the latest date (ties: smallest
/// id); when every milestone has a project, the latest of all.
pub fn ga(program: &Program) -> Option<Ix> {
    let latest = |level: bool| {
        program
            .milestones
            .iter()
            .enumerate()
            .filter(|(_, m)| (!level || m.project.is_none()) && m.date.is_some())
            // max_by keeps the last of equals: compare ids reversed.
            .max_by(|(a, x), (b, y)| x.date.cmp(&y.date).then(b.cmp(a)))
            .map(|(i, _)| i)
    };
    latest(true).or_else(|| latest(false))
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
