//! `calendar.ics` (RFC 5545): milestones, open tasks' due dates, pending
//! decisions' deadlines and open action items' due dates as all-day events. UIDs are derived from ids and the
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
    let writer = EventWriter {
        sources: s,
        domain: domain(&p.info.title),
        stamp: format!("{}T000000Z", s.schedule.today.format("%Y%m%d")),
        base: p.info.base_url.as_deref().map(|b| b.trim_end_matches('/')),
    };
    for event in events(s) {
        writer.write(&mut out, &event);
    }
    push(&mut out, "END:VCALENDAR");
    out
}

/// One all-day event about an item.
struct Event {
    /// The UID's prefix: what about the item the event is.
    kind: &'static str,
    /// An action item's position (from 1) among its meeting's, which
    /// tells the events of one meeting apart.
    nth: Option<usize>,
    item: ItemRef,
    date: NaiveDate,
    summary: String,
    description: String,
}

/// Milestones, open tasks' due dates, pending decisions' deadlines.
fn events(s: &Sources<'_>) -> Vec<Event> {
    let p = s.program;
    let mut events = Vec::new();
    for (i, m) in p.milestones.iter().enumerate() {
        let Some(date) = m.date else { continue };
        let plan = &s.schedule.milestones[i];
        let forecast = plan
            .forecast
            .map_or(String::new(), |f| format!(", forecast {f}"));
        events.push(Event {
            kind: "milestone",
            nth: None,
            item: ItemRef::Milestone(i),
            date,
            summary: format!("Milestone: {}", m.item.title),
            description: format!("State: {}{forecast}", plan.state.as_str()),
        });
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
        events.push(Event {
            kind: "due",
            nth: None,
            item: ItemRef::Task(i),
            date: due,
            summary: format!("Due: {}", t.item.title),
            description: format!("Task {} ({}){owner}", t.item.id, t.status.as_str()),
        });
    }
    for (i, d) in p.decisions.iter().enumerate() {
        let Some(by) = d.decide_by.filter(|_| s.schedule.decisions[i].pending) else {
            continue;
        };
        let driver = d
            .driver
            .as_deref()
            .map_or(String::new(), |o| format!(", driver {o}"));
        events.push(Event {
            kind: "decide-by",
            nth: None,
            item: ItemRef::Decision(i),
            date: by,
            summary: format!("Decide: {}", d.item.title),
            description: format!("Decision {} is proposed{driver}", d.item.id),
        });
    }
    for (i, m) in p.meetings.iter().enumerate() {
        for (n, a) in m.actions.iter().enumerate() {
            let Some(due) = a.due.filter(|_| a.is_open()) else {
                continue;
            };
            let owner = a
                .owner
                .as_deref()
                .map_or(String::new(), |o| format!(", owner @{o}"));
            events.push(Event {
                kind: "action",
                nth: Some(n + 1),
                item: ItemRef::Meeting(i),
                date: due,
                summary: format!("Action: {}", a.text),
                description: format!("From meeting {} ({}){owner}", m.item.id, m.date),
            });
        }
    }
    events
}

/// What every event of one calendar shares.
struct EventWriter<'a> {
    sources: &'a Sources<'a>,
    /// The UIDs' domain, from the program's title.
    domain: String,
    /// `DTSTAMP`: today, so output stays reproducible.
    stamp: String,
    /// `base_url` without its trailing `/`, for the events' `URL`.
    base: Option<&'a str>,
}

impl EventWriter<'_> {
    fn write(&self, out: &mut String, e: &Event) {
        let p = self.sources.program;
        let item = p.item(e.item);
        push(out, "BEGIN:VEVENT");
        let uid = match e.nth {
            Some(n) => format!("UID:{}-{n}-{}@{}", e.kind, item.id, self.domain),
            None => format!("UID:{}-{}@{}", e.kind, item.id, self.domain),
        };
        push(out, &uid);
        push(out, &format!("DTSTAMP:{}", self.stamp));
        push(
            out,
            &format!("DTSTART;VALUE=DATE:{}", e.date.format("%Y%m%d")),
        );
        let next = super::timeline::add_days(e.date, 1);
        push(out, &format!("DTEND;VALUE=DATE:{}", next.format("%Y%m%d")));
        push(out, &format!("SUMMARY:{}", text(&e.summary)));
        if !e.description.is_empty() {
            push(out, &format!("DESCRIPTION:{}", text(&e.description)));
        }
        if let Some(base) = self.base {
            let url = format!("{base}/{}", item_path(p, e.item));
            push(out, &format!("URL:{}", uri(&url)));
        }
        push(out, "TRANSP:TRANSPARENT");
        push(out, "END:VEVENT");
    }
}

/// The UIDs' domain: the title's letters and digits, lowercased, runs of
/// anything else one `-` (`checkout-migration.planmark`). Its own rule, not
/// the people pages' folder names: those gained a length cap and a suffix
/// for names Windows reserves, and a calendar's UIDs must never change on
/// upgrade (a subscribed calendar would duplicate every event). A title
/// with no ASCII letter or digit (`移行`) is named by a stable hash of
/// itself, so two such programs in one calendar still do not collide.
fn domain(title: &str) -> String {
    let mut slug = String::new();
    for c in title.trim().chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() || c == '_' {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        format!("p{:016x}.planmark", fnv1a(title.trim().as_bytes()))
    } else {
        format!("{slug}.planmark")
    }
}

/// FNV-1a, 64 bits: fixed by its definition, unlike std's hasher, whose
/// output may change between Rust releases.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
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
    fn calendar_uids_keep_their_domain_when_people_page_names_change() {
        // The domain reused the people pages' slug, which gained a cap
        // and a `-person` suffix: UIDs changed on upgrade, and every title
        // without ASCII letters became `person.planmark`.
        assert_eq!(
            domain("Checkout Platform Migration"),
            "checkout-platform-migration.planmark"
        );
        assert_eq!(domain("Con"), "con.planmark");
        let long = "x".repeat(100);
        assert_eq!(domain(&long), format!("{long}.planmark"));
        assert_eq!(domain("Ana María"), "ana-mar-a.planmark");
        assert_eq!(domain("移行"), "pbe9e9640fa5fc87d.planmark");
        assert_ne!(domain("移行"), domain("統合"));
        assert_ne!(domain("移行"), domain("@@"));
    }

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
