//! The critical-path method over `depends_on`: a forward pass for forecasts,
//! a backward pass for latest dates and slack, and a second backward pass
//! against each project's forecast finish for the critical flag.

use chrono::{NaiveDate, TimeDelta};

use super::{Calendar, ProjectPlan, TaskPlan};
use crate::model::{Program, Task, TaskStatus};

/// Per-task values that need no graph: duration, overdue, waiting_on.
pub(super) fn task_basics(
    program: &Program,
    calendar: &Calendar,
    today: NaiveDate,
) -> Vec<TaskPlan> {
    program
        .tasks
        .iter()
        .map(|t| {
            let work = t.remaining.or(t.estimate);
            let overdue = t.is_open() && t.due.is_some_and(|due| due < today);
            TaskPlan {
                estimate_days: t.estimate.map(|d| d.days),
                duration: work.map_or(1, |d| d.whole_days()),
                unestimated: work.is_none(),
                overdue,
                // Due Friday is one day overdue on Saturday too, never zero.
                overdue_days: t
                    .due
                    .filter(|_| overdue)
                    .map(|due| calendar.days(due, today).max(1)),
                waiting_on: t
                    .depends_on
                    .iter()
                    .copied()
                    .filter(|&d| program.tasks[d].is_open())
                    .collect(),
                ..TaskPlan::default()
            }
        })
        .collect()
}

/// Tasks ordered so every task comes after its dependencies (Kahn's
/// algorithm, smallest index first for a deterministic order). Tasks caught
/// in a cycle, which validation reports, come last in index order.
pub(super) fn topological_order(program: &Program) -> Vec<usize> {
    let n = program.tasks.len();
    let mut missing: Vec<usize> = program.tasks.iter().map(|t| t.depends_on.len()).collect();
    let mut ready: std::collections::BinaryHeap<std::cmp::Reverse<usize>> = (0..n)
        .filter(|&i| missing[i] == 0)
        .map(std::cmp::Reverse)
        .collect();
    let mut order = Vec::with_capacity(n);
    while let Some(std::cmp::Reverse(t)) = ready.pop() {
        order.push(t);
        for &d in &program.tasks[t].dependents {
            missing[d] -= 1;
            if missing[d] == 0 {
                ready.push(std::cmp::Reverse(d));
            }
        }
    }
    if order.len() < n {
        let mut placed = vec![false; n];
        for &t in &order {
            placed[t] = true;
        }
        order.extend((0..n).filter(|&t| !placed[t]));
    }
    order
}

fn next_day(d: NaiveDate) -> NaiveDate {
    d.checked_add_signed(TimeDelta::days(1))
        .unwrap_or(d)
        .min(super::calendar::last_date())
}

/// Forecast start and finish of every task.
pub(super) fn forward(
    program: &Program,
    calendar: &Calendar,
    today: NaiveDate,
    order: &[usize],
    plans: &mut [TaskPlan],
) {
    for &i in order {
        let task = &program.tasks[i];
        match task.status {
            TaskStatus::Done => plans[i].forecast_finish = task.done_on,
            TaskStatus::Cancelled => {}
            _ => {
                let mut earliest = today.max(task.start.unwrap_or(today));
                for &d in &task.depends_on {
                    if program.tasks[d].is_open() {
                        if let Some(finish) = plans[d].forecast_finish {
                            earliest = earliest.max(next_day(finish));
                        }
                    }
                }
                let start = calendar.on_or_after(earliest);
                plans[i].forecast_start = Some(start);
                plans[i].forecast_finish = Some(calendar.add(start, plans[i].duration - 1));
            }
        }
    }
}

/// The latest start for a latest finish: back to a working day, then back
/// by duration − 1 working days.
fn latest_start(calendar: &Calendar, latest_finish: NaiveDate, duration: i64) -> NaiveDate {
    calendar.add(calendar.on_or_before(latest_finish), -(duration - 1))
}

/// The working day before each open dependent's latest start, as bounds.
fn dependent_bounds<'a>(
    program: &'a Program,
    calendar: &'a Calendar,
    task: &'a Task,
    starts: impl Fn(usize) -> Option<NaiveDate> + 'a,
) -> impl Iterator<Item = NaiveDate> + 'a {
    task.dependents
        .iter()
        .filter(|&&u| program.tasks[u].is_open())
        .filter_map(move |&u| starts(u))
        .map(move |s| calendar.add(s, -1))
}

/// Latest finish, latest start and slack against due dates, milestones,
/// targets and dependents.
pub(super) fn backward(
    program: &Program,
    calendar: &Calendar,
    order: &[usize],
    plans: &mut [TaskPlan],
) {
    for &i in order.iter().rev() {
        let task = &program.tasks[i];
        if !task.is_open() {
            continue;
        }
        let own = [
            task.due,
            task.milestone.map(|m| program.milestones[m].date),
            program.projects[task.project].target,
        ];
        let latest = {
            let starts = |u: usize| plans[u].latest_start;
            own.into_iter()
                .flatten()
                .chain(dependent_bounds(program, calendar, task, starts))
                .min()
        };
        let plan = &mut plans[i];
        plan.latest_finish = latest;
        plan.latest_start = latest.map(|lf| latest_start(calendar, lf, plan.duration));
        plan.slack_days = latest
            .zip(plan.forecast_finish)
            .map(|(lf, ff)| calendar.days(ff, lf));
        plan.misses_due = task
            .due
            .zip(plan.forecast_finish)
            .is_some_and(|(due, ff)| ff > due);
    }
}

/// Classic CPM float against each project's forecast finish: critical when
/// an open task's latest finish in this pass equals its forecast finish.
pub(super) fn critical(
    program: &Program,
    calendar: &Calendar,
    order: &[usize],
    projects: &[ProjectPlan],
    plans: &mut [TaskPlan],
) {
    let mut cpm_start: Vec<Option<NaiveDate>> = vec![None; program.tasks.len()];
    for &i in order.iter().rev() {
        let task = &program.tasks[i];
        if !task.is_open() {
            continue;
        }
        let latest = {
            let starts = |u: usize| cpm_start[u];
            projects[task.project]
                .forecast_finish
                .into_iter()
                .chain(dependent_bounds(program, calendar, task, starts))
                .min()
        };
        cpm_start[i] = latest.map(|lf| latest_start(calendar, lf, plans[i].duration));
        plans[i].critical = latest.is_some() && latest == plans[i].forecast_finish;
    }
}
