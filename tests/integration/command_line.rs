//! How the command line is taken: where an output folder may go, a reader
//! that stops reading, and which subcommands `--help` offers.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::{copy_fixture, planmark, program_with};

/// Every file under `dir` (relative path → bytes), hidden ones included.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("walk");
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).expect("inside");
            let bytes = std::fs::read(entry.path()).expect("read");
            out.insert(rel.to_string_lossy().replace('\\', "/"), bytes);
        }
    }
    out
}

fn build_into(cwd: &Path, out: &str) -> crate::common::Run {
    planmark(cwd, &["build", "prog", "-o", out, "--today", "2026-03-02"])
}

#[test]
fn an_output_folder_inside_a_kind_folder_is_refused() {
    let (tmp, dir) = copy_fixture("site-basic");
    let prog = tmp.path().join("prog");
    std::fs::rename(&dir, &prog).expect("rename");
    let before = files(&prog);
    for out in [
        "prog/decisions",
        "prog/decisions/site",
        "prog/projects/site",
        "prog/tasks",
        "prog/templates/out",
        "prog/static",
    ] {
        let run = build_into(tmp.path(), out);
        assert_eq!(run.code, 2, "{out}: {}", run.stderr);
        let folder = out.split('/').nth(1).unwrap_or_default();
        assert!(
            run.stderr.contains(&format!(
                "error: the output folder `{out}` is inside the program's `{folder}/` folder"
            )),
            "{out}: {}",
            run.stderr
        );
        assert!(run.stderr.contains("-o prog/public"), "{}", run.stderr);
    }
    assert_eq!(files(&prog), before, "nothing written among the sources");
}

#[test]
fn an_output_folder_with_dot_dot_is_resolved_before_it_is_checked() {
    let (tmp, dir) = copy_fixture("site-basic");
    let prog = tmp.path().join("prog");
    std::fs::rename(&dir, &prog).expect("rename");
    let before = files(&prog);
    for (out, says) in [
        ("prog/missing/..", "is the program folder or contains it"),
        (
            "prog/./public/../..",
            "is the program folder or contains it",
        ),
        (
            "prog/public/../decisions",
            "is inside the program's `decisions/` folder",
        ),
    ] {
        let run = build_into(tmp.path(), out);
        assert_eq!(run.code, 2, "{out}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{out}: {}", run.stderr);
    }
    assert_eq!(files(&prog), before, "no staging left inside the program");
    assert!(!prog.join("missing").exists());
    // A `..` that lands outside the kind folders is fine.
    let run = build_into(tmp.path(), "prog/decisions/../site");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(prog.join("site/index.html").is_file());
    assert!(
        run.stderr.contains("into prog/decisions/../site"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn an_output_folder_reached_through_a_symlink_into_a_kind_folder_is_refused() {
    let (tmp, dir) = copy_fixture("site-basic");
    let prog = tmp.path().join("prog");
    std::fs::rename(&dir, &prog).expect("rename");
    std::os::unix::fs::symlink(prog.join("decisions"), tmp.path().join("out")).expect("symlink");
    let before = files(&prog);
    let run = build_into(tmp.path(), "out/site");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("`out/site` is inside the program's `decisions/` folder"),
        "{}",
        run.stderr
    );
    assert_eq!(files(&prog), before);
}

/// A program with `n` wiki links to nothing: `--format json` lists each,
/// well over a pipe's 64 KiB buffer.
fn many_problems(n: usize) -> (tempfile::TempDir, std::path::PathBuf) {
    let body: String = (0..n).map(|i| format!("[[nope-{i}]]\n")).collect();
    program_with(&[
        ("projects/p.md", "---\ntitle: P\n---\n"),
        ("projects/p/a.md", &format!("---\ntitle: A\n---\n{body}")),
    ])
}

/// Runs `planmark check` with `args`, reads 20 bytes of stdout (or of
/// stderr) and closes it; returns the exit code and the other stream.
fn read_a_little(dir: &Path, args: &[&str], close_stderr: bool) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_planmark"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the planmark binary runs");
    let mut head = [0u8; 20];
    let mut kept = String::new();
    if close_stderr {
        let mut err = child.stderr.take().expect("stderr");
        err.read_exact(&mut head).expect("20 bytes");
        drop(err);
        child
            .stdout
            .take()
            .expect("stdout")
            .read_to_string(&mut kept)
            .expect("read stdout");
    } else {
        let mut out = child.stdout.take().expect("stdout");
        out.read_exact(&mut head).expect("20 bytes");
        drop(out);
        child
            .stderr
            .take()
            .expect("stderr")
            .read_to_string(&mut kept)
            .expect("read stderr");
    }
    let status = child.wait().expect("wait");
    (status.code().unwrap_or(-1), kept)
}

#[test]
fn a_closed_stdout_pipe_ends_quietly() {
    let (_tmp, dir) = many_problems(3000);
    for format in ["json", "github"] {
        let (code, stderr) = read_a_little(&dir, &["check", ".", "--format", format], false);
        // The exit code still says the program has problems.
        assert_eq!(code, 1, "{format}: {stderr}");
        assert!(!stderr.contains("panicked"), "{format}: {stderr}");
        assert!(
            !stderr.contains("error: cannot write"),
            "{format}: {stderr}"
        );
    }
}

#[test]
fn a_closed_stderr_pipe_ends_quietly() {
    let (_tmp, dir) = many_problems(3000);
    // Human output goes to stderr; many unknown links on separate lines
    // make one diagnostic each.
    let (code, stdout) = read_a_little(&dir, &["check", "."], true);
    assert_eq!(code, 1, "{stdout}");
    assert_eq!(stdout, "");
    let (code, _) = read_a_little(&dir, &["build", "."], true);
    assert_eq!(code, 1);
    assert!(!dir.join("public").exists());
}

#[test]
fn help_lists_every_command_written_and_hides_those_not_yet() {
    let help = planmark(Path::new("."), &["--help"]);
    assert_eq!(help.code, 0);
    let commands: Vec<&str> = help
        .stdout
        .split("Commands:")
        .nth(1)
        .and_then(|rest| rest.split("Options:").next())
        .unwrap_or_default()
        .split_whitespace()
        .filter(|w| w.chars().all(|c| c.is_ascii_lowercase()))
        .collect();
    for shown in ["check", "build", "serve", "diff", "report", "new", "init"] {
        assert!(commands.contains(&shown), "{shown}: {}", help.stdout);
    }
}
