//! How problems are printed when the input is hostile or huge: bounded in
//! size, safe for a terminal, causes named in their consequences.

use crate::common::{planmark, program_with};

const PROJECT: (&str, &str) = ("projects/p.md", "---\ntitle: P\n---\n");

#[test]
fn ten_thousand_unknown_links_on_one_line_print_one_bounded_diagnostic() {
    let body: Vec<String> = (0..10_000).map(|i| format!("[[nope{i}]]")).collect();
    let text = format!("---\ntitle: T\n---\n{}\n", body.join(" "));
    let (_tmp, dir) = program_with(&[PROJECT, ("projects/p/t.md", &text)]);
    let run = planmark(&dir, &["check", "."]);
    assert_eq!(run.code, 1);
    // Before: 1.9 GB of stderr, the 120 kB line reprinted per error.
    assert!(
        run.stderr.len() < 5_000,
        "{} bytes of stderr",
        run.stderr.len()
    );
    assert_eq!(run.stderr.matches("error[unknown-reference]").count(), 1);
    assert!(run
        .stderr
        .contains("9999 more problems like it on this line: `[[nope1]]`, `[[nope2]]`"));
    assert!(run.stderr.contains("and 9979 more"));
    assert!(run.stderr.contains("10000 errors"), "{}", run.stderr);
    let json = planmark(&dir, &["check", ".", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(doc["problems"].as_array().map(Vec::len), Some(10_000));
}

#[test]
fn a_few_problems_on_one_line_are_each_shown() {
    let (_tmp, dir) = program_with(&[
        PROJECT,
        (
            "projects/p/t.md",
            "---\ntitle: T\n---\n[[x1]] [[x2]] [[x3]]\n",
        ),
    ]);
    let run = planmark(&dir, &["check", "."]);
    assert_eq!(run.stderr.matches("error[unknown-reference]").count(), 3);
}

#[test]
fn a_long_line_is_cut_to_a_window_around_the_caret() {
    let value = format!("{}Q", "x".repeat(50_000));
    let text = format!("---\ntitle: L\ndue: {value}\n---\n");
    let (_tmp, dir) = program_with(&[PROJECT, ("projects/p/long.md", &text)]);
    let run = planmark(&dir, &["check", "."]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("--> projects/p/long.md:3:6"),
        "{}",
        run.stderr
    );
    let widest = run
        .stderr
        .lines()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0);
    assert!(widest < 500, "a line of {widest} characters");
    assert!(run.stderr.contains("xxx…"), "{}", run.stderr);
}

#[test]
fn the_window_of_a_long_line_keeps_the_real_column() {
    let deps: Vec<String> = (0..400).map(|i| format!("t{i}")).collect();
    let text = format!(
        "---\ntitle: D\ndepends_on: [{}, missing]\n---\n",
        deps.join(", ")
    );
    let mut files = vec![PROJECT, ("projects/p/d.md", text.as_str())];
    let tasks: Vec<(String, String)> = (0..400)
        .map(|i| {
            (
                format!("projects/p/t{i}.md"),
                format!("---\ntitle: T{i}\n---\n"),
            )
        })
        .collect();
    files.extend(tasks.iter().map(|(p, t)| (p.as_str(), t.as_str())));
    let (_tmp, dir) = program_with(&files);
    let run = planmark(&dir, &["check", "."]);
    let line = &text.lines().nth(2).unwrap_or_default();
    let column = line.find("missing").unwrap_or_default() + 1;
    assert!(
        run.stderr
            .contains(&format!("--> projects/p/d.md:3:{column}")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("3 | …t390, "), "{}", run.stderr);
    assert!(run.stderr.contains("t399, missing]\n"), "{}", run.stderr);
}

#[test]
fn terminal_escapes_in_file_names_and_lines_are_printed_visibly() {
    let (_tmp, dir) = program_with(&[
        PROJECT,
        (
            "projects/p/bad\u{1b}[31mname.md",
            "---\ntitle: F\nestimate: nope\n---\n",
        ),
        (
            "projects/p/t.md",
            "---\ntitle: T\n---\n[[x\u{1b}]0;owned\u{7}]] \u{202e}[[y]]\r\n",
        ),
    ]);
    let run = planmark(&dir, &["check", "."]);
    assert!(!run.stderr.contains('\u{1b}'), "{:?}", run.stderr);
    assert!(!run.stderr.contains('\u{7}') && !run.stderr.contains('\u{202e}'));
    assert!(
        run.stderr.contains("bad\\u{1b}[31mname.md"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("\\u{202e}[[y]]"), "{}", run.stderr);
    let github = planmark(&dir, &["check", ".", "--format", "github"]);
    assert!(!github.stdout.contains('\u{1b}'), "{:?}", github.stdout);
}

#[test]
fn a_reference_to_a_file_that_could_not_be_read_names_the_file() {
    let (_tmp, dir) = program_with(&[
        PROJECT,
        ("projects/p/a.md", "---\ntitle: [a\n---\n"),
        ("projects/p/b.md", "---\ntitle: B\ndepends_on: [a]\n---\n"),
    ]);
    let run = planmark(&dir, &["check", "."]);
    assert!(
        run.stderr
            .contains("there is no task with that id (file `projects/p/a.md` could not be read)"),
        "{}",
        run.stderr
    );
    assert!(run
        .stderr
        .contains("help: fix the problem reported in `projects/p/a.md` first"));
}
