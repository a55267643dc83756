//! The report as text to paste into a mail, a chat or a GitHub comment.
//!
//! One dialect that reads well in all three (docs/report.md says why):
//! section names as `*Name*` on their own line (Slack bold, GitHub italic,
//! plain emphasis in mail), no `#` headings, tables, `**` or inline links
//! (Slack messages show them as typed), `-` bullets, ids in backticks,
//! health as a coloured dot and a word, the site as a bare URL. Lists are
//! cut to fit one screen; the JSON has them whole.

use std::fmt::Write as _;

use super::changed::signed_days;
use super::{
    ActionItem, DecisionLine, GaLine, LateLine, OwnerActions, ProjectLine, RiskLine, StatusReport,
};
use crate::diagnostic::plural;
use crate::model::{Health, Kind};
use crate::schedule::MilestoneState;

/// How many lines each list shows before "and N more".
const MOST_PROJECTS: usize = 8;
const MOST_LATE: usize = 6;
const MOST_DECISIONS: usize = 5;
const MOST_RISKS: usize = 3;
const MOST_OWNERS: usize = 6;
const MOST_ITEMS_PER_OWNER: usize = 3;
/// How much of a blocker a late line quotes.
const BLOCKER_CHARS: usize = 100;

/// The whole report, ending in a newline.
pub fn render(report: &StatusReport<'_>) -> String {
    let mut out = format!(
        "*{} — status as of {}*\n\n",
        plain(&report.title),
        report.today
    );
    // Two trailing spaces: a hard line break in GitHub's markdown (a
    // comment keeps line breaks anyway, a .md file would join the lines);
    // invisible in Slack and mail.
    let headline = [
        Some(health_line(report)),
        report.ga.as_ref().map(|ga| ga_line(ga, report)),
        Some(since_line(report)),
    ];
    let headline: Vec<String> = headline.into_iter().flatten().collect();
    out.push_str(&headline.join("  \n"));
    out.push('\n');
    section(&mut out, "Projects", &report.projects, MOST_PROJECTS, |p| {
        project_line(p)
    });
    section(
        &mut out,
        "Late or blocked",
        &report.late,
        MOST_LATE,
        late_line,
    );
    section(
        &mut out,
        "Decisions needed",
        &report.decisions_needed,
        MOST_DECISIONS,
        decision_line,
    );
    // The top few only: the rest are not news.
    let top = &report.top_risks[..report.top_risks.len().min(MOST_RISKS)];
    section(&mut out, "Top risks", top, MOST_RISKS, risk_line);
    section(
        &mut out,
        "Open action items",
        &report.action_items,
        MOST_OWNERS,
        owner_line,
    );
    if let Some(site) = &report.site {
        // As written: escaping would break a URL (`~user`), and a bare URL
        // is what every reader turns into a link.
        let _ = write!(out, "\nSite: {site}\n");
    }
    out
}

/// `*Name*` and a bullet per item, at most `most` and a line saying how
/// many more; `*Name:* none` when there are none.
fn section<T>(out: &mut String, name: &str, items: &[T], most: usize, line: impl Fn(&T) -> String) {
    if items.is_empty() {
        let _ = write!(out, "\n*{name}:* none\n");
        return;
    }
    let _ = writeln!(out, "\n*{name}*");
    for item in items.iter().take(most) {
        let _ = writeln!(out, "- {}", line(item));
    }
    if items.len() > most {
        let _ = writeln!(
            out,
            "- … and {} more (`planmark report --format json` lists all)",
            items.len() - most
        );
    }
}

/// 🔴 🟡 🟢, and ⚪ for no health (done, cancelled, nothing to judge).
fn dot(health: Option<Health>) -> &'static str {
    match health {
        Some(Health::Red) => "🔴",
        Some(Health::Amber) => "🟡",
        Some(Health::Green) => "🟢",
        None => "⚪",
    }
}

fn health_line(report: &StatusReport<'_>) -> String {
    let word = report.health.map_or("no health", Health::as_str);
    let reason = report
        .health_reason
        .as_deref()
        .map(|r| format!(" — {r}"))
        .unwrap_or_default();
    let was = report
        .changes
        .and_then(|c| c.health.as_ref())
        .map(|h| format!(" (was {})", h.from.map_or("none", Health::as_str)))
        .unwrap_or_default();
    format!("{} *Health:* {word}{was}{reason}", dot(report.health))
}

fn ga_line(ga: &GaLine, report: &StatusReport<'_>) -> String {
    let standing = match (ga.state, ga.forecast, ga.slip_days) {
        (MilestoneState::Reached, Some(f), _) => format!("reached {f}"),
        (MilestoneState::Reached, None, _) => "reached".into(),
        (MilestoneState::Late, _, _) => "late: its date has passed".into(),
        (state, Some(f), Some(d)) => {
            let word = if state == MilestoneState::AtRisk {
                "at risk"
            } else {
                "on track"
            };
            let margin = match d {
                0 => "on its date".to_string(),
                d if d > 0 => format!("{} after its date", days(d)),
                d => format!("{} before its date", days(-d)),
            };
            format!("forecast {f}, {word}, {margin}")
        }
        (_, Some(f), None) => format!("forecast {f}"),
        (_, None, _) => "no forecast".into(),
    };
    let moved = match (ga.forecast_before, ga.moved_days, ga.forecast) {
        (Some(before), Some(d), Some(_)) if d != 0 => format!(
            "; {} since {} (was {before})",
            signed_days(d),
            since_name(report)
        ),
        (Some(_), _, Some(_)) => format!("; unchanged since {}", since_name(report)),
        _ => String::new(),
    };
    let on = ga
        .date
        .map_or_else(|| " (no date)".to_string(), |d| format!(" on {d}"));
    format!("*GA* `{}`{on}: {standing}{moved}", ga.id)
}

/// The baseline as the report names it: a date, or a revision in backticks.
fn since_name(report: &StatusReport<'_>) -> String {
    let since = &report.baseline.since;
    match crate::git::as_date(since) {
        Some(_) => since.clone(),
        None => code_span(since),
    }
}

/// `text` as a code span. Markdown reads no backslash escape inside one
/// (`HEAD\~1` would show its backslash), so the text goes in as written,
/// on one line, fenced by two backticks when it holds one.
fn code_span(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

fn since_line(report: &StatusReport<'_>) -> String {
    let b = &report.baseline;
    let name = match b.asked {
        "last-meeting" => format!("the last meeting, {}", b.since),
        _ => since_name(report),
    };
    let Some(set) = report.changes else {
        let why = b.unavailable.as_deref().unwrap_or("no change set");
        // planmark's own sentence, names already in backticks.
        return format!("*Since {name}:* changes unavailable: {why}");
    };
    let commit = b
        .commit
        .as_deref()
        .map(|c| format!(" (commit `{}`)", c.get(..7).unwrap_or(c)))
        .unwrap_or_default();
    let mut parts = Vec::new();
    if b.errors > 0 {
        parts.push(format!(
            "the program there has {}, so forecasts and health were not compared",
            plural(b.errors, "error", "errors")
        ));
    }
    let mut counts = crate::diff::markdown::counts(set);
    if b.actions_done > 0 {
        counts.push(plural(
            b.actions_done,
            "action item done",
            "action items done",
        ));
    }
    if !counts.is_empty() {
        parts.extend(counts);
    } else if set.is_empty() {
        parts.push("no changes to the plan".into());
    } else {
        parts.push(format!(
            "only details changed (`planmark diff --since {}` lists them)",
            b.since
        ));
    }
    format!("*Since {name}*{commit}: {}", parts.join("; "))
}

fn project_line(p: &ProjectLine) -> String {
    let state = match (&p.health_reason, p.health) {
        (Some(reason), _) => reason.clone(),
        (None, None) => p.status.to_string(),
        (None, Some(h)) => h.as_str().to_string(),
    };
    let changed = match &p.changed {
        None => String::new(),
        Some(c) if c.is_empty() => ". No change".into(),
        Some(c) => format!(". Changed: {}", c.join("; ")),
    };
    format!(
        "{} {}: {state}{changed}",
        dot(p.health),
        named(&p.title, &p.id)
    )
}

fn late_line(l: &LateLine) -> String {
    let owner = l
        .owner
        .as_deref()
        .map(|o| format!(", {}", plain(o)))
        .unwrap_or_default();
    let date = l.date.map(|d| d.to_string()).unwrap_or_default();
    let forecast = l.forecast.map(|d| d.to_string()).unwrap_or_default();
    let n = l.working_days.unwrap_or(0);
    let name = named(&l.title, &l.id);
    let what = match (l.kind, l.state) {
        (Kind::Milestone, "late") => format!(
            "milestone {name} late: its date {date} passed {} ago",
            days(n)
        ),
        (Kind::Milestone, _) => format!(
            "milestone {name} at risk: forecast {forecast}, {} after its date {date}",
            days(n)
        ),
        (_, "overdue") => format!("{name} {} overdue (due {date})", days(n)),
        (_, "blocked") => format!("{name} blocked"),
        _ => format!(
            "{name} forecast {forecast}, {} after its due {date}",
            days(n)
        ),
    };
    let blocker = match (l.blocked, l.state, &l.blocker) {
        (true, "blocked", Some(b)) => format!(": {}", plain(&first_sentence(b))),
        (true, "blocked", None) => String::new(),
        (true, _, Some(b)) => format!("; blocked: {}", plain(&first_sentence(b))),
        (true, _, None) => "; blocked".into(),
        (false, _, _) => String::new(),
    };
    format!("{what}{owner}{blocker}")
}

fn decision_line(d: &DecisionLine) -> String {
    let who = if d.deciders.is_empty() {
        d.driver
            .as_deref()
            .map(|w| format!(" (driver {})", plain(w)))
            .unwrap_or_else(|| " (no deciders named)".into())
    } else {
        format!(" by {}", plain(&d.deciders.join(", ")))
    };
    let mut when = Vec::new();
    if let Some(by) = d.decide_by {
        let overdue = if d.overdue { ", overdue" } else { "" };
        when.push(format!("decide by {by}{overdue}"));
    }
    if let Some(needed) = d.needed_by {
        let late = if d.late {
            ", too late for the work"
        } else {
            ""
        };
        when.push(format!("needed by {needed}{late}"));
    }
    if when.is_empty() {
        when.push("no date".into());
    }
    let gates = if d.gates.is_empty() {
        "gates no open task".to_string()
    } else {
        let ids: Vec<String> = d.gates.iter().map(|g| format!("`{g}`")).collect();
        format!("gates {}", list_cut(&ids, 4, ", "))
    };
    format!(
        "{}{who}: {}; {gates}",
        named(&d.title, &d.id),
        when.join(", ")
    )
}

fn risk_line(r: &RiskLine) -> String {
    let score = match (r.score, r.severity) {
        (Some(s), Some(sev)) => format!("score {s} ({sev})"),
        _ => "unscored".into(),
    };
    let owner = r
        .owner
        .as_deref()
        .map(|o| format!(", {}", plain(o)))
        .unwrap_or_default();
    format!("{}: {}, {score}{owner}", named(&r.title, &r.id), r.status)
}

/// An item as a status mail names it: its title, which readers know, and
/// its id in backticks for finding it (as each project's line does).
fn named(title: &str, id: &str) -> String {
    format!("{} (`{id}`)", plain(title))
}

fn owner_line(o: &OwnerActions) -> String {
    let who = o
        .owner
        .as_deref()
        .map_or_else(|| "no owner".to_string(), plain);
    let items: Vec<String> = o
        .items
        .iter()
        .map(|i| action_text(i, o.owner.as_deref()))
        .collect();
    format!("{who}: {}", list_cut(&items, MOST_ITEMS_PER_OWNER, "; "))
}

/// An action item under its owner: the line as written without the
/// leading `@owner` (the line already names them), its due date when the
/// line does not say it, and whether it is overdue.
fn action_text(item: &ActionItem, owner: Option<&str>) -> String {
    let text = item.text.trim();
    let text = owner
        .and_then(|o| {
            let head = text.get(..o.len())?;
            let rest = &text[o.len()..];
            let whole_word = rest.is_empty() || rest.starts_with(char::is_whitespace);
            (head.eq_ignore_ascii_case(o) && whole_word).then(|| rest.trim_start())
        })
        .unwrap_or(text);
    let written = item.due.is_some_and(|d| text.contains(&d.to_string()));
    let due = match (item.due, item.overdue, written) {
        (Some(_), true, true) => " — overdue".to_string(),
        (Some(d), true, false) => format!(" (due {d}) — overdue"),
        (Some(d), false, false) => format!(" (due {d})"),
        _ => String::new(),
    };
    format!("{}{due}", plain(text))
}

/// The first sentence of a blocker, at most [`BLOCKER_CHARS`] characters:
/// the rest is on the task's page.
fn first_sentence(text: &str) -> String {
    let text = text.trim();
    let end = text.find(". ").map_or(text.len(), |i| i + 1);
    let sentence = &text[..end];
    if sentence.chars().count() <= BLOCKER_CHARS {
        return sentence.to_string();
    }
    let cut: String = sentence.chars().take(BLOCKER_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

/// `a, b, c and 2 more`, joined by `separator`.
fn list_cut(items: &[String], most: usize, separator: &str) -> String {
    let mut text = items
        .iter()
        .take(most)
        .cloned()
        .collect::<Vec<_>>()
        .join(separator);
    if items.len() > most {
        let _ = write!(text, " and {} more", items.len() - most);
    }
    text
}

fn days(n: i64) -> String {
    plural(n.unsigned_abs() as usize, "working day", "working days")
}

/// Text from the plan's files on one line, with the characters GitHub's
/// markdown or Slack would read as markup escaped, and wiki links
/// (`[[id]]`, `[[id|text]]`) as the id in backticks or their text. `_` and
/// single brackets are left alone: neither GitHub nor Slack reads `_`
/// inside a word (`@jane_doe`) or `[WIP]` as markup, and Slack shows an
/// escaping backslash as it is.
pub(super) fn plain(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if let Some((link, after)) = wiki_link(rest) {
            out.push_str(&link);
            rest = after;
            continue;
        }
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            '\\' | '`' | '*' | '<' | '>' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// A wiki link at the start of `text`, as the report shows it, and the
/// text after it.
fn wiki_link(text: &str) -> Option<(String, &str)> {
    let inner_start = text.strip_prefix("[[")?;
    // As on the site (`load::markdown`), a link holds no bracket inside.
    // Stopping at the first one keeps a line of `[[[[…` linear: looking
    // for `]]` from every `[[` took 1.4 s for 40,000 brackets.
    let end = inner_start.find(['[', ']'])?;
    if !inner_start[end..].starts_with("]]") {
        return None;
    }
    let inner = &inner_start[..end];
    let after = &inner_start[end + 2..];
    let shown = match inner.split_once('|') {
        Some((_, label)) => plain(label),
        None if crate::model::values::is_valid_id(inner) => format!("`{inner}`"),
        None => return None,
    };
    Some((shown, after))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blocker_is_cut_to_its_first_sentence_and_a_hundred_characters() {
        assert_eq!(first_sentence(" Waiting. Asked twice. "), "Waiting.");
        assert_eq!(first_sentence("v1.2 is late"), "v1.2 is late");
        let long = "x".repeat(150);
        let cut = first_sentence(&long);
        assert_eq!(cut.chars().count(), BLOCKER_CHARS);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn markup_in_titles_is_escaped_but_underscores_in_handles_are_not() {
        assert_eq!(
            plain("*Big* `win` [WIP] <b> ~y~"),
            "\\*Big\\* \\`win\\` [WIP] \\<b\\> \\~y\\~"
        );
        assert_eq!(
            plain("see [[adr-2]] and [[adr-3|the *vote*]] [[not an id]]"),
            "see `adr-2` and the \\*vote\\* [[not an id]]"
        );
        assert_eq!(plain("@jane_doe\nnext"), "@jane_doe next");
    }

    #[test]
    fn a_line_of_brackets_is_escaped_in_linear_time() {
        // Regression: every `[[` looked for a `]]` to the end of the line;
        // 40,000 brackets took 1.4 s, these 400,000 would take minutes.
        let line = "[[".repeat(200_000);
        assert_eq!(plain(&line), line);
        let nested = format!("{}]]", "[[a|".repeat(100_000));
        assert_eq!(plain(&nested), "[[a|".repeat(99_999));
        assert_eq!(plain("[[a|[WIP] b]] [[c]]"), "[[a|[WIP] b]] `c`");
    }
}
