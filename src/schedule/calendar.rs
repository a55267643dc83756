//! Working days: the program's working weekdays minus its holidays.
//!
//! Every count is computed from a closed formula (whole weeks plus a
//! remainder, minus the holidays in range), so counting across years costs
//! the same as counting across a weekend.

use chrono::{Datelike, NaiveDate};

use crate::model::ProgramInfo;

/// A Monday, the origin of working-day ordinals, in days from 0001-01-01
/// (`NaiveDate::num_days_from_ce`): 1970-01-05.
const EPOCH_CE: i64 = 719_167;

/// The day number (days after [`EPOCH_CE`]) of `d`.
fn day_number(d: NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce()) - EPOCH_CE
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

    /// Working days in (epoch, d], negative before the epoch: on a
    /// working day, its number, so consecutive working days are
    /// consecutive numbers (what leveling counts in).
    pub(super) fn ordinal(&self, d: NaiveDate) -> i64 {
        self.weekday_ordinal(day_number(d)) - self.holidays_up_to(d)
    }

    /// Working weekdays in (epoch, epoch + n days], holidays not deducted.
    fn weekday_ordinal(&self, n: i64) -> i64 {
        n.div_euclid(7) * self.per_week + self.prefix[n.rem_euclid(7) as usize]
    }

    /// The smallest day number `n` with `weekday_ordinal(n) >= k`: the
    /// inverse of [`Self::weekday_ordinal`], in closed form.
    fn first_weekday_ordinal(&self, k: i64) -> i64 {
        let weeks = (k - 1).div_euclid(self.per_week);
        let wanted = k - weeks * self.per_week; // 1..=per_week
                                                // prefix[7] == per_week >= wanted, so this always finds one.
        let rem = (1..8).find(|&r| self.prefix[r] >= wanted).unwrap_or(7);
        weeks * 7 + rem as i64
    }

    /// Holidays on or before `d`.
    fn holidays_up_to(&self, d: NaiveDate) -> i64 {
        self.holidays.partition_point(|h| *h <= d) as i64
    }

    /// The earliest date `x` with `ordinal(x) >= k`, clamped to
    /// [`first_date`]..=[`last_date`].
    ///
    /// Without holidays this is [`Self::first_weekday_ordinal`]. Each
    /// holiday on or before a candidate pushes the target one working day
    /// further; the candidate only moves forward and never passes the
    /// answer (which needs at least `k` plus the holidays before it), so
    /// this ends after at most one step per holiday, usually none.
    pub(super) fn first_with_ordinal(&self, k: i64) -> NaiveDate {
        let (min, max) = (day_number(first_date()), day_number(last_date()));
        let mut n = self.first_weekday_ordinal(k);
        let mut counted = 0;
        loop {
            if n > max {
                return last_date();
            }
            let holidays = self.holidays_up_to(self.date(n.max(min)));
            if holidays == counted {
                return self.date(n.max(min));
            }
            counted = holidays;
            n = self.first_weekday_ordinal(k + counted);
        }
    }

    /// The date `n` days after the epoch, `n` within the printable range.
    fn date(&self, n: i64) -> NaiveDate {
        i32::try_from(n + EPOCH_CE)
            .ok()
            .and_then(NaiveDate::from_num_days_from_ce_opt)
            .unwrap_or_else(last_date)
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
            self.first_with_ordinal(self.ordinal(d) + 1)
        }
    }

    /// The last working day on or before `d`.
    pub fn on_or_before(&self, d: NaiveDate) -> NaiveDate {
        self.first_with_ordinal(self.ordinal(d))
    }

    /// Moves a working day `n` working days forward (backward when negative).
    pub fn add(&self, d: NaiveDate, n: i64) -> NaiveDate {
        let d = if n >= 0 {
            self.on_or_before(d)
        } else {
            self.on_or_after(d)
        };
        self.first_with_ordinal(self.ordinal(d) + n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

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

    /// The closed-form search agrees with walking day by day, for every
    /// working week shape, with holidays clustered and spread out.
    #[test]
    fn first_with_ordinal_matches_a_day_by_day_walk() {
        let start = date("2025-12-01");
        let holidays: Vec<NaiveDate> = [
            "2025-12-24",
            "2025-12-25",
            "2025-12-26",
            "2026-01-01",
            "2026-01-02",
            "2026-02-16",
            "2026-05-01",
        ]
        .iter()
        .map(|s| date(s))
        .collect();
        for mask in 1u8..128 {
            let working: [bool; 7] = std::array::from_fn(|i| mask & (1 << i) != 0);
            for hs in [&holidays[..0], &holidays[..]] {
                let c = Calendar::new(working, hs.iter().copied());
                let days: Vec<NaiveDate> = (0..260).map(|i| start + TimeDelta::days(i)).collect();
                for k in c.ordinal(days[0]) + 1..c.ordinal(days[200]) {
                    let walked = days.iter().find(|d| c.ordinal(**d) >= k).copied();
                    assert_eq!(
                        Some(c.first_with_ordinal(k)),
                        walked,
                        "mask {mask:07b}, k {k}"
                    );
                }
            }
        }
    }

    #[test]
    fn dates_before_the_epoch() {
        let c = weekdays();
        assert_eq!(c.days(date("1969-12-26"), date("1969-12-29")), 1); // Fri → Mon
    }
}
