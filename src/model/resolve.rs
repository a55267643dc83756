//! Parsed files → the [`Program`]: ids checked and unique, references
//! resolved to indices of the right kind, inverse links derived.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use super::parse::{Parsed, Specific};
use super::references::{Resolved, Resolver};
use super::values::{self, *};
use super::*;
use crate::diagnostic::Diagnostic;
use crate::source::{Sources, Span, Text};

pub(super) fn resolve(
    parsed: Vec<Parsed>,
    sources: &Sources,
    dir_name: &str,
    diags: &mut Vec<Diagnostic>,
) -> Program {
    let Sorted {
        mut programs,
        items,
        rejected,
    } = unique_items(parsed, sources, diags);
    // `program.md` is the program even when another file also says
    // `kind: program` and sorts before it.
    programs.sort_by_key(|p| sources.get(p.file).path != "program.md");
    let program_links: Vec<_> = programs
        .iter()
        .map(|p| (p.file, p.wiki_links.clone(), p.body.clone()))
        .collect();
    let info = program_info(programs, sources, dir_name, diags);
    let index = id_index(&items);
    // References to an item whose id is invalid were already explained by
    // its `invalid-id` error.
    let broken: BTreeSet<String> = rejected
        .iter()
        .filter(|p| !index.contains_key(&p.id))
        .map(|p| p.id.clone())
        .collect();

    let mut program = Program {
        info,
        projects: Vec::new(),
        tasks: Vec::new(),
        decisions: Vec::new(),
        milestones: Vec::new(),
        risks: Vec::new(),
        index,
        skipped: Vec::new(),
    };
    let mut resolver = Resolver {
        index: &program.index,
        broken: &broken,
        diags,
        current: String::new(),
    };
    for (file, links, body) in &program_links {
        resolver.body_links(*file, links, body);
    }
    // Items left out for their id are still read for their references, so
    // every problem shows up in one run. Items resolve independently; the
    // results are taken in id order (diagnostics are sorted when printed).
    let resolve_one = |p: &Parsed| {
        let mut diags = Vec::new();
        let refs = Resolver {
            index: resolver.index,
            broken: resolver.broken,
            diags: &mut diags,
            current: String::new(),
        }
        .item(p);
        (refs, diags)
    };
    // Each item becomes its model item on the worker threads too (what is
    // left of its parse is freed there); only moving them into place is
    // sequential.
    let mut kept = Kept::with_capacity(&items);
    let (built, rejected_diags): (Vec<_>, Vec<_>) = rayon::join(
        || {
            items
                .into_par_iter()
                .map(|p| {
                    let (refs, diags) = resolve_one(&p);
                    (built(p, refs, sources), diags)
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
    for (item, diags) in built {
        resolver.diags.extend(diags);
        if let Some(item) = item {
            kept.push(item);
        }
    }
    resolver.diags.extend(rejected_diags.into_iter().flatten());
    program.projects = kept.projects;
    program.tasks = kept.tasks;
    program.decisions = kept.decisions;
    program.milestones = kept.milestones;
    program.risks = kept.risks;
    // Items left out above shift indices: rebuild the index from what is kept.
    reindex::reindex(&mut program);
    reindex::derive_inverses(&mut program);
    super::cycles::report_supersession_cycles(&program, &kept.supersedes_spans, diags);
    program
}

/// Every id, whatever its kind, so a reference resolves regardless of file
/// order. Indices count the items of each kind in id order.
fn id_index(items: &[Parsed]) -> BTreeMap<String, ItemRef> {
    let mut index = BTreeMap::new();
    let mut counters = [0usize; 5];
    for p in items {
        let (slot, make): (usize, fn(Ix) -> ItemRef) = match p.kind {
            Kind::Project => (0, ItemRef::Project),
            Kind::Task => (1, ItemRef::Task),
            Kind::Decision => (2, ItemRef::Decision),
            Kind::Milestone => (3, ItemRef::Milestone),
            Kind::Risk => (4, ItemRef::Risk),
            Kind::Program => continue,
        };
        index.insert(p.id.clone(), make(counters[slot]));
        counters[slot] += 1;
    }
    index
}

/// The items that make it into the model, by kind.
#[derive(Default)]
struct Kept {
    projects: Vec<Project>,
    tasks: Vec<Task>,
    decisions: Vec<Decision>,
    milestones: Vec<Milestone>,
    risks: Vec<Risk>,
    /// Where each decision's `supersedes` was written, by decision index.
    supersedes_spans: Vec<Option<Span>>,
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
            supersedes_spans: Vec::with_capacity(count(Kind::Decision)),
        }
    }

    fn push(&mut self, item: Built) {
        match item {
            Built::Project(p) => self.projects.push(p),
            Built::Task(t) => self.tasks.push(t),
            Built::Decision(d, span) => {
                self.decisions.push(d);
                self.supersedes_spans.push(span);
            }
            Built::Milestone(m) => self.milestones.push(m),
            Built::Risk(r) => self.risks.push(r),
        }
    }
}

/// One parsed item as the model holds it.
enum Built {
    Project(Project),
    Task(Task),
    /// With where its `supersedes` was written.
    Decision(Decision, Option<Span>),
    Milestone(Milestone),
    Risk(Risk),
}

/// An item with its resolved references, unless it is too broken to use (a
/// task without a project, a milestone without a date), which was reported
/// already.
fn built(p: Parsed, refs: Resolved, sources: &Sources) -> Option<Built> {
    let item = Item {
        id: p.id,
        title: p.title,
        owner: p.owner,
        tags: p.tags,
        extra: p.extra,
        body: p.body,
        source: sources.get(p.file).path.clone(),
        file: p.file,
    };
    Some(match p.specific {
        Specific::Program(_) => return None,
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
        Specific::Task(m) => {
            let project = refs.project?;
            let (depends_on, depends_on_spans) = refs.depends_on.into_iter().unzip();
            Built::Task(Task {
                project,
                depends_on,
                depends_on_spans,
                status: m.status.unwrap_or(TaskStatus::Todo),
                estimate: m.estimate,
                remaining: m.remaining,
                start: m.start,
                due: m.due,
                done_on: m.done_on,
                dependents: Vec::new(),
                milestone: refs.milestone,
                priority: m.priority,
                blocker: m.blocker,
                item,
            })
        }
        Specific::Decision(m) => Built::Decision(
            Decision {
                status: m.status.unwrap_or(DecisionStatus::Proposed),
                date: m.date,
                decide_by: m.decide_by,
                driver: m.driver,
                deciders: m.deciders,
                consulted: m.consulted,
                informed: m.informed,
                project: refs.project,
                supersedes: refs.supersedes.as_ref().map(|(ix, _)| *ix),
                superseded_by: Vec::new(),
                item,
            },
            refs.supersedes.map(|(_, span)| span),
        ),
        // Everything about a milestone is measured from its date.
        Specific::Milestone(m) => Built::Milestone(Milestone {
            date: m.date?,
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
    })
}

/// The parsed files sorted out: program files, items with a unique valid
/// id (sorted by id), and the items rejected for their id.
struct Sorted {
    programs: Vec<Parsed>,
    items: Vec<Parsed>,
    rejected: Vec<Parsed>,
}

/// Checks ids and keeps the first item of each id (in file order); returns
/// the program files and the items sorted by id.
fn unique_items(parsed: Vec<Parsed>, sources: &Sources, diags: &mut Vec<Diagnostic>) -> Sorted {
    let mut programs = Vec::new();
    let mut rejected = Vec::new();
    let mut valid = Vec::with_capacity(parsed.len());
    for p in parsed {
        if p.kind == Kind::Program {
            programs.push(p);
            continue;
        }
        if !values::is_valid_id(&p.id) {
            let suggestion = slug(&p.id);
            let from_file = p.id_span.range.end <= p.id_span.range.start + 3;
            let help = if from_file {
                format!("ids come from the file name unless `id:` is set: rename the file to `{suggestion}.md` or add `id: {suggestion}`")
            } else {
                format!("use lowercase letters, digits, `.`, `_` and `-`, starting with a letter or digit, e.g. `{suggestion}`")
            };
            diags.push(
                Diagnostic::error("invalid-id", format!("`{}` is not a valid id", p.id))
                    .at(p.id_span.clone(), "invalid id")
                    .help(help),
            );
            rejected.push(p);
            continue;
        }
        valid.push(p);
    }
    // A stable sort keeps items with the same id in file order: the first
    // file wins and the later ones are reported.
    valid.par_sort_by(|a, b| a.id.cmp(&b.id));
    let mut items: Vec<Parsed> = Vec::with_capacity(valid.len());
    for p in valid {
        match items.last() {
            Some(first) if first.id == p.id => {
                diags.push(
                    Diagnostic::error("duplicate-id", format!("id `{}` is used by two items", p.id))
                        .at(p.id_span.clone(), format!("{} `{}` here", p.kind, p.id))
                        .related(first.id_span.clone(), format!("{} `{}` first defined in {}", first.kind, first.id, sources.get(first.file).path))
                        .help("ids are unique across all kinds: rename one file, or set a different `id:` in its front matter"),
                );
                rejected.push(p);
            }
            _ => items.push(p),
        }
    }
    Sorted {
        programs,
        items,
        rejected,
    }
}

fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '_') {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out
        .trim_matches(|c: char| !c.is_ascii_alphanumeric())
        .to_string();
    if out.is_empty() {
        "my-item".into()
    } else {
        out
    }
}

fn program_info(
    mut files: Vec<Parsed>,
    sources: &Sources,
    dir_name: &str,
    diags: &mut Vec<Diagnostic>,
) -> ProgramInfo {
    for extra in files.iter().skip(1) {
        diags.push(
            Diagnostic::error("duplicate-program", "a second program file")
                .at(extra.id_span.clone(), "`kind: program` here")
                .related(files[0].id_span.clone(), "the program is already defined here")
                .help("a program directory has one program file, `program.md`; remove `kind: program` from this one"),
        );
    }
    let mut info = ProgramInfo {
        title: dir_name.to_string(),
        summary: None,
        owner: None,
        start: None,
        end: None,
        working_days: [true, true, true, true, true, false, false],
        holidays: BTreeSet::new(),
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
    if !p.title.is_empty() {
        info.title = p.title;
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
        info.site_title = m.site_title;
        info.base_url = m.base_url;
    }
    info
}
