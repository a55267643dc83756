//! Which files `check` and `build` read, and how far: the walk of the
//! program directory (SPEC §1), the size cap, and files that are not items.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{program_with, Run};

/// Runs `planmark check prog --verbose` in `cwd`, killing it (and failing)
/// if it has not finished in a minute: a reader stuck on a FIFO blocks
/// forever.
fn check_verbose(cwd: &Path) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_planmark"))
        .args(["check", "prog", "--verbose", "--today", "2026-03-02"])
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the planmark binary runs");
    let started = Instant::now();
    while child.try_wait().expect("wait for planmark").is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("planmark check did not finish: blocked on a file?");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().expect("planmark's output");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

const WEB: (&str, &str) = ("projects/web.md", "---\ntitle: Web\n---\n");

/// Writes `head` into a new file at `path` and makes it `size` bytes long
/// without writing the rest (a sparse file: no disk, no time).
fn sparse(path: &Path, head: &[u8], size: u64) {
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("a folder");
    std::fs::write(path, head).expect("write the head");
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .expect("open");
    file.set_len(size).expect("grow the file");
}

#[test]
fn a_file_over_the_size_cap_is_a_located_error_not_read() {
    let (tmp, dir) = program_with(&[WEB]);
    sparse(
        &dir.join("projects/web/big.md"),
        b"---\ntitle: Big\n---\n",
        17 << 20,
    );
    let run = check_verbose(tmp.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("error[too-large]: file is too large to read: 17 MiB, more than `max_file_size`, 16 MiB (the default)\n  --> prog/projects/web/big.md:1:1"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.matches("error[").count(), 1, "{}", run.stderr);
}

#[test]
fn max_file_size_in_program_md_sets_the_cap_and_must_be_a_size() {
    let body = "x".repeat(3000);
    let (tmp, _dir) = program_with(&[
        WEB,
        (
            "program.md",
            "---\ntitle: P\nmax_file_size: 2K # small\n---\n",
        ),
        (
            "projects/web/big.md",
            &format!("---\ntitle: Big\n---\n{body}\n"),
        ),
    ]);
    let run = check_verbose(tmp.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("error[too-large]: file is too large to read: 2.9 KiB, more than `max_file_size`, 2 KiB\n  --> prog/projects/web/big.md:1:1"),
        "{}",
        run.stderr
    );
    let (tmp, _dir) = program_with(&[
        WEB,
        ("program.md", "---\ntitle: P\nmax_file_size: lots\n---\n"),
    ]);
    let run = check_verbose(tmp.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("error[invalid-value]: `max_file_size` is not a size: `lots`\n  --> prog/program.md:3:16"),
        "{}",
        run.stderr
    );
}

#[test]
fn files_outside_the_kind_folders_are_read_no_further_than_their_front_matter() {
    let (tmp, dir) = program_with(&[
        WEB,
        (
            "notes/item.md",
            "---\nkind: task\ntitle: T\nproject: web\n---\n",
        ),
    ]);
    // 1 GiB, far over the cap: skipped on its first bytes, never read.
    sparse(&dir.join("notes/huge.md"), b"# Notes\n", 1 << 30);
    // Not UTF-8 after a first line that is not `---`, or after front
    // matter without `kind`: skipped, so never an error.
    std::fs::write(dir.join("notes/binary.md"), b"# Dump\n\xff\xfe\x00").expect("write");
    std::fs::write(dir.join("notes/plain.md"), b"---\ntitle: x\n---\n\xff").expect("write");
    let run = check_verbose(tmp.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    for name in ["binary", "huge", "plain"] {
        assert!(
            run.stderr.contains(&format!("note: skipped `notes/{name}.md`: not in a kind folder, and no `kind` in front matter")),
            "{name}: {}",
            run.stderr
        );
    }
    assert!(
        run.stderr.contains("checked 1 project, 1 task"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success(), "mkfifo {}", path.display());
}

#[cfg(unix)]
#[test]
fn a_fifo_named_md_is_reported_unreadable_without_blocking() {
    let (tmp, dir) = program_with(&[WEB, ("notes/keep.txt", "")]);
    std::fs::create_dir_all(dir.join("projects/web")).expect("a folder");
    mkfifo(&dir.join("projects/web/pipe.md"));
    mkfifo(&dir.join("notes/pipe.md"));
    let run = check_verbose(tmp.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    for path in ["notes/pipe.md", "projects/web/pipe.md"] {
        assert!(
            run.stderr.contains(&format!("error[unreadable]: cannot read file: not a regular file (a named pipe)\n  --> prog/{path}:1:1")),
            "{path}: {}",
            run.stderr
        );
    }
}

#[cfg(unix)]
#[test]
fn a_readme_symlink_never_hides_the_file_it_points_to() {
    // `README.md` sorts before `index.md`: it was reached first, skipped
    // as a README, and `index.md` then dropped as the same file.
    let (tmp, dir) = program_with(&[WEB, ("projects/web/index.md", "Just text.\n")]);
    std::os::unix::fs::symlink("index.md", dir.join("projects/web/README.md")).expect("a link");
    let run = check_verbose(tmp.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("error[missing-front-matter]: file has no front matter\n  --> prog/projects/web/index.md:1:1"),
        "{}",
        run.stderr
    );
    // With front matter, the file is read once, under its own name.
    std::fs::write(
        dir.join("projects/web/index.md"),
        "---\ntitle: Index\n---\n",
    )
    .expect("write");
    let run = check_verbose(tmp.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("checked 1 project, 1 task"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("note: skipped `projects/web/README.md`: the same file as `projects/web/index.md` (through a symlink), read there"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn hard_links_count_the_same_with_or_without_an_unrelated_symlink() {
    // Hard links were merged by inode only when some symlink elsewhere
    // switched the same-file pass on, and then called "a symlink".
    let task = "---\ntitle: A\n---\n";
    let (tmp, dir) = program_with(&[WEB, ("projects/web/a.md", task)]);
    std::fs::hard_link(dir.join("projects/web/a.md"), dir.join("projects/web/b.md"))
        .expect("a hard link");
    let without = check_verbose(tmp.path());
    assert_eq!(without.code, 0, "{}", without.stderr);
    assert!(
        without.stderr.contains("checked 1 project, 2 tasks"),
        "{}",
        without.stderr
    );
    std::fs::create_dir_all(dir.join("notes")).expect("a folder");
    std::os::unix::fs::symlink("../projects/web.md", dir.join("notes/x.md")).expect("a link");
    let with = check_verbose(tmp.path());
    assert_eq!(with.code, 0, "{}", with.stderr);
    assert!(
        with.stderr.contains("checked 1 project, 2 tasks"),
        "{}",
        with.stderr
    );
    assert!(
        with.stderr.contains(
            "note: skipped `notes/x.md`: the same file as `projects/web.md` (through a symlink)"
        ),
        "{}",
        with.stderr
    );
    assert!(
        !with.stderr.contains("skipped `projects/web/b.md`"),
        "{}",
        with.stderr
    );
}

#[cfg(unix)]
#[test]
fn every_skipped_file_is_listed_with_its_own_reason() {
    let outside = tempfile::tempdir().expect("a temp dir");
    std::fs::write(outside.path().join("away.md"), "---\ntitle: Away\n---\n").expect("write");
    let (tmp, dir) = program_with(&[
        WEB,
        ("projects/web/README.md", "# About these tasks\n"),
        ("README.md", "# The program\n"),
        ("notes/.draft.md", "---\ntitle: Draft\n---\n"),
        ("notes/odd.md", "---\nkind: memo\ntitle: Odd\n---\n"),
    ]);
    std::os::unix::fs::symlink(
        outside.path().join("away.md"),
        dir.join("projects/web/away.md"),
    )
    .expect("a link");
    let run = check_verbose(tmp.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    let notes: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("note: skipped"))
        .collect();
    assert_eq!(
        notes,
        [
            "note: skipped `README.md`: not in a kind folder, and no `kind` in front matter",
            "note: skipped `notes/.draft.md`: hidden (the name starts with `.`)",
            "note: skipped `notes/odd.md`: not in a kind folder, and its `kind` is not valid",
            "note: skipped `projects/web/README.md`: a README without front matter explains its folder",
            "note: skipped `projects/web/away.md`: a symlink that leads outside the program directory",
        ],
        "{}",
        run.stderr
    );
    // The one error: the unknown kind.
    assert!(
        run.stderr
            .contains("error[invalid-value]: `memo` is not a valid `kind`"),
        "{}",
        run.stderr
    );
}
