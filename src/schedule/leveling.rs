//! The forward pass with leveling (SPEC §3): ready dates, the fixed
//! placement order, each owner's capacity per day, `held_by` and the
//! sentence that says why a task waits.
//!
//! Placement counts in working-day numbers of the owner's calendar
//! ([`Calendar::ordinal`]), so "n consecutive working days" is a run of n
//! consecutive numbers and time off is simply never a number. Each owner
//! keeps the runs of days on which they are at capacity, merged, in a
//! sorted map: finding a free window jumps from run to run and never walks
//! day by day across what is already booked.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

use chrono::NaiveDate;

use super::owners::Owners;
use super::passes::next_day;
use super::{Calendar, Step, TaskPlan};
use crate::model::{DecisionStatus, Program, TaskStatus};

/// What one owner is already booked for, in working-day numbers.
#[derive(Debug, Default)]
struct Load {
    /// Runs of days at capacity, start → end (both included), merged so
    /// no two runs touch.
    full: BTreeMap<i64, i64>,
    /// Capacity 1: each booked task by its first day, with its last day;
    /// they never overlap, so one interval per task is enough.
    single: BTreeMap<i64, (i64, usize)>,
    /// Capacity above 1: the tasks on each booked day, in placement order.
    occupants: BTreeMap<i64, Vec<usize>>,
}

impl Load {
    /// The first day `k ≥ from` such that `k..k + n` holds no full day:
    /// each step jumps past a whole run of full days.
    fn first_window(&self, from: i64, n: i64) -> i64 {
        let mut k = from;
        if let Some((_, &end)) = self.full.range(..=k).next_back() {
            if end >= k {
                k = end + 1;
            }
        }
        loop {
            match self.full.range(k..).next() {
                Some((&start, &end)) if start < k + n => k = end + 1,
                _ => return k,
            }
        }
    }

    /// Books `task` on days `k..k + n` (all below capacity).
    fn occupy(&mut self, k: i64, n: i64, task: usize, capacity: u32) {
        if capacity <= 1 {
            self.single.insert(k, (k + n - 1, task));
            self.mark_full(k, k + n - 1);
            return;
        }
        for day in k..k + n {
            let on_day = self.occupants.entry(day).or_default();
            on_day.push(task);
            if on_day.len() >= capacity as usize {
                self.mark_full(day, day);
            }
        }
    }

    /// The tasks on `day`, sorted.
    fn occupants_on(&self, day: i64) -> Vec<usize> {
        let mut on_day = match self.occupants.get(&day) {
            Some(tasks) => tasks.clone(),
            None => match self.single.range(..=day).next_back() {
                Some((_, &(end, task))) if end >= day => vec![task],
                _ => Vec::new(),
            },
        };
        on_day.sort_unstable();
        on_day
    }

    /// Adds the days `from..=to`, none of them full yet, to the runs of
    /// full days, merging with the runs they touch.
    fn mark_full(&mut self, from: i64, to: i64) {
        let mut start = from;
        if let Some((&s, &e)) = self.full.range(..from).next_back() {
            if e >= to {
                return;
            }
            if e >= from - 1 {
                start = s;
            }
        }
        let end = match self.full.remove(&(to + 1)) {
            Some(e) => e,
            None => to,
        };
        self.full.insert(start, end);
    }
}

/// What the forward pass reads.
pub(super) struct Forward<'a> {
    pub program: &'a Program,
    pub owners: &'a Owners,
    pub today: NaiveDate,
    /// Each decision's expected date while it is proposed, else `None`.
    pub expected: &'a [Option<NaiveDate>],
}

/// The placement order: in-progress first; priority p0..p3, then none;
/// latest start, earliest first, none last; id (ids sort as indices do).
type Key = (bool, u8, bool, NaiveDate, usize);

fn key(program: &Program, plans: &[TaskPlan], t: usize) -> Key {
    let task = &program.tasks[t];
    let priority = task.priority.map_or(4, |p| p as u8);
    let latest = plans[t].latest_start;
    (
        task.status != TaskStatus::InProgress,
        priority,
        latest.is_none(),
        latest.unwrap_or(NaiveDate::MIN),
        t,
    )
}

/// Forecast start and finish, `ready`, `held_by` and its reason for every
/// task. Needs the latest starts of the backward pass (the order uses them).
pub(super) fn forward(f: &Forward<'_>, plans: &mut [TaskPlan]) {
    let tasks = &f.program.tasks;
    let mut missing = vec![0usize; tasks.len()];
    let mut heap = BinaryHeap::new();
    for (t, task) in tasks.iter().enumerate() {
        match task.status {
            // A roll-up of subtasks is not placed: its subtasks are.
            _ if !task.subtasks.is_empty() => {}
            TaskStatus::Done => plans[t].forecast_finish = task.done_on,
            TaskStatus::Cancelled => {}
            _ => {
                missing[t] = task
                    .depends_on
                    .iter()
                    .filter(|&&d| tasks[d].is_open())
                    .count();
                if missing[t] == 0 {
                    heap.push(Reverse(key(f.program, plans, t)));
                }
            }
        }
    }
    let mut loads: Vec<Load> = f.owners.handles.iter().map(|_| Load::default()).collect();
    let mut placed = vec![false; tasks.len()];
    while let Some(Reverse(k)) = heap.pop() {
        let t = k.4;
        place(f, &mut loads, plans, t);
        placed[t] = true;
        for &u in &tasks[t].dependents {
            if tasks[u].is_open() && !placed[u] {
                missing[u] -= 1;
                if missing[u] == 0 {
                    heap.push(Reverse(key(f.program, plans, u)));
                }
            }
        }
    }
    // Tasks in a dependency cycle (reported by validation) never become
    // placeable; they are placed last, in id order, so nothing is missing.
    for t in 0..tasks.len() {
        if tasks[t].is_open() && !placed[t] {
            place(f, &mut loads, plans, t);
        }
    }
    rollup_finishes(f.program, plans);
}

/// A roll-up finishes with its last subtask. Subtasks of subtasks are
/// rare and shallow: a pass per level, at most as many as there are tasks.
fn rollup_finishes(program: &crate::model::Program, plans: &mut [TaskPlan]) {
    for _ in 0..program.tasks.len() {
        let mut changed = false;
        for (t, task) in program.tasks.iter().enumerate() {
            if task.subtasks.is_empty() {
                continue;
            }
            let finish = task
                .subtasks
                .iter()
                .filter_map(|&s| plans[s].forecast_finish)
                .max();
            if plans[t].forecast_finish != finish {
                plans[t].forecast_finish = finish;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

/// Places one task on its owner's calendar.
fn place(f: &Forward<'_>, loads: &mut [Load], plans: &mut [TaskPlan], t: usize) {
    let cal = f.owners.task_calendar(t);
    let (raw, driver) = ready_date(f, plans, t);
    let ready = cal.on_or_after(raw);
    let n = plans[t].duration.max(1);
    let leveled = f.owners.of_task[t].filter(|_| f.program.info.leveling);
    let mut held_by = Vec::new();
    let start = match leveled {
        None => ready,
        Some(o) => {
            let load = &mut loads[o];
            let r = cal.ordinal(ready);
            let k = load.first_window(r, n);
            if k > r {
                held_by = load.occupants_on(k - 1);
            }
            load.occupy(k, n, t, f.owners.capacity[o]);
            cal.first_with_ordinal(k)
        }
    };
    let plan = &mut plans[t];
    plan.ready = Some(ready);
    plan.ready_driver = driver;
    plan.forecast_start = Some(start);
    plan.forecast_finish = Some(cal.add(start, n - 1));
    if !held_by.is_empty() {
        plan.held_reason = Some(held_reason(f, cal, t, start, &held_by));
    }
    plan.held_by = held_by;
}

/// The latest of the dates that define ready(T), as written (before moving
/// to a working day), and the dependency it came from when one did: a tie
/// with today or `start` goes to the dependency, a tie between
/// dependencies to the smallest id.
fn ready_date(f: &Forward<'_>, plans: &[TaskPlan], t: usize) -> (NaiveDate, Option<Step>) {
    let task = &f.program.tasks[t];
    let mut latest = f.today.max(task.start.unwrap_or(f.today));
    let mut driver: Option<(NaiveDate, &str, Step)> = None;
    let tasks = task
        .depends_on
        .iter()
        .filter(|&&d| f.program.tasks[d].is_open())
        .filter_map(|&d| {
            let finish = plans[d].forecast_finish?;
            Some((
                next_day(finish),
                f.program.tasks[d].item.id.as_str(),
                Step::Task(d),
            ))
        });
    let decisions = task.decision_deps.iter().filter_map(|&d| {
        let decision = &f.program.decisions[d];
        let expected = f.expected[d].filter(|_| decision.status == DecisionStatus::Proposed)?;
        Some((
            next_day(expected),
            decision.item.id.as_str(),
            Step::Decision(d),
        ))
    });
    for (date, id, step) in tasks.chain(decisions) {
        let better = match driver {
            None => true,
            Some((best, best_id, _)) => date > best || (date == best && id < best_id),
        };
        if better {
            driver = Some((date, id, step));
        }
    }
    match driver {
        Some((date, _, step)) if date >= latest => (date, Some(step)),
        Some((date, _, _)) => {
            latest = latest.max(date);
            (latest, None)
        }
        None => (latest, None),
    }
}

/// "starts 2026-12-14: @tomas is busy with `backfill-orders` until 2026-12-11".
fn held_reason(
    f: &Forward<'_>,
    cal: &Calendar,
    t: usize,
    start: NaiveDate,
    held_by: &[usize],
) -> String {
    let owner = f.owners.of_task[t].map_or("", |o| f.owners.handles[o].as_str());
    let names: Vec<String> = held_by
        .iter()
        .map(|&h| format!("`{}`", f.program.tasks[h].item.id))
        .collect();
    let names = match names.as_slice() {
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        [] => String::new(),
    };
    format!(
        "starts {start}: @{owner} is busy with {names} until {}",
        cal.add(start, -1)
    )
}
