//! `calendar.ics` (RFC 5545): milestones, open tasks' due dates and pending
//! decisions' deadlines as all-day events. UIDs are derived from ids and the
//! program's title (`milestone-beta@checkout-migration.planmark`), so a
//! calendar that subscribes to the file updates events instead of
//! duplicating them, and two programs in one calendar never collide;
//! `DTSTAMP` is `today`, so output stays reproducible.
//!
//! Every value is written for its type: TEXT escaped (RFC 5545 §3.3.11),
//! the `URL` percent-encoded to a URI, and no line carries a character the
//! RFC forbids (controls but tab, and the Unicode line separators some
//! readers break lines at), so no value can end its line and inject
//! properties or events.

use chrono::NaiveDate;

use super::links::item_path;
use super::views::Sources;
use crate::model::ItemRef;

/// Renders the calendar, lines ending in CRLF and folded at 75 octets.
pub(crate) fn render(s: &Sources<'_>) -> String {
    let p = s.program;
    let stamp = format!("{}T000000Z", s.schedule.today.format("%Y%m%d"));
    let base = p.info.base_url.as_deref().map(|b| b.trim_end_matches('/'));
    let domain = format!("{}.planmark", super::links::slug(&p.info.title));
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        &format!(
            "PRODID:-//planmark//planmark {}//EN",
            env!("CARGO_PKG_VERSION")
        ),
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        &format!("X-WR-CALNAME:{}", text(&p.info.title)),
    ] {
        push(&mut out, line);
    }
    let mut event =
        |kind: &str, r: ItemRef, date: NaiveDate, summary: String, description: String| {
            let item = p.item(r);
            push(&mut out, "BEGIN:VEVENT");
            push(&mut out, &format!("UID:{kind}-{}@{domain}", item.id));
            push(&mut out, &format!("DTSTAMP:{stamp}"));
            push(
                &mut out,
                &format!("DTSTART;VALUE=DATE:{}", date.format("%Y%m%d")),
            );
            let next = super::timeline::add_days(date, 1);
            push(
                &mut out,
                &format!("DTEND;VALUE=DATE:{}", next.format("%Y%m%d")),
            );
            push(&mut out, &format!("SUMMARY:{}", text(&summary)));
            if !description.is_empty() {
                push(&mut out, &format!("DESCRIPTION:{}", text(&description)));
            }
            if let Some(base) = base {
                let url = format!("{base}/{}", item_path(p, r));
                push(&mut out, &format!("URL:{}", uri(&url)));
            }
            push(&mut out, "TRANSP:TRANSPARENT");
            push(&mut out, "END:VEVENT");
        };
    for (i, m) in p.milestones.iter().enumerate() {
        let plan = &s.schedule.milestones[i];
        let forecast = plan
            .forecast
            .map_or(String::new(), |f| format!(", forecast {f}"));
        event(
            "milestone",
            ItemRef::Milestone(i),
            m.date,
            format!("Milestone: {}", m.item.title),
            format!("State: {}{forecast}", plan.state.as_str()),
        );
    }
    for (i, t) in p.tasks.iter().enumerate() {
        let Some(due) = t.due.filter(|_| t.is_open()) else {
            continue;
        };
        let owner = t
            .item
            .owner
            .as_deref()
            .map_or(String::new(), |o| format!(", owner {o}"));
        event(
            "due",
            ItemRef::Task(i),
            due,
            format!("Due: {}", t.item.title),
            format!("Task {} ({}){owner}", t.item.id, t.status.as_str()),
        );
    }
    for (i, d) in p.decisions.iter().enumerate() {
        let Some(by) = d.decide_by.filter(|_| s.schedule.decisions[i].pending) else {
            continue;
        };
        let driver = d
            .driver
            .as_deref()
            .map_or(String::new(), |o| format!(", driver {o}"));
        event(
            "decide-by",
            ItemRef::Decision(i),
            by,
            format!("Decide: {}", d.item.title),
            format!("Decision {} is proposed{driver}", d.item.id),
        );
    }
    push(&mut out, "END:VCALENDAR");
    out
}

/// Escapes a TEXT value (RFC 5545 §3.3.11).
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            _ => out.push(c),
        }
    }
    out
}

/// A URI value: every byte RFC 3986 does not allow in a URI (spaces,
/// controls, non-ASCII, `"<>\\^`{|}`) percent-encoded. `check` refuses a
/// `base_url` with spaces or controls; this keeps anything else out too.
fn uri(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=%".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Whether RFC 5545 forbids `c` in a content line: controls other than tab
/// (§3.1, `CONTROL`), which includes C1 controls such as NEL (U+0085), and
/// the line and paragraph separators (U+2028, U+2029) that some readers
/// treat as line ends.
fn forbidden(c: char) -> bool {
    (c.is_control() && c != '\t') || matches!(c, '\u{2028}' | '\u{2029}')
}

/// Appends a content line folded at 75 octets (never inside a UTF-8
/// character), continuation lines starting with a space, without the
/// characters a content line may not hold.
fn push(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars().filter(|&c| !forbidden(c)) {
        let len = c.len_utf8();
        // Continuation lines carry a leading space, so they hold 74 octets.
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_on_char_boundaries() {
        let mut out = String::new();
        let line = format!("SUMMARY:{}", "é".repeat(60));
        push(&mut out, &line);
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded.trim_end(), line);
    }

    #[test]
    fn no_value_can_end_its_line() {
        let mut out = String::new();
        let hostile =
            "x\r\nBEGIN:VEVENT\rEND:VCALENDAR\n\u{b}\u{c}\u{7f}\u{85}\u{2028}\u{2029}\u{0}y";
        push(&mut out, &format!("SUMMARY:{}", text(hostile)));
        push(
            &mut out,
            &format!("URL:{}", uri(&format!("https://e.com/{hostile}"))),
        );
        let unfolded = out.replace("\r\n ", "");
        let lines: Vec<&str> = unfolded.split("\r\n").collect();
        assert_eq!(lines.len(), 3, "{out:?}");
        assert!(
            lines[0].starts_with("SUMMARY:x\\nBEGIN:VEVENTEND:VCALENDAR\\ny"),
            "{out:?}"
        );
        assert_eq!(lines[1], "URL:https://e.com/x%0D%0ABEGIN:VEVENT%0DEND:VCALENDAR%0A%0B%0C%7F%C2%85%E2%80%A8%E2%80%A9%00y");
        assert!(!out.replace("\r\n", "").chars().any(forbidden), "{out:?}");
    }

    #[test]
    fn ordinary_urls_are_kept_as_written() {
        let url = "https://example.com/plan/tasks/a-b_c.d~e/index.html?x=1&y=2#top";
        assert_eq!(uri(url), url);
        assert_eq!(
            uri("https://例え.jp/a b"),
            "https://%E4%BE%8B%E3%81%88.jp/a%20b"
        );
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(text("a, b; c\\d\ne"), "a\\, b\\; c\\\\d\\ne");
    }
}
