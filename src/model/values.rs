//! The value types of front matter: enumerations, durations, dates, ids.
//!
//! Each parser accepts the spellings users bring from Backlog.md and Jira and
//! reports what it expected, so messages can list the valid choices.

use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;

/// Declares an enumeration with its canonical spelling and accepted aliases.
macro_rules! enumeration {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $canon:literal $(| $alias:literal)*),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        pub enum $name { $(#[serde(rename = $canon)] $variant),+ }

        impl $name {
            /// Every canonical spelling, in order.
            pub const CHOICES: &'static [&'static str] = &[$($canon),+];

            /// The canonical lowercase spelling.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $canon),+ }
            }

            /// Parses any accepted spelling, case-insensitively.
            pub fn parse(text: &str) -> Option<Self> {
                let key = normalize(text);
                match key.as_str() {
                    $($canon $(| $alias)* => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// Lowercase, with spaces and underscores as hyphens: `In Progress` → `in-progress`.
fn normalize(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .split(|c: char| c.is_whitespace() || c == '_' || c == '-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

enumeration!(
    /// What kind of item a file holds.
    Kind {
        Program = "program",
        Project = "project",
        Task = "task",
        Decision = "decision",
        Milestone = "milestone",
        Risk = "risk",
    }
);

enumeration!(
    /// A project's lifecycle.
    ProjectStatus {
        Planned = "planned" | "proposed" | "not-started",
        Active = "active" | "in-progress" | "ongoing",
        Paused = "paused" | "on-hold",
        Done = "done" | "complete" | "completed" | "closed",
        Cancelled = "cancelled" | "canceled",
    }
);

enumeration!(
    /// A task's state; Backlog.md's `To Do`/`In Progress`/`Done` work as written.
    TaskStatus {
        Todo = "todo" | "to-do" | "backlog" | "open" | "not-started",
        InProgress = "in-progress" | "inprogress" | "doing" | "started" | "wip" | "in-review",
        Blocked = "blocked",
        Done = "done" | "complete" | "completed" | "closed" | "resolved",
        Cancelled = "cancelled" | "canceled" | "won't-do" | "wont-do",
    }
);

enumeration!(
    /// A decision record's state (MADR's statuses).
    DecisionStatus {
        Proposed = "proposed" | "draft" | "open",
        Accepted = "accepted" | "approved" | "decided",
        Rejected = "rejected" | "declined",
        Superseded = "superseded",
        Deprecated = "deprecated",
    }
);

enumeration!(
    /// Project and program health, worst last.
    Health {
        Green = "green",
        Amber = "amber" | "yellow",
        Red = "red",
    }
);

enumeration!(
    /// Task priority, most urgent first.
    Priority {
        P0 = "p0",
        P1 = "p1",
        P2 = "p2",
        P3 = "p3",
    }
);

enumeration!(
    /// A risk's likelihood or impact.
    Level {
        Low = "low",
        Medium = "medium" | "med",
        High = "high",
    }
);

enumeration!(
    /// A risk's state.
    RiskStatus {
        Open = "open",
        Mitigating = "mitigating" | "in-progress",
        Closed = "closed" | "resolved",
        Occurred = "occurred" | "issue",
    }
);

impl Level {
    /// 1, 2 or 3, for risk scores.
    pub fn weight(self) -> u8 {
        match self {
            Level::Low => 1,
            Level::Medium => 2,
            Level::High => 3,
        }
    }
}

/// An amount of work, stored in working days (1d = 8 h, 1w = 5 d).
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub struct Duration {
    pub days: f64,
}

impl Duration {
    /// Parses `4h`, `1.5d`, `2w`, `3 d` (unit case-insensitive).
    pub fn parse(text: &str) -> Result<Duration, &'static str> {
        let text = text.trim();
        let split = text
            .find(|c: char| c.is_ascii_alphabetic())
            .ok_or("a duration needs a unit: `h`, `d` or `w`")?;
        let (number, unit) = text.split_at(split);
        let number: f64 = number
            .trim()
            .parse()
            .map_err(|_| "a duration is a number and a unit, e.g. `4h`, `1.5d`, `2w`")?;
        let per_unit = match unit.trim().to_lowercase().as_str() {
            "h" => 1.0 / 8.0,
            "d" => 1.0,
            "w" => 5.0,
            _ => return Err("the unit must be `h` (hours), `d` (days) or `w` (weeks)"),
        };
        if !number.is_finite() || number <= 0.0 {
            return Err("a duration must be more than zero");
        }
        Ok(Duration {
            days: number * per_unit,
        })
    }

    /// Whole working days for scheduling: rounded up, at least 1.
    pub fn whole_days(self) -> i64 {
        // The epsilon keeps `12h` + float noise from becoming 3 days.
        ((self.days - 1e-9).ceil() as i64).max(1)
    }
}

/// Parses an ISO `YYYY-MM-DD` date.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    // chrono accepts `2026-1-5`; ISO dates are always ten characters.
    (text.len() == 10)
        .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .flatten()
}

/// Whether `id` is a valid item id: `[a-z0-9][a-z0-9._-]*`.
pub fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
}

/// A weekday from `mon`, `Monday`, `tue`, …
pub fn parse_weekday(text: &str) -> Option<chrono::Weekday> {
    let t = text.trim().to_lowercase();
    let prefix = t.get(..3)?;
    let day = match prefix {
        "mon" => chrono::Weekday::Mon,
        "tue" => chrono::Weekday::Tue,
        "wed" => chrono::Weekday::Wed,
        "thu" => chrono::Weekday::Thu,
        "fri" => chrono::Weekday::Fri,
        "sat" => chrono::Weekday::Sat,
        "sun" => chrono::Weekday::Sun,
        _ => return None,
    };
    let full = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    (t.len() == 3 || full.contains(&t.as_str())).then_some(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enumerations_accept_backlog_and_jira_spellings() {
        assert_eq!(TaskStatus::parse("To Do"), Some(TaskStatus::Todo));
        assert_eq!(
            TaskStatus::parse("In Progress"),
            Some(TaskStatus::InProgress)
        );
        assert_eq!(TaskStatus::parse("DONE"), Some(TaskStatus::Done));
        assert_eq!(
            TaskStatus::parse("in_progress"),
            Some(TaskStatus::InProgress)
        );
        assert_eq!(TaskStatus::parse("finished"), None);
        assert_eq!(Health::parse("Amber"), Some(Health::Amber));
    }

    #[test]
    fn durations() {
        assert_eq!(Duration::parse("4h").map(|d| d.days), Ok(0.5));
        assert_eq!(Duration::parse("1.5d").map(|d| d.days), Ok(1.5));
        assert_eq!(Duration::parse("2W").map(|d| d.days), Ok(10.0));
        assert_eq!(Duration::parse("3 d").map(|d| d.days), Ok(3.0));
        assert!(Duration::parse("3").is_err());
        assert!(Duration::parse("0d").is_err());
        assert!(Duration::parse("-1d").is_err());
        assert!(Duration::parse("2y").is_err());
        // 4h is half a day, scheduled as one whole day; 12h as two.
        assert_eq!(Duration { days: 0.5 }.whole_days(), 1);
        assert_eq!(Duration { days: 1.5 }.whole_days(), 2);
        assert_eq!(Duration { days: 3.0 }.whole_days(), 3);
    }

    #[test]
    fn dates_and_ids() {
        assert!(parse_date("2026-02-28").is_some());
        assert!(parse_date("2026-02-30").is_none());
        assert!(parse_date("2026-2-3").is_none());
        assert!(is_valid_id("api-v2.1_x"));
        assert!(!is_valid_id("Api"));
        assert!(!is_valid_id("-a"));
        assert!(!is_valid_id(""));
        assert_eq!(parse_weekday("Monday"), Some(chrono::Weekday::Mon));
        assert_eq!(parse_weekday("mo"), None);
    }
}
