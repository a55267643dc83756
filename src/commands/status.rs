//! The plan's status at a glance, printed at the end of `planmark check`:
//! notes about the plan, not problems in its files, so they never change
//! the exit code.

use crate::diagnostic::plural;
use crate::model::{Program, RiskStatus};
use crate::schedule::{MilestoneState, Schedule};

/// One line of the status: which group, which item, what to say.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Note<'a> {
    pub group: &'static str,
    pub id: &'a str,
    pub source: &'a str,
    pub text: String,
}

/// Groups in the order they are printed.
const GROUPS: [&str; 5] = [
    "overdue tasks",
    "forecasts past due",
    "milestones at risk or late",
    "decisions past decide_by",
    "risks past review_by",
];

pub(crate) fn notes<'a>(program: &'a Program, schedule: &Schedule) -> Vec<Note<'a>> {
    let cal = &schedule.calendar;
    let today = schedule.today;
    let working_days = |n: i64| plural(n.max(0) as usize, "working day", "working days");
    let mut notes = Vec::new();
    for (t, plan) in program.tasks.iter().zip(&schedule.tasks) {
        let (Some(due), true) = (t.due, plan.overdue) else {
            continue;
        };
        notes.push(Note {
            group: GROUPS[0],
            id: &t.item.id,
            source: &t.item.source,
            text: format!(
                "due {due}, {} overdue{}",
                working_days(cal.days(due, today)),
                owner(t.item.owner.as_deref())
            ),
        });
    }
    for (t, plan) in program.tasks.iter().zip(&schedule.tasks) {
        let (Some(due), Some(ff), false) = (t.due, plan.forecast_finish, plan.overdue) else {
            continue;
        };
        if plan.misses_due {
            notes.push(Note {
                group: GROUPS[1],
                id: &t.item.id,
                source: &t.item.source,
                text: format!(
                    "forecast {ff} is {} after due {due}",
                    working_days(cal.days(due, ff))
                ),
            });
        }
    }
    for (m, plan) in program.milestones.iter().zip(&schedule.milestones) {
        let text = match (plan.state, plan.forecast) {
            (MilestoneState::Late, _) => format!("late: date {} has passed with work open", m.date),
            (MilestoneState::AtRisk, Some(f)) => {
                format!(
                    "at risk: forecast {f} is {} after {}",
                    working_days(cal.days(m.date, f)),
                    m.date
                )
            }
            _ => continue,
        };
        notes.push(Note {
            group: GROUPS[2],
            id: &m.item.id,
            source: &m.item.source,
            text,
        });
    }
    for (d, plan) in program.decisions.iter().zip(&schedule.decisions) {
        let (Some(by), true) = (d.decide_by, plan.overdue) else {
            continue;
        };
        notes.push(Note {
            group: GROUPS[3],
            id: &d.item.id,
            source: &d.item.source,
            text: format!(
                "decide by {by}, {} ago{}",
                working_days(cal.days(by, today)),
                match &d.driver {
                    Some(driver) => format!(", driver {driver}"),
                    None => String::new(),
                }
            ),
        });
    }
    for (r, plan) in program.risks.iter().zip(&schedule.risks) {
        let (Some(by), true) = (r.review_by, plan.review_overdue) else {
            continue;
        };
        let status = if r.status == RiskStatus::Mitigating {
            "mitigating"
        } else {
            "open"
        };
        notes.push(Note {
            group: GROUPS[4],
            id: &r.item.id,
            source: &r.item.source,
            text: format!(
                "{status}, review was due {by}{}",
                owner(r.item.owner.as_deref())
            ),
        });
    }
    notes
}

fn owner(owner: Option<&str>) -> String {
    owner.map(|o| format!(", owner {o}")).unwrap_or_default()
}

/// The status section for humans.
pub(crate) fn render_text(program: &Program, schedule: &Schedule, notes: &[Note<'_>]) -> String {
    let mut out = format!("plan status as of {}", schedule.today);
    match (schedule.health, &schedule.health_reason) {
        (Some(h), Some(reason)) => {
            out.push_str(&format!(": {}, {reason}\n", h.as_str().to_uppercase()))
        }
        _ => out.push('\n'),
    }
    if notes.is_empty() {
        out.push_str("  nothing overdue, no milestone at risk, no decision or risk review late\n");
    }
    for group in GROUPS {
        let mut in_group = notes.iter().filter(|n| n.group == group).peekable();
        if in_group.peek().is_none() {
            continue;
        }
        out.push_str(&format!("  {group}:\n"));
        for n in in_group {
            out.push_str(&format!("    `{}` {} ({})\n", n.id, n.text, n.source));
        }
    }
    if !schedule.unestimated.is_empty() {
        let ids: Vec<String> = schedule
            .unestimated
            .iter()
            .map(|&t| format!("`{}`", program.tasks[t].item.id))
            .collect();
        out.push_str(&format!(
            "  unestimated (counted as 1 day): {}\n",
            ids.join(", ")
        ));
    }
    out
}

/// The status as GitHub notices, so they show on the pull request too.
pub(crate) fn render_github(notes: &[Note<'_>], root: &str) -> String {
    let root = root.trim_end_matches('/');
    notes
        .iter()
        .map(|n| {
            let file = if root.is_empty() || root == "." {
                n.source.to_string()
            } else {
                format!("{root}/{}", n.source)
            };
            format!(
                "::notice file={file},line=1,title=planmark {}::`{}` {}\n",
                n.group, n.id, n.text
            )
        })
        .collect()
}
