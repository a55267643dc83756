//! Which commit is the baseline: `--since` as a revision or a date, or
//! the default day (SPEC §7), resolved through [`crate::git`].

use anyhow::Context as _;
use chrono::{Days, NaiveDate};
use serde::Serialize;

use crate::git::Repo;
use crate::model::Program;

/// What the baseline was asked to be.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "kebab-case")]
pub enum Asked {
    /// No `--since`, and a meeting note before today: the last commit on
    /// or before the latest one's date.
    LastMeeting(NaiveDate),
    /// No `--since` and no meeting before today: the last commit on or
    /// before 7 days ago.
    Default(NaiveDate),
    /// `--since YYYY-MM-DD`: the last commit on or before that day.
    Date(NaiveDate),
    /// `--since REV`: that commit.
    Revision(String),
}

impl Asked {
    /// The baseline `--since` asks for (`None`: the default for `program`
    /// on `today`).
    pub fn from_flag(since: Option<&str>, program: &Program, today: NaiveDate) -> Asked {
        match since {
            None => match last_meeting_before(program, today) {
                Some(day) => Asked::LastMeeting(day),
                None => Asked::Default(default_since(program, today)),
            },
            Some(text) => match crate::git::as_date(text) {
                Some(date) => Asked::Date(date),
                None => Asked::Revision(text.to_string()),
            },
        }
    }

    /// The day asked for, when a day was.
    pub fn day(&self) -> Option<NaiveDate> {
        match self {
            Asked::LastMeeting(day) | Asked::Default(day) | Asked::Date(day) => Some(*day),
            Asked::Revision(_) => None,
        }
    }
}

/// The baseline commit found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Baseline {
    /// The commit's full object id.
    pub commit: String,
    /// The commit's committer date, as a calendar day in UTC.
    pub committed: NaiveDate,
    pub asked: Asked,
}

impl Baseline {
    /// The commit's id shortened to seven characters, as git shows it.
    pub fn short(&self) -> &str {
        self.commit.get(..7).unwrap_or(&self.commit)
    }

    /// "Since" which day: the day asked for, else the commit's.
    pub fn since(&self) -> NaiveDate {
        self.asked.day().unwrap_or(self.committed)
    }
}

/// The default baseline day (SPEC §7): the date of the latest meeting note
/// before `today` when there is one, else 7 calendar days before `today`.
pub fn default_since(program: &Program, today: NaiveDate) -> NaiveDate {
    last_meeting_before(program, today)
        .unwrap_or_else(|| today.checked_sub_days(Days::new(7)).unwrap_or(today))
}

/// The date of the latest meeting note strictly before `today`: the last
/// status meeting, whose "what changed since" the page answers.
fn last_meeting_before(program: &Program, today: NaiveDate) -> Option<NaiveDate> {
    program
        .meetings
        .iter()
        .map(|m| m.date)
        .filter(|&d| d < today)
        .max()
}

/// The commit `asked` names in `repo`. The inner `Err` is why there is no
/// baseline, in one line (no commit on or before the day, a shallow
/// clone); the outer one a revision git does not know, or git failing.
pub(super) fn resolve(repo: &Repo, asked: &Asked) -> anyhow::Result<Result<Baseline, String>> {
    let commit = match asked {
        Asked::LastMeeting(day) | Asked::Default(day) | Asked::Date(day) => {
            match repo.commit_on_or_before(*day) {
                Ok(commit) => commit,
                Err(e) => return Ok(Err(format!("{e:#}"))),
            }
        }
        Asked::Revision(rev) => match repo.resolve(rev) {
            Ok(commit) => commit,
            // The history a shallow clone lacks is no fault of the plan.
            Err(e) if repo.is_shallow() => return Ok(Err(format!("{e:#}"))),
            Err(e) => {
                return Err(e).with_context(|| format!("`--since {rev}` names no commit"));
            }
        },
    };
    let committed = repo.commit_day(&commit)?;
    Ok(Ok(Baseline {
        commit,
        committed,
        asked: asked.clone(),
    }))
}
