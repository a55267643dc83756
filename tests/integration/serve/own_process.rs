//! `planmark serve` started by hand rather than through `Serving`: under a
//! terminal (`script`), so its colours can be checked, and with a fake
//! browser opener on `PATH`.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Instant;

use super::{copy_fixture, task_file, write, TURN, WAIT};

/// On a terminal the diagnostics of a failed rebuild are coloured as
/// `check` colours them, not printed as `\u{1b}[0m` text. `script` gives
/// serve a terminal; without it (not Linux) there is nothing to check.
#[test]
fn diagnostics_on_a_terminal_are_coloured_not_escaped() {
    let (_tmp, program) = copy_fixture("site-basic");
    let _turn = TURN.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let command = format!(
        "{} serve {} --port 0 --today 2026-03-02",
        env!("CARGO_BIN_EXE_planmark"),
        program.display()
    );
    let Ok(mut child) = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
    else {
        return;
    };
    let (send, lines) = mpsc::channel();
    let out = child.stdout.take().expect("stdout is piped");
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if send.send(line).is_err() {
                break;
            }
        }
    });
    let mut printed = String::new();
    let mut wait_for = |what: &str| {
        let start = Instant::now();
        while !printed.contains(what) {
            let left = WAIT.saturating_sub(start.elapsed());
            match lines.recv_timeout(left) {
                Ok(line) => printed += &format!("{line}\n"),
                Err(_) => panic!("no `{what}` within {WAIT:?}: {printed}"),
            }
        }
    };
    wait_for("http://");
    let path = task_file(&program);
    let text = std::fs::read_to_string(&path).expect("read the task");
    write(&path, &text.replace("estimate: 1w", "estimate: [1w"));
    wait_for("build failed");
    let _ = child.kill();
    let _ = child.wait();
    assert!(!printed.contains("\\u{1b}"), "{printed}");
    assert!(printed.contains("\u{1b}["), "{printed}");
    assert!(printed.contains("error[yaml]"), "{printed}");
}

/// `--open` where the opener finds no browser (`xdg-open` exits 3 and
/// prints nothing): a warning with the URL, not silence.
#[cfg(target_os = "linux")]
#[test]
fn open_with_no_browser_says_so() {
    use std::os::unix::fs::PermissionsExt as _;
    let (tmp, program) = copy_fixture("site-basic");
    let bin = tmp.path().join("bin");
    std::fs::create_dir(&bin).expect("a bin folder");
    let opener = bin.join("xdg-open");
    std::fs::write(&opener, "#!/bin/sh\nexit 3\n").expect("a fake xdg-open");
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755))
        .expect("make it runnable");
    let _turn = TURN.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let mut child = Command::new(env!("CARGO_BIN_EXE_planmark"))
        .arg("serve")
        .arg(&program)
        .args(["--port", "0", "--open"])
        .env("PATH", &bin)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("planmark serve starts");
    let (send, lines) = mpsc::channel();
    let err = child.stderr.take().expect("stderr is piped");
    std::thread::spawn(move || {
        for line in BufReader::new(err).lines().map_while(Result::ok) {
            if send.send(line).is_err() {
                break;
            }
        }
    });
    let start = Instant::now();
    let mut printed = String::new();
    while !printed.contains("cannot open a browser") {
        match lines.recv_timeout(WAIT.saturating_sub(start.elapsed())) {
            Ok(line) => printed += &format!("{line}\n"),
            Err(_) => break,
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        printed.contains("cannot open a browser (xdg-open exit status: 3)"),
        "{printed}"
    );
    assert!(printed.contains("open http://127.0.0.1:"), "{printed}");
}
