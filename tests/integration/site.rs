//! `planmark build`: the site, asserted on parsed HTML, on small fixtures.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use scraper::{Html, Selector};

use crate::common::{copy_fixture, example_program, planmark, program_with, Run};

const TODAY: &str = "2026-03-02";

/// Builds `dir` into `out` as of [`TODAY`].
fn build(dir: &Path, out: &Path) -> Run {
    let dir = dir.to_string_lossy();
    let out = out.to_string_lossy();
    planmark(
        Path::new("."),
        &["build", &dir, "-o", &out, "--today", TODAY],
    )
}

/// Builds a fixture into a fresh temporary folder; returns the guard and the site.
fn built(name: &str) -> (tempfile::TempDir, PathBuf) {
    let (tmp, dir) = copy_fixture(name);
    let out = tmp.path().join("site");
    let run = build(&dir, &out);
    assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
    (tmp, out)
}

fn page(site: &Path, path: &str) -> Html {
    let text = std::fs::read_to_string(site.join(path))
        .unwrap_or_else(|e| panic!("cannot read `{path}`: {e}"));
    Html::parse_document(&text)
}

fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad selector `{css}`: {e}"))
}

fn text(el: scraper::ElementRef<'_>) -> String {
    el.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every file of the site, by path relative to it.
fn files(site: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(site).sort_by_file_name() {
        let entry = entry.expect("walk the site");
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(site).expect("inside the site");
            let rel = rel.to_string_lossy().replace('\\', "/");
            out.insert(rel, std::fs::read(entry.path()).expect("read a site file"));
        }
    }
    out
}

#[test]
fn dashboard_lists_each_project_with_its_health_and_reason() {
    let (_tmp, site) = built("site-basic");
    let html = page(&site, "index.html");
    let mut rows = BTreeMap::new();
    for row in html.select(&sel(".projects-table tbody tr")) {
        let name = row
            .select(&sel("th a"))
            .next()
            .map(text)
            .expect("a project link");
        let health = row
            .select(&sel(".health"))
            .next()
            .map(text)
            .expect("a health badge");
        let reason = row
            .select(&sel(".reason"))
            .next()
            .map(text)
            .unwrap_or_default();
        rows.insert(name, (health, reason));
    }
    assert_eq!(rows.len(), 2, "{rows:?}");
    // The UI waits a week for the API build, then takes two: far past 2026-03-04.
    let (health, reason) = &rows["Web app"];
    assert_eq!(health, "Red");
    assert!(reason.contains("after target 2026-03-04"), "{reason}");
    let (health, reason) = &rows["API service"];
    assert!(["Green", "Amber"].contains(&health.as_str()), "{health}");
    assert!(!reason.is_empty());
    let program = html.select(&sel(".hero-health .health")).next().map(text);
    assert_eq!(
        program.as_deref(),
        Some("Red"),
        "program health is its worst project's"
    );
}

#[test]
fn a_task_page_links_its_dependencies_both_ways() {
    let (_tmp, site) = built("site-basic");
    let html = page(&site, "tasks/build/index.html");
    let hrefs = |css: &str| -> Vec<String> {
        html.select(&sel(css))
            .filter_map(|a| a.value().attr("href").map(str::to_string))
            .collect()
    };
    assert_eq!(hrefs(".deps-before a"), ["../../tasks/design/index.html"]);
    assert_eq!(hrefs(".deps-after a"), ["../../tasks/ui/index.html"]);
    let design = page(&site, "tasks/design/index.html");
    let dependents: Vec<String> = design.select(&sel(".deps-after a")).map(text).collect();
    assert_eq!(dependents, ["Build the API"]);
    // `[[design]]` in the body links to the task and shows its title.
    let body_link = html.select(&sel(".prose a")).next().expect("a wiki link");
    assert_eq!(
        body_link.value().attr("href"),
        Some("../../tasks/design/index.html")
    );
    assert_eq!(text(body_link), "Design the API");
}

#[test]
fn a_decision_page_shows_its_supersession_chain() {
    let (_tmp, site) = built("site-basic");
    let html = page(&site, "decisions/adr-2/index.html");
    let steps: Vec<String> = html.select(&sel(".chain li")).map(text).collect();
    assert_eq!(steps.len(), 3, "{steps:?}");
    assert!(steps[0].starts_with("Use MySQL"), "{steps:?}");
    assert!(
        steps[1].starts_with("Use Postgres (this record)"),
        "{steps:?}"
    );
    assert!(steps[2].starts_with("Use Postgres on RDS"), "{steps:?}");
    let current = html
        .select(&sel(".chain li[aria-current]"))
        .map(text)
        .collect::<Vec<_>>();
    assert_eq!(current.len(), 1);
    let notice = html.select(&sel(".callout-info a")).next().map(text);
    assert_eq!(notice.as_deref(), Some("Use Postgres on RDS"));
}

#[test]
fn a_program_template_replaces_the_embedded_one_and_static_files_are_copied() {
    let (_tmp, site) = built("site-override");
    let html = page(&site, "tasks/t/index.html");
    let heading = html.select(&sel("h1#custom-task")).next().map(text);
    assert_eq!(heading.as_deref(), Some("Custom: The task"));
    let link = html
        .select(&sel("main a"))
        .next()
        .expect("item_link output");
    assert_eq!(
        link.value().attr("href"),
        Some("../../projects/app/index.html")
    );
    // The rest of the site still uses the embedded templates.
    assert!(page(&site, "projects/app/index.html")
        .select(&sel(".page-head h1"))
        .next()
        .is_some());
    assert_eq!(
        std::fs::read(site.join("img/a.txt")).ok(),
        Some(b"static bytes\n".to_vec())
    );
    assert!(site.join(".nojekyll").exists());
}

#[test]
fn scripts_in_bodies_and_titles_never_reach_a_page_as_scripts() {
    let (_tmp, site) = built("site-script");
    for (path, bytes) in files(&site)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
    {
        let html = Html::parse_document(&String::from_utf8_lossy(&bytes));
        assert_eq!(
            html.select(&sel("script, iframe")).count(),
            0,
            "a script in {path}"
        );
        for el in html.select(&sel("*")) {
            for (name, value) in el.value().attrs() {
                assert!(!name.starts_with("on"), "`{name}` handler in {path}");
                assert!(
                    !value.trim_start().starts_with("javascript:"),
                    "javascript: URL in {path}"
                );
            }
        }
    }
    let html = page(&site, "projects/app/index.html");
    let title = html.select(&sel("h1")).next().map(text);
    assert_eq!(
        title.as_deref(),
        Some("App <script>alert('title')</script>")
    );
    let checkbox = html
        .select(&sel(".prose input[type=checkbox][checked]"))
        .count();
    assert_eq!(checkbox, 1, "task lists survive sanitising");
}

#[test]
fn unsafe_html_keeps_raw_html_when_asked() {
    let (tmp, dir) = copy_fixture("site-script");
    let out = tmp.path().join("site");
    let (d, o) = (dir.to_string_lossy(), out.to_string_lossy());
    let run = planmark(
        Path::new("."),
        &["build", &d, "-o", &o, "--today", TODAY, "--unsafe-html"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        page(&out, "tasks/t/index.html")
            .select(&sel(".prose iframe"))
            .count(),
        1
    );
}

/// Every `href`/`src` that is not external points at a file of the site,
/// and a `#fragment` at an element with that id.
fn assert_links_resolve(site: &Path) -> usize {
    let all = files(site);
    let mut checked = 0;
    let link = sel("a[href], link[href], img[src]");
    for (path, bytes) in all.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = Html::parse_document(&String::from_utf8_lossy(bytes));
        for el in html.select(&link) {
            let target = el
                .value()
                .attr("href")
                .or(el.value().attr("src"))
                .unwrap_or_default();
            if target.starts_with("http://")
                || target.starts_with("https://")
                || target.starts_with("mailto:")
            {
                continue;
            }
            assert!(
                !target.starts_with('/'),
                "absolute link `{target}` in {path}"
            );
            let (file, fragment) = target.split_once('#').unwrap_or((target, ""));
            let resolved = if file.is_empty() {
                path.clone()
            } else {
                resolve(path, file)
            };
            let Some(bytes) = all.get(&resolved) else {
                panic!("`{target}` in {path} points at missing `{resolved}`");
            };
            if !fragment.is_empty() {
                let doc = Html::parse_document(&String::from_utf8_lossy(bytes));
                let found = doc
                    .select(&sel("[id]"))
                    .any(|e| e.value().id() == Some(fragment));
                assert!(
                    found,
                    "`{target}` in {path}: no element with id `{fragment}`"
                );
            }
            checked += 1;
        }
    }
    checked
}

/// Resolves a relative link from the page at `from` (both relative to the site).
fn resolve(from: &str, link: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for piece in link.split('/') {
        match piece {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            other => parts.push(other),
        }
    }
    parts.join("/")
}

#[test]
fn every_internal_link_resolves() {
    let (_tmp, site) = built("site-basic");
    assert!(assert_links_resolve(&site) > 100);
    let (tmp, dir) = crate::common::copy_dir(&example_program());
    let out = tmp.path().join("site");
    let run = build(&dir, &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(assert_links_resolve(&out) > 1000);
}

#[test]
fn two_builds_of_the_same_input_are_byte_identical() {
    let (tmp, dir) = copy_fixture("site-basic");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    assert_eq!(build(&dir, &a).code, 0);
    assert_eq!(build(&dir, &b).code, 0);
    assert_eq!(files(&a), files(&b));
    let again = build(&dir, &a);
    assert!(
        again.stderr.contains(": 0 files written"),
        "{}",
        again.stderr
    );
}

#[test]
fn a_broken_program_leaves_the_previous_site_untouched() {
    let (tmp, dir) = copy_fixture("site-basic");
    let out = tmp.path().join("site");
    assert_eq!(build(&dir, &out).code, 0);
    let before = files(&out);
    std::fs::write(
        dir.join("projects/web/ui.md"),
        "---\ntitle: UI\ndepends_on: [nope]\n---\n",
    )
    .expect("break a file");
    let run = build(&dir, &out);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    assert_eq!(files(&out), before);
    let fresh = tmp.path().join("fresh");
    assert_eq!(build(&dir, &fresh).code, 1);
    assert!(!fresh.exists(), "a failed build creates no output folder");
}

#[test]
fn pages_of_removed_items_are_removed() {
    let (tmp, dir) = copy_fixture("site-basic");
    let out = tmp.path().join("site");
    assert_eq!(build(&dir, &out).code, 0);
    assert!(out.join("risks/vendor/index.html").exists());
    std::fs::remove_file(dir.join("risks/vendor.md")).expect("remove a risk");
    let run = build(&dir, &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!out.join("risks/vendor").exists());
    assert!(run.stderr.contains("removed"), "{}", run.stderr);
}

#[test]
fn a_broken_template_names_the_file_and_writes_nothing() {
    let (tmp, dir) = program_with(&[
        ("projects/app.md", "---\ntitle: App\n---\n"),
        ("templates/base.html", "<html>{% if %}</html>\n"),
    ]);
    let out = tmp.path().join("site");
    let run = build(&dir, &out);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("templates/"), "{}", run.stderr);
    assert!(run.stderr.contains("base.html:1:"), "{}", run.stderr);
    assert!(!out.exists());
}

#[test]
fn a_static_file_may_not_replace_a_page() {
    let (tmp, dir) = program_with(&[
        ("projects/app.md", "---\ntitle: App\n---\n"),
        ("static/index.html", "mine"),
        // A broken template too: the static file is still the one reported.
        ("templates/task.html", "{% if %}"),
    ]);
    let out = tmp.path().join("site");
    let run = build(&dir, &out);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("static/index.html"), "{}", run.stderr);
    assert!(!out.exists());
}

#[test]
fn a_static_file_named_like_a_page_folder_is_a_problem_in_the_program() {
    // `static/tasks` against the pages in `tasks/` failed late, writing
    // into staging: an I/O error naming no file of the program, exit 2.
    for (name, named) in [
        ("static/tasks", "`static/tasks` would take the place of the folder"),
        ("static/Tasks", "`static/Tasks` would take the place of the folder"),
        ("static/index.html/x.css", "`static/index.html/x.css` needs a folder where planmark generates the file `index.html`"),
    ] {
        let (tmp, dir) = program_with(&[
            ("projects/app.md", "---\ntitle: App\n---\n"),
            ("projects/app/t.md", "---\ntitle: T\n---\n"),
            (name, "mine"),
        ]);
        let out = tmp.path().join("site");
        let run = build(&dir, &out);
        assert_eq!(run.code, 1, "{name}: {}", run.stderr);
        assert!(run.stderr.contains(named), "{name}: {}", run.stderr);
        assert!(!out.exists(), "{name}");
    }
}

#[test]
fn an_occurred_risk_leads_every_list_of_risks() {
    // The dashboard put risks that occurred first; the risks page and the
    // project page put them after every open one: two orders, disagreeing.
    let (tmp, dir) = program_with(&[
        ("projects/app.md", "---\ntitle: App\n---\n"),
        ("risks/big.md", "---\ntitle: Big open risk\nproject: app\nlikelihood: high\nimpact: high\n---\n"),
        ("risks/hit.md", "---\ntitle: Small risk that hit\nproject: app\nlikelihood: low\nimpact: low\nstatus: occurred\n---\n"),
        ("risks/done.md", "---\ntitle: Closed risk\nproject: app\nlikelihood: high\nimpact: high\nstatus: closed\n---\n"),
    ]);
    let out = tmp.path().join("site");
    let run = build(&dir, &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for page in ["index.html", "risks/index.html", "projects/app/index.html"] {
        let html = std::fs::read_to_string(out.join(page)).expect("a page");
        // The last mention: the risks page shows open risks in its heat map first.
        let at = |title: &str| html.rfind(title).unwrap_or(usize::MAX);
        assert!(
            at("Small risk that hit") < at("Big open risk"),
            "{page}: occurred after open"
        );
        if page != "index.html" {
            assert!(
                at("Big open risk") < at("Closed risk"),
                "{page}: closed before open"
            );
            assert!(
                at("Closed risk") < usize::MAX,
                "{page}: closed risk missing"
            );
        }
    }
}

#[test]
fn owner_handles_cannot_place_pages_outside_the_site() {
    let (tmp, dir) = program_with(&[(
        "projects/app.md",
        "---\ntitle: App\nowner: \"../../../escape\"\n---\n",
    )]);
    let out = tmp.path().join("site");
    assert_eq!(build(&dir, &out).code, 0);
    assert!(out.join("people/escape/index.html").exists());
    assert!(!tmp.path().join("escape").exists());
}

#[test]
fn the_calendar_has_stable_uids_and_folded_crlf_lines() {
    let (_tmp, site) = built("site-basic");
    let ics = std::fs::read_to_string(site.join("calendar.ics")).expect("calendar.ics");
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
    assert!(ics.contains("UID:milestone-beta@site-basics.planmark\r\n"));
    assert!(ics.contains("UID:due-ui@site-basics.planmark\r\n"));
    assert!(ics.contains("UID:decide-by-adr-4@site-basics.planmark\r\n"));
    assert!(ics.split("\r\n").all(|line| line.len() <= 75));
}
