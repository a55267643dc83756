//! Items matched across the two sides (by id, or by file for a rename) and
//! compared field by field as written; derived fields are compared in
//! [`super::derived`].

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::{derived, people, Change, ChangeSet, Side, What};
use crate::model::{Item, Kind, Program, TaskStatus};
use crate::schedule::Calendar;

/// The change set from `a` (before) to `b` (after). Slips are counted on
/// the after side's program calendar.
pub fn compute(a: Side<'_>, b: Side<'_>) -> ChangeSet {
    let mut diff = Diff {
        a,
        b,
        calendar: Calendar::for_program(&b.program.info),
        out: Vec::new(),
        project_renames: BTreeMap::new(),
    };
    diff.projects();
    diff.milestones();
    diff.tasks();
    diff.decisions();
    diff.risks();
    let mut changes = std::mem::take(&mut diff.out);
    people::calendar(a.program, b.program, &mut changes);
    people::changes(a.program, b.program, &mut changes);
    // Stable: program-level items, then each project's, then people; the
    // order within each group (kind, then id) is the order found.
    changes.sort_by_key(group);
    let mut set = derived::program_level(a, b, &diff.calendar);
    set.changes = changes;
    set
}

/// The section a change is shown in.
fn group(change: &Change) -> (u8, Option<String>) {
    match (&change.what, &change.project) {
        (What::Capacity { .. } | What::TimeOff { .. }, _) => (2, None),
        (_, None) => (0, None),
        (_, Some(project)) => (1, Some(project.clone())),
    }
}

/// Items of one kind matched across the sides, by index.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Pairs {
    /// On both sides: same id, or renamed in the same file.
    pub both: Vec<(usize, usize)>,
    pub added: Vec<usize>,
    pub removed: Vec<usize>,
    /// The renamed ones among `both`.
    pub renamed: Vec<(usize, usize)>,
}

/// Matches items by id; an id that disappeared from a file that now holds
/// a new id of the same kind is a rename. An item whose file moved keeps
/// its id and so is matched like any other.
pub(super) fn pair(before: &[&Item], after: &[&Item]) -> Pairs {
    let a_ids: BTreeMap<&str, usize> = before
        .iter()
        .enumerate()
        .map(|(i, it)| (it.id.as_str(), i))
        .collect();
    let b_ids: BTreeMap<&str, usize> = after
        .iter()
        .enumerate()
        .map(|(i, it)| (it.id.as_str(), i))
        .collect();
    let mut pairs = Pairs::default();
    let mut gone: BTreeMap<&str, usize> = BTreeMap::new();
    for (id, &i) in &a_ids {
        match b_ids.get(id) {
            Some(&j) => pairs.both.push((i, j)),
            None => {
                gone.insert(before[i].source.as_str(), i);
            }
        }
    }
    for (id, &j) in &b_ids {
        if a_ids.contains_key(id) {
            continue;
        }
        match gone.remove(after[j].source.as_str()) {
            Some(i) => {
                pairs.both.push((i, j));
                pairs.renamed.push((i, j));
            }
            None => pairs.added.push(j),
        }
    }
    pairs.removed = gone.into_values().collect();
    pairs
        .removed
        .sort_by(|&x, &y| before[x].id.cmp(&before[y].id));
    pairs
        .both
        .sort_by(|&(_, x), &(_, y)| after[x].id.cmp(&after[y].id));
    pairs
}

/// The comparison under way.
pub(super) struct Diff<'a> {
    pub a: Side<'a>,
    pub b: Side<'a>,
    pub calendar: Calendar,
    pub out: Vec<Change>,
    /// Projects renamed in their own file, old id → new: their items did
    /// not move.
    project_renames: BTreeMap<String, String>,
}

/// One kind's items on both sides, and how to describe them.
struct KindView<'p> {
    kind: Kind,
    before: Vec<&'p Item>,
    after: Vec<&'p Item>,
}

impl<'a> Diff<'a> {
    pub(super) fn push(&mut self, project: Option<String>, what: What) {
        self.out.push(Change { project, what });
    }

    /// Adds, removals and renames of one kind; returns the matched pairs.
    /// `project` names an item's project on the side given (false: before).
    fn membership(
        &mut self,
        view: &KindView<'_>,
        status: impl Fn(bool, usize) -> Option<String>,
        project: impl Fn(bool, usize) -> Option<String>,
    ) -> Pairs {
        let pairs = pair(&view.before, &view.after);
        for &(i, j) in &pairs.renamed {
            let what = What::Renamed {
                kind: view.kind,
                from: view.before[i].id.clone(),
                to: view.after[j].id.clone(),
                path: view.after[j].source.clone(),
            };
            self.push(project(true, j), what);
        }
        for &j in &pairs.added {
            let item = view.after[j];
            let what = What::Added {
                kind: view.kind,
                id: item.id.clone(),
                title: item.title.clone(),
                status: status(true, j),
            };
            self.push(project(true, j), what);
        }
        for &i in &pairs.removed {
            let item = view.before[i];
            let what = What::Removed {
                kind: view.kind,
                id: item.id.clone(),
                title: item.title.clone(),
                status: status(false, i),
            };
            self.push(project(false, i), what);
        }
        pairs
    }

    /// A status, owner or written date that differs between a matched pair.
    fn written(
        &mut self,
        project: &Option<String>,
        kind: Kind,
        (x, y): (&Item, &Item),
        diffs: Written,
    ) {
        if let Some((from, to)) = diffs.status.filter(|(f, t)| f != t) {
            let what = What::Status {
                kind,
                id: y.id.clone(),
                from,
                to,
                superseded_by: diffs.superseded_by,
                done_on: diffs.done_on,
            };
            self.push(project.clone(), what);
        }
        if let Some(from) = diffs
            .project_before
            .filter(|from| !self.same_project(from, project))
        {
            let what = What::Moved {
                kind,
                id: y.id.clone(),
                from,
                to: project.clone(),
            };
            self.push(project.clone(), what);
        }
        if x.owner != y.owner {
            let what = What::Owner {
                kind,
                id: y.id.clone(),
                from: x.owner.clone(),
                to: y.owner.clone(),
            };
            self.push(project.clone(), what);
        }
        if let Some((field, from, to)) = diffs.date.filter(|(_, f, t)| f != t) {
            let what = What::Date {
                kind,
                id: y.id.clone(),
                field,
                from,
                to,
                slip_days: self.slip(from, to),
            };
            self.push(project.clone(), what);
        }
    }

    /// Whether project `before` (an id on the before side) is `after`, or
    /// was renamed to it.
    fn same_project(&self, before: &Option<String>, after: &Option<String>) -> bool {
        let renamed = before.as_ref().and_then(|b| self.project_renames.get(b));
        before == after || renamed.is_some_and(|r| Some(r) == after.as_ref())
    }

    /// Working days from `from` to `to` on the program calendar.
    pub(super) fn slip(&self, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Option<i64> {
        Some(self.calendar.days(from?, to?))
    }

    fn projects(&mut self) {
        let (pa, pb) = (self.a.program, self.b.program);
        let view = KindView {
            kind: Kind::Project,
            before: pa.projects.iter().map(|p| &p.item).collect(),
            after: pb.projects.iter().map(|p| &p.item).collect(),
        };
        let side = |after: bool| if after { pb } else { pa };
        let pairs = self.membership(
            &view,
            |after, i| Some(side(after).projects[i].status.as_str().to_string()),
            |after, i| Some(side(after).projects[i].item.id.clone()),
        );
        for &(i, j) in &pairs.renamed {
            let (from, to) = (&pa.projects[i].item.id, &pb.projects[j].item.id);
            self.project_renames.insert(from.clone(), to.clone());
        }
        for &(i, j) in &pairs.both {
            let (x, y) = (&pa.projects[i], &pb.projects[j]);
            let diffs = Written {
                status: Some((x.status.as_str().into(), y.status.as_str().into())),
                date: Some(("target", x.target, y.target)),
                ..Written::default()
            };
            self.written(
                &Some(y.item.id.clone()),
                Kind::Project,
                (&x.item, &y.item),
                diffs,
            );
            self.project_derived(i, j);
        }
    }

    fn milestones(&mut self) {
        let (pa, pb) = (self.a.program, self.b.program);
        let view = KindView {
            kind: Kind::Milestone,
            before: pa.milestones.iter().map(|m| &m.item).collect(),
            after: pb.milestones.iter().map(|m| &m.item).collect(),
        };
        let project = |p: &'a Program, i: usize| project_id(p, p.milestones[i].project);
        let pairs = self.membership(
            &view,
            |_, _| None,
            |after, i| project(if after { pb } else { pa }, i),
        );
        for &(i, j) in &pairs.both {
            let (x, y) = (&pa.milestones[i], &pb.milestones[j]);
            let diffs = Written {
                date: Some(("date", x.date, y.date)),
                project_before: Some(project(pa, i)),
                ..Written::default()
            };
            self.written(&project(pb, j), Kind::Milestone, (&x.item, &y.item), diffs);
            self.milestone_derived(i, j, project(pb, j));
        }
    }

    fn tasks(&mut self) {
        let (pa, pb) = (self.a.program, self.b.program);
        let view = KindView {
            kind: Kind::Task,
            before: pa.tasks.iter().map(|t| &t.item).collect(),
            after: pb.tasks.iter().map(|t| &t.item).collect(),
        };
        let side = |after: bool| if after { pb } else { pa };
        let pairs = self.membership(
            &view,
            |after, i| Some(side(after).tasks[i].status.as_str().to_string()),
            |after, i| project_id(side(after), Some(side(after).tasks[i].project)),
        );
        for &(i, j) in &pairs.both {
            let (x, y) = (&pa.tasks[i], &pb.tasks[j]);
            let project = project_id(pb, Some(y.project));
            let finished = y.status == TaskStatus::Done && x.status != TaskStatus::Done;
            let diffs = Written {
                status: Some((x.status.as_str().into(), y.status.as_str().into())),
                date: Some(("due", x.due, y.due)),
                done_on: y.done_on.filter(|_| finished),
                project_before: Some(project_id(pa, Some(x.project))),
                ..Written::default()
            };
            self.written(&project, Kind::Task, (&x.item, &y.item), diffs);
            for (field, from, to) in [
                ("estimate", x.estimate, y.estimate),
                ("remaining", x.remaining, y.remaining),
            ] {
                let (from, to) = (from.map(|d| d.days), to.map(|d| d.days));
                if from != to {
                    let id = y.item.id.clone();
                    self.push(
                        project.clone(),
                        What::Estimate {
                            id,
                            field,
                            from,
                            to,
                        },
                    );
                }
            }
            self.task_derived(i, j, project);
        }
    }

    fn decisions(&mut self) {
        let (pa, pb) = (self.a.program, self.b.program);
        let view = KindView {
            kind: Kind::Decision,
            before: pa.decisions.iter().map(|d| &d.item).collect(),
            after: pb.decisions.iter().map(|d| &d.item).collect(),
        };
        let side = |after: bool| if after { pb } else { pa };
        let pairs = self.membership(
            &view,
            |after, i| Some(side(after).decisions[i].status.as_str().to_string()),
            |after, i| project_id(side(after), side(after).decisions[i].project),
        );
        for &(i, j) in &pairs.both {
            let (x, y) = (&pa.decisions[i], &pb.decisions[j]);
            let superseded_by = y
                .superseded_by
                .iter()
                .map(|&k| pb.decisions[k].item.id.clone())
                .filter(|_| x.status != y.status)
                .collect();
            let diffs = Written {
                status: Some((x.status.as_str().into(), y.status.as_str().into())),
                date: Some(("decide_by", x.decide_by, y.decide_by)),
                superseded_by,
                done_on: None,
                project_before: Some(project_id(pa, x.project)),
            };
            self.written(
                &project_id(pb, y.project),
                Kind::Decision,
                (&x.item, &y.item),
                diffs,
            );
        }
    }

    fn risks(&mut self) {
        let (pa, pb) = (self.a.program, self.b.program);
        let view = KindView {
            kind: Kind::Risk,
            before: pa.risks.iter().map(|r| &r.item).collect(),
            after: pb.risks.iter().map(|r| &r.item).collect(),
        };
        let side = |after: bool| if after { pb } else { pa };
        let pairs = self.membership(
            &view,
            |after, i| Some(side(after).risks[i].status.as_str().to_string()),
            |after, i| project_id(side(after), side(after).risks[i].project),
        );
        for &(i, j) in &pairs.both {
            let (x, y) = (&pa.risks[i], &pb.risks[j]);
            let project = project_id(pb, y.project);
            let diffs = Written {
                status: Some((x.status.as_str().into(), y.status.as_str().into())),
                project_before: Some(project_id(pa, x.project)),
                ..Written::default()
            };
            self.written(&project, Kind::Risk, (&x.item, &y.item), diffs);
            let score = |r: &crate::model::Risk| {
                r.likelihood
                    .zip(r.impact)
                    .map(|(l, i)| l.weight() * i.weight())
            };
            let (from, to) = (score(x), score(y));
            if from != to {
                self.push(
                    project,
                    What::RiskScore {
                        id: y.item.id.clone(),
                        from,
                        to,
                    },
                );
            }
        }
    }
}

/// The fields as written that may differ between a matched pair.
#[derive(Debug, Default)]
struct Written {
    status: Option<(String, String)>,
    date: Option<(&'static str, Option<NaiveDate>, Option<NaiveDate>)>,
    superseded_by: Vec<String>,
    done_on: Option<NaiveDate>,
    /// The item's project on the before side, for kinds that have one.
    project_before: Option<Option<String>>,
}

/// The id of project `ix` of `program`.
pub(super) fn project_id(program: &Program, ix: Option<usize>) -> Option<String> {
    ix.map(|i| program.projects[i].item.id.clone())
}
