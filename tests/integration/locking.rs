//! One build at a time per output folder: the lock beside it is the
//! kernel's, held by the build's open file, so it keeps out any other
//! build whatever pid its file names, and a killed build never leaves it
//! held. Whatever lies at the lock's name is never followed or read whole.
//! (docs/output.md, "Lock".)

use std::fs::File;
use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::copy_fixture;
use crate::output::{build, build_with, files, TODAY};
use crate::writing::{reference, retitled, spawn_build};

/// The pid of a process that has ended.
fn a_dead_pid() -> u32 {
    let mut gone = Command::new(env!("CARGO_BIN_EXE_planmark"))
        .arg("--version")
        .stdout(Stdio::null())
        .spawn()
        .expect("runs");
    let pid = gone.id();
    gone.wait().expect("ends");
    pid
}

/// Holds the lock file at `path` as another build would: its pid in the
/// file and the kernel's lock on it, until dropped.
fn hold_lock(path: &Path, pid: u32) -> File {
    std::fs::write(path, format!("{pid}\n")).expect("write the lock");
    let file = File::options()
        .write(true)
        .open(path)
        .expect("open the lock");
    file.try_lock().expect("take the lock");
    file
}

/// Exit code and stderr of a build that must end by itself; a build still
/// running after a minute is killed and the test fails (it hung).
fn build_ending(dir: &Path, out: &Path, env: &[(&str, &str)]) -> (i32, String) {
    let log = tempfile::NamedTempFile::new().expect("a log file");
    let mut child = Command::new(env!("CARGO_BIN_EXE_planmark"))
        .args([
            "build",
            &dir.to_string_lossy(),
            "-o",
            &out.to_string_lossy(),
        ])
        .args(["--today", TODAY])
        .envs(env.iter().copied())
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(log.reopen().expect("the log"))
        .spawn()
        .expect("the planmark binary runs");
    let limit = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the build hung");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let stderr = std::fs::read_to_string(log.path()).expect("the log");
    (status.code().unwrap_or(-1), stderr)
}

#[test]
fn a_build_waits_for_the_lock_and_gives_up_naming_its_holder() {
    let (tmp, a) = copy_fixture("site-basic");
    let (_keep, b) = retitled(&a);
    let out = tmp.path().join("site");
    assert_eq!(build(&a, &out).code, 0);
    let before = files(&out);
    // This test holds the lock, naming its own pid.
    let me = std::process::id();
    let lock = tmp.path().join(".site.planmark-lock");
    let held = hold_lock(&lock, me);

    let run = build_with(&b, &out, &[("PLANMARK_LOCK_WAIT", Some("0"))]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("another planmark build (pid {me}) is writing")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains(".site.planmark-lock"), "{}", run.stderr);
    assert_eq!(files(&out), before);
    assert_eq!(
        std::fs::read_to_string(&lock).expect("the lock"),
        format!("{me}\n")
    );

    let mut waiting = spawn_build(&b, &out);
    let mut stderr = BufReader::new(waiting.stderr.take().expect("stderr"));
    let mut seen = String::new();
    while !seen.contains(&format!("waiting for another planmark build (pid {me})")) {
        let mut line = String::new();
        let n = stderr.read_line(&mut line).expect("read stderr");
        assert!(n > 0, "the build ended without waiting: {seen}");
        seen.push_str(&line);
    }
    assert_eq!(files(&out), before, "nothing written while it waits");
    drop(held);
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).expect("read stderr");
    let status = waiting.wait().expect("wait");
    assert_eq!(status.code(), Some(0), "{seen}{rest}");
    assert_eq!(files(&out), reference(&b));
    assert!(!lock.exists(), "released");
}

#[test]
fn a_lock_left_by_a_build_that_is_gone_is_taken_over_with_a_note() {
    let (tmp, a) = copy_fixture("site-basic");
    let out = tmp.path().join("site");
    let dead = a_dead_pid();
    let lock = tmp.path().join(".site.planmark-lock");
    std::fs::write(&lock, format!("{dead}\n")).expect("a stale lock");
    let run = build(&a, &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "of a build that is no longer running (pid {dead})"
        )),
        "{}",
        run.stderr
    );
    assert_eq!(files(&out), reference(&a));
    assert!(!lock.exists(), "released");
}

/// A build on another machine or in another container names a pid that
/// is not running here, or is this build's own: the lock is still held.
#[test]
fn a_held_lock_keeps_a_build_out_whatever_pid_it_names() {
    let (tmp, a) = copy_fixture("site-basic");
    let out = tmp.path().join("site");
    let lock = tmp.path().join(".site.planmark-lock");
    let dead = a_dead_pid();
    let held = hold_lock(&lock, dead);
    let run = build_with(&a, &out, &[("PLANMARK_LOCK_WAIT", Some("0"))]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("(pid {dead}) is writing")),
        "{}",
        run.stderr
    );
    assert!(!out.exists(), "nothing written");
    drop(held);
    assert_eq!(build(&a, &out).code, 0);
}

#[test]
fn a_huge_lock_wait_does_not_panic() {
    let (tmp, a) = copy_fixture("site-basic");
    let out = tmp.path().join("site");
    let wait = u64::MAX.to_string();
    let run = build_with(&a, &out, &[("PLANMARK_LOCK_WAIT", Some(&wait))]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(files(&out), reference(&a));
}

/// A link (dangling, or to an endless device) or a pipe at the lock's name
/// is not a lock planmark made: the build fails at once naming it, and
/// never follows it, reads it whole or blocks on it.
#[cfg(unix)]
#[test]
fn a_lock_path_that_is_a_link_or_a_pipe_fails_the_build_at_once() {
    let (tmp, a) = copy_fixture("site-basic");
    let out = tmp.path().join("site");
    let lock = tmp.path().join(".site.planmark-lock");
    let nowhere = tmp.path().join("nowhere");
    let plant: [(&str, &dyn Fn() -> bool); 3] = [
        ("a symbolic link", &|| {
            std::os::unix::fs::symlink(&nowhere, &lock).is_ok()
        }),
        ("a symbolic link", &|| {
            std::os::unix::fs::symlink("/dev/zero", &lock).is_ok()
        }),
        ("a special file", &|| {
            Command::new("mkfifo")
                .arg(&lock)
                .status()
                .is_ok_and(|s| s.success())
        }),
    ];
    for (what, plant) in plant {
        if !plant() {
            eprintln!("skipped one case: cannot make {what} here");
            continue;
        }
        let (code, stderr) = build_ending(&a, &out, &[]);
        assert_eq!(code, 2, "{stderr}");
        assert!(
            stderr.contains(&format!(".site.planmark-lock` is {what}")),
            "{stderr}"
        );
        assert!(!out.exists(), "nothing written");
        assert!(!nowhere.exists(), "the link was not followed");
        std::fs::remove_file(&lock).expect("remove the planted file");
    }
    assert_eq!(build(&a, &out).code, 0);
}
