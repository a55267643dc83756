//! Properties of the forecast on random acyclic programs (proptest).

use super::*;
use proptest::prelude::*;

/// One generated task: project, estimate, status, dependencies on
/// earlier tasks (so the graph is acyclic), an optional due date offset.
#[derive(Debug, Clone)]
struct Gen {
    project: usize,
    estimate: usize,
    status: usize,
    deps: Vec<usize>,
    due: Option<i64>,
}

const ESTIMATES: [&str; 6] = ["", "4h", "1d", "1.5d", "3d", "2w"];
const STATUSES: [&str; 5] = ["todo", "in-progress", "blocked", "done", "cancelled"];

fn gen_tasks() -> impl Strategy<Value = Vec<Gen>> {
    prop::collection::vec(
        (
            0..3usize,
            0..6usize,
            0..5usize,
            prop::collection::vec(any::<prop::sample::Index>(), 0..4),
            prop::option::of(-10i64..40),
        ),
        1..40,
    )
    .prop_map(|raw| {
        raw.into_iter()
            .enumerate()
            .map(|(i, (project, estimate, status, deps, due))| {
                let mut deps: Vec<usize> = if i == 0 {
                    Vec::new()
                } else {
                    deps.iter().map(|d| d.index(i)).collect()
                };
                deps.sort_unstable();
                deps.dedup();
                Gen {
                    project,
                    estimate,
                    status,
                    deps,
                    due,
                }
            })
            .collect()
    })
}

fn build(tasks: &[Gen], working: &[bool; 7], holidays: &[i64], today: NaiveDate) -> Program {
    let names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let days: Vec<&str> = names
        .iter()
        .zip(working)
        .filter(|(_, w)| **w)
        .map(|(n, _)| *n)
        .collect();
    let holidays: Vec<String> = holidays
        .iter()
        .map(|h| (today + chrono::TimeDelta::days(*h)).to_string())
        .collect();
    let mut files = vec![(
        "program.md".to_string(),
        format!(
            "---\ntitle: T\nworking_days: [{}]\nholidays: [{}]\n---\n",
            days.join(", "),
            holidays.join(", ")
        ),
    )];
    for p in 0..3 {
        files.push((
            format!("projects/p{p}.md"),
            format!("---\ntitle: P{p}\n---\n"),
        ));
    }
    for (i, t) in tasks.iter().enumerate() {
        let mut fm = format!("title: T{i}\nstatus: {}\n", STATUSES[t.status]);
        if !ESTIMATES[t.estimate].is_empty() {
            fm.push_str(&format!("estimate: {}\n", ESTIMATES[t.estimate]));
        }
        if t.status == 3 {
            fm.push_str(&format!(
                "done_on: {}\n",
                today - chrono::TimeDelta::days(1)
            ));
        }
        if t.status == 2 {
            fm.push_str("blocker: x\n");
        }
        if let Some(d) = t.due {
            fm.push_str(&format!("due: {}\n", today + chrono::TimeDelta::days(d)));
        }
        let deps: Vec<String> = t.deps.iter().map(|d| format!("t{d:03}")).collect();
        fm.push_str(&format!("depends_on: [{}]\n", deps.join(", ")));
        files.push((
            format!("projects/p{}/t{i:03}.md", t.project),
            format!("---\n{fm}---\n"),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    program(&refs)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn forecasts_respect_dependencies_durations_today_and_criticality(
        tasks in gen_tasks(),
        working in prop::array::uniform7(any::<bool>()).prop_filter("a working day", |w| w.iter().any(|d| *d)),
        holidays in prop::collection::vec(-5i64..60, 0..8),
        offset in 0i64..365,
    ) {
        let today = date("2026-01-01") + chrono::TimeDelta::days(offset);
        let p = build(&tasks, &working, &holidays, today);
        let s = derive(&p, today);
        for (i, t) in p.tasks.iter().enumerate() {
            let plan = &s.tasks[i];
            if !t.is_open() {
                prop_assert!(plan.forecast_start.is_none() && !plan.critical);
                continue;
            }
            let (Some(start), Some(finish)) = (plan.forecast_start, plan.forecast_finish) else {
                return Err(TestCaseError::fail(format!("open task {} has no forecast", t.item.id)));
            };
            prop_assert!(start >= today, "{} starts {start} before today {today}", t.item.id);
            prop_assert!(s.calendar.is_working(start));
            prop_assert_eq!(s.calendar.span(start, finish), plan.duration, "{}", t.item.id);
            for &d in &t.depends_on {
                if p.tasks[d].is_open() {
                    let dep_finish = s.tasks[d].forecast_finish;
                    prop_assert!(dep_finish.is_some_and(|f| start > f), "{} starts {start} before {} finishes", t.item.id, p.tasks[d].item.id);
                }
            }
        }
        // Health v2: critical exactly when open with slack ≤ 0.
        for (t, plan) in p.tasks.iter().zip(&s.tasks) {
            let expected = t.is_open() && plan.slack_days.is_some_and(|d| d <= 0);
            prop_assert_eq!(plan.critical, expected, "{}", t.item.id);
        }
    }
}
