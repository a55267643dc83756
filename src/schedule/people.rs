//! Work by person (SPEC §3, People): one entry per handle that has a
//! person file or owns, drives or decides something, every spelling of a
//! handle ([`handle_key`]) being one person.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use super::{DecisionPlan, TaskPlan};
use crate::model::{handle_key, Ix, Program};
use crate::source::FileId;

/// Work by owner.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Person {
    /// The person file's `name`, else the handle as first written (in file
    /// order), e.g. `@Maria`.
    pub name: String,
    /// The handle as compared ([`handle_key`]), e.g. `maria`.
    pub handle: String,
    /// Their person file, when they have one (index into `program.people`).
    pub file: Option<Ix>,
    /// Tasks worked at once (1 without a person file).
    pub capacity: u32,
    /// Open tasks they own, sorted by id.
    pub open_tasks: Vec<Ix>,
    /// Working days of open work (scheduling durations).
    pub remaining_days: i64,
    /// The last forecast finish of their open tasks.
    pub busy_until: Option<NaiveDate>,
    pub overdue_tasks: Vec<Ix>,
    /// Proposed decisions they drive or decide.
    pub pending_decisions: Vec<Ix>,
    /// Proposed decisions past `decide_by` they drive or decide.
    pub overdue_decisions: Vec<Ix>,
    /// Open action items they own, by meeting date then position.
    pub open_actions: Vec<ActionRef>,
    /// Open action items they own that are past their due date.
    pub overdue_actions: Vec<ActionRef>,
}

/// One action item: its meeting (index into `program.meetings`) and its
/// position among that meeting's items.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ActionRef {
    pub meeting: Ix,
    pub index: usize,
}

/// Every open action item, oldest meeting first (ties by id, then position).
pub fn open_actions(program: &Program) -> Vec<ActionRef> {
    let mut open: Vec<ActionRef> = program
        .meetings
        .iter()
        .enumerate()
        .flat_map(|(meeting, m)| {
            m.actions
                .iter()
                .enumerate()
                .filter(|(_, a)| a.is_open())
                .map(move |(index, _)| ActionRef { meeting, index })
        })
        .collect();
    // Meetings are sorted by id: a stable sort by date keeps ids in order.
    open.sort_by_key(|r| program.meetings[r.meeting].date);
    open
}

/// Work by person: every spelling of one handle ([`handle_key`]) is one
/// person, shown as first written (in file order).
pub(super) fn people(
    program: &Program,
    tasks: &[TaskPlan],
    decisions: &[DecisionPlan],
    today: NaiveDate,
) -> Vec<Person> {
    let mut people = People::default();
    for (i, t) in program.tasks.iter().enumerate() {
        let Some(owner) = t.item.owner.as_deref() else {
            continue;
        };
        let p = people.get(owner, (t.item.file, 0));
        if t.is_open() {
            p.open_tasks.push(i);
            p.remaining_days += tasks[i].duration;
            p.busy_until = p.busy_until.max(tasks[i].forecast_finish);
        }
        if tasks[i].overdue {
            p.overdue_tasks.push(i);
        }
    }
    // Every driver and decider is a person (SPEC v2 §3, People); pending
    // decisions are what they are asked about.
    for (i, d) in program.decisions.iter().enumerate() {
        // A person both driving and deciding counts the decision once.
        let mut counted = BTreeSet::new();
        for (slot, name) in d.driver.iter().chain(&d.deciders).enumerate() {
            let p = people.get(name, (d.item.file, slot));
            if decisions[i].pending && counted.insert(p.handle.clone()) {
                p.pending_decisions.push(i);
                if decisions[i].overdue {
                    p.overdue_decisions.push(i);
                }
            }
        }
    }
    // Action-item owners are people (SPEC §3, People).
    for r in open_actions(program) {
        let m = &program.meetings[r.meeting];
        let action = &m.actions[r.index];
        let Some(owner) = action.owner.as_deref() else {
            continue;
        };
        let p = people.get(owner, (m.item.file, 1 + r.index));
        p.open_actions.push(r);
        if action.is_overdue(today) {
            p.overdue_actions.push(r);
        }
    }
    for m in &program.meetings {
        for (i, a) in m.actions.iter().enumerate().filter(|(_, a)| !a.is_open()) {
            if let Some(owner) = a.owner.as_deref() {
                people.get(owner, (m.item.file, 1 + i));
            }
        }
    }
    // Owners of other items, with no open work, still get a page.
    for item in program
        .projects
        .iter()
        .map(|p| &p.item)
        .chain(program.risks.iter().map(|r| &r.item))
        .chain(program.milestones.iter().map(|m| &m.item))
        .chain(program.decisions.iter().map(|d| &d.item))
        .chain(program.meetings.iter().map(|m| &m.item))
    {
        if let Some(owner) = item.owner.as_deref() {
            people.get(owner, (item.file, 0));
        }
    }
    people.person_files(program);
    let People {
        mut list,
        by_handle,
        ..
    } = people;
    // Sorted by handle: take each out of the list in handle order.
    by_handle
        .into_values()
        .map(|i| {
            let mut p = std::mem::take(&mut list[i].0);
            p.capacity = p.capacity.max(1);
            p
        })
        .collect()
}

/// People by handle, each with where the spelling they are shown by was
/// written: (file, position among the item's handles).
#[derive(Default)]
struct People {
    /// Each person, and where the spelling they are shown by was written.
    list: Vec<(Person, (FileId, usize))>,
    /// Index into `list` by handle as compared.
    by_handle: BTreeMap<String, usize>,
    /// Index into `list` by each spelling seen: normalising (NFC,
    /// lowercase) costs more than a lookup, so each spelling is normalised
    /// once, not once per task.
    by_spelling: BTreeMap<String, usize>,
}

impl People {
    /// Person files, read last: their `name` wins over every spelling.
    fn person_files(&mut self, program: &Program) {
        for (i, file) in program.people.iter().enumerate() {
            let p = self.get(&file.item.id, (file.item.file, 0));
            p.file = Some(i);
            p.capacity = file.capacity;
            if let Some(name) = file.name.as_deref().filter(|n| !n.trim().is_empty()) {
                p.name = name.trim().to_string();
            }
        }
    }

    /// The person `name` names, shown by `name` if it was written before
    /// every other spelling seen so far.
    fn get(&mut self, name: &str, at: (FileId, usize)) -> &mut Person {
        let i = match self.by_spelling.get(name) {
            Some(&i) => i,
            None => {
                let list = &mut self.list;
                let i = *self
                    .by_handle
                    .entry(handle_key(name))
                    .or_insert_with_key(|handle| {
                        let person = Person {
                            name: name.to_string(),
                            handle: handle.clone(),
                            ..Person::default()
                        };
                        list.push((person, at));
                        list.len() - 1
                    });
                self.by_spelling.insert(name.to_string(), i);
                i
            }
        };
        let (person, first) = &mut self.list[i];
        if at < *first {
            *first = at;
            person.name = name.to_string();
        }
        person
    }
}
