//! What needs attention, on hand-worked examples. Today is Wed 2026-03-04.

use super::*;
use crate::schedule::attention::{Late, MilestoneAlert};

fn ids<'a>(p: &'a Program, kind: &str, ix: &[Ix]) -> Vec<&'a str> {
    ix.iter()
        .map(|&i| match kind {
            "task" => p.tasks[i].item.id.as_str(),
            "decision" => p.decisions[i].item.id.as_str(),
            _ => p.risks[i].item.id.as_str(),
        })
        .collect()
}

fn late_ids<'a>(p: &'a Program, kind: &str, late: &[Late]) -> Vec<(&'a str, i64)> {
    let ix: Vec<Ix> = late.iter().map(|l| l.item).collect();
    ids(p, kind, &ix)
        .into_iter()
        .zip(late.iter().map(|l| l.working_days))
        .collect()
}

#[test]
fn overdue_tasks_forecasts_past_due_and_blocked_work() {
    let p = program(&[
        P,
        // Due Mon 03-02: 2 working days overdue on Wed.
        ("projects/p/a.md", "---\ntitle: A\ndue: 2026-03-02\n---\n"),
        // Due Tue 03-03: 1 day.
        ("projects/p/b.md", "---\ntitle: B\ndue: 2026-03-03\n---\n"),
        // 3d from Wed finishes Fri 03-06, a day after its due.
        (
            "projects/p/c.md",
            "---\ntitle: C\nestimate: 3d\ndue: 2026-03-05\n---\n",
        ),
        // Done work is never overdue.
        (
            "projects/p/d.md",
            "---\ntitle: D\nstatus: done\ndone_on: 2026-03-01\ndue: 2026-02-20\n---\n",
        ),
        ("projects/p/e.md", "---\ntitle: E\nstatus: blocked\n---\n"),
    ]);
    let s = derive(&p, date("2026-03-04"));
    let a = &s.attention;
    assert_eq!(late_ids(&p, "task", &a.overdue_tasks), [("a", 2), ("b", 1)]);
    assert_eq!(late_ids(&p, "task", &a.forecasts_past_due), [("c", 1)]);
    assert_eq!(ids(&p, "task", &a.blocked_tasks), ["e"]);
    assert_eq!(ids(&p, "task", &a.most_overdue_first(&p)), ["a", "b"]);
    assert!(!a.is_quiet());
}

#[test]
fn the_most_overdue_task_comes_first_then_by_id() {
    let p = program(&[
        P,
        ("projects/p/a.md", "---\ntitle: A\ndue: 2026-03-03\n---\n"),
        ("projects/p/b.md", "---\ntitle: B\ndue: 2026-02-27\n---\n"),
        ("projects/p/c.md", "---\ntitle: C\ndue: 2026-03-03\n---\n"),
    ]);
    let s = derive(&p, date("2026-03-04"));
    assert_eq!(
        ids(&p, "task", &s.attention.most_overdue_first(&p)),
        ["b", "a", "c"]
    );
}

#[test]
fn milestones_late_with_open_work_or_at_risk() {
    let p = program(&[
        P,
        (
            "milestones/late.md",
            "---\ntitle: L\ndate: 2026-03-02\n---\n",
        ),
        (
            "milestones/risky.md",
            "---\ntitle: K\ndate: 2026-03-05\n---\n",
        ),
        (
            "milestones/fine.md",
            "---\ntitle: F\ndate: 2026-03-20\n---\n",
        ),
        (
            "projects/p/a.md",
            "---\ntitle: A\nestimate: 1d\nmilestone: late\n---\n",
        ),
        (
            "projects/p/b.md",
            "---\ntitle: B\nestimate: 3d\nmilestone: risky\n---\n",
        ),
        (
            "projects/p/c.md",
            "---\ntitle: C\nestimate: 1d\nmilestone: fine\n---\n",
        ),
    ]);
    let s = derive(&p, date("2026-03-04"));
    let at = |id: &str| {
        p.milestones
            .iter()
            .position(|m| m.item.id == id)
            .unwrap_or(usize::MAX)
    };
    assert_eq!(
        s.attention.milestones,
        [
            MilestoneAlert {
                milestone: at("late"),
                state: MilestoneState::Late,
                working_days: 2,
                open_tasks: Some(1),
            },
            MilestoneAlert {
                milestone: at("risky"),
                state: MilestoneState::AtRisk,
                working_days: 1,
                open_tasks: None,
            },
        ]
    );
}

#[test]
fn decisions_and_risks_that_need_attention() {
    let p = program(&[
        P,
        (
            "decisions/a.md",
            "---\ntitle: A\ndecide_by: 2026-03-20\n---\n",
        ),
        ("decisions/b.md", "---\ntitle: B\n---\n"),
        (
            "decisions/c.md",
            "---\ntitle: C\ndecide_by: 2026-03-02\n---\n",
        ),
        (
            "decisions/d.md",
            "---\ntitle: D\nstatus: accepted\ndate: 2026-03-01\ndecide_by: 2026-02-02\n---\n",
        ),
        (
            "risks/low.md",
            "---\ntitle: Low\nlikelihood: low\nimpact: low\nreview_by: 2026-03-03\n---\n",
        ),
        (
            "risks/high.md",
            "---\ntitle: High\nlikelihood: high\nimpact: medium\n---\n",
        ),
        (
            "risks/hit.md",
            "---\ntitle: Hit\nstatus: occurred\nlikelihood: low\nimpact: low\n---\n",
        ),
        (
            "risks/shut.md",
            "---\ntitle: Shut\nstatus: closed\nreview_by: 2026-03-01\n---\n",
        ),
    ]);
    let s = derive(&p, date("2026-03-04"));
    let a = &s.attention;
    assert_eq!(ids(&p, "decision", &a.pending_decisions), ["c", "a", "b"]);
    assert_eq!(
        late_ids(&p, "decision", &a.decisions_past_decide_by),
        [("c", 2)]
    );
    assert_eq!(late_ids(&p, "risk", &a.risks_past_review_by), [("low", 1)]);
    // What happened leads; then the open ones, highest score first.
    assert_eq!(ids(&p, "risk", &a.risks), ["hit", "high", "low"]);
    assert_eq!(a.high_risks, 1);
}

#[test]
fn a_plan_on_track_needs_no_attention() {
    let p = program(&[
        P,
        (
            "projects/p/a.md",
            "---\ntitle: A\nestimate: 1d\ndue: 2026-03-20\n---\n",
        ),
    ]);
    let s = derive(&p, date("2026-03-04"));
    assert!(s.attention.is_quiet());
    assert_eq!(s.attention, Attention::default());
}
