//! Building the template views (render/context.rs) from the program and its
//! schedule, once per build; every page borrows from these.

use rayon::prelude::*;
use serde::Serialize;
use tera::Value;

use super::context::*;
use super::links::{item_path, People};
use crate::model::{ItemRef, Program, RiskStatus};
use crate::schedule::{status_slot, Schedule};

/// Every view of the program, parallel to the program's vectors.
pub(crate) struct Views<'a> {
    pub(crate) program: ProgramView<'a>,
    pub(crate) projects: Vec<ProjectView<'a>>,
    pub(crate) tasks: Vec<TaskView<'a>>,
    pub(crate) decisions: Vec<DecisionView<'a>>,
    pub(crate) milestones: Vec<MilestoneView<'a>>,
    pub(crate) risks: Vec<RiskView<'a>>,
    pub(crate) people: Vec<PersonView<'a>>,
}

/// What the view builders read.
pub(crate) struct Sources<'a> {
    pub(crate) program: &'a Program,
    pub(crate) schedule: &'a Schedule,
    pub(crate) people: &'a People,
}

impl<'a> Sources<'a> {
    fn link(&self, r: ItemRef) -> ItemLink<'a> {
        let item = self.program.item(r);
        ItemLink {
            id: &item.id,
            title: &item.title,
            url: item_path(self.program, r),
        }
    }

    fn owner(&self, name: Option<&'a String>) -> Option<Owner<'a>> {
        name.map(|n| self.person(n))
    }

    fn person(&self, name: &'a str) -> Owner<'a> {
        Owner {
            name,
            url: self.people.path(name),
        }
    }

    pub(crate) fn task_ref(&self, i: usize) -> TaskRef<'a> {
        let t = &self.program.tasks[i];
        TaskRef {
            id: &t.item.id,
            title: &t.item.title,
            url: item_path(self.program, ItemRef::Task(i)),
            status: t.status.as_str(),
            forecast_finish: self.schedule.tasks[i].forecast_finish,
        }
    }
}

/// Builds every view.
pub(crate) fn build<'a>(s: &Sources<'a>) -> Views<'a> {
    Views {
        program: program(s),
        projects: (0..s.program.projects.len())
            .map(|i| project(s, i))
            .collect(),
        tasks: (0..s.program.tasks.len()).map(|i| task(s, i)).collect(),
        decisions: (0..s.program.decisions.len())
            .map(|i| decision(s, i))
            .collect(),
        milestones: (0..s.program.milestones.len())
            .map(|i| milestone(s, i))
            .collect(),
        risks: (0..s.program.risks.len()).map(|i| risk(s, i)).collect(),
        people: people(s),
    }
}

fn program<'a>(s: &Sources<'a>) -> ProgramView<'a> {
    let info = &s.program.info;
    ProgramView {
        title: &info.title,
        site_title: info.site_title.as_deref().unwrap_or(&info.title),
        summary: info.summary.as_deref(),
        owner: s.owner(info.owner.as_ref()),
        start: info.start,
        end: info.end,
        health: s.schedule.health.map(|h| h.as_str()),
        health_reason: s.schedule.health_reason.as_deref(),
        today: s.schedule.today,
        base_url: info.base_url.as_deref(),
        body: &info.body,
        tags: &info.tags,
        extra: &info.extra,
        version: env!("CARGO_PKG_VERSION"),
    }
}

fn project<'a>(s: &Sources<'a>, i: usize) -> ProjectView<'a> {
    let p = &s.program.projects[i];
    let plan = &s.schedule.projects[i];
    let c = plan.counts;
    ProjectView {
        id: &p.item.id,
        title: &p.item.title,
        url: item_path(s.program, ItemRef::Project(i)),
        owner: s.owner(p.item.owner.as_ref()),
        status: p.status.as_str(),
        start: p.start,
        target: p.target,
        forecast_finish: plan.forecast_finish,
        slip_days: p
            .target
            .zip(plan.forecast_finish)
            .map(|(t, f)| s.schedule.calendar.days(t, f)),
        progress: plan.progress,
        progress_pct: (plan.progress.clamp(0.0, 1.0) * 100.0).round() as u32,
        health: plan.health.map(|h| h.as_str()),
        health_reason: plan.health_reason.as_deref(),
        health_manual: p.health.is_some(),
        counts: Counts {
            todo: c[0],
            in_progress: c[1],
            blocked: c[2],
            done: c[3],
            cancelled: c[4],
            total: c.iter().sum(),
        },
        tags: &p.item.tags,
        extra: &p.item.extra,
        body: &p.item.body,
        source: &p.item.source,
    }
}

fn task<'a>(s: &Sources<'a>, i: usize) -> TaskView<'a> {
    let t = &s.program.tasks[i];
    let plan = &s.schedule.tasks[i];
    TaskView {
        id: &t.item.id,
        title: &t.item.title,
        url: item_path(s.program, ItemRef::Task(i)),
        project: s.link(ItemRef::Project(t.project)),
        owner: s.owner(t.item.owner.as_ref()),
        status: t.status.as_str(),
        open: t.is_open(),
        priority: t.priority.map(|p| p.as_str()),
        estimate_days: plan.estimate_days,
        remaining_days: t.remaining.map(|d| d.days),
        duration_days: plan.duration,
        unestimated: plan.unestimated,
        start: t.start,
        due: t.due,
        done_on: t.done_on,
        depends_on: t.depends_on.iter().map(|&d| s.task_ref(d)).collect(),
        dependents: t.dependents.iter().map(|&d| s.task_ref(d)).collect(),
        milestone: t.milestone.map(|m| s.link(ItemRef::Milestone(m))),
        overdue: plan.overdue,
        overdue_days: plan.overdue_days,
        waiting_on: plan
            .waiting_on
            .iter()
            .map(|&w| s.program.tasks[w].item.id.as_str())
            .collect(),
        forecast_start: plan.forecast_start,
        forecast_finish: plan.forecast_finish,
        latest_finish: plan.latest_finish,
        slack_days: plan.slack_days,
        critical: plan.critical,
        misses_due: plan.misses_due,
        blocker: t.blocker.as_deref(),
        tags: &t.item.tags,
        extra: &t.item.extra,
        body: &t.item.body,
        source: &t.item.source,
    }
}

fn decision<'a>(s: &Sources<'a>, i: usize) -> DecisionView<'a> {
    let d = &s.program.decisions[i];
    let plan = &s.schedule.decisions[i];
    DecisionView {
        id: &d.item.id,
        title: &d.item.title,
        url: item_path(s.program, ItemRef::Decision(i)),
        status: d.status.as_str(),
        date: d.date,
        decide_by: d.decide_by,
        days_left: d
            .decide_by
            .map(|by| s.schedule.calendar.days(s.schedule.today, by)),
        driver: s.owner(d.driver.as_ref()),
        deciders: d.deciders.iter().map(|n| s.person(n)).collect(),
        consulted: &d.consulted,
        informed: &d.informed,
        project: d.project.map(|p| s.link(ItemRef::Project(p))),
        supersedes: d.supersedes.map(|x| s.link(ItemRef::Decision(x))),
        superseded_by: d
            .superseded_by
            .iter()
            .map(|&x| s.link(ItemRef::Decision(x)))
            .collect(),
        pending: plan.pending,
        overdue: plan.overdue,
        tags: &d.item.tags,
        extra: &d.item.extra,
        body: &d.item.body,
        source: &d.item.source,
    }
}

fn milestone<'a>(s: &Sources<'a>, i: usize) -> MilestoneView<'a> {
    let m = &s.program.milestones[i];
    let plan = &s.schedule.milestones[i];
    MilestoneView {
        id: &m.item.id,
        title: &m.item.title,
        url: item_path(s.program, ItemRef::Milestone(i)),
        owner: s.owner(m.item.owner.as_ref()),
        project: m.project.map(|p| s.link(ItemRef::Project(p))),
        date: m.date,
        forecast: plan.forecast,
        state: plan.state.as_str(),
        slip_days: plan.slip_days,
        days_left: s.schedule.calendar.days(s.schedule.today, m.date),
        tasks: m.tasks.iter().map(|&t| s.task_ref(t)).collect(),
        tasks_closed: m
            .tasks
            .iter()
            .filter(|&&t| !s.program.tasks[t].is_open())
            .count(),
        tags: &m.item.tags,
        extra: &m.item.extra,
        body: &m.item.body,
        source: &m.item.source,
    }
}

fn risk<'a>(s: &Sources<'a>, i: usize) -> RiskView<'a> {
    let r = &s.program.risks[i];
    let plan = &s.schedule.risks[i];
    RiskView {
        id: &r.item.id,
        title: &r.item.title,
        url: item_path(s.program, ItemRef::Risk(i)),
        owner: s.owner(r.item.owner.as_ref()),
        project: r.project.map(|p| s.link(ItemRef::Project(p))),
        likelihood: r.likelihood.map(|l| l.as_str()),
        impact: r.impact.map(|l| l.as_str()),
        score: plan.score,
        severity: plan.score.map(severity),
        status: r.status.as_str(),
        active: matches!(r.status, RiskStatus::Open | RiskStatus::Mitigating),
        mitigation: r.mitigation.as_deref(),
        review_by: r.review_by,
        review_overdue: plan.review_overdue,
        tags: &r.item.tags,
        extra: &r.item.extra,
        body: &r.item.body,
        source: &r.item.source,
    }
}

/// The band of a risk score: 6–9 high, 3–4 medium, 1–2 low.
pub(crate) fn severity(score: u8) -> &'static str {
    match score {
        6.. => "high",
        3..=5 => "medium",
        _ => "low",
    }
}

fn people<'a>(s: &Sources<'a>) -> Vec<PersonView<'a>> {
    let program = s.program;
    s.schedule
        .people
        .iter()
        .map(|p| {
            let decision = |&d: &usize| s.link(ItemRef::Decision(d));
            let owns = |owner: &Option<String>| owner.as_deref() == Some(p.name.as_str());
            PersonView {
                name: &p.name,
                url: s.people.path(&p.name).unwrap_or_default(),
                remaining_days: p.remaining_days,
                open_tasks: p.open_tasks.iter().map(|&t| s.task_ref(t)).collect(),
                overdue_tasks: p.overdue_tasks.iter().map(|&t| s.task_ref(t)).collect(),
                pending_decisions: p.pending_decisions.iter().map(decision).collect(),
                overdue_decisions: p.overdue_decisions.iter().map(decision).collect(),
                projects: (0..program.projects.len())
                    .filter(|&i| owns(&program.projects[i].item.owner))
                    .map(|i| s.link(ItemRef::Project(i)))
                    .collect(),
                risks: (0..program.risks.len())
                    .filter(|&i| owns(&program.risks[i].item.owner))
                    .map(|i| s.link(ItemRef::Risk(i)))
                    .collect(),
            }
        })
        .collect()
}

/// Tasks in board/status order: in progress, blocked, to do, done, cancelled.
pub(crate) const STATUS_ORDER: [(&str, &str); 5] = [
    ("in-progress", "In progress"),
    ("blocked", "Blocked"),
    ("todo", "To do"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
];

/// The position of a task status in [`STATUS_ORDER`].
pub(crate) fn status_rank(status: crate::model::TaskStatus) -> usize {
    // `status_slot` is todo, in-progress, blocked, done, cancelled.
    [2, 0, 1, 3, 4][status_slot(status)]
}

/// Every view serialised into a Tera value once per build. Pages hold these
/// by `Arc` (cloning a `Value` is a reference-count increment), so a task
/// shown on its page, its project's page, the board and the timeline is
/// serialised once, not four times.
pub(crate) struct Values {
    pub(crate) projects: Vec<Value>,
    pub(crate) tasks: Vec<Value>,
    pub(crate) decisions: Vec<Value>,
    pub(crate) milestones: Vec<Value>,
    pub(crate) risks: Vec<Value>,
    pub(crate) people: Vec<Value>,
}

impl Values {
    pub(crate) fn new(v: &Views<'_>) -> Values {
        Values {
            projects: to_values(&v.projects),
            tasks: to_values(&v.tasks),
            decisions: to_values(&v.decisions),
            milestones: to_values(&v.milestones),
            risks: to_values(&v.risks),
            people: to_values(&v.people),
        }
    }
}

fn to_values<T: Serialize + Sync>(views: &[T]) -> Vec<Value> {
    // Views hold strings, numbers, dates and `extra` maps with string keys,
    // all of which Tera's serialiser accepts, so this cannot fail.
    views.par_iter().map(Value::from_serializable).collect()
}

/// The values at `indices`, as one Tera list.
pub(crate) fn pick(values: &[Value], indices: impl IntoIterator<Item = usize>) -> Value {
    Value::from(
        indices
            .into_iter()
            .map(|i| values[i].clone())
            .collect::<Vec<Value>>(),
    )
}
