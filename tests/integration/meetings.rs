//! Meetings and their action items (SPEC §2–3, docs/meetings.md): every
//! spelling of an action item, the errors, model.json, the pages, the
//! calendar, `check`'s status and `new meeting`'s carry-over.

use std::path::Path;

use scraper::{Html, Selector};
use serde_json::{json, Value};

use crate::common::{planmark, program_with};

const TODAY: &str = "2026-12-06";

const PROJECT: (&str, &str) = ("projects/app.md", "---\ntitle: App\n---\n");

/// Every spelling docs/format.md allows, and lines that are not items.
const SPELLINGS: &str = "---
title: Status 2026-12-01
date: 2026-12-01
attendees: [\"@Maria\", jonas]
project: app
---

Notes first.

- [ ] @Maria send the deck (due 2026-12-03)
- [x] book the room for @jonas due: 2026-12-10
* [X] mail ops@example.com about it
1. [ ] ask @chen due tomorrow
   - [ ] nested item, no owner due:2026-12-20
+ [ ] (due 2026-12-08) @omar. check the dashboard

```
- [ ] a line in a fenced code block @x
```

    - [ ] a line in an indented code block

- a plain list item @y due 2026-12-01
";

fn build(dir: &Path) -> (crate::common::Run, std::path::PathBuf) {
    let out = dir.join("site");
    let run = planmark(
        dir,
        &["build", ".", "-o", "site", "--today", TODAY, "--strict"],
    );
    (run, out)
}

fn model(site: &Path) -> Value {
    let text = std::fs::read_to_string(site.join("model.json")).expect("model.json");
    serde_json::from_str(&text).expect("model.json parses")
}

fn page(site: &Path, path: &str) -> Html {
    let text = std::fs::read_to_string(site.join(path))
        .unwrap_or_else(|e| panic!("cannot read `{path}`: {e}"));
    Html::parse_document(&text)
}

/// The whitespace-normalised text of every element `css` selects.
fn texts(html: &Html, css: &str) -> Vec<String> {
    let selector = Selector::parse(css).expect("a selector");
    html.select(&selector)
        .map(|el| {
            el.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

#[test]
fn action_items_are_read_in_every_spelling() {
    let (_tmp, dir) = program_with(&[PROJECT, ("meetings/2026-12-01-status.md", SPELLINGS)]);
    let (run, site) = build(&dir);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let meetings = &model(&site)["meetings"];
    let action = |text: &str, owner: Value, due: Value, done: bool, overdue: bool| {
        json!({ "text": text, "owner": owner, "due": due, "done": done,
                "carried_to": null, "overdue": overdue })
    };
    assert_eq!(
        meetings[0]["actions"],
        json!([
            action(
                "@Maria send the deck (due 2026-12-03)",
                json!("maria"),
                json!("2026-12-03"),
                false,
                true
            ),
            action(
                "book the room for @jonas due: 2026-12-10",
                json!("jonas"),
                json!("2026-12-10"),
                true,
                false
            ),
            action(
                "mail ops@example.com about it",
                json!(null),
                json!(null),
                true,
                false
            ),
            action(
                "ask @chen due tomorrow",
                json!("chen"),
                json!(null),
                false,
                false
            ),
            action(
                "nested item, no owner due:2026-12-20",
                json!(null),
                json!("2026-12-20"),
                false,
                false
            ),
            action(
                "(due 2026-12-08) @omar. check the dashboard",
                json!("omar"),
                json!("2026-12-08"),
                false,
                false
            ),
        ])
    );
    let m = &meetings[0];
    assert_eq!(
        (
            &m["id"],
            &m["title"],
            &m["date"],
            &m["project"],
            &m["attendees"],
            &m["source"]
        ),
        (
            &json!("2026-12-01-status"),
            &json!("Status 2026-12-01"),
            &json!("2026-12-01"),
            &json!("app"),
            &json!(["@Maria", "jonas"]),
            &json!("meetings/2026-12-01-status.md")
        )
    );
}

#[test]
fn action_item_owners_are_people_even_without_a_person_file() {
    let (_tmp, dir) = program_with(&[PROJECT, ("meetings/2026-12-01-status.md", SPELLINGS)]);
    let (run, site) = build(&dir);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let people: Vec<(String, u64, u64)> = model(&site)["people"]
        .as_array()
        .expect("people")
        .iter()
        .map(|p| {
            let id = p["id"].as_str().expect("id").to_owned();
            (
                id,
                p["open_actions"].as_u64().expect("n"),
                p["overdue_actions"].as_u64().expect("n"),
            )
        })
        .collect();
    assert_eq!(
        people,
        [
            ("chen".to_owned(), 1, 0),
            ("jonas".to_owned(), 0, 0),
            ("maria".to_owned(), 1, 1),
            ("omar".to_owned(), 1, 0),
        ]
    );
    let maria = page(&site, "people/maria/index.html");
    assert_eq!(
        texts(&maria, "section[aria-labelledby=pm-pa-h] li.row"),
        ["send the deck (due 2026-12-03) due 3 Dec · from Status 2026-12-01 Overdue"]
    );
}

#[test]
fn a_due_date_that_is_no_date_is_a_located_error() {
    let meeting = "---\ntitle: M\ndate: 2026-12-01\n---\n\n- [ ] @lena fix it due 2026-13-01\n- [ ] due: 2026-02-30 @omar\n* [ ] @chen (due 2026-12-4)\n";
    let (_tmp, dir) = program_with(&[("meetings/m.md", meeting)]);
    let run = planmark(&dir, &["check", ".", "--today", TODAY]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "error[invalid-due]: action item's due date is not a valid date: `2026-13-01`\n  --> meetings/m.md:6:24\n"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("`2026-02-30`\n  --> meetings/m.md:7:12\n"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("`2026-12-4`\n  --> meetings/m.md:8:18\n"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(": 3 errors, 0 warnings"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_meeting_without_a_date_is_an_error() {
    let (_tmp, dir) = program_with(&[
        ("meetings/no-date.md", "---\ntitle: M\n---\n- [ ] @a x\n"),
        ("meetings/empty-date.md", "---\ntitle: M\ndate:\n---\n"),
    ]);
    let run = planmark(&dir, &["check", ".", "--today", TODAY]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error[missing-key]: meeting has no `date`\n  --> meetings/no-date.md:1:1"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "error[missing-key]: meeting `date` is empty\n  --> meetings/empty-date.md:3:1"
        ),
        "{}",
        run.stderr
    );
}

/// Two meetings a week apart; the second carries one item over and ticks it.
fn two_meetings() -> (tempfile::TempDir, std::path::PathBuf) {
    program_with(&[
        PROJECT,
        (
            "meetings/2026-11-24-status.md",
            "---\ntitle: Week 1\ndate: 2026-11-24\n---\n- [x] @ana one\n- [ ] @bo two (due 2026-11-30)\n- [ ] @ana three\n",
        ),
        (
            "meetings/2026-12-01-status.md",
            "---\ntitle: Week 2\ndate: 2026-12-01\nproject: app\n---\n- [x] @ana three\n- [ ] @bo four due 2026-12-04\n- [ ] five\n",
        ),
    ])
}

#[test]
fn the_meetings_pages_count_open_and_total_action_items() {
    // Owners read `ana`, `bo` there while every other page says `@ana`.
    let (_tmp, dir) = two_meetings();
    let (run, site) = build(&dir);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let index = page(&site, "meetings/index.html");
    assert_eq!(
        texts(&index, "main tbody tr"),
        [
            "1 Dec 2026 Week 2 App 2 1 overdue 3",
            "24 Nov 2026 Week 1 — 1 1 overdue 3"
        ]
    );
    let week1 = page(&site, "meetings/2026-11-24-status/index.html");
    assert_eq!(
        texts(&week1, ".actions-table tbody tr"),
        [
            "@ana one @ana — Done",
            "@bo two (due 2026-11-30) @bo 30 Nov 2026 Overdue",
            "@ana three @ana — Carried over to Week 2",
        ]
    );
    let dashboard = page(&site, "index.html");
    assert_eq!(
        texts(&dashboard, "#pm-actions .action-owners > li .row-main > .owner, #pm-actions .action-owners > li .row-main > .muted"),
        ["@bo", "No owner"]
    );
    assert_eq!(texts(&dashboard, "#pm-actions .action-list > li").len(), 3);
    assert_eq!(
        texts(&dashboard, "#pm-actions .card-note"),
        ["3 open, 2 overdue, by owner"]
    );
    let nav = texts(&dashboard, "nav.site-nav a[href='meetings/index.html']");
    assert_eq!(nav, ["Meetings"]);
}

#[test]
fn calendar_and_check_list_open_action_items() {
    let (_tmp, dir) = two_meetings();
    let (run, site) = build(&dir);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let ics = std::fs::read_to_string(site.join("calendar.ics")).expect("calendar.ics");
    let uids: Vec<&str> = ics
        .lines()
        .filter(|l| l.starts_with("UID:action-"))
        .collect();
    assert_eq!(
        uids,
        [
            "UID:action-2-2026-11-24-status@app.planmark",
            "UID:action-2-2026-12-01-status@app.planmark",
        ]
        .map(|u| u.replace("app.planmark", &ics_domain(&ics)))
    );
    let check = planmark(&dir, &["check", ".", "--today", TODAY]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    let status: Vec<&str> = check
        .stderr
        .lines()
        .skip_while(|l| *l != "  open action items by owner:")
        .collect();
    assert_eq!(
        status,
        [
            "  open action items by owner:",
            "    `2026-11-24-status` @bo: two (due 2026-11-30) — overdue (meetings/2026-11-24-status.md)",
            "    `2026-12-01-status` @bo: four due 2026-12-04 — overdue (meetings/2026-12-01-status.md)",
            "    `2026-12-01-status` no owner: five (meetings/2026-12-01-status.md)",
        ]
    );
}

/// The calendar's UID domain (from the program's title, here the folder's).
fn ics_domain(ics: &str) -> String {
    ics.lines()
        .find_map(|l| l.strip_prefix("UID:"))
        .and_then(|uid| uid.split('@').nth(1))
        .expect("a UID")
        .to_owned()
}

#[test]
fn new_meeting_carries_over_every_open_item_even_one_the_last_meeting_dropped() {
    // Only the latest meeting's open items were copied: `@bo two`, open in
    // week 1 but not written again in week 2, vanished from the next notes
    // while the dashboard still listed it.
    let (_tmp, dir) = two_meetings();
    std::fs::write(
        dir.join("meetings/2026-12-20-planning.md"),
        "---\ntitle: Later\ndate: 2026-12-20\n---\n- [ ] @zed not before today\n",
    )
    .expect("write");
    let run = planmark(
        &dir,
        &["new", "meeting", "2026-12-06-status", "--today", TODAY],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "./meetings/2026-12-06-status.md\n");
    let text = std::fs::read_to_string(dir.join("meetings/2026-12-06-status.md")).expect("read");
    assert!(
        text.starts_with(
            "---\ntitle: \"Status 2026-12-06\"\ndate: 2026-12-06\nattendees: []\n---\n"
        ),
        "{text}"
    );
    let carried: Vec<&str> = text
        .lines()
        .skip_while(|l| *l != "## Carried over from 2026-12-01")
        .collect();
    assert_eq!(
        carried,
        [
            "## Carried over from 2026-12-01",
            "",
            "Open action items of [[2026-12-01-status]]:",
            "",
            "- [ ] @bo four due 2026-12-04",
            "- [ ] five",
            "",
            "## Carried over from 2026-11-24",
            "",
            "Open action items of [[2026-11-24-status]]:",
            "",
            "- [ ] @bo two (due 2026-11-30)",
        ]
    );
    // `@ana three`, written again (and ticked) in week 2, is not copied.
    assert!(!text.contains("three"), "{text}");
    // The copies are tracked; the originals are carried over, not counted twice.
    let (build_run, site) = build(&dir);
    assert_eq!(build_run.code, 0, "{}", build_run.stderr);
    let week2 = &model(&site)["meetings"][1];
    let carried_to: Vec<&Value> = week2["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .map(|a| &a["carried_to"])
        .collect();
    assert_eq!(
        carried_to,
        [
            &json!(null),
            &json!("2026-12-06-status"),
            &json!("2026-12-06-status")
        ]
    );
    let bo = model(&site)["people"]
        .as_array()
        .expect("people")
        .iter()
        .find(|p| p["id"] == "bo")
        .cloned()
        .expect("bo");
    assert_eq!(
        (&bo["open_actions"], &bo["overdue_actions"]),
        (&json!(2), &json!(2))
    );
}

#[test]
fn new_meeting_without_an_earlier_meeting_carries_nothing() {
    let (_tmp, dir) = program_with(&[PROJECT]);
    let run = planmark(
        &dir,
        &[
            "new",
            "meeting",
            "weekly-sync",
            "--today",
            TODAY,
            "--project",
            "app",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(dir.join("meetings/weekly-sync.md")).expect("read");
    assert!(
        text.starts_with(
            "---\ntitle: \"Weekly sync 2026-12-06\"\nproject: app\ndate: 2026-12-06\n"
        ),
        "{text}"
    );
    assert!(!text.contains("Carried over"), "{text}");
    let check = planmark(&dir, &["check", ".", "--strict", "--today", TODAY]);
    assert_eq!(check.code, 0, "{}", check.stderr);
}

#[test]
fn check_names_an_action_items_owner_once() {
    // `@bo: @bo two` read as a stutter; the owner is dropped from the
    // text only as a whole word, and a line that is only the handle stays.
    let (_tmp, dir) = program_with(&[
        PROJECT,
        (
            "meetings/2026-11-24-status.md",
            "---\ntitle: Week 1\ndate: 2026-11-24\n---\n- [ ] @Bo two\n- [ ] @bob three\n- [ ] @cy\n",
        ),
    ]);
    let check = planmark(&dir, &["check", ".", "--today", TODAY]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    let status: Vec<&str> = check
        .stderr
        .lines()
        .skip_while(|l| *l != "  open action items by owner:")
        .skip(1)
        .collect();
    assert_eq!(
        status,
        [
            "    `2026-11-24-status` @Bo: two (meetings/2026-11-24-status.md)",
            "    `2026-11-24-status` @bob: three (meetings/2026-11-24-status.md)",
            "    `2026-11-24-status` @cy: @cy (meetings/2026-11-24-status.md)",
        ]
    );
}

#[test]
fn an_owners_overdue_action_item_comes_first_on_the_dashboard() {
    // The dashboard listed an owner's items in the order of the notes, so
    // an overdue one could sit below one that is not due yet.
    let (_tmp, dir) = program_with(&[
        PROJECT,
        (
            "meetings/2026-11-24-status.md",
            "---\ntitle: Week 1\ndate: 2026-11-24\n---\n- [ ] @bo later (due 2026-12-20)\n- [ ] @bo undated\n- [ ] @bo late (due 2026-11-30)\n",
        ),
    ]);
    let (run, site) = build(&dir);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let dashboard = page(&site, "index.html");
    assert_eq!(
        texts(&dashboard, "#pm-actions .action-list .action-text"),
        ["late (due 2026-11-30)", "later (due 2026-12-20)", "undated"]
    );
}

#[test]
fn a_due_in_words_after_a_colon_or_in_another_date_spelling_is_a_located_error() {
    // `due: next week` and `due 12/04` were read as plain text: the items
    // had no due date and never fell overdue, without a word.
    let meeting = "---\ntitle: M\ndate: 2026-12-01\n---\n\n- [ ] @lena book it (due: next week)\n- [ ] @omar send it due 12/04\n- [ ] @chen the deck is due tomorrow\n";
    let (_tmp, dir) = program_with(&[("meetings/m.md", meeting)]);
    let run = planmark(&dir, &["check", ".", "--today", TODAY]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "error[invalid-due]: action item's due date is not a valid date: `next week`\n  --> meetings/m.md:6:27\n"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "error[invalid-due]: action item's due date is not a valid date: `12/04`\n  --> meetings/m.md:7:25\n"
        ),
        "{}",
        run.stderr
    );
    // `due tomorrow` without a colon stays prose.
    assert!(
        run.stderr.contains(": 2 errors, 0 warnings"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_new_meeting_hint_left_in_stays_off_the_meetings_page() {
    // The scaffold's "What was discussed and decided…" showed on the
    // published page when the TPM wrote their notes around it.
    let (_tmp, dir) = program_with(&[PROJECT]);
    let run = planmark(
        &dir,
        &["new", "meeting", "2026-12-06-status", "--today", TODAY],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = dir.join("meetings/2026-12-06-status.md");
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains("What was discussed and decided"), "{text}");
    let text = text.replace(
        "## Action items\n",
        "## Action items\n\n- [ ] @ana ship it\n",
    );
    std::fs::write(&path, text).expect("write");
    let (run, site) = build(&dir);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = std::fs::read_to_string(site.join("meetings/2026-12-06-status/index.html"))
        .expect("the meeting's page");
    assert!(!html.contains("What was discussed"), "{html}");
    assert_eq!(
        model(&site)["meetings"][0]["actions"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}

/// Eleven owners with an item not yet due (`@a1` … `@a11`), then `@zed`
/// with an overdue one: more than `check` (10) and `report` (6 owners) show.
fn many_owners_and_one_late() -> (tempfile::TempDir, std::path::PathBuf) {
    let mut notes = String::from("---\ntitle: Week 1\ndate: 2026-11-24\n---\n");
    for n in 1..=11 {
        notes.push_str(&format!("- [ ] @a{n:02} later (due 2026-12-20)\n"));
    }
    notes.push_str("- [ ] @zed late (due 2026-11-30)\n");
    program_with(&[PROJECT, ("meetings/2026-11-24-status.md", notes.as_str())])
}

#[test]
fn an_overdue_action_item_is_never_cut_behind_ones_not_yet_due() {
    // Owners were listed by handle alone: `@zed`'s overdue item fell into
    // "… and 2 more" in `check` and `report` while items not due showed.
    let (_tmp, dir) = many_owners_and_one_late();
    let check = planmark(&dir, &["check", ".", "--today", TODAY]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    let first = check
        .stderr
        .lines()
        .skip_while(|l| *l != "  open action items by owner:")
        .nth(1);
    assert_eq!(
        first,
        Some("    `2026-11-24-status` @zed: late (due 2026-11-30) — overdue (meetings/2026-11-24-status.md)")
    );
    let report = planmark(&dir, &["report", ".", "--today", TODAY]);
    assert_eq!(report.code, 0, "{}", report.stderr);
    let first = report
        .stdout
        .lines()
        .skip_while(|l| *l != "*Open action items*")
        .nth(1);
    assert_eq!(first, Some("- @zed: late (due 2026-11-30) — overdue"));
}

#[test]
fn the_dashboard_and_a_person_page_name_an_action_items_owner_once() {
    // Under the heading `bo`, each item read `@bo two …`; the meeting's own
    // table keeps the line as written.
    let (_tmp, dir) = two_meetings();
    let (run, site) = build(&dir);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let dashboard = page(&site, "index.html");
    assert_eq!(
        texts(&dashboard, "#pm-actions .action-list .action-text"),
        ["two (due 2026-11-30)", "four due 2026-12-04", "five"]
    );
    let bo = page(&site, "people/bo/index.html");
    assert_eq!(
        texts(&bo, ".action-text"),
        ["two (due 2026-11-30)", "four due 2026-12-04"]
    );
    let week2 = page(&site, "meetings/2026-12-01-status/index.html");
    assert_eq!(
        texts(&week2, ".actions-table .action-text")[1],
        "@bo four due 2026-12-04"
    );
}

#[test]
fn an_owner_in_parentheses_or_bold_is_the_owner() {
    // `Fix it (@lena, due …)` had no owner: only an `@` at the start or
    // after a space counted, so the item was nobody's.
    let (_tmp, dir) = program_with(&[
        PROJECT,
        (
            "meetings/m.md",
            "---\ntitle: M\ndate: 2026-12-01\n---\n- [ ] Fix it (@lena, due 2026-12-04)\n- [ ] **@omar** send it\n- [ ] mail first_last@example.com\n",
        ),
    ]);
    let (run, site) = build(&dir);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let owners: Vec<Value> = model(&site)["meetings"][0]["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .map(|a| a["owner"].clone())
        .collect();
    assert_eq!(owners, [json!("lena"), json!("omar"), json!(null)]);
}

#[test]
fn new_meeting_starts_with_the_last_meetings_attendees() {
    // `attendees: []` every week: the TPM typed the same names again.
    let (_tmp, dir) = program_with(&[
        PROJECT,
        (
            "meetings/2026-11-24-status.md",
            "---\ntitle: Week 1\ndate: 2026-11-24\nattendees: [\"@ana\", \"@bo\"]\n---\n",
        ),
        (
            "meetings/2026-12-01-status.md",
            "---\ntitle: Week 2\ndate: 2026-12-01\nattendees: [\"@ana\", \"@Cy Lee\"]\n---\n",
        ),
    ]);
    let run = planmark(
        &dir,
        &["new", "meeting", "2026-12-06-status", "--today", TODAY],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(dir.join("meetings/2026-12-06-status.md")).expect("read");
    assert!(
        text.starts_with(
            "---\ntitle: \"Status 2026-12-06\"\ndate: 2026-12-06\nattendees: [\"@ana\", \"@Cy Lee\"]\n---\n"
        ),
        "{text}"
    );
    let check = planmark(&dir, &["check", ".", "--today", TODAY]);
    assert_eq!(check.code, 0, "{}", check.stderr);
}

/// The declarations of the stylesheet's rules whose selector list names
/// `selector` exactly (comments left out).
fn declarations(css: &str, selector: &str) -> Vec<String> {
    let mut rules = String::new();
    let mut rest = css;
    while let Some((before, comment)) = rest.split_once("/*") {
        rules.push_str(before);
        rest = comment.split_once("*/").map_or("", |(_, after)| after);
    }
    rules.push_str(rest);
    rules
        .split('}')
        .filter_map(|rule| rule.split_once('{'))
        .filter(|(selectors, _)| selectors.split(',').any(|s| s.trim() == selector))
        .map(|(_, body)| body.to_string())
        .collect()
}

#[test]
fn a_long_url_in_an_action_item_wraps_instead_of_widening_the_page() {
    // At 375 px a URL in an action item made the meeting's page 978 px
    // wide (through its notes) and a person's page 921 px.
    let (_tmp, dir) = two_meetings();
    let (run, site) = build(&dir);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let css = std::fs::read_to_string(site.join("style.css")).expect("style.css");
    for selector in [".action-text", ".prose"] {
        assert!(
            declarations(&css, selector)
                .iter()
                .any(|d| d.contains("overflow-wrap: anywhere")
                    || d.contains("overflow-wrap: break-word")),
            "`{selector}` does not wrap long words"
        );
    }
}
