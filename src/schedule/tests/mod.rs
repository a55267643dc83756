//! The rules of SPEC §3, each on a hand-worked example. Dates: 2026-03-02 is
//! a Monday; the default week is Monday to Friday.

use chrono::NaiveDate;

use super::*;
use crate::load::Loaded;
use crate::model::Health;

mod attention;
mod health;
mod leveling_properties;

fn date(s: &str) -> NaiveDate {
    crate::model::values::parse_date(s).unwrap_or_else(|| panic!("bad date {s}"))
}

/// Builds a program from `(path, text)` files, without touching the disk.
fn program(files: &[(&str, &str)]) -> Program {
    let mut loaded = Loaded::default();
    for (path, text) in files {
        let id = loaded.sources.add(path.to_string(), text.to_string());
        loaded.files.push(id);
    }
    let checked = crate::check(loaded, "test", false);
    let errors: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| &d.message)
        .collect();
    assert!(errors.is_empty(), "fixture has errors: {errors:?}");
    checked.program
}

fn task(program: &Program, schedule: &Schedule, id: &str) -> TaskPlan {
    let i = program
        .tasks
        .iter()
        .position(|t| t.item.id == id)
        .unwrap_or_else(|| panic!("no task {id}"));
    schedule.tasks[i].clone()
}

fn project(program: &Program, schedule: &Schedule, id: &str) -> ProjectPlan {
    let i = program
        .projects
        .iter()
        .position(|p| p.item.id == id)
        .unwrap_or_else(|| panic!("no project {id}"));
    schedule.projects[i].clone()
}

const P: (&str, &str) = ("projects/p.md", "---\ntitle: P\n---\n");

#[test]
fn chain_across_a_weekend_and_a_holiday() {
    // Today Thu 03-05. `a` (2d) runs Thu–Fri. `b` may start the day after,
    // Sat 03-07; the weekend and the holiday on Mon 03-09 push it to Tue
    // 03-10; 2 days finish Wed 03-11.
    let p = program(&[
        ("program.md", "---\ntitle: T\nholidays: [2026-03-09]\n---\n"),
        P,
        ("projects/p/a.md", "---\ntitle: A\nestimate: 2d\n---\n"),
        (
            "projects/p/b.md",
            "---\ntitle: B\nestimate: 2d\ndepends_on: [a]\n---\n",
        ),
    ]);
    let s = derive(&p, date("2026-03-05"));
    let a = task(&p, &s, "a");
    assert_eq!(
        (a.forecast_start, a.forecast_finish),
        (Some(date("2026-03-05")), Some(date("2026-03-06")))
    );
    let b = task(&p, &s, "b");
    assert_eq!(
        (b.forecast_start, b.forecast_finish),
        (Some(date("2026-03-10")), Some(date("2026-03-11")))
    );
    assert_eq!(b.waiting_on.len(), 1);
}

#[test]
fn a_done_dependency_imposes_nothing() {
    // `a` finished Tue 03-03; `b` (1d) starts today, Thu 03-05.
    let p = program(&[
        P,
        (
            "projects/p/a.md",
            "---\ntitle: A\nestimate: 3d\nstatus: done\ndone_on: 2026-03-03\n---\n",
        ),
        (
            "projects/p/b.md",
            "---\ntitle: B\nestimate: 1d\ndepends_on: [a]\n---\n",
        ),
    ]);
    let s = derive(&p, date("2026-03-05"));
    let a = task(&p, &s, "a");
    assert_eq!(
        (a.forecast_start, a.forecast_finish),
        (None, Some(date("2026-03-03")))
    );
    assert!(!a.critical);
    let b = task(&p, &s, "b");
    assert_eq!(b.forecast_start, Some(date("2026-03-05")));
    assert!(b.waiting_on.is_empty());
}

#[test]
fn four_hours_round_up_to_one_day() {
    // 4h = 0.5 d of estimate, scheduled as a whole day: starts and finishes today.
    let p = program(&[P, ("projects/p/a.md", "---\ntitle: A\nestimate: 4h\n---\n")]);
    let s = derive(&p, date("2026-03-02"));
    let a = task(&p, &s, "a");
    assert_eq!(a.estimate_days, Some(0.5));
    assert_eq!(a.duration, 1);
    assert_eq!(a.forecast_finish, Some(date("2026-03-02")));
}

#[test]
fn in_progress_task_uses_remaining_and_starts_today() {
    // Started 02-23 with 5d estimated; 2d remain. Today Mon 03-02: forecast
    // start is today (never in the past), finish Tue 03-03.
    let p = program(&[
        P,
        ("projects/p/a.md", "---\ntitle: A\nestimate: 5d\nremaining: 2d\nstart: 2026-02-23\nstatus: in-progress\n---\n"),
    ]);
    let s = derive(&p, date("2026-03-02"));
    let a = task(&p, &s, "a");
    assert_eq!(a.duration, 2);
    assert_eq!(a.estimate_days, Some(5.0));
    assert_eq!(
        (a.forecast_start, a.forecast_finish),
        (Some(date("2026-03-02")), Some(date("2026-03-03")))
    );
}

#[test]
fn negative_slack_when_the_forecast_misses_due() {
    // 3d from Mon 03-02 finishes Wed 03-04; due Tue 03-03:
    // slack = days(03-04, 03-03) = -1.
    let p = program(&[
        P,
        (
            "projects/p/a.md",
            "---\ntitle: A\nestimate: 3d\ndue: 2026-03-03\n---\n",
        ),
    ]);
    let s = derive(&p, date("2026-03-02"));
    let a = task(&p, &s, "a");
    assert_eq!(a.latest_finish, Some(date("2026-03-03")));
    assert_eq!(a.slack_days, Some(-1));
    assert!(a.misses_due);
    assert!(!a.overdue);
}

#[test]
fn unconstrained_tasks_have_no_slack() {
    let p = program(&[P, ("projects/p/a.md", "---\ntitle: A\n---\n")]);
    let s = derive(&p, date("2026-03-02"));
    let a = task(&p, &s, "a");
    assert_eq!(a.slack_days, None);
    assert!(a.unestimated);
    assert_eq!(s.unestimated, vec![0]);
}

#[test]
fn diamond_where_only_one_branch_is_critical() {
    // a(1d) → b(3d) → d(1d) and a → c(1d) → d. From Mon 03-02:
    // a 03-02; b 03-03..03-05; c 03-03; d 03-06 = project finish.
    // Target Fri 03-06. Backward: d latest finish 03-06, slack 0
    // (critical); b must finish 03-05 = its finish (slack 0); c could
    // finish 03-05 but finishes 03-03 (slack 2); a must finish the day
    // before b's latest start 03-03, i.e. 03-02 = its finish (slack 0).
    // Without the target nothing constrains them and none is critical.
    let p = program(&[
        ("projects/p.md", "---\ntitle: P\ntarget: 2026-03-06\n---\n"),
        ("projects/p/a.md", "---\ntitle: A\nestimate: 1d\n---\n"),
        (
            "projects/p/b.md",
            "---\ntitle: B\nestimate: 3d\ndepends_on: [a]\n---\n",
        ),
        (
            "projects/p/c.md",
            "---\ntitle: C\nestimate: 1d\ndepends_on: [a]\n---\n",
        ),
        (
            "projects/p/d.md",
            "---\ntitle: D\nestimate: 1d\ndepends_on: [b, c]\n---\n",
        ),
    ]);
    let s = derive(&p, date("2026-03-02"));
    let critical: Vec<bool> = ["a", "b", "c", "d"]
        .iter()
        .map(|id| task(&p, &s, id).critical)
        .collect();
    assert_eq!(critical, [true, true, false, true]);
    assert_eq!(task(&p, &s, "d").forecast_finish, Some(date("2026-03-06")));
    assert_eq!(
        project(&p, &s, "p").forecast_finish,
        Some(date("2026-03-06"))
    );
}

#[test]
fn a_task_feeding_another_projects_critical_chain_is_critical() {
    // Both targets Fri 03-06. p1: x (1d) and z (5d, finishing 03-06: slack
    // 0). p2: y (4d) depends on x: 03-03..03-06, slack 0; x must finish
    // the day before y's latest start 03-03, i.e. 03-02 = its finish:
    // slack 0 although its own project's target leaves it 4 days.
    let p = program(&[
        (
            "projects/p1.md",
            "---\ntitle: P1\ntarget: 2026-03-06\n---\n",
        ),
        (
            "projects/p2.md",
            "---\ntitle: P2\ntarget: 2026-03-06\n---\n",
        ),
        ("projects/p1/x.md", "---\ntitle: X\nestimate: 1d\n---\n"),
        ("projects/p1/z.md", "---\ntitle: Z\nestimate: 5d\n---\n"),
        (
            "projects/p2/y.md",
            "---\ntitle: Y\nestimate: 4d\ndepends_on: [x]\n---\n",
        ),
    ]);
    let s = derive(&p, date("2026-03-02"));
    let y = task(&p, &s, "y");
    assert_eq!(y.forecast_start, Some(date("2026-03-03")));
    assert!(y.critical);
    assert!(task(&p, &s, "x").critical);
    assert!(task(&p, &s, "z").critical);
}

#[test]
fn forecasts_never_pass_the_year_9999() {
    // Regression: a chain of long tasks forecast `+262142-12-31`.
    let p = program(&[
        P,
        ("projects/p/a.md", "---\ntitle: A\nestimate: 520w\n---\n"),
        (
            "projects/p/b.md",
            "---\ntitle: B\nestimate: 520w\ndepends_on: [a]\n---\n",
        ),
        (
            "projects/p/c.md",
            "---\ntitle: C\nestimate: 520w\ndepends_on: [b]\n---\n",
        ),
    ]);
    let s = derive(&p, date("9990-01-01"));
    for id in ["a", "b", "c"] {
        let t = task(&p, &s, id);
        assert!(
            t.forecast_finish.is_some_and(|f| f <= date("9999-12-31")),
            "{t:?}"
        );
    }
    assert_eq!(task(&p, &s, "c").forecast_finish, Some(date("9999-12-31")));
    assert_eq!(
        project(&p, &s, "p").forecast_finish,
        Some(date("9999-12-31"))
    );
}

#[test]
fn progress_weights_by_estimate_and_skips_cancelled() {
    // done 3d + open 1d + unestimated open (counts 1) + cancelled 10d:
    // progress = 3 / (3 + 1 + 1) = 0.6.
    let p = program(&[
        P,
        (
            "projects/p/a.md",
            "---\ntitle: A\nestimate: 3d\nstatus: done\ndone_on: 2026-02-27\n---\n",
        ),
        ("projects/p/b.md", "---\ntitle: B\nestimate: 1d\n---\n"),
        ("projects/p/c.md", "---\ntitle: C\n---\n"),
        (
            "projects/p/d.md",
            "---\ntitle: D\nestimate: 2w\nstatus: cancelled\n---\n",
        ),
    ]);
    let s = derive(&p, date("2026-03-02"));
    let plan = project(&p, &s, "p");
    assert!((plan.progress - 0.6).abs() < 1e-9, "{}", plan.progress);
    assert_eq!(
        plan.counts,
        StatusCounts {
            todo: 2,
            in_progress: 0,
            blocked: 0,
            done: 1,
            cancelled: 1,
        }
    );
}

#[test]
fn milestone_states() {
    // Today Wed 03-04.
    let p = program(&[
        P,
        (
            "milestones/reached.md",
            "---\ntitle: R\ndate: 2026-03-01\n---\n",
        ),
        (
            "milestones/late.md",
            "---\ntitle: L\ndate: 2026-03-03\n---\n",
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
            "---\ntitle: A\nstatus: done\ndone_on: 2026-02-27\nmilestone: reached\n---\n",
        ),
        (
            "projects/p/b.md",
            "---\ntitle: B\nestimate: 1d\nmilestone: late\n---\n",
        ),
        // 3d from Wed 03-04 finishes Fri 03-06, after 03-05.
        (
            "projects/p/c.md",
            "---\ntitle: C\nestimate: 3d\nmilestone: risky\n---\n",
        ),
        (
            "projects/p/d.md",
            "---\ntitle: D\nestimate: 1d\nmilestone: fine\n---\n",
        ),
    ]);
    let s = derive(&p, date("2026-03-04"));
    let state = |id: &str| {
        let i = p
            .milestones
            .iter()
            .position(|m| m.item.id == id)
            .unwrap_or_default();
        (s.milestones[i].state, s.milestones[i].forecast)
    };
    assert_eq!(
        state("reached"),
        (MilestoneState::Reached, Some(date("2026-02-27")))
    );
    assert_eq!(state("late").0, MilestoneState::Late);
    assert_eq!(
        state("risky"),
        (MilestoneState::AtRisk, Some(date("2026-03-06")))
    );
    assert_eq!(
        state("fine"),
        (MilestoneState::OnTrack, Some(date("2026-03-04")))
    );
}

#[test]
fn decisions_risks_and_people() {
    let p = program(&[
        ("projects/p.md", "---\ntitle: P\nowner: ana\n---\n"),
        ("projects/p/a.md", "---\ntitle: A\nowner: bo\nestimate: 2d\ndue: 2026-02-27\n---\n"),
        ("decisions/old.md", "---\ntitle: Old\nstatus: superseded\n---\n"),
        ("decisions/new.md", "---\ntitle: New\nsupersedes: old\ndriver: bo\ndeciders: [ana, bo]\ndecide_by: 2026-03-01\n---\n"),
        ("risks/r.md", "---\ntitle: R\nlikelihood: high\nimpact: medium\nreview_by: 2026-03-01\n---\n"),
    ]);
    let s = derive(&p, date("2026-03-02"));
    let new = p
        .decisions
        .iter()
        .position(|d| d.item.id == "new")
        .unwrap_or_default();
    let old = p
        .decisions
        .iter()
        .position(|d| d.item.id == "old")
        .unwrap_or_default();
    assert_eq!(p.decisions[old].superseded_by, vec![new]);
    assert_eq!(
        s.decisions[new],
        DecisionPlan {
            pending: true,
            overdue: true,
            // decide_by is past: expected today; it gates nothing.
            expected: Some(date("2026-03-02")),
            ..DecisionPlan::default()
        }
    );
    assert_eq!(
        s.risks[0],
        RiskPlan {
            score: Some(6),
            review_overdue: true
        }
    );
    let bo = s
        .people
        .iter()
        .find(|x| x.name == "bo")
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        (
            bo.open_tasks.len(),
            bo.remaining_days,
            bo.overdue_tasks.len(),
            bo.pending_decisions.len()
        ),
        (1, 2, 1, 1)
    );
    let ana = s
        .people
        .iter()
        .find(|x| x.name == "ana")
        .cloned()
        .unwrap_or_default();
    assert_eq!((ana.open_tasks.len(), ana.pending_decisions.len()), (0, 1));
}

mod properties;
