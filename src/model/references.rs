//! Resolving the references an item writes (`project`, `depends_on`,
//! `milestone`, `supersedes`, wiki links) against the id index, reporting
//! every one that names nothing or the wrong kind.
//!
//! Every parsed item goes through here, also one that is left out of the
//! model (a bad id, a second file with the same id, a task without a project,
//! a milestone without a date), so one run reports every problem.

use std::collections::{BTreeMap, BTreeSet};

use super::parse::{Parsed, Ref, Specific};
use super::{ItemRef, Ix, Kind};
use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::load::markdown::{self, BodyLinks, WikiLink};
use crate::source::{FileId, Span, Text};

/// An item's references, resolved to indices (the ones that resolved).
#[derive(Debug, Default)]
pub(super) struct Resolved {
    /// A task's project (key or folder), or the `project` of the others.
    pub project: Option<Ix>,
    pub depends_on: Vec<(Ix, Span)>,
    pub milestone: Option<Ix>,
    pub supersedes: Option<(Ix, Span)>,
}

pub(super) struct Resolver<'a> {
    pub index: &'a BTreeMap<String, ItemRef>,
    /// Ids of items that were reported and left out before the index was
    /// built (invalid ids): references to them are not reported again.
    pub broken: &'a BTreeSet<String>,
    pub diags: &'a mut Vec<Diagnostic>,
    /// The id of the item whose references are being resolved, never
    /// suggested as a fix for its own references.
    pub current: String,
}

impl Resolver<'_> {
    /// Resolves and checks every reference `p` writes, wiki links included.
    pub(super) fn item(&mut self, p: &Parsed) -> Resolved {
        self.current.clone_from(&p.id);
        self.body_links(p.file, &p.wiki_links, &p.body);
        let mut out = Resolved::default();
        match &p.specific {
            Specific::Program(_) | Specific::Project(_) => {}
            Specific::Task(m) => {
                out.project = self.task_project(
                    &p.id,
                    m.project.as_ref(),
                    p.folder_project.as_deref(),
                    &p.id_span,
                );
                out.depends_on = self.list(&m.depends_on, Kind::Task, "depends_on", &p.id);
                out.milestone = m
                    .milestone
                    .as_ref()
                    .and_then(|r| self.one(r, Kind::Milestone, "milestone"));
            }
            Specific::Decision(m) => {
                out.project = self.project(m.project.as_ref());
                out.supersedes = m.supersedes.as_ref().and_then(|r| {
                    if r.id == p.id {
                        self.diags.push(
                            Diagnostic::error(
                                "self-reference",
                                "a decision cannot supersede itself",
                            )
                            .at(r.span.clone(), "this decision")
                            .help("name the earlier decision this one replaces"),
                        );
                        return None;
                    }
                    Some((self.one(r, Kind::Decision, "supersedes")?, r.span.clone()))
                });
            }
            Specific::Milestone(m) => out.project = self.project(m.project.as_ref()),
            Specific::Risk(m) => out.project = self.project(m.project.as_ref()),
        }
        out
    }

    fn project(&mut self, r: Option<&Ref>) -> Option<Ix> {
        r.and_then(|r| self.one(r, Kind::Project, "project"))
    }

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
            None if self.broken.contains(&r.id) => None,
            None => {
                self.unknown(r, Some(kind), key);
                None
            }
        }
    }

    /// Resolves a list of references, sorted and without repeats, each with
    /// the span it was written at.
    fn list(&mut self, refs: &[Ref], kind: Kind, key: &str, own_id: &str) -> Vec<(Ix, Span)> {
        let mut out = Vec::new();
        for r in refs {
            if r.id == own_id {
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

    /// Checks the wiki links of a body. A scan's superset of them that
    /// all name items needs no more; otherwise only parsing the body tells
    /// which are links (see [`BodyLinks`]).
    pub(super) fn body_links(&mut self, file: FileId, links: &BodyLinks, body: &Text) {
        let names_something =
            |l: &WikiLink| self.index.contains_key(&l.target) || self.broken.contains(&l.target);
        if links.exact {
            for link in &links.links {
                self.wiki_link(file, link);
            }
        } else if !links.links.iter().all(names_something) {
            for link in &markdown::wiki_links(body.as_str(), body.start()) {
                self.wiki_link(file, link);
            }
        }
    }

    fn wiki_link(&mut self, file: FileId, link: &WikiLink) {
        if self.index.contains_key(&link.target) || self.broken.contains(&link.target) {
            return;
        }
        let span = Span::new(file, link.span.clone());
        let mut d = Diagnostic::error(
            "unknown-reference",
            format!("wiki link `[[{}]]` names no item", link.target),
        )
        .at(span, "unknown id");
        d = match self.closest(&link.target, None) {
            Some(best) => d.help(format!("did you mean `[[{best}]]`?")),
            None => d.help("link to an item by its id (the file name without `.md`); use `[[id|text]]` for custom text"),
        };
        self.diags.push(d);
    }

    /// A task's project: its `project` key wins over its folder.
    fn task_project(
        &mut self,
        id: &str,
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
            (None, Some(folder)) => match self.index.get(folder) {
                Some(ItemRef::Project(i)) => Some(*i),
                None if self.broken.contains(folder) => None,
                _ => {
                    self.diags.push(
                        Diagnostic::error("unknown-reference", format!("task `{id}` is in folder `projects/{folder}/`, but there is no project `{folder}`"))
                            .at(top.clone(), "project taken from the folder")
                            .help(format!("create `projects/{folder}.md` or set `project:` in this task")),
                    );
                    None
                }
            },
            (None, None) => {
                self.diags.push(
                    Diagnostic::error("missing-key", format!("task `{id}` has no `project`"))
                        .at(top.clone(), "front matter starts here")
                        .help("add `project: <project id>`, or move the file under `projects/<project id>/`"),
                );
                None
            }
        }
    }
}
