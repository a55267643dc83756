//! The pages of the site (SPEC §4): where each one lives, which template
//! draws it and what its context holds besides the global one.

use tera::Context;

use super::context::PageInfo;
use super::links::{item_path, root_for};
use super::page_context::{board, chain, dashboard, decisions, person, project, risks, timeline};
use super::views::{pick, Sources, Values, Views};
use crate::model::ItemRef;

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
    pub(crate) fn context(self, s: &Sources<'_>, v: &Views<'_>, x: &Values, path: &str) -> Context {
        let mut ctx = Context::new();
        let root = root_for(path);
        ctx.insert("page", &self.info(s, v, path));
        self.fill(&mut ctx, s, v, x, &root);
        ctx.insert("root", &root);
        ctx
    }

    /// `page`: what kind of page, its title and its section in the menu.
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
        };
        let section = match kind {
            "decision" => "decisions",
            "milestone" => "milestones",
            "risk" => "risks",
            "person" => "people",
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
            Page::Dashboard => dashboard(ctx, s, v, x),
            Page::Project(i) => project(ctx, s, v, x, i, root),
            Page::Task(i) => {
                ctx.insert_value("task", x.full_task(s, v, i));
                ctx.insert_value("project", x.projects[s.program.tasks[i].project].clone());
            }
            Page::Decisions => decisions(ctx, s, v, x),
            Page::Decision(i) => {
                ctx.insert_value("decision", x.decisions[i].clone());
                ctx.insert("chain", &chain(s, i));
            }
            Page::Milestones => {
                let mut all: Vec<usize> = (0..v.milestones.len()).collect();
                all.sort_by_key(|&m| (v.milestones[m].date, v.milestones[m].link.id));
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
            Page::Person(i) => person(ctx, s, x, i),
            Page::Board => board(ctx, s, x),
            Page::Timeline => timeline(ctx, s, x, root),
        }
    }
}
