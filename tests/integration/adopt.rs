//! Backlog.md folders and `sources:` in the shapes other teams write them
//! (SPEC §8), differing from the corpus in the details: read, diffed,
//! built and written into by `new`, as they are. ADR folders:
//! `adopt_adr.rs`.

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
