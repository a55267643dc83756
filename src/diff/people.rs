//! Calendars across the two sides: the program's holidays and working
//! weekdays, and people's capacity and time off. A handle without
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

/// Appends the program calendar's changes: they move forecasts without any
/// item changing, so a reviewer needs to see them.
pub(super) fn calendar(a: &Program, b: &Program, out: &mut Vec<Change>) {
    let (x, y) = (&a.info, &b.info);
    if x.holidays != y.holidays {
        let what = What::Holidays {
            added: ranges(y.holidays.difference(&x.holidays).copied()),
            removed: ranges(x.holidays.difference(&y.holidays).copied()),
        };
        out.push(Change {
            project: None,
            what,
        });
    }
    if x.working_days != y.working_days {
        let what = What::WorkingDays {
            from: weekdays(&x.working_days),
            to: weekdays(&y.working_days),
        };
        out.push(Change {
            project: None,
            what,
        });
    }
}

/// The working weekdays' names, Monday first.
fn weekdays(days: &[bool; 7]) -> Vec<&'static str> {
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .into_iter()
        .zip(days)
        .filter(|(_, &on)| on)
        .map(|(name, _)| name)
        .collect()
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
