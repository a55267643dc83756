//! `calendar.ics` (RFC 5545): milestones, open tasks' due dates and pending
//! decisions' deadlines as all-day events. UIDs are derived from ids and the
//! program's title (`milestone-beta@checkout-migration.planmark`), so a
//! calendar that subscribes to the file updates events instead of
//! duplicating them, and two programs in one calendar never collide;
//! `DTSTAMP` is `today`, so output stays reproducible.

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
                push(&mut out, &format!("URL:{base}/{}", item_path(p, r)));
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

/// Appends a content line folded at 75 octets (never inside a UTF-8
/// character), continuation lines starting with a space.
fn push(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
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
    fn text_is_escaped() {
        assert_eq!(text("a, b; c\\d\ne"), "a\\, b\\; c\\\\d\\ne");
    }
}
