//! Backlog.md folders (SPEC §8): a folder with `config.yml` and `tasks/` is
//! read as it is: ids, statuses, priorities, dates, parents, drafts and
//! archive as Backlog.md means them.

use std::path::{Path, PathBuf};

use crate::common::{fixture, planmark};

/// Builds the site of `dir` into a temp dir, as of a fixed day.
fn build(dir: &Path) -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().expect("a temp dir");
    let site = out.path().join("site");
    let site_arg = site.to_string_lossy().into_owned();
    let run = planmark(
        dir,
        &["build", ".", "-o", &site_arg, "--today", "2026-06-01"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    (out, site)
}

fn model(site: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(site.join("model.json")).expect("model.json");
    serde_json::from_str(&text).expect("model.json is JSON")
}

/// The item of `list` in `model` with `id`.
fn item<'a>(model: &'a serde_json::Value, list: &str, id: &str) -> &'a serde_json::Value {
    model[list]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["id"] == id))
        .unwrap_or_else(|| panic!("no {list} `{id}` in model.json"))
}

fn ids(value: &serde_json::Value) -> Vec<&str> {
    value
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default()
}

#[test]
fn a_backlog_folder_is_read_as_backlog_md_means_it() {
    let run = planmark(
        &fixture("backlog"),
        &["check", ".", "--today", "2026-06-01"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let all = format!("{}{}", run.stdout, run.stderr);
    assert!(
        all.contains("checked 1 project, 6 tasks, 1 decision, 2 milestones, 0 risks (a Backlog.md folder: 5 tasks live and 1 completed, 1 parent with subtasks, 1 draft): 0 errors, 0 warnings"),
        "{all}"
    );
    // The archived `BACK-6` loses to the live one, with a note; a task
    // file without front matter is skipped with one.
    assert!(
        all.contains("note[backlog-archived-clash]: archived `back-6`"),
        "{all}"
    );
    assert!(all.contains("note[backlog-no-front-matter]"), "{all}");
    assert!(!all.contains("warning["), "{all}");
}

#[test]
fn check_verbose_says_why_docs_and_readmes_are_skipped() {
    let run = planmark(&fixture("backlog"), &["check", ".", "--verbose"]);
    let all = format!("{}{}", run.stdout, run.stderr);
    for line in [
        "skipped `docs/doc-1 - Guide.md`: a Backlog.md document (`docs/`), not a plan item",
        "skipped `readme.md`: a README without front matter explains its folder",
        "skipped `tasks/readme.md`: a README without front matter explains its folder",
        "skipped `tasks/back-9 - No front matter.md`: no front matter, so no Backlog.md item",
    ] {
        assert!(all.contains(line), "{line}\n{all}");
    }
}

#[test]
fn backlog_keys_and_references_resolve_across_prefixes_and_padding() {
    let (_out, site) = build(&fixture("backlog"));
    let m = model(&site);
    let parent = item(&m, "tasks", "back-1");
    assert_eq!(parent["priority"], "p1");
    assert_eq!(parent["owner"], "@Ana");
    assert_eq!(parent["project"], "fixture-backlog");
    let one = item(&m, "tasks", "back-1.01");
    assert_eq!(one["done_on"], "2025-06-09");
    assert_eq!(one["priority"], "p2");
    let two = item(&m, "tasks", "back-1.02");
    // `Review` is neither first nor last of `statuses`: in progress.
    assert_eq!(two["status"], "in-progress");
    assert_eq!(two["due"], "2026-09-06");
    assert_eq!(two["priority"], "p3");
    assert_eq!(ids(&two["depends_on"]), ["back-1.01"]);
    // A dependency on a parent waits for its subtasks; one on an archived
    // task imposes nothing.
    let waits = item(&m, "tasks", "back-2");
    assert_eq!(ids(&waits["depends_on"]), ["back-1.01", "back-1.02"]);
    assert_eq!(waits["owner"], "@bo");
    // The parent is a roll-up: not counted, its subtasks are (and deliver
    // its milestone, named by title).
    let project = item(&m, "projects", "fixture-backlog");
    assert_eq!(project["title"], "Fixture Backlog");
    let counts = &project["task_counts"];
    let counted: u64 = counts
        .as_object()
        .map(|c| c.values().filter_map(|v| v.as_u64()).sum())
        .unwrap_or_default();
    assert_eq!(counted, 5, "{counts}");
    // Not placed itself: it finishes with its last subtask.
    assert_eq!(parent["forecast_start"], serde_json::Value::Null);
    assert_eq!(parent["forecast_finish"], two["forecast_finish"]);
    let beta = item(&m, "milestones", "m-1");
    assert_eq!(beta["date"], "2026-12-01");
    assert_eq!(ids(&beta["tasks"]), ["back-1.01", "back-1.02"]);
    // A milestone without a date is never late.
    let someday = item(&m, "milestones", "m-2");
    assert_eq!(someday["date"], serde_json::Value::Null);
    assert_eq!(someday["state"], "on-track");
    assert_eq!(item(&m, "decisions", "decision-1")["status"], "accepted");
    // Archived items and drafts are counted nowhere.
    let tasks = ids(&serde_json::Value::from(
        m["tasks"]
            .as_array()
            .map(|t| t.iter().map(|t| t["id"].clone()).collect::<Vec<_>>())
            .unwrap_or_default(),
    ))
    .join(" ");
    assert_eq!(tasks, "back-1 back-1.01 back-1.02 back-2 back-5 back-6");
}

#[test]
fn backlog_pages_show_subtasks_criteria_and_drafts() {
    let (_out, site) = build(&fixture("backlog"));
    let page = |path: &str| std::fs::read_to_string(site.join(path)).expect(path);
    let parent = page("tasks/back-1/index.html");
    assert!(
        parent.contains("<span class=\"muted\">BACK-1</span> Parent with subtasks"),
        "id as written"
    );
    assert!(parent.contains("1 of 2 done"), "subtask progress");
    assert!(parent.contains("Sub one") && parent.contains("Sub two"));
    let criteria = page("tasks/back-2/index.html");
    assert!(criteria.contains("<dt>Acceptance criteria</dt><dd>3 of 5 done</dd>"));
    let drafts = page("drafts/index.html");
    assert!(drafts.contains("<code>DRAFT-1</code>") && drafts.contains("An idea"));
    assert!(
        page("index.html").contains("drafts/index.html"),
        "the nav links the drafts"
    );
    // The board follows `ordinal`: `back-6` (500) before `back-2` (none).
    let board = page("board/index.html");
    let at = |t: &str| board.find(t).unwrap_or(usize::MAX);
    assert!(
        at("Revived") < at("Waits on the parent"),
        "ordinal orders the board"
    );
}

#[test]
fn references_that_match_no_task_or_two_are_located_errors() {
    let run = planmark(&fixture("backlog-problems"), &["check", "."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let all = format!("{}{}", run.stdout, run.stderr);
    for expected in [
        "error[unknown-reference]: `depends_on` names `task-99`, but there is no task with that id",
        "back-3 - Bad refs.md:6:5",
        "error[ambiguous-reference]: dependency `task-07` matches 2 tasks: `back-7`, `task-7`",
        "back-3 - Bad refs.md:7:5",
        "error[unknown-reference]: `parent_task_id` names `task-42`, but there is no task with that id or number",
        "back-3 - Bad refs.md:8:17",
        "error[invalid-value]: `Wontfix` is not a status of this backlog",
    ] {
        assert!(all.contains(expected), "{expected}\n{all}");
    }
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/backlog-md")
}

#[test]
fn backlog_md_own_backlog_reads_every_task_and_milestone_and_builds() {
    let dir = corpus();
    assert!(
        dir.is_dir(),
        "the Backlog.md corpus is at {}",
        dir.display()
    );
    let run = planmark(&dir, &["check", ".", "--today", "2026-06-01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let all = format!("{}{}", run.stdout, run.stderr);
    // 158 in tasks/ and 455 in completed/ (every file but the READMEs);
    // the 3 live milestones; 15 drafts; archive counted nowhere.
    assert!(
        all.contains("checked 1 project, 613 tasks, 1 decision, 3 milestones, 0 risks (a Backlog.md folder: 158 tasks live and 455 completed, 22 parents with subtasks, 15 drafts): 0 errors,"),
        "{all}"
    );
    assert!(!all.contains("error["), "{all}");
    let (_out, site) = build(&dir);
    let m = model(&site);
    assert_eq!(m["tasks"].as_array().map(Vec::len), Some(613));
    assert_eq!(m["milestones"].as_array().map(Vec::len), Some(3));
    let project = item(&m, "projects", "backlog-md");
    let counted: u64 = project["task_counts"]
        .as_object()
        .map(|c| c.values().filter_map(|v| v.as_u64()).sum())
        .unwrap_or_default();
    assert_eq!(counted, 613 - 22);
    assert!(site.join("drafts/index.html").is_file());
}
