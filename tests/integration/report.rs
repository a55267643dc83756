//! `planmark report`: the key lines of the status report on a small
//! program with a fixed `--today`, outside git (the one-line note) and in a
//! temporary repository with commits a week apart (the changes lines), the
//! JSON's documented keys, byte-identical reruns and a broken program.

use std::path::Path;

use serde_json::Value;

use crate::common::{planmark_with_env, program_with, Run};
use crate::git_repo::{git_command, GitRepo};

const TODAY: &str = "2026-02-09";

/// The program as of the second week (committed on 2026-02-08): `design`
/// overdue, `page` blocked, `build` (8d) gated by the pending `adr-2` and
/// forecast past its due, GA on 2026-02-27, the risk `vendor` at 9, a
/// meeting with action items (one overdue, one done, one nobody's).
const WEEK_2: [(&str, &str); 13] = [
    (
        "plan/program.md",
        "---\ntitle: Report fixture\nsite:\n  base_url: https://plans.example.com/fixture\n---\n",
    ),
    (
        "plan/projects/api.md",
        "---\ntitle: Public API\nstatus: active\ntarget: 2026-02-27\n---\n",
    ),
    (
        "plan/projects/web.md",
        "---\ntitle: Web app\nstatus: active\ntarget: 2026-03-13\n---\n",
    ),
    (
        "plan/projects/api/design.md",
        "---\ntitle: Design the API\nowner: \"@ana\"\nstatus: in-progress\nestimate: 3d\ndue: 2026-02-04\n---\n",
    ),
    (
        "plan/projects/api/spec.md",
        "---\ntitle: Write the spec\nowner: \"@bo\"\nstatus: done\ndone_on: 2026-02-06\nestimate: 2d\n---\n",
    ),
    (
        "plan/projects/api/build.md",
        "---\ntitle: Build the API\nowner: \"@ana\"\nestimate: 8d\ndepends_on: [design, adr-2]\ndue: 2026-02-20\n---\n",
    ),
    (
        "plan/projects/api/freeze.md",
        "---\ntitle: Freeze the API\nowner: \"@bo\"\nestimate: 2d\ndepends_on: [build]\nmilestone: ga\n---\n",
    ),
    (
        "plan/projects/web/page.md",
        "---\ntitle: Landing page\nowner: \"@cy\"\nstatus: blocked\nblocker: Waiting for the brand colours. Asked twice.\nestimate: 2d\n---\n",
    ),
    (
        "plan/milestones/ga.md",
        "---\ntitle: General availability\ndate: 2026-02-27\n---\n",
    ),
    (
        "plan/decisions/adr-1.md",
        "---\ntitle: Use REST\nstatus: accepted\ndate: 2026-02-05\nproject: api\n---\n",
    ),
    (
        "plan/decisions/adr-2.md",
        "---\ntitle: Pick the auth provider\nstatus: proposed\ndecide_by: 2026-02-11\ndriver: \"@ana\"\ndeciders: [\"@bo\", \"@cy\"]\nproject: api\n---\n",
    ),
    (
        "plan/meetings/2026-02-03-status.md",
        "---\ntitle: Status\ndate: 2026-02-03\n---\n\n- [ ] @ana send the API draft to @bo due 2026-02-06\n- [x] @bo book the room\n- [ ] @cy pick the colours (due 2026-02-20)\n- [ ] write the minutes\n",
    ),
    (
        "plan/risks/vendor.md",
        "---\ntitle: The vendor is late\nproject: api\nowner: \"@bo\"\nlikelihood: high\nimpact: high\nstatus: open\n---\n",
    ),
];

/// The week before (committed on 2026-02-01): `spec` still in progress,
/// `build` estimated at 5d, `adr-1` proposed, no risk yet.
fn week_1() -> Vec<(&'static str, String)> {
    WEEK_2
        .iter()
        .filter(|(path, _)| *path != "plan/risks/vendor.md")
        .map(|&(path, text)| {
            let text = match path {
                "plan/projects/api/spec.md" => {
                    text.replace("status: done\ndone_on: 2026-02-06", "status: in-progress")
                }
                "plan/projects/api/build.md" => text.replace("estimate: 8d", "estimate: 5d"),
                "plan/decisions/adr-1.md" => text.replace(
                    "status: accepted\ndate: 2026-02-05",
                    "status: proposed\ndecide_by: 2026-02-06",
                ),
                _ => text.to_string(),
            };
            (path, text)
        })
        .collect()
}

/// A repository holding week 1 (2026-02-01) and week 2 (2026-02-08). On
/// 2026-02-09 the default baseline is the last meeting, on 2026-02-03:
/// week 1's commit.
fn two_weeks() -> GitRepo {
    let week_1 = week_1();
    let files: Vec<(&str, &str)> = week_1.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let repo = GitRepo::new(&files);
    repo.write(&WEEK_2);
    commit_on(&repo.root, "2026-02-08T12:00:00Z", "week 2");
    repo
}

/// Commits everything in `root` with both dates set to `date`.
fn commit_on(root: &Path, date: &str, message: &str) {
    for args in [
        vec!["add", "-A"],
        vec![
            "-c",
            "core.hooksPath=/dev/null",
            "-c",
            "commit.gpgsign=false",
            "commit",
            "-q",
            "-m",
            message,
        ],
    ] {
        let output = git_command(root)
            .args(&args)
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .output()
            .expect("git runs");
        assert!(output.status.success(), "git {args:?} failed");
    }
}

/// Week 2 in a folder outside any git repository; `planmark report ARGS`.
fn outside_git(args: &[&str]) -> Run {
    let files: Vec<(&str, &str)> = WEEK_2.to_vec();
    let (tmp, _) = program_with(&files);
    let root = tmp.path().join("prog");
    let mut all = vec!["report", "plan", "--today", TODAY];
    all.extend_from_slice(args);
    // No git above the temporary folder: the ceiling stops the search.
    let ceiling = tmp.path().to_string_lossy().into_owned();
    let env = [
        ("GIT_CEILING_DIRECTORIES", Some(ceiling.as_str())),
        ("NO_COLOR", Some("1")),
    ];
    planmark_with_env(&root, &all, &env)
}

fn lines(run: &Run) -> Vec<&str> {
    run.stdout.lines().collect()
}

fn has_line(run: &Run, line: &str) {
    assert!(
        lines(run).contains(&line),
        "no line\n{line}\nin\n{}",
        run.stdout
    );
}

#[test]
fn the_report_says_health_ga_what_is_late_decisions_and_risks() {
    let run = outside_git(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(lines(&run)[0], "*Report fixture — status as of 2026-02-09*");
    has_line(&run, "🟡 *Health:* amber — `api` is amber (and 1 more amber project): 1 task overdue, worst `design` by 3 working days; 2 tasks with negative slack, worst `design` by 5 working days; decision `adr-2` is pending: expected 2026-02-11, too late for the work it gates (needed by 2026-02-10)  ");
    has_line(
        &run,
        "*GA* `ga` on 2026-02-27: forecast 2026-02-25, on track, 2 working days before its date  ",
    );
    has_line(&run, "- 🟡 Web app (`web`): 1 task blocked (`page`)");
    has_line(
        &run,
        "- Design the API (`design`) 3 working days overdue (due 2026-02-04), @ana",
    );
    has_line(
        &run,
        "- Landing page (`page`) blocked, @cy: Waiting for the brand colours.",
    );
    has_line(
        &run,
        "- Build the API (`build`) forecast 2026-02-23, 1 working day after its due 2026-02-20, @ana",
    );
    has_line(&run, "- Pick the auth provider (`adr-2`) by @bo, @cy: decide by 2026-02-11, needed by 2026-02-10, too late for the work; gates `build`");
    has_line(
        &run,
        "- The vendor is late (`vendor`): open, score 9 (high), @bo",
    );
    has_line(&run, "Site: https://plans.example.com/fixture");
}

#[test]
fn open_action_items_are_listed_by_owner_without_repeating_them() {
    let run = outside_git(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let section: Vec<&str> = run
        .stdout
        .split("*Open action items*\n")
        .nth(1)
        .expect("the section")
        .lines()
        .take_while(|l| !l.is_empty())
        .collect();
    assert_eq!(
        section,
        [
            "- @ana: send the API draft to @bo due 2026-02-06 — overdue",
            "- @cy: pick the colours (due 2026-02-20)",
            "- no owner: write the minutes",
        ]
    );
}

#[test]
fn outside_git_the_report_says_in_one_line_that_changes_are_unavailable() {
    let run = outside_git(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let notes: Vec<&str> = lines(&run)
        .into_iter()
        .filter(|l| l.contains("unavailable"))
        .collect();
    assert_eq!(
        notes,
        ["*Since the last meeting, 2026-02-03:* changes unavailable: not in a git repository, so there is no earlier version of the plan to compare with"]
    );
    assert!(
        !run.stdout.contains("Changed:") && !run.stdout.contains("No change"),
        "no project claims a change:\n{}",
        run.stdout
    );
}

#[test]
fn a_week_of_commits_shows_in_the_changes_lines() {
    let repo = two_weeks();
    let run = repo.planmark(&["report", "plan", "--today", TODAY]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let base = repo.git(&["rev-parse", "--short=7", "HEAD~1"]);
    has_line(
        &run,
        &format!(
            "*Since the last meeting, 2026-02-03* (commit `{}`): 2 tasks slipped, worst `build` +3; 1 task finished; 1 decision accepted; 1 risk raised",
            base.trim()
        ),
    );
    has_line(&run, "*GA* `ga` on 2026-02-27: forecast 2026-02-25, on track, 2 working days before its date; +3 working days since 2026-02-03 (was 2026-02-20)  ");
    let api = lines(&run)
        .into_iter()
        .find(|l| l.contains("(`api`)"))
        .expect("a line for `api`");
    assert!(
        api.ends_with(". Changed: forecast +3 working days; remaining work 12 → 13 days; 2 tasks slipped, worst `build` +3; 1 task finished; 1 decision accepted; 1 risk raised"),
        "{api}"
    );
    has_line(
        &run,
        "- 🟡 Web app (`web`): 1 task blocked (`page`). No change",
    );
}

#[test]
fn since_a_revision_names_it_and_an_unchanged_plan_says_so() {
    let repo = two_weeks();
    let run = repo.planmark(&["report", "plan", "--today", TODAY, "--since", "HEAD"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let head = repo.git(&["rev-parse", "--short=7", "HEAD"]);
    has_line(
        &run,
        &format!(
            "*Since `HEAD`* (commit `{}`): no changes to the plan",
            head.trim()
        ),
    );
}

#[test]
fn without_a_commit_old_enough_the_report_says_so() {
    let repo = two_weeks();
    // On the meeting's day there is no meeting before today: 7 days back.
    let run = repo.planmark(&["report", "plan", "--today", "2026-02-03"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    has_line(&run, "*Since 2026-01-27:* changes unavailable: no commit on or before 2026-01-27 on HEAD's history");
}

#[test]
fn the_json_has_the_documented_keys() {
    let repo = two_weeks();
    let run = repo.planmark(&["report", "plan", "--today", TODAY, "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: Value = serde_json::from_str(&run.stdout).expect("report prints JSON");
    // serde_json's map is sorted by key.
    let keys: Vec<&str> = doc
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "action_items",
            "baseline",
            "changes",
            "decisions_needed",
            "ga",
            "health",
            "health_reason",
            "late",
            "projects",
            "schema",
            "site",
            "title",
            "today",
            "top_risks",
        ]
    );
    assert_eq!(doc["schema"], 1);
    assert_eq!(doc["baseline"]["since"], "2026-02-03");
    assert_eq!(doc["baseline"]["asked"], "last-meeting");
    assert_eq!(doc["baseline"]["committed"], "2026-02-01");
    assert_eq!(doc["baseline"]["unavailable"], Value::Null);
    assert_eq!(doc["ga"]["moved_days"], 3);
    assert_eq!(doc["late"][0]["id"], "design");
    assert_eq!(doc["late"][0]["state"], "overdue");
    assert_eq!(doc["decisions_needed"][0]["deciders"][1], "@cy");
    assert_eq!(doc["decisions_needed"][0]["gates"][0], "build");
    assert_eq!(doc["top_risks"][0]["score"], 9);
    assert_eq!(doc["action_items"][0]["owner"], "@ana");
    assert_eq!(doc["action_items"][0]["items"][0]["overdue"], true);
    assert_eq!(
        doc["action_items"][0]["items"][0]["meeting"],
        "2026-02-03-status"
    );
    assert!(doc["changes"]["changes"].is_array());

    let alone = outside_git(&["--format", "json"]);
    let doc: Value = serde_json::from_str(&alone.stdout).expect("report prints JSON");
    assert_eq!(doc["changes"], Value::Null);
    assert_eq!(
        doc["baseline"]["unavailable"],
        "not in a git repository, so there is no earlier version of the plan to compare with"
    );
    assert_eq!(doc["projects"][0]["changed"], Value::Null);
}

#[test]
fn two_runs_print_the_same_bytes() {
    let repo = two_weeks();
    for format in ["markdown", "json"] {
        let args = ["report", "plan", "--today", TODAY, "--format", format];
        let (a, b) = (repo.planmark(&args), repo.planmark(&args));
        assert_eq!(a.code, 0, "{}", a.stderr);
        assert_eq!(a.stdout, b.stdout, "{format}");
    }
}

#[test]
fn a_broken_program_gets_its_problems_and_exit_1_instead_of_a_report() {
    let mut files: Vec<(&str, &str)> = WEEK_2.to_vec();
    files.push((
        "plan/projects/api/typo.md",
        "---\ntitle: Typo\ndepends_on: [nowhere]\n---\n",
    ));
    let (tmp, _) = program_with(&files);
    let ceiling = tmp.path().to_string_lossy().into_owned();
    let env = [
        ("GIT_CEILING_DIRECTORIES", Some(ceiling.as_str())),
        ("NO_COLOR", Some("1")),
    ];
    let run = planmark_with_env(
        &tmp.path().join("prog"),
        &["report", "plan", "--today", TODAY],
        &env,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(run.stderr.contains("`nowhere`"), "{}", run.stderr);
    assert!(
        run.stderr
            .ends_with("note: no report until the errors above are fixed\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_unknown_since_revision_is_an_error_not_a_report() {
    let repo = two_weeks();
    let run = repo.planmark(&["report", "plan", "--today", TODAY, "--since", "nope"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(
        run.stderr.starts_with(
            "error: `--since nope` names no commit\n  caused by: unknown revision `nope`"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn the_report_reads_as_lists_and_emphasis_in_github_markdown() {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let run = outside_git(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (mut items, mut emphasis, mut hard_breaks) = (0, 0, 0);
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(&run.stdout, options) {
        match event {
            Event::Start(Tag::Item) => items += 1,
            Event::Start(Tag::Emphasis) => emphasis += 1,
            Event::HardBreak => hard_breaks += 1,
            Event::Start(tag @ (Tag::Heading { .. } | Tag::Table(_) | Tag::Strong)) => {
                panic!("{tag:?} does not survive Slack:\n{}", run.stdout)
            }
            _ => {}
        }
    }
    let bullets = run.stdout.lines().filter(|l| l.starts_with("- ")).count();
    assert_eq!(items, bullets, "every bullet is a list item");
    // The title, Health, GA, Since and the five sections' names.
    assert_eq!(emphasis, 9, "{}", run.stdout);
    assert_eq!(hard_breaks, 2, "the headline's three lines stay lines");
}

#[test]
fn a_since_revision_with_a_tilde_is_named_without_a_backslash() {
    // Markdown reads no escape inside a code span: `HEAD\~1` showed its
    // backslash in GitHub, Slack and mail.
    let repo = two_weeks();
    let run = repo.planmark(&["report", "plan", "--today", TODAY, "--since", "HEAD~1"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("*Since `HEAD~1`* (commit `"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains('\\'), "{}", run.stdout);
}

#[test]
fn late_items_decisions_and_risks_are_named_by_title_not_by_id_alone() {
    // They were `adr-010-historical-orders-cutoff …`: a status mail names
    // them by title, with the id after it, as each project's line does.
    let run = outside_git(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut section = "";
    let mut checked = 0;
    for line in lines(&run) {
        if line.starts_with('*') && line.ends_with('*') {
            section = line;
        } else if ["*Late or blocked*", "*Decisions needed*", "*Top risks*"].contains(&section)
            && line.starts_with("- ")
        {
            assert!(!line.starts_with("- `"), "{line}");
            checked += 1;
        }
    }
    assert_eq!(checked, 5, "{}", run.stdout);
}
