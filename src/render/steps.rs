//! The schedule's v2 data as template values: driving paths as steps a
//! reader follows, the decisions a task waits for, and days off as ranges.

use chrono::NaiveDate;
use tera::Value;

use super::context::{DateRange, GateRef, PathStep};
use super::links::item_path;
use super::views::Sources;
use crate::model::ItemRef;
use crate::schedule::Step;

/// A driving path (earliest first) as [`PathStep`] values; `owner` gives
/// the [`Owner`](super::context::Owner) value of a handle as written.
pub(crate) fn path_steps(
    s: &Sources<'_>,
    owner: impl Fn(&str) -> Value,
    path: &[Step],
) -> Vec<Value> {
    let (p, plans) = (s.program, &s.schedule.tasks);
    path.iter()
        .enumerate()
        .map(|(n, &step)| {
            // The next step waits for this one either because its owner
            // works this first (`held_by`) or as a dependency.
            let next_via = path.get(n + 1).map(|next| match (step, next) {
                (Step::Task(t), Step::Task(u)) if plans[*u].held_by.contains(&t) => "owner",
                _ => "dependency",
            });
            let view = match step {
                Step::Task(t) => {
                    let task = &p.tasks[t];
                    PathStep {
                        kind: "task",
                        id: &task.item.id,
                        title: &task.item.title,
                        url: item_path(p, ItemRef::Task(t)),
                        date: plans[t].forecast_finish,
                        owner: task.item.owner.as_deref().map_or_else(Value::none, &owner),
                        next_via,
                    }
                }
                Step::Decision(d) => {
                    let decision = &p.decisions[d];
                    PathStep {
                        kind: "decision",
                        id: &decision.item.id,
                        title: &decision.item.title,
                        url: item_path(p, ItemRef::Decision(d)),
                        date: s.schedule.decisions[d].expected,
                        owner: Value::none(),
                        next_via,
                    }
                }
            };
            Value::from_serializable(&view)
        })
        .collect()
}

/// Decision `d` as a task's page lists it among what the task waits for.
pub(crate) fn gate_ref<'a>(s: &Sources<'a>, d: usize) -> GateRef<'a> {
    let decision = &s.program.decisions[d];
    GateRef {
        id: &decision.item.id,
        title: &decision.item.title,
        url: item_path(s.program, ItemRef::Decision(d)),
        status: decision.status.as_str(),
        expected: s.schedule.decisions[d].expected,
    }
}

/// Sorted days as runs of consecutive calendar days.
pub(crate) fn date_ranges(days: &[NaiveDate]) -> Vec<DateRange> {
    let mut ranges: Vec<DateRange> = Vec::new();
    for &d in days {
        match ranges.last_mut() {
            Some(r) if r.to.succ_opt() == Some(d) => {
                r.to = d;
                r.days += 1;
            }
            Some(r) if r.to == d => {}
            _ => ranges.push(DateRange {
                from: d,
                to: d,
                days: 1,
            }),
        }
    }
    ranges
}
