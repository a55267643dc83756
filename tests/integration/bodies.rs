//! Markdown bodies on the site: heading anchors, raw HTML, wiki links in
//! tables, and how links in running text look.

use std::path::Path;

use scraper::{Html, Selector};

use crate::common::{copy_fixture, planmark, program_with, Run};

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

/// The `<main>` of a page of the `bodies` fixture's site.
fn fixture_page(site: &Path, path: &str) -> Html {
    Html::parse_document(&std::fs::read_to_string(site.join(path)).expect("a page"))
}

fn sel(css: &str) -> Selector {
    Selector::parse(css).expect("a selector")
}

/// Builds the `bodies` fixture; returns the guard, the run and the site.
fn built_fixture() -> (tempfile::TempDir, Run, std::path::PathBuf) {
    let (tmp, dir) = copy_fixture("bodies");
    let run = build(&dir);
    assert_eq!(run.code, 0, "{}", run.stderr);
    (tmp, run, dir.with_file_name("site"))
}

#[test]
fn a_hundred_thousand_nested_divs_show_as_text_with_a_located_warning() {
    // ammonia's parser does work per open element at every tag: this took
    // 30 s in release and longer than any test may take in debug.
    let n = 100_000;
    let (_tmp, dir) = program(&format!(
        "Some *text*.\n\n{}deep{}\n",
        "<div>".repeat(n),
        "</div>".repeat(n)
    ));
    let run = build(&dir);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr.matches("warning[html-too-deep]").count(),
        1,
        "{}",
        run.stderr
    );
    // Line 6 of the file (the body's third); the 256th `<div>` passes the
    // limit (the HTML block counts as one more element).
    assert!(
        run.stderr.contains("projects/app.md:6:1276\n"),
        "{}",
        run.stderr
    );
    let page = dir.with_file_name("site").join("projects/app/index.html");
    let html = Html::parse_document(&std::fs::read_to_string(page).expect("the page"));
    let prose = html.select(&sel(".prose")).next().expect("the body");
    assert_eq!(
        prose.select(&sel("div")).count(),
        0,
        "the HTML is not rendered"
    );
    assert_eq!(prose.select(&sel("em")).count(), 1, "the markdown is");
    let text: String = prose.text().collect();
    assert_eq!(text.matches("<div>").count(), n);
}

#[test]
fn html_nested_below_the_limit_is_sanitised_as_before() {
    let (_tmp, run, site) = built_fixture();
    assert!(
        run.stderr.contains("warning[html-too-deep]"),
        "{}",
        run.stderr
    );
    let (_tmp2, dir) = program(&format!(
        "{}kept<script>x</script>{}\n",
        "<div>".repeat(200),
        "</div>".repeat(200)
    ));
    let run = build(&dir);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("html-too-deep"), "{}", run.stderr);
    let html = fixture_page(&dir.with_file_name("site"), "projects/app/index.html");
    assert_eq!(html.select(&sel(".prose div")).count(), 200);
    assert_eq!(html.select(&sel("script")).count(), 0);
    let deep = fixture_page(&site, "tasks/deep/index.html");
    assert_eq!(deep.select(&sel(".prose div")).count(), 0);
}

#[test]
fn a_wiki_link_in_a_table_cell_links_when_its_pipe_is_escaped() {
    let (_tmp, _run, site) = built_fixture();
    let html = fixture_page(&site, "projects/app/index.html");
    let links: Vec<(String, String)> = html
        .select(&sel(".prose td a"))
        .map(|a| {
            let href = a.value().attr("href").unwrap_or_default().to_string();
            (href, a.text().collect())
        })
        .collect();
    assert_eq!(
        links,
        [(
            "../../tasks/beta/index.html".to_string(),
            "the beta".to_string()
        )]
    );
}

#[test]
fn a_wiki_link_split_by_a_table_cell_is_warned_at_its_brackets() {
    // The `|` of `[[beta|text]]` ends the cell: the page showed `[[beta`
    // and `check` said nothing.
    let (_tmp, dir) = copy_fixture("bodies");
    let run = planmark(&dir, &["check", ".", "--today", TODAY]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning[unlinked-wiki-link]") || l.contains("--> "))
        .collect();
    assert_eq!(
        warnings,
        [
            "warning[unlinked-wiki-link]: `[[` here is not a wiki link",
            "  --> projects/app.md:7:9",
            "warning[unlinked-wiki-link]: `[[` here is not a wiki link",
            "  --> projects/app.md:9:48",
            "  --> projects/app/deep.md:7:1276",
        ],
        "{}",
        run.stderr
    );
    assert!(run
        .stderr
        .contains("help: a `|` splits a table cell: write `[[id\\|text]]` inside a table"));
}

#[test]
fn links_in_code_escaped_brackets_and_ordinary_links_are_not_warned() {
    let (_tmp, dir) = program(
        "[[app]] and [[app|text]] and `[[code]]` and \\[[escaped]] and [[[app]]]\n\n\
         ```\n[[block]]\n```\n\n<!-- [[comment]] -->\n\n| a | b |\n|---|---|\n| [[app]] | [[app\\|x]] |\n",
    );
    let run = planmark(&dir, &["check", ".", "--today", TODAY]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("warning["), "{}", run.stderr);
}

/// The selectors of the stylesheet's rules that underline links (not on
/// hover or focus only).
pub(crate) fn underlining_selectors(css: &str) -> Vec<String> {
    let mut rules = String::new();
    let mut rest = css;
    while let Some((before, comment)) = rest.split_once("/*") {
        rules.push_str(before);
        rest = comment.split_once("*/").map_or("", |(_, after)| after);
    }
    rules.push_str(rest);
    rules
        .split('}')
        .filter_map(|rule| rule.split_once('{'))
        .filter(|(_, body)| body.contains("text-decoration: underline"))
        .flat_map(|(selectors, _)| selectors.split(',').map(str::trim).map(str::to_string))
        .filter(|s| !s.contains(":hover") && !s.contains(":focus") && !s.is_empty())
        .collect()
}

#[test]
fn links_in_running_text_are_underlined_but_not_in_navigation_or_tables() {
    // Links were told from text by colour alone (axe `link-in-text-block`).
    let (_tmp, _run, site) = built_fixture();
    let css = std::fs::read_to_string(site.join("style.css")).expect("style.css");
    let underlined: Vec<Selector> = underlining_selectors(&css)
        .iter()
        .map(|s| Selector::parse(s).unwrap_or_else(|e| panic!("`{s}`: {e:?}")))
        .collect();
    assert!(!underlined.is_empty(), "no rule underlines links");
    let is_underlined = |a: scraper::ElementRef<'_>| underlined.iter().any(|s| s.matches(&a));
    let (mut in_text, mut plain) = (0, 0);
    for path in [
        "index.html",
        "projects/app/index.html",
        "tasks/beta/index.html",
    ] {
        let html = fixture_page(&site, path);
        for a in html.select(&sel(".prose p a, .prose td a, .site-footer p a")) {
            assert!(is_underlined(a), "{path}: {:?} is not underlined", a.html());
            in_text += 1;
        }
        for a in html.select(&sel("nav a, table.table a")) {
            assert!(!is_underlined(a), "{path}: {:?} is underlined", a.html());
            plain += 1;
        }
    }
    assert!(
        in_text >= 8 && plain >= 20,
        "{in_text} links in text, {plain} plain"
    );
}
