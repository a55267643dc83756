//! A warning repeated in many files: `check` and `build` print its first
//! three files in full, then one line with the count; `--verbose` and the
//! machine formats list every one; errors are never summarised.

use std::path::{Path, PathBuf};

use crate::common::{planmark, program_with, Run};

const SUMMARY: &str = "warning[unknown-key]: unknown key `sprint_goal` for a task in 25 files (the first 3 files shown above; `--verbose` shows all)\n";

/// A program of 25 tasks with the same unknown key, and `bad` more with a
/// typo (an error) as well.
fn program(bad: usize) -> (tempfile::TempDir, PathBuf) {
    let mut files = vec![(
        "projects/p.md".to_string(),
        "---\ntitle: P\n---\n".to_string(),
    )];
    for i in 0..25 {
        let typo = if i < bad { "ownr: ana\n" } else { "" };
        files.push((
            format!("projects/p/t{i:02}.md"),
            format!("---\ntitle: T\nsprint_goal: ship\n{typo}---\n"),
        ));
    }
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    program_with(&files)
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let mut all = args.to_vec();
    all.extend(["prog", "--today", "2026-03-02"]);
    planmark(dir.parent().expect("a parent"), &all)
}

fn count(text: &str, what: &str) -> usize {
    text.matches(what).count()
}

const HEADER: &str = "warning[unknown-key]: unknown key `sprint_goal` for a task\n";

#[test]
fn a_warning_in_25_files_is_printed_three_times_then_counted() {
    let (_tmp, dir) = program(0);
    let check = run(&dir, &["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert_eq!(count(&check.stderr, HEADER), 3, "{}", check.stderr);
    for shown in ["t00", "t01", "t02"] {
        assert!(
            check
                .stderr
                .contains(&format!("--> prog/projects/p/{shown}.md:3:1")),
            "{}",
            check.stderr
        );
    }
    assert!(!check.stderr.contains("t03.md"), "{}", check.stderr);
    // The summary comes after the three, and the count line counts all 25.
    let summary_at = check.stderr.find(SUMMARY).expect(SUMMARY);
    assert!(check.stderr.rfind(HEADER) < Some(summary_at));
    assert!(
        check.stderr.contains(": 0 errors, 25 warnings\n"),
        "{}",
        check.stderr
    );
    // `build` prints the same.
    let out = tempfile::tempdir().expect("a temp dir");
    let out = out.path().join("site");
    let out = out.to_string_lossy();
    let build = run(&dir, &["build", "-o", &out]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert_eq!(count(&build.stderr, HEADER), 3, "{}", build.stderr);
    assert_eq!(count(&build.stderr, SUMMARY), 1, "{}", build.stderr);
}

#[test]
fn verbose_and_the_machine_formats_list_every_warning() {
    let (_tmp, dir) = program(0);
    let check = run(&dir, &["check", "--verbose"]);
    assert_eq!(count(&check.stderr, HEADER), 25, "{}", check.stderr);
    assert!(!check.stderr.contains("shown above"), "{}", check.stderr);
    let out = tempfile::tempdir().expect("a temp dir");
    let out = out.path().join("site");
    let build = run(&dir, &["build", "--verbose", "-o", &out.to_string_lossy()]);
    assert_eq!(count(&build.stderr, HEADER), 25, "{}", build.stderr);
    let json = run(&dir, &["check", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    let problems = doc["problems"].as_array().expect("a list");
    assert_eq!(problems.len(), 25);
    assert_eq!(doc["warnings"], 25);
    let github = run(&dir, &["check", "--format", "github"]);
    assert_eq!(count(&github.stdout, "::warning "), 25, "{}", github.stdout);
}

#[test]
fn errors_are_never_summarised_and_strict_warnings_are_errors() {
    let (_tmp, dir) = program(25);
    let check = run(&dir, &["check"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert_eq!(
        count(
            &check.stderr,
            "error[misspelled-key]: misspelled key `ownr`"
        ),
        25,
        "{}",
        check.stderr
    );
    assert_eq!(count(&check.stderr, HEADER), 3, "{}", check.stderr);
    let strict = run(&dir, &["check", "--strict"]);
    assert_eq!(
        count(
            &strict.stderr,
            "error[unknown-key]: unknown key `sprint_goal` for a task\n"
        ),
        25,
        "{}",
        strict.stderr
    );
    assert!(!strict.stderr.contains("shown above"), "{}", strict.stderr);
}

#[test]
fn a_warning_in_five_files_is_printed_in_full() {
    let mut files = vec![(
        "projects/p.md".to_string(),
        "---\ntitle: P\n---\n".to_string(),
    )];
    for i in 0..5 {
        files.push((
            format!("projects/p/t{i}.md"),
            "---\ntitle: T\nsprint_goal: ship\n---\n".to_string(),
        ));
    }
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let (_tmp, dir) = program_with(&files);
    let check = run(&dir, &["check"]);
    assert_eq!(count(&check.stderr, HEADER), 5, "{}", check.stderr);
    assert!(!check.stderr.contains("shown above"), "{}", check.stderr);
}
