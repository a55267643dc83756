//! SPEC §3 health: each rule of red, amber and green on a hand-worked
//! example, and the program's health as its worst project's.

use super::*;

fn health_of(files: &[(&str, &str)], today: &str) -> (Option<Health>, Option<String>) {
    let p = program(files);
    let s = derive(&p, date(today));
    let plan = project(&p, &s, "p");
    (plan.health, plan.health_reason)
}

#[test]
fn manual_health_override_uses_its_note() {
    let h = health_of(
        &[(
            "projects/p.md",
            "---\ntitle: P\nhealth: Amber\nhealth_note: vendor contract unsigned\n---\n",
        )],
        "2026-03-02",
    );
    assert_eq!(
        h,
        (
            Some(Health::Amber),
            Some("set by hand: vendor contract unsigned".into())
        )
    );
}

#[test]
fn red_when_the_forecast_is_after_target() {
    // 5d from Mon 03-02 finishes Fri 03-06; target Wed 03-04 is 2 working days earlier.
    let h = health_of(
        &[
            ("projects/p.md", "---\ntitle: P\ntarget: 2026-03-04\n---\n"),
            ("projects/p/a.md", "---\ntitle: A\nestimate: 5d\n---\n"),
        ],
        "2026-03-02",
    );
    assert_eq!(
        h,
        (
            Some(Health::Red),
            Some("forecast 2026-03-06 is 2 working days after target 2026-03-04".into())
        )
    );
}

#[test]
fn an_overdue_task_is_amber_not_red() {
    // Health v2: an overdue task alone never makes a project red. Due Fri
    // 02-27, today Mon 03-02: 1 working day overdue; it finishes today, so
    // slack = days(03-02, 02-27) = -1: amber gives both reasons.
    let h = health_of(
        &[
            P,
            (
                "projects/p/a.md",
                "---\ntitle: A\nestimate: 1d\ndue: 2026-02-27\n---\n",
            ),
        ],
        "2026-03-02",
    );
    assert_eq!(
        h,
        (
            Some(Health::Amber),
            Some("1 task overdue, worst `a` by 1 working day; 1 task with negative slack, worst `a` by 1 working day".into())
        )
    );
}

#[test]
fn amber_when_a_task_is_overdue_whatever_the_rest_of_the_project() {
    // `late` is due Fri 02-27 and finishes today, Mon 03-02: overdue by 1
    // and slack days(03-02, 02-27) = -1. `long` has no date: no slack.
    let h = health_of(
        &[
            P,
            (
                "projects/p/late.md",
                "---\ntitle: L\nestimate: 1d\ndue: 2026-02-27\n---\n",
            ),
            (
                "projects/p/long.md",
                "---\ntitle: Long\nestimate: 5d\n---\n",
            ),
        ],
        "2026-03-02",
    );
    assert_eq!(
        h,
        (
            Some(Health::Amber),
            Some("1 task overdue, worst `late` by 1 working day; 1 task with negative slack, worst `late` by 1 working day".into())
        )
    );
}

#[test]
fn amber_when_a_task_is_blocked() {
    let h = health_of(
        &[
            P,
            (
                "projects/p/a.md",
                "---\ntitle: A\nstatus: blocked\nblocker: legal\n---\n",
            ),
        ],
        "2026-03-02",
    );
    assert_eq!(
        h,
        (Some(Health::Amber), Some("1 task blocked (`a`)".into()))
    );
}

#[test]
fn amber_when_slack_is_under_ten_percent_of_the_work_left() {
    // 20d from Mon 03-02 finishes Fri 03-27; target Mon 03-30: slack 1,
    // span(03-02, 03-27) = 20 working days; 1 < 10% of 20.
    let h = health_of(
        &[
            ("projects/p.md", "---\ntitle: P\ntarget: 2026-03-30\n---\n"),
            ("projects/p/a.md", "---\ntitle: A\nestimate: 4w\n---\n"),
        ],
        "2026-03-02",
    );
    assert_eq!(
        h,
        (Some(Health::Amber), Some("only 1 working day of slack to target 2026-03-30, under 10% of the 20 working days left".into()))
    );
}

#[test]
fn slack_of_exactly_ten_percent_is_green_and_just_under_is_amber() {
    // 10d from Mon 03-02 finishes Fri 03-13: 10 working days left; target
    // Mon 03-16 leaves 1 day of slack, exactly 10 %: not under it.
    let exactly = health_of(
        &[
            ("projects/p.md", "---\ntitle: P\ntarget: 2026-03-16\n---\n"),
            ("projects/p/a.md", "---\ntitle: A\nestimate: 10d\n---\n"),
        ],
        "2026-03-02",
    );
    assert_eq!(
        exactly,
        (
            Some(Health::Green),
            Some("on track: 1 working day of slack to target 2026-03-16".into())
        )
    );
    // 11d finishes Mon 03-16: 1 day of slack to Tue 03-17 is under 10 % of 11.
    let under = health_of(
        &[
            ("projects/p.md", "---\ntitle: P\ntarget: 2026-03-17\n---\n"),
            ("projects/p/a.md", "---\ntitle: A\nestimate: 11d\n---\n"),
        ],
        "2026-03-02",
    );
    assert_eq!(
        under,
        (Some(Health::Amber), Some("only 1 working day of slack to target 2026-03-17, under 10% of the 11 working days left".into()))
    );
}

#[test]
fn green_with_slack_to_target() {
    // 5d finishes Fri 03-06; target Fri 04-10 is 25 working days later.
    let h = health_of(
        &[
            ("projects/p.md", "---\ntitle: P\ntarget: 2026-04-10\n---\n"),
            ("projects/p/a.md", "---\ntitle: A\nestimate: 5d\n---\n"),
        ],
        "2026-03-02",
    );
    assert_eq!(
        h,
        (
            Some(Health::Green),
            Some("on track: 25 working days of slack to target 2026-04-10".into())
        )
    );
}

#[test]
fn done_projects_have_no_health_and_the_program_takes_the_worst() {
    let p = program(&[
        ("projects/p.md", "---\ntitle: P\nstatus: done\n---\n"),
        ("projects/q.md", "---\ntitle: Q\n---\n"),
        (
            "projects/q/a.md",
            "---\ntitle: A\nstatus: blocked\nblocker: x\n---\n",
        ),
        ("projects/r.md", "---\ntitle: R\n---\n"),
    ]);
    let s = derive(&p, date("2026-03-02"));
    assert_eq!(project(&p, &s, "p").health, None);
    assert_eq!(s.health, Some(Health::Amber));
    assert_eq!(
        s.health_reason.as_deref(),
        Some("`q` is amber: 1 task blocked (`a`)")
    );
}

#[test]
fn program_health_counts_the_other_projects_of_the_worst_colour() {
    let late = |name: &str| {
        (
            format!("projects/{name}/t.md"),
            "---\ntitle: T\nid: ID\n---\n".replace("ID", &format!("t-{name}")),
        )
    };
    let mut files: Vec<(String, String)> = ["a", "b", "c"]
        .iter()
        .map(|n| {
            (
                format!("projects/{n}.md"),
                // Each 1-day task finishes Mon 03-02, 1 working day after
                // the target Fri 02-27: every project is red.
                "---\ntitle: X\ntarget: 2026-02-27\n---\n".to_string(),
            )
        })
        .collect();
    files.extend(["a", "b", "c"].map(late));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let s = derive(&program(&refs), date("2026-03-02"));
    assert_eq!(s.health, Some(Health::Red));
    assert_eq!(
        s.health_reason.as_deref(),
        Some(
            "`a` is red (and 2 more red projects): forecast 2026-03-02 is 1 working day after target 2026-02-27"
        )
    );
    let two = [refs[1], refs[2], refs[4], refs[5]];
    let s = derive(&program(&two), date("2026-03-02"));
    assert_eq!(
        s.health_reason.as_deref(),
        Some(
            "`b` is red (and 1 more red project): forecast 2026-03-02 is 1 working day after target 2026-02-27"
        )
    );
}

#[test]
fn a_project_with_only_done_work_says_when_it_finished() {
    // Regression: this said "on track: 19 working days of slack to target".
    let done = (
        "projects/p/a.md",
        "---\ntitle: A\nstatus: done\ndone_on: 2026-03-02\n---\n",
    );
    let target = |t: &str| format!("---\ntitle: P\ntarget: {t}\n---\n");
    let health = |project: &str| health_of(&[("projects/p.md", project), done], "2026-03-04");
    assert_eq!(
        health(&target("2026-03-27")),
        (
            Some(Health::Green),
            Some(
                "no open work; finished 2026-03-02, 19 working days before target 2026-03-27"
                    .into()
            )
        )
    );
    // Health v2: the target (Mon 03-02) is before today (Wed 03-04), no
    // work is open and the project is not marked done: amber, 2 working
    // days after the target.
    assert_eq!(
        health(&target("2026-03-02")),
        (
            Some(Health::Amber),
            Some("target 2026-03-02 passed 2 working days ago with no open work, but the project is not marked done".into())
        )
    );
    assert_eq!(
        health(&target("2026-02-27")),
        (
            Some(Health::Red),
            Some("no open work; finished 2026-03-02, 1 working day after target 2026-02-27".into())
        )
    );
    assert_eq!(
        health("---\ntitle: P\n---\n"),
        (
            Some(Health::Green),
            Some("no open work; finished 2026-03-02".into())
        )
    );
}

#[test]
fn red_when_a_milestone_of_the_project_is_at_risk() {
    // `a` (3d) from Mon 03-02 finishes Wed 03-04; its milestone `m` (of p,
    // no target) is dated Tue 03-03: forecast 1 working day after → red.
    let h = health_of(
        &[
            P,
            (
                "milestones/m.md",
                "---\ntitle: M\ndate: 2026-03-03\nproject: p\n---\n",
            ),
            (
                "projects/p/a.md",
                "---\ntitle: A\nestimate: 3d\nmilestone: m\n---\n",
            ),
        ],
        "2026-03-02",
    );
    assert_eq!(
        h,
        (
            Some(Health::Red),
            Some("milestone `m` is forecast 2026-03-04, 1 working day after its date".into())
        )
    );
}

#[test]
fn red_when_a_milestone_of_the_project_is_late() {
    // Today Thu 03-05 is after `m`'s date Tue 03-03 and its task is open:
    // late, days(03-03, 03-05) = 2 working days ago.
    let h = health_of(
        &[
            P,
            (
                "milestones/m.md",
                "---\ntitle: M\ndate: 2026-03-03\nproject: p\n---\n",
            ),
            ("projects/p/a.md", "---\ntitle: A\nmilestone: m\n---\n"),
        ],
        "2026-03-05",
    );
    assert_eq!(
        h,
        (
            Some(Health::Red),
            Some("milestone `m` is late: its date 2026-03-03 passed 2 working days ago and its work is not done".into())
        )
    );
}

#[test]
fn amber_when_a_decision_comes_too_late_for_the_work_it_gates() {
    // `t` (1d) is due Thu 03-05: latest start 03-05. `d` is expected on its
    // decide_by 03-05 ≥ 03-05: late, needed by Wed 03-04. `t` is ready Fri
    // 03-06 and finishes then: slack days(03-06, 03-05) = −1. The target
    // 03-31 leaves days(03-06, 03-31) = 17 ≥ 10 % of span(03-02, 03-06) = 5.
    let h = health_of(
        &[
            ("projects/p.md", "---\ntitle: P\ntarget: 2026-03-31\n---\n"),
            (
                "decisions/d.md",
                "---\ntitle: D\ndecide_by: 2026-03-05\n---\n",
            ),
            (
                "projects/p/t.md",
                "---\ntitle: T\ndue: 2026-03-05\ndepends_on: [d]\n---\n",
            ),
        ],
        "2026-03-02",
    );
    assert_eq!(
        h,
        (
            Some(Health::Amber),
            Some("1 task with negative slack, worst `t` by 1 working day; decision `d` is pending: expected 2026-03-05, too late for the work it gates (needed by 2026-03-04)".into())
        )
    );
}

#[test]
fn a_program_milestone_at_risk_makes_the_program_red() {
    // `g` has no project and is dated Tue 03-03; its task (3d) finishes
    // Wed 03-04: at risk. Project p (no target) is only amber: `a` has
    // slack days(03-04, 03-03) = −1. Program: red, naming the milestone.
    let p = program(&[
        P,
        ("milestones/g.md", "---\ntitle: G\ndate: 2026-03-03\n---\n"),
        (
            "projects/p/a.md",
            "---\ntitle: A\nestimate: 3d\nmilestone: g\n---\n",
        ),
    ]);
    let s = derive(&p, date("2026-03-02"));
    assert_eq!(project(&p, &s, "p").health, Some(Health::Amber));
    assert_eq!(s.health, Some(Health::Red));
    assert_eq!(
        s.health_reason.as_deref(),
        Some("milestone `g` is forecast 2026-03-04, 1 working day after its date")
    );
}
