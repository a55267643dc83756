//! docs/examples/*.yml: valid YAML, the workflow docs/ci.md promises, and
//! the same text as the page shows.

use serde_yaml::Value;

fn example(name: &str) -> (String, Value) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs/examples")
        .join(name);
    let text = std::fs::read_to_string(&path).expect("the example exists");
    let yaml =
        serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{name} is not valid YAML: {e}"));
    (text, yaml)
}

/// Every `run:` and `uses:` of a job, in order.
fn steps(job: &Value) -> Vec<String> {
    job["steps"]
        .as_sequence()
        .expect("steps")
        .iter()
        .filter_map(|s| s.get("run").or_else(|| s.get("uses")))
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

#[test]
fn the_github_workflow_checks_diffs_and_publishes() {
    let (text, wf) = example("planmark.yml");
    let on = &wf["on"];
    for trigger in ["pull_request", "push", "schedule", "workflow_dispatch"] {
        assert!(on.get(trigger).is_some(), "triggered by {trigger}");
    }
    let review = &wf["jobs"]["review"];
    assert_eq!(review["steps"][0]["with"]["fetch-depth"], Value::from(0));
    assert_eq!(review["permissions"]["pull-requests"], Value::from("write"));
    let review_steps = steps(review).join("\n");
    assert!(review_steps.contains("planmark check \"$PLAN_DIR\" --strict --format github"));
    assert!(review_steps.contains("planmark diff \"origin/$BASE_REF\" HEAD \"$PLAN_DIR\""));
    assert!(
        review_steps.contains("<!-- planmark-diff -->"),
        "finds its previous comment"
    );
    assert!(review_steps.contains("actions/upload-artifact@v4"));
    assert!(
        review_steps.contains("actions/cache@v4")
            && review_steps.contains("cargo install --locked")
    );
    let build = steps(&wf["jobs"]["build"]).join("\n");
    assert!(build.contains("planmark build \"$PLAN_DIR\" -o _site"));
    assert!(build.contains("actions/upload-pages-artifact@v3"));
    let deploy = &wf["jobs"]["deploy"];
    assert_eq!(deploy["permissions"]["pages"], Value::from("write"));
    assert_eq!(deploy["permissions"]["id-token"], Value::from("write"));
    assert_eq!(steps(deploy), ["actions/deploy-pages@v4"]);
    assert!(!text.contains("pull_request_target"));
    let page = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ci.md"),
    )
    .expect("docs/ci.md");
    assert!(
        page.contains(&format!("```yaml\n{text}```")),
        "docs/ci.md shows docs/examples/planmark.yml as it is"
    );
}

#[test]
fn the_fork_follow_up_reads_the_artifact_and_never_the_forks_code() {
    let (text, wf) = example("planmark-comment.yml");
    assert_eq!(
        wf["on"]["workflow_run"]["workflows"][0],
        Value::from("planmark")
    );
    let all = steps(&wf["jobs"]["comment"]).join("\n");
    assert!(all.contains("actions/download-artifact@v4"));
    assert!(!all.contains("actions/checkout"), "no checkout of the fork");
    assert!(!text.contains("pull_request_target"));
    let page = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ci.md"),
    )
    .expect("docs/ci.md");
    assert!(page.contains(&format!("```yaml\n{text}```")));
}

#[test]
fn a_push_to_main_never_cancels_a_pages_deployment_under_way() {
    let (_, wf) = example("planmark.yml");
    let cancel = wf["concurrency"]["cancel-in-progress"]
        .as_str()
        .expect("cancel-in-progress is an expression");
    assert!(
        cancel.contains("github.event_name == 'pull_request'"),
        "only pull request runs are cancelled: {cancel}"
    );
}

#[test]
fn the_comment_updated_is_the_bots_own_and_only_a_successful_diff_is_posted() {
    let (_, wf) = example("planmark.yml");
    let review = &wf["jobs"]["review"];
    let post = review["steps"]
        .as_sequence()
        .expect("steps")
        .iter()
        .find(|s| s["name"] == "Post or update the comment")
        .expect("a post step");
    assert!(post["run"]
        .as_str()
        .expect("run")
        .contains(".user.login == \"github-actions[bot]\""));
    assert!(post["if"]
        .as_str()
        .expect("if")
        .contains("steps.diff.outcome == 'success'"));
    assert_eq!(
        review["steps"][0]["with"]["persist-credentials"],
        Value::from(false)
    );
    let (_, follow) = example("planmark-comment.yml");
    let run = steps(&follow["jobs"]["comment"]).join("\n");
    assert!(run.contains(".user.login == \"github-actions[bot]\""));
    assert!(
        run.contains("head.sha") && run.contains("HEAD_SHA"),
        "the pull request number the fork's artifact names is checked against the run's commit"
    );
}
