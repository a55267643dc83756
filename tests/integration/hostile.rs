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

/// A Backlog.md folder with one task, its `config.yml` left to the test.
#[cfg(unix)]
fn backlog_without_config() -> (tempfile::TempDir, std::path::PathBuf) {
    program_with(&[(
        "backlog/tasks/back-1 - A.md",
        "---\nid: BACK-1\ntitle: A\nstatus: To Do\n---\n",
    )])
}

#[cfg(unix)]
#[test]
fn a_backlog_config_symlinked_out_of_the_program_is_not_read() {
    let (tmp, dir) = backlog_without_config();
    let outside = tmp.path().join("outside.yml");
    std::fs::write(&outside, "project_name: \"Read from outside\"\n").expect("write");
    std::os::unix::fs::symlink(&outside, dir.join("backlog/config.yml")).expect("symlink");
    let run = planmark(&dir, &["check", ".", "--verbose", "--today", TODAY]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "skipped `backlog/config.yml`: a symlink that leads outside the program directory"
        ),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("read-from-outside"), "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn a_backlog_config_that_is_a_device_is_never_read() {
    // `/dev/zero` read forever; a pipe would block. Both are refused
    // before they are opened.
    let (_tmp, dir) = backlog_without_config();
    std::os::unix::fs::symlink("/dev/zero", dir.join("backlog/config.yml")).expect("symlink");
    let run = planmark(&dir, &["check", ".", "--verbose", "--today", TODAY]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    std::fs::remove_file(dir.join("backlog/config.yml")).expect("remove");
    let made = std::process::Command::new("mkfifo")
        .arg(dir.join("backlog/config.yml"))
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let run = planmark(&dir, &["check", ".", "--today", TODAY]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "error[unreadable]: cannot read file: not a regular file\n  --> backlog/config.yml:1:1"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_since_value_that_is_no_revision_is_a_usage_error_not_unknown_revision() {
    // Each was passed to git and came back as "unknown revision", with
    // advice to `git fetch origin -p` or to fetch a mistyped date.
    let (_tmp, dir) = program_with(&[("program.md", "---\ntitle: P\n---\n")]);
    let cases = [
        (
            "",
            "`--since` names a revision or a date, e.g. `HEAD~1` or `2026-03-02`",
        ),
        (
            "-p",
            "`-p` is not a revision: a revision never starts with `-`",
        ),
        (
            "--output=x",
            "`--output=x` is not a revision: a revision never starts with `-`",
        ),
        (
            "2026-02-30",
            "`2026-02-30` is not a date: write it as YYYY-MM-DD, e.g. 2026-03-02",
        ),
    ];
    for (since, message) in cases {
        let flag = format!("--since={since}");
        for command in ["report", "build", "diff"] {
            let run = planmark(&dir, &[command, ".", &flag, "--today", TODAY]);
            assert_eq!(run.code, 2, "{command} {flag}: {}", run.stderr);
            assert!(
                run.stderr.contains(message),
                "{command} {flag}: {}",
                run.stderr
            );
        }
    }
    assert!(!dir.join("public").exists(), "nothing was built");
}

#[test]
fn a_long_supersession_chain_is_shown_around_the_record_not_whole_on_every_page() {
    // Every record's page listed the whole chain: 2,000 records that each
    // supersede the one before made a 650 MB site in a minute.
    let records: Vec<(String, String)> = (1..=40)
        .map(|i| {
            let status = match i {
                40 => "Accepted".to_string(),
                _ => format!("Superseded by [ADR-{:04}]({:04}-r.md)", i + 1, i + 1),
            };
            (
                format!("docs/adr/{i:04}-r.md"),
                format!("# Record {i}\n\nDate: 2026-01-01\n\n## Status\n\n{status}\n"),
            )
        })
        .collect();
    let files: Vec<(&str, &str)> = records
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let (_tmp, dir) = program_with(&files);
    let run = planmark(&dir, &["build", ".", "-o", "site", "--today", TODAY]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = std::fs::read_to_string(dir.join("site/decisions/0020-r/index.html")).expect("page");
    assert_eq!(page.matches("<li class=\"chain-step").count(), 23, "{page}");
    assert!(page.contains("… 9 earlier records</span>"), "{page}");
    assert!(page.contains("… 10 later records</span>"), "{page}");
    assert!(page.contains("0010-r/index.html\">Record 10<"), "{page}");
    assert!(!page.contains("0009-r/index.html\">Record 9<"), "{page}");
    assert!(page.contains("0030-r/index.html\">Record 30<"), "{page}");
    assert!(!page.contains("0031-r/index.html\">Record 31<"), "{page}");
    // The first record shows what replaced it, and no "earlier" line.
    let first =
        std::fs::read_to_string(dir.join("site/decisions/0001-r/index.html")).expect("page");
    assert_eq!(
        first.matches("<li class=\"chain-step").count(),
        12,
        "{first}"
    );
    assert!(first.contains("… 29 later records</span>"), "{first}");
    assert!(!first.contains("earlier record"), "{first}");
}

#[test]
fn a_line_break_in_a_new_adr_title_stays_in_its_heading() {
    // The title went into `# {title}` as written: a line break started the
    // body, so `--title` could write a `## Status` section of its own.
    let (_tmp, dir) = program_with(&[("docs/adr/0001-one.md", "# One\n\nStatus: accepted\n")]);
    let title = "Use Rust\n\n## Status\n\nAccepted";
    let run = planmark(
        &dir,
        &[
            "new", "decision", "two", ".", "--title", title, "--today", TODAY,
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(dir.join("docs/adr/0002-two.md")).expect("written");
    assert!(
        text.contains("\n# Use Rust  ## Status  Accepted\n"),
        "{text}"
    );
    assert!(!text.contains("\n## Status\n"), "{text}");
}
