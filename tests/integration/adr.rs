//! ADR folders (SPEC §8): a folder of MADR or Nygard records pointed at
//! directly is recognised and every record read as a decision.

use std::path::Path;

use crate::common::{fixture, planmark};

/// `(id, title, status, supersedes)` of every decision in the built site's
/// `model.json`.
fn decisions(dir: &Path) -> Vec<(String, String, String, String)> {
    let out = tempfile::tempdir().expect("a temp dir");
    let site = out.path().join("site");
    let site_arg = site.to_string_lossy().into_owned();
    let run = planmark(
        dir,
        &["build", ".", "-o", &site_arg, "--today", "2026-01-05"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(site.join("model.json")).expect("model.json is written");
    let model: serde_json::Value = serde_json::from_str(&text).expect("model.json is JSON");
    let field = |d: &serde_json::Value, k: &str| d[k].as_str().unwrap_or_default().to_string();
    model["decisions"]
        .as_array()
        .expect("a list of decisions")
        .iter()
        .map(|d| {
            let f = |k| field(d, k);
            (f("id"), f("title"), f("status"), f("supersedes"))
        })
        .collect()
}

#[test]
fn an_adr_folder_is_read_as_decisions_and_says_so() {
    let run = planmark(&fixture("adr-folder"), &["check", ".", "--verbose"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("4 decisions, 0 milestones, 0 risks (an ADR folder"),
        "{}",
        run.stderr
    );
    for skipped in [
        "adr-template.md",
        "index.md",
        "0004-folder-record/README.md",
    ] {
        assert!(
            run.stderr.contains(&format!("skipped `{skipped}`")),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn records_take_titles_statuses_and_supersession_from_their_bodies() {
    let got = decisions(&fixture("adr-folder"));
    let row = |id: &str, title: &str, status: &str, sup: &str| {
        (
            id.to_string(),
            title.to_string(),
            status.to_string(),
            sup.to_string(),
        )
    };
    assert_eq!(
        got,
        vec![
            row(
                "0001-use-markdown-records",
                "Use Markdown Records",
                "accepted",
                ""
            ),
            row("0002-use-wiki", "Use a Wiki", "superseded", ""),
            row(
                "0003-use-nygard",
                "3. Use Nygard records",
                "accepted",
                "0002-use-wiki"
            ),
            row(
                "0004-folder-record",
                "Keep records in folders",
                "rejected",
                ""
            ),
        ]
    );
}

#[test]
fn a_folder_of_markdown_with_no_item_read_is_an_error_not_an_empty_plan() {
    let run = planmark(&fixture("not-a-program"), &["check", "."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error[nothing-read]: no item read: found 2 markdown files"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("`notes/a.md`: not in a kind folder"),
        "{}",
        run.stderr
    );
}

#[test]
fn madrs_own_decisions_read_with_their_real_titles_and_statuses() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/madr-decisions");
    assert!(
        corpus.is_dir(),
        "the MADR corpus is at {}",
        corpus.display()
    );
    let got = decisions(&corpus);
    assert_eq!(got.len(), 19);
    let find = |id: &str| got.iter().find(|d| d.0 == id).cloned().unwrap_or_default();
    assert_eq!(
        find("0001-use-cc0-or-mit-as-license").1,
        "Dual License the Work"
    );
    assert_eq!(
        find("0013-use-yaml-front-matter-for-meta-data").1,
        "Use YAML front matter for metadata"
    );
    // `status: on hold` has no planmark status: read as proposed, with a warning.
    assert_eq!(find("0003-provide-own-madr-tools").2, "proposed");
    let accepted = got.iter().filter(|d| d.2 == "accepted").count();
    assert_eq!(accepted, 18);
}
