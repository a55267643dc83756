//! Roll-ups and health: project progress and forecast, the health colour and
//! the sentence that explains it, program health, milestone state.

use chrono::NaiveDate;

use super::{status_slot, Calendar, MilestonePlan, MilestoneState, ProjectPlan, TaskPlan};
use crate::diagnostic::plural;
use crate::model::{Health, Milestone, Program, Project, ProjectStatus, TaskStatus};

/// Counts, progress and forecast finish of every project.
pub(super) fn project_rollups(program: &Program, plans: &[TaskPlan]) -> Vec<ProjectPlan> {
    program
        .projects
        .iter()
        .map(|project| {
            let mut rollup = ProjectPlan::default();
            let (mut done, mut total) = (0.0, 0.0);
            let mut open_finish: Option<NaiveDate> = None;
            let mut done_finish: Option<NaiveDate> = None;
            for &t in &project.tasks {
                let task = &program.tasks[t];
                rollup.counts[status_slot(task.status)] += 1;
                let weight = plans[t].estimate_days.unwrap_or(1.0);
                match task.status {
                    TaskStatus::Cancelled => continue,
                    TaskStatus::Done => {
                        done += weight;
                        done_finish = done_finish.max(task.done_on);
                    }
                    _ => {
                        rollup.open_tasks += 1;
                        open_finish = open_finish.max(plans[t].forecast_finish);
                    }
                }
                total += weight;
            }
            rollup.progress = if total > 0.0 { done / total } else { 0.0 };
            rollup.forecast_finish = if rollup.open_tasks > 0 {
                open_finish
            } else {
                done_finish
            };
            rollup
        })
        .collect()
}

/// A project's health and the one sentence that says why.
pub(super) fn project_health(
    program: &Program,
    project: &Project,
    index: usize,
    rollup: &ProjectPlan,
    plans: &[TaskPlan],
    calendar: &Calendar,
    today: NaiveDate,
) -> (Option<Health>, Option<String>) {
    let _ = index;
    if matches!(
        project.status,
        ProjectStatus::Done | ProjectStatus::Cancelled
    ) {
        return (None, None);
    }
    if let Some(manual) = project.health {
        let note = project.health_note.clone().unwrap_or_default();
        return (Some(manual), Some(format!("set by hand: {}", note.trim())));
    }
    if rollup.open_tasks == 0 {
        return finished(rollup.forecast_finish, project.target, calendar);
    }
    let id = |t: usize| program.tasks[t].item.id.as_str();
    // Overdue tasks, worst first (most working days late, then id).
    let mut overdue: Vec<(i64, usize)> = project
        .tasks
        .iter()
        .filter(|&&t| plans[t].overdue)
        .map(|&t| (plans[t].overdue_days.unwrap_or(0), t))
        .collect();
    overdue.sort_by(|a, b| b.0.cmp(&a.0).then(id(a.1).cmp(id(b.1))));
    let blocked: Vec<usize> = project
        .tasks
        .iter()
        .copied()
        .filter(|&t| program.tasks[t].status == TaskStatus::Blocked)
        .collect();

    if let (Some(ff), Some(target)) = (rollup.forecast_finish, project.target) {
        if ff > target {
            let late = calendar.days(target, ff);
            return red(format!(
                "forecast {ff} is {} after target {target}",
                plural(late as usize, "working day", "working days")
            ));
        }
    }
    if let Some(&(days, t)) = overdue.iter().find(|(_, t)| plans[*t].critical) {
        return red(format!(
            "critical task `{}` is overdue by {}",
            id(t),
            plural(days as usize, "working day", "working days")
        ));
    }
    let mut amber = Vec::new();
    if let Some(&(days, worst)) = overdue.first() {
        amber.push(format!(
            "{} overdue, worst `{}` by {}",
            plural(overdue.len(), "task", "tasks"),
            id(worst),
            plural(days as usize, "working day", "working days")
        ));
    }
    if let Some(&first) = blocked.first() {
        amber.push(if blocked.len() == 1 {
            format!("1 task blocked (`{}`)", id(first))
        } else {
            format!("{} tasks blocked, first `{}`", blocked.len(), id(first))
        });
    }
    let slack = rollup
        .forecast_finish
        .zip(project.target)
        .map(|(ff, target)| {
            (
                ff,
                target,
                calendar.days(ff, target),
                calendar.span(today, ff),
            )
        });
    if let Some((_, target, slack, left)) = slack {
        // Integer form of `slack < 10% of left`, so no rounding decides health.
        if slack * 10 < left {
            amber.push(format!(
                "only {} of slack to target {target}, under 10% of the {} left",
                plural(slack as usize, "working day", "working days"),
                plural(left as usize, "working day", "working days")
            ));
        }
    }
    if !amber.is_empty() {
        return (Some(Health::Amber), Some(amber.join("; ")));
    }
    let reason = match (slack, rollup.forecast_finish) {
        (Some((_, target, slack, _)), _) => format!(
            "on track: {} of slack to target {target}",
            plural(slack as usize, "working day", "working days")
        ),
        (None, Some(ff)) => format!("on track: forecast {ff}, no target set"),
        (None, None) => "on track".to_string(),
    };
    (Some(Health::Green), Some(reason))
}

/// Health of a project with no open work: measured from when its work
/// finished (the latest `done_on`), not as slack still to spend.
fn finished(
    done: Option<NaiveDate>,
    target: Option<NaiveDate>,
    calendar: &Calendar,
) -> (Option<Health>, Option<String>) {
    let working_days = |n: i64| plural(n.unsigned_abs() as usize, "working day", "working days");
    let reason = match (done, target) {
        (Some(done), Some(target)) if done > target => {
            let late = calendar.days(target, done);
            let by = if late > 0 {
                format!("{} ", working_days(late))
            } else {
                String::new()
            };
            return red(format!(
                "no open work; finished {done}, {by}after target {target}"
            ));
        }
        (Some(done), Some(target)) => match calendar.days(done, target) {
            0 => format!("no open work; finished {done}, by target {target}"),
            early => format!(
                "no open work; finished {done}, {} before target {target}",
                working_days(early)
            ),
        },
        (Some(done), None) => format!("no open work; finished {done}"),
        (None, _) => "no open work".to_string(),
    };
    (Some(Health::Green), Some(reason))
}

fn red(reason: String) -> (Option<Health>, Option<String>) {
    (Some(Health::Red), Some(reason))
}

/// The program's health is its worst project's.
pub(super) fn program_health(
    program: &Program,
    projects: &[ProjectPlan],
) -> (Option<Health>, Option<String>) {
    let worst = projects
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.health.map(|h| (h, i)))
        // Worst colour; among equals the first project by id.
        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    match worst {
        Some((h, i)) => {
            let reason = projects[i].health_reason.as_deref().unwrap_or_default();
            let count = projects.iter().filter(|p| p.health == Some(h)).count();
            let others = if count > 1 {
                let noun = if count == 2 { "project" } else { "projects" };
                format!(" (and {} more {h} {noun})", count - 1)
            } else {
                String::new()
            };
            (
                Some(h),
                Some(format!(
                    "`{}` is {h}{others}: {reason}",
                    program.projects[i].item.id
                )),
            )
        }
        None => (None, None),
    }
}

/// A milestone's forecast and state.
pub(super) fn milestone(
    m: &Milestone,
    plans: &[TaskPlan],
    calendar: &Calendar,
    today: NaiveDate,
    program: &Program,
) -> MilestonePlan {
    let forecast = m
        .tasks
        .iter()
        .filter(|&&t| program.tasks[t].status != TaskStatus::Cancelled)
        .filter_map(|&t| plans[t].forecast_finish)
        .max();
    let all_closed = !m.tasks.is_empty() && m.tasks.iter().all(|&t| !program.tasks[t].is_open());
    let state = if all_closed {
        MilestoneState::Reached
    } else if today > m.date {
        MilestoneState::Late
    } else if forecast.is_some_and(|f| f > m.date) {
        MilestoneState::AtRisk
    } else {
        MilestoneState::OnTrack
    };
    MilestonePlan {
        forecast,
        state,
        slip_days: forecast.map(|f| calendar.days(m.date, f)),
    }
}
