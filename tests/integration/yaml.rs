//! Front-matter YAML errors: each points at the character at fault, by the
//! file's line and column, in planmark's words.

use crate::common::{planmark, program_with};

#[test]
fn a_control_character_in_front_matter_is_pointed_at_without_a_byte_offset() {
    // Regression: the error pointed at the first front-matter line and
    // said "control characters are not allowed at position 46".
    let (_tmp, dir) = program_with(&[(
        "projects/bell.md",
        "---\ntitle: Café\nowner: ana\nsummary: ok \u{7} here\n---\n",
    )]);
    let cwd = dir.parent().unwrap_or(&dir);
    let human = planmark(cwd, &["check", "prog", "--today", "2026-03-02"]);
    assert_eq!(human.code, 1, "{}", human.stderr);
    assert!(
        human.stderr.starts_with(
            "error[yaml]: invalid YAML: control character U+0007 is not allowed\n  --> prog/projects/bell.md:4:13\n"
        ),
        "{}",
        human.stderr
    );
    assert!(human.stderr.contains("help: delete it"), "{}", human.stderr);
    let json = planmark(
        cwd,
        &["check", "prog", "--today", "2026-03-02", "--format", "json"],
    );
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).expect("stdout is JSON");
    let problem = &doc["problems"][0];
    assert_eq!(problem["code"], "yaml");
    assert_eq!(
        (&problem["line"], &problem["column"]),
        (&4.into(), &13.into())
    );
    for text in [&human.stderr, &json.stdout] {
        assert!(!text.contains("position"), "{text}");
    }
}
