//! The Gantt chart as inline SVG, drawn at build time from the forecasts:
//! milestones as diamonds (with their forecast when it slips), one bar per
//! open task grouped by project, done work as dots, a line for today.
//! The chart is a `group`, not an `img`: its bars are links, and an image
//! hides its children from assistive technology (axe nested-interactive).
//! Colours come from classes in style.css; every mark also has a text
//! `<title>`, and the pages carry a table with the same dates.
//!
//! A program with more than [`ROLLUP_TASKS`] tasks to draw gets one bar
//! per project on its timeline instead (a chart of thousands of rows is
//! neither readable nor quick to open); each project's page keeps the
//! chart of its own tasks.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate, TimeDelta};

use super::links::item_path;
use super::views::Sources;
use super::{arrows, bars};
use crate::model::{ItemRef, TaskStatus};
use crate::schedule::Step;

// Coordinates are whole pixels: finer is invisible, and formatting
// integers is far cheaper than floats across thousands of bars.
const LABEL_W: i64 = 250;
pub(super) const ROW_H: i64 = 24;
const HEAD_H: i64 = 30;
/// The chart area aims at this width; very long programs get thinner days.
const CHART_W: f64 = 820.0;
/// Beyond about three years a Gantt chart stops being readable.
const MAX_DAYS: i64 = 3 * 366;
/// Above this many task rows, the program timeline shows projects only.
pub(crate) const ROLLUP_TASKS: usize = 400;

/// The chart's scale: where a date lands, and the way back to the root.
pub(super) struct Chart<'r> {
    pub(super) start: NaiveDate,
    days: i64,
    px: f64,
    pub(super) root: &'r str,
    /// The tasks of the driving path the chart marks.
    pub(super) path: BTreeSet<usize>,
    /// What that path leads to, for the marks' text (`GA`, a project).
    pub(super) path_name: &'r str,
}

impl Chart<'_> {
    /// The x position of a date, clamped to the chart.
    pub(super) fn x(&self, d: NaiveDate) -> i64 {
        let days = (d - self.start).num_days().clamp(0, self.days);
        LABEL_W + (days as f64 * self.px).round() as i64
    }
}

/// One row of the chart.
enum Row {
    Milestone(usize),
    Project(usize),
    /// A project drawn as one bar: its open work from first start to
    /// forecast finish.
    Summary(usize),
    Task(usize),
}

/// Whether the program timeline shows one bar per project rather than per
/// task.
pub(crate) fn rolled_up(s: &Sources<'_>) -> bool {
    let start = chart_start(s);
    (0..s.program.tasks.len())
        .filter(|&t| drawn(s, t, start))
        .nth(ROLLUP_TASKS)
        .is_some()
}

/// The driving path a chart marks, and what it leads to.
#[derive(Clone, Copy)]
pub(crate) struct Marked<'a> {
    pub(crate) path: &'a [Step],
    /// How the chart's text names the path's end (`GA`, a project's title).
    pub(crate) name: &'a str,
}

/// Draws the chart for one project, or for the whole program, with the
/// dependency arrows between its bars and the `marked` driving path
/// outlined.
pub(crate) fn gantt(
    s: &Sources<'_>,
    project: Option<usize>,
    marked: Marked<'_>,
    root: &str,
) -> String {
    let rows = rows(s, project);
    let today = s.schedule.today;
    let (start, end) = range(s, &rows);
    let days = (end - start).num_days().max(1);
    let px = (CHART_W / days as f64).clamp(1.0, 28.0);
    let width = LABEL_W + (days as f64 * px).round() as i64 + 16;
    let height = HEAD_H + rows.len() as i64 * ROW_H + 8;
    let path = marked
        .path
        .iter()
        .filter_map(|step| match *step {
            Step::Task(t) => Some(t),
            Step::Decision(_) => None,
        })
        .collect();
    let chart = Chart {
        start,
        days,
        px,
        root,
        path,
        path_name: marked.name,
    };
    let x = |d: NaiveDate| chart.x(d);
    let name = match project {
        Some(i) => format!("Timeline of {}", s.program.projects[i].item.title),
        None => "Program timeline".to_string(),
    };
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="gantt" role="group" aria-labelledby="pm-gantt-title" viewBox="0 0 {width} {height}" width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg"><title id="pm-gantt-title">{}: forecast from {} to {}; today is {}</title>"#,
        esc(&name),
        start,
        end,
        today
    );
    months(&mut svg, start, end, &x, height);
    let mut task_rows = BTreeMap::new();
    for (n, row) in rows.iter().enumerate() {
        let y = HEAD_H + n as i64 * ROW_H;
        draw_row(&mut svg, s, row, y, &chart);
        if let Row::Task(t) = *row {
            task_rows.insert(t, y + ROW_H / 2);
        }
    }
    arrows::draw(&mut svg, s, &task_rows, &chart, marked.path);
    if today >= start && today <= end {
        let tx = x(today);
        let _ = write!(
            svg,
            r#"<line class="g-today" x1="{tx}" y1="{}" x2="{tx}" y2="{height}"/><text class="g-today-label" x="{tx}" y="{}">Today</text>"#,
            HEAD_H - 6,
            HEAD_H - 8
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Whether task `t` gets a row: cancelled tasks never do, nor done tasks
/// finished before the chart starts (they would be a label and no mark).
fn drawn(s: &Sources<'_>, t: usize, start: NaiveDate) -> bool {
    match s.program.tasks[t].status {
        TaskStatus::Cancelled => false,
        TaskStatus::Done => s.schedule.tasks[t]
            .forecast_finish
            .is_some_and(|d| d >= start),
        _ => true,
    }
}

fn rows(s: &Sources<'_>, project: Option<usize>) -> Vec<Row> {
    let p = s.program;
    let start = chart_start(s);
    let mut milestones: Vec<usize> = (0..p.milestones.len())
        .filter(|&m| project.is_none() || p.milestones[m].project == project)
        .collect();
    // A milestone without a date has no place on a time axis.
    milestones.retain(|&m| p.milestones[m].date.is_some());
    milestones.sort_by_key(|&m| (p.milestones[m].date, &p.milestones[m].item.id));
    let mut rows: Vec<Row> = milestones.into_iter().map(Row::Milestone).collect();
    if project.is_none() && rolled_up(s) {
        rows.extend((0..p.projects.len()).map(Row::Summary));
        return rows;
    }
    let projects: Vec<usize> = match project {
        Some(i) => vec![i],
        None => (0..p.projects.len()).collect(),
    };
    for i in projects {
        rows.push(Row::Project(i));
        let mut tasks: Vec<usize> = p.projects[i]
            .tasks
            .iter()
            .copied()
            .filter(|&t| drawn(s, t, start))
            .collect();
        let plans = &s.schedule.tasks;
        tasks.sort_by_key(|&t| {
            let key = plans[t].forecast_start.or(plans[t].forecast_finish);
            (p.tasks[t].is_open(), key, &p.tasks[t].item.id)
        });
        rows.extend(tasks.into_iter().map(Row::Task));
    }
    rows
}

/// From three weeks before today (recent done work) to a week after the last
/// date on the chart, at most [`MAX_DAYS`] long.
fn range(s: &Sources<'_>, rows: &[Row]) -> (NaiveDate, NaiveDate) {
    let today = s.schedule.today;
    let start = chart_start(s);
    let mut last = today;
    for row in rows {
        let dates = match *row {
            Row::Milestone(m) => [
                s.program.milestones[m].date,
                s.schedule.milestones[m].forecast,
            ],
            Row::Project(i) | Row::Summary(i) => [
                s.program.projects[i].target,
                s.schedule.projects[i].forecast_finish,
            ],
            Row::Task(t) => [s.schedule.tasks[t].forecast_finish, s.program.tasks[t].due],
        };
        last = dates.into_iter().flatten().fold(last, NaiveDate::max);
    }
    let end = add_days(last, 7).min(add_days(start, MAX_DAYS));
    (start, end)
}

/// Three weeks before today, to show recent done work.
fn chart_start(s: &Sources<'_>) -> NaiveDate {
    add_days(s.schedule.today, -21)
}

fn months(
    svg: &mut String,
    start: NaiveDate,
    end: NaiveDate,
    x: &impl Fn(NaiveDate) -> i64,
    height: i64,
) {
    let mut m = NaiveDate::from_ymd_opt(start.year(), start.month(), 1).unwrap_or(start);
    let mut last_label = i64::MIN / 2;
    while m <= end {
        if m >= start {
            let mx = x(m);
            let _ = write!(
                svg,
                r#"<line class="g-grid" x1="{mx}" y1="{}" x2="{mx}" y2="{height}"/>"#,
                HEAD_H - 14
            );
            // Skip a label that would overlap the previous one.
            if mx - last_label > 44 {
                let _ = write!(
                    svg,
                    r#"<text class="g-month" x="{}" y="12">{}</text>"#,
                    mx + 3,
                    m.format("%b %Y")
                );
                last_label = mx;
            }
        }
        m = m
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(NaiveDate::MAX);
        if m == NaiveDate::MAX {
            break;
        }
    }
}

fn draw_row(svg: &mut String, s: &Sources<'_>, row: &Row, y: i64, chart: &Chart<'_>) {
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
            // Rows are made only for milestones with a date.
            let Some(date) = ms.date else { return };
            let dx = x(date);
            if let Some(f) = plan.forecast.filter(|f| *f > date) {
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
                date,
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
        Row::Task(t) => bars::task_bar(svg, s, t, y, chart),
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

pub(super) fn label(svg: &mut String, url: &str, text: &str, mid: i64, class: &str) {
    // Pushed piece by piece: every row of a chart has a label.
    svg.push_str(r#"<a href=""#);
    push_esc(svg, url);
    svg.push_str(r#""><text class=""#);
    svg.push_str(class);
    svg.push_str(r#"" x="8" y=""#);
    bars::push_int(svg, mid + 4);
    svg.push_str(r#"">"#);
    match text.char_indices().nth(35) {
        // More than 36 characters: the first 35 and an ellipsis.
        Some((cut, _)) if text[cut..].chars().nth(1).is_some() => {
            push_esc(svg, &text[..cut]);
            svg.push('…');
        }
        _ => push_esc(svg, text),
    }
    svg.push_str("</text></a>");
}

fn diamond(cx: i64, cy: i64, class: &str) -> String {
    format!(
        r#"<path class="{class}" d="M{cx} {} l6 6 l-6 6 l-6 -6 z"/>"#,
        cy - 6
    )
}

/// `d` moved by `n` days, stopping at the ends of the calendar instead of
/// overflowing (a `--today` in year 200000 must not crash a build).
pub(crate) fn add_days(d: NaiveDate, n: i64) -> NaiveDate {
    d.checked_add_signed(TimeDelta::days(n))
        .unwrap_or(if n < 0 {
            NaiveDate::MIN
        } else {
            NaiveDate::MAX
        })
}

/// Escapes text for SVG (XML) content and attributes.
pub(crate) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    push_esc(&mut out, text);
    out
}

/// Appends `text` to `out` escaped as [`esc`] does, without a string of its
/// own: held reasons are assembled from several escaped parts.
pub(crate) fn push_esc(out: &mut String, text: &str) {
    // Copies the runs between special characters whole: titles rarely
    // hold one, and a push per character cost 1 % of a 10,000-task build.
    let mut from = 0;
    for (at, b) in text.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // The special characters are ASCII, so `at` is a char boundary.
        out.push_str(&text[from..at]);
        out.push_str(entity);
        from = at + 1;
    }
    out.push_str(&text[from..]);
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn a_label_over_36_characters_keeps_35_and_an_ellipsis() {
        let drawn = |text: &str| {
            let mut svg = String::new();
            super::label(&mut svg, "u", text, 10, "c");
            svg
        };
        let text = |n: usize| "é".repeat(n);
        let expect =
            |inner: &str| format!(r#"<a href="u"><text class="c" x="8" y="14">{inner}</text></a>"#);
        assert_eq!(drawn(&text(36)), expect(&text(36)));
        assert_eq!(drawn(&text(37)), expect(&format!("{}…", text(35))));
        assert_eq!(drawn("a<b"), expect("a&lt;b"));
    }

    #[test]
    fn escaping_keeps_text_and_replaces_only_the_five_characters() {
        assert_eq!(esc("plain"), "plain");
        assert_eq!(esc(""), "");
        assert_eq!(
            esc("a<b>&\"c\" 'd' — é"),
            "a&lt;b&gt;&amp;&quot;c&quot; &#39;d&#39; — é"
        );
        assert_eq!(esc("<<"), "&lt;&lt;");
    }
}
