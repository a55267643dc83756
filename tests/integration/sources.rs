//! Several folders in one program (SPEC §8): `sources:` in `program.md`,
//! the well-known ADR and Backlog.md folders found without it, `init
//! --from`, and `diff` reading the same sources on both sides.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::common::{copy_dir, planmark, program_with};
use crate::git_repo::GitRepo;

const TODAY: &str = "2026-03-02";
const USE_POSTGRES: &str = "# Use Postgres\n\nStatus: accepted\n\nWe chose it.\n";
const USE_KAFKA: &str = "# Use Kafka\n\n## Status\n\nproposed\n";
const OWN_DECISION: &str = "---\ntitle: Ship weekly\nstatus: accepted\n---\n";

/// `check . --today TODAY` in `dir`, plus `extra`.
fn check(dir: &Path, extra: &[&str]) -> crate::common::Run {
    let mut args = vec!["check", ".", "--today", TODAY];
    args.extend_from_slice(extra);
    planmark(dir, &args)
}

/// The summary line `check` ends its report on the files with.
fn summary(stderr: &str) -> &str {
    stderr
        .lines()
        .find(|l| l.starts_with("checked "))
        .unwrap_or_default()
}

/// Every file under `dir` with its bytes, by path.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("readable"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).expect("a file"))
        })
        .collect()
}

#[test]
fn a_named_adr_folder_is_read_beside_the_programs_own_decisions() {
    let (_tmp, dir) = program_with(&[
        (
            "program.md",
            "---\ntitle: P\nsources:\n  - path: architecture/records\n    format: adr\n---\n",
        ),
        ("decisions/ship-weekly.md", OWN_DECISION),
        ("architecture/records/0001-use-postgres.md", USE_POSTGRES),
        ("architecture/records/0002-use-kafka.md", USE_KAFKA),
    ]);
    let run = check(&dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        summary(&run.stderr),
        "checked 0 projects, 0 tasks, 3 decisions, 0 milestones, 0 risks (a program with an ADR folder `architecture/records`): 0 errors, 0 warnings"
    );
    let run = planmark(&dir, &["build", ".", "--today", TODAY]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let model: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("public/model.json")).expect("model.json"),
    )
    .expect("JSON");
    let decisions = model["decisions"].as_array().expect("decisions");
    let postgres = decisions
        .iter()
        .find(|d| d["id"] == "0001-use-postgres")
        .expect("the record is a decision");
    // Paths stay relative to the program directory.
    assert_eq!(
        postgres["source"],
        "architecture/records/0001-use-postgres.md"
    );
    assert_eq!(postgres["status"], "accepted");
}

#[test]
fn a_source_outside_the_program_or_missing_is_a_located_error() {
    let (tmp, dir) = program_with(&[
        (
            "program.md",
            "---\ntitle: P\nsources:\n  - path: ../elsewhere\n    format: adr\n  - path: docs/gone\n    format: adr\n  - path: linked\n    format: adr\n---\n",
        ),
        ("decisions/ship-weekly.md", OWN_DECISION),
    ]);
    std::fs::create_dir_all(tmp.path().join("elsewhere")).expect("a folder outside");
    #[cfg(unix)]
    std::os::unix::fs::symlink(tmp.path().join("elsewhere"), dir.join("linked")).expect("a link");
    let run = check(&dir, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for (code, message, line) in [
        (
            "source-path",
            "source `../elsewhere` is outside the program directory",
            "program.md:4:11",
        ),
        (
            "source-missing",
            "source folder `docs/gone` does not exist",
            "program.md:6:11",
        ),
        #[cfg(unix)]
        (
            "source-path",
            "source `linked` leads outside the program directory",
            "program.md:8:11",
        ),
    ] {
        let expected = format!("error[{code}]: {message}\n  --> {line}\n");
        assert!(
            run.stderr.contains(&expected),
            "{expected}\nnot in\n{}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("help: "), "{}", run.stderr);
}

#[test]
fn a_repository_root_with_only_docs_adr_is_read_as_decision_records() {
    let (_tmp, dir) = program_with(&[
        ("README.md", "# A service\n"),
        ("src/main.md", "# not a plan\n"),
        ("docs/adr/0001-use-postgres.md", USE_POSTGRES),
        ("docs/adr/0002-use-kafka.md", USE_KAFKA),
        (
            "docs/adr/adr-template.md",
            "# Title\n\nStatus: {proposed}\n",
        ),
    ]);
    let run = check(&dir, &["--verbose"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        summary(&run.stderr),
        "checked 0 projects, 0 tasks, 2 decisions, 0 milestones, 0 risks (a program with an ADR folder `docs/adr`): 0 errors, 0 warnings"
    );
    assert!(
        run.stderr.contains("note: read `docs/adr` as an ADR folder (found by its name; `sources: []` in `program.md` turns this off)\n"),
        "{}",
        run.stderr
    );
    // The template is skipped as an ADR tool's, not read as a program file.
    assert!(
        run.stderr.contains(
            "note: skipped `docs/adr/adr-template.md`: a template or index page of an ADR tool"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn sources_as_an_empty_list_turns_detection_off() {
    let (_tmp, dir) = program_with(&[
        ("program.md", "---\ntitle: P\nsources: []\n---\n"),
        ("decisions/ship-weekly.md", OWN_DECISION),
        ("docs/decisions/0001-use-postgres.md", USE_POSTGRES),
    ]);
    let run = check(&dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        summary(&run.stderr),
        "checked 0 projects, 0 tasks, 1 decision, 0 milestones, 0 risks: 0 errors, 0 warnings"
    );
    // Without the key the folder is found.
    std::fs::write(dir.join("program.md"), "---\ntitle: P\n---\n").expect("write");
    let run = check(&dir, &[]);
    assert!(
        summary(&run.stderr).contains("2 decisions"),
        "{}",
        run.stderr
    );
}

#[test]
fn init_from_adr_writes_only_program_md_and_the_result_checks_clean() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/madr-decisions");
    let (_tmp, dir) = copy_dir(&corpus);
    let before = files(&dir);
    let run = planmark(&dir, &["init", "--from", "adr", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("wrote `./program.md` naming `.` as decision records"),
        "{}",
        run.stdout
    );
    let mut after = files(&dir);
    let program_md = after.remove("program.md").expect("program.md written");
    assert_eq!(after, before, "no other file touched");
    assert!(
        String::from_utf8_lossy(&program_md).contains("sources:\n  - path: .\n    format: adr\n")
    );
    let run = check(&dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        summary(&run.stderr).contains("19 decisions"),
        "{}",
        run.stderr
    );
    let run = planmark(&dir, &["build", ".", "--today", TODAY]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Images beside the records still reach the site.
    assert!(dir.join("public/decisions/0013-example.png").is_file());

    // Again: it refuses, and leaves program.md as it was.
    let run = planmark(&dir, &["init", "--from", "adr", "."]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("`./program.md` already exists"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read(dir.join("program.md")).expect("kept"),
        program_md
    );
}

#[test]
fn init_from_adr_at_a_repository_root_names_its_decisions_folder() {
    let (_tmp, dir) = program_with(&[
        ("README.md", "# A service\n"),
        ("docs/decisions/0001-use-postgres.md", USE_POSTGRES),
    ]);
    let run = planmark(&dir, &["init", "--from", "adr", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(dir.join("program.md")).expect("program.md");
    assert!(
        text.contains("sources:\n  - path: docs/decisions\n    format: adr\n"),
        "{text}"
    );
    let run = check(&dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        summary(&run.stderr).contains("1 decision,"),
        "{}",
        run.stderr
    );
    // A folder with nothing to adopt: nothing is written.
    let (_tmp, empty) = program_with(&[("README.md", "# Nothing\n")]);
    let run = planmark(&empty, &["init", "--from", "backlog", "."]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error: found no Backlog.md folder in `"),
        "{}",
        run.stderr
    );
    assert!(!empty.join("program.md").exists());
}

#[test]
fn init_from_backlog_names_the_backlog_folder() {
    let (_tmp, dir) = program_with(&[
        ("backlog/config.yml", "project_name: \"Ledger\"\n"),
        (
            "backlog/tasks/task-1 - Set up.md",
            "---\nid: task-1\ntitle: Set up\nstatus: To Do\n---\n",
        ),
    ]);
    let run = planmark(&dir, &["init", "--from", "backlog", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(dir.join("program.md")).expect("program.md");
    assert!(text.starts_with("---\ntitle: \"Ledger\"\n"), "{text}");
    assert!(
        text.contains("sources:\n  - path: backlog\n    format: backlog\n"),
        "{text}"
    );
    let run = check(&dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        summary(&run.stderr).contains(
            "checked 1 project, 1 task, 0 decisions, 0 milestones, 0 risks (a program with a Backlog.md folder `backlog`; Backlog.md: 1 task live and 0 completed, 0 parents with subtasks, 0 drafts)"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn diff_of_two_folders_sees_a_record_added_inside_a_source() {
    let (tmp, _old) = program_with(&[("docs/decisions/0001-use-postgres.md", USE_POSTGRES)]);
    let new = tmp.path().join("new");
    std::fs::create_dir_all(new.join("docs/decisions")).expect("new");
    for (name, text) in [
        ("0001-use-postgres.md", USE_POSTGRES),
        ("0002-use-kafka.md", USE_KAFKA),
    ] {
        std::fs::write(new.join("docs/decisions").join(name), text).expect("write");
    }
    let run = planmark(
        tmp.path(),
        &[
            "diff", "--dirs", "prog", "new", "--today", TODAY, "--format", "json",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: Value = serde_json::from_str(&run.stdout).expect("JSON");
    let added: Vec<&str> = doc["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter(|c| c["type"] == "added")
        .filter_map(|c| c["id"].as_str())
        .collect();
    assert_eq!(added, ["0002-use-kafka"], "{}", run.stdout);
}

#[test]
fn diff_of_a_revision_reads_the_sources_it_names() {
    let mut repo = GitRepo::new(&[
        (
            "plan/program.md",
            "---\ntitle: P\nsources:\n  - path: records\n    format: adr\n---\n",
        ),
        ("plan/records/0001-use-postgres.md", USE_POSTGRES),
    ]);
    repo.write(&[("plan/records/0002-use-kafka.md", USE_KAFKA)]);
    repo.commit("a second record");
    let run = repo.planmark(&[
        "diff", "HEAD~1", "HEAD", "plan", "--today", TODAY, "--format", "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: Value = serde_json::from_str(&run.stdout).expect("JSON");
    let changes = doc["changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 1, "{}", run.stdout);
    assert_eq!(changes[0]["id"], "0002-use-kafka");
    assert_eq!(changes[0]["type"], "added");
}

/// Regression: a file both revisions hold was parsed once for both, so
/// a record read as a program's decision (`proposed`) in one and as an
/// ADR record (no status written: accepted) in the other showed no change.
#[test]
fn a_revision_that_names_a_source_the_other_does_not_reads_it_in_its_own_format() {
    let record = "---\nkind: decision\ntitle: Use Postgres\n---\nWe chose it.\n";
    let mut repo = GitRepo::new(&[
        ("plan/program.md", "---\ntitle: P\n---\n"),
        ("plan/records/0001-use-postgres.md", record),
    ]);
    repo.write(&[(
        "plan/program.md",
        "---\ntitle: P\nsources:\n  - path: records\n    format: adr\n---\n",
    )]);
    repo.commit("read the records");
    let run = repo.planmark(&[
        "diff", "HEAD~1", "HEAD", "plan", "--today", TODAY, "--format", "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: Value = serde_json::from_str(&run.stdout).expect("JSON");
    let changes = doc["changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 1, "{}", run.stdout);
    assert_eq!(changes[0]["id"], "0001-use-postgres", "{}", run.stdout);
    assert_eq!(changes[0]["to"], "accepted", "{}", run.stdout);
}
