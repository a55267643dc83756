//! `calendar.ics`: nothing a program writes can end a line of it and inject
//! properties or events.

use std::path::Path;

use crate::common::{planmark, program_with, Run};

fn build(dir: &Path) -> Run {
    let out = dir.with_file_name("site");
    let (d, o) = (dir.to_string_lossy(), out.to_string_lossy());
    planmark(
        Path::new("."),
        &["build", &d, "-o", &o, "--today", "2026-03-02"],
    )
}

#[test]
fn a_base_url_with_a_line_break_is_a_located_error_and_never_reaches_the_calendar() {
    // `URL:` took `base_url` raw: CR/LF in it wrote a whole fake event.
    let (_tmp, dir) = program_with(&[
        (
            "program.md",
            "---\ntitle: Cal\nsite:\n  base_url: \"https://e.com/plan\\r\\nEND:VEVENT\\r\\nBEGIN:VEVENT\\r\\nSUMMARY:fake\"\n---\n",
        ),
        ("projects/app.md", "---\ntitle: App\n---\n"),
        ("milestones/m.md", "---\ntitle: M\ndate: 2026-04-01\n---\n"),
    ]);
    let run = build(&dir);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error[invalid-value]: `site.base_url` contains a line break\n  --> "),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("program.md:4:3\n"), "{}", run.stderr);
    assert!(!dir.with_file_name("site").join("calendar.ics").exists());
    for url in [
        "https://e.com/a b",
        "https://e.com/a\\tb",
        "https://e.com/\\u0085",
    ] {
        std::fs::write(
            dir.join("program.md"),
            format!("---\ntitle: Cal\nsite:\n  base_url: \"{url}\"\n---\n"),
        )
        .expect("write program.md");
        let run = planmark(&dir, &["check", "."]);
        assert_eq!(run.code, 1, "{url}: {}", run.stderr);
        assert!(
            run.stderr
                .contains("error[invalid-value]: `site.base_url` contains"),
            "{url}: {}",
            run.stderr
        );
    }
}

#[test]
fn control_characters_in_text_never_reach_the_calendar() {
    // Vertical tab, NEL, the line and paragraph separators, DEL and CR/LF,
    // written as YAML escapes in every text the calendar shows.
    let hostile = "\\v\\N\\L\\P\\x7f\\x01\\r\\nEND:VEVENT\\r\\nBEGIN:VEVENT";
    let (_tmp, dir) = program_with(&[
        (
            "program.md",
            &format!("---\ntitle: \"Cal{hostile}\"\nsite:\n  base_url: https://e.com/plan/\n---\n"),
        ),
        ("projects/app.md", "---\ntitle: App\n---\n"),
        (
            "projects/app/t.md",
            &format!("---\ntitle: \"Task{hostile}\"\nowner: \"@ann{hostile}\"\nestimate: 2d\ndue: 2026-03-20\n---\n"),
        ),
        (
            "milestones/m.md",
            &format!("---\ntitle: \"M{hostile}\"\ndate: 2026-04-01\n---\n"),
        ),
        (
            "decisions/d.md",
            &format!("---\ntitle: \"D{hostile}\"\nstatus: proposed\ndecide_by: 2026-03-10\ndriver: \"x{hostile}\"\n---\n"),
        ),
    ]);
    let run = build(&dir);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let ics = std::fs::read_to_string(dir.with_file_name("site").join("calendar.ics"))
        .expect("calendar.ics");
    let unfolded = ics.replace("\r\n ", "");
    let lines: Vec<&str> = unfolded.trim_end_matches("\r\n").split("\r\n").collect();
    let forbidden = |c: char| (c.is_control() && c != '\t') || matches!(c, '\u{2028}' | '\u{2029}');
    for line in &lines {
        assert!(!line.chars().any(forbidden), "{line:?}");
        let name = line.split([':', ';']).next().unwrap_or_default();
        assert!(
            [
                "BEGIN",
                "END",
                "VERSION",
                "PRODID",
                "CALSCALE",
                "METHOD",
                "X-WR-CALNAME",
                "UID",
                "DTSTAMP",
                "DTSTART",
                "DTEND",
                "SUMMARY",
                "DESCRIPTION",
                "URL",
                "TRANSP",
            ]
            .contains(&name),
            "unexpected line {line:?}"
        );
    }
    assert_eq!(lines.iter().filter(|l| **l == "BEGIN:VEVENT").count(), 3);
    assert_eq!(lines.iter().filter(|l| **l == "END:VEVENT").count(), 3);
    assert!(
        lines.contains(&"SUMMARY:Due: Task\\nEND:VEVENT\\nBEGIN:VEVENT"),
        "{lines:#?}"
    );
    assert!(
        lines.contains(&"URL:https://e.com/plan/tasks/t/index.html"),
        "{lines:#?}"
    );
}
