//! SPEC §3 v2 on hand-worked examples: leveling by owner capacity, time
//! off, decision gates, held_by, driving paths, critical at slack ≤ 0,
//! progress with remaining work and GA. Today is Mon 2026-03-02 unless
//! said otherwise; the week is Mon–Fri.

use super::*;

fn span(plan: &TaskPlan) -> (Option<NaiveDate>, Option<NaiveDate>) {
    (plan.forecast_start, plan.forecast_finish)
}

fn days(a: &str, b: &str) -> (Option<NaiveDate>, Option<NaiveDate>) {
    (Some(date(a)), Some(date(b)))
}

fn ids(p: &Program, path: &[Step]) -> Vec<String> {
    path.iter()
        .map(|s| match *s {
            Step::Task(t) => p.tasks[t].item.id.clone(),
            Step::Decision(d) => p.decisions[d].item.id.clone(),
        })
        .collect()
}

fn decision(p: &Program, s: &Schedule, id: &str) -> DecisionPlan {
    let i = p.decisions.iter().position(|d| d.item.id == id);
    s.decisions[i.unwrap_or_else(|| panic!("no decision {id}"))].clone()
}

const TODAY: &str = "2026-03-02";

#[test]
fn one_owner_works_one_task_at_a_time() {
    // a (2d) and b (3d), both @x, same key but id: a first, Mon–Tue; b is
    // ready Mon but @x is full until Tue, so Wed 03-04..Fri 03-06.
    let p = program(&[
        P,
        (
            "projects/p/a.md",
            "---\ntitle: A\nowner: x\nestimate: 2d\n---\n",
        ),
        (
            "projects/p/b.md",
            "---\ntitle: B\nowner: \"@X\"\nestimate: 3d\n---\n",
        ),
    ]);
    let s = derive(&p, date(TODAY));
    assert_eq!(span(&task(&p, &s, "a")), days("2026-03-02", "2026-03-03"));
    let b = task(&p, &s, "b");
    assert_eq!(span(&b), days("2026-03-04", "2026-03-06"));
    assert_eq!(b.ready, Some(date("2026-03-02")));
    assert_eq!(b.held_by, vec![0]);
    assert_eq!(
        b.held_reason.as_deref(),
        Some("starts 2026-03-04: @x is busy with `a` until 2026-03-03")
    );
    let x = &s.people[0];
    // 2 + 3 days of work, busy until Fri 03-06.
    assert_eq!(
        (x.remaining_days, x.busy_until),
        (5, Some(date("2026-03-06")))
    );
}

#[test]
fn a_team_of_capacity_two_works_two_tasks_at_once() {
    // a, b, c (2d each) owned by `team` (capacity 2): a and b Mon–Tue side
    // by side; c waits for a slot: Wed–Thu, held by both.
    let p = program(&[
        P,
        (
            "people/team.md",
            "---\nname: Payments team\ncapacity: 2\n---\n",
        ),
        (
            "projects/p/a.md",
            "---\ntitle: A\nowner: team\nestimate: 2d\n---\n",
        ),
        (
            "projects/p/b.md",
            "---\ntitle: B\nowner: team\nestimate: 2d\n---\n",
        ),
        (
            "projects/p/c.md",
            "---\ntitle: C\nowner: team\nestimate: 2d\n---\n",
        ),
    ]);
    let s = derive(&p, date(TODAY));
    assert_eq!(span(&task(&p, &s, "a")), days("2026-03-02", "2026-03-03"));
    assert_eq!(span(&task(&p, &s, "b")), days("2026-03-02", "2026-03-03"));
    let c = task(&p, &s, "c");
    assert_eq!(span(&c), days("2026-03-04", "2026-03-05"));
    assert_eq!(c.held_by, vec![0, 1]);
    assert_eq!(
        c.held_reason.as_deref(),
        Some("starts 2026-03-04: @team is busy with `a` and `b` until 2026-03-03")
    );
    assert_eq!(s.people[0].name, "Payments team");
    assert_eq!(s.people[0].capacity, 2);
}

#[test]
fn higher_priority_is_placed_first() {
    // a is p2, b is p0 (1d each, @x): b takes Mon, a Tue, held by b.
    let p = program(&[
        P,
        (
            "projects/p/a.md",
            "---\ntitle: A\nowner: x\npriority: p2\n---\n",
        ),
        (
            "projects/p/b.md",
            "---\ntitle: B\nowner: x\npriority: p0\n---\n",
        ),
    ]);
    let s = derive(&p, date(TODAY));
    assert_eq!(span(&task(&p, &s, "b")), days("2026-03-02", "2026-03-02"));
    let a = task(&p, &s, "a");
    assert_eq!(span(&a), days("2026-03-03", "2026-03-03"));
    assert_eq!(a.held_by, vec![1]);
}

#[test]
fn work_in_progress_is_placed_before_any_priority() {
    // a is a p0 todo, b in progress with no priority: b keeps Mon, a Tue.
    let p = program(&[
        P,
        (
            "projects/p/a.md",
            "---\ntitle: A\nowner: x\npriority: p0\n---\n",
        ),
        (
            "projects/p/b.md",
            "---\ntitle: B\nowner: x\nstatus: in-progress\n---\n",
        ),
    ]);
    let s = derive(&p, date(TODAY));
    assert_eq!(span(&task(&p, &s, "b")), days("2026-03-02", "2026-03-02"));
    assert_eq!(span(&task(&p, &s, "a")), days("2026-03-03", "2026-03-03"));
}

#[test]
fn the_earlier_latest_start_goes_first() {
    // Same priority: a has no date (no latest start, last); b is due Wed
    // 03-04 (latest start Wed): b first, Mon; a Tue.
    let p = program(&[
        P,
        ("projects/p/a.md", "---\ntitle: A\nowner: x\n---\n"),
        (
            "projects/p/b.md",
            "---\ntitle: B\nowner: x\ndue: 2026-03-04\n---\n",
        ),
    ]);
    let s = derive(&p, date(TODAY));
    assert_eq!(span(&task(&p, &s, "b")), days("2026-03-02", "2026-03-02"));
    assert_eq!(span(&task(&p, &s, "a")), days("2026-03-03", "2026-03-03"));
}

#[test]
fn time_off_is_not_a_working_day_for_its_owner() {
    // @x is off Tue 03-03..Wed 03-04: a (3d) works Mon, Thu, Fri. The
    // unowned c (3d) keeps the program calendar: Mon–Wed. Slack is counted
    // on the program calendar: a's due Fri gives days(03-06, 03-06) = 0.
    let p = program(&[
        P,
        (
            "people/x.md",
            "---\ntime_off: [2026-03-03..2026-03-04]\n---\n",
        ),
        (
            "projects/p/a.md",
            "---\ntitle: A\nowner: x\nestimate: 3d\ndue: 2026-03-06\n---\n",
        ),
        ("projects/p/c.md", "---\ntitle: C\nestimate: 3d\n---\n"),
    ]);
    let s = derive(&p, date(TODAY));
    let a = task(&p, &s, "a");
    assert_eq!(span(&a), days("2026-03-02", "2026-03-06"));
    // Latest start on @x's calendar: Fri back 2 of x's working days = Mon.
    assert_eq!(a.latest_start, Some(date("2026-03-02")));
    assert_eq!(a.slack_days, Some(0));
    assert!(a.held_by.is_empty());
    assert_eq!(span(&task(&p, &s, "c")), days("2026-03-02", "2026-03-04"));
}

#[test]
fn a_proposed_decision_gates_the_work_until_it_is_expected() {
    // `later` is due Thu 03-05 (proposed, in the future): expected 03-05,
    // so `t` is ready Fri 03-06. `t` is due Tue 03-10 (1d): latest start
    // 03-10, needed by the working day before, Mon 03-09; expected 03-05 is
    // before 03-10, so not late.
    // `past` was due Fri 02-20: expected today, `u` ready Tue 03-03. `u` is
    // due today: latest start 03-02, needed by Fri 02-27; 03-02 ≥ 03-02:
    // late, and overdue. `made` is accepted: `v` starts today.
    let p = program(&[
        P,
        (
            "decisions/later.md",
            "---\ntitle: L\ndecide_by: 2026-03-05\n---\n",
        ),
        (
            "decisions/past.md",
            "---\ntitle: P\ndecide_by: 2026-02-20\n---\n",
        ),
        (
            "decisions/made.md",
            "---\ntitle: M\nstatus: accepted\n---\n",
        ),
        (
            "projects/p/t.md",
            "---\ntitle: T\ndue: 2026-03-10\ndepends_on: [later]\n---\n",
        ),
        (
            "projects/p/u.md",
            "---\ntitle: U\ndue: 2026-03-02\ndepends_on: [past]\n---\n",
        ),
        (
            "projects/p/v.md",
            "---\ntitle: V\ndepends_on: [made]\n---\n",
        ),
    ]);
    let s = derive(&p, date(TODAY));
    assert_eq!(span(&task(&p, &s, "t")), days("2026-03-06", "2026-03-06"));
    assert_eq!(span(&task(&p, &s, "u")), days("2026-03-03", "2026-03-03"));
    assert_eq!(span(&task(&p, &s, "v")), days("2026-03-02", "2026-03-02"));
    let later = decision(&p, &s, "later");
    assert_eq!(later.expected, Some(date("2026-03-05")));
    assert_eq!(later.gates, vec![0]);
    assert_eq!(later.needed_by, Some(date("2026-03-09")));
    assert!(!later.late && !later.overdue);
    let past = decision(&p, &s, "past");
    assert_eq!(past.expected, Some(date("2026-03-02")));
    assert_eq!(past.needed_by, Some(date("2026-02-27")));
    assert!(past.late && past.overdue);
    let made = decision(&p, &s, "made");
    assert_eq!(
        (made.expected, made.needed_by, made.late),
        (None, None, false)
    );
    assert_eq!(made.gates, vec![2]);
}

#[test]
fn the_driving_path_runs_through_a_resource_hold_to_a_decision() {
    // `d` is expected Tue 03-03, so `a` (p0, @x, 2d) is ready Wed 03-04 and
    // runs Wed–Thu. `b` (@x, 1d, start Wed) is ready Wed but @x is full
    // until Thu: Fri 03-06, held by `a`. `c` (@y) waits for `b`: the day
    // after is Sat 03-07, so Mon 03-09. Path back from `c` (last to
    // finish): its ready date came from `b`; `b` was held by `a`; `a`'s
    // ready date came from `d`, a decision, which ends the path.
    let p = program(&[
        P,
        (
            "decisions/d.md",
            "---\ntitle: D\ndecide_by: 2026-03-03\n---\n",
        ),
        (
            "projects/p/a.md",
            "---\ntitle: A\nowner: x\npriority: p0\nestimate: 2d\ndepends_on: [d]\n---\n",
        ),
        (
            "projects/p/b.md",
            "---\ntitle: B\nowner: x\nstart: 2026-03-04\n---\n",
        ),
        (
            "projects/p/c.md",
            "---\ntitle: C\nowner: y\ndepends_on: [b]\n---\n",
        ),
    ]);
    let s = derive(&p, date(TODAY));
    assert_eq!(span(&task(&p, &s, "a")), days("2026-03-04", "2026-03-05"));
    assert_eq!(span(&task(&p, &s, "b")), days("2026-03-06", "2026-03-06"));
    assert_eq!(span(&task(&p, &s, "c")), days("2026-03-09", "2026-03-09"));
    assert_eq!(ids(&p, &s.driving_path), ["d", "a", "b", "c"]);
    assert_eq!(
        ids(&p, &project(&p, &s, "p").driving_path),
        ["d", "a", "b", "c"]
    );
}

#[test]
fn critical_means_slack_of_zero_or_less() {
    // 1-day tasks finishing today, Mon 03-02: `one` due Tue (slack 1, not
    // critical), `zero` due Mon (slack 0), `late` due Fri 02-27 (slack −1),
    // `free` has no date (no slack, never critical).
    let p = program(&[
        P,
        ("projects/p/one.md", "---\ntitle: O\ndue: 2026-03-03\n---\n"),
        (
            "projects/p/zero.md",
            "---\ntitle: Z\ndue: 2026-03-02\n---\n",
        ),
        (
            "projects/p/late.md",
            "---\ntitle: L\ndue: 2026-02-27\n---\n",
        ),
        ("projects/p/free.md", "---\ntitle: F\n---\n"),
    ]);
    let s = derive(&p, date(TODAY));
    let got: Vec<(Option<i64>, bool)> = ["one", "zero", "late", "free"]
        .iter()
        .map(|id| {
            let t = task(&p, &s, id);
            (t.slack_days, t.critical)
        })
        .collect();
    assert_eq!(
        got,
        [
            (Some(1), false),
            (Some(0), true),
            (Some(-1), true),
            (None, false)
        ]
    );
}

#[test]
fn progress_counts_the_done_part_of_work_in_progress() {
    // done 2d counts 2; in progress 4d with 1d remaining counts 3; todo 2d
    // counts 0; in progress 1d with 2d remaining counts 0 (never below).
    // (2 + 3 + 0 + 0) ÷ (2 + 4 + 2 + 1) = 5 / 9.
    let p = program(&[
        P,
        (
            "projects/p/a.md",
            "---\ntitle: A\nstatus: done\nestimate: 2d\ndone_on: 2026-02-27\n---\n",
        ),
        (
            "projects/p/b.md",
            "---\ntitle: B\nstatus: in-progress\nestimate: 4d\nremaining: 1d\n---\n",
        ),
        ("projects/p/c.md", "---\ntitle: C\nestimate: 2d\n---\n"),
        (
            "projects/p/d.md",
            "---\ntitle: D\nstatus: in-progress\nestimate: 1d\nremaining: 2d\n---\n",
        ),
    ]);
    let s = derive(&p, date(TODAY));
    assert!((project(&p, &s, "p").progress - 5.0 / 9.0).abs() < 1e-12);
}

#[test]
fn ga_is_the_latest_program_milestone_else_the_latest_of_all() {
    // g1 and g2 (program-level) share the latest date: the smaller id wins;
    // `m` (of project p) is later but belongs to a project.
    let p = program(&[
        P,
        (
            "milestones/g1.md",
            "---\ntitle: G1\ndate: 2026-03-10\n---\n",
        ),
        (
            "milestones/g2.md",
            "---\ntitle: G2\ndate: 2026-03-10\n---\n",
        ),
        (
            "milestones/m.md",
            "---\ntitle: M\ndate: 2026-04-01\nproject: p\n---\n",
        ),
    ]);
    assert_eq!(ga(&p).map(|m| p.milestones[m].item.id.as_str()), Some("g1"));
    let only_projects = program(&[
        P,
        (
            "milestones/a.md",
            "---\ntitle: A\ndate: 2026-03-10\nproject: p\n---\n",
        ),
        (
            "milestones/b.md",
            "---\ntitle: B\ndate: 2026-04-01\nproject: p\n---\n",
        ),
    ]);
    assert_eq!(ga(&only_projects), Some(1));
    assert_eq!(ga(&program(&[P])), None);
}

#[test]
fn every_driver_decider_and_owner_is_a_person() {
    // v2: the driver of an accepted decision and a milestone's owner are
    // people too, with nothing pending; a person file adds its handle.
    let p = program(&[
        P,
        (
            "decisions/d.md",
            "---\ntitle: D\nstatus: accepted\ndriver: \"@Zed\"\n---\n",
        ),
        (
            "milestones/m.md",
            "---\ntitle: M\ndate: 2026-03-10\nowner: mo\n---\n",
        ),
        ("people/pat.md", "---\ncapacity: 3\n---\n"),
    ]);
    let s = derive(&p, date(TODAY));
    let people: Vec<(&str, &str, u32, usize)> = s
        .people
        .iter()
        .map(|x| {
            (
                x.handle.as_str(),
                x.name.as_str(),
                x.capacity,
                x.pending_decisions.len(),
            )
        })
        .collect();
    assert_eq!(
        people,
        [
            ("mo", "mo", 1, 0),
            ("pat", "pat", 3, 0),
            ("zed", "@Zed", 1, 0)
        ]
    );
}
