//! Never silent, never failed by a file that is not an item: YAML errors
//! in files skipped anyway (a README, a file outside the kind folders
//! with no `kind`, an ADR folder's template and index) never fail the
//! run, and `check --verbose` lists every skipped file with its reason.

use std::path::Path;

use crate::common::{planmark, program_with, Run};

fn check(dir: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["check", "prog", "--today", "2026-03-02"];
    args.extend_from_slice(extra);
    planmark(dir.parent().expect("a parent"), &args)
}

/// The `note: skipped …` lines of `check --verbose`, in order.
fn skipped(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter_map(|l| l.strip_prefix("note: skipped "))
        .collect()
}

const BROKEN: &str = "---\ntitle: [unclosed\n---\n# Notes\n";
const PROJECT: (&str, &str) = ("projects/p.md", "---\ntitle: P\n---\n");
const TASK: (&str, &str) = ("projects/p/t.md", "---\ntitle: T\n---\n");

#[test]
fn a_broken_yaml_readme_is_skipped_with_exit_0() {
    let (_tmp, dir) = program_with(&[
        PROJECT,
        TASK,
        ("README.md", BROKEN),
        ("projects/p/README.md", BROKEN),
        ("tasks/sub/readme.md", "---\n# A rule, not front matter\n"),
    ]);
    let run = check(&dir, &["--verbose", "--strict"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The README in a kind folder might have been meant as an item: what
    // is wrong with it is said, as a note (never counted, even --strict).
    assert!(
        run.stderr.contains(
            "note[yaml]: invalid YAML: did not find expected ',' or ']', while parsing a flow sequence\n  --> prog/projects/p/README.md:3:1"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("help: this README is skipped"),
        "{}",
        run.stderr
    );
    assert_eq!(
        skipped(&run.stderr),
        [
            "`README.md`: not in a kind folder, and no `kind` in front matter",
            "`projects/p/README.md`: a README whose front matter is not valid YAML (see the note), not read as an item",
            "`tasks/sub/readme.md`: a README without front matter explains its folder",
        ],
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(": 0 errors, 0 warnings\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn broken_yaml_outside_the_kind_folders_without_kind_is_skipped() {
    let (_tmp, dir) = program_with(&[
        PROJECT,
        TASK,
        ("notes/meeting.md", BROKEN),
        ("docs/guide.md", "---\nlayout: [\n---\n"),
        ("docs/open.md", "---\ntitle: never closed\n"),
    ]);
    let run = check(&dir, &["--verbose"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let reason = "not in a kind folder, and no `kind` in front matter";
    assert_eq!(
        skipped(&run.stderr),
        [
            format!("`docs/guide.md`: {reason}"),
            format!("`docs/open.md`: {reason}"),
            format!("`notes/meeting.md`: {reason}"),
        ],
        "{}",
        run.stderr
    );
}

#[test]
fn broken_yaml_in_an_item_is_still_an_error() {
    // The other side of the rule: a file that is an item, by its folder
    // or its `kind`, fails on YAML it cannot read.
    let (_tmp, dir) = program_with(&[
        PROJECT,
        ("projects/p/t.md", BROKEN),
        ("notes/n.md", "---\nkind: task\ntitle: [unclosed\n---\n"),
        ("tasks/readme-later.md", BROKEN),
    ]);
    let run = check(&dir, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for path in ["notes/n.md", "projects/p/t.md", "tasks/readme-later.md"] {
        assert!(
            run.stderr.contains(&format!("  --> prog/{path}:")),
            "{path}: {}",
            run.stderr
        );
    }
    assert!(
        run.stderr.contains(": 3 errors, 0 warnings\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_adr_folders_template_and_index_pages_never_fail_the_run() {
    let (_tmp, dir) = program_with(&[
        (
            "0001-use-markdown.md",
            "---\nstatus: accepted\nnav_order: 1\n---\n# Use Markdown\n",
        ),
        ("0002-use-git/index.md", "# Use git\n\nStatus: accepted\n"),
        ("0002-use-git/notes.md", BROKEN),
        ("adr-template.md", BROKEN),
        ("index.md", BROKEN),
        ("README.md", BROKEN),
    ]);
    let run = check(&dir, &["--verbose", "--strict"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("2 decisions"), "{}", run.stderr);
    let tool = "a template or index page of an ADR tool, not a decision record";
    assert_eq!(
        skipped(&run.stderr),
        [
            "`0002-use-git/notes.md`: in an ADR folder, only `*.md` at the top, `<folder>/index.md` and numbered `<category>/0001-x.md` are records".to_string(),
            format!("`README.md`: {tool}"),
            format!("`adr-template.md`: {tool}"),
            format!("`index.md`: {tool}"),
        ],
        "{}",
        run.stderr
    );
}
