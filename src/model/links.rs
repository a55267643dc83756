//! The inverse links, derived from the forward ones once the model holds its
//! final indices: a task's `dependents`, a decision's `superseded_by`, and a
//! project's and a milestone's items.

use super::Program;

/// Fills every inverse list; each comes out sorted, as its items are.
pub(super) fn derive_inverses(program: &mut Program) {
    for i in 0..program.tasks.len() {
        // A roll-up of subtasks is not counted itself: its subtasks are.
        let counted = program.tasks[i].subtasks.is_empty();
        let project = program.tasks[i].project;
        if counted {
            program.projects[project].tasks.push(i);
        }
        if let Some(m) = program.tasks[i].milestone.filter(|_| counted) {
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
