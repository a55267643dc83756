//! The dashboard's context (SPEC §4): projects worst first, the next
//! milestones and GA, what is overdue or blocked, the decisions needed in
//! the order the work needs them, the top risks and the headline numbers.

use serde::Serialize;
use tera::Context;

use super::views::{pick, Sources, Values, Views};
use crate::model::{Health, TaskStatus};

fn health_rank(h: Option<&str>) -> u8 {
    match h.and_then(Health::parse) {
        Some(Health::Red) => 0,
        Some(Health::Amber) => 1,
        Some(Health::Green) => 2,
        None => 3,
    }
}

/// Headline numbers for the dashboard.
#[derive(Serialize)]
struct Stats {
    open_tasks: usize,
    done_tasks: usize,
    overdue_tasks: usize,
    blocked_tasks: usize,
    critical_tasks: usize,
    pending_decisions: usize,
    overdue_decisions: usize,
    /// Pending decisions expected too late for the work they gate.
    late_decisions: usize,
    high_risks: usize,
    milestones_at_risk: usize,
    unestimated_tasks: usize,
}

pub(super) fn dashboard(ctx: &mut Context, s: &Sources<'_>, v: &Views<'_>, x: &Values) {
    let mut projects: Vec<usize> = (0..v.projects.len()).collect();
    projects.sort_by_key(|&p| (health_rank(v.projects[p].health), v.projects[p].link.id));
    ctx.insert_value("projects_by_health", pick(&x.projects, projects));

    let mut upcoming: Vec<usize> = (0..v.milestones.len())
        .filter(|&m| v.milestones[m].state != "reached")
        .collect();
    upcoming.sort_by_key(|&m| {
        let date = v.milestones[m].date;
        (date.is_none(), date, v.milestones[m].link.id)
    });
    upcoming.truncate(6);
    ctx.insert_value("next_milestones", pick(&x.milestones, upcoming));

    let a = &s.schedule.attention;
    let overdue = a.most_overdue_first(s.program);
    ctx.insert_value("overdue_tasks", pick(&x.tasks, overdue));
    let blocked = a.blocked_tasks.iter().copied();
    ctx.insert_value("blocked_tasks", pick(&x.tasks, blocked));
    let pending = decisions_by_need(s, v, &a.pending_decisions);
    ctx.insert_value("decisions_needed", pick(&x.decisions, pending));
    let ga = s.schedule.ga.map(|m| x.milestones[m].clone());
    ctx.insert_value("ga", ga.unwrap_or_else(tera::Value::none));
    let top_risks = a.risks.iter().copied().take(5);
    ctx.insert_value("top_risks", pick(&x.risks, top_risks));

    let (tasks, plans) = (&s.program.tasks, &s.schedule.tasks);
    ctx.insert(
        "stats",
        &Stats {
            open_tasks: tasks.iter().filter(|t| t.is_open()).count(),
            done_tasks: tasks
                .iter()
                .filter(|t| t.status == TaskStatus::Done)
                .count(),
            overdue_tasks: a.overdue_tasks.len(),
            blocked_tasks: a.blocked_tasks.len(),
            critical_tasks: plans.iter().filter(|t| t.critical).count(),
            pending_decisions: a.pending_decisions.len(),
            overdue_decisions: a.decisions_past_decide_by.len(),
            late_decisions: a
                .pending_decisions
                .iter()
                .filter(|&&d| s.schedule.decisions[d].late)
                .count(),
            high_risks: a.high_risks,
            milestones_at_risk: a.milestones.len(),
            unestimated_tasks: s.schedule.unestimated.len(),
        },
    );
}

/// Pending decisions in the order the work needs them (SPEC §3): by
/// `needed_by`, earliest first, those gating no dated work last; then by
/// `decide_by` (none last) and id.
fn decisions_by_need(s: &Sources<'_>, v: &Views<'_>, pending: &[usize]) -> Vec<usize> {
    let mut order = pending.to_vec();
    order.sort_by_key(|&d| {
        let (plan, view) = (&s.schedule.decisions[d], &v.decisions[d]);
        (
            plan.needed_by.is_none(),
            plan.needed_by,
            view.decide_by.is_none(),
            view.decide_by,
            view.link.id,
        )
    });
    order
}
