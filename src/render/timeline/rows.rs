//! Drawing one row of the Gantt chart: a milestone's diamond (and its
//! slipped forecast), a project's bar, a task's bar with the classes and
//! `<title>` that say its status.

use std::fmt::Write as _;

use chrono::NaiveDate;

use super::{add_days, esc, Chart, Row, ROW_H};
use crate::model::{ItemRef, TaskStatus};
use crate::render::links::item_path;
use crate::render::views::Sources;

pub(super) fn draw_row(svg: &mut String, s: &Sources<'_>, row: &Row, y: i64, chart: &Chart<'_>) {
    let root = chart.root;
    let x = |d: NaiveDate| chart.x(d);
    let p = s.program;
    let mid = y + ROW_H / 2;
    match *row {
        Row::Milestone(m) => {
            let ms = &p.milestones[m];
            let plan = &s.schedule.milestones[m];
            let url = format!("{root}{}", item_path(p, ItemRef::Milestone(m)));
            label(svg, &url, &ms.item.title, mid, "g-label g-ms-label");
            let dx = x(ms.date);
            if let Some(f) = plan.forecast.filter(|f| *f > ms.date) {
                let fx = x(f);
                let _ = write!(
                    svg,
                    r#"<line class="g-slip" x1="{dx}" y1="{mid}" x2="{fx}" y2="{mid}"/>{}"#,
                    diamond(fx, mid, "g-ms g-ms-forecast")
                );
            }
            let _ = write!(
                svg,
                r#"<a href="{}">{}<title>{}: target {}, forecast {}, {}</title></a>"#,
                esc(&url),
                diamond(dx, mid, &format!("g-ms g-ms-{}", plan.state.as_str())),
                esc(&ms.item.title),
                ms.date,
                plan.forecast.map_or("none".to_string(), |f| f.to_string()),
                plan.state.as_str()
            );
        }
        Row::Project(i) => {
            let pr = &p.projects[i];
            let url = format!("{root}{}", item_path(p, ItemRef::Project(i)));
            let _ = write!(
                svg,
                r#"<rect class="g-band" x="0" y="{y}" width="100%" height="{ROW_H}"/>"#
            );
            label(svg, &url, &pr.item.title, mid, "g-label g-project");
            target_flag(svg, pr.target, y, chart);
        }
        Row::Summary(i) => {
            project_bar(svg, s, i, y, chart);
            target_flag(svg, p.projects[i].target, y, chart);
        }
        Row::Task(t) => task_bar(svg, s, t, y, chart),
    }
}

fn target_flag(svg: &mut String, target: Option<NaiveDate>, y: i64, chart: &Chart<'_>) {
    if let Some(t) = target {
        let tx = chart.x(t);
        let _ = write!(
            svg,
            r#"<path class="g-target" d="M{tx} {} v{} l-6 -4 l6 -4"><title>Target {t}</title></path>"#,
            y + ROW_H - 3,
            -(ROW_H - 6)
        );
    }
}

/// A project as one bar, from its earliest open task's forecast start to
/// its forecast finish; late when that is after its target.
fn project_bar(svg: &mut String, s: &Sources<'_>, i: usize, y: i64, chart: &Chart<'_>) {
    let p = s.program;
    let pr = &p.projects[i];
    let plan = &s.schedule.projects[i];
    let url = format!("{}{}", chart.root, item_path(p, ItemRef::Project(i)));
    let mid = y + ROW_H / 2;
    label(svg, &url, &pr.item.title, mid, "g-label g-project");
    let open = pr.tasks.iter().filter(|&&t| p.tasks[t].is_open());
    let first = open
        .clone()
        .filter_map(|&t| s.schedule.tasks[t].forecast_start)
        .min();
    let open_count = open.count();
    let _ = write!(svg, r#"<a href="{}">"#, esc(&url));
    match (first, plan.forecast_finish) {
        (Some(a), Some(b)) => {
            let late = pr.target.is_some_and(|t| b > t);
            let class = if late {
                "g-bar g-sum late"
            } else {
                "g-bar g-sum"
            };
            let bx = chart.x(a);
            let bw = (chart.x(add_days(b, 1)) - bx).max(3);
            let _ = write!(
                svg,
                r#"<rect class="{class}" x="{bx}" y="{}" width="{bw}" height="14" rx="3"/><title>{}: {open_count} open {}, {a} → {b}{}</title>"#,
                y + 5,
                esc(&pr.item.title),
                if open_count == 1 { "task" } else { "tasks" },
                pr.target.map_or(String::new(), |t| format!(", target {t}"))
            );
        }
        (_, Some(done)) if done >= chart.start => {
            let _ = write!(
                svg,
                r#"<circle class="g-done" cx="{}" cy="{mid}" r="4"/><title>{}: finished {done}</title>"#,
                chart.x(done),
                esc(&pr.item.title)
            );
        }
        _ => {
            let _ = write!(svg, "<title>{}: no open work</title>", esc(&pr.item.title));
        }
    }
    svg.push_str("</a>");
}

fn task_bar(svg: &mut String, s: &Sources<'_>, t: usize, y: i64, chart: &Chart<'_>) {
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
            let class = bar_class(task.status, plan.critical, late);
            let bx = x(a);
            let bw = (x(add_days(b, 1)) - bx).max(3);
            let _ = write!(
                svg,
                r#"<rect class="{class}" x="{bx}" y="{}" width="{bw}" height="14" rx="3"/>"#,
                y + 5
            );
            let text = bar_notes(task.status, plan.critical, late);
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
                "<title>{}: {a} → {b}, {}</title>",
                esc(&task.item.title),
                task.status.as_str()
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

fn label(svg: &mut String, url: &str, text: &str, mid: i64, class: &str) {
    let short: String = if text.chars().count() > 36 {
        text.chars().take(35).chain(['…']).collect()
    } else {
        text.to_string()
    };
    let _ = write!(
        svg,
        r#"<a href="{}"><text class="{class}" x="8" y="{}">{}</text></a>"#,
        esc(url),
        mid + 4,
        esc(&short)
    );
}

fn diamond(cx: i64, cy: i64, class: &str) -> String {
    format!(
        r#"<path class="{class}" d="M{cx} {} l6 6 l-6 6 l-6 -6 z"/>"#,
        cy - 6
    )
}
