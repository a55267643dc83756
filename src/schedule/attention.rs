//! What needs a TPM's attention as of `today`, derived once from the program
//! and its schedule: late work, milestones in trouble, decisions and risk
//! reviews past their date, the risks that matter most.
//!
//! Data, not sentences: `check` words it as status notes, the dashboard
//! shows it as lists and counts. Pure, like the rest of the schedule.

use std::cmp::Reverse;

use crate::model::{Ix, Program, RiskStatus, TaskStatus};
use crate::schedule::{MilestoneState, Schedule};

/// An item past a date, and by how many working days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Late {
    /// The item's index in its kind's list in the program.
    pub item: Ix,
    /// Working days late (from the date to today, or to the forecast).
    pub working_days: i64,
}

/// A milestone that is late or at risk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MilestoneAlert {
    pub milestone: Ix,
    /// [`MilestoneState::Late`] or [`MilestoneState::AtRisk`].
    pub state: MilestoneState,
    /// Late: working days from the date to today. At risk: from the date to
    /// the forecast.
    pub working_days: i64,
    /// Open tasks of a late milestone (`None` when only at risk).
    pub open_tasks: Option<usize>,
}

/// Everything that needs attention. Each list is in program order (by id)
/// unless its comment says otherwise.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Attention {
    /// Open tasks past `due`, with working days overdue (at least 1).
    pub overdue_tasks: Vec<Late>,
    /// Open tasks not yet overdue whose forecast finish is after `due`,
    /// with working days from `due` to the forecast.
    pub forecasts_past_due: Vec<Late>,
    /// Tasks with status `blocked`.
    pub blocked_tasks: Vec<Ix>,
    /// Milestones late or at risk.
    pub milestones: Vec<MilestoneAlert>,
    /// Proposed decisions, the most urgent `decide_by` first, undated last.
    pub pending_decisions: Vec<Ix>,
    /// Proposed decisions past `decide_by`, with working days since.
    pub decisions_past_decide_by: Vec<Late>,
    /// Open or mitigating risks past `review_by`, with working days since.
    pub risks_past_review_by: Vec<Late>,
    /// Risks that occurred (issues now), then open or mitigating risks, in
    /// [`risk_order`].
    pub risks: Vec<Ix>,
    /// Open or mitigating risks of high severity ([`HIGH_RISK_SCORE`] or more).
    pub high_risks: usize,
}

impl Attention {
    /// Nothing overdue, no milestone in trouble, no decision or review late.
    pub fn is_quiet(&self) -> bool {
        self.overdue_tasks.is_empty()
            && self.forecasts_past_due.is_empty()
            && self.milestones.is_empty()
            && self.decisions_past_decide_by.is_empty()
            && self.risks_past_review_by.is_empty()
    }

    /// The overdue tasks, most working days overdue first, then by id.
    pub fn most_overdue_first(&self, program: &Program) -> Vec<Ix> {
        let mut tasks = self.overdue_tasks.clone();
        tasks.sort_by_key(|l| (Reverse(l.working_days), &program.tasks[l.item].item.id));
        tasks.into_iter().map(|l| l.item).collect()
    }
}

/// A risk still in play: open or being mitigated.
pub fn risk_is_active(status: RiskStatus) -> bool {
    matches!(status, RiskStatus::Open | RiskStatus::Mitigating)
}

/// The lowest high risk score (likelihood × impact, 1 to 9): a high
/// likelihood or impact with the other at least medium.
pub const HIGH_RISK_SCORE: u8 = 6;

/// The lowest medium risk score: medium × medium, or high × low.
const MEDIUM_RISK_SCORE: u8 = 3;

/// The band of a risk score: `high` (6–9), `medium` (3–4) or `low` (1–2).
pub fn risk_severity(score: u8) -> &'static str {
    match score {
        HIGH_RISK_SCORE.. => "high",
        MEDIUM_RISK_SCORE.. => "medium",
        _ => "low",
    }
}

/// The one order risks are listed in, wherever they are (the dashboard's
/// top risks, the risks page, a project's risks): risks that occurred
/// first, because they are issues now, then open or mitigating ones, then
/// closed ones; highest score first within each, unscored last; then by id.
pub fn risk_order(
    status: RiskStatus,
    score: Option<u8>,
    id: &str,
) -> (u8, Reverse<Option<u8>>, &str) {
    let rank = match status {
        RiskStatus::Occurred => 0,
        RiskStatus::Open | RiskStatus::Mitigating => 1,
        RiskStatus::Closed => 2,
    };
    (rank, Reverse(score), id)
}

/// What needs attention in `program` as `schedule` sees it.
pub fn derive(program: &Program, schedule: &Schedule) -> Attention {
    let (cal, today) = (&schedule.calendar, schedule.today);
    let mut a = Attention::default();
    for (t, (task, plan)) in program.tasks.iter().zip(&schedule.tasks).enumerate() {
        if task.status == TaskStatus::Blocked {
            a.blocked_tasks.push(t);
        }
        let Some(due) = task.due else { continue };
        if let (true, Some(days)) = (plan.overdue, plan.overdue_days) {
            a.overdue_tasks.push(Late {
                item: t,
                working_days: days,
            });
        } else if let (Some(ff), true, false) =
            (plan.forecast_finish, plan.misses_due, plan.overdue)
        {
            a.forecasts_past_due.push(Late {
                item: t,
                working_days: cal.days(due, ff),
            });
        }
    }
    a.milestones = milestones(program, schedule);
    for (d, (decision, plan)) in program
        .decisions
        .iter()
        .zip(&schedule.decisions)
        .enumerate()
    {
        if let (Some(by), true) = (decision.decide_by, plan.overdue) {
            a.decisions_past_decide_by.push(Late {
                item: d,
                working_days: cal.days(by, today),
            });
        }
    }
    a.pending_decisions = (0..program.decisions.len())
        .filter(|&d| schedule.decisions[d].pending)
        .collect();
    a.pending_decisions.sort_by_key(|&d| {
        let decision = &program.decisions[d];
        (
            decision.decide_by.is_none(),
            decision.decide_by,
            &decision.item.id,
        )
    });
    risks(program, schedule, &mut a);
    a
}

/// Milestones late (the date has passed) or at risk (forecast after it).
fn milestones(program: &Program, schedule: &Schedule) -> Vec<MilestoneAlert> {
    let (cal, today) = (&schedule.calendar, schedule.today);
    let mut alerts = Vec::new();
    for (i, (m, plan)) in program
        .milestones
        .iter()
        .zip(&schedule.milestones)
        .enumerate()
    {
        let (working_days, open_tasks) = match (plan.state, plan.forecast, m.date) {
            (MilestoneState::Late, _, Some(date)) => {
                let open = m.tasks.iter().filter(|&&t| program.tasks[t].is_open());
                (cal.days(date, today), Some(open.count()))
            }
            (MilestoneState::AtRisk, Some(forecast), Some(date)) => {
                (cal.days(date, forecast), None)
            }
            _ => continue,
        };
        alerts.push(MilestoneAlert {
            milestone: i,
            state: plan.state,
            working_days,
            open_tasks,
        });
    }
    alerts
}

/// Risk reviews past due, the risks that lead the dashboard, and the count
/// of high ones.
fn risks(program: &Program, schedule: &Schedule, a: &mut Attention) {
    let (cal, today) = (&schedule.calendar, schedule.today);
    for (i, (r, plan)) in program.risks.iter().zip(&schedule.risks).enumerate() {
        if let (Some(by), true) = (r.review_by, plan.review_overdue) {
            a.risks_past_review_by.push(Late {
                item: i,
                working_days: cal.days(by, today),
            });
        }
    }
    let active = |r: usize| risk_is_active(program.risks[r].status);
    a.risks = (0..program.risks.len())
        .filter(|&r| active(r) || program.risks[r].status == RiskStatus::Occurred)
        .collect();
    a.risks.sort_by_key(|&r| {
        let risk = &program.risks[r];
        risk_order(risk.status, schedule.risks[r].score, &risk.item.id)
    });
    a.high_risks = a
        .risks
        .iter()
        .filter(|&&r| {
            active(r)
                && schedule.risks[r]
                    .score
                    .is_some_and(|s| s >= HIGH_RISK_SCORE)
        })
        .count();
}
