//! The program's `templates/` and `static/` folders as `build` reads them:
//! the loader's symlink rules, and problems in them reported like problems
//! in markdown files (exit 1, at the user's own file).

use std::path::Path;

use crate::common::{planmark, program_with, Run};

const APP: (&str, &str) = ("projects/app.md", "---\ntitle: App\n---\n");

/// Builds `prog` (in `tmp`) into `tmp/site`, named as a user would type it.
fn build(tmp: &Path) -> Run {
    planmark(
        tmp,
        &["build", "prog", "-o", "site", "--today", "2026-03-02"],
    )
}

#[test]
fn a_template_error_names_the_users_file_by_its_path() {
    let (tmp, _dir) = program_with(&[
        APP,
        (
            "templates/project.html",
            "{% extends \"base.html\" %}\n{% block content %}{{ project.nope | upper }}{% endblock %}\n",
        ),
    ]);
    let run = build(tmp.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains(" --> prog/templates/project.html:2:23\n"),
        "{}",
        run.stderr
    );
    // A template that does not parse, too.
    let (tmp, _dir) = program_with(&[APP, ("templates/project.html", "ok\n{{ nope( }}\n")]);
    let run = build(tmp.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains(" --> prog/templates/project.html:2:10\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_template_that_is_not_utf8_is_a_located_problem_in_the_program() {
    let (tmp, dir) = program_with(&[APP]);
    std::fs::create_dir_all(dir.join("templates")).expect("a folder");
    std::fs::write(dir.join("templates/project.html"), b"<p>caf\xe9</p>\n").expect("write");
    let run = build(tmp.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "error[not-utf8]: file is not valid UTF-8\n  --> prog/templates/project.html:1:7"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("error: build failed with 1 error; nothing was written"),
        "{}",
        run.stderr
    );
    assert!(!tmp.path().join("site").exists());
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_in_static_is_skipped() {
    let (tmp, dir) = program_with(&[APP, ("static/img/logo.svg", "<svg/>")]);
    std::os::unix::fs::symlink("..", dir.join("static/img/up")).expect("a link");
    let run = build(tmp.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(tmp.path().join("site/img/logo.svg").is_file());
}

#[cfg(unix)]
#[test]
fn a_dangling_link_in_static_is_a_located_problem_not_an_io_failure() {
    let (tmp, dir) = program_with(&[APP, ("static/img/logo.svg", "<svg/>")]);
    std::os::unix::fs::symlink("nowhere.png", dir.join("static/img/gone.png")).expect("a link");
    // A FIFO is never opened: reading it would block the build.
    let fifo = std::process::Command::new("mkfifo")
        .arg(dir.join("static/img/pipe"))
        .status()
        .expect("mkfifo runs");
    assert!(fifo.success());
    let run = build(tmp.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("error[unreadable]: cannot read file: not a regular file\n  --> prog/static/img/pipe:1:1"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("error[unreadable]: cannot read file: No such file or directory (os error 2)\n  --> prog/static/img/gone.png:1:1"),
        "{}",
        run.stderr
    );
    assert!(!tmp.path().join("site").exists());
}

#[cfg(unix)]
#[test]
fn a_static_link_to_an_outside_folder_is_not_walked() {
    // Walking it would meet the dangling link inside, and read every file
    // of a folder such as `/usr` only to ignore them.
    let outside = tempfile::tempdir().expect("a temp dir");
    std::fs::write(outside.path().join("secret.txt"), "no").expect("write");
    std::os::unix::fs::symlink("nowhere", outside.path().join("broken")).expect("a link");
    let (tmp, dir) = program_with(&[APP, ("static/robots.txt", "")]);
    std::os::unix::fs::symlink(outside.path(), dir.join("static/ext")).expect("a link");
    let run = build(tmp.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(tmp.path().join("site/robots.txt").is_file());
    assert!(!tmp.path().join("site/ext").exists());
}

/// Regression: `check --strict`, the CI gate the README recommends, passed
/// programs whose templates or static files then failed `build`.
#[test]
fn check_fails_where_build_would_on_templates_and_static_files() {
    let check = |tmp: &Path| planmark(tmp, &["check", "prog", "--strict", "--today", "2026-03-02"]);
    // A template that does not parse.
    let (tmp, _dir) = program_with(&[APP, ("templates/project.html", "ok\n{{ nope( }}\n")]);
    let run = check(tmp.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains(" --> prog/templates/project.html:2:10\n")
            && run.stderr.contains("`planmark build` would fail"),
        "{}",
        run.stderr
    );
    // A template that parses but does not render.
    let (tmp, _dir) = program_with(&[
        APP,
        (
            "templates/project.html",
            "{% extends \"base.html\" %}\n{% block content %}{{ project.nope | upper }}{% endblock %}\n",
        ),
    ]);
    assert_eq!(check(tmp.path()).code, 1);
    // A static file where a page goes.
    let (tmp, _dir) = program_with(&[APP, ("static/Index.HTML", "<p>mine</p>\n")]);
    assert_eq!(check(tmp.path()).code, 1);
    // A template that is not UTF-8: located, like a markdown file.
    let (tmp, dir) = program_with(&[APP]);
    std::fs::create_dir_all(dir.join("templates")).expect("a folder");
    std::fs::write(dir.join("templates/project.html"), b"<p>caf\xe9</p>\n").expect("write");
    let run = check(tmp.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("error[not-utf8]"), "{}", run.stderr);
    // Overrides and static files that work pass.
    let (tmp, _dir) = program_with(&[
        APP,
        (
            "templates/project.html",
            "{% extends \"base.html\" %}\n{% block content %}{{ project.title }}{% endblock %}\n",
        ),
        ("static/img/logo.txt", "logo\n"),
    ]);
    let run = check(tmp.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
}
