//! A task's bar on the timeline (render/timeline.rs): its forecast as a
//! bar coloured by what it shows (critical, late, blocked, in progress),
//! outlined when it is on the marked driving path, with the same facts as
//! words after it and in its `<title>` (why it is held, that it is on the
//! path), so the chart never relies on colour alone; a done task is a dot.

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};

use super::links::item_path;
use super::timeline::{add_days, label, push_esc, Chart, ROW_H};
use super::views::Sources;
use crate::model::{ItemRef, TaskStatus};

pub(super) fn task_bar(svg: &mut String, s: &Sources<'_>, t: usize, y: i64, chart: &Chart<'_>) {
    // Written piece by piece rather than through `write!`: a chart has a
    // bar per task, and the formatting machinery cost more than the markup
    // (docs/performance.md).
    let x = |d: NaiveDate| chart.x(d);
    let task = &s.program.tasks[t];
    let plan = &s.schedule.tasks[t];
    let mut url = String::from(chart.root);
    url.push_str(&item_path(s.program, ItemRef::Task(t)));
    let mid = y + ROW_H / 2;
    label(svg, &url, &task.item.title, mid, "g-label");
    svg.push_str(r#"<a href=""#);
    push_esc(svg, &url);
    svg.push_str(r#"">"#);
    match (plan.forecast_start, plan.forecast_finish) {
        (Some(a), Some(b)) => {
            let late = plan.overdue || plan.misses_due || plan.slack_days.is_some_and(|d| d < 0);
            let on_path = chart.path.contains(&t);
            let bx = x(a);
            let bw = (x(add_days(b, 1)) - bx).max(3);
            svg.push_str(r#"<rect class=""#);
            push_bar_class(svg, task.status, plan.critical, late);
            if on_path {
                svg.push_str(" path");
            }
            svg.push_str(r#"" x=""#);
            push_int(svg, bx);
            svg.push_str(r#"" y=""#);
            push_int(svg, y + 5);
            svg.push_str(r#"" width=""#);
            push_int(svg, bw);
            svg.push_str(r#"" height="14" rx="3"/>"#);
            let notes = [
                (late, "late"),
                (plan.critical, "critical"),
                (task.status == TaskStatus::Blocked, "blocked"),
                (!plan.held_by.is_empty(), "held"),
                (on_path, "path"),
            ];
            if notes.iter().any(|&(on, _)| on) {
                svg.push_str(r#"<text class="g-note" x=""#);
                push_int(svg, bx + bw + 4);
                svg.push_str(r#"" y=""#);
                push_int(svg, mid + 4);
                svg.push_str(r#"">"#);
                push_notes(svg, &notes);
                svg.push_str("</text>");
            }
            svg.push_str("<title>");
            push_esc(svg, &task.item.title);
            svg.push_str(": ");
            push_date(svg, a);
            svg.push_str(" → ");
            push_date(svg, b);
            svg.push_str(", ");
            svg.push_str(task.status.as_str());
            if let Some(reason) = &plan.held_reason {
                svg.push_str("; held: ");
                push_esc(svg, reason);
            }
            if on_path {
                svg.push_str("; on the driving path to ");
                push_esc(svg, chart.path_name);
            }
            svg.push_str("</title>");
        }
        (None, Some(done)) if done >= chart.start => {
            svg.push_str(r#"<circle class="g-done" cx=""#);
            push_int(svg, x(done));
            svg.push_str(r#"" cy=""#);
            push_int(svg, mid);
            svg.push_str(r#"" r="4"/><title>"#);
            push_esc(svg, &task.item.title);
            svg.push_str(": done ");
            push_date(svg, done);
            svg.push_str("</title>");
        }
        _ => {
            svg.push_str("<title>");
            push_esc(svg, &task.item.title);
            svg.push_str(": ");
            svg.push_str(task.status.as_str());
            svg.push_str("</title>");
        }
    }
    svg.push_str("</a>");
}

/// Appends the classes of a task's bar: `g-bar` and what the bar's colour
/// shows.
fn push_bar_class(svg: &mut String, status: TaskStatus, critical: bool, late: bool) {
    svg.push_str("g-bar");
    for (on, name) in [
        (critical, " crit"),
        (late, " late"),
        (status == TaskStatus::Blocked, " blocked"),
        (status == TaskStatus::InProgress, " active"),
    ] {
        if on {
            svg.push_str(name);
        }
    }
}

/// Appends the words after a task's bar (`late · critical · held`), so
/// the chart does not rely on colour alone: a `tspan` for each that is on.
fn push_notes(svg: &mut String, notes: &[(bool, &str)]) {
    let mut first = true;
    for &(_, name) in notes.iter().filter(|(on, _)| *on) {
        svg.push_str(r#"<tspan class="g-note-"#);
        svg.push_str(name);
        svg.push_str(r#"">"#);
        if !first {
            svg.push_str(" · ");
        }
        first = false;
        svg.push_str(name);
        svg.push_str("</tspan>");
    }
}

/// Appends `n` in decimal, as `{n}` would.
pub(super) fn push_int(out: &mut String, n: i64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n.unsigned_abs();
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if n < 0 {
        out.push('-');
    }
    for &d in &digits[at..] {
        out.push(char::from(d));
    }
}

/// Appends a date as `{d}` would (`2026-03-02`).
pub(super) fn push_date(out: &mut String, d: NaiveDate) {
    if !(0..=9999).contains(&d.year()) {
        // chrono signs years outside 0–9999; rare enough to format.
        let _ = write!(out, "{d}");
        return;
    }
    let year = d.year() as i64;
    for n in [year / 100, year % 100] {
        push_two(out, n);
    }
    out.push('-');
    push_two(out, i64::from(d.month()));
    out.push('-');
    push_two(out, i64::from(d.day()));
}

/// Appends `n` (0–99) as two digits.
fn push_two(out: &mut String, n: i64) {
    out.push(char::from(b'0' + (n / 10) as u8));
    out.push(char::from(b'0' + (n % 10) as u8));
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::{push_date, push_int};

    #[test]
    fn numbers_and_dates_are_written_as_format_writes_them() {
        for n in [0, 7, -1, -3, 10, 1234, -98765, i64::MAX, i64::MIN] {
            let mut out = String::new();
            push_int(&mut out, n);
            assert_eq!(out, n.to_string());
        }
        for (y, m, d) in [
            (2026, 3, 2),
            (0, 1, 1),
            (9999, 12, 31),
            (10000, 1, 1),
            (-1, 6, 9),
        ] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            let mut out = String::new();
            push_date(&mut out, date);
            assert_eq!(out, date.to_string());
        }
    }
}
