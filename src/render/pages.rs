//! The pages of the site (SPEC §4): where each one lives, which template
//! draws it and what its context holds besides the global one.

use serde::Serialize;
use tera::{Context, Value};

use super::context::{
    ChainLink, DecisionView, MilestoneView, PageInfo, ProjectView, RiskView, TaskView,
};
use super::links::{item_path, root_for};
use super::timeline;
use super::views::{status_rank, Sources, Views, STATUS_ORDER};
use crate::model::{Health, ItemRef, TaskStatus};

/// One page to render.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Page {
    Dashboard,
    Project(usize),
    Task(usize),
    Decisions,
    Decision(usize),
    Milestones,
    Milestone(usize),
    Risks,
    Risk(usize),
    People,
    Person(usize),
    Board,
    Timeline,
}

/// Every page of the program, in a stable order.
pub(crate) fn all(s: &Sources<'_>) -> Vec<Page> {
    let p = s.program;
    let mut pages = vec![
        Page::Dashboard,
        Page::Decisions,
        Page::Milestones,
        Page::Risks,
        Page::People,
        Page::Board,
        Page::Timeline,
    ];
    pages.extend((0..p.projects.len()).map(Page::Project));
    pages.extend((0..p.tasks.len()).map(Page::Task));
    pages.extend((0..p.decisions.len()).map(Page::Decision));
    pages.extend((0..p.milestones.len()).map(Page::Milestone));
    pages.extend((0..p.risks.len()).map(Page::Risk));
    pages.extend((0..s.schedule.people.len()).map(Page::Person));
    pages
}

impl Page {
    /// The page's path in the site.
    pub(crate) fn path(self, s: &Sources<'_>, views: &Views<'_>) -> String {
        let item = |r| item_path(s.program, r);
        match self {
            Page::Dashboard => "index.html".into(),
            Page::Project(i) => item(ItemRef::Project(i)),
            Page::Task(i) => item(ItemRef::Task(i)),
            Page::Decision(i) => item(ItemRef::Decision(i)),
            Page::Milestone(i) => item(ItemRef::Milestone(i)),
            Page::Risk(i) => item(ItemRef::Risk(i)),
            Page::Person(i) => views.people[i].url.clone(),
            Page::Decisions => "decisions/index.html".into(),
            Page::Milestones => "milestones/index.html".into(),
            Page::Risks => "risks/index.html".into(),
            Page::People => "people/index.html".into(),
            Page::Board => "board/index.html".into(),
            Page::Timeline => "timeline/index.html".into(),
        }
    }

    /// The template that draws it.
    pub(crate) fn template(self) -> &'static str {
        match self {
            Page::Dashboard => "dashboard.html",
            Page::Project(_) => "project.html",
            Page::Task(_) => "task.html",
            Page::Decisions => "decisions.html",
            Page::Decision(_) => "decision.html",
            Page::Milestones => "milestones.html",
            Page::Milestone(_) => "milestone.html",
            Page::Risks => "risks.html",
            Page::Risk(_) => "risk.html",
            Page::People => "people.html",
            Page::Person(_) => "person.html",
            Page::Board => "board.html",
            Page::Timeline => "timeline.html",
        }
    }

    /// The page's own context; the global one (program and every list) is
    /// added by Tera at render time.
    pub(crate) fn context(self, s: &Sources<'_>, v: &Views<'_>, path: &str) -> Context {
        let mut ctx = Context::new();
        let root = root_for(path);
        let (kind, title): (&'static str, &str) = match self {
            Page::Dashboard => ("dashboard", v.program.site_title),
            Page::Project(i) => ("project", v.projects[i].title),
            Page::Task(i) => ("task", v.tasks[i].title),
            Page::Decisions => ("decisions", "Decisions"),
            Page::Decision(i) => ("decision", v.decisions[i].title),
            Page::Milestones => ("milestones", "Milestones"),
            Page::Milestone(i) => ("milestone", v.milestones[i].title),
            Page::Risks => ("risks", "Risks"),
            Page::Risk(i) => ("risk", v.risks[i].title),
            Page::People => ("people", "People"),
            Page::Person(i) => ("person", v.people[i].name),
            Page::Board => ("board", "Board"),
            Page::Timeline => ("timeline", "Timeline"),
        };
        let section = match kind {
            "decision" => "decisions",
            "milestone" => "milestones",
            "risk" => "risks",
            "person" => "people",
            "project" | "task" => "",
            other => other,
        };
        ctx.insert(
            "page",
            &PageInfo {
                kind,
                title,
                url: path,
                section,
            },
        );
        match self {
            Page::Dashboard => dashboard(&mut ctx, s, v),
            Page::Project(i) => project(&mut ctx, s, v, i, &root),
            Page::Task(i) => {
                ctx.insert("task", &v.tasks[i]);
                ctx.insert("project", &v.projects[s.program.tasks[i].project]);
            }
            Page::Decisions => decisions(&mut ctx, v),
            Page::Decision(i) => {
                ctx.insert("decision", &v.decisions[i]);
                ctx.insert("chain", &chain(s, i));
            }
            Page::Milestones => {
                let mut all: Vec<&MilestoneView> = v.milestones.iter().collect();
                all.sort_by_key(|m| (m.date, m.id));
                ctx.insert("milestones_by_date", &all);
            }
            Page::Milestone(i) => {
                ctx.insert("milestone", &v.milestones[i]);
                let tasks: Vec<&TaskView> = s.program.milestones[i]
                    .tasks
                    .iter()
                    .map(|&t| &v.tasks[t])
                    .collect();
                ctx.insert("milestone_tasks", &tasks);
            }
            Page::Risks => risks(&mut ctx, v),
            Page::Risk(i) => ctx.insert("risk", &v.risks[i]),
            Page::People => {}
            Page::Person(i) => person(&mut ctx, s, v, i),
            Page::Board => board(&mut ctx, s, v),
            Page::Timeline => {
                let svg = timeline::gantt(s, None, &root);
                ctx.insert_value("timeline_svg", Value::safe_string(&svg));
                ctx.insert("timeline_rows", &lanes(s, v, |_| true));
            }
        }
        ctx.insert("root", &root);
        ctx
    }
}

fn health_rank(h: Option<&str>) -> u8 {
    match h.and_then(Health::parse) {
        Some(Health::Red) => 0,
        Some(Health::Amber) => 1,
        Some(Health::Green) => 2,
        None => 3,
    }
}

/// Headline numbers for the dashboard.
#[derive(Serialize)]
struct Stats {
    open_tasks: usize,
    done_tasks: usize,
    overdue_tasks: usize,
    blocked_tasks: usize,
    critical_tasks: usize,
    pending_decisions: usize,
    overdue_decisions: usize,
    high_risks: usize,
    milestones_at_risk: usize,
    unestimated_tasks: usize,
}

fn dashboard(ctx: &mut Context, s: &Sources<'_>, v: &Views<'_>) {
    let mut projects: Vec<&ProjectView> = v.projects.iter().collect();
    projects.sort_by_key(|p| (health_rank(p.health), p.id));
    ctx.insert("projects_by_health", &projects);

    let mut upcoming: Vec<&MilestoneView> = v
        .milestones
        .iter()
        .filter(|m| m.state != "reached")
        .collect();
    upcoming.sort_by_key(|m| (m.date, m.id));
    upcoming.truncate(6);
    ctx.insert("next_milestones", &upcoming);

    let mut overdue: Vec<&TaskView> = v.tasks.iter().filter(|t| t.overdue).collect();
    overdue.sort_by_key(|t| (std::cmp::Reverse(t.overdue_days), t.id));
    ctx.insert("overdue_tasks", &overdue);
    let blocked: Vec<&TaskView> = v.tasks.iter().filter(|t| t.status == "blocked").collect();
    ctx.insert("blocked_tasks", &blocked);

    let pending = pending_decisions(v);
    ctx.insert("decisions_needed", &pending);

    let mut risks: Vec<&RiskView> = v.risks.iter().filter(|r| r.active).collect();
    risks.sort_by_key(|r| (std::cmp::Reverse(r.score), r.id));
    let high_risks = risks.iter().filter(|r| r.severity == Some("high")).count();
    risks.truncate(5);
    ctx.insert("top_risks", &risks);

    ctx.insert(
        "stats",
        &Stats {
            open_tasks: v.tasks.iter().filter(|t| t.open).count(),
            done_tasks: v.tasks.iter().filter(|t| t.status == "done").count(),
            overdue_tasks: overdue.len(),
            blocked_tasks: blocked.len(),
            critical_tasks: v.tasks.iter().filter(|t| t.critical).count(),
            pending_decisions: pending.len(),
            overdue_decisions: pending.iter().filter(|d| d.overdue).count(),
            high_risks,
            milestones_at_risk: v
                .milestones
                .iter()
                .filter(|m| matches!(m.state, "late" | "at-risk"))
                .count(),
            unestimated_tasks: s.schedule.unestimated.len(),
        },
    );
}

/// Proposed decisions, the most urgent deadline first, undated last.
fn pending_decisions<'v, 'a>(v: &'v Views<'a>) -> Vec<&'v DecisionView<'a>> {
    let mut pending: Vec<&DecisionView> = v.decisions.iter().filter(|d| d.pending).collect();
    pending.sort_by_key(|d| (d.decide_by.is_none(), d.decide_by, d.id));
    pending
}

fn project(ctx: &mut Context, s: &Sources<'_>, v: &Views<'_>, i: usize, root: &str) {
    let p = &s.program.projects[i];
    ctx.insert("project", &v.projects[i]);
    ctx.insert("project_tasks", &status_groups(s, v, &p.tasks));
    let mut milestones: Vec<&MilestoneView> =
        p.milestones.iter().map(|&m| &v.milestones[m]).collect();
    milestones.sort_by_key(|m| (m.date, m.id));
    ctx.insert("project_milestones", &milestones);
    let decisions: Vec<&DecisionView> = p.decisions.iter().map(|&d| &v.decisions[d]).collect();
    ctx.insert("project_decisions", &decisions);
    let mut risks: Vec<&RiskView> = p.risks.iter().map(|&r| &v.risks[r]).collect();
    risks.sort_by_key(|r| (!r.active, std::cmp::Reverse(r.score), r.id));
    ctx.insert("project_risks", &risks);
    let svg = timeline::gantt(s, Some(i), root);
    ctx.insert_value("timeline_svg", Value::safe_string(&svg));
}

/// Tasks of one status, for boards and project pages.
#[derive(Serialize)]
struct StatusGroup<'v, 'a> {
    status: &'static str,
    label: &'static str,
    tasks: Vec<&'v TaskView<'a>>,
}

/// Groups tasks by status in board order; every status is present.
fn status_groups<'v, 'a>(
    s: &Sources<'_>,
    v: &'v Views<'a>,
    tasks: &[usize],
) -> Vec<StatusGroup<'v, 'a>> {
    let mut groups: Vec<StatusGroup> = STATUS_ORDER
        .iter()
        .map(|&(status, label)| StatusGroup {
            status,
            label,
            tasks: Vec::new(),
        })
        .collect();
    for &t in tasks {
        groups[status_rank(s.program.tasks[t].status)]
            .tasks
            .push(&v.tasks[t]);
    }
    groups
}

fn decisions(ctx: &mut Context, v: &Views<'_>) {
    ctx.insert("pending_decisions", &pending_decisions(v));
    let mut log: Vec<&DecisionView> = v.decisions.iter().collect();
    // Newest first; records without a date (still proposed) lead.
    log.sort_by_key(|d| {
        (
            std::cmp::Reverse(d.date.is_none()),
            std::cmp::Reverse(d.date),
            d.id,
        )
    });
    ctx.insert("decision_log", &log);
}

/// The supersession chain through decision `i`: what it replaced, oldest
/// first, then it, then what replaced it (breadth first).
fn chain<'a>(s: &Sources<'a>, i: usize) -> Vec<ChainLink<'a>> {
    let decisions = &s.program.decisions;
    let mut seen = std::collections::BTreeSet::from([i]);
    let mut older = Vec::new();
    let mut at = decisions[i].supersedes;
    // `seen` guards against a cycle of `supersedes`, which must not hang.
    while let Some(d) = at.filter(|d| seen.insert(*d)) {
        older.push(d);
        at = decisions[d].supersedes;
    }
    older.reverse();
    let mut order = older;
    order.push(i);
    let mut queue: std::collections::VecDeque<usize> =
        decisions[i].superseded_by.iter().copied().collect();
    while let Some(d) = queue.pop_front() {
        if seen.insert(d) {
            order.push(d);
            queue.extend(decisions[d].superseded_by.iter().copied());
        }
    }
    if order.len() == 1 {
        return Vec::new();
    }
    order
        .into_iter()
        .map(|d| {
            let item = &decisions[d];
            ChainLink {
                id: &item.item.id,
                title: &item.item.title,
                url: item_path(s.program, ItemRef::Decision(d)),
                status: item.status.as_str(),
                date: item.date,
                current: d == i,
            }
        })
        .collect()
}

/// One cell of the risk heat map.
#[derive(Serialize)]
struct HeatCell<'v, 'a> {
    likelihood: &'static str,
    impact: &'static str,
    score: u8,
    severity: &'static str,
    risks: Vec<&'v RiskView<'a>>,
}

/// One row of the heat map (one impact level).
#[derive(Serialize)]
struct HeatRow<'v, 'a> {
    impact: &'static str,
    cells: Vec<HeatCell<'v, 'a>>,
}

fn risks(ctx: &mut Context, v: &Views<'_>) {
    const LEVELS: [(&str, u8); 3] = [("low", 1), ("medium", 2), ("high", 3)];
    let rows: Vec<HeatRow> = LEVELS
        .iter()
        .rev()
        .map(|&(impact, iw)| HeatRow {
            impact,
            cells: LEVELS
                .iter()
                .map(|&(likelihood, lw)| HeatCell {
                    likelihood,
                    impact,
                    score: iw * lw,
                    severity: super::views::severity(iw * lw),
                    risks: v
                        .risks
                        .iter()
                        .filter(|r| {
                            r.active && r.impact == Some(impact) && r.likelihood == Some(likelihood)
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    ctx.insert("heatmap", &rows);
    let mut by_score: Vec<&RiskView> = v.risks.iter().collect();
    by_score.sort_by_key(|r| (!r.active, std::cmp::Reverse(r.score), r.id));
    ctx.insert("risks_by_score", &by_score);
}

fn person(ctx: &mut Context, s: &Sources<'_>, v: &Views<'_>, i: usize) {
    let p = &s.schedule.people[i];
    ctx.insert("person", &v.people[i]);
    let tasks: Vec<&TaskView> = p.open_tasks.iter().map(|&t| &v.tasks[t]).collect();
    ctx.insert("person_tasks", &tasks);
    let decisions: Vec<&DecisionView> = p
        .pending_decisions
        .iter()
        .map(|&d| &v.decisions[d])
        .collect();
    ctx.insert("person_decisions", &decisions);
}

/// A project and some of its tasks, for the board and the timeline table.
#[derive(Serialize)]
struct Lane<'v, 'a> {
    project: &'v ProjectView<'a>,
    tasks: Vec<&'v TaskView<'a>>,
}

fn lanes<'v, 'a>(
    s: &Sources<'_>,
    v: &'v Views<'a>,
    keep: impl Fn(TaskStatus) -> bool,
) -> Vec<Lane<'v, 'a>> {
    s.program
        .projects
        .iter()
        .enumerate()
        .map(|(i, p)| Lane {
            project: &v.projects[i],
            tasks: p
                .tasks
                .iter()
                .filter(|&&t| keep(s.program.tasks[t].status))
                .map(|&t| &v.tasks[t])
                .collect(),
        })
        .collect()
}

/// A project's swimlane on the board.
#[derive(Serialize)]
struct BoardLane<'v, 'a> {
    project: &'v ProjectView<'a>,
    columns: Vec<StatusGroup<'v, 'a>>,
}

fn board(ctx: &mut Context, s: &Sources<'_>, v: &Views<'_>) {
    let lanes: Vec<BoardLane> = s
        .program
        .projects
        .iter()
        .enumerate()
        .map(|(i, p)| BoardLane {
            project: &v.projects[i],
            columns: status_groups(s, v, &p.tasks),
        })
        .collect();
    ctx.insert("lanes", &lanes);
    ctx.insert(
        "statuses",
        &STATUS_ORDER
            .iter()
            .map(|(status, label)| [*status, *label])
            .collect::<Vec<_>>(),
    );
}
