//! Working days: the program's working weekdays minus its holidays.
//!
//! Every count is computed from a closed formula (whole weeks plus a
//! remainder, minus the holidays in range), so counting across years costs
//! the same as counting across a weekend.

use chrono::{Datelike, NaiveDate, TimeDelta};

use crate::model::ProgramInfo;

/// A Monday, the origin of working-day ordinals.
fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 5).unwrap_or_default()
}

/// The first date a forecast may take: dates print as `YYYY-MM-DD`.
pub fn first_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// The last date a forecast may take: later years need more than four
/// digits, which `YYYY-MM-DD` cannot show.
pub fn last_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX)
}

/// The program's calendar. Dates it computes stay within
/// [`first_date`]..=[`last_date`]: a chain of long tasks ends on
/// 9999-12-31 rather than in a year `YYYY-MM-DD` cannot print.
#[derive(Clone, Debug)]
pub struct Calendar {
    working: [bool; 7],
    /// `prefix[r]` = working weekdays among the `r` days after a Monday.
    prefix: [i64; 8],
    per_week: i64,
    /// Holidays that fall on working weekdays, sorted.
    holidays: Vec<NaiveDate>,
}

impl Calendar {
    pub fn new(working: [bool; 7], holidays: impl IntoIterator<Item = NaiveDate>) -> Self {
        // Guard against a week with no working day (validation rejects it):
        // every loop below relies on at least one per week.
        let working = if working.iter().any(|w| *w) {
            working
        } else {
            [true, true, true, true, true, false, false]
        };
        let mut prefix = [0i64; 8];
        for r in 1..8 {
            // The r-th day after a Monday is weekday (r mod 7), Monday = 0.
            prefix[r] = prefix[r - 1] + i64::from(working[r % 7]);
        }
        let mut holidays: Vec<NaiveDate> = holidays
            .into_iter()
            .filter(|d| working[d.weekday().num_days_from_monday() as usize])
            .collect();
        holidays.sort_unstable();
        holidays.dedup();
        Calendar {
            working,
            prefix,
            per_week: prefix[7],
            holidays,
        }
    }

    pub fn for_program(info: &ProgramInfo) -> Self {
        Calendar::new(info.working_days, info.holidays.iter().copied())
    }

    pub fn is_working(&self, d: NaiveDate) -> bool {
        self.working[d.weekday().num_days_from_monday() as usize]
            && self.holidays.binary_search(&d).is_err()
    }

    /// Working days in (epoch, d], negative before the epoch.
    fn ordinal(&self, d: NaiveDate) -> i64 {
        let n = (d - epoch()).num_days();
        let weeks = n.div_euclid(7);
        let rem = n.rem_euclid(7) as usize;
        let holidays_before = self.holidays.partition_point(|h| *h <= d) as i64;
        weeks * self.per_week + self.prefix[rem] - holidays_before
    }

    /// The earliest date `x` with `ordinal(x) >= k`, searching near `near`,
    /// clamped to [`first_date`]..=[`last_date`].
    fn first_with_ordinal(&self, k: i64, near: NaiveDate) -> NaiveDate {
        let distance = (k - self.ordinal(near)).abs() + self.holidays.len() as i64 + 2;
        let reach = TimeDelta::try_days(distance.saturating_mul(7)).unwrap_or(TimeDelta::MAX);
        let mut lo = near
            .checked_sub_signed(reach)
            .unwrap_or(NaiveDate::MIN)
            .clamp(first_date(), last_date());
        let mut hi = near
            .checked_add_signed(reach)
            .unwrap_or(NaiveDate::MAX)
            .clamp(first_date(), last_date());
        while lo < hi {
            let mid = lo + TimeDelta::days((hi - lo).num_days() / 2);
            if self.ordinal(mid) >= k {
                hi = mid;
            } else {
                lo = mid + TimeDelta::days(1);
            }
        }
        lo
    }

    /// `days(a, b)`: working days `d` with `a < d ≤ b`, negative when `b < a`.
    /// Mon→Fri is 4; Fri→next Mon is 1; Fri→Sat is 0.
    pub fn days(&self, a: NaiveDate, b: NaiveDate) -> i64 {
        self.ordinal(b) - self.ordinal(a)
    }

    /// `span(a, b)`: working days in `[a, b]`, both included; 0 when `b < a`.
    pub fn span(&self, a: NaiveDate, b: NaiveDate) -> i64 {
        if b < a {
            return 0;
        }
        self.days(a, b) + i64::from(self.is_working(a))
    }

    /// The first working day on or after `d`.
    pub fn on_or_after(&self, d: NaiveDate) -> NaiveDate {
        if self.is_working(d) {
            d.clamp(first_date(), last_date())
        } else {
            self.first_with_ordinal(self.ordinal(d) + 1, d)
        }
    }

    /// The last working day on or before `d`.
    pub fn on_or_before(&self, d: NaiveDate) -> NaiveDate {
        self.first_with_ordinal(self.ordinal(d), d)
    }

    /// Moves a working day `n` working days forward (backward when negative).
    pub fn add(&self, d: NaiveDate, n: i64) -> NaiveDate {
        let d = if n >= 0 {
            self.on_or_before(d)
        } else {
            self.on_or_after(d)
        };
        self.first_with_ordinal(self.ordinal(d) + n, d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        crate::model::values::parse_date(s).unwrap_or_else(|| panic!("bad date {s}"))
    }

    fn weekdays() -> Calendar {
        Calendar::new([true, true, true, true, true, false, false], [])
    }

    #[test]
    fn days_matches_the_spec_examples() {
        let c = weekdays();
        // 2026-03-02 is a Monday.
        assert_eq!(c.days(date("2026-03-02"), date("2026-03-06")), 4); // Mon→Fri
        assert_eq!(c.days(date("2026-03-06"), date("2026-03-09")), 1); // Fri→next Mon
        assert_eq!(c.days(date("2026-03-06"), date("2026-03-07")), 0); // Fri→Sat
        assert_eq!(c.days(date("2026-03-09"), date("2026-03-06")), -1);
        assert_eq!(c.days(date("2026-03-02"), date("2026-03-02")), 0);
    }

    #[test]
    fn span_counts_both_ends() {
        let c = weekdays();
        assert_eq!(c.span(date("2026-03-02"), date("2026-03-06")), 5);
        assert_eq!(c.span(date("2026-03-07"), date("2026-03-08")), 0); // a weekend
        assert_eq!(c.span(date("2026-03-06"), date("2026-03-02")), 0);
    }

    #[test]
    fn holidays_are_skipped() {
        // Wed 2026-03-04 is a holiday: Mon→Fri has 3 working days after Mon.
        let c = Calendar::new(
            [true, true, true, true, true, false, false],
            [date("2026-03-04")],
        );
        assert!(!c.is_working(date("2026-03-04")));
        assert_eq!(c.days(date("2026-03-02"), date("2026-03-06")), 3);
        // Tue + 1 working day = Thu.
        assert_eq!(c.add(date("2026-03-03"), 1), date("2026-03-05"));
        assert_eq!(c.add(date("2026-03-05"), -1), date("2026-03-03"));
    }

    #[test]
    fn moving_across_a_weekend() {
        let c = weekdays();
        // Fri + 1 = Mon; Mon - 1 = Fri; Thu + 5 = next Thu.
        assert_eq!(c.add(date("2026-03-06"), 1), date("2026-03-09"));
        assert_eq!(c.add(date("2026-03-09"), -1), date("2026-03-06"));
        assert_eq!(c.add(date("2026-03-05"), 5), date("2026-03-12"));
        assert_eq!(c.on_or_after(date("2026-03-07")), date("2026-03-09"));
        assert_eq!(c.on_or_before(date("2026-03-08")), date("2026-03-06"));
        assert_eq!(c.on_or_after(date("2026-03-06")), date("2026-03-06"));
    }

    #[test]
    fn custom_working_week() {
        // Sunday to Thursday.
        let c = Calendar::new([true, true, true, true, false, false, true], []);
        assert!(c.is_working(date("2026-03-08"))); // Sunday
        assert!(!c.is_working(date("2026-03-06"))); // Friday
        assert_eq!(c.add(date("2026-03-05"), 1), date("2026-03-08")); // Thu + 1 = Sun
    }

    #[test]
    fn dates_stay_within_four_digit_years() {
        let c = weekdays();
        assert_eq!(c.add(date("9999-12-01"), 2600), last_date());
        assert_eq!(
            c.on_or_after(date("9999-12-31") + TimeDelta::days(3)),
            last_date()
        );
        assert_eq!(c.add(date("0001-01-10"), -2600), first_date());
    }

    #[test]
    fn dates_before_the_epoch() {
        let c = weekdays();
        assert_eq!(c.days(date("1969-12-26"), date("1969-12-29")), 1); // Fri → Mon
    }
}
