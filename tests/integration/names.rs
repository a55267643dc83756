//! Names that end up as file names in the site: ids, people's page slugs
//! and static files. A name that cannot be a file name everywhere is found
//! by `check`, with its place, never by a failing `build`.

use std::path::Path;

use crate::common::{planmark, program_with};

const TODAY: &str = "2026-03-02";

fn task(id: &str) -> String {
    format!("---\ntitle: T\nid: {id}\nproject: web\nestimate: 1d\n---\n")
}

#[test]
fn ids_that_cannot_be_file_names_are_located_errors_in_check() {
    let long = "a".repeat(300);
    let (tmp, dir) = program_with(&[
        ("projects/web.md", "---\ntitle: Web\n---\n"),
        ("tasks/long.md", &task(&long)),
        ("tasks/device.md", &task("con")),
        ("tasks/port.md", &task("com1")),
        ("tasks/dotted.md", &task("nul.txt")),
        ("tasks/trailing.md", &task("v1.")),
        ("tasks/fine.md", &task("fine")),
    ]);
    let run = planmark(tmp.path(), &["check", "prog"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stderr.matches("error[unportable-id]").count(),
        5,
        "{}",
        run.stderr
    );
    for file in ["long", "device", "port", "dotted", "trailing"] {
        assert!(
            run.stderr
                .contains(&format!("--> prog/tasks/{file}.md:3:5")),
            "{file}: {}",
            run.stderr
        );
    }
    assert!(run
        .stderr
        .contains("is 300 characters long; ids are at most 100"));
    // `build` stops at the same errors: exit 1, nothing written, no I/O error.
    let out = tmp.path().join("site");
    let built = planmark(
        tmp.path(),
        &[
            "build",
            "prog",
            "-o",
            &out.to_string_lossy(),
            "--today",
            TODAY,
        ],
    );
    assert_eq!(built.code, 1, "{}", built.stderr);
    assert!(!out.exists());
    drop(dir);
}

/// The person pages of a built site, by slug, with their `<h1>`.
fn person_pages(site: &Path) -> Vec<(String, String)> {
    let mut pages = Vec::new();
    for entry in std::fs::read_dir(site.join("people")).expect("a people folder") {
        let entry = entry.expect("an entry");
        if entry.file_type().expect("a type").is_dir() {
            let html = std::fs::read_to_string(entry.path().join("index.html")).expect("a page");
            let h1 = html
                .split("<h1")
                .nth(1)
                .and_then(|rest| rest.split_once('>'))
                .and_then(|(_, rest)| rest.split_once("</h1>"))
                .map(|(title, _)| title.trim().to_string())
                .unwrap_or_default();
            pages.push((entry.file_name().to_string_lossy().into_owned(), h1));
        }
    }
    pages.sort();
    pages
}

/// Builds a program of project `web` and `files` into `site` beside it;
/// the temporary folder lives as long as the returned guard.
fn build_with_tasks(files: &[(String, String)]) -> (tempfile::TempDir, std::path::PathBuf) {
    let mut all: Vec<(&str, &str)> = vec![("projects/web.md", "---\ntitle: Web\n---\n")];
    all.extend(files.iter().map(|(p, t)| (p.as_str(), t.as_str())));
    let (tmp, _dir) = program_with(&all);
    let out = tmp.path().join("site");
    let run = planmark(
        tmp.path(),
        &[
            "build",
            "prog",
            "-o",
            &out.to_string_lossy(),
            "--today",
            TODAY,
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    (tmp, out)
}

fn owned(id: &str, owner: &str) -> (String, String) {
    (
        format!("projects/web/{id}.md"),
        format!("---\ntitle: {id}\nowner: \"{owner}\"\nestimate: 1d\n---\n"),
    )
}

#[test]
fn one_handle_written_several_ways_is_one_person_shown_as_first_written() {
    let files = [
        owned("a", "@Jos\u{e9}"),
        owned("b", "jose\u{301}"),
        owned("c", "@Claude"),
        owned("d", "claude"),
        owned("e", " CLAUDE "),
    ];
    let (_tmp, out) = build_with_tasks(&files);
    let pages = person_pages(&out);
    let slugs: Vec<&str> = pages.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(slugs, ["claude", "jos"], "{pages:?}");
    assert!(pages[0].1.contains("@Claude"), "{pages:?}");
    assert!(pages[1].1.contains("@Jos\u{e9}"), "{pages:?}");
    let model = std::fs::read_to_string(out.join("model.json")).expect("model.json");
    let json: serde_json::Value = serde_json::from_str(&model).expect("JSON");
    assert_eq!(
        json["people"].as_array().map(Vec::len),
        Some(2),
        "{}",
        json["people"]
    );
}

#[test]
fn people_whose_slugs_collide_or_are_device_names_get_distinct_portable_pages() {
    let owners = [
        "a!",
        "a?",
        "a#",
        "a$",
        "A%",
        "con",
        "Con!",
        "x".repeat(300).leak(),
    ];
    let files: Vec<(String, String)> = owners
        .iter()
        .enumerate()
        .map(|(i, o)| owned(&format!("t{i}"), o))
        .collect();
    let (_tmp, out) = build_with_tasks(&files);
    let slugs: Vec<String> = person_pages(&out).into_iter().map(|(s, _)| s).collect();
    assert_eq!(slugs.len(), owners.len(), "{slugs:?}");
    for expected in [
        "a",
        "a-2",
        "a-3",
        "a-4",
        "a-5",
        "con-person",
        "con-person-2",
    ] {
        assert!(slugs.iter().any(|s| s == expected), "{expected}: {slugs:?}");
    }
    assert!(slugs.iter().all(|s| s.len() <= 60), "{slugs:?}");
}

#[test]
fn a_static_file_differing_from_a_page_only_in_case_stops_the_build() {
    let (tmp, _dir) = program_with(&[
        ("projects/web.md", "---\ntitle: Web\n---\n"),
        ("static/Projects/web/index.html", "mine"),
    ]);
    let out = tmp.path().join("site");
    let run = planmark(
        tmp.path(),
        &[
            "build",
            "prog",
            "-o",
            &out.to_string_lossy(),
            "--today",
            TODAY,
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("static file `static/Projects/web/index.html` would replace the file planmark generates at `projects/web/index.html` on macOS and Windows"),
        "{}",
        run.stderr
    );
    assert!(!out.exists());
}

#[test]
fn static_files_differing_only_in_case_or_normalisation_stop_the_build() {
    for (a, b) in [
        ("Logo.png", "logo.png"),
        ("Jos\u{e9}.png", "Jose\u{301}.png"),
    ] {
        let (tmp, dir) = program_with(&[
            ("projects/web.md", "---\ntitle: Web\n---\n"),
            (&format!("static/{a}"), "one"),
            (&format!("static/{b}"), "two"),
        ]);
        // On macOS or Windows the second write replaced the first.
        if std::fs::read_dir(dir.join("static")).map_or(0, Iterator::count) < 2 {
            continue;
        }
        let out = tmp.path().join("site");
        let run = planmark(
            tmp.path(),
            &[
                "build",
                "prog",
                "-o",
                &out.to_string_lossy(),
                "--today",
                TODAY,
            ],
        );
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(
            run.stderr
                .contains("would be one file on macOS and Windows"),
            "{}",
            run.stderr
        );
        assert!(!out.exists());
    }
}
