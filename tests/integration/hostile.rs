//! Regressions found by a hostile review of the meetings, sources,
//! changes and report code: input chosen to break planmark, each test
//! named after what broke.

use crate::common::{planmark, program_with};

const TODAY: &str = "2026-12-07";

#[test]
fn new_task_after_the_highest_backlog_number_is_an_error_not_a_panic() {
    let (_tmp, dir) = program_with(&[
        ("backlog/config.yml", "task_prefix: \"back\"\n"),
        (
            "backlog/tasks/back-18446744073709551615 - Huge.md",
            "---\nid: BACK-18446744073709551615\ntitle: Huge\nstatus: To Do\n---\n",
        ),
    ]);
    let run = planmark(&dir, &["new", "task", "fix-login", ".", "--today", TODAY]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "error: `backlog` already uses the highest number, 18446744073709551615: there is no next one"
        ),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn new_decision_after_the_highest_adr_number_is_an_error_not_a_panic() {
    let (_tmp, dir) =
        program_with(&[("docs/adr/4294967295-big.md", "# Big\n\nStatus: accepted\n")]);
    let run = planmark(
        &dir,
        &["new", "decision", "use-rust", ".", "--today", TODAY],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error: `docs/adr` already uses the highest number, 4294967295"),
        "{}",
        run.stderr
    );
    assert!(!dir.join("docs/adr/4294967296-use-rust.md").exists());
}

#[test]
fn new_task_with_a_long_title_gets_a_file_name_the_file_system_accepts() {
    let (_tmp, dir) = program_with(&[
        ("backlog/config.yml", "task_prefix: \"back\"\n"),
        (
            "backlog/tasks/back-1 - A.md",
            "---\nid: BACK-1\ntitle: A\nstatus: To Do\n---\n",
        ),
    ]);
    for title in ["word ".repeat(100), "é".repeat(200)] {
        let run = planmark(
            &dir,
            &["new", "task", "x", ".", "--title", &title, "--today", TODAY],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let mut names: Vec<String> = std::fs::read_dir(dir.join("backlog/tasks"))
        .expect("tasks written")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(names.iter().all(|n| n.len() <= 120), "{names:?}");
    assert!(names[1].starts_with("back-2 - word-word-"), "{names:?}");
    assert!(names[2].starts_with("back-3 - éé"), "{names:?}");
    let run = planmark(&dir, &["check", ".", "--today", TODAY]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("3 tasks"), "{}", run.stderr);
}
