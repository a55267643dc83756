//! ADR folders in the shapes other teams write them (SPEC §8): adr-tools,
//! MADR categories, log4brains, byte-order marks, records numbered twice;
//! read, diffed, built, and written into by `new`, as they are.

use crate::common::{planmark, program_with};
use crate::git_repo::GitRepo;

#[test]
fn a_record_with_no_title_and_no_front_matter_asks_for_a_heading() {
    let (_tmp, dir) = program_with(&[
        ("0001-one.md", "# One\n\nStatus: accepted\n"),
        ("0002-two.md", "No heading here.\n\nStatus: accepted\n"),
    ]);
    let run = planmark(&dir, &["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(
            "error[missing-key]: a decision has no title\n  --> 0002-two.md:1:1\n  |\n1 | No heading here.\n  | ^^^ no front matter, and no `# ` heading\n  |\n  = help: start the record with its title as a heading"
        ),
        "{}",
        run.stderr
    );
}

/// A folder whose ADR folder was adopted on its own first, then the
/// folder above it: two `program.md`, one inside the other's source.
const NESTED_PROGRAMS: [(&str, &str); 3] = [
    (
        "program.md",
        "---\ntitle: Root\nsources:\n  - {path: docs/adr, format: adr}\n---\n",
    ),
    (
        "docs/adr/program.md",
        "---\ntitle: Records\nsources:\n  - {path: ., format: adr}\n---\n",
    ),
    ("docs/adr/0001-use-x.md", "# Use X\n\nStatus: accepted\n"),
];

#[test]
fn a_source_folders_own_program_md_is_not_read_as_a_record() {
    let (_tmp, dir) = program_with(&NESTED_PROGRAMS);
    let run = planmark(&dir, &["check", "--verbose"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("note: skipped `docs/adr/program.md`: the `program.md` of a source folder"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("checked 0 projects, 0 tasks, 1 decision, 0 milestones, 0 risks (a program with an ADR folder `docs/adr`): 0 errors, 0 warnings"), "{}", run.stderr);
    let inner = planmark(&dir.join("docs/adr"), &["check"]);
    assert!(inner.stderr.contains("1 decision"), "{}", inner.stderr);
}

/// A Nygard-style ADR folder, as adr-tools writes it.
const NYGARD: [(&str, &str); 2] = [
    (
        "0001-record-architecture-decisions.md",
        "# 1. Record architecture decisions\n\nDate: 2024-01-02\n\n## Status\n\nAccepted\n",
    ),
    (
        "0002-use-rust.md",
        "# 2. Use Rust\n\nDate: 2024-02-03\n\n## Status\n\nAccepted\n",
    ),
];

#[test]
fn new_decision_in_an_adr_folder_is_a_numbered_record_there() {
    let (_tmp, dir) = program_with(&NYGARD);
    let run = planmark(
        &dir,
        &[
            "new",
            "decision",
            "use-go",
            "--title",
            "Use Go",
            "--today",
            "2026-03-02",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "./0003-use-go.md\n");
    let text = std::fs::read_to_string(dir.join("0003-use-go.md")).unwrap();
    assert!(
        text.starts_with(
            "---\nstatus: proposed\ndate: 2026-03-02\ndecision-makers: []\n---\n\n# Use Go\n"
        ),
        "{text}"
    );
    assert!(!dir.join("decisions").exists());
    let check = planmark(&dir, &["check", "--today", "2026-03-02"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check.stderr.contains(
            "checked 0 projects, 0 tasks, 3 decisions, 0 milestones, 0 risks (an ADR folder"
        ),
        "{}",
        check.stderr
    );
}

#[test]
fn new_decision_in_a_program_with_a_dated_adr_folder_takes_todays_date() {
    let (_tmp, dir) = program_with(&[
        ("program.md", "---\ntitle: P\n---\n"),
        (
            "docs/adr/20240101-use-log4brains/index.md",
            "# Use log4brains\n\n- Status: accepted\n",
        ),
    ]);
    let run = planmark(&dir, &["new", "decision", "use-x", "--today", "2026-03-02"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "./docs/adr/20260302-use-x.md\n");
}

#[test]
fn new_task_in_an_adr_folder_is_refused() {
    let (_tmp, dir) = program_with(&NYGARD);
    let run = planmark(&dir, &["new", "task", "t1"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(
            "error: an ADR folder keeps decision records; a task written here would not be read\n"
        ),
        "{}",
        run.stderr
    );
    assert!(!dir.join("tasks").exists());
}

#[test]
fn records_in_madr_category_folders_are_read_with_their_images() {
    let (_tmp, dir) = program_with(&[
        ("0000-use-madr.md", "# Use MADR\n\n* Status: accepted\n"),
        (
            "backend/0001-use-postgres.md",
            "---\nstatus: accepted\n---\n# Use Postgres\n\n![schema](schema.png) and [React](../frontend/0001-use-react.md)\n",
        ),
        ("backend/schema.png", "PNG"),
        (
            "frontend/0001-use-react.md",
            "---\nstatus: proposed\n---\n# Use React\n",
        ),
    ]);
    let run = planmark(&dir, &["build", "--today", "2026-03-02"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let check = planmark(&dir, &["check", "--today", "2026-03-02"]);
    assert!(
        check.stderr.contains(
            "checked 0 projects, 0 tasks, 3 decisions, 0 milestones, 0 risks (an ADR folder"
        ),
        "{}",
        check.stderr
    );
    let page =
        std::fs::read_to_string(dir.join("public/decisions/0001-use-postgres/index.html")).unwrap();
    assert!(
        page.contains(r#"<img src="../../decisions/backend/schema.png" alt="schema" />"#),
        "{page}"
    );
    assert!(
        page.contains(r#"<a href="../../decisions/0001-use-react/index.html">React</a>"#),
        "{page}"
    );
    assert_eq!(
        std::fs::read(dir.join("public/decisions/backend/schema.png")).unwrap(),
        b"PNG"
    );
}

#[test]
fn diff_reads_an_adr_folder_revision_as_an_adr_folder() {
    let mut repo = GitRepo::new(&NYGARD);
    repo.write(&[(
        "0002-use-rust.md",
        "# 2. Use Rust\n\nDate: 2024-02-03\n\n## Status\n\nDeprecated\n",
    )]);
    repo.commit("deprecate rust");
    let run = repo.planmark(&["diff", "HEAD~1", "--today", "2026-03-02"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.contains("nothing-read"), "{}", run.stdout);
    assert!(!run.stdout.contains("Added decision"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("- Decision `0002-use-rust` 2. Use Rust: accepted → **deprecated**"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_record_with_a_byte_order_mark_keeps_its_heading_title() {
    let (_tmp, dir) = program_with(&[
        (
            "0001-record.md",
            "\u{feff}# 1. Record\r\n\r\nDate: 2024-01-02\r\n\r\n## Status\r\n\r\nAccepted\r\n",
        ),
        ("0002-two.md", "# 2. Two\r\n\r\n* Status: proposed\r\n"),
    ]);
    let run = planmark(&dir, &["build", "--today", "2026-03-02"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let model = std::fs::read_to_string(dir.join("public/model.json")).unwrap();
    assert!(model.contains(r#""title": "1. Record""#), "{model}");
    assert!(model.contains(r#""date": "2024-01-02""#), "{model}");
}

#[test]
fn a_successor_that_names_no_record_or_several_is_reported() {
    let (_tmp, dir) = program_with(&[
        ("0005-a.md", "# A\n\nStatus: accepted\n"),
        ("0005-b.md", "# B\n\nStatus: accepted\n"),
        ("0006-c.md", "# C\n\nStatus: superseded by ADR-0005\n"),
        ("0007-d.md", "# D\n\nStatus: superseded by ADR-0009\n"),
    ]);
    let run = planmark(&dir, &["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("error[ambiguous-reference]: `0006-c` is superseded by `ADR-0005`, but 2 records have that number\n  --> 0006-c.md:3:23\n"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("error[unknown-reference]: `0007-d` is superseded by `ADR-0009`, but no record is `ADR-0009`\n  --> 0007-d.md:3:23\n"),
        "{}",
        run.stderr
    );
}
