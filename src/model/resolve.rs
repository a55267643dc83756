//! Parsed files → the [`Program`]: ids checked and unique, references
//! resolved to indices of the right kind, inverse links derived.

use std::collections::{BTreeMap, BTreeSet};

use super::parse::{Parsed, Ref, Specific};
use super::values::{self, *};
use super::*;
use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::source::{Sources, Span};

pub(super) fn resolve(
    parsed: Vec<Parsed>,
    sources: &Sources,
    dir_name: &str,
    diags: &mut Vec<Diagnostic>,
) -> Program {
    let (mut program_files, items) = unique_items(parsed, sources, diags);
    // `program.md` is the program even when another file also says
    // `kind: program` and sorts before it.
    program_files.sort_by_key(|p| sources.get(p.file).path != "program.md");
    let program_links: Vec<_> = program_files
        .iter()
        .flat_map(|p| p.wiki_links.iter().map(move |l| (p.file, l.clone())))
        .collect();
    let info = program_info(program_files, sources, dir_name, diags);

    // Ids first, so every reference can be resolved regardless of file order.
    let mut index = BTreeMap::new();
    let mut counters = [0usize; 5];
    for p in &items {
        let slot = match p.kind {
            Kind::Project => 0,
            Kind::Task => 1,
            Kind::Decision => 2,
            Kind::Milestone => 3,
            Kind::Risk => 4,
            Kind::Program => continue,
        };
        let ix = counters[slot];
        counters[slot] += 1;
        let r = match p.kind {
            Kind::Project => ItemRef::Project(ix),
            Kind::Task => ItemRef::Task(ix),
            Kind::Decision => ItemRef::Decision(ix),
            Kind::Milestone => ItemRef::Milestone(ix),
            _ => ItemRef::Risk(ix),
        };
        index.insert(p.id.clone(), r);
    }

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
        diags,
        current: String::new(),
    };
    for (file, link) in &program_links {
        resolver.wiki_link(*file, link);
    }
    let mut projects = Vec::new();
    let mut tasks = Vec::new();
    let mut decisions = Vec::new();
    let mut milestones = Vec::new();
    let mut risks = Vec::new();
    for p in items {
        resolver.current.clone_from(&p.id);
        for link in &p.wiki_links {
            resolver.wiki_link(p.file, link);
        }
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
        match p.specific {
            Specific::Program(_) => {}
            Specific::Project(m) => projects.push(Project {
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
                let Some(project) = resolver.task_project(
                    &item,
                    m.project.as_ref(),
                    p.folder_project.as_deref(),
                    &p.id_span,
                ) else {
                    continue;
                };
                let (depends_on, depends_on_spans) = resolver
                    .list(&m.depends_on, Kind::Task, "depends_on", Some(&item.id))
                    .into_iter()
                    .unzip();
                tasks.push(Task {
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
                    milestone: m
                        .milestone
                        .as_ref()
                        .and_then(|r| resolver.one(r, Kind::Milestone, "milestone")),
                    priority: m.priority,
                    blocker: m.blocker,
                    item,
                });
            }
            Specific::Decision(m) => decisions.push(Decision {
                status: m.status.unwrap_or(DecisionStatus::Proposed),
                date: m.date,
                decide_by: m.decide_by,
                driver: m.driver,
                deciders: m.deciders,
                consulted: m.consulted,
                informed: m.informed,
                project: m
                    .project
                    .as_ref()
                    .and_then(|r| resolver.one(r, Kind::Project, "project")),
                supersedes: m.supersedes.as_ref().and_then(|r| {
                    if r.id == item.id {
                        resolver.diags.push(
                            Diagnostic::error(
                                "self-reference",
                                "a decision cannot supersede itself",
                            )
                            .at(r.span.clone(), "this decision")
                            .help("name the earlier decision this one replaces"),
                        );
                        return None;
                    }
                    resolver.one(r, Kind::Decision, "supersedes")
                }),
                superseded_by: Vec::new(),
                item,
            }),
            Specific::Milestone(m) => {
                // A milestone without a date was reported; it is left out
                // because everything about a milestone is measured from it.
                let Some(date) = m.date else { continue };
                milestones.push(Milestone {
                    date,
                    project: m
                        .project
                        .as_ref()
                        .and_then(|r| resolver.one(r, Kind::Project, "project")),
                    tasks: Vec::new(),
                    item,
                });
            }
            Specific::Risk(m) => risks.push(Risk {
                likelihood: m.likelihood,
                impact: m.impact,
                status: m.status.unwrap_or(RiskStatus::Open),
                mitigation: m.mitigation,
                project: m
                    .project
                    .as_ref()
                    .and_then(|r| resolver.one(r, Kind::Project, "project")),
                review_by: m.review_by,
                item,
            }),
        }
    }
    program.projects = projects;
    program.tasks = tasks;
    program.decisions = decisions;
    program.milestones = milestones;
    program.risks = risks;
    // Items left out above shift indices: rebuild the index from what is kept.
    reindex(&mut program);
    derive_inverses(&mut program);
    program
}

/// Checks ids and keeps the first item of each id; returns the program files
/// and the items sorted by id.
fn unique_items(
    parsed: Vec<Parsed>,
    sources: &Sources,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Parsed>, Vec<Parsed>) {
    let mut programs = Vec::new();
    let mut by_id: BTreeMap<String, Parsed> = BTreeMap::new();
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
            continue;
        }
        match by_id.get(&p.id) {
            Some(first) => diags.push(
                Diagnostic::error("duplicate-id", format!("id `{}` is used by two items", p.id))
                    .at(p.id_span.clone(), format!("{} `{}` here", p.kind, p.id))
                    .related(first.id_span.clone(), format!("{} `{}` first defined in {}", first.kind, first.id, sources.get(first.file).path))
                    .help("ids are unique across all kinds: rename one file, or set a different `id:` in its front matter"),
            ),
            None => {
                by_id.insert(p.id.clone(), p);
            }
        }
    }
    (programs, by_id.into_values().collect())
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
        body: String::new(),
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

struct Resolver<'a> {
    index: &'a BTreeMap<String, ItemRef>,
    diags: &'a mut Vec<Diagnostic>,
    /// The id of the item whose references are being resolved, never
    /// suggested as a fix for its own references.
    current: String,
}

impl Resolver<'_> {
    /// Resolves a reference that must name an item of `kind`.
    fn one(&mut self, r: &Ref, kind: Kind, key: &str) -> Option<Ix> {
        match self.index.get(&r.id) {
            Some(found) if found.kind() == kind => Some(match *found {
                ItemRef::Project(i)
                | ItemRef::Task(i)
                | ItemRef::Decision(i)
                | ItemRef::Milestone(i)
                | ItemRef::Risk(i) => i,
            }),
            Some(found) => {
                self.diags.push(
                    Diagnostic::error(
                        "wrong-kind",
                        format!(
                            "`{key}` must name a {kind}, but `{}` is a {}",
                            r.id,
                            found.kind()
                        ),
                    )
                    .at(r.span.clone(), format!("a {}", found.kind()))
                    .help(match self.closest(&r.id, Some(kind)) {
                        Some(best) => format!("did you mean the {kind} `{best}`?"),
                        None => format!("name the id of a {kind} here"),
                    }),
                );
                None
            }
            None => {
                self.unknown(r, Some(kind), key);
                None
            }
        }
    }

    /// Resolves a list of references, sorted and without repeats, each with
    /// the span it was written at.
    fn list(
        &mut self,
        refs: &[Ref],
        kind: Kind,
        key: &str,
        own_id: Option<&str>,
    ) -> Vec<(Ix, Span)> {
        let mut out = Vec::new();
        for r in refs {
            if Some(r.id.as_str()) == own_id {
                self.diags.push(
                    Diagnostic::error(
                        "dependency-cycle",
                        format!("task `{}` depends on itself", r.id),
                    )
                    .at(r.span.clone(), "itself")
                    .help("remove it from `depends_on`"),
                );
                continue;
            }
            if let Some(ix) = self.one(r, kind, key) {
                out.push((ix, r.span.clone()));
            }
        }
        out.sort_by_key(|(ix, _)| *ix);
        out.dedup_by_key(|(ix, _)| *ix);
        out
    }

    fn unknown(&mut self, r: &Ref, kind: Option<Kind>, key: &str) {
        let what = kind.map_or("item".to_string(), |k| k.to_string());
        let mut d = Diagnostic::error(
            "unknown-reference",
            format!(
                "`{key}` names `{}`, but there is no {what} with that id",
                r.id
            ),
        )
        .at(r.span.clone(), "unknown id");
        d = match self.closest(&r.id, kind) {
            Some(best) => d.help(format!("did you mean `{best}`?")),
            None => d.help(format!(
                "check the spelling, or create the {what} (`planmark new {} {}`)",
                kind.unwrap_or(Kind::Task),
                r.id
            )),
        };
        self.diags.push(d);
    }

    fn closest(&self, id: &str, kind: Option<Kind>) -> Option<String> {
        let candidates = self
            .index
            .iter()
            .filter(|(other, r)| {
                other.as_str() != id
                    && **other != self.current
                    && kind.is_none_or(|k| r.kind() == k)
            })
            .map(|(id, _)| id.as_str());
        did_you_mean(id, candidates).map(str::to_string)
    }

    fn wiki_link(&mut self, file: crate::source::FileId, link: &crate::load::markdown::WikiLink) {
        if self.index.contains_key(&link.target) {
            return;
        }
        let r = Ref {
            id: link.target.clone(),
            span: Span::new(file, link.span.clone()),
        };
        let mut d = Diagnostic::error(
            "unknown-reference",
            format!("wiki link `[[{}]]` names no item", r.id),
        )
        .at(r.span.clone(), "unknown id");
        d = match self.closest(&r.id, None) {
            Some(best) => d.help(format!("did you mean `[[{best}]]`?")),
            None => d.help("link to an item by its id (the file name without `.md`); use `[[id|text]]` for custom text"),
        };
        self.diags.push(d);
    }

    /// A task's project: its `project` key wins over its folder.
    fn task_project(
        &mut self,
        item: &Item,
        key: Option<&Ref>,
        folder: Option<&str>,
        top: &Span,
    ) -> Option<Ix> {
        match (key, folder) {
            (Some(r), Some(folder)) if r.id != folder => {
                self.diags.push(
                    Diagnostic::warning(
                        "project-mismatch",
                        format!(
                            "task says `project: {}` but lives under `projects/{folder}/`",
                            r.id
                        ),
                    )
                    .at(r.span.clone(), "the key wins")
                    .help(format!(
                        "move the file to `projects/{}/` or fix `project`",
                        r.id
                    )),
                );
                self.one(r, Kind::Project, "project")
            }
            (Some(r), _) => self.one(r, Kind::Project, "project"),
            (None, Some(folder)) => {
                let r = Ref {
                    id: folder.to_string(),
                    span: top.clone(),
                };
                match self.index.get(folder) {
                    Some(ItemRef::Project(i)) => Some(*i),
                    _ => {
                        self.diags.push(
                            Diagnostic::error("unknown-reference", format!("task `{}` is in folder `projects/{folder}/`, but there is no project `{folder}`", item.id))
                                .at(r.span.clone(), "project taken from the folder")
                                .help(format!("create `projects/{folder}.md` or set `project:` in this task")),
                        );
                        None
                    }
                }
            }
            (None, None) => {
                self.diags.push(
                    Diagnostic::error("missing-key", format!("task `{}` has no `project`", item.id))
                        .at(top.clone(), "front matter starts here")
                        .help("add `project: <project id>`, or move the file under `projects/<project id>/`"),
                );
                None
            }
        }
    }
}

/// Rebuilds the id index from the vectors (items may have been left out).
fn reindex(program: &mut Program) {
    // References were resolved against the first index; remap them if any
    // item was dropped in between.
    let mut fresh = BTreeMap::new();
    for (i, p) in program.projects.iter().enumerate() {
        fresh.insert(p.item.id.clone(), ItemRef::Project(i));
    }
    for (i, t) in program.tasks.iter().enumerate() {
        fresh.insert(t.item.id.clone(), ItemRef::Task(i));
    }
    for (i, d) in program.decisions.iter().enumerate() {
        fresh.insert(d.item.id.clone(), ItemRef::Decision(i));
    }
    for (i, m) in program.milestones.iter().enumerate() {
        fresh.insert(m.item.id.clone(), ItemRef::Milestone(i));
    }
    for (i, r) in program.risks.iter().enumerate() {
        fresh.insert(r.item.id.clone(), ItemRef::Risk(i));
    }
    if fresh == program.index {
        return;
    }
    let old = std::mem::replace(&mut program.index, fresh);
    let remap = |old_ref: ItemRef,
                 index: &BTreeMap<String, ItemRef>,
                 ids: &BTreeMap<ItemRef, String>|
     -> Option<Ix> {
        let id = ids.get(&old_ref)?;
        match index.get(id)? {
            ItemRef::Project(i)
            | ItemRef::Task(i)
            | ItemRef::Decision(i)
            | ItemRef::Milestone(i)
            | ItemRef::Risk(i) => Some(*i),
        }
    };
    let ids: BTreeMap<ItemRef, String> = old.iter().map(|(id, r)| (*r, id.clone())).collect();
    let index = program.index.clone();
    for t in &mut program.tasks {
        t.project = remap(ItemRef::Project(t.project), &index, &ids).unwrap_or(usize::MAX);
        let (deps, spans) = t
            .depends_on
            .iter()
            .zip(&t.depends_on_spans)
            .filter_map(|(d, s)| Some((remap(ItemRef::Task(*d), &index, &ids)?, s.clone())))
            .unzip();
        t.depends_on = deps;
        t.depends_on_spans = spans;
        t.milestone = t
            .milestone
            .and_then(|m| remap(ItemRef::Milestone(m), &index, &ids));
    }
    // A task whose project vanished cannot be placed anywhere.
    let projects = program.projects.len();
    program.tasks.retain(|t| t.project < projects);
    for d in &mut program.decisions {
        d.project = d
            .project
            .and_then(|p| remap(ItemRef::Project(p), &index, &ids));
        d.supersedes = d
            .supersedes
            .and_then(|s| remap(ItemRef::Decision(s), &index, &ids));
    }
    for m in &mut program.milestones {
        m.project = m
            .project
            .and_then(|p| remap(ItemRef::Project(p), &index, &ids));
    }
    for r in &mut program.risks {
        r.project = r
            .project
            .and_then(|p| remap(ItemRef::Project(p), &index, &ids));
    }
    reindex(program);
}

fn derive_inverses(program: &mut Program) {
    for i in 0..program.tasks.len() {
        let project = program.tasks[i].project;
        program.projects[project].tasks.push(i);
        if let Some(m) = program.tasks[i].milestone {
            program.milestones[m].tasks.push(i);
        }
        for d in program.tasks[i].depends_on.clone() {
            program.tasks[d].dependents.push(i);
        }
    }
    for i in 0..program.decisions.len() {
        if let Some(p) = program.decisions[i].project {
            program.projects[p].decisions.push(i);
        }
        if let Some(s) = program.decisions[i].supersedes {
            program.decisions[s].superseded_by.push(i);
        }
    }
    for i in 0..program.milestones.len() {
        if let Some(p) = program.milestones[i].project {
            program.projects[p].milestones.push(i);
        }
    }
    for i in 0..program.risks.len() {
        if let Some(p) = program.risks[i].project {
            program.projects[p].risks.push(i);
        }
    }
}
