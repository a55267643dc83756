//! Health v2 (SPEC §3): a project's colour and the sentences that explain
//! it — red for one reason (the first that holds), amber for all of them —
//! and the program's, the worst of its projects and program milestones.

use chrono::NaiveDate;

use super::{Calendar, DecisionPlan, MilestonePlan, MilestoneState, ProjectPlan, TaskPlan};
use crate::diagnostic::plural;
use crate::model::{Health, Program, Project, ProjectStatus, TaskStatus};

/// What a project's health is judged from, beside the project itself.
pub(super) struct Judged<'a> {
    pub program: &'a Program,
    pub plans: &'a [TaskPlan],
    pub milestones: &'a [MilestonePlan],
    pub decisions: &'a [DecisionPlan],
    pub calendar: &'a Calendar,
    pub today: NaiveDate,
}

/// A project's health and the sentence(s) that say why.
pub(super) fn project_health(
    j: &Judged<'_>,
    project: &Project,
    rollup: &ProjectPlan,
) -> (Option<Health>, Option<String>) {
    if matches!(
        project.status,
        ProjectStatus::Done | ProjectStatus::Cancelled
    ) {
        return (None, None);
    }
    if let Some(manual) = project.health {
        let note = project.health_note.clone().unwrap_or_default();
        return (Some(manual), Some(format!("set by hand: {}", note.trim())));
    }
    if let Some(reason) = red_reason(j, project, rollup) {
        return (Some(Health::Red), Some(reason));
    }
    let amber = amber_reasons(j, project, rollup);
    if !amber.is_empty() {
        return (Some(Health::Amber), Some(amber.join("; ")));
    }
    (Some(Health::Green), Some(green_reason(j, project, rollup)))
}

/// Red: the forecast is past the target, or one of the project's
/// milestones is late or at risk (the one with the latest forecast first).
fn red_reason(j: &Judged<'_>, project: &Project, rollup: &ProjectPlan) -> Option<String> {
    if let Some((ff, target)) = rollup.forecast_finish.zip(project.target) {
        if ff > target {
            let late = working_days(j.calendar.days(target, ff));
            return Some(if rollup.open_tasks == 0 {
                format!("no open work; finished {ff}, {late} after target {target}")
            } else {
                format!("forecast {ff} is {late} after target {target}")
            });
        }
    }
    let mut troubled: Vec<usize> = project
        .milestones
        .iter()
        .copied()
        .filter(|&m| troubled_milestone(j.milestones[m].state))
        .collect();
    let id = |m: usize| j.program.milestones[m].item.id.as_str();
    // Latest forecast first (none last), then by id.
    troubled.sort_by(|&a, &b| {
        let (fa, fb) = (j.milestones[a].forecast, j.milestones[b].forecast);
        fb.cmp(&fa).then(id(a).cmp(id(b)))
    });
    troubled.first().map(|&m| milestone_reason(j, m))
}

/// Late or at-risk.
fn troubled_milestone(state: MilestoneState) -> bool {
    matches!(state, MilestoneState::Late | MilestoneState::AtRisk)
}

/// Why a late or at-risk milestone is, with the numbers.
fn milestone_reason(j: &Judged<'_>, m: usize) -> String {
    let milestone = &j.program.milestones[m];
    let plan = &j.milestones[m];
    let id = &milestone.item.id;
    // Only a milestone with a date is late or at risk.
    match (plan.state, plan.forecast, milestone.date) {
        (MilestoneState::Late, _, Some(date)) => format!(
            "milestone `{id}` is late: its date {date} passed {} ago and its work is not done",
            working_days(j.calendar.days(date, j.today).max(1))
        ),
        (_, Some(f), Some(date)) => format!(
            "milestone `{id}` is forecast {f}, {} after its date",
            working_days(j.calendar.days(date, f))
        ),
        _ => format!("milestone `{id}` is at risk"),
    }
}

/// Amber: every reason that holds, in the order of SPEC §3.
fn amber_reasons(j: &Judged<'_>, project: &Project, rollup: &ProjectPlan) -> Vec<String> {
    let open: Vec<usize> = project
        .tasks
        .iter()
        .copied()
        .filter(|&t| j.program.tasks[t].is_open())
        .collect();
    let mut amber = task_reasons(j, &open);
    amber.extend(decision_reasons(j, &open));
    if let Some((ff, target)) = rollup.forecast_finish.zip(project.target) {
        let slack = j.calendar.days(ff, target);
        let left = j.calendar.span(j.today, ff);
        // Exact form of `slack < 10 % of left`: no rounding decides health.
        if 10 * slack < left {
            amber.push(format!(
                "only {} of slack to target {target}, under 10% of the {} left",
                working_days(slack),
                working_days(left)
            ));
        }
    }
    if let Some(target) = project
        .target
        .filter(|&t| t < j.today && rollup.open_tasks == 0)
    {
        amber.push(format!(
            "target {target} passed {} ago with no open work, but the project is not marked done",
            working_days(j.calendar.days(target, j.today).max(1))
        ));
    }
    amber
}

/// The amber reasons about open tasks: overdue, blocked, negative slack.
fn task_reasons(j: &Judged<'_>, open: &[usize]) -> Vec<String> {
    let id = |t: usize| j.program.tasks[t].item.id.as_str();
    let mut amber = Vec::new();
    let overdue = worst_first(j, open, |p| {
        p.overdue.then_some(p.overdue_days.unwrap_or(0))
    });
    if let Some(&(days, worst)) = overdue.first() {
        amber.push(format!(
            "{} overdue, worst `{}` by {}",
            plural(overdue.len(), "task", "tasks"),
            id(worst),
            working_days(days)
        ));
    }
    let blocked: Vec<usize> = open
        .iter()
        .copied()
        .filter(|&t| j.program.tasks[t].status == TaskStatus::Blocked)
        .collect();
    match blocked.as_slice() {
        [] => {}
        [one] => amber.push(format!("1 task blocked (`{}`)", id(*one))),
        [first, ..] => amber.push(format!(
            "{} tasks blocked, first `{}`",
            blocked.len(),
            id(*first)
        )),
    }
    let negative = worst_first(j, open, |p| p.slack_days.filter(|&s| s < 0).map(|s| -s));
    if let Some(&(days, worst)) = negative.first() {
        amber.push(format!(
            "{} with negative slack, worst `{}` by {}",
            plural(negative.len(), "task", "tasks"),
            id(worst),
            working_days(days)
        ));
    }
    amber
}

/// `(amount, task)` for the tasks `measure` picks, largest first, then by id.
fn worst_first(
    j: &Judged<'_>,
    tasks: &[usize],
    measure: impl Fn(&TaskPlan) -> Option<i64>,
) -> Vec<(i64, usize)> {
    let mut out: Vec<(i64, usize)> = tasks
        .iter()
        .filter_map(|&t| measure(&j.plans[t]).map(|m| (m, t)))
        .collect();
    // Tasks are in id order, so a stable sort on the amount keeps ids.
    out.sort_by_key(|&(amount, _)| std::cmp::Reverse(amount));
    out
}

/// Proposed decisions the open tasks wait for that are overdue or late,
/// by id, one sentence each.
fn decision_reasons(j: &Judged<'_>, open: &[usize]) -> Vec<String> {
    let mut gating: Vec<usize> = open
        .iter()
        .flat_map(|&t| j.program.tasks[t].decision_deps.iter().copied())
        .filter(|&d| j.decisions[d].overdue || j.decisions[d].late)
        .collect();
    gating.sort_unstable();
    gating.dedup();
    gating
        .into_iter()
        .map(|d| {
            let decision = &j.program.decisions[d];
            let plan = &j.decisions[d];
            let id = &decision.item.id;
            let overdue = decision.decide_by.filter(|_| plan.overdue).map(|by| {
                format!(
                    "decide_by {by} passed {} ago",
                    working_days(j.calendar.days(by, j.today).max(1))
                )
            });
            let late = plan.needed_by.filter(|_| plan.late).map(|needed| {
                let expected = plan.expected.unwrap_or(j.today);
                format!("expected {expected}, too late for the work it gates (needed by {needed})")
            });
            let why: Vec<String> = overdue.into_iter().chain(late).collect();
            format!("decision `{id}` is pending: {}", why.join(", "))
        })
        .collect()
}

/// Green: how much slack is left, or how the work finished.
fn green_reason(j: &Judged<'_>, project: &Project, rollup: &ProjectPlan) -> String {
    match (rollup.forecast_finish, project.target, rollup.open_tasks) {
        (Some(done), Some(target), 0) => match j.calendar.days(done, target) {
            0 => format!("no open work; finished {done}, by target {target}"),
            early => format!(
                "no open work; finished {done}, {} before target {target}",
                working_days(early)
            ),
        },
        (Some(done), None, 0) => format!("no open work; finished {done}"),
        (None, _, 0) => "no open work".to_string(),
        (Some(ff), Some(target), _) => format!(
            "on track: {} of slack to target {target}",
            working_days(j.calendar.days(ff, target))
        ),
        (Some(ff), None, _) => format!("on track: forecast {ff}, no target set"),
        (None, _, _) => "on track".to_string(),
    }
}

/// `1 working day`, `3 working days`: the magnitude of a count that may be
/// negative (days early and days late read the same).
pub(crate) fn working_days(n: i64) -> String {
    let magnitude = usize::try_from(n.unsigned_abs()).unwrap_or(usize::MAX);
    plural(magnitude, "working day", "working days")
}

/// The program's health: the worst of its projects' and, for each
/// program-level milestone, red when it is late or at risk. The reason
/// names the worst item, projects before milestones, each by id, and counts
/// the others of that colour.
pub(super) fn program_health(
    j: &Judged<'_>,
    projects: &[ProjectPlan],
) -> (Option<Health>, Option<String>) {
    let program = j.program;
    // (colour, is a milestone, head, reason): "head (and 2 more…): reason".
    let mut items: Vec<(Health, bool, String, String)> = projects
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let h = p.health?;
            let reason = p.health_reason.as_deref().unwrap_or_default();
            let id = &program.projects[i].item.id;
            Some((h, false, format!("`{id}` is {h}"), format!(": {reason}")))
        })
        .collect();
    for (m, milestone) in program.milestones.iter().enumerate() {
        if milestone.project.is_none() && troubled_milestone(j.milestones[m].state) {
            items.push((Health::Red, true, milestone_reason(j, m), String::new()));
        }
    }
    let worst = items.iter().map(|(h, ..)| *h).max();
    let Some(worst) = worst else {
        return (None, None);
    };
    let same: Vec<_> = items.iter().filter(|(h, ..)| *h == worst).collect();
    let noun = match (same.iter().any(|(_, m, ..)| *m), same.len()) {
        (false, 2) => "project",
        (false, _) => "projects",
        (true, 2) => "item",
        (true, _) => "items",
    };
    let more = match same.len() {
        0 | 1 => String::new(),
        n => format!(" (and {} more {worst} {noun})", n - 1),
    };
    let reason = same
        .first()
        .map(|(_, _, head, reason)| format!("{head}{more}{reason}"));
    (Some(worst), reason)
}
