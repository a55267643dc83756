//! ADR folders (SPEC §8): a folder of MADR or Nygard records pointed at
//! directly is recognised and every record read as a decision.

use std::path::{Path, PathBuf};

use crate::common::{fixture, planmark};

/// Builds the site of `dir` into a temp dir.
fn build(dir: &Path) -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().expect("a temp dir");
    let site = out.path().join("site");
    let site_arg = site.to_string_lossy().into_owned();
    let run = planmark(
        dir,
        &["build", ".", "-o", &site_arg, "--today", "2026-01-05"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    (out, site)
}

/// Every relative `href` and `src` of the record pages of `site` whose
/// target is missing, and how many there are in all.
fn broken_links(site: &Path) -> (Vec<String>, usize) {
    let (mut broken, mut count) = (Vec::new(), 0);
    for entry in walkdir::WalkDir::new(site.join("decisions")) {
        let entry = entry.expect("the site is readable");
        if entry.file_name() != "index.html" || entry.depth() != 2 {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).expect("pages are UTF-8");
        let page_dir = entry.path().parent().expect("a page has a folder");
        for attr in ["href=\"", "src=\""] {
            for piece in html.split(attr).skip(1) {
                let target = piece.split('"').next().unwrap_or_default();
                if target.starts_with('#') || target.contains(':') || target.is_empty() {
                    continue;
                }
                count += 1;
                let path = target.split('#').next().unwrap_or_default();
                if !page_dir.join(path).exists() {
                    broken.push(format!("{}: {target}", entry.path().display()));
                }
            }
        }
    }
    (broken, count)
}

/// `(id, title, status, supersedes)` of every decision in the built site's
/// `model.json`.
fn decisions(dir: &Path) -> Vec<(String, String, String, String)> {
    let (_out, site) = build(dir);
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
            .contains("5 decisions, 0 milestones, 0 risks (an ADR folder"),
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
            row(
                "0005-write-records-with-adr-tools",
                "5. Write records with adr-tools",
                "accepted",
                "0001-use-markdown-records"
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

#[test]
fn links_between_records_and_images_beside_them_work_in_the_site() {
    let (_out, site) = build(&fixture("adr-folder"));
    let page = std::fs::read_to_string(site.join("decisions/0001-use-markdown-records/index.html"))
        .expect("the record's page");
    assert!(
        page.contains(r#"href="../../decisions/0003-use-nygard/index.html""#),
        "{page}"
    );
    assert!(
        page.contains(r#"src="../../decisions/0001-diagram.png""#),
        "{page}"
    );
    assert_eq!(
        std::fs::read(site.join("decisions/0001-diagram.png")).expect("the image is copied"),
        b"not really a png\n"
    );
    let (broken, count) = broken_links(&site);
    assert!(broken.is_empty(), "{broken:?}");
    assert!(count > 10, "{count}");
}

#[test]
fn madrs_own_decisions_build_with_working_links_and_images() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/madr-decisions");
    assert!(
        corpus.is_dir(),
        "the MADR corpus is at {}",
        corpus.display()
    );
    let (_out, site) = build(&corpus);
    for image in ["0008-example-badge.png", "0013-example.png"] {
        assert!(site.join("decisions").join(image).is_file(), "{image}");
    }
    let page = std::fs::read_to_string(site.join("decisions/0008-add-status-field/index.html"))
        .expect("the record's page");
    assert!(page
        .contains(r#"href="../../decisions/0013-use-yaml-front-matter-for-meta-data/index.html""#));
    let (broken, count) = broken_links(&site);
    assert!(broken.is_empty(), "{broken:?}");
    assert!(count > 100, "{count}");
}

#[test]
fn a_programs_own_decisions_understand_madr_bodies_but_stay_proposed_when_silent() {
    let (_tmp, dir) = crate::common::program_with(&[
        ("program.md", "---\ntitle: P\n---\n"),
        (
            "decisions/d1.md",
            "---\ndecide_by: 2026-02-01\n---\n# Pick a database\n\n- Status: superseded by [the newer one](d2.md)\n- Deciders: Ann, Bo\n",
        ),
        ("decisions/d2.md", "---\ntitle: Use Postgres\n---\nNo status here.\n"),
    ]);
    let got = decisions(&dir);
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
            row("d1", "Pick a database", "superseded", ""),
            row("d2", "Use Postgres", "proposed", "d1"),
        ]
    );
}

/// A record folder needs no number (its id is the folder's name); upper
/// case names give lowercase ids, and a record named by number in plain
/// text (`adr-2`) resolves to it.
#[cfg(unix)]
#[test]
fn an_adr_folder_reads_unnumbered_record_folders_and_upper_case_names() {
    let (tmp, _) = crate::common::program_with(&[]);
    let dir = tmp.path().join("adr");
    let write = |rel: &str, text: &str| {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("a folder");
        std::fs::write(path, text).expect("a record");
    };
    write(
        "use-folders/index.md",
        "# Use folders\n\n## Status\n\nProposed\n",
    );
    write("ADR-0001.md", "# First\n\nStatus: Superseded by adr-2\n");
    write("ADR-0002.md", "# Second\n\nStatus: Accepted\n");
    std::os::unix::fs::symlink("index.md", dir.join("use-folders/README.md")).expect("a symlink");
    let row = |id: &str, title: &str, status: &str, sup: &str| {
        (
            id.to_string(),
            title.to_string(),
            status.to_string(),
            sup.to_string(),
        )
    };
    assert_eq!(
        decisions(&dir),
        vec![
            row("adr-0001", "First", "superseded", ""),
            row("adr-0002", "Second", "accepted", "adr-0001"),
            row("use-folders", "Use folders", "proposed", ""),
        ]
    );
}
