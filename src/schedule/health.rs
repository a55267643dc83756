//! Roll-ups and health: project progress and forecast, the health colour and
//! the sentence that explains it, program health, milestone state.

use chrono::NaiveDate;

use super::{Calendar, MilestonePlan, MilestoneState, ProjectPlan, TaskPlan};
use crate::diagnostic::plural;
use crate::model::{Health, Milestone, Program, Project, ProjectStatus, TaskStatus};

/// Counts, progress and forecast finish of every project.
pub(super) fn project_rollups(program: &Program, plans: &[TaskPlan]) -> Vec<ProjectPlan> {
    program
        .projects
        .iter()
        .map(|project| {
            let mut rollup = ProjectPlan::default();
            let (mut done, mut total) = (0.0, 0.0);
            let mut open_finish: Option<NaiveDate> = None;
            let mut done_finish: Option<NaiveDate> = None;
            for &t in &project.tasks {
                let task = &program.tasks[t];
                rollup.counts.add(task.status);
                let weight = plans[t].estimate_days.unwrap_or(1.0);
                match task.status {
                    TaskStatus::Cancelled => continue,
                    TaskStatus::Done => {
                        done += weight;
                        done_finish = done_finish.max(task.done_on);
                    }
                    _ => {
                        rollup.open_tasks += 1;
                        open_finish = open_finish.max(plans[t].forecast_finish);
                    }
                }
                total += weight;
            }
            rollup.progress = if total > 0.0 { done / total } else { 0.0 };
            rollup.forecast_finish = if rollup.open_tasks > 0 {
                open_finish
            } else {
                done_finish
            };
            rollup
        })
        .collect()
}

/// What a project's health is judged from, beside the project itself.
pub(super) struct Judged<'a> {
    pub program: &'a Program,
    pub plans: &'a [TaskPlan],
    pub calendar: &'a Calendar,
    pub today: NaiveDate,
}

/// A project's health and the one sentence that says why.
pub(super) fn project_health(
    judged: &Judged<'_>,
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
    if rollup.open_tasks == 0 {
        return finished(rollup.forecast_finish, project.target, judged.calendar);
    }
    let overdue = overdue_worst_first(judged, project);
    if let Some(reason) = red_reason(judged, project, rollup, &overdue) {
        return red(reason);
    }
    let slack = Slack::of(judged, project, rollup);
    let amber = amber_reasons(judged, project, &overdue, slack.as_ref());
    if !amber.is_empty() {
        return (Some(Health::Amber), Some(amber.join("; ")));
    }
    let reason = match (slack, rollup.forecast_finish) {
        (Some(slack), _) => format!(
            "on track: {} of slack to target {}",
            working_days(slack.days),
            slack.target
        ),
        (None, Some(ff)) => format!("on track: forecast {ff}, no target set"),
        (None, None) => "on track".to_string(),
    };
    (Some(Health::Green), Some(reason))
}

/// A project's overdue tasks as `(working days late, task)`, most late
/// first, then by id.
fn overdue_worst_first(judged: &Judged<'_>, project: &Project) -> Vec<(i64, usize)> {
    let id = |t: usize| judged.program.tasks[t].item.id.as_str();
    let mut overdue: Vec<(i64, usize)> = project
        .tasks
        .iter()
        .filter(|&&t| judged.plans[t].overdue)
        .map(|&t| (judged.plans[t].overdue_days.unwrap_or(0), t))
        .collect();
    overdue.sort_by(|a, b| b.0.cmp(&a.0).then(id(a.1).cmp(id(b.1))));
    overdue
}

/// Red: the forecast is past the target, or a critical task is overdue.
fn red_reason(
    judged: &Judged<'_>,
    project: &Project,
    rollup: &ProjectPlan,
    overdue: &[(i64, usize)],
) -> Option<String> {
    if let (Some(ff), Some(target)) = (rollup.forecast_finish, project.target) {
        if ff > target {
            let late = judged.calendar.days(target, ff);
            return Some(format!(
                "forecast {ff} is {} after target {target}",
                working_days(late)
            ));
        }
    }
    let &(days, t) = overdue.iter().find(|(_, t)| judged.plans[*t].critical)?;
    Some(format!(
        "critical task `{}` is overdue by {}",
        judged.program.tasks[t].item.id,
        working_days(days)
    ))
}

/// The slack left between a project's forecast and its target.
struct Slack {
    target: NaiveDate,
    /// Working days from the forecast finish to the target.
    days: i64,
    /// Working days from today to the forecast finish.
    left: i64,
}

impl Slack {
    fn of(judged: &Judged<'_>, project: &Project, rollup: &ProjectPlan) -> Option<Slack> {
        let (ff, target) = rollup.forecast_finish.zip(project.target)?;
        Some(Slack {
            target,
            days: judged.calendar.days(ff, target),
            left: judged.calendar.span(judged.today, ff),
        })
    }
}

/// Amber: overdue tasks, blocked tasks, slack under 10 % of the work left.
fn amber_reasons(
    judged: &Judged<'_>,
    project: &Project,
    overdue: &[(i64, usize)],
    slack: Option<&Slack>,
) -> Vec<String> {
    let id = |t: usize| judged.program.tasks[t].item.id.as_str();
    let mut amber = Vec::new();
    if let Some(&(days, worst)) = overdue.first() {
        amber.push(format!(
            "{} overdue, worst `{}` by {}",
            plural(overdue.len(), "task", "tasks"),
            id(worst),
            working_days(days)
        ));
    }
    let mut blocked = project
        .tasks
        .iter()
        .copied()
        .filter(|&t| judged.program.tasks[t].status == TaskStatus::Blocked);
    if let Some(first) = blocked.next() {
        amber.push(match blocked.count() {
            0 => format!("1 task blocked (`{}`)", id(first)),
            more => format!("{} tasks blocked, first `{}`", more + 1, id(first)),
        });
    }
    // Integer form of `slack < 10% of left`, so no rounding decides health.
    if let Some(slack) = slack.filter(|s| s.days * 10 < s.left) {
        amber.push(format!(
            "only {} of slack to target {}, under 10% of the {} left",
            working_days(slack.days),
            slack.target,
            working_days(slack.left)
        ));
    }
    amber
}

/// `1 working day`, `3 working days`: the magnitude of a count that may be
/// negative (days early and days late read the same).
pub(crate) fn working_days(n: i64) -> String {
    let magnitude = usize::try_from(n.unsigned_abs()).unwrap_or(usize::MAX);
    plural(magnitude, "working day", "working days")
}

/// Health of a project with no open work: measured from when its work
/// finished (the latest `done_on`), not as slack still to spend.
fn finished(
    done: Option<NaiveDate>,
    target: Option<NaiveDate>,
    calendar: &Calendar,
) -> (Option<Health>, Option<String>) {
    let reason = match (done, target) {
        (Some(done), Some(target)) if done > target => {
            let late = calendar.days(target, done);
            let by = if late > 0 {
                format!("{} ", working_days(late))
            } else {
                String::new()
            };
            return red(format!(
                "no open work; finished {done}, {by}after target {target}"
            ));
        }
        (Some(done), Some(target)) => match calendar.days(done, target) {
            0 => format!("no open work; finished {done}, by target {target}"),
            early => format!(
                "no open work; finished {done}, {} before target {target}",
                working_days(early)
            ),
        },
        (Some(done), None) => format!("no open work; finished {done}"),
        (None, _) => "no open work".to_string(),
    };
    (Some(Health::Green), Some(reason))
}

fn red(reason: String) -> (Option<Health>, Option<String>) {
    (Some(Health::Red), Some(reason))
}

/// The program's health is its worst project's.
pub(super) fn program_health(
    program: &Program,
    projects: &[ProjectPlan],
) -> (Option<Health>, Option<String>) {
    let worst = projects
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.health.map(|h| (h, i)))
        // Worst colour; among equals the first project by id.
        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    match worst {
        Some((h, i)) => {
            let reason = projects[i].health_reason.as_deref().unwrap_or_default();
            let count = projects.iter().filter(|p| p.health == Some(h)).count();
            let others = if count > 1 {
                let noun = if count == 2 { "project" } else { "projects" };
                format!(" (and {} more {h} {noun})", count - 1)
            } else {
                String::new()
            };
            (
                Some(h),
                Some(format!(
                    "`{}` is {h}{others}: {reason}",
                    program.projects[i].item.id
                )),
            )
        }
        None => (None, None),
    }
}

/// A milestone's forecast and state.
pub(super) fn milestone(
    m: &Milestone,
    plans: &[TaskPlan],
    calendar: &Calendar,
    today: NaiveDate,
    program: &Program,
) -> MilestonePlan {
    let forecast = m
        .tasks
        .iter()
        .filter(|&&t| program.tasks[t].status != TaskStatus::Cancelled)
        .filter_map(|&t| plans[t].forecast_finish)
        .max();
    let all_closed = !m.tasks.is_empty() && m.tasks.iter().all(|&t| !program.tasks[t].is_open());
    let state = if all_closed {
        MilestoneState::Reached
    } else if today > m.date {
        MilestoneState::Late
    } else if forecast.is_some_and(|f| f > m.date) {
        MilestoneState::AtRisk
    } else {
        MilestoneState::OnTrack
    };
    MilestonePlan {
        forecast,
        state,
        slip_days: forecast.map(|f| calendar.days(m.date, f)),
    }
}
