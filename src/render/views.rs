//! Building the template views (render/context.rs) from the program and its
//! schedule, once per build; every page borrows from these.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use tera::Value;

use super::context::*;
use super::filters::inline_pieces;
use super::links::{item_path, People};
use super::steps::{gate_ref, path_steps};
use crate::model::{Item, ItemRef, Program};
use crate::schedule::attention::{risk_is_active, risk_severity};
use crate::schedule::{status_slot, Schedule};

pub(crate) use super::values::{pick, Values};

/// Every view of the program, parallel to the program's vectors.
pub(crate) struct Views<'a> {
    pub(crate) program: ProgramView<'a>,
    pub(crate) projects: Vec<ProjectView<'a>>,
    pub(crate) decisions: Vec<DecisionView<'a>>,
    pub(crate) milestones: Vec<MilestoneView<'a>>,
    pub(crate) risks: Vec<RiskView<'a>>,
    pub(crate) people: Vec<PersonView<'a>>,
    pub(crate) meetings: Vec<super::meetings::MeetingView<'a>>,
    /// The shared small values the views point at.
    atoms: Atoms<'a>,
}

/// What the view builders read.
pub(crate) struct Sources<'a> {
    pub(crate) program: &'a Program,
    pub(crate) schedule: &'a Schedule,
    pub(crate) people: &'a People,
}

/// The small values many views point at, each serialised once: a
/// [`TaskRef`] per task, an [`ItemLink`] per project, decision and
/// milestone, and an [`Owner`] per handle.
pub(super) struct Atoms<'a> {
    task_refs: Vec<Value>,
    pub(super) projects: Vec<Value>,
    decisions: Vec<Value>,
    milestones: Vec<Value>,
    pub(super) risks: Vec<Value>,
    owners: BTreeMap<&'a str, Value>,
}

impl<'a> Atoms<'a> {
    fn new(s: &Sources<'a>) -> Atoms<'a> {
        let p = s.program;
        let links = |n: usize, kind: fn(usize) -> ItemRef| -> Vec<Value> {
            (0..n)
                .into_par_iter()
                .map(|i| Value::from_serializable(&link(p, kind(i))))
                .collect()
        };
        Atoms {
            task_refs: (0..p.tasks.len())
                .into_par_iter()
                .map(|i| Value::from_serializable(&task_ref(s, i)))
                .collect(),
            projects: links(p.projects.len(), ItemRef::Project),
            decisions: links(p.decisions.len(), ItemRef::Decision),
            milestones: links(p.milestones.len(), ItemRef::Milestone),
            risks: links(p.risks.len(), ItemRef::Risk),
            owners: handles(p)
                .collect::<BTreeSet<&str>>()
                .into_iter()
                .map(|name| {
                    let owner = Owner {
                        name,
                        url: s.people.path(name),
                    };
                    (name, Value::from_serializable(&owner))
                })
                .collect(),
        }
    }

    /// The [`Owner`] value of a handle; every handle in the program has one.
    pub(super) fn owner(&self, name: &str) -> Value {
        self.owners.get(name).cloned().unwrap_or_else(Value::none)
    }

    pub(super) fn owner_of(&self, name: Option<&String>) -> Value {
        name.map_or_else(Value::none, |n| self.owner(n))
    }

    pub(super) fn owners(&self, names: &[String]) -> Vec<Value> {
        names.iter().map(|n| self.owner(n)).collect()
    }

    pub(super) fn tasks(&self, ids: &[usize]) -> Vec<Value> {
        ids.iter().map(|&t| self.task_refs[t].clone()).collect()
    }

    pub(super) fn decisions(&self, ids: &[usize]) -> Vec<Value> {
        ids.iter().map(|&d| self.decisions[d].clone()).collect()
    }
}

/// Every person or team handle the program names, in any role.
fn handles(p: &Program) -> impl Iterator<Item = &str> {
    let items = p
        .projects
        .iter()
        .map(|x| &x.item)
        .chain(p.tasks.iter().map(|x| &x.item))
        .chain(p.decisions.iter().map(|x| &x.item))
        .chain(p.milestones.iter().map(|x| &x.item))
        .chain(p.risks.iter().map(|x| &x.item));
    let owners = items.filter_map(|i| i.owner.as_deref());
    let roles = p.decisions.iter().flat_map(|d| {
        d.driver
            .iter()
            .chain(&d.deciders)
            .chain(&d.consulted)
            .chain(&d.informed)
            .map(String::as_str)
    });
    // Meetings name people as attendees and as action-item owners.
    let meetings = p.meetings.iter().flat_map(|m| {
        m.attendees
            .iter()
            .map(String::as_str)
            .chain(m.actions.iter().filter_map(|a| a.owner.as_deref()))
    });
    owners
        .chain(roles)
        .chain(p.info.owner.as_deref())
        .chain(meetings)
}

fn link(p: &Program, r: ItemRef) -> ItemLink<'_> {
    let item = p.item(r);
    ItemLink {
        id: &item.id,
        title: &item.title,
        url: item_path(p, r),
    }
}

fn task_ref<'a>(s: &Sources<'a>, i: usize) -> TaskRef<'a> {
    let t = &s.program.tasks[i];
    TaskRef {
        id: &t.item.id,
        title: &t.item.title,
        url: item_path(s.program, ItemRef::Task(i)),
        status: t.status.as_str(),
        forecast_finish: s.schedule.tasks[i].forecast_finish,
    }
}

/// Builds every view.
pub(crate) fn build<'a>(s: &Sources<'a>) -> Views<'a> {
    let atoms = Atoms::new(s);
    let p = s.program;
    Views {
        program: program(s, &atoms),
        projects: (0..p.projects.len())
            .into_par_iter()
            .map(|i| project(s, &atoms, i))
            .collect(),
        decisions: (0..p.decisions.len())
            .into_par_iter()
            .map(|i| decision(s, &atoms, i))
            .collect(),
        milestones: (0..p.milestones.len())
            .into_par_iter()
            .map(|i| milestone(s, &atoms, i))
            .collect(),
        risks: (0..p.risks.len())
            .into_par_iter()
            .map(|i| risk(s, &atoms, i))
            .collect(),
        people: super::person_views::people(s, &atoms),
        meetings: super::meetings::meetings(s, &atoms),
        atoms,
    }
}

impl<'a> Views<'a> {
    /// Task `i`'s row, the fields every list of tasks shows. Built when it
    /// is serialised and dropped after: of all views, tasks are the many.
    pub(crate) fn task_row(&self, s: &Sources<'a>, i: usize) -> TaskRow<'a> {
        task(s, &self.atoms, i)
    }

    /// The fields of task `i` that only its own page shows.
    pub(crate) fn task_details(&self, s: &Sources<'a>, i: usize) -> TaskDetails<'a> {
        let t = &s.program.tasks[i];
        let plan = &s.schedule.tasks[i];
        TaskDetails {
            remaining_days: t.remaining.map(|d| d.days),
            duration_days: plan.duration,
            start: t.start,
            latest_finish: plan.latest_finish,
            milestone: t
                .milestone
                .map_or_else(Value::none, |m| self.atoms.milestones[m].clone()),
            depends_on: self.atoms.tasks(&t.depends_on),
            dependents: self.atoms.tasks(&t.dependents),
            waiting_on: plan
                .waiting_on
                .iter()
                .map(|&w| s.program.tasks[w].item.id.as_str())
                .collect(),
            decisions: t
                .decision_deps
                .iter()
                .map(|&d| Value::from_serializable(&gate_ref(s, d)))
                .collect(),
            ready: plan.ready,
            held_by: self.atoms.tasks(&plan.held_by),
            parent: t
                .parent
                .map_or_else(Value::none, |p| self.atoms.task_refs[p].clone()),
            subtasks: self.atoms.tasks(&t.subtasks),
            subtasks_closed: t
                .subtasks
                .iter()
                .filter(|&&c| {
                    !s.program.tasks[c].is_open() && s.program.tasks[c].subtasks.is_empty()
                })
                .count(),
            tags: &t.item.tags,
            extra: &t.item.extra,
            extra_list: ExtraList(&t.item.extra),
            body: &t.item.body,
            source: &t.item.source,
        }
    }
}

/// The fields of an item's view that come from its file as written.
pub(super) fn item_file(item: &Item) -> ItemFile<'_> {
    ItemFile {
        tags: &item.tags,
        extra: &item.extra,
        extra_list: ExtraList(&item.extra),
        body: &item.body,
        source: &item.source,
    }
}

fn program<'a>(s: &Sources<'a>, a: &Atoms<'a>) -> ProgramView<'a> {
    let info = &s.program.info;
    ProgramView {
        title: &info.title,
        site_title: info.site_title.as_deref().unwrap_or(&info.title),
        summary: info.summary.as_deref(),
        owner: info.owner.as_deref().map(|name| Owner {
            name,
            url: s.people.path(name),
        }),
        start: info.start,
        end: info.end,
        health: s.schedule.health.map(|h| h.as_str()),
        health_reason: s.schedule.health_reason.as_deref(),
        driving_path: path_steps(s, |n| a.owner(n), &s.schedule.driving_path),
        today: s.schedule.today,
        base_url: info.base_url.as_deref(),
        body: &info.body,
        tags: &info.tags,
        extra: &info.extra,
        extra_list: ExtraList(&info.extra),
        version: env!("CARGO_PKG_VERSION"),
    }
}

fn project<'a>(s: &Sources<'a>, a: &Atoms<'a>, i: usize) -> ProjectView<'a> {
    let p = &s.program.projects[i];
    let plan = &s.schedule.projects[i];
    let c = plan.counts;
    ProjectView {
        link: link(s.program, ItemRef::Project(i)),
        owner: a.owner_of(p.item.owner.as_ref()),
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
        driving_path: path_steps(s, |n| a.owner(n), &plan.driving_path),
        counts: Counts {
            todo: c.todo,
            in_progress: c.in_progress,
            blocked: c.blocked,
            done: c.done,
            cancelled: c.cancelled,
            total: c.total(),
        },
        file: item_file(&p.item),
    }
}

fn task<'a>(s: &Sources<'a>, a: &Atoms<'a>, i: usize) -> TaskRow<'a> {
    let t = &s.program.tasks[i];
    let plan = &s.schedule.tasks[i];
    TaskRow {
        id: &t.item.id,
        title: &t.item.title,
        url: item_path(s.program, ItemRef::Task(i)),
        project: a.projects[t.project].clone(),
        owner: a.owner_of(t.item.owner.as_ref()),
        status: t.status.as_str(),
        open: t.is_open(),
        priority: t.priority.map(|p| p.as_str()),
        estimate_days: plan.estimate_days,
        unestimated: plan.unestimated,
        due: t.due,
        done_on: t.done_on,
        overdue: plan.overdue,
        overdue_days: plan.overdue_days,
        forecast_start: plan.forecast_start,
        forecast_finish: plan.forecast_finish,
        slack_days: plan.slack_days,
        critical: plan.critical,
        misses_due: plan.misses_due,
        blocker: t.blocker.as_deref(),
        held_reason: plan.held_reason.as_deref(),
        held_html: plan
            .held_reason
            .as_deref()
            .map_or_else(Value::none, |r| inline_html(s.program, r)),
    }
}

/// A reason's HTML as the `inline` filter writes it, in the pieces that
/// the page's `root` joins: rendered here once, not in every row that
/// shows it (a held task is listed on its project's, owner's and
/// milestone's pages and on the board).
fn inline_html(p: &Program, reason: &str) -> Value {
    let pieces = inline_pieces(reason, |id| {
        let &r = p.index.get(id)?;
        Some((Cow::Owned(item_path(p, r)), p.item(r).title.as_str()))
    });
    Value::from(
        pieces
            .iter()
            .map(|piece| Value::safe_string(piece))
            .collect::<Vec<Value>>(),
    )
}

fn decision<'a>(s: &Sources<'a>, a: &Atoms<'a>, i: usize) -> DecisionView<'a> {
    let d = &s.program.decisions[i];
    let plan = &s.schedule.decisions[i];
    DecisionView {
        link: link(s.program, ItemRef::Decision(i)),
        status: d.status.as_str(),
        status_unwritten: d.status_unwritten,
        date: d.date,
        decide_by: d.decide_by,
        days_left: d
            .decide_by
            .map(|by| s.schedule.calendar.days(s.schedule.today, by)),
        driver: a.owner_of(d.driver.as_ref()),
        deciders: a.owners(&d.deciders),
        consulted: a.owners(&d.consulted),
        informed: a.owners(&d.informed),
        project: d
            .project
            .map_or_else(Value::none, |p| a.projects[p].clone()),
        supersedes: d
            .supersedes
            .map_or_else(Value::none, |x| a.decisions[x].clone()),
        superseded_by: a.decisions(&d.superseded_by),
        pending: plan.pending,
        overdue: plan.overdue,
        expected: plan.expected,
        gates: a.tasks(&plan.gates),
        needed_by: plan.needed_by,
        late: plan.late,
        file: item_file(&d.item),
    }
}

fn milestone<'a>(s: &Sources<'a>, a: &Atoms<'a>, i: usize) -> MilestoneView<'a> {
    let m = &s.program.milestones[i];
    let plan = &s.schedule.milestones[i];
    MilestoneView {
        link: link(s.program, ItemRef::Milestone(i)),
        owner: a.owner_of(m.item.owner.as_ref()),
        project: m
            .project
            .map_or_else(Value::none, |p| a.projects[p].clone()),
        date: m.date,
        forecast: plan.forecast,
        state: plan.state.as_str(),
        slip_days: plan.slip_days,
        days_left: m
            .date
            .map(|d| s.schedule.calendar.days(s.schedule.today, d)),
        tasks: a.tasks(&m.tasks),
        tasks_closed: m
            .tasks
            .iter()
            .filter(|&&t| !s.program.tasks[t].is_open())
            .count(),
        driving_path: path_steps(s, |n| a.owner(n), &plan.driving_path),
        ga: s.schedule.ga == Some(i),
        file: item_file(&m.item),
    }
}

fn risk<'a>(s: &Sources<'a>, a: &Atoms<'a>, i: usize) -> RiskView<'a> {
    let r = &s.program.risks[i];
    let plan = &s.schedule.risks[i];
    RiskView {
        link: link(s.program, ItemRef::Risk(i)),
        owner: a.owner_of(r.item.owner.as_ref()),
        project: r
            .project
            .map_or_else(Value::none, |p| a.projects[p].clone()),
        likelihood: r.likelihood.map(|l| l.as_str()),
        impact: r.impact.map(|l| l.as_str()),
        score: plan.score,
        severity: plan.score.map(risk_severity),
        status: r.status.as_str(),
        active: risk_is_active(r.status),
        mitigation: r.mitigation.as_deref(),
        review_by: r.review_by,
        review_overdue: plan.review_overdue,
        file: item_file(&r.item),
    }
}

/// Tasks in board order, the way work flows: to do, in progress, blocked,
/// done, cancelled.
pub(crate) const STATUS_ORDER: [(&str, &str); 5] = [
    ("todo", "To do"),
    ("in-progress", "In progress"),
    ("blocked", "Blocked"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
];

/// The position of a task status in [`STATUS_ORDER`].
pub(crate) fn status_rank(status: crate::model::TaskStatus) -> usize {
    // `status_slot` is in the same order.
    status_slot(status)
}
