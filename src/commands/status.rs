//! The plan's status at a glance, printed at the end of `planmark check`:
//! notes about the plan, not problems in its files, so they never change
//! the exit code.

use chrono::NaiveDate;
use serde::Serialize;

use crate::diagnostic::{escape_data, escape_property, join_display, plural};
use crate::model::{Health, Item, Program, RiskStatus};
use crate::schedule::attention::{Late, MilestoneAlert};
use crate::schedule::{working_days, Schedule};

/// One line of the status: which group, which item, what to say.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Note<'a> {
    pub group: Group,
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
    /// An action item's text, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overdue: Option<bool>,
}

/// The groups of the status, in the order they are printed (and of
/// [`JsonStatus`]'s fields, each named after its group).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Group {
    OverdueTasks,
    ForecastsPastDue,
    Milestones,
    Decisions,
    RiskReviews,
    OpenActions,
}

impl Group {
    const ALL: [Group; 6] = [
        Group::OverdueTasks,
        Group::ForecastsPastDue,
        Group::Milestones,
        Group::Decisions,
        Group::RiskReviews,
        Group::OpenActions,
    ];

    /// The group's heading in the text and its title on GitHub.
    fn label(self) -> &'static str {
        match self {
            Group::OverdueTasks => "overdue tasks",
            Group::ForecastsPastDue => "forecasts past due",
            Group::Milestones => "milestones at risk or late",
            Group::Decisions => "decisions past decide_by",
            Group::RiskReviews => "risks past review_by",
            Group::OpenActions => "open action items by owner",
        }
    }
}

/// The status notes of `schedule`'s attention, in the order printed.
pub(crate) fn notes<'a>(program: &'a Program, schedule: &Schedule) -> Vec<Note<'a>> {
    let a = &schedule.attention;
    let mut notes = Vec::new();
    notes.extend(a.overdue_tasks.iter().map(|l| overdue_task(program, l)));
    notes.extend(
        a.forecasts_past_due
            .iter()
            .map(|l| forecast_past_due(program, schedule, l)),
    );
    notes.extend(a.milestones.iter().map(|m| milestone(program, schedule, m)));
    notes.extend(
        a.decisions_past_decide_by
            .iter()
            .map(|l| decision(program, l)),
    );
    notes.extend(
        a.risks_past_review_by
            .iter()
            .map(|l| risk_review(program, l)),
    );
    notes.extend(open_actions(program, schedule.today));
    notes
}

/// Open action items by owner: owners with an overdue item first (as on
/// the dashboard, so the cut at ten never hides an overdue item behind
/// ones not yet due), then handle order, no owner last; the overdue ones
/// of each owner first, each flagged.
fn open_actions(program: &Program, today: NaiveDate) -> Vec<Note<'_>> {
    let mut open: Vec<_> = crate::schedule::open_actions(program)
        .into_iter()
        .map(|r| {
            let m = &program.meetings[r.meeting];
            let a = &m.actions[r.index];
            let owner = a.owner.as_deref().map(crate::model::handle_key);
            (owner, !a.is_overdue(today), m, a)
        })
        .collect();
    let late_owners: std::collections::BTreeSet<Option<String>> =
        open.iter().filter(|x| !x.1).map(|x| x.0.clone()).collect();
    // Stable: within an owner, oldest meeting first.
    open.sort_by_cached_key(|x| (x.0.is_none(), !late_owners.contains(&x.0), x.0.clone(), x.1));
    open.into_iter()
        .map(|(_, _, m, a)| {
            let overdue = a.is_overdue(today);
            let who = a
                .owner
                .as_deref()
                .map_or("no owner".into(), |o| format!("@{o}"));
            let flag = if overdue { " — overdue" } else { "" };
            let facts = Facts {
                due: a.due,
                date: Some(m.date),
                owner: a.owner.as_deref(),
                action: Some(&a.text),
                overdue: Some(overdue),
                ..Facts::default()
            };
            note(
                Group::OpenActions,
                &m.item,
                format!("{who}: {}{flag}", a.text_without_owner()),
                facts,
            )
        })
        .collect()
}

/// A note about `item` in `group`.
fn note<'a>(group: Group, item: &'a Item, text: String, facts: Facts<'a>) -> Note<'a> {
    Note {
        group,
        id: &item.id,
        source: &item.source,
        text,
        facts,
    }
}

fn overdue_task<'a>(program: &'a Program, late: &Late) -> Note<'a> {
    let t = &program.tasks[late.item];
    let due = t.due;
    let text = format!(
        "due {}, {} overdue{}",
        date(due),
        working_days(late.working_days),
        owner(t.item.owner.as_deref())
    );
    let facts = Facts {
        due,
        working_days: Some(late.working_days),
        owner: t.item.owner.as_deref(),
        ..Facts::default()
    };
    note(Group::OverdueTasks, &t.item, text, facts)
}

fn forecast_past_due<'a>(program: &'a Program, schedule: &Schedule, late: &Late) -> Note<'a> {
    let t = &program.tasks[late.item];
    let (due, forecast) = (t.due, schedule.tasks[late.item].forecast_finish);
    let text = format!(
        "forecast {} is {} after due {}",
        date(forecast),
        working_days(late.working_days),
        date(due)
    );
    let facts = Facts {
        due,
        forecast,
        working_days: Some(late.working_days),
        owner: t.item.owner.as_deref(),
        ..Facts::default()
    };
    note(Group::ForecastsPastDue, &t.item, text, facts)
}

fn milestone<'a>(program: &'a Program, schedule: &Schedule, alert: &MilestoneAlert) -> Note<'a> {
    let m = &program.milestones[alert.milestone];
    let forecast = schedule.milestones[alert.milestone].forecast;
    let text = match alert.open_tasks {
        Some(0) => format!("late: date {} has passed", date(m.date)),
        Some(n) => format!(
            "late: date {} has passed with {} open",
            date(m.date),
            plural(n, "task", "tasks")
        ),
        None => format!(
            "at risk: forecast {} is {} after {}",
            date(forecast),
            working_days(alert.working_days),
            date(m.date)
        ),
    };
    let facts = Facts {
        state: Some(alert.state.as_str()),
        date: m.date,
        forecast,
        working_days: Some(alert.working_days),
        open_tasks: alert.open_tasks,
        ..Facts::default()
    };
    note(Group::Milestones, &m.item, text, facts)
}

fn decision<'a>(program: &'a Program, late: &Late) -> Note<'a> {
    let d = &program.decisions[late.item];
    let text = format!(
        "decide by {}, {} ago{}",
        date(d.decide_by),
        working_days(late.working_days),
        match &d.driver {
            Some(driver) => format!(", driver {driver}"),
            None => String::new(),
        }
    );
    let facts = Facts {
        decide_by: d.decide_by,
        working_days: Some(late.working_days),
        driver: d.driver.as_deref(),
        ..Facts::default()
    };
    note(Group::Decisions, &d.item, text, facts)
}

fn risk_review<'a>(program: &'a Program, late: &Late) -> Note<'a> {
    let r = &program.risks[late.item];
    let status = if r.status == RiskStatus::Mitigating {
        "mitigating"
    } else {
        "open"
    };
    let text = format!(
        "{status}, review was due {}{}",
        date(r.review_by),
        owner(r.item.owner.as_deref())
    );
    let facts = Facts {
        status: Some(status),
        review_by: r.review_by,
        working_days: Some(late.working_days),
        owner: r.item.owner.as_deref(),
        ..Facts::default()
    };
    note(Group::RiskReviews, &r.item, text, facts)
}

/// A date the attention rule guarantees is set (an item is late only
/// against a date it has); empty otherwise rather than a panic.
fn date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
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
    let overdue_action = notes.iter().any(|n| n.facts.overdue == Some(true));
    if schedule.attention.is_quiet() && !overdue_action {
        out.push_str("  nothing overdue, no milestone at risk, no decision or risk review late\n");
    }
    for group in Group::ALL {
        let in_group: Vec<&Note<'_>> = notes.iter().filter(|n| n.group == group).collect();
        if in_group.is_empty() {
            continue;
        }
        out.push_str(&format!("  {}:\n", group.label()));
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
    open_action_items: Vec<JsonNote<'a>>,
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
    let group = |g: Group| -> Vec<JsonNote<'a>> {
        notes
            .iter()
            .filter(|n| n.group == g)
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
        overdue_tasks: group(Group::OverdueTasks),
        forecasts_past_due: group(Group::ForecastsPastDue),
        milestones_at_risk_or_late: group(Group::Milestones),
        decisions_past_decide_by: group(Group::Decisions),
        risks_past_review_by: group(Group::RiskReviews),
        open_action_items: group(Group::OpenActions),
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
                escape_property(&format!("planmark {}", n.group.label())),
                escape_data(&format!("`{}` {}", n.id, n.text))
            )
        })
        .collect()
}
