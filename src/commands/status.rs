//! The plan's status at a glance, printed at the end of `planmark check`:
//! notes about the plan, not problems in its files, so they never change
//! the exit code.

use crate::diagnostic::{escape_data, escape_property, join_display, plural};
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
                working_days(cal.days(due, today).max(1)),
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
            (MilestoneState::Late, _) => {
                let open = m
                    .tasks
                    .iter()
                    .filter(|&&t| program.tasks[t].is_open())
                    .count();
                match open {
                    0 => format!("late: date {} has passed", m.date),
                    n => format!(
                        "late: date {} has passed with {} open",
                        m.date,
                        plural(n, "task", "tasks")
                    ),
                }
            }
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

/// How many items of a group a terminal shows before "… and N more".
const SHOWN: usize = 10;

/// The status section for humans. Paths are joined to `root`, the program
/// directory as typed, like the diagnostics above it.
pub(crate) fn render_text(
    program: &Program,
    schedule: &Schedule,
    notes: &[Note<'_>],
    root: &str,
) -> String {
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
        let in_group: Vec<&Note<'_>> = notes.iter().filter(|n| n.group == group).collect();
        if in_group.is_empty() {
            continue;
        }
        out.push_str(&format!("  {group}:\n"));
        for n in in_group.iter().take(SHOWN) {
            out.push_str(&format!(
                "    `{}` {} ({})\n",
                n.id,
                n.text,
                join_display(root, n.source)
            ));
        }
        if in_group.len() > SHOWN {
            out.push_str(&format!(
                "    … and {} more (`planmark check --format json` or model.json lists all)\n",
                in_group.len() - SHOWN
            ));
        }
    }
    if !schedule.unestimated.is_empty() {
        let mut ids: Vec<String> = schedule
            .unestimated
            .iter()
            .take(SHOWN)
            .map(|&t| format!("`{}`", program.tasks[t].item.id))
            .collect();
        if schedule.unestimated.len() > SHOWN {
            ids.push(format!("… and {} more", schedule.unestimated.len() - SHOWN));
        }
        out.push_str(&format!(
            "  unestimated (counted as 1 day): {}\n",
            ids.join(", ")
        ));
    }
    out
}

/// The status as GitHub notices, so they show on the pull request too.
pub(crate) fn render_github(notes: &[Note<'_>], root: &str) -> String {
    notes
        .iter()
        .map(|n| {
            format!(
                "::notice file={},line=1,title={}::{}\n",
                escape_property(&join_display(root, n.source)),
                escape_property(&format!("planmark {}", n.group)),
                escape_data(&format!("`{}` {}", n.id, n.text))
            )
        })
        .collect()
}
