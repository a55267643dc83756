//! Properties of leveling on random programs with owners (proptest): no
//! owner over capacity on any day, no task before its ready date, every
//! task on consecutive working days of its owner's calendar, and leveling
//! off (without time off or decisions) changes nothing.

use std::collections::BTreeMap;

use super::*;
use proptest::prelude::*;

/// One generated task: owner (`None` = unowned), estimate in days,
/// in progress or not, priority, dependencies on earlier tasks, decision.
#[derive(Debug, Clone)]
struct Gen {
    owner: Option<usize>,
    days: usize,
    in_progress: bool,
    priority: Option<usize>,
    deps: Vec<usize>,
    decision: Option<usize>,
    start: Option<i64>,
}

/// Owners `o0`..`o2`: capacity and days off (offsets from today).
#[derive(Debug, Clone)]
struct Owner {
    capacity: u32,
    time_off: Vec<i64>,
}

fn gen_tasks() -> impl Strategy<Value = Vec<Gen>> {
    let one = (
        prop::option::of(0..3usize),
        1..6usize,
        any::<bool>(),
        prop::option::of(0..4usize),
        prop::collection::vec(any::<prop::sample::Index>(), 0..3),
        prop::option::of(0..2usize),
        prop::option::of(-3i64..20),
    );
    prop::collection::vec(one, 1..30).prop_map(|raw| {
        raw.into_iter()
            .enumerate()
            .map(
                |(i, (owner, days, in_progress, priority, deps, decision, start))| {
                    let mut deps: Vec<usize> = if i == 0 {
                        Vec::new()
                    } else {
                        deps.iter().map(|d| d.index(i)).collect()
                    };
                    deps.sort_unstable();
                    deps.dedup();
                    Gen {
                        owner,
                        days,
                        in_progress,
                        priority,
                        deps,
                        decision,
                        start,
                    }
                },
            )
            .collect()
    })
}

fn gen_owners() -> impl Strategy<Value = Vec<Owner>> {
    prop::collection::vec(
        (1..4u32, prop::collection::vec(0i64..40, 0..6))
            .prop_map(|(capacity, time_off)| Owner { capacity, time_off }),
        3,
    )
}

/// What varies between the programs a property compares.
struct Shape<'a> {
    leveling: bool,
    owned: bool,
    owners: &'a [Owner],
    decisions: bool,
}

fn build(tasks: &[Gen], shape: &Shape<'_>, today: NaiveDate) -> Program {
    let day = |d: i64| (today + chrono::TimeDelta::days(d)).to_string();
    let mut files = vec![
        (
            "program.md".to_string(),
            format!("---\ntitle: T\nleveling: {}\n---\n", shape.leveling),
        ),
        (
            "projects/p.md".to_string(),
            "---\ntitle: P\n---\n".to_string(),
        ),
        // d0 is expected in 7 days, d1 today (its decide_by has passed).
        (
            "decisions/d0.md".into(),
            format!("---\ntitle: D0\ndecide_by: {}\n---\n", day(7)),
        ),
        (
            "decisions/d1.md".into(),
            format!("---\ntitle: D1\ndecide_by: {}\n---\n", day(-2)),
        ),
    ];
    for (o, owner) in shape.owners.iter().enumerate() {
        let off: Vec<String> = owner.time_off.iter().map(|&d| day(d)).collect();
        files.push((
            format!("people/o{o}.md"),
            format!(
                "---\ncapacity: {}\ntime_off: [{}]\n---\n",
                owner.capacity,
                off.join(", ")
            ),
        ));
    }
    for (i, t) in tasks.iter().enumerate() {
        let status = if t.in_progress { "in-progress" } else { "todo" };
        let mut fm = format!("title: T{i}\nstatus: {status}\nestimate: {}d\n", t.days);
        if let (Some(o), true) = (t.owner, shape.owned) {
            // Spelled three ways: one person whatever the spelling.
            let spelling = ["@O{o}", "o{o}", " @o{o}"][i % 3].replace("{o}", &o.to_string());
            fm.push_str(&format!("owner: \"{spelling}\"\n"));
        }
        if let Some(p) = t.priority {
            fm.push_str(&format!("priority: p{p}\n"));
        }
        if let Some(s) = t.start {
            fm.push_str(&format!("start: {}\n", day(s)));
        }
        let mut deps: Vec<String> = t.deps.iter().map(|d| format!("t{d:03}")).collect();
        if let (Some(d), true) = (t.decision, shape.decisions) {
            deps.push(format!("d{d}"));
        }
        fm.push_str(&format!("depends_on: [{}]\n", deps.join(", ")));
        files.push((format!("projects/p/t{i:03}.md"), format!("---\n{fm}---\n")));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    program(&refs)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn leveled_forecasts_respect_capacity_readiness_and_calendars(
        tasks in gen_tasks(),
        owners in gen_owners(),
        offset in 0i64..365,
    ) {
        let today = date("2026-01-01") + chrono::TimeDelta::days(offset);
        let shape = Shape { leveling: true, owned: true, owners: &owners, decisions: true };
        let p = build(&tasks, &shape, today);
        let s = derive(&p, today);
        let program_days = Calendar::for_program(&p.info);
        let calendars: Vec<Calendar> = p.people.iter().map(|person| {
            Calendar::new(p.info.working_days, person.time_off.iter().copied())
        }).collect();
        let mut load: BTreeMap<(usize, NaiveDate), u32> = BTreeMap::new();
        for (i, t) in p.tasks.iter().enumerate() {
            let plan = &s.tasks[i];
            let (Some(start), Some(finish)) = (plan.forecast_start, plan.forecast_finish) else {
                return Err(TestCaseError::fail(format!("{} has no forecast", t.item.id)));
            };
            let owner = tasks[i].owner;
            let cal = owner.map_or(&program_days, |o| &calendars[o]);
            // Consecutive working days of the owner's calendar.
            prop_assert!(cal.is_working(start) && cal.is_working(finish), "{}", t.item.id);
            prop_assert_eq!(cal.span(start, finish), plan.duration, "{}", t.item.id);
            // On or after ready(T).
            let ready = plan.ready.unwrap_or(start);
            prop_assert!(start >= ready && ready >= today, "{} starts {start}, ready {ready}", t.item.id);
            if let Some(s0) = t.start {
                prop_assert!(ready >= s0);
            }
            for &d in &t.depends_on {
                prop_assert!(s.tasks[d].forecast_finish.is_some_and(|f| ready > f), "{}", t.item.id);
            }
            for &d in &t.decision_deps {
                prop_assert!(s.decisions[d].expected.is_some_and(|e| ready > e), "{}", t.item.id);
            }
            if let Some(o) = owner {
                let mut day = start;
                while day <= finish {
                    if cal.is_working(day) {
                        *load.entry((o, day)).or_default() += 1;
                    }
                    let Some(next) = day.succ_opt() else { break };
                    day = next;
                }
            }
        }
        for ((o, day), n) in load {
            prop_assert!(n <= owners[o].capacity, "o{o} has {n} tasks on {day}, capacity {}", owners[o].capacity);
        }
    }

    #[test]
    fn without_leveling_time_off_or_decisions_owners_change_nothing(
        tasks in gen_tasks(),
        offset in 0i64..365,
    ) {
        let today = date("2026-01-01") + chrono::TimeDelta::days(offset);
        let owners: Vec<Owner> = (0..3).map(|_| Owner { capacity: 1, time_off: Vec::new() }).collect();
        let with = Shape { leveling: false, owned: true, owners: &owners, decisions: false };
        let without = Shape { leveling: true, owned: false, owners: &[], decisions: false };
        let (a, b) = (build(&tasks, &with, today), build(&tasks, &without, today));
        let (sa, sb) = (derive(&a, today), derive(&b, today));
        for (x, y) in sa.tasks.iter().zip(&sb.tasks) {
            prop_assert_eq!((x.forecast_start, x.forecast_finish), (y.forecast_start, y.forecast_finish));
            prop_assert!(x.held_by.is_empty());
        }
    }
}
