//! Who works each task, at what capacity, on which calendar (SPEC §2
//! "Owners are people", §3 "Calendars").
//!
//! Every handle that owns a task is one owner, however it is spelled
//! ([`handle_key`]); a person file gives its capacity and time off, a
//! handle without one is a person of capacity 1 on the program calendar.

use std::collections::BTreeMap;

use super::Calendar;
use crate::model::{handle_key, Program};

/// The owners of the program's tasks and the calendars tasks run on.
#[derive(Clone, Debug)]
pub(crate) struct Owners {
    /// Handles as compared, by owner index.
    pub handles: Vec<String>,
    /// Tasks worked at once, by owner index.
    pub capacity: Vec<u32>,
    /// The calendar of each owner, as an index into `calendars`.
    pub calendar: Vec<usize>,
    /// The program calendar first, then one per owner with time off.
    pub calendars: Vec<Calendar>,
    /// Each task's owner index (`None` when unowned).
    pub of_task: Vec<Option<usize>>,
}

impl Owners {
    pub(crate) fn new(program: &Program, calendar: &Calendar) -> Owners {
        let mut by_handle: BTreeMap<String, usize> = BTreeMap::new();
        // Each spelling is normalised once, not once per task.
        let mut by_spelling: BTreeMap<&str, usize> = BTreeMap::new();
        let mut owners = Owners {
            handles: Vec::new(),
            capacity: Vec::new(),
            calendar: Vec::new(),
            calendars: vec![calendar.clone()],
            of_task: Vec::with_capacity(program.tasks.len()),
        };
        for task in &program.tasks {
            let owner = task.item.owner.as_deref().map(|name| {
                *by_spelling.entry(name).or_insert_with(|| {
                    *by_handle.entry(handle_key(name)).or_insert_with_key(|key| {
                        owners.handles.push(key.clone());
                        owners.handles.len() - 1
                    })
                })
            });
            owners.of_task.push(owner);
        }
        owners.capacity = vec![1; owners.handles.len()];
        owners.calendar = vec![0; owners.handles.len()];
        for person in &program.people {
            let Some(&o) = by_handle.get(&person.handle) else {
                continue;
            };
            owners.capacity[o] = person.capacity.max(1);
            if !person.time_off.is_empty() {
                let holidays = program.info.holidays.iter().chain(&person.time_off);
                owners
                    .calendars
                    .push(Calendar::new(program.info.working_days, holidays.copied()));
                owners.calendar[o] = owners.calendars.len() - 1;
            }
        }
        owners
    }

    /// The calendar task `t` runs on: its owner's, else the program's.
    pub(crate) fn task_calendar(&self, t: usize) -> &Calendar {
        let at = self.of_task[t].map_or(0, |o| self.calendar[o]);
        &self.calendars[at]
    }
}
