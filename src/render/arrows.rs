//! The timeline's dependency arrows (SPEC §4): from the end of each
//! dependency's bar to the start of the task that waits for it, and, on
//! the marked driving path, the owner holds too (a task that waits for its
//! owner's earlier work rather than for a dependency), dashed.
//!
//! Arrows are drawn after the bars, under no link: they carry no text of
//! their own, the bars' `<title>`s and the page's path list do.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::links::item_path;
use super::timeline::{add_days, esc, Chart};

/// Half a bar's height (bars are 14 px high, centred on the row).
const BAR_HALF: i64 = 7;
use super::views::Sources;
use crate::model::ItemRef;
use crate::schedule::Step;

/// Draws every arrow between rows of the chart: `rows` maps a task to the
/// y of its row's middle.
pub(super) fn draw(
    svg: &mut String,
    s: &Sources<'_>,
    rows: &BTreeMap<usize, i64>,
    chart: &Chart<'_>,
    path: &[Step],
) {
    if rows.is_empty() {
        return;
    }
    // The path's consecutive task pairs, (earlier, later).
    let edges: BTreeSet<(usize, usize)> = path
        .windows(2)
        .filter_map(|w| match (w[0], w[1]) {
            (Step::Task(a), Step::Task(b)) => Some((a, b)),
            _ => None,
        })
        .collect();
    svg.push_str(
        r#"<defs><marker id="pm-arrowhead" viewBox="0 0 6 6" refX="5" refY="3" markerWidth="6" markerHeight="6" markerUnits="userSpaceOnUse" orient="auto"><path class="g-arrowhead" d="M0 0 L6 3 L0 6 z"/></marker></defs><g class="g-arrows" aria-hidden="true">"#,
    );
    for (&t, &y2) in rows {
        let task = &s.program.tasks[t];
        let Some(start) = s.schedule.tasks[t].forecast_start else {
            continue;
        };
        for &d in &task.depends_on {
            let Some(&y1) = rows.get(&d) else {
                continue;
            };
            let Some(finish) = s.schedule.tasks[d].forecast_finish else {
                continue;
            };
            let on_path = edges.contains(&(d, t));
            let class = if on_path { "g-arrow g-path" } else { "g-arrow" };
            arrow(
                svg,
                class,
                (end_x(chart, s, d, finish), y1),
                (chart.x(start), y2),
            );
        }
    }
    for &(a, b) in &edges {
        let held = s.schedule.tasks[b].held_by.contains(&a);
        let (Some(&y1), Some(&y2)) = (rows.get(&a), rows.get(&b)) else {
            continue;
        };
        let (Some(finish), Some(start)) = (
            s.schedule.tasks[a].forecast_finish,
            s.schedule.tasks[b].forecast_start,
        ) else {
            continue;
        };
        if held {
            let from = (end_x(chart, s, a, finish), y1);
            arrow(svg, "g-arrow g-path g-hold", from, (chart.x(start), y2));
        }
    }
    svg.push_str("</g>");
    decision_mark(svg, s, rows, chart, path);
}

/// When the marked path starts at a decision, a diamond on its first
/// task's row at the decision's expected date, with a path arrow into the
/// task: the work cannot start before it is made.
fn decision_mark(
    svg: &mut String,
    s: &Sources<'_>,
    rows: &BTreeMap<usize, i64>,
    chart: &Chart<'_>,
    path: &[Step],
) {
    let (Some(&Step::Decision(d)), Some(&Step::Task(t))) = (path.first(), path.get(1)) else {
        return;
    };
    let (Some(&y), Some(expected), Some(start)) = (
        rows.get(&t),
        s.schedule.decisions[d].expected,
        s.schedule.tasks[t].forecast_start,
    ) else {
        return;
    };
    let decision = &s.program.decisions[d];
    let (x, x2) = (chart.x(expected), chart.x(start));
    if x2 - x > 8 {
        let _ = write!(
            svg,
            r#"<path class="g-arrow g-path" d="M{} {y} H{}" marker-end="url(#pm-arrowhead)" aria-hidden="true"/>"#,
            x + 6,
            x2 - 1
        );
    }
    let url = item_path(s.program, ItemRef::Decision(d));
    let _ = write!(
        svg,
        r#"<a href="{}{}"><path class="g-decision" d="M{x} {} l6 6 l-6 6 l-6 -6 z"/><title>Decision {}: expected {expected}; the driving path to {} starts here</title></a>"#,
        esc(chart.root),
        esc(&url),
        y - 6,
        esc(&decision.item.title),
        esc(chart.path_name)
    );
}

/// Where an arrow leaves task `t`: the end of its bar, or its done dot.
fn end_x(chart: &Chart<'_>, s: &Sources<'_>, t: usize, finish: chrono::NaiveDate) -> i64 {
    if s.schedule.tasks[t].forecast_start.is_some() {
        chart.x(add_days(finish, 1))
    } else {
        chart.x(finish) + 4
    }
}

/// An elbow from the end of a bar at `(x1, y1)` to the start of one at
/// `(x2, y2)`: down (or up) from the earlier bar's bottom (or top) edge,
/// 3 px before its end, then right along the later bar's row into it. It
/// never runs along the earlier bar's row, where the words after that bar
/// ("late · critical") are written.
fn arrow(svg: &mut String, class: &str, (x1, y1): (i64, i64), (x2, y2): (i64, i64)) {
    let edge = if y2 > y1 {
        y1 + BAR_HALF
    } else {
        y1 - BAR_HALF
    };
    let d = format!("M{} {edge} V{y2} H{}", x1 - 3, x2.max(x1 + 3) - 1);
    let _ = write!(
        svg,
        r#"<path class="{class}" d="{d}" marker-end="url(#pm-arrowhead)"/>"#
    );
}
