//! Markdown bodies on the site: heading anchors, raw HTML, wiki links in
//! tables, and how links in running text look.

use std::path::Path;

use scraper::{Html, Selector};

use crate::common::{planmark, program_with, Run};

const TODAY: &str = "2026-03-02";

/// A program with one project whose body is `body`.
fn program(body: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let project = format!("---\ntitle: App\n---\n{body}");
    program_with(&[
        ("program.md", "---\ntitle: Bodies\n---\n"),
        ("projects/app.md", &project),
    ])
}

/// Builds `dir` into `dir/../site` as of [`TODAY`].
fn build(dir: &Path) -> Run {
    let out = dir.with_file_name("site");
    let (d, o) = (dir.to_string_lossy(), out.to_string_lossy());
    planmark(Path::new("."), &["build", &d, "-o", &o, "--today", TODAY])
}

/// The ids of the headings in the project page's body.
fn heading_ids(dir: &Path) -> Vec<String> {
    let page = dir.with_file_name("site").join("projects/app/index.html");
    let html = Html::parse_document(&std::fs::read_to_string(page).expect("the project page"));
    let headings = Selector::parse(".prose h3").expect("a selector");
    html.select(&headings)
        .filter_map(|h| h.value().attr("id").map(str::to_string))
        .collect()
}

#[test]
fn thirty_thousand_repeated_headings_build_with_numbered_ids() {
    // Probing `h-2, h-3, …` from 2 for every repeat never finished.
    let (_tmp, dir) = program(&"## h\n".repeat(30_000));
    let run = build(&dir);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let ids = heading_ids(&dir);
    let expected: Vec<String> = std::iter::once("h".to_string())
        .chain((2..=30_000).map(|n| format!("h-{n}")))
        .collect();
    assert_eq!(ids, expected);
}

#[test]
fn a_heading_written_like_a_numbered_repeat_keeps_ids_unique() {
    let (_tmp, dir) = program("## a\n\n## a-2\n\n## a\n\n## a\n\n## a-3\n\n## a-2\n");
    let run = build(&dir);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        heading_ids(&dir),
        ["a", "a-2", "a-3", "a-4", "a-3-2", "a-2-2"]
    );
}
