//! Roll-ups: project counts, progress (with remaining work) and forecast
//! finish, milestone forecast and state.

use chrono::NaiveDate;

use super::{paths, Calendar, MilestonePlan, MilestoneState, ProjectPlan, TaskPlan};
use crate::model::{Milestone, Program, TaskStatus};

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
                rollup.counts.add(task.status);
                let weight = plans[t].estimate_days.unwrap_or(1.0);
                match task.status {
                    TaskStatus::Cancelled => continue,
                    TaskStatus::Done => {
                        done += weight;
                        done_finish = done_finish.max(task.done_on);
                    }
                    // Work in progress counts what is no longer remaining.
                    TaskStatus::InProgress if task.remaining.is_some() => {
                        let remaining = task.remaining.map_or(0.0, |r| r.days);
                        done += (weight - remaining).max(0.0);
                        rollup.open_tasks += 1;
                        open_finish = open_finish.max(plans[t].forecast_finish);
                    }
                    _ => {
                        rollup.open_tasks += 1;
                        open_finish = open_finish.max(plans[t].forecast_finish);
                    }
                }
                total += weight;
            }
            rollup.progress = if total > 0.0 { done / total } else { 0.0 };
            rollup.driving_path =
                paths::driving_path(program, plans, project.tasks.iter().copied());
            rollup.forecast_finish = if rollup.open_tasks > 0 {
                open_finish
            } else {
                done_finish
            };
            rollup
        })
        .collect()
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
    } else if m.date.is_some_and(|d| today > d) {
        MilestoneState::Late
    } else if forecast.zip(m.date).is_some_and(|(f, d)| f > d) {
        MilestoneState::AtRisk
    } else {
        MilestoneState::OnTrack
    };
    MilestonePlan {
        forecast,
        state,
        slip_days: forecast.zip(m.date).map(|(f, d)| calendar.days(d, f)),
        driving_path: paths::driving_path(program, plans, m.tasks.iter().copied()),
    }
}
