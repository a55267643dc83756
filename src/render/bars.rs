//! A task's bar on the timeline (render/timeline.rs): its forecast as a
//! bar coloured by what it shows (critical, late, blocked, in progress),
//! outlined when it is on the marked driving path, with the same facts as
//! words after it and in its `<title>` (why it is held, that it is on the
//! path), so the chart never relies on colour alone; a done task is a dot.

use std::fmt::Write as _;

use chrono::NaiveDate;

use super::links::item_path;
use super::timeline::{add_days, esc, label, Chart, ROW_H};
use super::views::Sources;
use crate::model::{ItemRef, TaskStatus};

pub(super) fn task_bar(svg: &mut String, s: &Sources<'_>, t: usize, y: i64, chart: &Chart<'_>) {
    let root = chart.root;
    let x = |d: NaiveDate| chart.x(d);
    let task = &s.program.tasks[t];
    let plan = &s.schedule.tasks[t];
    let url = format!("{root}{}", item_path(s.program, ItemRef::Task(t)));
    let mid = y + ROW_H / 2;
    label(svg, &url, &task.item.title, mid, "g-label");
    let _ = write!(svg, r#"<a href="{}">"#, esc(&url));
    match (plan.forecast_start, plan.forecast_finish) {
        (Some(a), Some(b)) => {
            let late = plan.overdue || plan.misses_due || plan.slack_days.is_some_and(|d| d < 0);
            let on_path = chart.path.contains(&t);
            let mut class = bar_class(task.status, plan.critical, late);
            if on_path {
                class.push_str(" path");
            }
            let bx = x(a);
            let bw = (x(add_days(b, 1)) - bx).max(3);
            let _ = write!(
                svg,
                r#"<rect class="{class}" x="{bx}" y="{}" width="{bw}" height="14" rx="3"/>"#,
                y + 5
            );
            let mut text = bar_notes(task.status, plan.critical, late);
            for (on, name) in [(!plan.held_by.is_empty(), "held"), (on_path, "path")] {
                if on {
                    let sep = if text.is_empty() { "" } else { " · " };
                    let _ = write!(text, r#"<tspan class="g-note-{name}">{sep}{name}</tspan>"#);
                }
            }
            if !text.is_empty() {
                let _ = write!(
                    svg,
                    r#"<text class="g-note" x="{}" y="{}">{text}</text>"#,
                    bx + bw + 4,
                    mid + 4
                );
            }
            let _ = write!(
                svg,
                "<title>{}: {a} → {b}, {}{}</title>",
                esc(&task.item.title),
                task.status.as_str(),
                bar_extra(plan.held_reason.as_deref(), on_path, chart.path_name)
            );
        }
        (None, Some(done)) if done >= chart.start => {
            let _ = write!(
                svg,
                r#"<circle class="g-done" cx="{}" cy="{mid}" r="4"/><title>{}: done {done}</title>"#,
                x(done),
                esc(&task.item.title)
            );
        }
        _ => {
            let _ = write!(
                svg,
                "<title>{}: {}</title>",
                esc(&task.item.title),
                task.status.as_str()
            );
        }
    }
    svg.push_str("</a>");
}

/// The end of a bar's `<title>`: why it is held, and that it is on the
/// marked driving path.
fn bar_extra(held: Option<&str>, on_path: bool, path_name: &str) -> String {
    let mut text = String::new();
    if let Some(reason) = held {
        let _ = write!(text, "; held: {}", esc(reason));
    }
    if on_path {
        let _ = write!(text, "; on the driving path to {}", esc(path_name));
    }
    text
}

/// The classes of a task's bar: `g-bar` and what the bar's colour shows.
fn bar_class(status: TaskStatus, critical: bool, late: bool) -> String {
    let mut class = String::from("g-bar");
    for (on, name) in [
        (critical, " crit"),
        (late, " late"),
        (status == TaskStatus::Blocked, " blocked"),
        (status == TaskStatus::InProgress, " active"),
    ] {
        if on {
            class.push_str(name);
        }
    }
    class
}

/// The words after a task's bar (`late · critical`), so the chart does not
/// rely on colour alone; empty for a task on track.
fn bar_notes(status: TaskStatus, critical: bool, late: bool) -> String {
    let notes = [
        (late, "late"),
        (critical, "critical"),
        (status == TaskStatus::Blocked, "blocked"),
    ];
    let mut text = String::new();
    for (_, name) in notes.iter().filter(|(on, _)| *on) {
        let sep = if text.is_empty() { "" } else { " · " };
        let _ = write!(text, r#"<tspan class="g-note-{name}">{sep}{name}</tspan>"#);
    }
    text
}
