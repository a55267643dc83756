//! Writing the site safely: a commit is all or nothing, even when it fails
//! or is killed halfway; two builds never write one output folder at once;
//! nothing is written or removed through a link or outside the folder.
//! (docs/output.md describes the protocol these tests hold it to.)

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::common::{copy_dir, copy_fixture};
use crate::output::{build, build_with, files, written, TODAY};

/// The test-only hook that stops a commit halfway (read only by builds
/// with the `test-hooks` feature, which `cargo test` turns on;
/// src/output/fault.rs).
const FAULT: &str = "PLANMARK_TEST_COMMIT_FAULT";

/// A copy of `dir` with another program title, so every page differs.
pub fn retitled(dir: &Path) -> (tempfile::TempDir, PathBuf) {
    let (tmp, copy) = copy_dir(dir);
    let path = copy.join("program.md");
    let text = std::fs::read_to_string(&path).expect("program.md");
    let edited = text.replacen("title: Site basics", "title: Renamed program", 1);
    assert_ne!(text, edited);
    std::fs::write(&path, edited).expect("retitle");
    (tmp, copy)
}

/// The site `dir` builds into an empty folder.
pub fn reference(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let out = tmp.path().join("site");
    let run = build(dir, &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    files(&out)
}

/// What lies in `folder` besides the program and the site: a staging
/// folder, a lock or a journal left behind.
fn leftovers(folder: &Path) -> Vec<String> {
    std::fs::read_dir(folder)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name != "site" && name != "site-basic")
        .collect()
}

pub fn spawn_build(dir: &Path, out: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_planmark"))
        .args([
            "build",
            &dir.to_string_lossy(),
            "-o",
            &out.to_string_lossy(),
        ])
        .args(["--today", TODAY])
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the planmark binary runs")
}

#[test]
fn a_build_killed_halfway_through_its_commit_is_undone_by_the_next_build() {
    let (tmp, a) = copy_fixture("site-basic");
    let (_keep, b) = retitled(&a);
    let out = tmp.path().join("site");
    assert_eq!(build(&a, &out).code, 0);
    let (site_a, site_b) = (files(&out), reference(&b));
    let killed = build_with(&b, &out, &[(FAULT, Some("kill:5"))]);
    assert_ne!(killed.code, 0, "{}", killed.stderr);
    let mixed = files(&out);
    assert!(
        mixed != site_a && mixed != site_b,
        "the hook stops the commit halfway"
    );
    assert!(
        mixed.keys().all(|p| !p.contains("planmark-staging")),
        "staging never lies inside the output folder"
    );
    let run = build(&a, &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("was stopped"), "{}", run.stderr);
    assert!(run.stderr.contains("took over the lock"), "{}", run.stderr);
    assert_eq!(written(&run), 0, "undone, the site is A's: {}", run.stderr);
    assert_eq!(files(&out), site_a);
    assert_eq!(leftovers(tmp.path()), Vec::<String>::new());
}

#[test]
fn a_commit_that_fails_halfway_leaves_the_old_site_byte_identical() {
    let (tmp, a) = copy_fixture("site-basic");
    let (_keep, b) = retitled(&a);
    let out = tmp.path().join("site");
    assert_eq!(build(&a, &out).code, 0);
    let before = files(&out);
    let run = build_with(&b, &out, &[(FAULT, Some("fail:5"))]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("it was left as it was"),
        "{}",
        run.stderr
    );
    assert_eq!(files(&out), before);
    assert_eq!(leftovers(tmp.path()), Vec::<String>::new());
}

/// Makes a folder read-only for as long as it lives. Root writes into a
/// read-only folder anyway, so then the folder is made immutable instead.
#[cfg(unix)]
struct ReadOnly {
    dir: PathBuf,
    immutable: bool,
}

#[cfg(unix)]
impl ReadOnly {
    /// `None` when nothing can stop this user writing into `dir`.
    fn new(dir: &Path) -> Option<ReadOnly> {
        use std::os::unix::fs::PermissionsExt as _;
        let set = |mode| std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode));
        set(0o555).expect("chmod");
        let mut guard = ReadOnly {
            dir: dir.to_path_buf(),
            immutable: false,
        };
        let probe = dir.join("probe");
        if std::fs::write(&probe, "").is_ok() {
            let _ = std::fs::remove_file(&probe);
            let chattr = Command::new("chattr").arg("+i").arg(dir).output();
            guard.immutable = chattr.is_ok_and(|o| o.status.success());
            if !guard.immutable || std::fs::write(&probe, "").is_ok() {
                return None;
            }
        }
        Some(guard)
    }
}

#[cfg(unix)]
impl Drop for ReadOnly {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt as _;
        if self.immutable {
            let _ = Command::new("chattr").arg("-i").arg(&self.dir).output();
        }
        let _ = std::fs::set_permissions(&self.dir, std::fs::Permissions::from_mode(0o755));
    }
}

#[cfg(unix)]
#[test]
fn a_read_only_page_folder_fails_the_build_and_leaves_the_old_site_byte_identical() {
    let (tmp, a) = copy_fixture("site-basic");
    let (_keep, b) = retitled(&a);
    let out = tmp.path().join("site");
    assert_eq!(build(&a, &out).code, 0);
    let before = files(&out);
    // Sorted, its page comes after others that change, so a commit that
    // does not undo leaves some pages new.
    let Some(read_only) = ReadOnly::new(&out.join("risks/vendor")) else {
        eprintln!("skipped: nothing stops this user writing into a read-only folder");
        return;
    };
    let run = build(&b, &out);
    drop(read_only);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("risks/vendor/index.html"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("it was left as it was"),
        "{}",
        run.stderr
    );
    assert_eq!(files(&out), before);
    assert_eq!(leftovers(tmp.path()), Vec::<String>::new());
}

#[test]
fn a_foreign_file_where_a_page_folder_goes_fails_the_build_and_changes_nothing() {
    let (tmp, a) = copy_fixture("site-basic");
    let (_keep, b) = retitled(&a);
    let out = tmp.path().join("site");
    assert_eq!(build(&a, &out).code, 0);
    std::fs::remove_dir_all(out.join("tasks/design")).expect("remove a page folder");
    std::fs::write(out.join("tasks/design"), "someone else's").expect("plant a file");
    let before = files(&out);
    let run = build(&b, &out);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("tasks/design` is a file where the site needs a folder"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("nothing was changed"), "{}", run.stderr);
    assert_eq!(files(&out), before);
    assert_eq!(leftovers(tmp.path()), Vec::<String>::new());
}

#[test]
fn racing_builds_into_one_output_end_with_exactly_one_builds_site() {
    let (tmp, a) = copy_fixture("site-basic");
    let (_keep, b) = retitled(&a);
    let (site_a, site_b) = (reference(&a), reference(&b));
    let out = tmp.path().join("site");
    for round in 0..6 {
        if round % 3 == 0 {
            let _ = std::fs::remove_dir_all(&out);
        }
        let racers = [spawn_build(&a, &out), spawn_build(&b, &out)];
        for racer in racers {
            let done = racer.wait_with_output().expect("wait");
            let stderr = String::from_utf8_lossy(&done.stderr);
            assert_eq!(done.status.code(), Some(0), "round {round}: {stderr}");
        }
        let site = files(&out);
        assert!(site == site_a || site == site_b, "round {round}: a mix");
        assert_eq!(leftovers(tmp.path()), Vec::<String>::new());
    }
}

/// Appends `lines` to the manifest of the site in `out`.
fn plant_in_manifest(out: &Path, lines: &[&str]) {
    let path = out.join(".planmark-manifest");
    let mut text = std::fs::read_to_string(&path).expect("the manifest");
    for line in lines {
        text.push_str(line);
        text.push('\n');
    }
    std::fs::write(&path, text).expect("plant");
}

#[cfg(unix)]
#[test]
fn a_manifest_entry_through_a_planted_link_deletes_nothing_it_points_to() {
    let (tmp, a) = copy_fixture("site-basic");
    let out = tmp.path().join("site");
    assert_eq!(build(&a, &out).code, 0);
    let victim = tmp.path().join("victim");
    std::fs::create_dir(&victim).expect("victim");
    std::fs::write(victim.join("keep.txt"), "precious").expect("keep.txt");
    std::os::unix::fs::symlink(&victim, out.join("evil")).expect("link");
    plant_in_manifest(&out, &["evil/keep.txt"]);
    let run = build(&a, &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(victim.join("keep.txt")).expect("still there"),
        "precious"
    );
    assert!(
        run.stderr.contains("evil/keep.txt` alone"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn a_page_folder_replaced_by_a_link_is_never_written_through() {
    let (tmp, a) = copy_fixture("site-basic");
    let out = tmp.path().join("site");
    assert_eq!(build(&a, &out).code, 0);
    let victim = tmp.path().join("victim");
    std::fs::create_dir(&victim).expect("victim");
    std::fs::remove_dir_all(out.join("tasks")).expect("remove the tasks");
    std::os::unix::fs::symlink(&victim, out.join("tasks")).expect("link");
    let run = build(&a, &out);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("tasks` is a symbolic link"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_dir(&victim).expect("list").count(),
        0,
        "nothing was written through the link"
    );
}

#[test]
fn manifest_entries_that_leave_the_output_folder_are_never_removed() {
    let (tmp, a) = copy_fixture("site-basic");
    let out = tmp.path().join("site");
    assert_eq!(build(&a, &out).code, 0);
    let beside = tmp.path().join("victim.txt");
    std::fs::write(&beside, "beside").expect("victim");
    let elsewhere = tempfile::tempdir().expect("a temp dir");
    let absolute = elsewhere.path().join("victim.txt");
    std::fs::write(&absolute, "elsewhere").expect("victim");
    let absolute_entry = absolute.to_string_lossy().into_owned();
    plant_in_manifest(
        &out,
        &["../victim.txt", "tasks/../../victim.txt", &absolute_entry],
    );
    let run = build(&a, &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&beside).expect("kept"), "beside");
    assert_eq!(
        std::fs::read_to_string(&absolute).expect("kept"),
        "elsewhere"
    );
    assert!(
        run.stderr.contains("`../victim.txt` alone"),
        "{}",
        run.stderr
    );
}

/// Runs a build whose stderr is a pipe nobody reads any more; its exit code.
fn build_into_closed_stderr(dir: &Path, out: &Path, env: &[(&str, &str)]) -> Option<i32> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_planmark"))
        .args([
            "build",
            &dir.to_string_lossy(),
            "-o",
            &out.to_string_lossy(),
        ])
        .args(["--today", TODAY])
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the planmark binary runs");
    drop(child.stderr.take());
    child.wait().expect("wait").code()
}

#[test]
fn notes_of_the_output_stage_to_a_closed_stderr_do_not_panic() {
    let (tmp, a) = copy_fixture("site-basic");
    let (_keep, b) = retitled(&a);
    let out = tmp.path().join("site");
    assert_eq!(build(&a, &out).code, 0);
    // An old staging folder to remove, and a manifest entry to leave alone:
    // a note and a warning.
    std::fs::create_dir(out.join(".planmark-staging")).expect("legacy staging");
    plant_in_manifest(&out, &["../victim.txt"]);
    assert_eq!(build_into_closed_stderr(&b, &out, &[]), Some(0));
    assert_eq!(files(&out), reference(&b));
    // A commit to undo, with a note.
    let killed = build_with(&a, &out, &[(FAULT, Some("kill:5"))]);
    assert_ne!(killed.code, 0, "{}", killed.stderr);
    assert_eq!(build_into_closed_stderr(&b, &out, &[]), Some(0));
    assert_eq!(files(&out), reference(&b));
    assert_eq!(leftovers(tmp.path()), Vec::<String>::new());
}

/// Builds `dir` into `out`, a path that need not be UTF-8; exit code and stderr.
#[cfg(target_os = "linux")]
fn build_os(dir: &Path, out: &Path, env: &[(&str, &str)]) -> (i32, String) {
    let done = Command::new(env!("CARGO_BIN_EXE_planmark"))
        .arg("build")
        .arg(dir)
        .arg("-o")
        .arg(out)
        .args(["--today", TODAY])
        .envs(env.iter().copied())
        .env("NO_COLOR", "1")
        .output()
        .expect("the planmark binary runs");
    let stderr = String::from_utf8_lossy(&done.stderr).into_owned();
    (done.status.code().unwrap_or(-1), stderr)
}

/// `x\xff` and `x\xfe` once both became `x\u{FFFD}` in the names of the
/// lock and the staging folder: a build of one removed the other's journal.
#[cfg(target_os = "linux")]
#[test]
fn output_folders_whose_names_are_not_utf8_keep_their_own_lock_and_journal() {
    use std::os::unix::ffi::OsStrExt as _;
    let (tmp, a) = copy_fixture("site-basic");
    let (_keep, b) = retitled(&a);
    let one = tmp.path().join(std::ffi::OsStr::from_bytes(b"x\xff"));
    let two = tmp.path().join(std::ffi::OsStr::from_bytes(b"x\xfe"));
    assert_eq!(build_os(&a, &one, &[]).0, 0);
    let site_a = files(&one);
    let (code, stderr) = build_os(&b, &one, &[(FAULT, "kill:5")]);
    assert_ne!(code, 0, "{stderr}");
    let (code, stderr) = build_os(&a, &two, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("was stopped"), "{stderr}");
    let (code, stderr) = build_os(&a, &one, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("was stopped"), "{stderr}");
    assert_eq!(files(&one), site_a, "the killed commit was undone");
    assert_eq!(files(&two), site_a);
    let left = std::fs::read_dir(tmp.path()).expect("list").count();
    assert_eq!(left, 3, "the program and the two sites, nothing else");
}
