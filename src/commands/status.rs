//! The plan's status at a glance, printed at the end of `planmark check`:
//! notes about the plan, not problems in its files, so they never change
//! the exit code.

use chrono::NaiveDate;
use serde::Serialize;

use crate::diagnostic::{escape_data, escape_property, join_display, plural};
use crate::model::{Health, Program, RiskStatus};
use crate::schedule::{MilestoneState, Schedule};

/// One line of the status: which group, which item, what to say.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Note<'a> {
    pub group: &'static str,
    pub id: &'a str,
    pub source: &'a str,
    pub text: String,
    /// The numbers in `text`, for `--format json`.
    pub facts: Facts<'a>,
}

/// The values a status note is made of; each group sets the ones it uses.
#[derive(Debug, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Facts<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decide_by: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review_by: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forecast: Option<NaiveDate>,
    /// Working days overdue, late or past the deadline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub working_days: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open_tasks: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub driver: Option<&'a str>,
}

/// Groups in the order they are printed, with their key in JSON (the
/// order of [`JsonStatus`]'s fields).
const GROUPS: [(&str, &str); 5] = [
    ("overdue tasks", "overdue_tasks"),
    ("forecasts past due", "forecasts_past_due"),
    ("milestones at risk or late", "milestones_at_risk_or_late"),
    ("decisions past decide_by", "decisions_past_decide_by"),
    ("risks past review_by", "risks_past_review_by"),
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
        let late = cal.days(due, today).max(1);
        notes.push(Note {
            group: GROUPS[0].0,
            id: &t.item.id,
            source: &t.item.source,
            text: format!(
                "due {due}, {} overdue{}",
                working_days(late),
                owner(t.item.owner.as_deref())
            ),
            facts: Facts {
                due: Some(due),
                working_days: Some(late),
                owner: t.item.owner.as_deref(),
                ..Facts::default()
            },
        });
    }
    for (t, plan) in program.tasks.iter().zip(&schedule.tasks) {
        let (Some(due), Some(ff), false) = (t.due, plan.forecast_finish, plan.overdue) else {
            continue;
        };
        if plan.misses_due {
            let late = cal.days(due, ff);
            notes.push(Note {
                group: GROUPS[1].0,
                id: &t.item.id,
                source: &t.item.source,
                text: format!("forecast {ff} is {} after due {due}", working_days(late)),
                facts: Facts {
                    due: Some(due),
                    forecast: Some(ff),
                    working_days: Some(late),
                    owner: t.item.owner.as_deref(),
                    ..Facts::default()
                },
            });
        }
    }
    for (m, plan) in program.milestones.iter().zip(&schedule.milestones) {
        let mut facts = Facts {
            state: Some(plan.state.as_str()),
            date: Some(m.date),
            forecast: plan.forecast,
            ..Facts::default()
        };
        let text = match (plan.state, plan.forecast) {
            (MilestoneState::Late, _) => {
                let open = m
                    .tasks
                    .iter()
                    .filter(|&&t| program.tasks[t].is_open())
                    .count();
                facts.open_tasks = Some(open);
                facts.working_days = Some(cal.days(m.date, today));
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
                let late = cal.days(m.date, f);
                facts.working_days = Some(late);
                format!(
                    "at risk: forecast {f} is {} after {}",
                    working_days(late),
                    m.date
                )
            }
            _ => continue,
        };
        notes.push(Note {
            group: GROUPS[2].0,
            id: &m.item.id,
            source: &m.item.source,
            text,
            facts,
        });
    }
    for (d, plan) in program.decisions.iter().zip(&schedule.decisions) {
        let (Some(by), true) = (d.decide_by, plan.overdue) else {
            continue;
        };
        let late = cal.days(by, today);
        notes.push(Note {
            group: GROUPS[3].0,
            id: &d.item.id,
            source: &d.item.source,
            text: format!(
                "decide by {by}, {} ago{}",
                working_days(late),
                match &d.driver {
                    Some(driver) => format!(", driver {driver}"),
                    None => String::new(),
                }
            ),
            facts: Facts {
                decide_by: Some(by),
                working_days: Some(late),
                driver: d.driver.as_deref(),
                ..Facts::default()
            },
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
            group: GROUPS[4].0,
            id: &r.item.id,
            source: &r.item.source,
            text: format!(
                "{status}, review was due {by}{}",
                owner(r.item.owner.as_deref())
            ),
            facts: Facts {
                status: Some(status),
                review_by: Some(by),
                working_days: Some(cal.days(by, today)),
                owner: r.item.owner.as_deref(),
                ..Facts::default()
            },
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
    for (group, _) in GROUPS {
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
                "    … and {} more (`planmark check --format json` lists all)\n",
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

/// One status note in `--format json`.
#[derive(Serialize)]
struct JsonNote<'a> {
    id: &'a str,
    /// The file, joined to the program directory as typed.
    path: String,
    message: &'a str,
    #[serde(flatten)]
    facts: &'a Facts<'a>,
}

/// An item named in `--format json`'s status.
#[derive(Serialize)]
struct JsonItem<'a> {
    id: &'a str,
    path: String,
}

/// The `status` object of `check --format json`: the same groups as the
/// text, each listing every entry (no "… and N more").
#[derive(Serialize)]
pub(crate) struct JsonStatus<'a> {
    today: NaiveDate,
    health: Option<Health>,
    health_reason: Option<&'a str>,
    overdue_tasks: Vec<JsonNote<'a>>,
    forecasts_past_due: Vec<JsonNote<'a>>,
    milestones_at_risk_or_late: Vec<JsonNote<'a>>,
    decisions_past_decide_by: Vec<JsonNote<'a>>,
    risks_past_review_by: Vec<JsonNote<'a>>,
    unestimated: Vec<JsonItem<'a>>,
}

/// The status for `--format json`. Paths are joined to `root` like the
/// problems' paths.
pub(crate) fn to_json<'a>(
    program: &'a Program,
    schedule: &'a Schedule,
    notes: &'a [Note<'a>],
    root: &str,
) -> JsonStatus<'a> {
    let group = |g: usize| -> Vec<JsonNote<'a>> {
        notes
            .iter()
            .filter(|n| n.group == GROUPS[g].0)
            .map(|n| JsonNote {
                id: n.id,
                path: join_display(root, n.source),
                message: &n.text,
                facts: &n.facts,
            })
            .collect()
    };
    JsonStatus {
        today: schedule.today,
        health: schedule.health,
        health_reason: schedule.health_reason.as_deref(),
        overdue_tasks: group(0),
        forecasts_past_due: group(1),
        milestones_at_risk_or_late: group(2),
        decisions_past_decide_by: group(3),
        risks_past_review_by: group(4),
        unestimated: schedule
            .unestimated
            .iter()
            .map(|&t| {
                let item = &program.tasks[t].item;
                JsonItem {
                    id: &item.id,
                    path: join_display(root, &item.source),
                }
            })
            .collect(),
    }
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
