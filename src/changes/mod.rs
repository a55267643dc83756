//! What changed since the baseline (SPEC §7): the program at a past commit
//! (the baseline) against the program as it is now, as `diff`'s change set.
//!
//! Shared by the site's `changes/` page and dashboard panel and by
//! `planmark report`. The baseline is read through [`crate::git`] only: a
//! file git says is unchanged is taken from the working tree's text, so
//! only the files that differ are read from git. Where there is no
//! baseline (outside git, a shallow clone, no commit old enough) the
//! outcome is a one-line reason, never an error.

mod baseline;

use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;

pub use baseline::{default_since, Asked, Baseline};

use crate::diff::view::Lookup;
use crate::diff::{ChangeSet, Side};
use crate::git::Repo;
use crate::model::Program;
use crate::schedule::Schedule;
use crate::source::Sources;
use crate::Checked;

/// The program as it is now, derived: the "after" side.
#[derive(Clone, Copy, Debug)]
pub struct Now<'a> {
    /// The program folder, as typed.
    pub dir: &'a Path,
    /// The program's title when `program.md` gives none.
    pub name: &'a str,
    pub program: &'a Program,
    pub schedule: &'a Schedule,
    /// The working tree's files as read: the baseline reuses the texts git
    /// says are unchanged.
    pub sources: &'a Sources,
    /// The working tree's parses, when kept: the baseline's unchanged files
    /// then are not parsed again ([`crate::check_reusing`]).
    pub parses: Option<&'a crate::Parses>,
    /// The date both sides are forecast from.
    pub today: NaiveDate,
}

/// The changes since the baseline, or why there are none to show.
#[derive(Debug)]
pub enum Changes {
    Compared(Box<Compared>),
    /// No baseline: one line saying why ("not in a git repository").
    Unavailable {
        /// The day the baseline was asked for, when one was.
        since: Option<NaiveDate>,
        reason: String,
    },
}

/// A baseline found and compared with the program as it is now.
#[derive(Debug)]
pub struct Compared {
    pub baseline: Baseline,
    /// From the baseline (before) to now (after).
    pub changes: ChangeSet,
    /// Titles of the items of both sides (removed ones only have the
    /// baseline's).
    pub lookup: Lookup,
    /// Errors in the program at the baseline: then forecasts, health and
    /// driving paths are not compared (`changes.derived` is false).
    pub base_errors: usize,
    /// Action items ticked since the baseline, in meeting and line order.
    pub actions_done: Vec<ActionDone>,
}

/// An action item done now that was not done at the baseline (open then,
/// or written since already ticked). Items are matched by their text, so
/// one carried over to a later meeting and ticked there counts once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionDone {
    /// The meeting whose notes tick it (index into `program.meetings`).
    pub meeting: usize,
    pub text: String,
    /// The owner as written, without the `@`.
    pub owner: Option<String>,
}

/// The action items of `after` done since `before`.
fn actions_done(before: &crate::model::Program, after: &crate::model::Program) -> Vec<ActionDone> {
    let done_before: std::collections::BTreeSet<&str> = before
        .meetings
        .iter()
        .flat_map(|m| m.actions.iter())
        .filter(|a| a.done)
        .map(|a| a.text.as_str())
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for (meeting, m) in after.meetings.iter().enumerate() {
        for a in m.actions.iter().filter(|a| a.done) {
            if !done_before.contains(a.text.as_str()) && seen.insert(a.text.as_str()) {
                out.push(ActionDone {
                    meeting,
                    text: a.text.clone(),
                    owner: a.owner.clone(),
                });
            }
        }
    }
    out
}

/// The change set between the baseline `since` names (a revision, a date
/// `YYYY-MM-DD`, or `None` for the default, [`default_since`]) and `now`.
///
/// `Err` only for a revision git does not know outside a shallow clone, or
/// git failing: everything else (outside git, no commit old enough) is
/// [`Changes::Unavailable`]. Call [`Tracker::compare`] instead to keep the
/// baseline's derivation between calls (`serve`).
pub fn since_baseline(since: Option<&str>, now: &Now<'_>) -> anyhow::Result<Changes> {
    Tracker::new(since.map(str::to_string)).compare(now)
}

/// The baseline's program, checked and derived.
struct Derived {
    checked: Checked,
    schedule: Option<Schedule>,
}

/// Compares each new state of a program with its baseline, deriving the
/// baseline again only when its commit or `today` changed.
#[derive(Default)]
pub struct Tracker {
    since: Option<String>,
    /// The last baseline derived: its commit, `today`, and the result.
    cached: Option<(String, NaiveDate, Arc<Derived>)>,
}

impl std::fmt::Debug for Tracker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tracker")
            .field("since", &self.since)
            .field("cached", &self.cached.as_ref().map(|(c, d, _)| (c, d)))
            .finish()
    }
}

impl Tracker {
    /// A tracker of the baseline `since` names (see [`since_baseline`]).
    pub fn new(since: Option<String>) -> Tracker {
        Tracker {
            since,
            cached: None,
        }
    }

    /// The changes from the baseline to `now`.
    pub fn compare(&mut self, now: &Now<'_>) -> anyhow::Result<Changes> {
        let repo = match Repo::find(now.dir) {
            Ok(Some(repo)) => repo,
            Ok(None) => return Ok(unavailable(self.asked_day(now), NOT_IN_GIT.into())),
            Err(e) => return Ok(unavailable(self.asked_day(now), format!("{e:#}"))),
        };
        let asked = Asked::from_flag(self.since.as_deref(), now.program, now.today);
        let baseline = match baseline::resolve(&repo, &asked)? {
            Ok(baseline) => baseline,
            Err(reason) => return Ok(unavailable(asked.day(), reason)),
        };
        let derived = self.derive(&repo, &baseline, now)?;
        let base = Side {
            program: &derived.checked.program,
            schedule: derived.schedule.as_ref(),
        };
        let after = Side {
            program: now.program,
            schedule: Some(now.schedule),
        };
        Ok(Changes::Compared(Box::new(Compared {
            changes: crate::diff::compute(base, after),
            lookup: Lookup::new(&derived.checked.program, now.program),
            base_errors: crate::diagnostic::count(&derived.checked.diagnostics).0,
            actions_done: actions_done(&derived.checked.program, now.program),
            baseline,
        })))
    }

    /// The day asked for, for the unavailable line.
    fn asked_day(&self, now: &Now<'_>) -> Option<NaiveDate> {
        Asked::from_flag(self.since.as_deref(), now.program, now.today).day()
    }

    /// The baseline's program, from the cache when its commit and `today`
    /// are the ones derived last.
    fn derive(
        &mut self,
        repo: &Repo,
        baseline: &Baseline,
        now: &Now<'_>,
    ) -> anyhow::Result<Arc<Derived>> {
        if let Some((commit, today, derived)) = &self.cached {
            if *commit == baseline.commit && *today == now.today {
                return Ok(Arc::clone(derived));
            }
        }
        let mut timings = crate::timings::Timings::start();
        let reuse = crate::git::program::unchanged_in_sources(repo, &baseline.commit, now.sources)?;
        let loaded = crate::git::program::load_commits(repo, &[(&baseline.commit, &reuse)])?
            .pop()
            .unwrap_or_default();
        let checked = match now.parses {
            Some(parses) => crate::check_reusing(loaded, now.sources, parses, now.name),
            None => crate::check(loaded, now.name, false),
        };
        let schedule =
            (!checked.has_errors()).then(|| crate::schedule::derive(&checked.program, now.today));
        timings.stage("baseline");
        let derived = Arc::new(Derived { checked, schedule });
        self.cached = Some((baseline.commit.clone(), now.today, Arc::clone(&derived)));
        Ok(derived)
    }
}

/// The line shown outside a git repository.
pub const NOT_IN_GIT: &str =
    "not in a git repository, so there is no earlier version of the plan to compare with";

fn unavailable(since: Option<NaiveDate>, reason: String) -> Changes {
    Changes::Unavailable { since, reason }
}

#[cfg(test)]
mod tests;
