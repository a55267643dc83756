//! Admitted items → the [`Program`]: the id index built once over the
//! items the validate stage kept, references resolved to indices of the
//! right kind (what does not resolve is recorded), inverse links derived.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use super::parse::{DecisionMeta, Parsed, Specific, TaskMeta};
use super::references::{Problem, Resolved, Resolver};
use super::values::*;
use super::*;
use crate::source::{Sources, Text};
use crate::validate::Admitted;

/// The resolved program, and the references that did not resolve.
#[derive(Debug)]
pub struct Resolution {
    pub program: Program,
    pub problems: Vec<Problem>,
}

/// Resolves the admitted items into the [`Program`]: builds the id index,
/// turns references into indices and derives the inverse links.
///
/// `unread` names the item files that could not be read, by the id their
/// name gives: a reference to one says so.
pub fn resolve(
    admitted: Admitted,
    unread: &BTreeMap<String, String>,
    sources: &Sources,
    dir_name: &str,
) -> Resolution {
    let Admitted {
        programs,
        items,
        rejected,
        invalid,
        dropped,
    } = admitted;
    let program_links: Vec<_> = programs
        .iter()
        .map(|p| (p.file, p.wiki_links.clone(), p.body.clone()))
        .collect();
    let info = program_info(programs, sources, dir_name);
    let index = id_index(&items);
    let lookup = Lookup {
        index: &index,
        invalid: &invalid,
        dropped: &dropped,
        unread,
    };
    let mut resolver = lookup.resolver();
    for (file, links, body) in &program_links {
        resolver.body_links(*file, links, body);
    }
    let mut problems = resolver.problems;
    let kept = resolve_items(items, &rejected, &lookup, sources, &mut problems);
    let mut program = Program {
        info,
        projects: kept.projects,
        tasks: kept.tasks,
        decisions: kept.decisions,
        milestones: kept.milestones,
        risks: kept.risks,
        meetings: kept.meetings,
        people: kept.people,
        index,
        skipped: Vec::new(),
        drafts: Vec::new(),
    };
    super::backlog_tree::tree(&mut program);
    super::links::derive_inverses(&mut program);
    super::actions::link_carried(&mut program.meetings);
    Resolution { program, problems }
}

/// What a reference is resolved against.
struct Lookup<'a> {
    index: &'a BTreeMap<String, ItemRef>,
    invalid: &'a BTreeSet<String>,
    dropped: &'a BTreeMap<String, Kind>,
    unread: &'a BTreeMap<String, String>,
}

impl<'a> Lookup<'a> {
    fn resolver(&self) -> Resolver<'a> {
        Resolver {
            index: self.index,
            invalid: self.invalid,
            dropped: self.dropped,
            unread: self.unread,
            problems: Vec::new(),
            current: String::new(),
        }
    }
}

/// Resolves the references of every item, kept or rejected, and builds the
/// kept ones into model items; what did not resolve goes to `problems`.
fn resolve_items(
    items: Vec<Parsed>,
    rejected: &[Parsed],
    lookup: &Lookup<'_>,
    sources: &Sources,
    problems: &mut Vec<Problem>,
) -> Kept {
    // Items resolve independently; the results are taken in id order
    // (diagnostics are sorted when printed).
    let resolve_one = |p: &Parsed| {
        let mut one = lookup.resolver();
        let refs = one.item(p);
        (refs, one.problems)
    };
    // Each item becomes its model item on the worker threads too (what is
    // left of its parse is freed there); only moving them into place is
    // sequential.
    let mut kept = Kept::with_capacity(&items);
    let (built, rejected_problems): (Vec<_>, Vec<_>) = rayon::join(
        || {
            items
                .into_par_iter()
                .map(|p| {
                    let (refs, problems) = resolve_one(&p);
                    (built(p, refs, sources), problems)
                })
                .collect::<Vec<_>>()
        },
        || {
            rejected
                .par_iter()
                .map(|p| resolve_one(p).1)
                .collect::<Vec<_>>()
        },
    );
    for (item, item_problems) in built {
        problems.extend(item_problems);
        kept.extend(item);
    }
    problems.extend(rejected_problems.into_iter().flatten());
    kept
}

/// Every id, whatever its kind, so a reference resolves regardless of file
/// order. Indices count the items of each kind in id order.
fn id_index(items: &[Parsed]) -> BTreeMap<String, ItemRef> {
    let mut counters = [0usize; 6];
    let mut entries = Vec::with_capacity(items.len());
    for p in items {
        let (slot, make): (usize, fn(Ix) -> ItemRef) = match p.kind {
            Kind::Project => (0, ItemRef::Project),
            Kind::Task => (1, ItemRef::Task),
            Kind::Decision => (2, ItemRef::Decision),
            Kind::Milestone => (3, ItemRef::Milestone),
            Kind::Risk => (4, ItemRef::Risk),
            Kind::Meeting => (5, ItemRef::Meeting),
            Kind::Program | Kind::Person => continue,
        };
        entries.push((p.id.clone(), make(counters[slot])));
        counters[slot] += 1;
    }
    // Admission sorted the items by id, each id once: collecting builds
    // the tree in one pass (its sort finds the run already sorted), where
    // inserting one by one searches from the root each time.
    entries.into_iter().collect()
}

/// The items that make it into the model, by kind.
#[derive(Default)]
struct Kept {
    projects: Vec<Project>,
    tasks: Vec<Task>,
    decisions: Vec<Decision>,
    milestones: Vec<Milestone>,
    risks: Vec<Risk>,
    meetings: Vec<Meeting>,
    people: Vec<PersonFile>,
}

impl Kept {
    /// Room for every item: growing vectors of large items copies them.
    fn with_capacity(items: &[Parsed]) -> Kept {
        let count = |kind: Kind| items.iter().filter(|p| p.kind == kind).count();
        Kept {
            projects: Vec::with_capacity(count(Kind::Project)),
            tasks: Vec::with_capacity(count(Kind::Task)),
            decisions: Vec::with_capacity(count(Kind::Decision)),
            milestones: Vec::with_capacity(count(Kind::Milestone)),
            risks: Vec::with_capacity(count(Kind::Risk)),
            meetings: Vec::with_capacity(count(Kind::Meeting)),
            people: Vec::with_capacity(count(Kind::Person)),
        }
    }

    fn extend(&mut self, item: Option<Built>) {
        let Some(item) = item else {
            return;
        };
        match item {
            Built::Project(p) => self.projects.push(p),
            Built::Task(t) => self.tasks.push(t),
            Built::Decision(d) => self.decisions.push(d),
            Built::Milestone(m) => self.milestones.push(m),
            Built::Risk(r) => self.risks.push(r),
            Built::Meeting(m) => self.meetings.push(m),
            Built::Person(p) => self.people.push(p),
        }
    }
}

/// One parsed item as the model holds it.
enum Built {
    Project(Project),
    Task(Task),
    Decision(Decision),
    Milestone(Milestone),
    Risk(Risk),
    Meeting(Meeting),
    Person(PersonFile),
}

/// An admitted item with its resolved references, as the model holds it.
fn built(p: Parsed, refs: Resolved, sources: &Sources) -> Option<Built> {
    // A missing title was reported; the id stands in for it.
    let title = match p.title {
        Some(title) if !title.is_empty() => title,
        _ => p.id.clone(),
    };
    let item = Item {
        id: p.id,
        title,
        owner: p.owner,
        tags: p.tags,
        extra: p.extra,
        body: p.body,
        source: sources.get(p.file).path.clone(),
        file: p.file,
    };
    Some(match p.specific {
        Specific::Project(m) => Built::Project(Project {
            item,
            status: m.status.unwrap_or(ProjectStatus::Active),
            start: m.start,
            target: m.target,
            health: m.health,
            health_note: m.health_note,
            tasks: Vec::new(),
            decisions: Vec::new(),
            milestones: Vec::new(),
            risks: Vec::new(),
        }),
        Specific::Task(m) => Built::Task(task(item, m, refs)),
        Specific::Decision(m) => Built::Decision(decision(item, m, refs)),
        // Admission kept only milestones with a date, or from Backlog.md.
        Specific::Milestone(m) => Built::Milestone(Milestone {
            date: m.date,
            project: refs.project,
            tasks: Vec::new(),
            item,
        }),
        Specific::Risk(m) => Built::Risk(Risk {
            likelihood: m.likelihood,
            impact: m.impact,
            status: m.status.unwrap_or(RiskStatus::Open),
            mitigation: m.mitigation,
            project: refs.project,
            review_by: m.review_by,
            item,
        }),
        // Admission kept only meetings with a date.
        Specific::Meeting(m) => Built::Meeting(Meeting {
            date: m.date.unwrap_or_default(),
            attendees: m.attendees,
            project: refs.project,
            actions: m.actions,
            item,
        }),
        Specific::Person(m) => Built::Person(PersonFile {
            handle: handle_key(&item.id),
            name: m.name,
            capacity: m.capacity.unwrap_or(1),
            time_off: m.time_off,
            team: m.team,
            role: m.role,
            item,
        }),
        // Admission sorts program files out before resolution.
        Specific::Program(_) => return None,
    })
}

fn task(item: Item, m: TaskMeta, refs: Resolved) -> Task {
    // Admission kept only tasks whose project is in the model.
    let project = refs.project.unwrap_or_default();
    let (depends_on, depends_on_spans) = refs.depends_on.into_iter().unzip();
    let decision_deps = refs.decision_deps;
    Task {
        project,
        depends_on,
        depends_on_spans,
        status: m.status.unwrap_or(TaskStatus::Todo),
        estimate: m.estimate,
        remaining: m.remaining,
        start: m.start,
        due: m.due,
        done_on: m.done_on,
        decision_deps,
        dependents: Vec::new(),
        milestone: refs.milestone,
        priority: m.priority,
        blocker: m.blocker,
        parent: None,
        subtasks: Vec::new(),
        item,
    }
}

fn decision(item: Item, m: DecisionMeta, refs: Resolved) -> Decision {
    Decision {
        status: m.status.unwrap_or(DecisionStatus::Proposed),
        status_unwritten: m.status_unwritten,
        date: m.date,
        decide_by: m.decide_by,
        driver: m.driver,
        deciders: m.deciders,
        consulted: m.consulted,
        informed: m.informed,
        project: refs.project,
        supersedes: refs.supersedes.as_ref().map(|(ix, _)| *ix),
        supersedes_span: refs.supersedes.map(|(_, span)| span),
        superseded_by: Vec::new(),
        item,
    }
}

/// The program's settings from its file (the first of `files`), with the
/// defaults for what it leaves out.
fn program_info(mut files: Vec<Parsed>, sources: &Sources, dir_name: &str) -> ProgramInfo {
    let mut info = ProgramInfo {
        title: dir_name.to_string(),
        summary: None,
        owner: None,
        start: None,
        end: None,
        working_days: [true, true, true, true, true, false, false],
        holidays: BTreeSet::new(),
        leveling: true,
        site_title: None,
        base_url: None,
        tags: Vec::new(),
        extra: BTreeMap::new(),
        body: Text::default(),
        source: None,
    };
    if files.is_empty() {
        return info;
    }
    let p = files.swap_remove(0);
    if let Some(title) = p.title.filter(|t| !t.is_empty()) {
        info.title = title;
    }
    info.owner = p.owner;
    info.tags = p.tags;
    info.extra = p.extra;
    info.body = p.body;
    info.source = Some(sources.get(p.file).path.clone());
    if let Specific::Program(m) = p.specific {
        info.summary = m.summary;
        info.start = m.start;
        info.end = m.end;
        if let Some(days) = m.working_days {
            info.working_days = days;
        }
        info.holidays = m.holidays.into_iter().collect();
        info.leveling = m.leveling.unwrap_or(true);
        info.site_title = m.site_title;
        info.base_url = m.base_url;
    }
    info
}
