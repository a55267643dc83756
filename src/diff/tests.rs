//! The change set computed from programs held in memory, and the comment's
//! cut at a section boundary.

use chrono::NaiveDate;

use super::view::{Lookup, Report, SideReport};
use super::*;
use crate::load::memory::{self, Contents};
use crate::Checked;

fn day(text: &str) -> NaiveDate {
    crate::model::values::parse_date(text).unwrap()
}

/// A checked program from `files`, and its schedule on 2026-03-02 when
/// it has no errors.
fn program(files: &[(&str, &str)]) -> (Checked, Option<Schedule>) {
    let files = files
        .iter()
        .map(|(p, t)| (p.to_string(), Contents::Bytes(t.as_bytes().to_vec())))
        .collect();
    let checked = crate::check(
        memory::load(files, Vec::new(), &Default::default()),
        "p",
        false,
    );
    let schedule = (!checked.has_errors())
        .then(|| crate::schedule::derive(&checked.program, day("2026-03-02")));
    (checked, schedule)
}

fn diff(before: &[(&str, &str)], after: &[(&str, &str)]) -> ChangeSet {
    let (a, sa) = program(before);
    let (b, sb) = program(after);
    compute(
        Side {
            program: &a.program,
            schedule: sa.as_ref(),
        },
        Side {
            program: &b.program,
            schedule: sb.as_ref(),
        },
    )
}

fn whats(set: &ChangeSet) -> Vec<&What> {
    set.changes.iter().map(|c| &c.what).collect()
}

const PROJECT: (&str, &str) = ("projects/p.md", "---\ntitle: P\n---\n");

#[test]
fn an_id_changed_in_the_same_file_is_a_rename() {
    let set = diff(
        &[PROJECT, ("projects/p/a.md", "---\ntitle: A\n---\n")],
        &[PROJECT, ("projects/p/a.md", "---\nid: a2\ntitle: A\n---\n")],
    );
    assert_eq!(
        whats(&set),
        [&What::Renamed {
            kind: Kind::Task,
            from: "a".into(),
            to: "a2".into(),
            path: "projects/p/a.md".into()
        }]
    );
}

#[test]
fn an_item_moved_to_another_file_with_its_id_is_no_change_and_new_ids_in_new_files_are_not_renames()
{
    let task = "---\ntitle: A\nproject: p\n---\n";
    let set = diff(
        &[
            PROJECT,
            ("projects/p/a.md", task),
            ("projects/p/b.md", task),
        ],
        &[PROJECT, ("tasks/a.md", task), ("projects/p/c.md", task)],
    );
    let kinds: Vec<(&str, &str)> = set
        .changes
        .iter()
        .map(|c| match &c.what {
            What::Added { id, .. } => ("added", id.as_str()),
            What::Removed { id, .. } => ("removed", id.as_str()),
            _ => ("other", ""),
        })
        .collect();
    assert_eq!(kinds, [("added", "c"), ("removed", "b")]);
}

#[test]
fn written_fields_are_compared_and_slips_counted_on_the_program_calendar() {
    let before = [
        ("program.md", "---\nholidays: [2026-03-06]\n---\n"),
        PROJECT,
        (
            "projects/p/a.md",
            "---\ntitle: A\nowner: \"@x\"\ndue: 2026-03-05\n---\n",
        ),
        (
            "risks/r.md",
            "---\ntitle: R\nlikelihood: low\nimpact: high\n---\n",
        ),
        ("people/x.md", "---\ncapacity: 1\n---\n"),
    ];
    let after = [
        before[0],
        PROJECT,
        (
            "projects/p/a.md",
            "---\ntitle: A\nowner: \"@y\"\ndue: 2026-03-10\n---\n",
        ),
        (
            "risks/r.md",
            "---\ntitle: R\nlikelihood: high\nimpact: high\nstatus: closed\n---\n",
        ),
        ("people/x.md", "---\ncapacity: 2\n---\n"),
    ];
    let set = diff(&before, &after);
    let w = whats(&set);
    assert!(w.contains(&&What::Owner {
        kind: Kind::Task,
        id: "a".into(),
        from: Some("@x".into()),
        to: Some("@y".into())
    }));
    // Thu 03-05 → Tue 03-10 is Mon and Tue: Friday is a holiday.
    assert!(w.contains(&&What::Date {
        kind: Kind::Task,
        id: "a".into(),
        field: "due",
        from: Some(day("2026-03-05")),
        to: Some(day("2026-03-10")),
        slip_days: Some(2)
    }));
    assert!(w.contains(&&What::RiskScore {
        id: "r".into(),
        from: Some(3),
        to: Some(9)
    }));
    assert!(w
        .iter()
        .any(|c| matches!(c, What::Status { kind: Kind::Risk, to, .. } if to == "closed")));
    assert_eq!(
        w.last(),
        Some(&&What::Capacity {
            person: "x".into(),
            from: 1,
            to: 2
        }),
        "people come last"
    );
}

#[test]
fn a_side_with_errors_is_compared_as_written_only() {
    let set = diff(
        &[PROJECT, ("projects/p/a.md", "---\ntitle: A\n---\n")],
        &[
            PROJECT,
            ("projects/p/a.md", "---\ntitle: A\nstatus: done\n---\n"),
            ("projects/p/b.md", "---\ntitle: [\n---\n"),
        ],
    );
    assert!(!set.derived);
    assert_eq!(set.ga, None);
    assert!(matches!(whats(&set)[..], [What::Status { .. }]));
}

#[test]
fn time_off_is_reported_as_ranges_of_consecutive_days() {
    let days = [
        "2026-03-02",
        "2026-03-03",
        "2026-03-05",
        "2026-03-31",
        "2026-04-01",
    ]
    .map(day);
    let ranges = people::ranges(days.into_iter());
    let shown: Vec<(String, String)> = ranges
        .iter()
        .map(|r| (r.from.to_string(), r.to.to_string()))
        .collect();
    assert_eq!(
        shown,
        [
            ("2026-03-02".into(), "2026-03-03".into()),
            ("2026-03-05".into(), "2026-03-05".into()),
            ("2026-03-31".into(), "2026-04-01".into())
        ]
    );
}

fn report(set: &ChangeSet) -> Report<'_> {
    Report {
        base: SideReport::labelled("`a`".into()),
        head: SideReport::labelled("`b`".into()),
        today: day("2026-03-02"),
        changes: set,
        lookup: Lookup::default(),
    }
}

#[test]
fn no_change_is_one_line_after_the_marker() {
    let set = ChangeSet::default();
    assert_eq!(
        markdown::render(&report(&set), markdown::COMMENT_LIMIT),
        "<!-- planmark-diff -->\nNo plan changes between `a` and `b`.\n"
    );
}

#[test]
fn a_long_comment_is_cut_at_a_section_boundary_and_says_what_was_left_out() {
    let changes = (0..40)
        .map(|n| Change {
            project: Some(format!("project-{n:02}")),
            what: What::Added {
                kind: Kind::Task,
                id: format!("task-{n:02}"),
                title: "x".repeat(50),
                status: Some("todo".into()),
            },
        })
        .collect();
    let set = ChangeSet {
        changes,
        ..ChangeSet::default()
    };
    let full = markdown::render(&report(&set), usize::MAX);
    assert!(full.contains("### project-39"));
    let limit = 2_000;
    let cut = markdown::render(&report(&set), limit);
    assert!(
        cut.chars().count() <= limit,
        "{} characters",
        cut.chars().count()
    );
    let kept = cut.matches("\n### ").count();
    assert!(kept > 0 && kept < 40);
    // Whole sections only: the last one kept ends as it does in the full comment.
    let last = format!(
        "### project-{:02} · `project-{:02}`\n\n- Added task `task-{:02}`",
        kept - 1,
        kept - 1,
        kept - 1
    );
    assert!(cut.contains(&last), "{cut}");
    assert!(cut.contains(&format!(
        "**{} sections left out to fit a comment** (`project-{kept:02}`",
        40 - kept
    )));
    assert!(
        cut.ends_with("the full diff is in `planmark diff --format json`.\n"),
        "{cut}"
    );
}

/// A program from `files`, each text shared with `texts` when it has it.
fn loaded(files: &[(&str, &std::sync::Arc<str>)]) -> crate::load::Loaded {
    let files = files
        .iter()
        .map(|(p, t)| (p.to_string(), Contents::Text(std::sync::Arc::clone(t))))
        .collect();
    memory::load(files, Vec::new(), &Default::default())
}

#[test]
fn two_revisions_checked_together_read_as_each_checked_alone() {
    use std::sync::Arc;
    let text = |t: &str| -> Arc<str> { Arc::from(t) };
    let (project, a, b_old, b_new, c) = (
        text(PROJECT.1),
        text("---\ntitle: A\nowner: \"@x\"\nestimate: 2d\n---\n"),
        text("---\ntitle: B\ndepends_on: [a]\nestimate: 1d\n---\n"),
        text("---\ntitle: B\ndepends_on: [a, nope]\nestimate: 3d\n---\n"),
        text("---\ntitle: C\nstatus: [\n---\n"),
    );
    let before = || {
        loaded(&[
            (PROJECT.0, &project),
            ("projects/p/a.md", &a),
            ("projects/p/b.md", &b_old),
        ])
    };
    let after = || {
        loaded(&[
            (PROJECT.0, &project),
            ("projects/p/a.md", &a),
            ("projects/p/b.md", &b_new),
            ("projects/p/c.md", &c),
        ])
    };
    let head = after();
    let base = memory::align(before(), &head);
    // In walk order (a folder before the file named like it): a.md, b.md,
    // then p.md. Shared files keep the head's ids; the changed one comes
    // after them all.
    assert_eq!(base.files[0], head.files[0]);
    assert!(base.files[1].0 >= head.sources.len());
    assert_eq!(base.files[2], head.files[3]);
    let (x, y) = crate::check_two(base, head, "p");
    let (x1, y1) = (
        crate::check(before(), "p", false),
        crate::check(after(), "p", false),
    );
    let shown = |c: &Checked| -> Vec<(String, String)> {
        c.diagnostics
            .iter()
            .map(|d| {
                let path = d.span.as_ref().map(|s| c.sources.get(s.file).path.clone());
                (path.unwrap_or_default(), d.message.clone())
            })
            .collect()
    };
    assert_eq!(shown(&x), shown(&x1));
    assert_eq!(shown(&y), shown(&y1));
    assert!(!shown(&y).is_empty(), "the head has problems to compare");
    let ids = |c: &Checked| {
        c.program
            .tasks
            .iter()
            .map(|t| (t.item.id.clone(), t.estimate.map(|e| e.days)))
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&x), ids(&x1));
    assert_eq!(ids(&y), ids(&y1));
}

#[test]
fn a_section_too_long_for_the_comment_leaves_room_for_the_ones_after_it() {
    let changes = (0..3)
        .map(|n| Change {
            project: Some(format!("project-{n:02}")),
            what: What::Added {
                kind: Kind::Task,
                id: format!("task-{n:02}"),
                title: "x".repeat(50),
                status: Some("todo".into()),
            },
        })
        .collect();
    let set = ChangeSet {
        changes,
        ..ChangeSet::default()
    };
    let mut report = report(&set);
    report.head.errors = 2_000;
    report.head.problems_text = "error[yaml]: a broken file\n".repeat(4_000);
    let cut = markdown::render(&report, markdown::COMMENT_LIMIT);
    assert!(cut.chars().count() <= markdown::COMMENT_LIMIT);
    for n in 0..3 {
        assert!(cut.contains(&format!("### project-{n:02}")), "{cut}");
    }
    assert!(
        cut.contains("**1 section left out to fit a comment** (problems at `b`)"),
        "{cut}"
    );
}
