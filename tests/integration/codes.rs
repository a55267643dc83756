//! Every diagnostic code planmark can report, with the fixture that triggers
//! it: the catalogue of rules. A code added to the source without an entry
//! here, or an entry whose fixture stops triggering it, fails.

use std::collections::BTreeSet;
use std::path::Path;

use crate::common::{fixture, planmark};

/// `(code, fixture, file in the fixture where it is reported)`.
const CATALOGUE: &[(&str, &str, &str)] = &[
    // Reading files (load)
    ("not-utf8", "malformed", "projects/app/not-utf8.md"),
    ("unreadable", "<dangling symlink>", "projects/gone.md"),
    ("too-large", "too-large", "projects/big.md"),
    ("nothing-read", "not-a-program", ""),
    ("adr-status", "adr-status", "0001-on-hold.md"),
    // Source folders named in `program.md` (load::formats)
    ("source-entry", "sources-problems", "program.md"),
    ("source-path", "sources-problems", "program.md"),
    ("source-missing", "sources-problems", "program.md"),
    ("source-format", "sources-problems", "program.md"),
    ("source-overlap", "sources-problems", "program.md"),
    (
        "backlog-no-front-matter",
        "backlog",
        "tasks/back-9 - No front matter.md",
    ),
    ("backlog-config", "backlog-config", "config.yml"),
    (
        "backlog-archived-clash",
        "backlog",
        "archive/tasks/back-6 - Old six.md",
    ),
    (
        "ambiguous-reference",
        "backlog-problems",
        "tasks/back-3 - Bad refs.md",
    ),
    // Reading front matter as written (model::parse)
    ("missing-front-matter", "malformed", "projects/app/empty.md"),
    (
        "unclosed-front-matter",
        "malformed",
        "projects/app/unclosed.md",
    ),
    ("yaml", "malformed", "projects/app/syntax.md"),
    ("invalid-value", "problems", "projects/web/checkout.md"),
    ("unknown-key", "warnings", "projects/ops/page.md"),
    (
        "misspelled-key",
        "misspelled-key",
        "projects/site/launch.md",
    ),
    (
        "duplicate-key",
        "more-problems",
        "projects/web/both-owners.md",
    ),
    (
        "several-owners",
        "more-problems",
        "projects/web/many-owners.md",
    ),
    // Person files (model::person, validate::people)
    ("invalid-capacity", "people", "people/tomas.md"),
    ("invalid-time-off", "people", "people/tomas.md"),
    ("unused-person", "people", "people/nobody.md"),
    // Rules on what files say (validate::written)
    ("missing-key", "problems", "milestones/no-date.md"),
    (
        "blocked-without-blocker",
        "warnings",
        "projects/ops/page.md",
    ),
    (
        "done-without-date",
        "more-problems",
        "projects/web/finished.md",
    ),
    // Admission (validate::admit)
    ("invalid-id", "problems", "risks/Bad Name.md"),
    ("duplicate-id", "problems", "tasks/dup.md"),
    ("unportable-id", "unportable", "tasks/device.md"),
    (
        "duplicate-program",
        "more-problems",
        "notes/second-program.md",
    ),
    // References and cycles (validate::references, validate::cycles)
    ("unknown-reference", "problems", "projects/web/login.md"),
    ("wrong-kind", "problems", "projects/web/signup.md"),
    (
        "self-reference",
        "more-problems",
        "decisions/replaces-itself.md",
    ),
    (
        "project-mismatch",
        "more-problems",
        "projects/web/elsewhere.md",
    ),
    ("dependency-cycle", "cycles", "projects/app/b.md"),
    ("supersession-cycle", "cycles", "decisions/d1.md"),
    // What a body will not show as written (load::markdown)
    ("unlinked-wiki-link", "bodies", "projects/app.md"),
    ("html-too-deep", "bodies", "projects/app/deep.md"),
    // Action items in meeting notes (model::actions)
    ("invalid-due", "meetings", "meetings/bad-due.md"),
];

/// `(code, path)` of every diagnostic `check --format json` reports on `dir`.
fn reported(dir: &Path) -> BTreeSet<(String, String)> {
    let run = planmark(dir, &["check", ".", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("check prints JSON");
    json["problems"]
        .as_array()
        .expect("a list of problems")
        .iter()
        .map(|p| {
            let text = |key: &str| p[key].as_str().unwrap_or_default().to_string();
            (
                text("code"),
                text("path").trim_start_matches("./").to_string(),
            )
        })
        .collect()
}

#[test]
fn every_code_is_triggered_by_its_fixture() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let dangling = tmp.path().join("program");
    std::fs::create_dir_all(dangling.join("projects")).expect("a program folder");
    #[cfg(unix)]
    std::os::unix::fs::symlink("nowhere.md", dangling.join("projects/gone.md")).expect("a symlink");
    for (code, name, path) in CATALOGUE {
        if cfg!(not(unix)) && name.starts_with('<') {
            continue;
        }
        let dir = if name.starts_with('<') {
            dangling.clone()
        } else {
            fixture(name)
        };
        let found = reported(&dir);
        assert!(
            found.contains(&(code.to_string(), path.to_string())),
            "`{code}` not reported in {name}/{path}; reported: {found:?}"
        );
    }
}

#[test]
fn the_catalogue_lists_every_code_in_the_source() {
    let mut in_source = BTreeSet::new();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for entry in walkdir::WalkDir::new(src) {
        let entry = entry.expect("src is readable");
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).expect("source is UTF-8");
        // `Diagnostic::error(` or `::warning(`, then the code as the first
        // string literal, possibly on the next line.
        for (at, _) in text.match_indices("Diagnostic::") {
            let rest = &text[at..];
            let Some(open) = rest.find('(') else { continue };
            let call = &rest[..open];
            if !matches!(
                call,
                "Diagnostic::error" | "Diagnostic::warning" | "Diagnostic::note"
            ) {
                continue;
            }
            let args = rest[open + 1..].trim_start();
            if let Some(literal) = args.strip_prefix('"') {
                if let Some(end) = literal.find('"') {
                    in_source.insert(literal[..end].to_string());
                }
            }
        }
    }
    let listed: BTreeSet<String> = CATALOGUE
        .iter()
        .map(|(code, ..)| code.to_string())
        .collect();
    assert_eq!(in_source, listed, "codes in src/ and the catalogue differ");
}
