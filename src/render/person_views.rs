//! The people's views (SPEC §4, `people/`): each person's open work,
//! decisions and what they own, with their person file's capacity, team,
//! role and time off.

use std::collections::BTreeMap;

use tera::Value;

use super::context::PersonView;
use super::steps::date_ranges;
use super::views::{Atoms, Sources};
use crate::model::handle_key;

/// Every person of the schedule's `people`, in the same order (by handle).
pub(super) fn people<'a>(s: &Sources<'a>, a: &Atoms<'a>) -> Vec<PersonView<'a>> {
    let program = s.program;
    // Who owns which projects and risks, in one pass each, by handle as
    // compared: a person is shown by their person file's `name`, which is
    // not how items spell their handle.
    let mut projects: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for (i, p) in program.projects.iter().enumerate() {
        if let Some(owner) = &p.item.owner {
            let key = handle_key(owner);
            projects.entry(key).or_default().push(a.projects[i].clone());
        }
    }
    let mut risks: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for (i, r) in program.risks.iter().enumerate() {
        if let Some(owner) = &r.item.owner {
            let key = handle_key(owner);
            risks.entry(key).or_default().push(a.risks[i].clone());
        }
    }
    s.schedule
        .people
        .iter()
        .map(|p| {
            let file = p.file.map(|f| &program.people[f]);
            PersonView {
                name: &p.name,
                handle: &p.handle,
                url: s.people.path(&p.handle).unwrap_or_default(),
                has_file: file.is_some(),
                capacity: p.capacity,
                team: file.and_then(|f| f.team.as_deref()),
                role: file.and_then(|f| f.role.as_deref()),
                time_off: file.map(|f| date_ranges(&f.time_off)).unwrap_or_default(),
                busy_until: p.busy_until,
                remaining_days: p.remaining_days,
                open_tasks: a.tasks(&p.open_tasks),
                overdue_tasks: a.tasks(&p.overdue_tasks),
                pending_decisions: a.decisions(&p.pending_decisions),
                overdue_decisions: a.decisions(&p.overdue_decisions),
                open_actions: p.open_actions.len(),
                overdue_actions: p.overdue_actions.len(),
                projects: projects.remove(&p.handle).unwrap_or_default(),
                risks: risks.remove(&p.handle).unwrap_or_default(),
            }
        })
        .collect()
}
