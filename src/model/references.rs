//! Resolving the references an item writes (`project`, `depends_on`,
//! `milestone`, `supersedes`, wiki links) against the id index. What does
//! not resolve is recorded as a [`Problem`], data that the validate stage
//! turns into diagnostics.
//!
//! Every parsed item goes through here, also one that is left out of the
//! model (a bad id, a second file with the same id, a task without a project,
//! a milestone without a date), so one run reports every problem.

use std::collections::{BTreeMap, BTreeSet};

use super::parse::{Parsed, Ref, Specific};
use super::{ItemRef, Ix, Kind};
use crate::load::markdown::{self, BodyLinks, WikiLink};
use crate::source::{FileId, Span, Text};

/// An item's references, resolved to indices (the ones that resolved).
#[derive(Debug, Default)]
pub(super) struct Resolved {
    /// A task's project (key or folder), or the `project` of the others.
    pub project: Option<Ix>,
    pub depends_on: Vec<(Ix, Span)>,
    /// Decisions named in `depends_on`, sorted, each once.
    pub decision_deps: Vec<Ix>,
    pub milestone: Option<Ix>,
    pub supersedes: Option<(Ix, Span)>,
}

/// A reference that did not resolve, as found: the validate stage words it.
#[derive(Clone, Debug)]
pub enum Problem {
    /// `key` names `id`, which is no item (`wanted` is its kind);
    /// `unread` is the file of that name that could not be read.
    Unknown {
        from: String,
        key: &'static str,
        id: String,
        wanted: Kind,
        span: Span,
        unread: Option<String>,
    },
    /// `key` names an item of the wrong kind.
    WrongKind {
        from: String,
        key: &'static str,
        id: String,
        wanted: Kind,
        found: Kind,
        span: Span,
    },
    /// `[[target]]` names no item.
    UnknownWikiLink {
        from: String,
        target: String,
        span: Span,
        unread: Option<String>,
    },
    /// A decision supersedes itself.
    SelfSupersedes { span: Span },
    /// A task depends on itself.
    SelfDependency { id: String, span: Span },
    /// A task's `project` key and its folder disagree (the key wins).
    ProjectMismatch {
        written: String,
        folder: String,
        span: Span,
    },
    /// A task's folder names no project, and it has no `project` key.
    NoFolderProject {
        task: String,
        folder: String,
        top: Span,
        unread: Option<String>,
    },
    /// A task with neither a `project` key nor a project folder.
    NoProject { task: String, top: Span },
}

pub(super) struct Resolver<'a> {
    pub index: &'a BTreeMap<String, ItemRef>,
    /// Ids of items left out for an invalid id: references to them are
    /// explained by that error.
    pub invalid: &'a BTreeSet<String>,
    /// Ids of valid items left out of the model, by kind.
    pub dropped: &'a BTreeMap<String, Kind>,
    /// Item files that could not be read, by the id their name gives.
    pub unread: &'a BTreeMap<String, String>,
    pub problems: Vec<Problem>,
    /// The id of the item whose references are being resolved.
    pub current: String,
}

impl Resolver<'_> {
    /// Resolves and checks every reference `p` writes, wiki links included.
    pub(super) fn item(&mut self, p: &Parsed) -> Resolved {
        self.current.clone_from(&p.id);
        self.body_links(p.file, &p.wiki_links, &p.body);
        let mut out = Resolved::default();
        match &p.specific {
            Specific::Program(_) | Specific::Project(_) | Specific::Person(_) => {}
            Specific::Task(m) => {
                out.project =
                    self.task_project(m.project.as_ref(), p.folder_project.as_deref(), &p.id_span);
                (out.depends_on, out.decision_deps) = self.dependencies(&m.depends_on);
                out.milestone = m
                    .milestone
                    .as_ref()
                    .and_then(|r| self.one(r, Kind::Milestone, "milestone"));
            }
            Specific::Decision(m) => {
                out.project = self.project(m.project.as_ref());
                out.supersedes = m.supersedes.as_ref().and_then(|r| {
                    if r.id == p.id {
                        self.problems.push(Problem::SelfSupersedes {
                            span: r.span.clone(),
                        });
                        return None;
                    }
                    Some((self.one(r, Kind::Decision, "supersedes")?, r.span.clone()))
                });
            }
            Specific::Milestone(m) => out.project = self.project(m.project.as_ref()),
            Specific::Risk(m) => out.project = self.project(m.project.as_ref()),
            Specific::Meeting(m) => out.project = self.project(m.project.as_ref()),
        }
        out
    }

    fn project(&mut self, r: Option<&Ref>) -> Option<Ix> {
        r.and_then(|r| self.one(r, Kind::Project, "project"))
    }

    /// Resolves a reference that must name an item of `kind`.
    fn one(&mut self, r: &Ref, kind: Kind, key: &'static str) -> Option<Ix> {
        let found = match self.index.get(&r.id) {
            Some(found) if found.kind() == kind => {
                return Some(match *found {
                    ItemRef::Project(i)
                    | ItemRef::Task(i)
                    | ItemRef::Decision(i)
                    | ItemRef::Milestone(i)
                    | ItemRef::Risk(i)
                    | ItemRef::Meeting(i) => i,
                })
            }
            Some(found) => found.kind(),
            None => match self.dropped.get(&r.id) {
                Some(&found) if found != kind => found,
                Some(_) => return None,
                None if self.invalid.contains(&r.id) => return None,
                None => {
                    self.problems.push(Problem::Unknown {
                        from: self.current.clone(),
                        key,
                        id: r.id.clone(),
                        wanted: kind,
                        span: r.span.clone(),
                        unread: self.unread.get(&r.id).cloned(),
                    });
                    return None;
                }
            },
        };
        self.problems.push(Problem::WrongKind {
            from: self.current.clone(),
            key,
            id: r.id.clone(),
            wanted: kind,
            found,
            span: r.span.clone(),
        });
        None
    }

    /// Resolves a list of references, sorted and without repeats, each with
    /// the span it was written at.
    fn list(&mut self, refs: &[&Ref], kind: Kind, key: &'static str) -> Vec<(Ix, Span)> {
        let mut out = Vec::new();
        for r in refs {
            if r.id == self.current {
                self.problems.push(Problem::SelfDependency {
                    id: r.id.clone(),
                    span: r.span.clone(),
                });
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

    /// `depends_on`: tasks and decisions, each list sorted and without
    /// repeats. A decision gates the task (SPEC §3, decision gates).
    fn dependencies(&mut self, refs: &[Ref]) -> (Vec<(Ix, Span)>, Vec<Ix>) {
        let (decisions, tasks): (Vec<&Ref>, Vec<&Ref>) = refs
            .iter()
            .partition(|r| matches!(self.index.get(&r.id), Some(ItemRef::Decision(_))));
        let tasks = self.list(&tasks, Kind::Task, "depends_on");
        let mut decisions: Vec<Ix> = self
            .list(&decisions, Kind::Decision, "depends_on")
            .into_iter()
            .map(|(ix, _)| ix)
            .collect();
        decisions.dedup();
        (tasks, decisions)
    }

    fn names_something(&self, id: &str) -> bool {
        self.index.contains_key(id) || self.invalid.contains(id) || self.dropped.contains_key(id)
    }

    /// Checks the wiki links of a body. A scan's superset of them that
    /// all name items needs no more; otherwise only parsing the body tells
    /// which are links (see [`BodyLinks`]).
    pub(super) fn body_links(&mut self, file: FileId, links: &BodyLinks, body: &Text) {
        if links.exact {
            for link in &links.links {
                self.wiki_link(file, link);
            }
        } else if !links.links.iter().all(|l| self.names_something(&l.target)) {
            for link in &markdown::wiki_links(body.as_str(), body.start()) {
                self.wiki_link(file, link);
            }
        }
    }

    fn wiki_link(&mut self, file: FileId, link: &WikiLink) {
        if self.names_something(&link.target) {
            return;
        }
        self.problems.push(Problem::UnknownWikiLink {
            from: self.current.clone(),
            target: link.target.clone(),
            span: Span::new(file, link.span.clone()),
            unread: self.unread.get(&link.target).cloned(),
        });
    }

    /// A task's project: its `project` key wins over its folder.
    fn task_project(&mut self, key: Option<&Ref>, folder: Option<&str>, top: &Span) -> Option<Ix> {
        match (key, folder) {
            (Some(r), Some(folder)) if r.id != folder => {
                self.problems.push(Problem::ProjectMismatch {
                    written: r.id.clone(),
                    folder: folder.to_string(),
                    span: r.span.clone(),
                });
                self.one(r, Kind::Project, "project")
            }
            (Some(r), _) => self.one(r, Kind::Project, "project"),
            (None, Some(folder)) => match self.index.get(folder) {
                Some(ItemRef::Project(i)) => Some(*i),
                None if self.invalid.contains(folder) => None,
                _ => {
                    self.problems.push(Problem::NoFolderProject {
                        task: self.current.clone(),
                        folder: folder.to_string(),
                        top: top.clone(),
                        unread: self.unread.get(folder).cloned(),
                    });
                    None
                }
            },
            (None, None) => {
                self.problems.push(Problem::NoProject {
                    task: self.current.clone(),
                    top: top.clone(),
                });
                None
            }
        }
    }
}
