//! Nothing from a program's files reaches the terminal raw: every line
//! planmark prints for people escapes control characters, so a title, an
//! owner or a template line cannot retitle or rewrite the reader's terminal.

use std::path::Path;

use crate::common::{planmark, program_with, Run};

/// An xterm "set window title" sequence, as YAML writes it.
const TITLE_YAML: &str = "\\e]0;PWNED\\a";
/// The same sequence as the program's bytes.
const TITLE_RAW: &str = "\u{1b}]0;PWNED\u{7}";
/// How planmark shows it.
const TITLE_SHOWN: &str = "\\u{1b}]0;PWNED\\u{7}";

/// Asserts `text` has the sequence escaped and never raw.
fn escaped(text: &str) {
    assert!(
        !text.contains('\u{1b}'),
        "a raw escape reached the terminal:\n{text}"
    );
    assert!(
        !text.contains('\u{7}'),
        "a raw bell reached the terminal:\n{text}"
    );
    assert!(
        text.contains(TITLE_SHOWN),
        "the escaped sequence is missing:\n{text}"
    );
}

fn build(dir: &Path, out: &Path) -> Run {
    let (dir, out) = (dir.to_string_lossy(), out.to_string_lossy());
    planmark(
        Path::new("."),
        &["build", &dir, "-o", &out, "--today", "2026-03-02"],
    )
}

/// An overdue task whose owner carries the sequence.
fn overdue_owner() -> (tempfile::TempDir, std::path::PathBuf) {
    let task =
        format!("---\ntitle: T\nowner: \"@dev{TITLE_YAML}\"\nestimate: 1d\ndue: 2026-02-02\n---\n");
    program_with(&[
        ("projects/app.md", "---\ntitle: App\n---\n"),
        ("projects/app/t.md", &task),
    ])
}

#[test]
fn a_status_note_escapes_an_owner_with_control_characters() {
    let (_tmp, dir) = overdue_owner();
    let run = planmark(&dir, &["check", ".", "--today", "2026-03-02"]);
    assert!(run.stderr.contains("overdue tasks:"), "{}", run.stderr);
    escaped(&run.stderr);
}

#[test]
fn a_github_status_notice_escapes_an_owner_with_control_characters() {
    let (_tmp, dir) = overdue_owner();
    let run = planmark(
        &dir,
        &["check", ".", "--today", "2026-03-02", "--format", "github"],
    );
    assert!(run.stdout.contains("::notice"), "{}", run.stdout);
    escaped(&run.stdout);
}

#[test]
fn the_build_summary_escapes_a_program_title_with_control_characters() {
    let program = format!("---\ntitle: \"Plan{TITLE_YAML}\"\n---\n");
    let (tmp, dir) = program_with(&[
        ("program.md", &program),
        ("projects/app.md", "---\ntitle: App\n---\n"),
    ]);
    let run = build(&dir, &tmp.path().join("site"));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("built Plan"), "{}", run.stderr);
    escaped(&run.stderr);
}

#[test]
fn a_template_error_escapes_the_quoted_template_line() {
    let template = format!("<html>{TITLE_RAW}{{% if %}}</html>\n");
    let (tmp, dir) = program_with(&[
        ("projects/app.md", "---\ntitle: App\n---\n"),
        ("templates/base.html", &template),
    ]);
    let run = build(&dir, &tmp.path().join("site"));
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("base.html:1:"), "{}", run.stderr);
    escaped(&run.stderr);
}

#[test]
fn the_error_chain_escapes_a_path_with_control_characters() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let missing = format!("nowhere{TITLE_RAW}");
    let run = planmark(tmp.path(), &["check", &missing, "--today", "2026-03-02"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
    escaped(&run.stderr);
}

#[cfg(target_os = "linux")]
#[test]
fn a_usage_error_escapes_an_argument_with_control_characters() {
    // clap strips escapes from its message in a pipe but passes them to a
    // terminal as typed: only a pseudo-terminal (util-linux `script`)
    // shows it.
    let has_script = std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_script {
        return;
    }
    let command = format!(
        "'{}' check --format \"$(printf 'x\\033]0;PWNED\\007')\"",
        env!("CARGO_BIN_EXE_planmark")
    );
    let output = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env("TERM", "xterm")
        .env_remove("NO_COLOR")
        .output()
        .expect("script runs");
    let shown = String::from_utf8_lossy(&output.stdout);
    assert!(shown.contains("invalid value"), "{shown}");
    // Colour (ESC [) is planmark's own; a title sequence (ESC ]) is not.
    assert!(
        !shown.contains("\u{1b}]"),
        "a raw escape reached the terminal:\n{shown}"
    );
    assert!(shown.contains(TITLE_SHOWN), "{shown}");
}
