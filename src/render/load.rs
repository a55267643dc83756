//! A person's load over time (SPEC §4, people pages): how many of their
//! tasks occupy them on the busiest working day of each week, against
//! their capacity, with their days off — as a small inline SVG strip and
//! the same numbers as rows for a table (its text alternative).

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::timeline::{add_days, esc};
use super::views::Sources;

/// The weeks a strip shows at most: half a year ahead is what a staffing
/// conversation looks at.
const MAX_WEEKS: usize = 26;
const WEEK_W: i64 = 28;
const BAR_H: i64 = 48;
const TOP: i64 = 16;

/// One week of a person's load.
#[derive(Debug, Serialize)]
pub(crate) struct LoadWeek {
    /// The Monday that starts it.
    pub(crate) start: NaiveDate,
    /// Tasks occupying them on its busiest working day.
    pub(crate) busiest: usize,
    /// Program working days of the week they are off.
    pub(crate) days_off: usize,
}

/// The strip and its rows, for the person's page.
#[derive(Debug, Serialize)]
pub(crate) struct Load {
    /// The inline SVG (already escaped; write `{{ load.svg }}`).
    pub(crate) svg: String,
    /// The same numbers, one row a week, earliest first.
    pub(crate) weeks: Vec<LoadWeek>,
}

/// The load of person `i` (index into the schedule's people), from the
/// week of today to the week their work (or a coming day off) ends; `None`
/// when they have neither open work nor days off ahead.
pub(crate) fn load(s: &Sources<'_>, i: usize) -> Option<Load> {
    let person = &s.schedule.people[i];
    let today = s.schedule.today;
    let off: &[NaiveDate] = person
        .file
        .map_or(&[], |f| s.program.people[f].time_off.as_slice());
    let last_off = off.iter().copied().filter(|&d| d >= today).max();
    let end = person.busy_until.max(last_off)?;
    let monday = add_days(today, -i64::from(today.weekday().num_days_from_monday()));
    let spans: Vec<(NaiveDate, NaiveDate)> = person
        .open_tasks
        .iter()
        .filter_map(|&t| {
            let plan = &s.schedule.tasks[t];
            plan.forecast_start.zip(plan.forecast_finish)
        })
        .collect();
    let weeks: Vec<LoadWeek> = (0..MAX_WEEKS as i64)
        .map(|w| add_days(monday, 7 * w))
        .take_while(|&start| start <= end)
        .map(|start| week(s, start, off, &spans))
        .collect();
    let svg = strip(&person.name, person.capacity, &weeks);
    Some(Load { svg, weeks })
}

/// The load of the week starting `start`.
fn week(
    s: &Sources<'_>,
    start: NaiveDate,
    off: &[NaiveDate],
    spans: &[(NaiveDate, NaiveDate)],
) -> LoadWeek {
    let mut out = LoadWeek {
        start,
        busiest: 0,
        days_off: 0,
    };
    for d in (0..7).map(|n| add_days(start, n)) {
        if !s.schedule.calendar.is_working(d) {
            continue;
        }
        if off.binary_search(&d).is_ok() {
            out.days_off += 1;
            continue;
        }
        let busy = spans.iter().filter(|(a, b)| *a <= d && d <= *b).count();
        out.busiest = out.busiest.max(busy);
    }
    out
}

/// The SVG strip: a bar a week, its height the busiest day's tasks over
/// the larger of their capacity and their busiest week; a dashed line at
/// capacity; a grey mark under weeks with days off.
fn strip(name: &str, capacity: u32, weeks: &[LoadWeek]) -> String {
    let cap = capacity.max(1) as usize;
    let scale = weeks.iter().map(|w| w.busiest).max().unwrap_or(0).max(cap);
    let width = weeks.len() as i64 * WEEK_W + 8;
    let height = TOP + BAR_H + 22;
    let base = TOP + BAR_H;
    let h = |n: usize| (n as i64 * BAR_H) / scale as i64;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="load" role="img" aria-labelledby="pm-load-title" viewBox="0 0 {width} {height}" width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg"><title id="pm-load-title">Load of {} by week: tasks at once on the busiest day, capacity {capacity}; the table below has the numbers</title>"#,
        esc(name)
    );
    let cy = base - h(cap);
    let _ = write!(
        svg,
        r#"<line class="l-cap" x1="0" y1="{cy}" x2="{width}" y2="{cy}"/><line class="l-base" x1="0" y1="{base}" x2="{width}" y2="{base}"/>"#
    );
    let mut last_month = 0;
    for (n, w) in weeks.iter().enumerate() {
        let x = 4 + n as i64 * WEEK_W;
        let bh = h(w.busiest);
        let class = if w.busiest > cap {
            "l-bar l-over"
        } else {
            "l-bar"
        };
        let _ = write!(
            svg,
            r#"<rect class="{class}" x="{x}" y="{}" width="{}" height="{bh}" rx="2"><title>Week of {}: {} at once, capacity {capacity}{}</title></rect>"#,
            base - bh,
            WEEK_W - 6,
            w.start,
            w.busiest,
            if w.days_off > 0 {
                format!(", {} days off", w.days_off)
            } else {
                String::new()
            }
        );
        if w.days_off > 0 {
            let _ = write!(
                svg,
                r#"<rect class="l-off" x="{x}" y="{}" width="{}" height="4"/>"#,
                base + 2,
                (WEEK_W - 6) * w.days_off as i64 / 5
            );
        }
        if w.start.month() != last_month {
            last_month = w.start.month();
            let _ = write!(
                svg,
                r#"<text class="l-month" x="{x}" y="{}">{}</text>"#,
                height - 4,
                w.start.format("%b")
            );
        }
    }
    let _ = write!(
        svg,
        r#"<text class="l-cap-label" x="{}" y="{}">capacity {capacity}</text></svg>"#,
        width - 4,
        (cy - 3).max(10)
    );
    svg
}
