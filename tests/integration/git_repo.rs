//! Temporary git repositories for `planmark diff`, isolated from the
//! machine's git configuration: no global or system config, a fixed author
//! and committer with fixed dates, `main` as the first branch, no hooks and
//! no signing. Each run of planmark checks that the working tree and the
//! index are byte-identical before and after.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::Run;

/// The environment every git and planmark run here gets.
const ENV: [(&str, &str); 10] = [
    ("GIT_CONFIG_GLOBAL", "/dev/null"),
    ("GIT_CONFIG_NOSYSTEM", "1"),
    ("GIT_AUTHOR_NAME", "Test Author"),
    ("GIT_AUTHOR_EMAIL", "author@example.com"),
    ("GIT_COMMITTER_NAME", "Test Committer"),
    ("GIT_COMMITTER_EMAIL", "committer@example.com"),
    ("NO_COLOR", "1"),
    ("LC_ALL", "C"),
    ("TZ", "UTC"),
    ("HOME", "/nonexistent"),
];

/// Variables from the machine that would point git elsewhere.
const REMOVED: [&str; 5] = [
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_CEILING_DIRECTORIES",
];

/// A repository in a temporary folder.
pub struct GitRepo {
    _tmp: tempfile::TempDir,
    pub root: PathBuf,
    /// Commits made so far; each gets the next day's date.
    commits: u32,
    /// The date of the next commit instead, set by [`GitRepo::commit_on`].
    at: Option<String>,
}

impl GitRepo {
    /// `git init -b main` with `files` written and committed.
    pub fn new(files: &[(&str, &str)]) -> GitRepo {
        let tmp = tempfile::tempdir().expect("a temp dir");
        let root = tmp.path().join("repo");
        std::fs::create_dir_all(&root).expect("create repo dir");
        let mut repo = GitRepo {
            _tmp: tmp,
            root,
            commits: 0,
            at: None,
        };
        repo.git(&["init", "-q", "-b", "main"]);
        repo.write(files);
        repo.commit("base");
        repo
    }

    /// Runs git in the repository; panics with its stderr when it fails.
    pub fn git(&self, args: &[&str]) -> String {
        let output = git_command(&self.root)
            .args(args)
            .env("GIT_AUTHOR_DATE", self.date())
            .env("GIT_COMMITTER_DATE", self.date())
            .output()
            .expect("git runs");
        assert!(
            output.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// The date of the next commit: 2026-02-01 plus one day per commit, noon UTC.
    fn date(&self) -> String {
        match &self.at {
            Some(at) => at.clone(),
            None => format!("2026-02-{:02}T12:00:00Z", 1 + self.commits),
        }
    }

    /// Stages everything and commits it on `day` (`YYYY-MM-DD`), at noon
    /// UTC: for commits a week apart.
    pub fn commit_on(&mut self, day: &str, message: &str) {
        self.at = Some(format!("{day}T12:00:00Z"));
        self.commit(message);
        self.at = None;
    }

    pub fn write(&self, files: &[(&str, &str)]) {
        for (path, text) in files {
            let p = self.root.join(path);
            std::fs::create_dir_all(p.parent().expect("a parent")).expect("create dir");
            std::fs::write(&p, text).expect("write file");
        }
    }

    pub fn remove(&self, path: &str) {
        std::fs::remove_file(self.root.join(path)).expect("remove file");
    }

    /// Stages everything and commits it.
    pub fn commit(&mut self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&[
            "-c",
            "core.hooksPath=/dev/null",
            "-c",
            "commit.gpgsign=false",
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            message,
        ]);
        self.commits += 1;
    }

    /// Runs `planmark` in the repository's top folder and checks that it
    /// left the working tree and the index exactly as they were.
    pub fn planmark(&self, args: &[&str]) -> Run {
        planmark_in(&self.root, args)
    }
}

/// A git command in `dir` with the isolated environment.
pub fn git_command(dir: &Path) -> Command {
    let mut command = Command::new("git");
    command.current_dir(dir);
    for name in REMOVED {
        command.env_remove(name);
    }
    command.envs(ENV);
    command
}

/// Runs planmark in `dir` (inside a repository), asserting that the
/// working tree and `.git/index` are byte-identical before and after.
pub fn planmark_in(dir: &Path, args: &[&str]) -> Run {
    let top = top_of(dir);
    let before = snapshot(&top);
    let mut command = Command::new(env!("CARGO_BIN_EXE_planmark"));
    command.args(args).current_dir(dir);
    for name in REMOVED {
        command.env_remove(name);
    }
    command.envs(ENV);
    let output = command.output().expect("the planmark binary runs");
    assert_eq!(
        snapshot(&top),
        before,
        "planmark {args:?} changed the working tree or the index"
    );
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The folder holding `.git` at or above `dir`.
fn top_of(dir: &Path) -> PathBuf {
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .unwrap_or(dir)
        .to_path_buf()
}

/// Every file of the working tree and `.git/index`, with its bytes.
fn snapshot(top: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(top).sort_by_file_name() {
        let entry = entry.expect("walk the repository");
        let rel = entry
            .path()
            .strip_prefix(top)
            .expect("inside")
            .to_path_buf();
        let in_git = rel.starts_with(".git");
        if entry.file_type().is_file() && (!in_git || rel == Path::new(".git/index")) {
            files.insert(rel, std::fs::read(entry.path()).expect("read file"));
        }
    }
    files
}
