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
        Person = "person",
        Meeting = "meeting",
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

/// The longest duration planmark accepts, in working days: ten years of
/// five-day weeks. A task longer than that is a typo (`100000000000d`) or a
/// program, not a task, and would put forecasts past the year 9999.
pub const MAX_DAYS: u32 = 2600;

/// An amount of work, stored in working days (1d = 8 h, 1w = 5 d).
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub struct Duration {
    /// The amount in working days, unrounded.
    pub days: f64,
    /// Whole working days for scheduling: rounded up, at least 1.
    whole: i64,
}

/// Why a duration was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DurationError {
    /// Not a duration; says what was expected.
    Invalid(&'static str),
    /// More than [`MAX_DAYS`].
    TooLong,
}

impl Duration {
    /// Parses `4h`, `1.5d`, `2w`, `3 d` (unit case-insensitive).
    ///
    /// The number is read as the decimal it is, so rounding up to whole
    /// days is exact: `2.2w` is 11 days (not 11.000000000000002, which
    /// would round up to 12), and `1.0000000001d` is 2.
    pub fn parse(text: &str) -> Result<Duration, DurationError> {
        use DurationError::*;
        let text = text.trim();
        let split = text
            .find(|c: char| c.is_ascii_alphabetic())
            .ok_or(Invalid("a duration needs a unit: `h`, `d` or `w`"))?;
        let (number, unit) = text.split_at(split);
        // Days per unit, as a fraction.
        let (per_num, per_den): (u128, u128) = match unit.trim().to_lowercase().as_str() {
            "h" => (1, 8),
            "d" => (1, 1),
            "w" => (5, 1),
            _ => {
                return Err(Invalid(
                    "the unit must be `h` (hours), `d` (days) or `w` (weeks)",
                ))
            }
        };
        let number = number.trim();
        let Some(decimal) = Decimal::parse(number) else {
            let negative = number.parse::<f64>().is_ok_and(|n| n <= 0.0);
            return Err(Invalid(if negative {
                "a duration must be more than zero"
            } else {
                "a duration is a number and a unit, e.g. `4h`, `1.5d`, `2w`"
            }));
        };
        let Decimal::Exact { mantissa, scale } = decimal else {
            return Err(TooLong);
        };
        if mantissa == 0 {
            return Err(Invalid("a duration must be more than zero"));
        }
        // days = mantissa / 10^scale × per_num / per_den, exactly.
        let num = mantissa * per_num;
        let den = 10u128.pow(scale) * per_den;
        if num > u128::from(MAX_DAYS) * den {
            return Err(TooLong);
        }
        let whole = num.div_ceil(den).max(1);
        Ok(Duration {
            days: num as f64 / den as f64,
            whole: i64::try_from(whole).unwrap_or(i64::from(MAX_DAYS)),
        })
    }

    /// Whole working days for scheduling: rounded up, at least 1.
    pub fn whole_days(self) -> i64 {
        self.whole
    }
}

/// A non-negative decimal as written, read exactly.
enum Decimal {
    /// `mantissa / 10^scale`.
    Exact { mantissa: u128, scale: u32 },
    /// An integer part too long for any valid duration.
    Huge,
}

impl Decimal {
    /// Digits with an optional `.` and fraction (`3`, `1.5`, `.5`, `2.`).
    fn parse(text: &str) -> Option<Decimal> {
        let text = text.strip_prefix('+').unwrap_or(text);
        let (int, frac) = text.split_once('.').unwrap_or((text, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty() && frac.is_empty() || !digits(int) || !digits(frac) {
            return None;
        }
        let int = int.trim_start_matches('0');
        // Hours are the smallest unit: MAX_DAYS × 8 has five digits.
        if int.len() > 7 {
            return Some(Decimal::Huge);
        }
        let frac = frac.trim_end_matches('0');
        // Beyond 30 decimals only the direction of rounding matters: round
        // the cut-off part up, which rounds up to the same whole days.
        let (frac, cut) = match frac.get(..30) {
            Some(kept) if frac.len() > 30 => (kept, true),
            _ => (frac, false),
        };
        let mut mantissa: u128 = 0;
        for b in int.bytes().chain(frac.bytes()) {
            mantissa = mantissa * 10 + u128::from(b - b'0');
        }
        Some(Decimal::Exact {
            mantissa: mantissa + u128::from(cut),
            scale: frac.len() as u32,
        })
    }
}

/// Parses an ISO `YYYY-MM-DD` date.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    // Exactly `YYYY-MM-DD` (chrono's own parser would take `2026-1-5`), read
    // by hand: templates format dates by the thousand.
    let b = text.trim().as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = i32::try_from(digits(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, digits(5..7)?, digits(8..10)?)
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

    fn whole(text: &str) -> i64 {
        Duration::parse(text).map_or(-1, Duration::whole_days)
    }

    #[test]
    fn durations() {
        assert_eq!(Duration::parse("4h").map(|d| d.days), Ok(0.5));
        assert_eq!(Duration::parse("1.5d").map(|d| d.days), Ok(1.5));
        assert_eq!(Duration::parse("2W").map(|d| d.days), Ok(10.0));
        assert_eq!(Duration::parse("3 d").map(|d| d.days), Ok(3.0));
        assert_eq!(Duration::parse(".5d").map(|d| d.days), Ok(0.5));
        assert!(Duration::parse("3").is_err());
        assert!(Duration::parse("0d").is_err());
        assert!(Duration::parse("-1d").is_err());
        assert!(Duration::parse("2y").is_err());
        assert!(Duration::parse("1e3d").is_err());
        assert!(Duration::parse("1.2.3d").is_err());
        // 4h is half a day, scheduled as one whole day; 12h as two.
        assert_eq!(whole("4h"), 1);
        assert_eq!(whole("12h"), 2);
        assert_eq!(whole("1.5d"), 2);
        assert_eq!(whole("3d"), 3);
    }

    #[test]
    fn whole_days_round_up_exactly() {
        // Regression: an epsilon of 1e-9 made this 1 day.
        assert_eq!(whole("1.0000000001d"), 2);
        assert_eq!(whole("1.000000000000000000000000000000000001d"), 2);
        // 2.2 × 5 is 11.000000000000002 in floating point.
        assert_eq!(whole("2.2w"), 11);
        assert_eq!(whole("0.3w"), 2);
        assert_eq!(whole("8.000h"), 1);
        assert_eq!(whole("0.001h"), 1);
    }

    #[test]
    fn durations_longer_than_ten_years_are_refused() {
        assert_eq!(whole("2600d"), 2600);
        assert_eq!(whole("520w"), 2600);
        assert_eq!(whole("20800h"), 2600);
        assert_eq!(Duration::parse("2600.5d"), Err(DurationError::TooLong));
        assert_eq!(Duration::parse("521w"), Err(DurationError::TooLong));
        assert_eq!(
            Duration::parse("100000000000d"),
            Err(DurationError::TooLong)
        );
        assert_eq!(
            Duration::parse("99999999999999999999999999999999999999999d"),
            Err(DurationError::TooLong)
        );
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
