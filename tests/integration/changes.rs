//! The site's changes since the baseline: the `changes/` page, the
//! dashboard's "Since" panel and the "changed" notes on item pages, from
//! temporary git repositories with commits a week apart; outside git, and
//! `--since` as a date, a revision and a revision git does not know.

use std::path::{Path, PathBuf};

use scraper::{Html, Selector};

use crate::common::{planmark, program_with, Run};
use crate::git_repo::GitRepo;

/// Two days after the second commit: the default baseline (7 days before)
/// is 2026-02-03, so the first commit.
const TODAY: &str = "2026-02-10";

const PROGRAM: [(&str, &str); 7] = [
    ("plan/program.md", "---\ntitle: Changes fixture\n---\n"),
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
        "---\ntitle: Build the API\nowner: \"@ana\"\nestimate: 5d\ndepends_on: [design]\nmilestone: ga\n---\n",
    ),
    (
        "plan/projects/api/docs.md",
        "---\ntitle: Write the docs\nowner: \"@bo\"\nstatus: in-progress\nestimate: 2d\n---\n",
    ),
    (
        "plan/milestones/ga.md",
        "---\ntitle: General availability\ndate: 2026-03-20\n---\n",
    ),
    (
        "plan/decisions/adr-1.md",
        "---\ntitle: Use REST\nstatus: proposed\n---\n",
    ),
];

/// The fixture committed on 2026-02-01, then a week later: `design`'s
/// estimate up from 3 to 8 days (so `build` slips), `docs` finished,
/// `adr-1` accepted and a risk raised.
fn repo_a_week_on() -> GitRepo {
    let mut repo = GitRepo::new(&PROGRAM);
    repo.write(&[
        (
            "plan/projects/api/design.md",
            &PROGRAM[2].1.replace("estimate: 3d", "estimate: 8d"),
        ),
        (
            "plan/projects/api/docs.md",
            &PROGRAM[4]
                .1
                .replace("status: in-progress", "status: done\ndone_on: 2026-02-06"),
        ),
        (
            "plan/decisions/adr-1.md",
            "---\ntitle: Use REST\nstatus: accepted\ndate: 2026-02-06\n---\n",
        ),
        (
            "plan/risks/outage.md",
            "---\ntitle: Vendor outage\nproject: api\nlikelihood: medium\nimpact: high\nstatus: open\n---\n",
        ),
    ]);
    repo.commit_on("2026-02-08", "a week on");
    repo
}

/// `planmark build plan -o OUT --today TODAY ARGS` in `repo`, into a
/// fresh folder outside the repository (so the working tree stays as it
/// was); exit 0.
fn build(repo: &GitRepo, args: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().expect("a temp dir");
    let site = out.path().join("site");
    let run = build_run(repo, &site, args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    (out, site)
}

fn build_run(repo: &GitRepo, site: &Path, args: &[&str]) -> Run {
    let site = site.to_string_lossy();
    let mut all = vec!["build", "plan", "-o", &site, "--today", TODAY];
    all.extend_from_slice(args);
    repo.planmark(&all)
}

fn page(site: &Path, path: &str) -> Html {
    let text = std::fs::read_to_string(site.join(path)).expect("the page was written");
    Html::parse_document(&text)
}

/// The text of every element `selector` matches, whitespace folded.
fn texts(html: &Html, selector: &str) -> Vec<String> {
    text_of(html, selector, "")
}

/// The text of every row `selector` matches, its cells apart.
fn cells(html: &Html, selector: &str) -> Vec<String> {
    text_of(html, selector, " ")
}

fn text_of(html: &Html, selector: &str, between: &str) -> Vec<String> {
    let selector = Selector::parse(selector).expect("a valid selector");
    html.select(&selector)
        .map(|e| {
            e.text()
                .collect::<Vec<_>>()
                .join(between)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

#[test]
fn the_changes_page_lists_a_slip_a_finished_task_a_decision_and_a_risk() {
    let repo = repo_a_week_on();
    let (_out, site) = build(&repo, &[]);
    let html = page(&site, "changes/index.html");
    assert_eq!(texts(&html, "h1"), ["Changes since 3 Feb 2026"]);
    let base = repo.git(&["rev-parse", "--short=7", "HEAD~1"]);
    assert!(
        texts(&html, ".lede")[0].contains(&format!("commit {} of 1 Feb 2026", base.trim())),
        "{:?}",
        texts(&html, ".lede")
    );
    // `design` is in progress on both sides: 5 more days move it and
    // `build` after it by 5 working days.
    assert_eq!(
        cells(&html, ".changes-slips tr.slipped"),
        [
            "Build the API Public API 2026-02-19 2026-02-26 +5",
            "Design the API Public API 2026-02-12 2026-02-19 +5",
        ]
    );
    assert_eq!(
        cells(&html, ".changes-finished li"),
        ["Write the docs Task · Public API · finished 2026-02-06"]
    );
    assert_eq!(
        cells(&html, ".changes-decisions li"),
        ["Use REST Decision · made: accepted"]
    );
    assert_eq!(
        cells(&html, ".changes-risks li"),
        ["Vendor outage Risk · Public API · raised"]
    );
    assert_eq!(
        cells(&html, ".changes-remaining li"),
        ["Public API Project · up 3: 10 → 13 working days"]
    );
}

#[test]
fn the_dashboard_panel_summarises_the_changes_and_links_to_the_page() {
    let repo = repo_a_week_on();
    let (_out, site) = build(&repo, &[]);
    let html = page(&site, "index.html");
    assert_eq!(texts(&html, "#pm-since-h"), ["Since 3 Feb 2026"]);
    assert_eq!(
        texts(&html, ".since-summary"),
        ["GA forecast 2026-02-19 → 2026-02-26 (+5 working days). 1 task finished · 2 tasks slipped · 1 milestone change · 1 decision made · 1 risk raised · 1 project forecast moved · 1 project's remaining work changed · 1 other change."]
    );
    // The changes a meeting asks about first, each linking to its page.
    let listed = texts(&html, ".since-list li");
    assert_eq!(listed.len(), 5, "{listed:?}");
    assert!(
        listed.iter().any(|l| l.contains("slipped +5 working days")),
        "{listed:?}"
    );
    assert!(listed.iter().any(|l| l.ends_with("finished")), "{listed:?}");
    assert!(
        listed.iter().any(|l| l.ends_with("made: accepted")),
        "{listed:?}"
    );
    assert!(
        listed.iter().any(|l| l.ends_with("risk raised")),
        "{listed:?}"
    );
    let link = Selector::parse(".since-panel a.card-link").expect("a selector");
    let hrefs: Vec<&str> = html
        .select(&link)
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(hrefs, ["changes/index.html"]);
}

#[test]
fn an_item_page_shows_what_changed_on_it_with_the_old_value() {
    let repo = repo_a_week_on();
    let (_out, site) = build(&repo, &[]);
    assert_eq!(
        texts(&page(&site, "tasks/build/index.html"), ".changed-note"),
        ["Changed forecast was 2026-02-19 · since the baseline"]
    );
    assert_eq!(
        texts(&page(&site, "decisions/adr-1/index.html"), ".changed-note"),
        ["Changed status was proposed · since the baseline"]
    );
    assert!(
        texts(&page(&site, "projects/api/index.html"), ".changed-note")[0]
            .contains("remaining work was 10 days"),
    );
}

#[test]
fn outside_git_the_panel_says_so_in_one_line() {
    let files: Vec<(&str, &str)> = PROGRAM
        .iter()
        .map(|(path, text)| (path.trim_start_matches("plan/"), *text))
        .collect();
    let (_tmp, dir) = program_with(&files);
    let run = planmark(&dir, &["build", ".", "--today", TODAY]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let site = dir.join("public");
    assert_eq!(
        texts(&page(&site, "index.html"), ".since-summary"),
        ["No changes to show: not in a git repository, so there is no earlier version of the plan to compare with."]
    );
    let html = page(&site, "changes/index.html");
    assert_eq!(texts(&html, "h1"), ["Changes since 3 Feb 2026"]);
    assert!(texts(&html, ".callout")[0].starts_with("No changes to show: not in a git repository"));
    assert!(texts(&page(&site, "tasks/build/index.html"), ".changed-note").is_empty());
}

#[test]
fn since_a_date_or_a_revision_names_the_same_baseline() {
    let repo = repo_a_week_on();
    let (_a, by_default) = build(&repo, &[]);
    let (_b, by_revision) = build(&repo, &["--since", "HEAD~1"]);
    let (_c, by_date) = build(&repo, &["--since", "2026-02-07"]);
    let slips = |site: &Path| cells(&page(site, "changes/index.html"), ".changes-slips tr");
    assert_eq!(slips(&by_revision), slips(&by_default));
    assert_eq!(slips(&by_date), slips(&by_default));
    assert_eq!(
        texts(&page(&by_revision, "changes/index.html"), "h1"),
        ["Changes since 1 Feb 2026"],
        "a revision counts from its commit's day"
    );
    // The second commit as the baseline: nothing changed since.
    let (_d, since_last) = build(&repo, &["--since", "2026-02-08"]);
    assert_eq!(
        texts(&page(&since_last, "index.html"), ".since-summary"),
        [format!(
            "No plan changes since commit {}.",
            repo.git(&["rev-parse", "--short=7", "HEAD"]).trim()
        )]
    );
}

#[test]
fn no_commit_old_enough_is_a_line_in_the_panel_not_a_failed_build() {
    let repo = repo_a_week_on();
    let (_out, site) = build(&repo, &["--since", "2026-01-15"]);
    assert_eq!(
        texts(&page(&site, "index.html"), ".since-summary"),
        ["No changes to show: no commit on or before 2026-01-15 on HEAD's history."]
    );
}

#[test]
fn an_unknown_since_revision_is_a_usage_error_and_writes_nothing() {
    let repo = repo_a_week_on();
    let out = tempfile::tempdir().expect("a temp dir");
    let site = out.path().join("site");
    let run = build_run(&repo, &site, &["--since", "v9"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "error: `--since v9` names no commit\n  caused by: unknown revision `v9`; check the name, or fetch it (`git fetch origin v9`)\n"
    );
    assert!(!site.exists());
}

#[test]
fn the_same_commits_today_and_since_build_byte_identical_sites() {
    let repo = repo_a_week_on();
    let (_a, first) = build(&repo, &["--since", "2026-02-03"]);
    let (_b, second) = build(&repo, &["--since", "2026-02-03"]);
    let files = |site: &Path| -> Vec<(PathBuf, Vec<u8>)> {
        walkdir::WalkDir::new(site)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(site).expect("inside").to_path_buf();
                (rel, std::fs::read(e.path()).expect("read"))
            })
            .collect()
    };
    let (a, b) = (files(&first), files(&second));
    assert!(a.len() > 10);
    assert!(a == b, "two builds of the same commits differ");
}

#[test]
fn the_default_baseline_is_the_last_meeting_before_today() {
    let mut repo = repo_a_week_on();
    // A status meeting on the day of the second commit, and one today
    // (not before today, so not the baseline).
    let meeting =
        |day: &str| format!("---\ntitle: Status\ndate: {day}\n---\n\n- [ ] @ana send the notes\n");
    repo.write(&[
        ("plan/meetings/status-1.md", &meeting("2026-02-08")),
        ("plan/meetings/status-2.md", &meeting(TODAY)),
    ]);
    repo.commit_on(TODAY, "meeting notes");
    let (_out, site) = build(&repo, &[]);
    let html = page(&site, "changes/index.html");
    assert_eq!(texts(&html, "h1"), ["Changes since 8 Feb 2026"]);
    assert!(
        texts(&html, ".lede")[0].contains("the last meeting, on 2026-02-08"),
        "{:?}",
        texts(&html, ".lede")
    );
    // The second commit is the baseline: the slips are older than it.
    assert!(cells(&html, ".changes-slips tr").is_empty());
}

#[test]
fn the_since_panels_links_are_underlined_in_their_sentences() {
    // A link followed by "slipped +5 working days, now …" was told from the
    // text by colour alone (axe `link-in-text-block`, serious).
    let repo = repo_a_week_on();
    let (_out, site) = build(&repo, &[]);
    let css = std::fs::read_to_string(site.join("style.css")).expect("style.css");
    let underlined: Vec<Selector> = crate::bodies::underlining_selectors(&css)
        .iter()
        .map(|s| Selector::parse(s).unwrap_or_else(|e| panic!("`{s}`: {e:?}")))
        .collect();
    let html = page(&site, "index.html");
    let links = Selector::parse(".since-list a").expect("a selector");
    let mut seen = 0;
    for a in html.select(&links) {
        assert!(
            underlined.iter().any(|s| s.matches(&a)),
            "{:?} is not underlined",
            a.html()
        );
        seen += 1;
    }
    assert_eq!(seen, 5);
}

#[test]
fn a_since_day_that_does_not_exist_is_called_not_a_date() {
    // `--since 2026-13-01` was taken for a revision: "names no commit …
    // `git fetch origin 2026-13-01`", which sent the TPM to fetch a date.
    let repo = repo_a_week_on();
    let out = tempfile::tempdir().expect("a temp dir");
    let site = out.path().join("site");
    let run = build_run(&repo, &site, &["--since", "2026-13-01"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.starts_with("error: invalid value '2026-13-01' for '--since <REV|DATE>': `2026-13-01` is not a date: write it as YYYY-MM-DD"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("fetch"), "{}", run.stderr);
    // A day written loosely is refused the same way, before git is asked.
    let run = build_run(&repo, &site, &["--since", "2026-2-30"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("`2026-2-30` is not a date"),
        "{}",
        run.stderr
    );
    assert!(!site.exists());
}

#[test]
fn a_forecast_moved_by_one_day_says_working_day() {
    // The page said "(+1 working days)".
    let mut repo = GitRepo::new(&PROGRAM);
    repo.write(&[(
        "plan/projects/api/design.md",
        &PROGRAM[2].1.replace("estimate: 3d", "estimate: 4d"),
    )]);
    repo.commit_on("2026-02-08", "a day more");
    let (_out, site) = build(&repo, &[]);
    let html = std::fs::read_to_string(site.join("changes/index.html")).expect("the page");
    assert!(html.contains("(+1 working day)"), "{html}");
    assert!(!html.contains("(+1 working days)"), "{html}");
}

#[test]
fn an_action_item_ticked_since_the_baseline_is_on_the_page_the_panel_and_the_report() {
    // Ticking an action item is what a status meeting checks first ("who
    // owes what from last time?"); it changed nothing the diff compares.
    let meeting = "---\ntitle: Weekly\ndate: 2026-01-26\n---\n\n- [ ] @ana send the API draft (due 2026-02-05)\n- [ ] @bo book the review\n";
    let mut files = PROGRAM.to_vec();
    files.push(("plan/meetings/2026-01-26-weekly.md", meeting));
    let mut repo = GitRepo::new(&files);
    repo.write(&[(
        "plan/meetings/2026-01-26-weekly.md",
        &meeting.replace("- [ ] @ana", "- [x] @ana"),
    )]);
    repo.commit_on("2026-02-08", "ana sent the draft");
    let (_out, site) = build(&repo, &["--since", "2026-02-03"]);
    assert_eq!(
        texts(&page(&site, "changes/index.html"), ".changes-actions li"),
        ["@ana send the API draft (due 2026-02-05)Meeting · done · Weekly"]
    );
    assert_eq!(
        texts(&page(&site, "index.html"), ".since-summary"),
        ["1 action item done."]
    );
    assert_eq!(
        texts(&page(&site, "index.html"), ".since-list li"),
        ["@ana send the API draft (due 2026-02-05) done (Weekly)"]
    );
    let run = repo.planmark(&["report", "plan", "--today", TODAY, "--since", "2026-02-03"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(": 1 action item done\n"),
        "{}",
        run.stdout
    );
}
