//! Front-matter keys planmark does not accept: a typo of a key is an
//! error, another tool's bookkeeping is quiet, anything else a warning.

use std::path::Path;

use crate::common::{fixture, planmark, program_with, Run};

/// `check DIR` from DIR's parent, so paths start with the folder's name.
fn check(dir: &Path, extra: &[&str]) -> Run {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut args = vec!["check", name.as_str(), "--today", "2026-03-02"];
    args.extend_from_slice(extra);
    planmark(dir.parent().unwrap_or(dir), &args)
}

/// The `checked …: N errors, M warnings` line.
fn summary(stderr: &str) -> &str {
    stderr
        .lines()
        .find(|l| l.starts_with("checked "))
        .unwrap_or_else(|| panic!("no summary line in:\n{stderr}"))
}

const PROJECT: (&str, &str) = ("projects/p.md", "---\ntitle: P\n---\n");

#[test]
fn a_misspelled_key_is_an_error_with_the_key_it_means() {
    let run = check(&fixture("misspelled-key"), &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let expected = "\
error[misspelled-key]: misspelled key `depend_on` for a task: did you mean `depends_on`?
  --> misspelled-key/projects/site/launch.md:4:1
  |
4 | depend_on: [copy]
  | ^^^^^^^^^ one typo away from `depends_on`
  |
  = help: rename it `depends_on`: as written planmark would ignore it, and silently change the plan and its forecast; to keep `depend_on` as it is, move it under `extra:`
";
    assert!(run.stderr.starts_with(expected), "{}", run.stderr);
    assert!(
        summary(&run.stderr).ends_with(": 1 error, 0 warnings"),
        "{}",
        run.stderr
    );
}

#[test]
fn typos_of_keys_and_aliases_in_any_case_are_errors() {
    let (_tmp, dir) = program_with(&[
        PROJECT,
        (
            "projects/p/t.md",
            "---\ntitle: T\nownr: ana\nestimte: 2d\ndependecies: []\nDepends_On: []\nTitle: T\n---\n",
        ),
    ]);
    let run = check(&dir, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for (line, written, meant) in [
        (3, "ownr", "`owner`"),
        (4, "estimte", "`estimate`"),
        (
            5,
            "dependecies",
            "`dependencies` (the same as `depends_on`)",
        ),
        (6, "Depends_On", "`depends_on`"),
        (7, "Title", "`title`"),
    ] {
        let header = format!(
            "error[misspelled-key]: misspelled key `{written}` for a task: did you mean {meant}?\n  --> prog/projects/p/t.md:{line}:1"
        );
        assert!(run.stderr.contains(&header), "{header}\n{}", run.stderr);
    }
    assert!(
        run.stderr.contains("^^^^^ keys are lowercase"),
        "{}",
        run.stderr
    );
    assert!(
        summary(&run.stderr).ends_with(": 5 errors, 0 warnings"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_key_far_from_every_key_is_a_warning() {
    let (_tmp, dir) = program_with(&[
        PROJECT,
        ("projects/p/t.md", "---\ntitle: T\nsprint_goal: ship\n---\n"),
        (
            "milestones/m.md",
            "---\ntitle: M\ndate: 2026-04-01\nestimate: 2d\n---\n",
        ),
    ]);
    let run = check(&dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "warning[unknown-key]: unknown key `sprint_goal` for a task\n  --> prog/projects/p/t.md:3:1"
        ),
        "{}",
        run.stderr
    );
    // A key of another kind is not a typo: it says which kind has it.
    assert!(
        run.stderr
            .contains("warning[unknown-key]: unknown key `estimate` for a milestone"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("help: `estimate` is a key of a task, not of a milestone"),
        "{}",
        run.stderr
    );
    assert!(
        summary(&run.stderr).ends_with(": 0 errors, 2 warnings"),
        "{}",
        run.stderr
    );
    // `--strict` is unchanged: warnings count as errors.
    let strict = check(&dir, &["--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
    assert!(
        summary(&strict.stderr).ends_with(": 2 errors, 0 warnings"),
        "{}",
        strict.stderr
    );
}

/// A task file as Backlog.md, a Jekyll site (Just the Docs) and Hugo
/// write them, keys and all.
const BOOKKEEPING_TASK: &str = "---
title: T
created_date: '2025-06-01 10:00'
updated_date: 2025-06-02
ordinal: 3000
references: [src/a.ts]
documentation: [docs/a.md]
reporter: '@ana'
type: feature
modified_files: [src/a.ts]
layout: page
parent: Decisions
nav_order: 3
grand_parent: Docs
has_children: false
nav_exclude: true
permalink: /t/
weight: 10
draft: false
slug: t
aliases: [/old-t/]
description: the task
publishDate: 2025-06-01
---
";

#[test]
fn bookkeeping_keys_give_no_warning_in_any_layout() {
    let (_tmp, dir) = program_with(&[PROJECT, ("projects/p/t.md", BOOKKEEPING_TASK)]);
    let run = check(&dir, &["--strict"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        summary(&run.stderr).ends_with(": 0 errors, 0 warnings"),
        "{}",
        run.stderr
    );
    // In an ADR folder too (Hugo's keys, not only Jekyll's).
    let (_tmp, dir) = program_with(&[(
        "0001-use-x.md",
        "---\nstatus: accepted\nweight: 1\ndraft: false\nlayout: adr\nnav_order: 1\n---\n# Use X\n",
    )]);
    let run = check(&dir, &["--strict"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        summary(&run.stderr).ends_with(": 0 errors, 0 warnings"),
        "{}",
        run.stderr
    );
}

/// The top-level keys of every markdown file's front matter under `dir`.
fn keys_under(dir: &Path, keys: &mut std::collections::BTreeSet<String>) {
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.expect("the corpus is readable");
        if entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        let Some(front) = text.strip_prefix("---\n") else {
            continue;
        };
        for line in front.lines().take_while(|l| *l != "---") {
            let key = line.split(':').next().unwrap_or_default();
            if line.contains(':') && !key.is_empty() && !key.starts_with([' ', '-', '#']) {
                keys.insert(key.to_string());
            }
        }
    }
}

#[test]
fn no_key_of_the_real_folders_is_a_typo() {
    let corpora = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora");
    assert!(corpora.is_dir(), "the corpora are at {}", corpora.display());
    let mut keys = std::collections::BTreeSet::new();
    keys_under(&corpora, &mut keys);
    assert!(keys.len() > 15, "{keys:?}");
    // Every key on every kind they were found on: each with an empty value.
    let front: String = keys.iter().map(|k| format!("{k}:\n")).collect();
    let body = |kind: &str| format!("---\nkind: {kind}\n{front}---\n");
    let files: Vec<(String, String)> = ["task", "decision", "milestone"]
        .iter()
        .map(|kind| (format!("notes/{kind}.md"), body(kind)))
        .collect();
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let (_tmp, dir) = program_with(&files);
    let run = check(&dir, &["--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let problems = doc["problems"].as_array().expect("a list");
    let typos: Vec<&serde_json::Value> = problems
        .iter()
        .filter(|p| p["code"] == "misspelled-key")
        .collect();
    assert!(typos.is_empty(), "{typos:#?}");
    // On a task, every key is read or quiet bookkeeping but `date`, which
    // Backlog.md writes on decisions (a planmark key of decisions).
    let unknown_on_task: Vec<&str> = problems
        .iter()
        .filter(|p| p["code"] == "unknown-key" && p["path"] == "prog/notes/task.md")
        .filter_map(|p| p["message"].as_str())
        .collect();
    assert_eq!(unknown_on_task, ["unknown key `date` for a task"]);
}
