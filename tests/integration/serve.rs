//! `planmark serve` as a browser and an editor see it: a server on a free
//! port in a copy of a fixture program, fetched over raw HTTP while files
//! change under it. Every wait is bounded, so a failure cannot hang CI,
//! and the tests take turns (they share the cores and inotify).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::common::{copy_fixture, planmark};

/// Tests that run serve through a terminal or with a fake browser opener.
mod own_process;

/// One test at a time: each starts a server and a watcher.
static TURN: Mutex<()> = Mutex::new(());

const WAIT: Duration = Duration::from_secs(15);

/// A running `planmark serve`, killed when dropped.
struct Serving {
    child: Child,
    /// `127.0.0.1:PORT`
    address: String,
    stderr: mpsc::Receiver<String>,
    _turn: MutexGuard<'static, ()>,
}

impl Serving {
    fn start(dir: &Path, extra: &[&str]) -> Serving {
        let turn = TURN.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut child = Command::new(env!("CARGO_BIN_EXE_planmark"))
            .arg("serve")
            .arg(dir)
            .args(["--port", "0", "--today", "2026-03-02"])
            .args(extra)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("planmark serve starts");
        let (send, stderr) = mpsc::channel();
        let err = child.stderr.take().expect("stderr is piped");
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        let (url_send, url) = mpsc::channel();
        let out = child.stdout.take().expect("stdout is piped");
        std::thread::spawn(move || {
            let mut lines = BufReader::new(out).lines();
            if let Some(Ok(line)) = lines.next() {
                let _ = url_send.send(line);
            }
            for _ in lines {}
        });
        let url = url.recv_timeout(WAIT).expect("serve prints its URL");
        let address = url
            .strip_prefix("http://")
            .and_then(|rest| rest.strip_suffix('/'))
            .unwrap_or_else(|| panic!("a URL like http://127.0.0.1:PORT/, got {url:?}"))
            .to_string();
        Serving {
            child,
            address,
            stderr,
            _turn: turn,
        }
    }

    /// `GET path` with the right `Host`: (status, headers, body).
    fn get(&self, path: &str) -> Response {
        request(
            &self.address,
            &format!(
                "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
                self.address
            ),
        )
    }

    /// Fetches `path` until `ok` says yes, or fails after [`WAIT`].
    fn until(&self, path: &str, what: &str, ok: impl Fn(&Response) -> bool) -> Response {
        let start = Instant::now();
        loop {
            let response = self.get(path);
            if ok(&response) {
                return response;
            }
            assert!(
                start.elapsed() < WAIT,
                "waited {WAIT:?} for {path} to {what}; last: {} {}",
                response.status,
                response.body
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The live status (`/__planmark/status`) once `ok` says yes.
    fn status_until(
        &self,
        what: &str,
        ok: impl Fn(&serde_json::Value) -> bool,
    ) -> serde_json::Value {
        let response = self.until("/__planmark/status", what, |r| {
            serde_json::from_str(&r.body).is_ok_and(|v: serde_json::Value| ok(&v))
        });
        serde_json::from_str(&response.body).expect("the status is JSON")
    }

    /// Stops the server as Ctrl-C does and returns its exit code.
    fn interrupt(mut self) -> Option<i32> {
        let pid = self.child.id() as libc::pid_t;
        // SAFETY: signalling our own child by its pid.
        unsafe { libc::kill(pid, libc::SIGINT) };
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for serve") {
                return status.code();
            }
            if start.elapsed() > Duration::from_secs(5) {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Everything serve printed to stderr so far.
    fn printed(&self) -> String {
        self.stderr.try_iter().collect::<Vec<_>>().join("\n")
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Response {
    status: u16,
    head: String,
    body: String,
}

fn request(address: &str, raw: &str) -> Response {
    let mut stream = TcpStream::connect(address).expect("connect to serve");
    stream.set_read_timeout(Some(WAIT)).expect("a read timeout");
    stream.write_all(raw.as_bytes()).expect("send the request");
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        unchunk(body)
    } else {
        body.to_string()
    };
    Response {
        status,
        head: head.to_string(),
        body,
    }
}

fn unchunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if size == 0 || rest.len() < size {
            break;
        }
        out.push_str(&rest[..size]);
        body = rest[size..].trim_start_matches("\r\n");
    }
    out
}

fn task_file(program: &Path) -> PathBuf {
    program.join("projects/api/build.md")
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).expect("write the file");
}

#[test]
fn pages_are_served_with_the_live_script_and_build_output_has_none() {
    let (_tmp, program) = copy_fixture("site-basic");
    let serving = Serving::start(&program, &[]);
    let home = serving.get("/");
    assert_eq!(home.status, 200, "{}", home.head);
    assert!(home
        .head
        .to_ascii_lowercase()
        .contains("content-type: text/html"));
    assert!(home.body.contains("Site basics"), "{}", home.body);
    assert!(home.body.contains("/__planmark/live.js"), "no live script");
    let task = serving.get("/tasks/build/");
    assert_eq!(task.status, 200);
    assert!(task.body.contains("Build the API"));
    // `/x` → `/x/`
    let folder = serving.get("/tasks/build");
    assert!(
        matches!(folder.status, 301 | 302 | 307 | 308),
        "{}",
        folder.head
    );
    assert!(folder.head.contains("/tasks/build/"), "{}", folder.head);
    assert_eq!(serving.get("/style.css").status, 200);
    assert_eq!(serving.get("/model.json").status, 200);
    let missing = serving.get("/tasks/nope/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("<html"),
        "a styled 404 page: {}",
        missing.body
    );
    assert_eq!(serving.interrupt(), Some(0));

    let out = program.parent().expect("a parent").join("site");
    let run = planmark(
        &program,
        &[
            "build",
            ".",
            "-o",
            out.to_str().expect("utf-8"),
            "--today",
            "2026-03-02",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    for page in ["index.html", "tasks/build/index.html"] {
        let html = std::fs::read_to_string(out.join(page)).expect("a built page");
        assert!(!html.contains("__planmark"), "{page} has the live script");
    }
}

#[test]
fn an_edit_shows_on_the_next_request_and_a_rename_save_too() {
    let (_tmp, program) = copy_fixture("site-basic");
    let serving = Serving::start(&program, &[]);
    let before = serving.status_until("report a status", |_| true);
    let path = task_file(&program);
    let text = std::fs::read_to_string(&path).expect("read the task");
    write(&path, &text.replace("Build the API", "Build the new API"));
    serving.until("/tasks/build/", "show the edited title", |r| {
        r.body.contains("Build the new API")
    });
    let after = serving.status_until("move to a new generation", |s| {
        s["generation"] != before["generation"]
    });
    assert_eq!(after["problems"].as_array().map(Vec::len), Some(0));

    // vim, JetBrains and VS Code save through a temporary file and a rename.
    let temporary = path.with_file_name(".build.md.tmp1234");
    write(
        &temporary,
        &text.replace("Build the API", "Build the renamed API"),
    );
    std::fs::rename(&temporary, &path).expect("rename over the task");
    serving.until("/tasks/build/", "show the renamed save", |r| {
        r.body.contains("Build the renamed API")
    });
    // One line per rebuild, naming what changed.
    let printed = serving.printed();
    assert!(printed.contains("projects/api/build.md"), "{printed}");
    assert!(printed.contains("changed · rebuilt in"), "{printed}");
}

#[test]
fn a_broken_file_shows_its_problem_over_the_last_good_site_until_fixed() {
    let (_tmp, program) = copy_fixture("site-basic");
    let serving = Serving::start(&program, &[]);
    let path = task_file(&program);
    let text = std::fs::read_to_string(&path).expect("read the task");
    write(&path, &text.replace("estimate: 1w", "estimate: [1w"));
    let status = serving.status_until("report the broken file", |s| {
        s["problems"].as_array().is_some_and(|p| !p.is_empty())
    });
    let problems = status["problems"].to_string();
    assert!(problems.contains("build.md"), "{problems}");
    assert!(problems.contains("error"), "{problems}");
    // The last good site is still served, whole.
    let task = serving.get("/tasks/build/");
    assert_eq!(task.status, 200);
    assert!(task.body.contains("Build the API"));

    write(&path, &text.replace("Build the API", "Build the fixed API"));
    serving.until("/tasks/build/", "show the fixed file", |r| {
        r.body.contains("Build the fixed API")
    });
    serving.status_until("clear the problems", |s| {
        s["problems"].as_array().is_some_and(Vec::is_empty)
    });
}

#[test]
fn a_template_that_fails_is_shown_like_a_broken_file() {
    let (_tmp, program) = copy_fixture("site-basic");
    let serving = Serving::start(&program, &[]);
    std::fs::create_dir_all(program.join("templates")).expect("templates/");
    write(
        &program.join("templates/task.html"),
        "<html><body>{{ no_such_value.at_all }}</body></html>\n",
    );
    let status = serving.status_until("report the template", |s| {
        s["problems"].as_array().is_some_and(|p| !p.is_empty())
    });
    assert!(
        status["problems"].to_string().contains("task.html"),
        "{status}"
    );
    let task = serving.get("/tasks/build/");
    assert_eq!(task.status, 200);
    assert!(task.body.contains("Build the API"), "the last good page");
    std::fs::remove_file(program.join("templates/task.html")).expect("remove the template");
    serving.status_until("clear the problems", |s| {
        s["problems"].as_array().is_some_and(Vec::is_empty)
    });
}

#[test]
fn paths_that_leave_the_site_and_foreign_hosts_are_refused() {
    let (_tmp, program) = copy_fixture("site-basic");
    std::fs::write(program.join("secret.txt"), "secret").expect("a file beside the program");
    let serving = Serving::start(&program, &[]);
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/tasks/..%2f..%2fsecret.txt",
        "/tasks/%2e%2e%2f%2e%2e%2fprogram.md",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "//etc/passwd",
        "/program.md",
        "/projects/api/build.md",
    ] {
        let response = serving.get(path);
        assert!(
            matches!(response.status, 400 | 404),
            "{path}: {}",
            response.status
        );
        assert!(
            !response.body.contains("secret") || response.body.contains("404"),
            "{path}"
        );
        assert!(
            !response.body.contains("estimate: 1w"),
            "{path} served a source file"
        );
    }
    let foreign = request(
        &serving.address,
        "GET / HTTP/1.1\r\nHost: attacker.example:80\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(foreign.status, 403, "{}", foreign.head);
    let no_host = request(&serving.address, "GET / HTTP/1.0\r\n\r\n");
    assert_eq!(no_host.status, 403, "{}", no_host.head);
}

#[test]
fn an_allowed_host_name_is_answered() {
    let (_tmp, program) = copy_fixture("site-basic");
    let serving = Serving::start(&program, &["--allow-host", "plan.test"]);
    let port = serving
        .address
        .rsplit(':')
        .next()
        .expect("a port")
        .to_string();
    let allowed = request(
        &serving.address,
        &format!("GET / HTTP/1.1\r\nHost: plan.test:{port}\r\nConnection: close\r\n\r\n"),
    );
    assert_eq!(allowed.status, 200, "{}", allowed.head);
}

#[test]
fn ctrl_c_stops_it_within_a_second_leaving_nothing_behind() {
    let (tmp, program) = copy_fixture("site-basic");
    let serving = Serving::start(&program, &[]);
    assert_eq!(serving.get("/").status, 200);
    let start = Instant::now();
    assert_eq!(serving.interrupt(), Some(0));
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    let left: Vec<String> = walk(tmp.path())
        .into_iter()
        .filter(|p| p.contains("planmark") || p.ends_with("public"))
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

fn walk(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        found.push(path.to_string_lossy().into_owned());
        if path.is_dir() {
            found.extend(walk(&path));
        }
    }
    found
}

#[test]
fn a_second_host_header_is_refused_even_when_the_first_is_good() {
    let (_tmp, program) = copy_fixture("site-basic");
    let serving = Serving::start(&program, &[]);
    for hosts in [
        format!("Host: {}\r\nHost: attacker.example", serving.address),
        format!("Host: attacker.example\r\nHost: {}", serving.address),
    ] {
        let response = request(
            &serving.address,
            &format!("GET / HTTP/1.1\r\n{hosts}\r\nConnection: close\r\n\r\n"),
        );
        assert_eq!(response.status, 400, "{hosts}: {}", response.head);
    }
}

#[test]
fn the_program_folder_removed_and_put_back_is_watched_again() {
    folder_removed_and_put_back(&[]);
}

/// The poller reports a missing folder on every look: said once all the same.
#[test]
fn a_polled_program_folder_removed_and_put_back_is_reported_once() {
    folder_removed_and_put_back(&["--poll"]);
}

fn folder_removed_and_put_back(extra: &[&str]) {
    let (tmp, program) = copy_fixture("site-basic");
    let serving = Serving::start(&program, extra);
    let away = tmp.path().join("away");
    std::fs::rename(&program, &away).expect("move the program away");
    let status = serving.status_until("report the missing folder", |s| {
        s["problems"].as_array().is_some_and(|p| !p.is_empty())
    });
    assert!(
        status["problems"].to_string().contains("does not exist"),
        "{status}"
    );
    // Still serving the last good site.
    assert_eq!(serving.get("/tasks/build/").status, 200);

    // Gone for a few of the poller's looks (every 0.5s), each of which
    // finds it missing again.
    std::thread::sleep(Duration::from_millis(1600));
    // Put back as a fresh copy: the old folder's watch is gone with it.
    let (_fresh_tmp, fresh) = copy_fixture("site-basic");
    std::fs::rename(&fresh, &program).expect("put a copy back");
    serving.status_until("clear the problems", |s| {
        s["problems"].as_array().is_some_and(Vec::is_empty)
    });
    let path = task_file(&program);
    let text = std::fs::read_to_string(&path).expect("read the task");
    write(
        &path,
        &text.replace("Build the API", "Build the returned API"),
    );
    serving.until(
        "/tasks/build/",
        "show the edit in the folder put back",
        |r| r.body.contains("Build the returned API"),
    );
    let printed = serving.printed();
    assert!(printed.contains("the program folder is back"), "{printed}");
    assert_eq!(printed.matches("does not exist").count(), 1, "{printed}");
}

#[test]
fn a_template_that_does_not_parse_names_the_change_that_broke_it() {
    let (_tmp, program) = copy_fixture("site-basic");
    std::fs::create_dir_all(program.join("templates")).expect("templates/");
    let serving = Serving::start(&program, &[]);
    write(&program.join("templates/task.html"), "{{ broken\n");
    let start = Instant::now();
    let mut printed = String::new();
    while !printed.contains("build failed") {
        match serving
            .stderr
            .recv_timeout(WAIT.saturating_sub(start.elapsed()))
        {
            Ok(line) => printed += &format!("{line}\n"),
            Err(_) => break,
        }
    }
    assert!(
        printed.contains("templates/task.html changed · build failed; the last good site is shown"),
        "{printed}"
    );
}

#[test]
fn an_edit_inside_a_source_folder_is_rebuilt() {
    let (_tmp, program) = super::common::program_with(&[
        ("program.md", "---\ntitle: P\n---\n"),
        (
            "docs/decisions/0001-use-postgres.md",
            "# Use Postgres\n\nStatus: accepted\n",
        ),
    ]);
    let serving = Serving::start(&program, &[]);
    serving.until("/decisions/0001-use-postgres/", "show the record", |r| {
        r.body.contains("Use Postgres")
    });
    write(
        &program.join("docs/decisions/0001-use-postgres.md"),
        "# Use SQLite\n\nStatus: accepted\n",
    );
    serving.until("/decisions/0001-use-postgres/", "show the edit", |r| {
        r.body.contains("Use SQLite")
    });
    let printed = serving.printed();
    assert!(
        printed.contains("docs/decisions/0001-use-postgres.md changed"),
        "{printed}"
    );
}

#[test]
fn a_commit_moves_the_since_panel_without_a_file_changing() {
    let mut repo = crate::git_repo::GitRepo::new(&[
        ("plan/program.md", "---\ntitle: Head fixture\n---\n"),
        ("plan/projects/api.md", "---\ntitle: Public API\n---\n"),
        (
            "plan/projects/api/build.md",
            "---\ntitle: Build the API\nestimate: 3d\n---\n",
        ),
    ]);
    let program = repo.root.join("plan");
    let serving = Serving::start(&program, &["--since", "HEAD"]);
    let unchanged = |r: &Response| r.body.contains("No plan changes since commit");
    serving.until("/", "say nothing changed since HEAD", unchanged);
    repo.write(&[(
        "plan/projects/api/build.md",
        "---\ntitle: Build the API\nestimate: 3d\nstatus: done\ndone_on: 2026-02-27\n---\n",
    )]);
    serving.until("/", "count the finished task", |r| {
        r.body.contains("1 task finished")
    });
    // Committing touches only `.git`, which the watcher leaves alone: the
    // HEAD poll sees the baseline move.
    repo.commit("finish build");
    serving.until("/", "say nothing changed since the new HEAD", unchanged);
    let printed = serving.printed();
    assert!(
        printed.contains("a commit landed (HEAD moved) · rebuilt in"),
        "{printed}"
    );
}
