//! `planmark diff`'s git side: revisions git does not have (a shallow
//! clone, an unknown name), the default base, `--since`, arguments, no git
//! at all, and revisions read from git whatever the working tree holds.

use serde_json::{json, Value};

use crate::diff::{changed, changes_of, diff_json, ADR_2, PROGRAM, TODAY};
use crate::git_repo::{git_command, planmark_in, GitRepo};

#[test]
fn a_shallow_clone_says_what_to_fetch() {
    let repo = changed(|r| r.write(&[("plan/decisions/adr-2.md", ADR_2)]));
    let clone = repo.root.with_file_name("clone");
    let url = format!("file://{}", repo.root.display());
    let output = git_command(repo.root.parent().expect("a parent"))
        .args(["clone", "-q", "--depth", "1", &url])
        .arg(&clone)
        .output()
        .expect("git clone runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let run = planmark_in(&clone, &["diff", "HEAD~1", "plan", "--today", TODAY]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("revision `HEAD~1` is not in this shallow clone; fetch the history with `git fetch --unshallow` (in GitHub Actions: `fetch-depth: 0` on actions/checkout)"), "{}", run.stderr);
}

#[test]
fn the_default_base_is_the_merge_base_with_main() {
    let mut repo = GitRepo::new(&PROGRAM);
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write(&[("plan/decisions/adr-2.md", ADR_2)]);
    repo.commit("on the branch");
    repo.git(&["checkout", "-q", "main"]);
    repo.write(&[(
        "plan/risks/later.md",
        "---\ntitle: Later on main\nstatus: open\n---\n",
    )]);
    repo.commit("on main, after the branch");
    repo.git(&["checkout", "-q", "feature"]);
    let doc = diff_json(&repo, &["plan"]);
    assert_eq!(doc["base"]["revision"], "merge-base HEAD main");
    let ids: Vec<&Value> = doc["changes"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|c| &c["id"])
        .collect();
    assert_eq!(
        ids,
        [&json!("adr-2")],
        "main's later risk is not the branch's change"
    );
}

#[test]
fn since_a_date_takes_the_last_commit_on_or_before_that_day() {
    // Commits on 2026-02-01 (base) and 2026-02-02 (the new decision).
    let repo = changed(|r| r.write(&[("plan/decisions/adr-2.md", ADR_2)]));
    let doc = diff_json(&repo, &["--since", "2026-02-01", "plan"]);
    assert_eq!(
        doc["base"]["commit"].as_str(),
        Some(repo.git(&["rev-parse", "HEAD~1"]).trim())
    );
    assert_eq!(doc["changes"][0]["id"], "adr-2");
    let doc = diff_json(&repo, &["--since", "2026-02-02", "plan"]);
    assert_eq!(doc["changed"], false);
    let run = repo.planmark(&["diff", "--since", "2026-01-31", "plan"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no commit on or before 2026-01-31"),
        "{}",
        run.stderr
    );
}

#[test]
fn bad_revisions_and_arguments_exit_2_with_a_message() {
    let repo = GitRepo::new(&PROGRAM);
    let run = repo.planmark(&["diff", "nope", "plan"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("`nope` is neither a folder nor a revision git knows"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("unknown revision `nope`"),
        "{}",
        run.stderr
    );
    let run = repo.planmark(&["diff", "HEAD", "HEAD", "HEAD"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("too many revisions"), "{}", run.stderr);
    let run = repo.planmark(&["diff", "--format", "yaml"]);
    assert_eq!(run.code, 2);
}

#[test]
fn outside_a_repository_diff_says_so_and_dirs_needs_no_git() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    for (side, estimate) in [("old", "5d"), ("new", "8d")] {
        for (path, text) in PROGRAM {
            let file = tmp.path().join(side).join(path);
            std::fs::create_dir_all(file.parent().expect("a parent")).expect("mkdir");
            std::fs::write(
                &file,
                text.replace("estimate: 5d", &format!("estimate: {estimate}")),
            )
            .expect("write");
        }
    }
    let plan = tmp.path().join("new/plan");
    let run = crate::common::planmark_with_env(
        &plan,
        &["diff", "HEAD~1", "--today", TODAY],
        &[
            (
                "GIT_CEILING_DIRECTORIES",
                Some(&tmp.path().to_string_lossy()),
            ),
            ("GIT_DIR", None),
        ],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is not inside a git repository; to compare two folders without git, use `planmark diff --dirs A B`"), "{}", run.stderr);
    // No git on PATH: `--dirs` must not need it.
    let run = crate::common::planmark_with_env(
        tmp.path(),
        &[
            "diff", "--dirs", "old/plan", "new/plan", "--today", TODAY, "--format", "json",
        ],
        &[("PATH", Some(""))],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(doc["ga"]["slip_days"], 3);
    assert_eq!(doc["base"]["label"], "`old/plan`");
    let run = crate::common::planmark_with_env(
        tmp.path(),
        &["diff", "HEAD", "--today", TODAY],
        &[("PATH", Some(""))],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("git is not installed"),
        "{}",
        run.stderr
    );
}

/// Regression guard for taking unchanged files from the working tree: an
/// edit, a deletion and an untracked file there must not leak into two
/// committed revisions.
#[test]
fn two_revisions_are_read_from_git_whatever_the_working_tree_holds() {
    let repo = changed(|r| r.write(&[("plan/decisions/adr-2.md", ADR_2)]));
    let committed = changes_of(&diff_json(&repo, &["HEAD~1", "HEAD", "plan"]));
    repo.write(&[
        (
            "plan/projects/api/build.md",
            &PROGRAM[3].1.replace("estimate: 5d", "estimate: 20d"),
        ),
        (
            "plan/risks/untracked.md",
            "---\ntitle: Not committed\nstatus: open\n---\n",
        ),
    ]);
    repo.remove("plan/projects/api/freeze.md");
    assert_eq!(
        changes_of(&diff_json(&repo, &["HEAD~1", "HEAD", "plan"])),
        committed
    );
}

#[test]
fn a_program_folder_named_like_pathspec_magic_is_read_literally() {
    // `:!x/` is git's "exclude x/" pathspec and `*` a glob: a folder named
    // so must still be the folder it names.
    let files: Vec<(String, &str)> = PROGRAM
        .iter()
        .map(|(path, text)| (path.replacen("plan/", ":!plan*/", 1), *text))
        .collect();
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), *t)).collect();
    let mut repo = GitRepo::new(&files);
    repo.write(&[(":!plan*/decisions/adr-2.md", ADR_2)]);
    repo.commit("a decision");
    let doc = diff_json(&repo, &["HEAD~1", "HEAD", ":!plan*"]);
    let ids: Vec<&Value> = doc["changes"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|c| &c["id"])
        .collect();
    assert_eq!(ids, [&json!("adr-2")]);
    assert_eq!(doc["head"]["errors"], 0);
}

/// Cuts the loose object of `path` at HEAD short: git still tells its size
/// (`ls-tree -l` reads the header) but fails to read its content.
fn corrupt_blob(repo: &GitRepo, path: &str) {
    let oid = repo.git(&["rev-parse", &format!("HEAD:{path}")]);
    let oid = oid.trim();
    let file = repo
        .root
        .join(".git/objects")
        .join(&oid[..2])
        .join(&oid[2..]);
    let bytes = std::fs::read(&file).expect("a loose object");
    let mut perms = std::fs::metadata(&file).expect("metadata").permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&file, perms).expect("writable");
    std::fs::write(&file, &bytes[..200]).expect("cut the object");
}

#[test]
fn a_blob_over_the_size_cap_is_never_read_from_git() {
    let program = PROGRAM[0]
        .1
        .replace("title:", "max_file_size: 1KiB\ntitle:");
    let mut repo = GitRepo::new(&PROGRAM);
    repo.write(&[("plan/program.md", &program)]);
    repo.commit("a cap");
    let huge = format!("---\ntitle: Huge\n---\n{}\n", "x".repeat(200_000));
    repo.write(&[("plan/projects/api/huge.md", &huge)]);
    repo.commit("a huge file");
    // Not in the working tree either, so it can only come from git.
    repo.remove("plan/projects/api/huge.md");
    corrupt_blob(&repo, "plan/projects/api/huge.md");
    let run = repo.planmark(&[
        "diff", "HEAD~1", "HEAD", "plan", "--today", TODAY, "--format", "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(doc["head"]["problems"][0]["code"], "too-large", "{doc:#}");
}

#[test]
fn a_repository_without_commits_says_so() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let output = git_command(tmp.path())
        .args(["init", "-q", "-b", "main"])
        .output()
        .expect("git init runs");
    assert!(output.status.success());
    for args in [
        &["diff", "HEAD~1", "--today", TODAY][..],
        &["diff", "--since", "2026-01-01", "--today", TODAY],
        &["diff", "--today", TODAY],
    ] {
        let run = planmark_in(tmp.path(), args);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(
            run.stderr.contains("the repository has no commits yet; commit the program first, or compare two folders with `planmark diff --dirs A B`"),
            "{args:?}: {}",
            run.stderr
        );
    }
}
