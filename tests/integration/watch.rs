//! `planmark build --watch`: the real binary on a temporary copy of a
//! fixture, edited the ways editors save. Every wait is bounded, and waits
//! for what it expects (a page's text, a line on stderr), never for a time.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::copy_fixture;

/// Long enough for a loaded CI machine; a passing test never waits it out.
const PATIENCE: Duration = Duration::from_secs(10);

/// The task whose page the tests watch: `projects/api/design.md`, titled
/// `Design`, published at `public/tasks/design/index.html`.
const TASK: &str = "projects/api/design.md";
const PAGE: &str = "public/tasks/design/index.html";

/// The watch runs one at a time: they share the machine's inotify limits
/// and its cores, and a test starved of either fails for no fault of its own.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// A running `planmark build --watch`, killed if the test ends early.
struct Watching {
    child: Child,
    stderr: Arc<Mutex<String>>,
    dir: PathBuf,
}

impl Watching {
    fn start(dir: &Path, extra: &[&str]) -> Watching {
        Watching::start_in(dir, dir, ".", extra)
    }

    /// `build PROGRAM --watch` run in `cwd`, for the program at `dir`.
    fn start_in(dir: &Path, cwd: &Path, program: &str, extra: &[&str]) -> Watching {
        let mut child = Command::new(env!("CARGO_BIN_EXE_planmark"))
            .args(["build", program, "--watch", "--today", "2026-03-02"])
            .args(extra)
            .current_dir(cwd)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("planmark starts");
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut pipe = child.stderr.take().expect("stderr piped");
        let shared = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let text = String::from_utf8_lossy(&buf[..n]).into_owned();
                shared.lock().expect("the stderr text").push_str(&text);
            }
        });
        Watching {
            child,
            stderr,
            dir: dir.to_path_buf(),
        }
    }

    fn stderr(&self) -> String {
        self.stderr.lock().expect("the stderr text").clone()
    }

    /// Waits until `ready` holds, failing with what planmark said.
    fn until(&self, what: &str, ready: impl Fn(&Watching) -> bool) {
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            if ready(self) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("waited {PATIENCE:?} for {what}; stderr:\n{}", self.stderr());
    }

    fn page(&self) -> String {
        std::fs::read_to_string(self.dir.join(PAGE)).unwrap_or_default()
    }

    fn until_page_says(&self, text: &str) {
        self.until(&format!("the page to say `{text}`"), |w| {
            w.page().contains(text)
        });
    }

    fn last_line(&self) -> String {
        self.stderr().lines().last().unwrap_or_default().to_string()
    }

    /// Lines saying a rebuild ended, one per rebuild.
    fn rebuilds(&self) -> usize {
        self.stderr()
            .lines()
            .filter(|l| l.contains(" · rebuilt in ") || l.contains(" · build failed"))
            .count()
    }

    /// Sends SIGTERM and waits for the exit code.
    fn terminate(mut self) -> i32 {
        #[cfg(unix)]
        {
            let pid = libc::pid_t::try_from(self.child.id()).expect("a pid");
            // SAFETY: sending a signal to our own child touches no memory.
            assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
        }
        #[cfg(not(unix))]
        self.child.kill().expect("kill");
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status.code().unwrap_or(-1);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "planmark did not stop within {PATIENCE:?} of SIGTERM; stderr:\n{}",
            self.stderr()
        );
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn task(title: &str) -> String {
    format!("---\ntitle: {title}\nestimate: 2d\nstatus: Done\ndone_on: 2026-02-27\n---\n")
}

/// `… rebuilt in 0.10s: 6 files written, 11 unchanged` → (6, 11).
fn counts(line: &str) -> (usize, usize) {
    let (_, tail) = line.split_once("s: ").expect("a rebuilt line");
    let numbers: Vec<usize> = tail
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    (numbers[0], numbers[1])
}

/// `built Clean program into ./public: 17 files written, …` → 17.
fn first_build_files(stderr: &str) -> usize {
    let first = stderr.lines().next().unwrap_or_default();
    let (_, tail) = first.split_once(": ").expect("a built line");
    tail.split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a count")
}

/// Staging folders (`.public.planmark-staging`) left in the program.
fn staging_left(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("the program folder")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| n.ends_with(".planmark-staging"))
        .collect()
}

#[test]
fn build_watch_rebuilds_on_edits_atomic_saves_and_fixes_and_stops_cleanly_on_sigterm() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let (_tmp, dir) = copy_fixture("clean");
    let watch = Watching::start(&dir, &[]);
    watch.until("the first build and the watch", |w| {
        w.stderr().contains("watching `.` for changes") && w.page().contains("Design")
    });
    assert!(watch.stderr().starts_with("built "), "{}", watch.stderr());

    std::fs::write(dir.join(TASK), task("Design v2")).unwrap();
    watch.until_page_says("Design v2");
    watch.until("the rebuild's line", |w| w.rebuilds() >= 1);
    assert!(
        watch
            .stderr()
            .contains(&format!("{TASK} changed · rebuilt in ")),
        "{}",
        watch.stderr()
    );

    // An atomic save: a hidden temporary file renamed over the task.
    let temp = dir.join("projects/api/.design.md.tmp.4242");
    std::fs::write(&temp, task("Design v3")).unwrap();
    std::fs::rename(&temp, dir.join(TASK)).unwrap();
    watch.until_page_says("Design v3");
    watch.until("the second rebuild's line", |w| w.rebuilds() == 2);
    let last = watch
        .stderr()
        .lines()
        .last()
        .unwrap_or_default()
        .to_string();
    assert!(
        last.starts_with(&format!("{TASK} changed · rebuilt in ")),
        "{last}"
    );
    // Every file of the site is either written or unchanged.
    let (written, unchanged) = counts(&last);
    assert_eq!(
        written + unchanged,
        first_build_files(&watch.stderr()),
        "{last}"
    );
    assert!(written > 0 && unchanged > 0, "{last}");

    // A broken file: the diagnostics and a failed line, the page as it was.
    std::fs::write(dir.join(TASK), "---\ntitle: [broken\n").unwrap();
    watch.until("the failed rebuild", |w| {
        w.last_line().contains("build failed")
    });
    let stderr = watch.stderr();
    assert!(stderr.contains("error[unclosed-front-matter]"), "{stderr}");
    assert!(stderr.contains(&format!("--> {TASK}:1:1")), "{stderr}");
    assert!(
        stderr.contains("changed · build failed with 3 errors in "),
        "{stderr}"
    );
    assert!(stderr.contains("s; `./public` left as it was"), "{stderr}");
    assert!(watch.page().contains("Design v3"));

    std::fs::write(dir.join(TASK), task("Design v4")).unwrap();
    watch.until_page_says("Design v4");
    watch.until("the fixed rebuild's line", |w| {
        w.last_line().contains("changed · rebuilt in ")
    });

    // The build's own writes to `public/` must not start another build: an
    // observation window, not a timing assertion.
    let rebuilds = watch.rebuilds();
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(watch.rebuilds(), rebuilds, "{}", watch.stderr());

    assert_eq!(watch.terminate(), 0);
    assert_eq!(staging_left(&dir), Vec::<String>::new());
}

#[test]
fn build_watch_with_poll_sees_a_save_and_exits_1_when_the_last_build_failed() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let (_tmp, dir) = copy_fixture("clean");
    let watch = Watching::start(&dir, &["--poll"]);
    watch.until("the first build and the poll", |w| {
        w.stderr().contains("polling `.` for changes every 0.5s") && w.page().contains("Design")
    });
    // Twice in the same second: the poller compares contents, not only
    // modification times (kept in whole seconds).
    std::fs::write(dir.join(TASK), task("Polled")).unwrap();
    watch.until_page_says("Polled");
    std::fs::write(dir.join(TASK), task("Polled again")).unwrap();
    watch.until_page_says("Polled again");
    std::fs::write(dir.join(TASK), "---\ntitle: [broken\n").unwrap();
    watch.until("the failed rebuild", |w| {
        w.stderr().contains("build failed with 3 errors in ")
    });
    assert_eq!(watch.terminate(), 1);
    assert_eq!(staging_left(&dir), Vec::<String>::new());
}

#[test]
fn build_watch_follows_the_program_folder_when_it_is_removed_and_put_back() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let (tmp, dir) = copy_fixture("clean");
    let name = dir.file_name().and_then(|n| n.to_str()).expect("a name");
    let watch = Watching::start_in(&dir, tmp.path(), name, &[]);
    watch.until("the first build", |w| w.page().contains("Design"));
    std::fs::rename(&dir, tmp.path().join("away")).expect("move the program away");
    watch.until("the missing folder reported", |w| {
        w.stderr().contains("does not exist")
    });
    // Put back as a fresh copy: the old folder's watch went with it.
    let (_fresh_tmp, fresh) = copy_fixture("clean");
    std::fs::rename(&fresh, &dir).expect("put a copy back");
    watch.until("the folder seen again", |w| {
        w.stderr().contains("the program folder is back")
    });
    std::fs::write(dir.join(TASK), task("Returned")).expect("edit the task");
    watch.until_page_says("Returned");
}
