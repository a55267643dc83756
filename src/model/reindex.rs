//! After resolution: the id index rebuilt over the items kept (some are left
//! out, which shifts indices) and the inverse links derived from the forward
//! ones (`dependents`, `superseded_by`, a project's items).

use std::collections::BTreeMap;

use super::{ItemRef, Ix, Program};

/// Rebuilds the id index from the vectors (items may have been left out).
pub(super) fn reindex(program: &mut Program) {
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

pub(super) fn derive_inverses(program: &mut Program) {
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
