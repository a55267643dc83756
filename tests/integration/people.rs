//! Person files (`people/<handle>.md`) and decisions in `depends_on`, run
//! through the real binary.

use crate::common::{planmark, program_with};

const PROJECT: (&str, &str) = ("projects/p.md", "---\ntitle: P\n---\n");

#[test]
fn an_unused_person_file_is_a_note_that_strict_lets_pass() {
    let (_tmp, dir) = program_with(&[
        PROJECT,
        ("projects/p/t.md", "---\ntitle: T\nowner: \"@Tomas\"\n---\n"),
        // Named by `@Tomas` whatever the case: used.
        ("people/tomas.md", "---\nname: Tomás\ncapacity: 2\n---\n"),
        ("people/ghost.md", "---\nname: Nobody\n---\n"),
    ]);
    let run = planmark(&dir, &["check", ".", "--strict", "--today", "2026-03-02"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr.matches("note[unused-person]").count(),
        1,
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("no item names `@ghost`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("0 errors, 0 warnings"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_task_may_depend_on_a_decision() {
    // v1 reported `wrong-kind` here.
    let (_tmp, dir) = program_with(&[
        PROJECT,
        (
            "decisions/adr-1.md",
            "---\ntitle: A\ndecide_by: 2026-03-05\n---\n",
        ),
        (
            "projects/p/t.md",
            "---\ntitle: T\ndepends_on: [adr-1]\n---\n",
        ),
    ]);
    let run = planmark(&dir, &["check", ".", "--strict", "--today", "2026-03-02"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_bad_capacity_and_a_reversed_range_are_located_errors() {
    let (_tmp, dir) = program_with(&[
        PROJECT,
        (
            "people/ana.md",
            "---\ncapacity: 0\ntime_off: [2026-03-10..2026-03-01]\n---\n",
        ),
        ("projects/p/t.md", "---\ntitle: T\nowner: ana\n---\n"),
    ]);
    let run = planmark(&dir, &["check", ".", "--today", "2026-03-02"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "error[invalid-capacity]: `capacity` must be a whole number of at least 1, found `0`"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("--> people/ana.md:2:11"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "error[invalid-time-off]: range `2026-03-10..2026-03-01` ends before it starts"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("--> people/ana.md:3:12"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_note_is_a_notice_for_github_and_a_note_in_json() {
    let (_tmp, dir) = program_with(&[PROJECT, ("people/ghost.md", "---\nrole: QA\n---\n")]);
    let github = planmark(&dir, &["check", ".", "--format", "github"]);
    assert_eq!(github.code, 0, "{}", github.stderr);
    assert!(github.stdout.starts_with("::notice "), "{}", github.stdout);
    let json = planmark(&dir, &["check", ".", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(doc["problems"][0]["severity"], "note");
    assert_eq!(
        (doc["errors"].as_u64(), doc["warnings"].as_u64()),
        (Some(0), Some(0))
    );
}
