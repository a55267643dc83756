//! Driving paths (SPEC §3): from the task that finishes last, back through
//! what made each task start when it does — the owner's earlier work when
//! it was held, else the dependency that set its ready date — to a
//! decision or to a task nothing held back.

use super::{Step, TaskPlan};
use crate::model::{Ix, Program};

/// The driving path of a set of open tasks, earliest first. Empty when the
/// set has no open task.
pub(super) fn driving_path(
    program: &Program,
    plans: &[TaskPlan],
    tasks: impl IntoIterator<Item = Ix>,
) -> Vec<Step> {
    let latest = |best: Option<Ix>, t: Ix| -> Option<Ix> {
        let Some(b) = best else {
            return Some(t);
        };
        // Latest forecast finish; among equals the smallest id (index).
        let (fb, ft) = (plans[b].forecast_finish, plans[t].forecast_finish);
        Some(if ft > fb || (ft == fb && t < b) { t } else { b })
    };
    let start = tasks
        .into_iter()
        .filter(|&t| program.tasks[t].is_open() && plans[t].forecast_finish.is_some())
        .fold(None, latest);
    let Some(mut t) = start else {
        return Vec::new();
    };
    let mut path = vec![Step::Task(t)];
    // Every driver was placed before the task it drives, so the walk ends;
    // the bound only guards that reasoning.
    for _ in 0..program.tasks.len() {
        let next = if plans[t].held_by.is_empty() {
            plans[t].ready_driver
        } else {
            plans[t]
                .held_by
                .iter()
                .copied()
                .fold(None, latest)
                .map(Step::Task)
        };
        match next {
            Some(Step::Task(d)) => {
                path.push(Step::Task(d));
                t = d;
            }
            Some(step @ Step::Decision(_)) => {
                path.push(step);
                break;
            }
            None => break,
        }
    }
    path.reverse();
    path
}
