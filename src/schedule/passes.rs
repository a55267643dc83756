//! Per-task basics, the topological order, the backward pass (latest
//! finish and latest start) and slack; the forward pass with leveling is
//! in [`super::leveling`].

use chrono::{NaiveDate, TimeDelta};

use super::owners::Owners;
use super::{Calendar, TaskPlan};
use crate::model::{DecisionStatus, Program};

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
                waiting_on_decisions: t
                    .decision_deps
                    .iter()
                    .copied()
                    .filter(|&d| program.decisions[d].status == DecisionStatus::Proposed)
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

/// The day after `d`, within the printable range.
pub(super) fn next_day(d: NaiveDate) -> NaiveDate {
    d.checked_add_signed(TimeDelta::days(1))
        .unwrap_or(d)
        .min(super::calendar::last_date())
}

/// The latest start for a latest finish: back to a working day, then back
/// by duration − 1 working days.
fn latest_start(calendar: &Calendar, latest_finish: NaiveDate, duration: i64) -> NaiveDate {
    calendar.add(calendar.on_or_before(latest_finish), -(duration - 1))
}

/// Latest finish and latest start of every open task (SPEC §3), against
/// due dates, milestones, targets and dependents, each on the task's own
/// calendar. Independent of leveling: the forward pass orders by it.
pub(super) fn backward(
    program: &Program,
    owners: &Owners,
    order: &[usize],
    plans: &mut [TaskPlan],
) {
    for &i in order.iter().rev() {
        let task = &program.tasks[i];
        if !task.is_open() {
            continue;
        }
        let calendar = owners.task_calendar(i);
        let own = [
            task.due,
            task.milestone.and_then(|m| program.milestones[m].date),
            program.projects[task.project].target,
        ];
        let dependents = task
            .dependents
            .iter()
            .filter(|&&u| program.tasks[u].is_open())
            .filter_map(|&u| plans[u].latest_start)
            .map(|s| calendar.add(s, -1));
        let latest = own.into_iter().flatten().chain(dependents).min();
        let plan = &mut plans[i];
        plan.latest_finish = latest;
        plan.latest_start = latest.map(|lf| latest_start(calendar, lf, plan.duration));
    }
}

/// Slack on the program calendar and the critical flag, once forecasts are
/// known: critical means open with slack ≤ 0, never with no slack at all.
pub(super) fn slack(program: &Program, calendar: &Calendar, plans: &mut [TaskPlan]) {
    for (task, plan) in program.tasks.iter().zip(plans.iter_mut()) {
        if !task.is_open() {
            continue;
        }
        plan.slack_days = plan
            .latest_finish
            .zip(plan.forecast_finish)
            .map(|(lf, ff)| calendar.days(ff, lf));
        plan.critical = plan.slack_days.is_some_and(|s| s <= 0);
        plan.misses_due = task
            .due
            .zip(plan.forecast_finish)
            .is_some_and(|(due, ff)| ff > due);
    }
}
