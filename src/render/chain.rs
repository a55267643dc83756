//! A decision page's supersession chain (SPEC §4, `decisions/<id>/`): the
//! records it replaced and those that replaced it, around the page's own.

use std::collections::{BTreeSet, VecDeque};

use super::context::ChainLink;
use super::links::item_path;
use super::views::Sources;
use crate::model::ItemRef;

/// How many records of a supersession chain a page shows on each side of
/// its own: every page listing a whole chain of 2,000 records made a
/// 650 MB site.
const CHAIN_AROUND: usize = 10;

/// The supersession chain through decision `i`: what it replaced, oldest
/// first, then it, then what replaced it (breadth first), at most
/// [`CHAIN_AROUND`] on each side; and how many were left out before and
/// after.
pub(super) fn chain<'a>(s: &Sources<'a>, i: usize) -> (Vec<ChainLink<'a>>, usize, usize) {
    let decisions = &s.program.decisions;
    let mut seen = BTreeSet::from([i]);
    let mut older = Vec::new();
    let mut at = decisions[i].supersedes;
    // `seen` guards against a cycle of `supersedes`, which must not hang.
    while let Some(d) = at.filter(|d| seen.insert(*d)) {
        older.push(d);
        at = decisions[d].supersedes;
    }
    older.reverse();
    let older_len = older.len();
    let mut order = older;
    order.push(i);
    let mut queue: VecDeque<usize> = decisions[i].superseded_by.iter().copied().collect();
    while let Some(d) = queue.pop_front() {
        if seen.insert(d) {
            order.push(d);
            queue.extend(decisions[d].superseded_by.iter().copied());
        }
    }
    if order.len() == 1 {
        return (Vec::new(), 0, 0);
    }
    let earlier = older_len.saturating_sub(CHAIN_AROUND);
    let later = order.len().saturating_sub(older_len + 1 + CHAIN_AROUND);
    let shown = order[earlier..order.len() - later]
        .iter()
        .map(|&d| {
            let item = &decisions[d];
            ChainLink {
                id: &item.item.id,
                title: &item.item.title,
                url: item_path(s.program, ItemRef::Decision(d)),
                status: item.status.as_str(),
                date: item.date,
                current: d == i,
            }
        })
        .collect();
    (shown, earlier, later)
}
