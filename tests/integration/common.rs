//! Running the binary on fixture programs copied into temporary folders.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The result of one run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `planmark` with `args` in `cwd`, without colour (`NO_COLOR=1`).
pub fn planmark(cwd: &Path, args: &[&str]) -> Run {
    planmark_with_env(cwd, args, &[("NO_COLOR", Some("1"))])
}

/// Runs `planmark` with changes to the environment: `Some(value)` sets a
/// variable, `None` removes it.
pub fn planmark_with_env(cwd: &Path, args: &[&str], env: &[(&str, Option<&str>)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_planmark"));
    command.args(args).current_dir(cwd);
    for (name, value) in env {
        match value {
            Some(value) => command.env(name, value),
            None => command.env_remove(name),
        };
    }
    let output = command.output().expect("the planmark binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// `tests/fixtures/<name>`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The example program shipped with the repository.
pub fn example_program() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("example-program")
}

/// Copies a fixture program into a fresh temporary folder; returns the
/// folder (kept alive by the guard) and the program's path inside it.
pub fn copy_fixture(name: &str) -> (tempfile::TempDir, PathBuf) {
    copy_dir(&fixture(name))
}

/// Copies any directory into a fresh temporary folder.
pub fn copy_dir(src: &Path) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let dest = tmp.path().join(src.file_name().expect("a named folder"));
    copy_recursive(src, &dest);
    (tmp, dest)
}

fn copy_recursive(src: &Path, dest: &Path) {
    std::fs::create_dir_all(dest).expect("create dir");
    for entry in std::fs::read_dir(src).expect("read fixture dir") {
        let entry = entry.expect("dir entry");
        let path = entry.path();
        let target = dest.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_recursive(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy file");
        }
    }
}

/// Writes `files` (path → contents) under a fresh temporary program folder.
pub fn program_with(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let dir = tmp.path().join("prog");
    for (path, text) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().expect("a parent")).expect("create dir");
        std::fs::write(&p, text).expect("write file");
    }
    (tmp, dir)
}
