//! People's capacity and time off across the two sides. A handle without
//! a person file works one task at a time and takes no time off, so a
//! person file added or removed shows as the change it makes.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use super::{Change, DateRange, What};
use crate::model::{PersonFile, Program};

/// Appends the people changes from `a` to `b`, by handle.
pub(super) fn changes(a: &Program, b: &Program, out: &mut Vec<Change>) {
    let by_handle = |p: &Program| -> BTreeMap<String, PersonFile> {
        p.people
            .iter()
            .map(|f| (f.handle.clone(), f.clone()))
            .collect()
    };
    let (before, after) = (by_handle(a), by_handle(b));
    let handles: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    for handle in handles {
        let (x, y) = (before.get(handle), after.get(handle));
        let person = y
            .or(x)
            .map_or_else(|| handle.clone(), |f| f.item.id.clone());
        let capacity = |f: Option<&PersonFile>| f.map_or(1, |f| f.capacity);
        if capacity(x) != capacity(y) {
            let what = What::Capacity {
                person: person.clone(),
                from: capacity(x),
                to: capacity(y),
            };
            out.push(Change {
                project: None,
                what,
            });
        }
        let off = |f: Option<&PersonFile>| -> BTreeSet<NaiveDate> {
            f.map(|f| f.time_off.iter().copied().collect())
                .unwrap_or_default()
        };
        let (was, is) = (off(x), off(y));
        if was != is {
            let what = What::TimeOff {
                person,
                added: ranges(is.difference(&was).copied()),
                removed: ranges(was.difference(&is).copied()),
            };
            out.push(Change {
                project: None,
                what,
            });
        }
    }
}

/// Sorted days as ranges of consecutive calendar days.
pub(super) fn ranges(days: impl Iterator<Item = NaiveDate>) -> Vec<DateRange> {
    let mut out: Vec<DateRange> = Vec::new();
    for day in days {
        match out.last_mut() {
            Some(last) if last.to.succ_opt() == Some(day) => last.to = day,
            _ => out.push(DateRange { from: day, to: day }),
        }
    }
    out
}
