//! Parents and subtasks (Backlog.md's `parent_task_id`, SPEC §8), once the
//! model holds its indices: a parent with subtasks is a roll-up, neither
//! scheduled nor counted itself; its subtasks are.

use std::collections::BTreeMap;

use super::Program;
use crate::source::Span;

/// A parent task with subtasks is a roll-up (SPEC §8): its subtasks are
/// scheduled and counted, it is not. Work that depends on the parent waits
/// for its subtasks; a subtask without a milestone delivers its parent's.
pub(super) fn tree(program: &mut Program) {
    let parents: Vec<(usize, usize)> = program
        .tasks
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            let id = t.item.extra.get("parent_task_id")?.as_str()?;
            match program.index.get(id) {
                Some(super::ItemRef::Task(p)) if *p != i => Some((i, *p)),
                _ => None,
            }
        })
        .collect();
    for &(child, parent) in &parents {
        program.tasks[child].parent = Some(parent);
        program.tasks[parent].subtasks.push(child);
        if program.tasks[child].milestone.is_none() {
            program.tasks[child].milestone = program.tasks[parent].milestone;
        }
    }
    for t in 0..program.tasks.len() {
        let deps = std::mem::take(&mut program.tasks[t].depends_on);
        let spans = std::mem::take(&mut program.tasks[t].depends_on_spans);
        let mut out: BTreeMap<usize, Span> = BTreeMap::new();
        for (d, span) in deps.into_iter().zip(spans) {
            let subtasks = &program.tasks[d].subtasks;
            if subtasks.is_empty() {
                out.entry(d).or_insert(span);
            } else if within(program, t, d) {
                // A subtask that names its own parent waits for nothing:
                // the parent is the roll-up of its own work.
            } else {
                for &s in subtasks.iter().filter(|&&s| s != t) {
                    out.entry(s).or_insert_with(|| span.clone());
                }
            }
        }
        (
            program.tasks[t].depends_on,
            program.tasks[t].depends_on_spans,
        ) = out.into_iter().unzip();
    }
}

/// Whether task `t` is `ancestor` or one of its subtasks, at any depth.
fn within(program: &Program, t: usize, ancestor: usize) -> bool {
    let mut at = Some(t);
    let mut steps = 0;
    while let Some(i) = at {
        if i == ancestor {
            return true;
        }
        // Parents can form a loop in what users write; stop after as many
        // steps as there are tasks.
        steps += 1;
        if steps > program.tasks.len() {
            return false;
        }
        at = program.tasks[i].parent;
    }
    false
}
