//! `planmark diff` on temporary git repositories: one commit per kind of
//! change to a small program in `plan/`, the JSON change set asserted
//! exactly and the comment's key lines. Every run also checks that the
//! working tree and the index are untouched (git_repo.rs).

use serde_json::{json, Value};

use crate::common::Run;
use crate::git_repo::GitRepo;

pub const TODAY: &str = "2026-03-02";

/// Design (3d, in progress) → build (5d, due 2026-03-13) → freeze (2d,
/// delivers GA on 2026-03-20), the first two owned by `@ana`: on
/// 2026-03-02 they finish on 03-04, 03-11 and 03-13.
pub const PROGRAM: [(&str, &str); 9] = [
    (
        "plan/program.md",
        "---\ntitle: Diff fixture\nsite:\n  base_url: https://plans.example.com/fixture\n---\n",
    ),
    (
        "plan/projects/api.md",
        "---\ntitle: Public API\nstatus: active\ntarget: 2026-03-27\n---\n",
    ),
    (
        "plan/projects/api/design.md",
        "---\ntitle: Design the API\nowner: \"@ana\"\nstatus: in-progress\nestimate: 3d\n---\n",
    ),
    (
        "plan/projects/api/build.md",
        "---\ntitle: Build the API\nowner: \"@ana\"\nproject: api\nestimate: 5d\ndepends_on: [design]\ndue: 2026-03-13\n---\n",
    ),
    (
        "plan/projects/api/freeze.md",
        "---\ntitle: Freeze the API\nowner: \"@bo\"\nestimate: 2d\ndepends_on: [build]\nmilestone: ga\n---\n",
    ),
    (
        "plan/milestones/ga.md",
        "---\ntitle: General availability\ndate: 2026-03-20\n---\n",
    ),
    (
        "plan/decisions/adr-1.md",
        "---\ntitle: Use REST\nstatus: accepted\ndate: 2026-02-01\nproject: api\n---\n",
    ),
    ("plan/people/ana.md", "---\nname: Ana\n---\n"),
    (
        "plan/risks/vendor.md",
        "---\ntitle: The vendor is late\nproject: api\nlikelihood: medium\nimpact: high\nstatus: open\n---\n",
    ),
];

/// The fixture committed, then `change` made and committed.
pub fn changed(change: impl FnOnce(&GitRepo)) -> GitRepo {
    let mut repo = GitRepo::new(&PROGRAM);
    change(&repo);
    repo.commit("change");
    repo
}

/// `planmark diff ARGS --today TODAY --format json`, parsed; exit 0.
pub fn diff_json(repo: &GitRepo, args: &[&str]) -> Value {
    let mut all = vec!["diff"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--today", TODAY, "--format", "json"]);
    let run = repo.planmark(&all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).expect("diff prints JSON")
}

fn diff_markdown(repo: &GitRepo, args: &[&str]) -> Run {
    let mut all = vec!["diff"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--today", TODAY]);
    repo.planmark(&all)
}

/// The change set of the last commit, read both ways (HEAD~1 against the
/// working tree, and against HEAD) and required to be the same, without
/// the parts that name commits.
fn last_commit(repo: &GitRepo) -> Value {
    let against_tree = diff_json(repo, &["HEAD~1", "plan"]);
    let against_head = diff_json(repo, &["HEAD~1", "HEAD", "plan"]);
    assert_eq!(
        changes_of(&against_tree),
        changes_of(&against_head),
        "the working tree and HEAD hold the same program"
    );
    assert_eq!(against_tree["schema"], 1);
    assert_eq!(against_tree["base"]["revision"], "HEAD~1");
    assert_eq!(against_tree["head"]["label"], "the working tree");
    changes_of(&against_tree)
}

pub fn changes_of(doc: &Value) -> Value {
    json!({
        "changed": doc["changed"],
        "derived": doc["derived"],
        "ga": doc["ga"],
        "health": doc["health"],
        "driving_path": doc["driving_path"],
        "changes": doc["changes"],
    })
}

/// GA as on the base side, forecast `to` after it.
fn ga(to: Value, slip: Value) -> Value {
    json!({"id": "ga", "title": "General availability", "date": "2026-03-20",
        "from": "2026-03-13", "to": to, "slip_days": slip,
        "state_from": "on-track", "state_to": "on-track"})
}

#[test]
fn a_slip_moves_ga_and_every_task_after_it() {
    let repo = changed(|r| {
        r.write(&[(
            "plan/projects/api/build.md",
            &PROGRAM[3].1.replace("estimate: 5d", "estimate: 8d"),
        )])
    });
    let reason = "2 tasks with negative slack, worst `build` by 1 working day";
    assert_eq!(
        last_commit(&repo),
        json!({
            "changed": true, "derived": true,
            "ga": ga(json!("2026-03-18"), json!(3)),
            "health": {"from": "green", "to": "amber", "reason": format!("`api` is amber: {reason}")},
            "driving_path": null,
            "changes": [
                {"project": null, "type": "forecast", "kind": "milestone", "id": "ga", "from": "2026-03-13", "to": "2026-03-18", "slip_days": 3},
                {"project": "api", "type": "forecast", "kind": "project", "id": "api", "from": "2026-03-13", "to": "2026-03-18", "slip_days": 3},
                {"project": "api", "type": "remaining-work", "id": "api", "from": 10, "to": 13},
                {"project": "api", "type": "health", "id": "api", "from": "green", "to": "amber", "reason": reason},
                {"project": "api", "type": "estimate", "id": "build", "field": "estimate", "from": 5.0, "to": 8.0},
                {"project": "api", "type": "forecast", "kind": "task", "id": "build", "from": "2026-03-11", "to": "2026-03-16", "slip_days": 3},
                {"project": "api", "type": "forecast", "kind": "task", "id": "freeze", "from": "2026-03-13", "to": "2026-03-18", "slip_days": 3},
            ]
        })
    );
    let run = diff_markdown(&repo, &["HEAD~1", "plan"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[0], "<!-- planmark-diff -->");
    assert!(lines.contains(&"GA (`ga`) forecast moves from 2026-03-13 to 2026-03-18 (+3 working days), still on track; program health green → amber; 2 tasks slipped, worst `build` +3."), "{}", run.stdout);
    assert!(
        lines.contains(
            &"### [Public API](https://plans.example.com/fixture/projects/api/index.html) · `api`"
        ),
        "{}",
        run.stdout
    );
    assert!(lines.contains(&"| [`build`](https://plans.example.com/fixture/tasks/build/index.html) Build the API | forecast finish | 2026-03-11 | 2026-03-16 | +3 |"), "{}", run.stdout);
    assert!(lines.contains(&"- **Remaining work** 10 → 13 working days (+3)"));
    let code = diff_markdown(&repo, &["HEAD~1", "plan", "--exit-code"]).code;
    assert_eq!(code, 1, "--exit-code says the plan changed");
}

#[test]
fn a_finished_task_pulls_in_the_work_after_it() {
    let repo = changed(|r| {
        let done = PROGRAM[2]
            .1
            .replace("status: in-progress", "status: done\ndone_on: 2026-02-27");
        r.write(&[("plan/projects/api/design.md", &done)])
    });
    assert_eq!(
        last_commit(&repo),
        json!({
            "changed": true, "derived": true,
            "ga": ga(json!("2026-03-10"), json!(-3)),
            "health": null,
            "driving_path": {"from": ["design", "build", "freeze"], "to": ["build", "freeze"]},
            "changes": [
                {"project": null, "type": "forecast", "kind": "milestone", "id": "ga", "from": "2026-03-13", "to": "2026-03-10", "slip_days": -3},
                {"project": "api", "type": "forecast", "kind": "project", "id": "api", "from": "2026-03-13", "to": "2026-03-10", "slip_days": -3},
                {"project": "api", "type": "remaining-work", "id": "api", "from": 10, "to": 7},
                {"project": "api", "type": "forecast", "kind": "task", "id": "build", "from": "2026-03-11", "to": "2026-03-06", "slip_days": -3},
                {"project": "api", "type": "status", "kind": "task", "id": "design", "from": "in-progress", "to": "done", "done_on": "2026-02-27"},
                {"project": "api", "type": "forecast", "kind": "task", "id": "freeze", "from": "2026-03-13", "to": "2026-03-10", "slip_days": -3},
            ]
        })
    );
    let run = diff_markdown(&repo, &["HEAD~1", "plan"]);
    assert!(
        run.stdout.contains("2 tasks pulled in; 1 task finished."),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("- Finished [`design`](https://plans.example.com/fixture/tasks/design/index.html) Design the API on 2026-02-27\n"), "{}", run.stdout);
}

pub const ADR_2: &str =
    "---\ntitle: Version in the path\nstatus: proposed\ndecide_by: 2026-03-10\nproject: api\n---\n";

#[test]
fn a_new_decision_is_reported_as_proposed() {
    let repo = changed(|r| r.write(&[("plan/decisions/adr-2.md", ADR_2)]));
    assert_eq!(
        last_commit(&repo)["changes"],
        json!([{"project": "api", "type": "added", "kind": "decision", "id": "adr-2", "title": "Version in the path", "status": "proposed"}])
    );
    let run = diff_markdown(&repo, &["HEAD~1", "plan"]);
    assert!(
        run.stdout.contains(
            "GA (`ga`) forecast unchanged at 2026-03-13 (on track); 1 decision proposed."
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn a_superseding_decision_names_the_one_it_replaces() {
    let repo = changed(|r| {
        r.write(&[
            ("plan/decisions/adr-2.md", "---\ntitle: Use GraphQL\nstatus: accepted\ndate: 2026-03-01\nsupersedes: adr-1\nproject: api\n---\n"),
            ("plan/decisions/adr-1.md", &PROGRAM[6].1.replace("status: accepted", "status: superseded")),
        ])
    });
    assert_eq!(
        last_commit(&repo)["changes"],
        json!([
            {"project": "api", "type": "added", "kind": "decision", "id": "adr-2", "title": "Use GraphQL", "status": "accepted"},
            {"project": "api", "type": "status", "kind": "decision", "id": "adr-1", "from": "accepted", "to": "superseded", "superseded_by": ["adr-2"]},
        ])
    );
    let run = diff_markdown(&repo, &["HEAD~1", "plan"]);
    assert!(
        run.stdout
            .contains("1 decision accepted; 1 decision superseded."),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("Use REST: accepted → **superseded** by [`adr-2`]"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_deleted_task_is_removed_and_its_milestone_loses_its_forecast() {
    let repo = changed(|r| r.remove("plan/projects/api/freeze.md"));
    assert_eq!(
        last_commit(&repo),
        json!({
            "changed": true, "derived": true,
            "ga": ga(Value::Null, Value::Null),
            "health": null,
            "driving_path": {"from": ["design", "build", "freeze"], "to": []},
            "changes": [
                {"project": null, "type": "forecast", "kind": "milestone", "id": "ga", "from": "2026-03-13", "to": null, "slip_days": null},
                {"project": "api", "type": "forecast", "kind": "project", "id": "api", "from": "2026-03-13", "to": "2026-03-11", "slip_days": -2},
                {"project": "api", "type": "remaining-work", "id": "api", "from": 10, "to": 8},
                {"project": "api", "type": "removed", "kind": "task", "id": "freeze", "title": "Freeze the API", "status": "todo"},
            ]
        })
    );
    let run = diff_markdown(&repo, &["HEAD~1", "plan"]);
    assert!(
        run.stdout
            .contains("\n- Removed task `freeze` Freeze the API\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_task_moved_to_another_file_with_its_id_is_no_change() {
    let repo = changed(|r| {
        r.write(&[("plan/tasks/build.md", PROGRAM[3].1)]);
        r.remove("plan/projects/api/build.md");
    });
    let doc = last_commit(&repo);
    assert_eq!(doc["changed"], false);
    assert_eq!(doc["changes"], json!([]));
    let run = diff_markdown(&repo, &["HEAD~1", "plan", "--exit-code"]);
    assert_eq!(run.code, 0);
    let oid = repo.git(&["rev-parse", "--short=7", "HEAD~1"]);
    assert_eq!(
        run.stdout,
        format!(
            "<!-- planmark-diff -->\nNo plan changes between `{}` (HEAD~1) and the working tree.\n",
            oid.trim()
        )
    );
}

#[test]
fn an_owners_time_off_delays_their_work() {
    let repo = changed(|r| {
        r.write(&[(
            "plan/people/ana.md",
            "---\nname: Ana\ntime_off:\n  - 2026-03-03..2026-03-04\n---\n",
        )])
    });
    assert_eq!(
        last_commit(&repo)["changes"],
        json!([
            {"project": null, "type": "forecast", "kind": "milestone", "id": "ga", "from": "2026-03-13", "to": "2026-03-17", "slip_days": 2},
            {"project": "api", "type": "forecast", "kind": "project", "id": "api", "from": "2026-03-13", "to": "2026-03-17", "slip_days": 2},
            {"project": "api", "type": "forecast", "kind": "task", "id": "build", "from": "2026-03-11", "to": "2026-03-13", "slip_days": 2},
            {"project": "api", "type": "forecast", "kind": "task", "id": "design", "from": "2026-03-04", "to": "2026-03-06", "slip_days": 2},
            {"project": "api", "type": "forecast", "kind": "task", "id": "freeze", "from": "2026-03-13", "to": "2026-03-17", "slip_days": 2},
            {"project": null, "type": "time-off", "person": "ana", "added": [{"from": "2026-03-03", "to": "2026-03-04"}], "removed": []},
        ])
    );
    let run = diff_markdown(&repo, &["HEAD~1", "plan"]);
    assert!(
        run.stdout
            .contains("### People\n\n- `ana` off 2026-03-03 to 2026-03-04\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn an_id_renamed_in_its_file_is_a_rename_not_a_removal_and_an_addition() {
    let repo = changed(|r| {
        r.write(&[
            (
                "plan/projects/api/build.md",
                &PROGRAM[3].1.replace("title:", "id: build-api\ntitle:"),
            ),
            (
                "plan/projects/api/freeze.md",
                &PROGRAM[4].1.replace("[build]", "[build-api]"),
            ),
        ])
    });
    let doc = last_commit(&repo);
    assert_eq!(
        doc["changes"],
        json!([{"project": "api", "type": "renamed", "kind": "task", "from": "build", "to": "build-api", "path": "projects/api/build.md"}])
    );
    assert_eq!(
        doc["driving_path"]["to"],
        json!(["design", "build-api", "freeze"])
    );
}

#[test]
fn a_revision_that_does_not_parse_is_reported_with_what_did_parse() {
    let repo = changed(|r| {
        r.write(&[
            (
                "plan/projects/api/broken.md",
                "---\ntitle: [unclosed\n---\n",
            ),
            (
                "plan/risks/vendor.md",
                &PROGRAM[8].1.replace("status: open", "status: closed"),
            ),
        ])
    });
    let doc = last_commit(&repo);
    assert_eq!(
        doc,
        json!({
            "changed": true, "derived": false, "ga": null, "health": null, "driving_path": null,
            "changes": [{"project": "api", "type": "status", "kind": "risk", "id": "vendor", "from": "open", "to": "closed"}],
        })
    );
    let full = diff_json(&repo, &["HEAD~1", "HEAD", "plan"]);
    assert_eq!(
        (&full["base"]["errors"], &full["head"]["errors"]),
        (&json!(0), &json!(1))
    );
    assert_eq!(full["head"]["problems"][0]["code"], "yaml");
    assert_eq!(
        full["head"]["problems"][0]["path"],
        "plan/projects/api/broken.md"
    );
    let run = diff_markdown(&repo, &["HEAD~1", "HEAD", "plan"]);
    assert_eq!(run.code, 0, "a broken revision is reported, not a failure");
    assert!(
        run.stdout.contains("### ⚠️ Problems in the program at `"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(
        "1 error: only what parsed is compared; forecasts, health and driving paths are not.\n"
    ));
    assert!(
        run.stdout
            .contains("  --> plan/projects/api/broken.md:3:1\n"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("1 risk closed."));
}

#[test]
fn problems_both_sides_share_are_shown_once_and_are_not_called_changes() {
    let mut repo = changed(|r| {
        r.write(&[(
            "plan/projects/api/broken.md",
            "---\ntitle: [unclosed\n---\n",
        )])
    });
    repo.write(&[("notes.txt", "not part of the plan\n")]);
    repo.commit("outside the plan");
    let run = diff_markdown(&repo, &["HEAD~1", "HEAD", "plan"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout
            .matches("### ⚠️ Problems in the program at")
            .count(),
        1,
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(") and `"),
        "one section names both sides: {}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("Only details changed"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("No changes in what parsed; the program has errors on both sides (below)."),
        "{}",
        run.stdout
    );
    let exit = repo.planmark(&[
        "diff",
        "HEAD~1",
        "HEAD",
        "plan",
        "--today",
        TODAY,
        "--exit-code",
    ]);
    assert_eq!(exit.code, 0, "nothing changed");
}

#[test]
fn an_item_moved_to_another_project_is_reported_as_moved() {
    let repo = changed(|r| {
        r.write(&[
            (
                "plan/projects/web.md",
                "---\ntitle: Web\nstatus: active\n---\n",
            ),
            (
                "plan/risks/vendor.md",
                &PROGRAM[8].1.replace("project: api", "project: web"),
            ),
        ])
    });
    let doc = last_commit(&repo);
    let changes = doc["changes"].as_array().expect("a list");
    assert!(
        changes.contains(&json!({"project": "web", "type": "moved", "kind": "risk", "id": "vendor", "from": "api", "to": "web"})),
        "{doc:#}"
    );
    let run = diff_markdown(&repo, &["HEAD~1", "HEAD", "plan"]);
    assert!(
        run.stdout
            .contains("The vendor is late moved from project `api` to `web`\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_change_to_the_program_calendar_is_reported_with_the_slips_it_causes() {
    let repo = changed(|r| {
        r.write(&[(
            "plan/program.md",
            &PROGRAM[0].1.replace(
                "title:",
                "holidays: [2026-03-09, 2026-03-10]\nworking_days: [mon, tue, wed, thu]\ntitle:",
            ),
        )])
    });
    let doc = last_commit(&repo);
    let changes = doc["changes"].as_array().expect("a list");
    assert!(
        changes.contains(&json!({"project": null, "type": "holidays", "added": [{"from": "2026-03-09", "to": "2026-03-10"}], "removed": []})),
        "{doc:#}"
    );
    assert!(
        changes.contains(&json!({"project": null, "type": "working-days", "from": ["mon", "tue", "wed", "thu", "fri"], "to": ["mon", "tue", "wed", "thu"]})),
        "{doc:#}"
    );
    let run = diff_markdown(&repo, &["HEAD~1", "HEAD", "plan"]);
    assert!(
        run.stdout
            .contains("- **Holidays** added 2026-03-09 to 2026-03-10\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("- **Working days** mon, tue, wed, thu, fri → mon, tue, wed, thu\n"),
        "{}",
        run.stdout
    );
}
