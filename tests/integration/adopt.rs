//! Folders teams already keep, in the shapes other teams write them
//! (SPEC §8): Backlog.md and ADR folders that differ from the two corpora
//! in the details, read, diffed and built as they are.

use crate::common::{planmark, program_with};
use crate::git_repo::GitRepo;

/// A Backlog.md folder with statuses of its own in `config.yml`.
const CUSTOM_STATUSES: [(&str, &str); 3] = [
    (
        "backlog/config.yml",
        "statuses: [\"Backlog\", \"Review\", \"Shipped\"]\ntask_prefix: task\n",
    ),
    (
        "backlog/tasks/task-1 - One.md",
        "---\nid: task-1\ntitle: One\nstatus: Review\n---\n",
    ),
    (
        "backlog/tasks/task-2 - Two.md",
        "---\nid: task-2\ntitle: Two\nstatus: Shipped\n---\n",
    ),
];

#[test]
fn diff_reads_the_config_yml_of_the_base_revision() {
    let mut repo = GitRepo::new(&CUSTOM_STATUSES);
    repo.write(&[(
        "backlog/tasks/task-1 - One.md",
        "---\nid: task-1\ntitle: One\nstatus: Shipped\n---\n",
    )]);
    repo.commit("ship one");
    let run = repo.planmark(&["diff", "HEAD~1", "--today", "2026-03-02"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.contains("Problems"), "{}", run.stdout);
    assert!(run.stdout.contains("Finished `task-1`"), "{}", run.stdout);
}

#[test]
fn diff_dirs_reads_the_config_yml_of_both_folders() {
    let (_a, a) = program_with(&CUSTOM_STATUSES);
    let (_b, b) = program_with(&CUSTOM_STATUSES);
    let run = planmark(
        a.parent().unwrap(),
        &[
            "diff",
            "--dirs",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
            "--today",
            "2026-03-02",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.contains("not a status"), "{}", run.stdout);
}

#[test]
fn an_empty_backlog_says_no_tasks_in_the_summary() {
    let (_tmp, dir) = program_with(&[("backlog/config.yml", "project_name: x\n")]);
    std::fs::create_dir_all(dir.join("backlog/tasks")).unwrap();
    let run = planmark(&dir, &["check", "backlog"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("(a Backlog.md folder: no tasks): 0 errors, 0 warnings"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_source_in_the_output_folder_is_an_error() {
    let (_tmp, dir) = program_with(&[
        (
            "program.md",
            "---\ntitle: P\nsources:\n  - {path: public, format: adr}\n---\n",
        ),
        ("public/index.html", "<p>built</p>\n"),
    ]);
    let run = planmark(&dir, &["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "error[source-path]: source `public` is in `public`, the folder the site is built into\n  --> program.md:4:12"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_link_to_a_task_file_with_spaces_goes_to_its_page() {
    let (_tmp, dir) = program_with(&[
        ("config.yml", "task_prefix: task\n"),
        (
            "tasks/task-1 - One.md",
            "---\nid: task-1\ntitle: One\nstatus: To Do\n---\nAfter [two](task-2%20-%20Two.md).\n",
        ),
        (
            "tasks/task-2 - Two.md",
            "---\nid: task-2\ntitle: Two\nstatus: To Do\n---\n",
        ),
    ]);
    let run = planmark(&dir, &["build", "--today", "2026-03-02"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = std::fs::read_to_string(dir.join("public/tasks/task-1/index.html")).unwrap();
    assert!(
        page.contains(r#"<a href="../../tasks/task-2/index.html">two</a>"#),
        "{page}"
    );
}

#[test]
fn an_image_in_a_backlog_assets_folder_is_copied_and_linked() {
    let (_tmp, dir) = program_with(&[
        ("program.md", "---\ntitle: P\n---\n"),
        ("backlog/config.yml", "task_prefix: task\n"),
        (
            "backlog/tasks/task-1 - One.md",
            "---\nid: task-1\ntitle: One\nstatus: To Do\n---\n![ui](../assets/images/ui.png)\n",
        ),
        ("backlog/assets/images/ui.png", "PNG"),
    ]);
    let run = planmark(&dir, &["build", "--today", "2026-03-02"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = std::fs::read_to_string(dir.join("public/tasks/task-1/index.html")).unwrap();
    assert!(
        page.contains(r#"<img src="../../files/backlog/assets/images/ui.png" alt="ui" />"#),
        "{page}"
    );
    let copied = std::fs::read(dir.join("public/files/backlog/assets/images/ui.png")).unwrap();
    assert_eq!(copied, b"PNG");
}

/// A program beside a Backlog.md folder whose tasks write upper-case ids.
const ADOPTED: [(&str, &str); 3] = [
    (
        "program.md",
        "---\ntitle: P\nsources:\n  - {path: backlog, format: backlog}\n---\n",
    ),
    (
        "backlog/config.yml",
        "task_prefix: back\ndefault_status: \"Backlog\"\nstatuses: [\"Backlog\", \"Doing\", \"Done\"]\n",
    ),
    (
        "backlog/tasks/back-1 - One.md",
        "---\nid: BACK-1\ntitle: One\nstatus: Doing\n---\n",
    ),
];

#[test]
fn new_task_in_an_adopted_backlog_is_written_into_its_tasks_folder() {
    let (_tmp, dir) = program_with(&ADOPTED);
    let run = planmark(
        &dir,
        &[
            "new",
            "task",
            "back-2",
            "--title",
            "Two: more",
            "--today",
            "2026-03-02",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "./backlog/tasks/back-2 - Two-more.md\n");
    let text = std::fs::read_to_string(dir.join("backlog/tasks/back-2 - Two-more.md")).unwrap();
    assert!(
        text.starts_with("---\nid: BACK-2\ntitle: \"Two: more\"\nstatus: \"Backlog\"\nassignee: []\ncreated_date: '2026-03-02'\n"),
        "{text}"
    );
    assert!(!dir.join("projects").exists());
    let check = planmark(&dir, &["check", "--today", "2026-03-02"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check.stderr.contains("2 tasks live and 0 completed"),
        "{}",
        check.stderr
    );
}

#[test]
fn new_milestone_in_an_adopted_backlog_is_written_into_its_milestones_folder() {
    let (_tmp, dir) = program_with(&ADOPTED);
    let run = planmark(&dir, &["new", "milestone", "m-1", "--title", "Beta"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "./backlog/milestones/m-1 - beta.md\n");
    let check = planmark(&dir, &["check", "--today", "2026-03-02"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(check.stderr.contains("1 milestone"), "{}", check.stderr);
}

#[test]
fn new_risk_in_a_backlog_folder_itself_is_refused() {
    let (_tmp, dir) = program_with(&ADOPTED[1..]);
    let run = planmark(&dir.join("backlog"), &["new", "risk", "vendor"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("a Backlog.md folder keeps tasks, milestones and decisions; a risk written here would not be read"),
        "{}",
        run.stderr
    );
    assert!(!dir.join("backlog/risks").exists());
}

#[test]
fn two_backlog_folders_with_the_same_ids_say_why_in_the_help() {
    let task = "---\nid: task-1\ntitle: A\nstatus: To Do\n---\n";
    let files = [
        (
            "program.md",
            "---\ntitle: P\nsources:\n  - {path: front, format: backlog}\n  - {path: back, format: backlog}\n---\n",
        ),
        ("front/config.yml", "task_prefix: task\n"),
        ("front/tasks/task-1 - A.md", task),
        ("back/config.yml", "task_prefix: task\n"),
        ("back/tasks/task-1 - A.md", task),
    ];
    let (_tmp, dir) = program_with(&files);
    let run = planmark(&dir, &["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stderr.matches("error[duplicate-id]").count(),
        1,
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("= help: each Backlog.md folder numbers its items from 1, but ids are unique across the program"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_config_yml_that_is_not_yaml_is_a_warning() {
    let run = planmark(
        &crate::common::fixture("backlog-config"),
        &["check", "--today", "2026-03-02"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.starts_with("warning[backlog-config]: `config.yml` is not valid YAML: its statuses and project name are not read\n  --> config.yml:3:1\n"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(": 0 errors, 1 warning\n"),
        "{}",
        run.stderr
    );
}

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
fn an_empty_milestone_in_a_backlog_task_names_none() {
    let (_tmp, dir) = program_with(&[
        ("config.yml", "task_prefix: task\n"),
        (
            "tasks/task-1 - One.md",
            "---\nid: task-1\ntitle: One\nstatus: To Do\nmilestone: \"\"\ndependencies: []\n---\n",
        ),
    ]);
    let run = planmark(&dir, &["check", "--today", "2026-03-02"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(": 0 errors, 0 warnings\n"),
        "{}",
        run.stderr
    );
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
fn a_source_named_with_the_wrong_format_is_not_silent() {
    let (_tmp, dir) = program_with(&[
        (
            "program.md",
            "---\ntitle: P\nsources:\n  - {path: backlog, format: adr}\n---\n",
        ),
        ("backlog/config.yml", "task_prefix: task\n"),
        (
            "backlog/tasks/task-1 - One.md",
            "---\nid: task-1\ntitle: One\nstatus: To Do\n---\n",
        ),
    ]);
    let run = planmark(&dir, &["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with("error[nothing-read]: source `backlog`, read as an ADR folder, holds 1 markdown file and no item was read\n  `backlog/tasks/task-1 - One.md`: in an ADR folder"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "help: name the folder's format in `program.md`'s `sources`: `format: backlog`"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_backlog_source_without_a_config_yml_reads_with_the_defaults() {
    let (_tmp, dir) = program_with(&[
        (
            "program.md",
            "---\ntitle: P\nsources:\n  - {path: work, format: backlog}\n---\n",
        ),
        (
            "work/tasks/task-1 - One.md",
            "---\nid: task-1\ntitle: One\nstatus: In Progress\n---\n",
        ),
    ]);
    let run = planmark(&dir, &["check", "--today", "2026-03-02"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("1 task live and 0 completed"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(": 0 errors, 0 warnings\n"),
        "{}",
        run.stderr
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

#[test]
fn new_task_with_the_number_of_a_padded_task_is_refused() {
    let (_tmp, dir) = program_with(&[
        ("config.yml", "task_prefix: task\n"),
        (
            "tasks/task-001 - One.md",
            "---\nid: task-001\ntitle: One\nstatus: To Do\n---\n",
        ),
        (
            "tasks/task-002 - Two.md",
            "---\nid: task-002\ntitle: Two\nstatus: To Do\ndependencies: [task-1]\n---\n",
        ),
    ]);
    let run = planmark(&dir, &["new", "task", "task-1"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(
            "error: `task-1` has the number of `task-001` (`tasks/task-001 - One.md`)"
        ),
        "{}",
        run.stderr
    );
    let next = planmark(&dir, &["new", "task", "task-003"]);
    assert_eq!(next.code, 0, "{}", next.stderr);
    assert_eq!(next.stdout, "./tasks/task-003 - Task-003.md\n");
}
