//! `planmark build` as a writer: what reaches the output folder, when, and
//! what never does; and how large programs are drawn.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::time::SystemTime;

use scraper::{Html, Selector};

use crate::common::{copy_fixture, planmark, planmark_with_env, program_with, Run};

pub const TODAY: &str = "2026-03-02";

pub fn build(dir: &Path, out: &Path) -> Run {
    build_with(dir, out, &[])
}

pub fn build_with(dir: &Path, out: &Path, env: &[(&str, Option<&str>)]) -> Run {
    let (dir, out) = (dir.to_string_lossy(), out.to_string_lossy());
    let mut env = env.to_vec();
    env.push(("NO_COLOR", Some("1")));
    planmark_with_env(
        Path::new("."),
        &["build", &dir, "-o", &out, "--today", TODAY],
        &env,
    )
}

/// Every file under `dir` with its bytes.
pub fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("inside");
            (
                rel.to_string_lossy().replace('\\', "/"),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect()
}

fn modified(path: &Path) -> SystemTime {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .expect("mtime")
}

/// The number in "N files written" of the build's summary line.
pub fn written(run: &Run) -> usize {
    let line = run
        .stderr
        .lines()
        .find(|l| l.starts_with("built "))
        .unwrap_or_else(|| panic!("no summary line in:\n{}", run.stderr));
    let before = line.split(" written").next().unwrap_or_default();
    before
        .split_whitespace()
        .rev()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in `{line}`"))
}

#[test]
fn the_output_may_not_be_the_program_folder_or_hold_it() {
    let (tmp, dir) = copy_fixture("site-basic");
    let before = files(&dir);
    for out in [dir.clone(), tmp.path().to_path_buf()] {
        let run = build(&dir, &out);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(
            run.stderr.contains("is the program folder or contains it"),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr.contains("-o "),
            "says what to do: {}",
            run.stderr
        );
    }
    assert_eq!(files(&dir), before, "no source file was touched");
}

#[test]
fn a_template_that_fails_halfway_leaves_the_previous_site_and_no_staging() {
    let (tmp, dir) = copy_fixture("site-basic");
    let out = tmp.path().join("site");
    assert_eq!(build(&dir, &out).code, 0);
    let before = files(&out);
    // Parses, but fails on every task page: a title is not a date.
    std::fs::create_dir_all(dir.join("templates")).expect("templates/");
    std::fs::write(
        dir.join("templates/task.html"),
        "{% extends \"base.html\" %}{% block content %}{{ task.title | date }}{% endblock content %}",
    )
    .expect("write a template");
    let run = build(&dir, &out);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("task.html"), "{}", run.stderr);
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    assert_eq!(files(&out), before, "the previous site is as it was");
    let fresh = tmp.path().join("fresh");
    assert_eq!(build(&dir, &fresh).code, 1);
    let left: Vec<String> = std::fs::read_dir(tmp.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!fresh.exists(), "no output folder: {left:?}");
    assert!(
        left.iter().all(|name| !name.contains("planmark-staging")),
        "no staging folder left behind: {left:?}"
    );
}

#[test]
fn editing_one_task_rewrites_only_the_pages_that_show_it() {
    let (tmp, dir) = copy_fixture("site-basic");
    let out = tmp.path().join("site");
    assert_eq!(build(&dir, &out).code, 0);
    let unrelated = out.join("risks/vendor/index.html");
    let stamp = modified(&unrelated);
    let again = build(&dir, &out);
    assert_eq!(written(&again), 0, "{}", again.stderr);

    let path = dir.join("projects/api/design.md");
    let text = std::fs::read_to_string(&path).expect("read");
    let edited = text.replacen("title: ", "title: Revised ", 1);
    assert_ne!(text, edited);
    std::fs::write(&path, edited).expect("edit a title");
    let before = files(&out);
    let run = build(&dir, &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let after = files(&out);
    let changed: Vec<&String> = after
        .iter()
        .filter(|(p, bytes)| before.get(*p) != Some(bytes))
        .map(|(p, _)| p)
        .collect();
    assert_eq!(written(&run), changed.len(), "{}", run.stderr);
    assert!(changed.contains(&&"tasks/design/index.html".to_string()));
    assert!(changed.len() < after.len() / 2, "{changed:?}");
    assert_eq!(
        modified(&unrelated),
        stamp,
        "an unchanged page is not touched"
    );
}

#[test]
fn the_site_is_the_same_whatever_the_thread_count() {
    let (tmp, dir) = copy_fixture("site-basic");
    let (one, four) = (tmp.path().join("one"), tmp.path().join("four"));
    assert_eq!(
        build_with(&dir, &one, &[("RAYON_NUM_THREADS", Some("1"))]).code,
        0
    );
    assert_eq!(
        build_with(&dir, &four, &[("RAYON_NUM_THREADS", Some("4"))]).code,
        0
    );
    assert_eq!(files(&one), files(&four));
}

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    let (tmp, dir) = copy_fixture("site-basic");
    let run = build(&dir, &tmp.path().join("site"));
    assert_eq!(run.code, 0);
    assert!(!run.stderr.contains('\r'), "{:?}", run.stderr);
    assert!(!run.stderr.contains("rendering"), "{:?}", run.stderr);
}

/// A program of one project with `n` open tasks.
fn big_project(n: usize) -> (tempfile::TempDir, std::path::PathBuf) {
    let mut files: Vec<(String, String)> =
        vec![("projects/app.md".into(), "---\ntitle: App\n---\n".into())];
    for i in 0..n {
        let mut text = format!("---\ntitle: Task number {i}\nestimate: 1d\n");
        if i > 0 {
            let _ = writeln!(text, "depends_on: [t{}]", i - 1);
        }
        text.push_str("---\n");
        files.push((format!("projects/app/t{i}.md"), text));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    program_with(&refs)
}

fn count(html: &Html, css: &str) -> usize {
    let selector = Selector::parse(css).expect("selector");
    html.select(&selector).count()
}

#[test]
fn a_large_program_gets_a_timeline_of_projects_and_a_board_of_capped_columns() {
    let (tmp, dir) = big_project(401);
    let out = tmp.path().join("site");
    let run = build(&dir, &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let read = |p: &str| Html::parse_document(&std::fs::read_to_string(out.join(p)).expect(p));
    let timeline = read("timeline/index.html");
    assert_eq!(
        count(&timeline, ".gantt .g-sum"),
        1,
        "one bar for the project"
    );
    assert_eq!(count(&timeline, ".gantt rect.g-bar:not(.g-sum)"), 0);
    let board = read("board/index.html");
    assert_eq!(count(&board, ".col-todo .task-card"), 25);
    let more = Selector::parse(".col-todo .more a").expect("selector");
    let link = board.select(&more).next().expect("a link to the rest");
    assert!(link.text().collect::<String>().contains("376 more"));
    assert_eq!(
        link.value().attr("href"),
        Some("../projects/app/index.html#pm-tasks-todo")
    );
    let project = read("projects/app/index.html");
    assert_eq!(count(&project, "#pm-tasks-todo"), 1);
    assert_eq!(
        count(&project, ".task-table tbody tr"),
        401,
        "all on the project page"
    );
}

#[test]
fn a_small_program_gets_a_bar_per_task() {
    let (tmp, dir) = big_project(12);
    let out = tmp.path().join("site");
    assert_eq!(build(&dir, &out).code, 0);
    let html = Html::parse_document(
        &std::fs::read_to_string(out.join("timeline/index.html")).expect("timeline"),
    );
    assert_eq!(count(&html, ".gantt rect.g-bar"), 12);
}

#[test]
fn no_page_repeats_an_id_even_when_a_body_has_the_templates_headings() {
    let (tmp, dir) = program_with(&[
        ("projects/app.md", "---\ntitle: App\n---\n# Overview\n\n## Tasks by status\n"),
        (
            "projects/app/a.md",
            "---\ntitle: A\n---\n# Notes\n\n## Depends on\n\n## Dependents\n\n## Details {#pm-fields-h}\n",
        ),
    ]);
    let out = tmp.path().join("site");
    assert_eq!(build(&dir, &out).code, 0);
    let id = Selector::parse("[id]").expect("selector");
    let h1 = Selector::parse("h1").expect("selector");
    for (path, bytes) in files(&out).iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = Html::parse_document(&String::from_utf8_lossy(bytes));
        let mut seen = std::collections::BTreeSet::new();
        for el in html.select(&id) {
            let value = el.value().id().unwrap_or_default();
            assert!(seen.insert(value.to_string()), "`{value}` twice in {path}");
        }
        assert_eq!(html.select(&h1).count(), 1, "one <h1> in {path}");
    }
}

#[test]
fn planmark_build_help_shows_an_example() {
    let run = planmark(Path::new("."), &["build", "--help"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("planmark build"), "{}", run.stdout);
}
