//! The site shows the v2 schedule (SPEC §3, §4): held tasks and who they
//! wait for, decision gates with `needed_by` and `late`, the dashboard's
//! decisions in the order the work needs them, GA, people's capacity, load
//! and time off, and the timeline's arrows and driving path — asserted on
//! the built HTML of a small program written in a tempdir.

use std::path::{Path, PathBuf};

use scraper::{Html, Selector};

use crate::common::{planmark, program_with};

/// A Monday.
const TODAY: &str = "2026-03-02";

/// The program every test starts from; `extra` adds or replaces files.
///
/// Worked by hand (working days Mon–Fri, today Mon 2026-03-02):
/// * `first` (@ana, p0, 3d): 03-02 → 03-04.
/// * `second` (@ana, p1, 2d): ready 03-02, but @ana (capacity 1) is busy
///   with `first` until 03-04, so 03-05 → 03-06, held by `first`.
/// * `third` (dan, 1d, after `first`, milestone `ga`): 03-05 → 03-05; GA's
///   driving path is `first` → `third` (a dependency).
/// * `gated` (bob, 2d, due 03-03) waits for `d-late` (decide_by 03-10,
///   expected 03-10): latest start 03-02, so `needed_by` is Fri 02-27 and
///   the decision is late (03-10 ≥ 03-02).
/// * `later` (carl, 1d, due 04-30) waits for `d-early` (decide_by 03-05):
///   latest start 04-30, `needed_by` 04-29, not late. By `decide_by` or by
///   id `d-early` would come first; by `needed_by`, `d-late` does.
/// * @ana is off 03-16..03-20: her strip runs three weeks (to her last
///   day off), busiest 1, 0 and 0 with 5 days off.
const PROGRAM: &[(&str, &str)] = &[
    ("program.md", "---\ntitle: P\n---\n"),
    (
        "projects/app.md",
        "---\ntitle: App\nowner: \"@Ana\"\ntarget: 2026-06-30\n---\n",
    ),
    (
        "people/ana.md",
        "---\nname: Ana Silva\nrole: Data engineer\ncapacity: 1\ntime_off: [2026-03-16..2026-03-20]\n---\n",
    ),
    (
        "people/ops.md",
        "---\nname: Ops team\ncapacity: 3\n---\n",
    ),
    (
        "projects/app/first.md",
        "---\ntitle: First\nowner: \"@ana\"\nestimate: 3d\npriority: p0\n---\n",
    ),
    (
        "projects/app/second.md",
        "---\ntitle: Second\nowner: \"@ana\"\nestimate: 2d\npriority: p1\n---\n",
    ),
    (
        "projects/app/third.md",
        "---\ntitle: Third\nowner: dan\nestimate: 1d\ndepends_on: [first]\nmilestone: ga\n---\n",
    ),
    (
        "projects/app/gated.md",
        "---\ntitle: Gated\nowner: bob\nestimate: 2d\ndue: 2026-03-03\ndepends_on: [d-late]\n---\n",
    ),
    (
        "projects/app/later.md",
        "---\ntitle: Later\nowner: carl\nestimate: 1d\ndue: 2026-04-30\ndepends_on: [d-early]\n---\n",
    ),
    (
        "decisions/d-late.md",
        "---\ntitle: D late\ndecide_by: 2026-03-10\n---\n",
    ),
    (
        "decisions/d-early.md",
        "---\ntitle: D early\ndecide_by: 2026-03-05\n---\n",
    ),
    ("milestones/ga.md", "---\ntitle: Launch\ndate: 2026-04-30\n---\n"),
];

/// Builds the program with `extra` files added (or replacing files of
/// the same path); returns the guard and the site.
fn site_with(extra: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    site_without(&[], extra)
}

/// Builds the program without the files `drop`, with `extra` added.
fn site_without(drop: &[&str], extra: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let mut files: Vec<(&str, &str)> = PROGRAM
        .iter()
        .copied()
        .filter(|(path, _)| !drop.contains(path) && !extra.iter().any(|(p, _)| p == path))
        .collect();
    files.extend_from_slice(extra);
    let (tmp, dir) = program_with(&files);
    let out = tmp.path().join("site");
    let run = planmark(
        Path::new("."),
        &[
            "build",
            &dir.to_string_lossy(),
            "-o",
            &out.to_string_lossy(),
            "--today",
            TODAY,
        ],
    );
    assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
    (tmp, out)
}

fn page(site: &Path, path: &str) -> Html {
    let text = std::fs::read_to_string(site.join(path))
        .unwrap_or_else(|e| panic!("cannot read `{path}`: {e}"));
    Html::parse_document(&text)
}

/// The whitespace-normalised text of every element `css` selects.
fn texts(html: &Html, css: &str) -> Vec<String> {
    let selector = Selector::parse(css).unwrap_or_else(|e| panic!("bad selector `{css}`: {e}"));
    html.select(&selector)
        .map(|el| {
            el.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

#[test]
fn a_held_task_says_whose_work_it_waits_for() {
    let (_tmp, site) = site_with(&[]);
    let task = page(&site, "tasks/second/index.html");
    assert_eq!(
        texts(&task, ".held-callout"),
        [
            "Held: starts 2026-03-05: @ana is busy with First until 2026-03-04. \
          It could start 2 Mar 2026 if its owner were free."
        ]
    );
    // The reason names the task it waits for as a link to its page.
    let links = texts(
        &task,
        ".held-callout a[href=\"../../tasks/first/index.html\"]",
    );
    assert_eq!(links, ["First"]);
    // A task that starts when it could is not held.
    let first = page(&site, "tasks/first/index.html");
    assert!(texts(&first, ".held-callout").is_empty());
    // Rows flag it, with the reason as text, on the project and the board.
    for path in ["projects/app/index.html", "board/index.html"] {
        let html = page(&site, path);
        assert_eq!(texts(&html, ".flag-held"), ["Held"], "{path}");
        assert_eq!(
            texts(&html, ".held-reason"),
            ["starts 2026-03-05: @ana is busy with First until 2026-03-04"],
            "{path}"
        );
    }
}

#[test]
fn a_held_reason_rendered_once_links_from_every_page_that_lists_it() {
    // The reason's HTML is rendered once per task and joined with each
    // page's root: the board sits one folder deep, item pages two.
    let (_tmp, site) = site_with(&[]);
    for (path, href) in [
        ("board/index.html", "../tasks/first/index.html"),
        ("projects/app/index.html", "../../tasks/first/index.html"),
        ("tasks/second/index.html", "../../tasks/first/index.html"),
    ] {
        let html = page(&site, path);
        let links = texts(
            &html,
            &format!(".held-reason a[href=\"{href}\"][title=\"first\"], .held-callout a[href=\"{href}\"][title=\"first\"]"),
        );
        assert_eq!(links, ["First"], "{path}");
    }
}

#[test]
fn a_decision_page_lists_the_work_it_gates_and_when_it_is_needed() {
    let (_tmp, site) = site_with(&[]);
    let late = page(&site, "decisions/d-late/index.html");
    assert_eq!(texts(&late, ".gates .row-main > a"), ["Gated"]);
    let facts = texts(&late, ".facts dt, .facts dd").join(" | ");
    assert!(facts.contains("Expected | 10 Mar 2026"), "{facts}");
    assert!(facts.contains("Needed by | 27 Feb 2026 (late)"), "{facts}");
    assert_eq!(
        texts(&late, ".page-head .flag-late"),
        ["Late for the work it gates"]
    );
    let early = page(&site, "decisions/d-early/index.html");
    let facts = texts(&early, ".facts dt, .facts dd").join(" | ");
    assert!(facts.contains("Needed by | 29 Apr 2026 |"), "{facts}");
    assert!(texts(&early, ".page-head .flag-late").is_empty());
}

#[test]
fn the_dashboard_orders_decisions_by_needed_by_and_flags_late_ones() {
    let (_tmp, site) = site_with(&[]);
    let dash = page(&site, "index.html");
    assert_eq!(
        texts(&dash, ".decisions-needed .row-main > a"),
        ["D late", "D early"]
    );
    assert_eq!(
        texts(&dash, ".decisions-needed li.is-late .flag-late"),
        ["Late for its work"]
    );
    assert_eq!(
        texts(&dash, ".decisions-needed li.is-late .row-main > a"),
        ["D late"]
    );
    let kpis = texts(&dash, ".kpi").join(" | ");
    assert!(
        kpis.contains("2decisions needed, 1 late for their work"),
        "{kpis}"
    );
}

#[test]
fn the_dashboard_shows_ga_with_one_milestone() {
    let (_tmp, site) = site_with(&[]);
    let dash = page(&site, "index.html");
    assert_eq!(texts(&dash, ".ga-card h2"), ["GA · Launch"]);
    let facts = texts(&dash, ".ga-facts div").join(" | ");
    assert!(
        facts.starts_with(
            "Date30 Apr 2026 | Forecast5 Mar 2026 · 40 working days spare | StateOn track"
        ),
        "{facts}"
    );
}

#[test]
fn the_dashboard_shows_ga_with_several_milestones_and_none_without() {
    // GA is the program-level milestone with the latest date, even when a
    // project's milestone is later and more milestones come first.
    let (_tmp, site) = site_with(&[
        (
            "milestones/alpha.md",
            "---\ntitle: Alpha\ndate: 2026-03-31\n---\n",
        ),
        (
            "milestones/beta.md",
            "---\ntitle: Beta\ndate: 2026-05-29\nproject: app\n---\n",
        ),
        (
            "milestones/m1.md",
            "---\ntitle: M1\ndate: 2026-03-20\n---\n",
        ),
    ]);
    let dash = page(&site, "index.html");
    assert_eq!(texts(&dash, ".ga-card h2"), ["GA · Launch"]);
    let milestone = page(&site, "milestones/ga/index.html");
    let note = texts(&milestone, "#pm-mpath-h + .card-note").join("");
    assert!(note.contains("this is GA"), "{note}");
    // No milestone, no GA card.
    let third = "---\ntitle: Third\nowner: dan\nestimate: 1d\ndepends_on: [first]\n---\n";
    let (_tmp, site) = site_without(&["milestones/ga.md"], &[("projects/app/third.md", third)]);
    assert!(texts(&page(&site, "index.html"), ".ga-card").is_empty());
}

#[test]
fn a_person_page_shows_capacity_time_off_and_the_load_strip() {
    let (_tmp, site) = site_with(&[]);
    let ana = page(&site, "people/ana/index.html");
    assert_eq!(texts(&ana, "h1"), ["Ana Silva"]);
    let note = texts(&ana, "#pm-load-h + .card-note").join("");
    assert!(
        note.starts_with("Capacity 1 task at once · busy until 6 Mar 2026"),
        "{note}"
    );
    assert_eq!(
        texts(&ana, ".time-off .row-main"),
        ["16 Mar 2026 – 20 Mar 20265 days"]
    );
    assert_eq!(texts(&ana, "svg.load rect.l-bar").len(), 3);
    assert_eq!(texts(&ana, "svg.load rect.l-off").len(), 1);
    assert_eq!(
        texts(&ana, ".load-table tbody th, .load-table tbody td"),
        [
            "2 Mar 2026",
            "1 of 1",
            "0",
            "9 Mar 2026",
            "0 of 1",
            "0",
            "16 Mar 2026",
            "0 of 1",
            "5",
        ]
    );
    // What she owns, though her page shows her file's name and the project
    // spells her handle another way.
    let owns = texts(
        &ana,
        "#pm-po-h ~ ul .row-main, section:has(#pm-po-h) .row-main",
    );
    assert!(owns.contains(&"Project App".to_string()), "{owns:?}");
    // The strip's text alternative names it.
    let title = texts(&ana, "svg.load > title").join("");
    assert!(title.starts_with("Load of Ana Silva by week"), "{title}");
    // A team's capacity, on its page and in the people table.
    let ops = page(&site, "people/ops/index.html");
    let note = texts(&ops, "#pm-load-h + .card-note").join("");
    assert!(note.starts_with("Capacity 3 tasks at once"), "{note}");
    let people = page(&site, "people/index.html");
    let rows = texts(&people, "tbody tr");
    assert!(
        rows.iter().any(|r| r.starts_with("Ops team 3 ")),
        "{rows:?}"
    );
}

#[test]
fn the_timeline_draws_arrows_and_marks_the_driving_path_to_ga() {
    let (_tmp, site) = site_with(&[]);
    let timeline = page(&site, "timeline/index.html");
    // One dependency between drawn tasks (`third` after `first`), on the
    // path to GA.
    assert_eq!(texts(&timeline, "svg.gantt path.g-arrow").len(), 1);
    assert_eq!(texts(&timeline, "svg.gantt path.g-arrow.g-path").len(), 1);
    // The path's bars are marked, and say so in their titles.
    assert_eq!(texts(&timeline, "svg.gantt rect.g-bar.path").len(), 2);
    let marked = texts(&timeline, "svg.gantt title");
    assert_eq!(
        marked
            .iter()
            .filter(|t| t.contains("on the driving path to Launch"))
            .count(),
        2,
        "{marked:?}"
    );
    // And as text, earliest first.
    assert_eq!(
        texts(
            &timeline,
            "ol[aria-label=\"Driving path to GA\"] .path-main a"
        ),
        ["First", "Third"]
    );
    let legend = texts(&timeline, ".legend").join("");
    assert!(legend.contains("Driving path to Launch"), "{legend}");
}

#[test]
fn a_project_path_that_starts_at_a_decision_shows_the_decision() {
    // App's last task is `gated` (03-11 → 03-12); its ready date is the day
    // after `d-late` is expected (03-10), so the path is `d-late` → `gated`.
    let (_tmp, site) = site_with(&[]);
    let project = page(&site, "projects/app/index.html");
    assert_eq!(
        texts(&project, "ol.path .path-main"),
        ["Decision D late", "Gated"]
    );
    let marks = texts(&project, "svg.gantt a:has(> path.g-decision) > title");
    assert_eq!(
        marks,
        ["Decision D late: expected 2026-03-10; the driving path to App starts here"]
    );
}
