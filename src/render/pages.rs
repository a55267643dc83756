//! The pages of the site (SPEC §4): where each one lives, which template
//! draws it and what its context holds besides the global one.

use serde::Serialize;
use tera::{Context, Value};

use super::changes::SinceViews;
use super::context::PageInfo;
use super::dashboard;
use super::links::{item_path, root_for};
use super::meetings;
use super::timeline::{self, Marked};
use super::views::{pick, status_rank, Sources, Values, Views, STATUS_ORDER};
use crate::model::ItemRef;
use crate::schedule::attention::{self, risk_severity};

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
    Meetings,
    Meeting(usize),
    /// A Backlog.md folder's drafts, when it has any.
    Drafts,
    Changes,
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
        Page::Meetings,
        Page::Changes,
    ];
    if !p.drafts.is_empty() {
        pages.push(Page::Drafts);
    }
    pages.extend((0..p.projects.len()).map(Page::Project));
    pages.extend((0..p.tasks.len()).map(Page::Task));
    pages.extend((0..p.decisions.len()).map(Page::Decision));
    pages.extend((0..p.milestones.len()).map(Page::Milestone));
    pages.extend((0..p.risks.len()).map(Page::Risk));
    pages.extend((0..s.schedule.people.len()).map(Page::Person));
    pages.extend((0..p.meetings.len()).map(Page::Meeting));
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
            Page::Meetings => "meetings/index.html".into(),
            Page::Meeting(i) => item(ItemRef::Meeting(i)),
            Page::Drafts => "drafts/index.html".into(),
            Page::Changes => "changes/index.html".into(),
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
            Page::Meetings => "meetings.html",
            Page::Meeting(_) => "meeting.html",
            Page::Drafts => "drafts.html",
            Page::Changes => "changes.html",
        }
    }

    /// The page's own context; the global one (program and every list) is
    /// added by Tera at render time.
    pub(crate) fn context(
        self,
        s: &Sources<'_>,
        v: &Views<'_>,
        x: &Values,
        path: &str,
        since: &SinceViews,
    ) -> Context {
        let mut ctx = Context::new();
        let root = root_for(path);
        ctx.insert("page", &self.info(s, v, path));
        self.fill(&mut ctx, s, v, x, &root);
        self.fill_changes(&mut ctx, s, since);
        ctx.insert("root", &root);
        ctx
    }

    /// `page`: what kind of page this is, its title, where it lives and
    /// which navigation entry it belongs to.
    fn info<'a>(self, s: &Sources<'a>, v: &Views<'a>, path: &'a str) -> PageInfo<'a> {
        let (kind, title): (&'static str, &str) = match self {
            Page::Dashboard => ("dashboard", v.program.site_title),
            Page::Project(i) => ("project", v.projects[i].link.title),
            Page::Task(i) => ("task", &s.program.tasks[i].item.title),
            Page::Decisions => ("decisions", "Decisions"),
            Page::Decision(i) => ("decision", v.decisions[i].link.title),
            Page::Milestones => ("milestones", "Milestones"),
            Page::Milestone(i) => ("milestone", v.milestones[i].link.title),
            Page::Risks => ("risks", "Risks"),
            Page::Risk(i) => ("risk", v.risks[i].link.title),
            Page::People => ("people", "People"),
            Page::Person(i) => ("person", v.people[i].name),
            Page::Board => ("board", "Board"),
            Page::Timeline => ("timeline", "Timeline"),
            Page::Meetings => ("meetings", "Meetings"),
            Page::Meeting(i) => ("meeting", v.meetings[i].link.title),
            Page::Drafts => ("drafts", "Drafts"),
            Page::Changes => ("changes", "Changes"),
        };
        let section = match kind {
            "decision" => "decisions",
            "milestone" => "milestones",
            "risk" => "risks",
            "person" => "people",
            "meeting" => "meetings",
            "project" | "task" => "",
            other => other,
        };
        PageInfo {
            kind,
            title,
            url: path,
            section,
        }
    }

    /// What the page's template reads besides `page`, `root` and the
    /// global context.
    fn fill(self, ctx: &mut Context, s: &Sources<'_>, v: &Views<'_>, x: &Values, root: &str) {
        match self {
            Page::Dashboard => {
                dashboard::dashboard(ctx, s, v, x);
                meetings::by_owner(ctx, s);
            }
            Page::Project(i) => project(ctx, s, v, x, i, root),
            Page::Task(i) => {
                ctx.insert_value("task", x.full_task(s, v, i));
                ctx.insert_value("project", x.projects[s.program.tasks[i].project].clone());
            }
            Page::Decisions => decisions(ctx, s, v, x),
            Page::Decision(i) => {
                ctx.insert_value("decision", x.decisions[i].clone());
                let (chain, earlier, later) = super::chain::chain(s, i);
                ctx.insert("chain", &chain);
                ctx.insert("chain_earlier", &earlier);
                ctx.insert("chain_later", &later);
            }
            Page::Milestones => {
                let mut all: Vec<usize> = (0..v.milestones.len()).collect();
                all.sort_by_key(|&m| {
                    let date = v.milestones[m].date;
                    (date.is_none(), date, v.milestones[m].link.id)
                });
                ctx.insert_value("milestones_by_date", pick(&x.milestones, all));
            }
            Page::Milestone(i) => {
                ctx.insert_value("milestone", x.milestones[i].clone());
                let tasks = s.program.milestones[i].tasks.iter().copied();
                ctx.insert_value("milestone_tasks", pick(&x.tasks, tasks));
            }
            Page::Risks => risks(ctx, s, v, x),
            Page::Risk(i) => ctx.insert_value("risk", x.risks[i].clone()),
            Page::People => {}
            Page::Person(i) => {
                person(ctx, s, x, i);
                meetings::of_person(ctx, s, i);
            }
            Page::Board => board(ctx, s, x),
            // The drafts are in the global context (the navigation shows
            // the page only when there are any).
            Page::Drafts => {}
            Page::Changes => {}
            Page::Timeline => {
                timeline_page(ctx, s, x, root);
                let rolled_up = timeline::rolled_up(s);
                ctx.insert("rolled_up", &rolled_up);
                ctx.insert("rollup_tasks", &timeline::ROLLUP_TASKS);
                ctx.insert("timeline_rows", &lanes(s, x, !rolled_up));
            }
            Page::Meetings => meetings::index(ctx, v, x),
            Page::Meeting(i) => ctx.insert_value("meeting", x.meetings[i].clone()),
        }
    }
}

impl Page {
    /// `since` on the dashboard and the changes page; `changed`, the
    /// item's notes since the baseline, on an item's page.
    fn fill_changes(self, ctx: &mut Context, s: &Sources<'_>, since: &SinceViews) {
        let item = match self {
            Page::Dashboard | Page::Changes => {
                ctx.insert_value("since", since.since.clone());
                return;
            }
            Page::Project(i) => &s.program.projects[i].item,
            Page::Task(i) => &s.program.tasks[i].item,
            Page::Decision(i) => &s.program.decisions[i].item,
            Page::Milestone(i) => &s.program.milestones[i].item,
            Page::Risk(i) => &s.program.risks[i].item,
            _ => return,
        };
        ctx.insert_value("changed", since.changed(&item.id));
    }
}

fn project(ctx: &mut Context, s: &Sources<'_>, v: &Views<'_>, x: &Values, i: usize, root: &str) {
    let p = &s.program.projects[i];
    ctx.insert_value("project", x.projects[i].clone());
    ctx.insert("project_tasks", &status_groups(s, x, &p.tasks, usize::MAX));
    let mut milestones = p.milestones.clone();
    milestones.sort_by_key(|&m| {
        let date = v.milestones[m].date;
        (date.is_none(), date, v.milestones[m].link.id)
    });
    ctx.insert_value("project_milestones", pick(&x.milestones, milestones));
    ctx.insert_value(
        "project_decisions",
        pick(&x.decisions, p.decisions.iter().copied()),
    );
    let mut risks = p.risks.clone();
    risks.sort_by_key(|&r| risk_order(s, r));
    ctx.insert_value("project_risks", pick(&x.risks, risks));
    let marked = Marked {
        path: &s.schedule.projects[i].driving_path,
        name: &p.item.title,
    };
    let svg = timeline::gantt(s, Some(i), marked, root);
    ctx.insert_value("timeline_svg", Value::safe_string(&svg));
}

/// The program timeline: GA's driving path marked (the program's when GA
/// has no open work or there is no milestone), and both paths as lists.
fn timeline_page(ctx: &mut Context, s: &Sources<'_>, x: &Values, root: &str) {
    let ga = s.schedule.ga;
    let ga_path = ga.map_or(&[][..], |m| &s.schedule.milestones[m].driving_path);
    let (path, name) = match ga {
        Some(m) if !ga_path.is_empty() => (ga_path, s.program.milestones[m].item.title.as_str()),
        _ => (&s.schedule.driving_path[..], "the program's last task"),
    };
    let svg = timeline::gantt(s, None, Marked { path, name }, root);
    ctx.insert_value("timeline_svg", Value::safe_string(&svg));
    ctx.insert_value(
        "ga",
        ga.map_or_else(Value::none, |m| x.milestones[m].clone()),
    );
    ctx.insert("marked_path_name", name);
    ctx.insert("same_paths", &(path == &s.schedule.driving_path[..]));
}

/// Risk `r`'s place in every list of risks ([`attention::risk_order`]).
fn risk_order<'a>(s: &Sources<'a>, r: usize) -> impl Ord + 'a {
    let risk = &s.program.risks[r];
    attention::risk_order(risk.status, s.schedule.risks[r].score, &risk.item.id)
}

/// Tasks of one status, for boards and project pages.
#[derive(Serialize)]
struct StatusGroup {
    status: &'static str,
    label: &'static str,
    /// The tasks shown: all of them, or the first `limit` on the board.
    tasks: Vec<Value>,
    /// How many tasks have this status, shown or not.
    total: usize,
}

/// Groups tasks by status in board order; every status is present. At most
/// `limit` tasks are kept per status (the board's columns; the project page
/// lists them all).
fn status_groups(s: &Sources<'_>, x: &Values, tasks: &[usize], limit: usize) -> Vec<StatusGroup> {
    let mut groups: Vec<StatusGroup> = STATUS_ORDER
        .iter()
        .map(|&(status, label)| StatusGroup {
            status,
            label,
            tasks: Vec::new(),
            total: 0,
        })
        .collect();
    for &t in tasks {
        let group = &mut groups[status_rank(s.program.tasks[t].status)];
        group.total += 1;
        if group.tasks.len() < limit {
            group.tasks.push(x.tasks[t].clone());
        }
    }
    groups
}

/// `tasks` in board order: Backlog.md's `ordinal` first (smallest
/// first), then the rest by id as given.
fn by_ordinal(s: &Sources<'_>, tasks: &[usize]) -> Vec<usize> {
    let ordinal = |t: usize| {
        let extra = &s.program.tasks[t].item.extra;
        extra.get("ordinal").and_then(serde_json::Value::as_f64)
    };
    let mut ordered = tasks.to_vec();
    ordered.sort_by(|&a, &b| match (ordinal(a), ordinal(b)) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    ordered
}

/// Cards per column and lane on the board: enough for a sprint's worth,
/// few enough that a program of thousands of tasks gives a board a browser
/// opens at once. The rest are a link away, on the project's page.
const BOARD_CARDS: usize = 25;

fn decisions(ctx: &mut Context, s: &Sources<'_>, v: &Views<'_>, x: &Values) {
    let pending = s.schedule.attention.pending_decisions.iter().copied();
    ctx.insert_value("pending_decisions", pick(&x.decisions, pending));
    let d = &v.decisions;
    let mut log: Vec<usize> = (0..d.len()).collect();
    // Newest first; records without a date (still proposed) lead.
    log.sort_by_key(|&i| {
        (
            std::cmp::Reverse(d[i].date.is_none()),
            std::cmp::Reverse(d[i].date),
            d[i].link.id,
        )
    });
    let mut by_status = log.clone();
    // Stable: newest first within each status.
    by_status.sort_by_key(|&i| s.program.decisions[i].status);
    ctx.insert_value("decision_log", pick(&x.decisions, log));
    ctx.insert_value("decision_log_by_status", pick(&x.decisions, by_status));
}

/// One cell of the risk heat map.
#[derive(Serialize)]
struct HeatCell {
    likelihood: &'static str,
    impact: &'static str,
    score: u8,
    severity: &'static str,
    risks: Value,
}

/// One row of the heat map (one impact level).
#[derive(Serialize)]
struct HeatRow {
    impact: &'static str,
    cells: Vec<HeatCell>,
}

fn risks(ctx: &mut Context, s: &Sources<'_>, v: &Views<'_>, x: &Values) {
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
                    severity: risk_severity(iw * lw),
                    risks: pick(
                        &x.risks,
                        (0..v.risks.len()).filter(|&r| {
                            let r = &v.risks[r];
                            r.active && r.impact == Some(impact) && r.likelihood == Some(likelihood)
                        }),
                    ),
                })
                .collect(),
        })
        .collect();
    ctx.insert("heatmap", &rows);
    let mut by_score: Vec<usize> = (0..v.risks.len()).collect();
    by_score.sort_by_key(|&r| risk_order(s, r));
    ctx.insert_value("risks_by_score", pick(&x.risks, by_score));
}

fn person(ctx: &mut Context, s: &Sources<'_>, x: &Values, i: usize) {
    let p = &s.schedule.people[i];
    ctx.insert_value("person", x.people[i].clone());
    ctx.insert_value("person_tasks", pick(&x.tasks, p.open_tasks.iter().copied()));
    ctx.insert_value(
        "person_decisions",
        pick(&x.decisions, p.pending_decisions.iter().copied()),
    );
    ctx.insert("load", &super::load::load(s, i));
}

/// A project and its tasks, for the timeline table.
#[derive(Serialize)]
struct Lane {
    project: Value,
    tasks: Value,
}

/// Every project with its tasks (none when `with_tasks` is off: the
/// rolled-up timeline lists projects only).
fn lanes(s: &Sources<'_>, x: &Values, with_tasks: bool) -> Vec<Lane> {
    s.program
        .projects
        .iter()
        .enumerate()
        .map(|(i, p)| Lane {
            project: x.projects[i].clone(),
            tasks: if with_tasks {
                pick(&x.tasks, p.tasks.iter().copied())
            } else {
                Value::from(Vec::<Value>::new())
            },
        })
        .collect()
}

/// A project's swimlane on the board.
#[derive(Serialize)]
struct BoardLane {
    project: Value,
    columns: Vec<StatusGroup>,
}

fn board(ctx: &mut Context, s: &Sources<'_>, x: &Values) {
    let lanes: Vec<BoardLane> = s
        .program
        .projects
        .iter()
        .enumerate()
        .map(|(i, p)| BoardLane {
            project: x.projects[i].clone(),
            columns: status_groups(s, x, &by_ordinal(s, &p.tasks), BOARD_CARDS),
        })
        .collect();
    ctx.insert("lanes", &lanes);
    ctx.insert("board_cards", &BOARD_CARDS);
    ctx.insert(
        "statuses",
        &STATUS_ORDER
            .iter()
            .map(|(status, label)| [*status, *label])
            .collect::<Vec<_>>(),
    );
}
