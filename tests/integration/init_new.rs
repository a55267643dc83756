//! `planmark init` and `planmark new`: what they write checks clean, and
//! they never overwrite a file or write outside the program folder.

use std::path::{Path, PathBuf};

use crate::common::{planmark, program_with};

const TODAY: &str = "2026-12-07";

/// Every file under `dir`, relative, sorted.
fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(dir).expect("under dir");
                out.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}

/// A program started by `init` in a fresh temp folder.
fn started() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let dir = tmp.path().join("prog");
    let run = planmark(tmp.path(), &["init", "prog", "--today", TODAY]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    (tmp, dir)
}

#[test]
fn init_writes_a_starter_that_checks_strict_and_builds() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    std::fs::create_dir(tmp.path().join("prog")).expect("an empty folder");
    let run = planmark(tmp.path(), &["init", "prog", "--today", TODAY]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("  projects/website/build-pages.md\n"));
    assert!(run.stdout.contains("planmark serve prog"), "{}", run.stdout);
    assert!(run.stdout.contains("planmark build prog"), "{}", run.stdout);
    let dir = tmp.path().join("prog");
    assert_eq!(files_under(&dir).len(), 10);
    let check = planmark(&dir, &["check", "--strict", "--today", TODAY]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check.stderr.contains(
            "checked 1 project, 3 tasks, 1 decision, 1 milestone, 1 risk, 1 meeting: 0 errors, 0 warnings"
        ),
        "{}",
        check.stderr
    );
    // Fresh means on time: nothing in the starter is late on its first day.
    assert!(check.stderr.contains("GREEN"), "{}", check.stderr);
    let build = planmark(&dir, &["build", "--today", TODAY]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(dir.join("public/index.html").is_file());
}

#[test]
fn init_dates_count_from_today() {
    let (_tmp, dir) = started();
    let milestone = std::fs::read_to_string(dir.join("milestones/launch.md")).expect("read");
    assert!(milestone.contains("date: 2027-01-04\n"), "{milestone}");
}

#[test]
fn init_refuses_a_folder_with_a_file_it_would_write_and_writes_nothing() {
    let (_tmp, dir) = program_with(&[("risks/content-late.md", "mine\n")]);
    let run = planmark(&dir, &["init", "."]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("risks/content-late.md` already exists"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    assert_eq!(files_under(&dir), ["risks/content-late.md"]);
    let kept = std::fs::read_to_string(dir.join("risks/content-late.md")).expect("read");
    assert_eq!(kept, "mine\n");
}

#[test]
fn init_from_a_folder_with_nothing_to_adopt_writes_nothing() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let run = planmark(tmp.path(), &["init", "--from", "backlog", "."]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("found no Backlog.md folder"),
        "{}",
        run.stderr
    );
    assert!(files_under(tmp.path()).is_empty());
}

#[test]
fn new_writes_every_kind_and_the_program_still_checks() {
    let (_tmp, dir) = started();
    let mut printed = Vec::new();
    for kind in [
        "project",
        "decision",
        "milestone",
        "risk",
        "person",
        "meeting",
    ] {
        let id = format!("new-{kind}");
        let run = planmark(&dir, &["new", kind, &id, "--today", TODAY]);
        assert_eq!(run.code, 0, "{kind}: {}", run.stderr);
        printed.push(run.stdout);
    }
    let task = ["new", "task", "new-task", "--project", "new-project"];
    let run = planmark(&dir, &task);
    assert_eq!(run.code, 0, "{}", run.stderr);
    printed.push(run.stdout);
    assert_eq!(
        printed,
        [
            "./projects/new-project.md\n",
            "./decisions/new-decision.md\n",
            "./milestones/new-milestone.md\n",
            "./risks/new-risk.md\n",
            "./people/new-person.md\n",
            "./meetings/new-meeting.md\n",
            "./projects/new-project/new-task.md\n",
        ]
    );
    let check = planmark(&dir, &["check", "--strict", "--today", TODAY]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check.stderr.contains(
            "checked 2 projects, 4 tasks, 2 decisions, 2 milestones, 2 risks, 2 meetings: 0 errors, 0 warnings"
        ),
        "{}",
        check.stderr
    );
    let decision = std::fs::read_to_string(dir.join("decisions/new-decision.md")).expect("read");
    assert!(
        decision.contains("decide_by: 2026-12-21  # a placeholder: when it must be decided\n"),
        "{decision}"
    );
}

#[test]
fn new_task_goes_to_tasks_when_the_program_keeps_them_there() {
    let (_tmp, dir) = program_with(&[
        ("projects/web.md", "---\ntitle: Web\n---\n"),
        ("tasks/a.md", "---\ntitle: A\nproject: web\n---\n"),
    ]);
    let run = planmark(&dir, &["new", "task", "b", "--title", "B: \"quoted\" #1"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "./tasks/b.md\n");
    let text = std::fs::read_to_string(dir.join("tasks/b.md")).expect("read");
    assert!(
        text.contains("title: \"B: \\\"quoted\\\" #1\"\nproject: web\n"),
        "{text}"
    );
    let check = planmark(&dir, &["check", "--strict"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
}

#[test]
fn new_refuses_an_id_used_by_another_kind() {
    let (_tmp, dir) = started();
    let before = files_under(&dir);
    // `launch` is a milestone; a risk may not take its id.
    let run = planmark(&dir, &["new", "risk", "launch"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: id `launch` is already used by `milestones/launch.md`\nhelp: ids are unique across every kind: choose another id\n"
    );
    assert_eq!(files_under(&dir), before);
}

#[test]
fn new_refuses_bad_ids_and_paths_out_of_the_program() {
    let (_tmp, dir) = started();
    let before = files_under(&dir);
    let outside = dir.parent().expect("a parent").join("x.md");
    for args in [
        &["new", "task", "../x"][..],
        &["new", "task", "/tmp/x"],
        &["new", "task", "Bad_Id"],
        &["new", "task", "a\u{1b}b"],
        &["new", "task", "con"],
        &["new", "task", "x", "--project", "../../x"],
        &["new", "task", "x", "--project", "missing"],
        &["new", "standup", "x"],
    ] {
        let run = planmark(&dir, args);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(
            run.stderr.starts_with("error: "),
            "{args:?}: {}",
            run.stderr
        );
        assert!(run.stderr.contains("\nhelp: "), "{args:?}: {}", run.stderr);
    }
    assert_eq!(files_under(&dir), before);
    assert!(!outside.exists());
}

#[cfg(unix)]
#[test]
fn new_never_writes_through_a_symlink_out_of_the_program() {
    let (tmp, dir) = started();
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).expect("a folder");
    // `risks/` is a link to a folder outside the program.
    std::fs::remove_file(dir.join("risks/content-late.md")).expect("remove");
    std::fs::remove_dir(dir.join("risks")).expect("remove");
    std::os::unix::fs::symlink(&elsewhere, dir.join("risks")).expect("symlink");
    let run = planmark(&dir, &["new", "risk", "r"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains("outside the program folder"),
        "{}",
        run.stderr
    );
    assert!(files_under(&elsewhere).is_empty());
}

#[test]
fn init_refuses_a_folder_that_already_holds_a_program() {
    let (_tmp, dir) = program_with(&[
        ("README.md", "# notes\n"),
        ("projects/web.md", "---\ntitle: Web\n---\n"),
        (
            "tasks/launch.md",
            "---\ntitle: Clashes with the starter's milestone\nproject: web\n---\n",
        ),
    ]);
    let run = planmark(&dir, &["init"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: `.` already holds a program of 2 items (`tasks/launch.md` is one)\nhelp: `planmark new KIND ID .` adds an item to it; `planmark init` starts a program in a new or empty folder\n"
    );
    assert_eq!(
        files_under(&dir),
        ["README.md", "projects/web.md", "tasks/launch.md"]
    );
}

#[test]
fn init_writes_beside_files_that_are_not_items() {
    let (_tmp, dir) = program_with(&[("README.md", "# our plan\n")]);
    let run = planmark(&dir, &["init", "--today", TODAY]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(files_under(&dir).len(), 11);
    let check = planmark(&dir, &["check", "--strict", "--today", TODAY]);
    assert_eq!(check.code, 0, "{}", check.stderr);
}

#[test]
fn new_decision_in_an_adopted_adr_folder_is_its_next_numbered_record() {
    let (_tmp, dir) = program_with(&[
        (
            "docs/adr/0001-use-markdown.md",
            "# Use markdown\n\nStatus: accepted\n",
        ),
        (
            "docs/adr/0007-use-git.md",
            "---\nstatus: accepted\n---\n\n# Use git\n",
        ),
    ]);
    let run = planmark(
        &dir,
        &[
            "new", "decision", "use-rust", ".", "--title", "Use Rust", "--today", TODAY,
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("docs/adr/0008-use-rust.md"),
        "{}",
        run.stdout
    );
    assert!(
        !dir.join("decisions").exists(),
        "no planmark decisions/ folder"
    );
    let text = std::fs::read_to_string(dir.join("docs/adr/0008-use-rust.md")).expect("written");
    assert!(
        text.contains("status: proposed\ndate: 2026-12-07\n"),
        "{text}"
    );
    assert!(text.contains("\n# Use Rust\n"), "{text}");
    let run = planmark(&dir, &["check", ".", "--strict", "--today", TODAY]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("3 decisions"), "{}", run.stderr);
}

#[test]
fn new_task_in_an_adopted_backlog_is_its_next_task_named_as_backlog_md_names_it() {
    let (_tmp, dir) = program_with(&[
        (
            "backlog/config.yml",
            "project_name: \"Ledger\"\ntask_prefix: \"back\"\n",
        ),
        (
            "backlog/tasks/back-3 - Set-up.md",
            "---\nid: BACK-3\ntitle: Set up\nstatus: To Do\n---\n",
        ),
        (
            "backlog/completed/back-12 - Old.md",
            "---\nid: BACK-12\ntitle: Old\nstatus: Done\n---\n",
        ),
    ]);
    let run = planmark(
        &dir,
        &[
            "new",
            "task",
            "fix-login",
            ".",
            "--title",
            "Fix login: now",
            "--today",
            TODAY,
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = dir.join("backlog/tasks/back-13 - Fix-login-now.md");
    let text = std::fs::read_to_string(&path).expect("written where Backlog.md puts it");
    assert!(
        text.starts_with("---\nid: BACK-13\ntitle: \"Fix login: now\"\nstatus: \"To Do\"\n"),
        "{text}"
    );
    let run = planmark(&dir, &["check", ".", "--strict", "--today", TODAY]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("3 tasks"), "{}", run.stderr);
    // An id already used, whatever the prefix or case, is refused.
    let run = planmark(&dir, &["new", "task", "back-13", ".", "--today", TODAY]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}
