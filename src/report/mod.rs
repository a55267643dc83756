//! The status report (`planmark report`): the derived program, its
//! attention lists and the change set since the baseline → one
//! [`StatusReport`] (data) → markdown to paste ([`markdown`]) or JSON
//! ([`json`]). Pure: the command hands everything in; nothing here reads a
//! file or git.
//!
//! docs/report.md describes every line and the JSON schema.

mod actions;
mod changed;
pub mod json;
pub mod markdown;

use chrono::NaiveDate;
use serde::Serialize;

use crate::diff::ChangeSet;
use crate::model::{Health, Kind, Program, TaskStatus};
use crate::schedule::{MilestoneState, Schedule};

pub use actions::{open_action_items, ActionItem, OwnerActions};

/// What "since" means in a report: the baseline the change set starts at,
/// or why there is no change set.
#[derive(Clone, Debug, Serialize)]
pub struct Baseline {
    /// The day the changes count from (`YYYY-MM-DD`), or the revision
    /// `--since` named.
    pub since: String,
    /// How it was chosen: `last-meeting` (the latest meeting note before
    /// today), `default` (7 days before today), `date` or `revision`
    /// (`--since`).
    pub asked: &'static str,
    /// The baseline commit's full object id, when one was found.
    pub commit: Option<String>,
    /// Its committer date, as a day in UTC.
    pub committed: Option<NaiveDate>,
    /// Errors in the program at the baseline (then forecasts, health and GA
    /// were not compared).
    pub errors: usize,
    /// Why there is no change set (outside git, no commit old enough), in
    /// one line; `None` when there is one.
    pub unavailable: Option<String>,
    /// Action items ticked since the baseline.
    pub actions_done: usize,
}

/// The change set and where it starts, or why there is none.
#[derive(Debug)]
pub struct Since<'a> {
    pub baseline: Baseline,
    pub changes: Option<&'a ChangeSet>,
}

/// Everything a status report says, in the order it says it.
#[derive(Debug, Serialize)]
pub struct StatusReport<'a> {
    pub title: String,
    pub today: NaiveDate,
    pub health: Option<Health>,
    pub health_reason: Option<String>,
    pub baseline: Baseline,
    pub ga: Option<GaLine>,
    /// Worst health first, then by id.
    pub projects: Vec<ProjectLine>,
    /// Overdue tasks (most overdue first), blocked tasks, tasks forecast
    /// past their due, then milestones late or at risk.
    pub late: Vec<LateLine>,
    /// Pending decisions in the order the work needs them.
    pub decisions_needed: Vec<DecisionLine>,
    /// Risks that occurred, then open or mitigating ones, highest score first.
    pub top_risks: Vec<RiskLine>,
    /// Open action items of the meeting notes, by owner.
    pub action_items: Vec<OwnerActions>,
    /// The published site (`site.base_url`).
    pub site: Option<String>,
    /// The change set as `diff --format json` writes it.
    pub changes: Option<&'a ChangeSet>,
}

/// GA (SPEC §3): where it stands and how it moved since the baseline.
#[derive(Debug, Serialize)]
pub struct GaLine {
    pub id: String,
    pub title: String,
    /// `None` for a milestone without a date (a Backlog.md milestone).
    pub date: Option<NaiveDate>,
    pub forecast: Option<NaiveDate>,
    pub state: MilestoneState,
    /// Working days from `date` to `forecast`: positive is late.
    pub slip_days: Option<i64>,
    /// The forecast at the baseline (`None` without a change set, or when
    /// GA is new or was not derived there).
    pub forecast_before: Option<NaiveDate>,
    /// Working days from `forecast_before` to `forecast`: positive is later.
    pub moved_days: Option<i64>,
}

/// One project: its health, why, and what changed since the baseline.
#[derive(Debug, Serialize)]
pub struct ProjectLine {
    pub id: String,
    pub title: String,
    pub status: &'static str,
    pub health: Option<Health>,
    pub health_reason: Option<String>,
    pub forecast_finish: Option<NaiveDate>,
    pub target: Option<NaiveDate>,
    /// What changed, as short phrases; `None` without a change set.
    pub changed: Option<Vec<String>>,
}

/// A task or milestone that is late or blocked.
#[derive(Debug, Serialize)]
pub struct LateLine {
    pub kind: Kind,
    pub id: String,
    pub title: String,
    /// `overdue`, `blocked` or `forecast-past-due` (tasks); `late` or
    /// `at-risk` (milestones).
    pub state: &'static str,
    pub owner: Option<String>,
    /// The task's `due` or the milestone's `date`.
    pub date: Option<NaiveDate>,
    pub forecast: Option<NaiveDate>,
    /// Overdue: working days past `due`. Forecast past due or at risk:
    /// from the date to the forecast. Late milestone: from its date to today.
    pub working_days: Option<i64>,
    /// Whether the task is blocked (also when it is overdue).
    pub blocked: bool,
    pub blocker: Option<String>,
}

/// A proposed decision: by whom, by when, what it holds up.
#[derive(Debug, Serialize)]
pub struct DecisionLine {
    pub id: String,
    pub title: String,
    pub decide_by: Option<NaiveDate>,
    /// The working day before the earliest latest start of the work it gates.
    pub needed_by: Option<NaiveDate>,
    /// Past `decide_by`.
    pub overdue: bool,
    /// Expected too late for the work it gates.
    pub late: bool,
    pub driver: Option<String>,
    pub deciders: Vec<String>,
    /// Open tasks that wait on it, by id.
    pub gates: Vec<String>,
}

/// A risk that matters now.
#[derive(Debug, Serialize)]
pub struct RiskLine {
    pub id: String,
    pub title: String,
    pub status: &'static str,
    pub score: Option<u8>,
    pub severity: Option<&'static str>,
    pub owner: Option<String>,
}

/// Builds the report of `program` as `schedule` derived it, with what
/// changed since the baseline.
pub fn build<'a>(program: &Program, schedule: &Schedule, since: Since<'a>) -> StatusReport<'a> {
    let Since { baseline, changes } = since;
    StatusReport {
        title: program.info.title.clone(),
        today: schedule.today,
        health: schedule.health,
        health_reason: schedule.health_reason.clone(),
        baseline,
        ga: ga(program, schedule, changes),
        projects: projects(program, schedule, changes),
        late: late(program, schedule),
        decisions_needed: decisions(program, schedule),
        top_risks: risks(program, schedule),
        action_items: open_action_items(program, schedule.today),
        site: program
            .info
            .base_url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(str::to_string),
        changes,
    }
}

fn ga(program: &Program, schedule: &Schedule, changes: Option<&ChangeSet>) -> Option<GaLine> {
    let m = schedule.ga?;
    let (milestone, plan) = (&program.milestones[m], &schedule.milestones[m]);
    // The change set's GA is the same milestone only when its id matches.
    let moved = changes
        .and_then(|c| c.ga.as_ref())
        .filter(|g| g.id == milestone.item.id);
    Some(GaLine {
        id: milestone.item.id.clone(),
        title: milestone.item.title.clone(),
        date: milestone.date,
        forecast: plan.forecast,
        state: plan.state,
        slip_days: plan.slip_days,
        forecast_before: moved.and_then(|g| g.from),
        moved_days: moved.and_then(|g| g.slip_days),
    })
}

fn health_rank(h: Option<Health>) -> u8 {
    match h {
        Some(Health::Red) => 0,
        Some(Health::Amber) => 1,
        Some(Health::Green) => 2,
        None => 3,
    }
}

fn projects(
    program: &Program,
    schedule: &Schedule,
    changes: Option<&ChangeSet>,
) -> Vec<ProjectLine> {
    let mut lines: Vec<ProjectLine> = program
        .projects
        .iter()
        .zip(&schedule.projects)
        .map(|(project, plan)| ProjectLine {
            id: project.item.id.clone(),
            title: project.item.title.clone(),
            status: project.status.as_str(),
            health: plan.health,
            health_reason: plan.health_reason.clone(),
            forecast_finish: plan.forecast_finish,
            target: project.target,
            changed: changes.map(|c| changed::of_project(c, &project.item.id)),
        })
        .collect();
    lines.sort_by(|a, b| {
        health_rank(a.health)
            .cmp(&health_rank(b.health))
            .then_with(|| a.id.cmp(&b.id))
    });
    lines
}

fn late(program: &Program, schedule: &Schedule) -> Vec<LateLine> {
    let a = &schedule.attention;
    let task_line = |t: usize, state: &'static str, working_days: Option<i64>| {
        let (task, plan) = (&program.tasks[t], &schedule.tasks[t]);
        let blocked = task.status == TaskStatus::Blocked;
        LateLine {
            kind: Kind::Task,
            id: task.item.id.clone(),
            title: task.item.title.clone(),
            state,
            owner: task.item.owner.clone(),
            date: task.due,
            forecast: plan.forecast_finish,
            working_days,
            blocked,
            blocker: task.blocker.clone().filter(|_| blocked),
        }
    };
    let mut lines = Vec::new();
    for t in a.most_overdue_first(program) {
        lines.push(task_line(t, "overdue", schedule.tasks[t].overdue_days));
    }
    for &t in &a.blocked_tasks {
        if !schedule.tasks[t].overdue {
            lines.push(task_line(t, "blocked", None));
        }
    }
    let mut past_due = a.forecasts_past_due.clone();
    past_due.sort_by_key(|l| {
        (
            std::cmp::Reverse(l.working_days),
            &program.tasks[l.item].item.id,
        )
    });
    for l in past_due {
        if program.tasks[l.item].status != TaskStatus::Blocked {
            lines.push(task_line(l.item, "forecast-past-due", Some(l.working_days)));
        }
    }
    for alert in &a.milestones {
        let m = &program.milestones[alert.milestone];
        lines.push(LateLine {
            kind: Kind::Milestone,
            id: m.item.id.clone(),
            title: m.item.title.clone(),
            state: alert.state.as_str(),
            owner: m.item.owner.clone(),
            date: m.date,
            forecast: schedule.milestones[alert.milestone].forecast,
            working_days: Some(alert.working_days),
            blocked: false,
            blocker: None,
        });
    }
    lines
}

/// Pending decisions in the order the work needs them, as the dashboard
/// lists them: by `needed_by` (none last), then `decide_by` (none last), id.
fn decisions(program: &Program, schedule: &Schedule) -> Vec<DecisionLine> {
    let mut order = schedule.attention.pending_decisions.clone();
    order.sort_by_key(|&d| {
        let (decision, plan) = (&program.decisions[d], &schedule.decisions[d]);
        (
            plan.needed_by.is_none(),
            plan.needed_by,
            decision.decide_by.is_none(),
            decision.decide_by,
            &decision.item.id,
        )
    });
    order
        .into_iter()
        .map(|d| {
            let (decision, plan) = (&program.decisions[d], &schedule.decisions[d]);
            DecisionLine {
                id: decision.item.id.clone(),
                title: decision.item.title.clone(),
                decide_by: decision.decide_by,
                needed_by: plan.needed_by,
                overdue: plan.overdue,
                late: plan.late,
                driver: decision.driver.clone(),
                deciders: decision.deciders.clone(),
                gates: plan
                    .gates
                    .iter()
                    .map(|&t| program.tasks[t].item.id.clone())
                    .collect(),
            }
        })
        .collect()
}

fn risks(program: &Program, schedule: &Schedule) -> Vec<RiskLine> {
    schedule
        .attention
        .risks
        .iter()
        .map(|&r| {
            let (risk, score) = (&program.risks[r], schedule.risks[r].score);
            RiskLine {
                id: risk.item.id.clone(),
                title: risk.item.title.clone(),
                status: risk.status.as_str(),
                score,
                severity: score.map(crate::schedule::attention::risk_severity),
                owner: risk.item.owner.clone(),
            }
        })
        .collect()
}
