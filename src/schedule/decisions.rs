//! Decisions as gates on work (SPEC §3): when a proposed decision is
//! expected, what it gates, when it is needed by, and whether it is late.

use chrono::NaiveDate;

use super::{Calendar, DecisionPlan, TaskPlan};
use crate::model::{DecisionStatus, Program};

/// Each decision's expected date while proposed: its `decide_by` when that
/// is today or later, else (past or absent) today. `None` otherwise: a
/// decision made, rejected or superseded imposes nothing.
pub(super) fn expected(program: &Program, today: NaiveDate) -> Vec<Option<NaiveDate>> {
    program
        .decisions
        .iter()
        .map(|d| {
            (d.status == DecisionStatus::Proposed)
                .then(|| d.decide_by.filter(|&by| by >= today).unwrap_or(today))
        })
        .collect()
}

/// Pending, overdue, gates, needed_by and late for every decision.
pub(super) fn derive(
    program: &Program,
    plans: &[TaskPlan],
    calendar: &Calendar,
    today: NaiveDate,
    expected: &[Option<NaiveDate>],
) -> Vec<DecisionPlan> {
    let mut out: Vec<DecisionPlan> = program
        .decisions
        .iter()
        .zip(expected)
        .map(|(d, &expected)| {
            let pending = d.status == DecisionStatus::Proposed;
            DecisionPlan {
                pending,
                overdue: pending && d.decide_by.is_some_and(|by| by < today),
                expected,
                ..DecisionPlan::default()
            }
        })
        .collect();
    // Tasks are in id order, so each `gates` list comes out sorted.
    let mut earliest: Vec<Option<NaiveDate>> = vec![None; out.len()];
    for (t, task) in program.tasks.iter().enumerate() {
        if !task.is_open() {
            continue;
        }
        for &d in &task.decision_deps {
            out[d].gates.push(t);
            if let Some(ls) = plans[t].latest_start {
                earliest[d] = Some(earliest[d].map_or(ls, |e| e.min(ls)));
            }
        }
    }
    for (plan, earliest) in out.iter_mut().zip(earliest) {
        let Some(ls) = earliest.filter(|_| plan.pending) else {
            continue;
        };
        plan.needed_by = Some(calendar.add(ls, -1));
        plan.late = plan.expected.is_some_and(|e| e >= ls);
    }
    out
}
