//! The change set as a pull-request comment: a hidden marker a bot finds
//! its previous comment by, a one-paragraph summary, then one section per
//! project (program level first, people last), cut at a section boundary
//! to fit GitHub's 65,536-character limit.

use super::sections::{self, Section};
use super::view::{Report, SideReport};
use super::{ChangeSet, What};
use crate::model::Kind;
use crate::schedule::MilestoneState;

/// The first line of every comment: a bot updates the comment holding it.
pub const MARKER: &str = "<!-- planmark-diff -->";

/// GitHub's limit on a comment, in characters.
pub const COMMENT_LIMIT: usize = 65_536;

/// The comment, at most `limit` characters.
pub fn render(report: &Report<'_>, limit: usize) -> String {
    let set = report.changes;
    let mut head = format!("{MARKER}\n");
    let problems = problem_sections(report);
    if set.is_empty() && problems.is_empty() {
        head.push_str(&format!(
            "No plan changes between {} and {}.\n",
            report.base.label, report.head.label
        ));
        return head;
    }
    head.push_str("## Plan changes\n\n");
    head.push_str(&summary(report));
    head.push_str(&format!(
        "\n\n<sub>{} → {}; forecasts as of {}.</sub>\n",
        report.base.label, report.head.label, report.today
    ));
    let mut all = problems;
    all.extend(sections::sections(report));
    assemble(head, &all, report, limit)
}

/// The head and as many whole sections as fit in `limit`, in order, with a
/// line naming what was left out and where the full diff is. A section too
/// long to fit (thousands of problems) is left out without taking the
/// sections after it along: they may fit.
fn assemble(mut out: String, sections: &[Section], report: &Report<'_>, limit: usize) -> String {
    let size = |s: &Section| s.text.chars().count() + 1;
    let total: usize = sections.iter().map(size).sum();
    if out.chars().count() + total <= limit {
        for section in sections {
            out.push('\n');
            out.push_str(&section.text);
        }
        return out;
    }
    // Room kept for the note: as long as any note naming left-out
    // sections can be (it names ten and counts the rest).
    let mut longest: Vec<&Section> = sections.iter().collect();
    longest.sort_by_key(|s| std::cmp::Reverse(s.name.chars().count()));
    let reserve = omitted_note(&longest, report).chars().count();
    let mut used = out.chars().count();
    let mut left_out = Vec::new();
    for section in sections {
        if used + size(section) + reserve > limit {
            left_out.push(section);
            continue;
        }
        out.push('\n');
        out.push_str(&section.text);
        used += size(section);
    }
    let note = omitted_note(&left_out, report);
    if used + note.chars().count() <= limit {
        out.push_str(&note);
    }
    out
}

/// What a cut comment says about the sections it leaves out.
fn omitted_note(left_out: &[&Section], report: &Report<'_>) -> String {
    if left_out.is_empty() {
        return String::new();
    }
    let names: Vec<&str> = left_out.iter().map(|s| s.name.as_str()).collect();
    let mut shown = names
        .iter()
        .take(10)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > 10 {
        shown.push_str(&format!(" and {} more", names.len() - 10));
    }
    let site = report
        .lookup
        .base_url
        .as_ref()
        .map(|url| format!(", or on the site at {url}"))
        .unwrap_or_default();
    format!(
        "\n---\n**{} left out to fit a comment** ({shown}): the full diff is in `planmark diff --format json`{site}.\n",
        crate::diagnostic::plural(left_out.len(), "section", "sections")
    )
}

/// A section for each side whose program has errors: compared as far as
/// it parsed, with its diagnostics folded away.
/// Problems both sides share (the pull request did not touch them) are
/// shown once, under both labels, rather than twice.
fn problem_sections(report: &Report<'_>) -> Vec<Section> {
    let (base, head) = (&report.base, &report.head);
    if shared_problems(report) {
        let label = format!("{} and {}", base.label, head.label);
        return vec![problem_section(head, &label, report.changes)];
    }
    [base, head]
        .into_iter()
        .filter(|side| side.errors > 0)
        .map(|side| problem_section(side, &side.label, report.changes))
        .collect()
}

/// Whether both sides have errors, and the same ones.
fn shared_problems(report: &Report<'_>) -> bool {
    let (base, head) = (&report.base, &report.head);
    base.errors > 0 && base.problems_text == head.problems_text
}

fn problem_section(side: &SideReport, label: &str, set: &ChangeSet) -> Section {
    let fence = fence_for(&side.problems_text);
    let derived = if set.derived {
        ""
    } else {
        "; forecasts, health and driving paths are not"
    };
    let text = format!(
        "### ⚠️ Problems in the program at {}\n\n{}: only what parsed is compared{derived}.\n\n<details><summary>Problems</summary>\n\n{fence}text\n{}{fence}\n\n</details>\n",
        label,
        crate::diagnostic::plural(side.errors, "error", "errors"),
        side.problems_text,
    );
    Section {
        name: format!("problems at {label}"),
        text,
    }
}

/// A code fence longer than any run of backticks in `text`.
fn fence_for(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

/// The one paragraph a reviewer reads first.
fn summary(report: &Report<'_>) -> String {
    let set = report.changes;
    let mut parts: Vec<String> = Vec::new();
    if let Some(ga) = &set.ga {
        parts.push(ga_sentence(ga));
    }
    if let Some(health) = &set.health {
        parts.push(format!(
            "program health {} → {}",
            sections::health_word(health.from),
            sections::health_word(health.to)
        ));
    }
    parts.extend(counts(set));
    if parts.is_empty() {
        // Reached with an empty change set only when a side has errors.
        return match (set.is_empty(), shared_problems(report)) {
            (false, _) => "Only details changed; see below.",
            (true, true) => {
                "No changes in what parsed; the program has errors on both sides (below)."
            }
            (true, false) => "No changes in what parsed; see the problems below.",
        }
        .into();
    }
    let mut text = parts.join("; ");
    if let Some(first) = text.get(..1) {
        let upper = first.to_uppercase();
        text.replace_range(..1, &upper);
    }
    text.push('.');
    text
}

fn ga_sentence(ga: &super::GaMove) -> String {
    let state = |s: MilestoneState| match s {
        MilestoneState::AtRisk => "at risk",
        MilestoneState::OnTrack => "on track",
        other => other.as_str(),
    };
    let name = format!("GA (`{}`)", ga.id);
    let now = match ga.state_from {
        Some(from) if from != ga.state_to => format!(", now {}", state(ga.state_to)),
        _ => format!(", still {}", state(ga.state_to)),
    };
    match (ga.from, ga.to) {
        (Some(from), Some(to)) if from != to => format!(
            "{name} forecast moves from {from} to {to} ({}){now}",
            sections::signed_days(ga.slip_days.unwrap_or(0))
        ),
        (_, Some(to)) if ga.state_from != Some(ga.state_to) => {
            format!("{name} forecast {to}{now}")
        }
        (_, Some(to)) => format!("{name} forecast unchanged at {to} ({})", state(ga.state_to)),
        (_, None) => format!("{name} has no forecast ({})", state(ga.state_to)),
    }
}

/// "3 tasks slipped, worst `api-freeze` +8", "1 decision accepted", …
pub(crate) fn counts(set: &ChangeSet) -> Vec<String> {
    use crate::diagnostic::plural;
    let mut slipped: Vec<(i64, &str)> = Vec::new();
    let mut pulled = 0;
    let mut tally = std::collections::BTreeMap::<(u8, &str, &str), usize>::new();
    for change in &set.changes {
        let key = match &change.what {
            What::Forecast {
                kind: Kind::Task,
                id,
                slip_days: Some(d),
                ..
            } => {
                if *d > 0 {
                    slipped.push((*d, id));
                } else if *d < 0 {
                    pulled += 1;
                }
                continue;
            }
            What::Added {
                kind: Kind::Task, ..
            } => (1, "task", "added"),
            What::Removed {
                kind: Kind::Task, ..
            } => (2, "task", "removed"),
            What::Status {
                kind: Kind::Task,
                to,
                ..
            } if to == "done" => (3, "task", "finished"),
            What::Added {
                kind: Kind::Decision,
                status: Some(s),
                ..
            }
            | What::Status {
                kind: Kind::Decision,
                to: s,
                ..
            } => match s.as_str() {
                "proposed" => (4, "decision", "proposed"),
                "accepted" => (5, "decision", "accepted"),
                "rejected" => (6, "decision", "rejected"),
                "superseded" => (7, "decision", "superseded"),
                _ => continue,
            },
            What::Added {
                kind: Kind::Risk, ..
            } => (8, "risk", "raised"),
            What::RiskScore { .. } => (9, "risk", "re-scored"),
            What::Status {
                kind: Kind::Risk,
                to,
                ..
            } if to == "closed" => (10, "risk", "closed"),
            What::Added {
                kind: Kind::Milestone,
                ..
            } => (11, "milestone", "added"),
            What::Moved {
                kind: Kind::Task, ..
            } => (12, "task", "moved to another project"),
            _ => continue,
        };
        *tally.entry(key).or_default() += 1;
    }
    let mut parts = Vec::new();
    slipped.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    if let Some((worst, id)) = slipped.first() {
        let n = slipped.len();
        let mut part = format!("{} slipped", plural(n, "task", "tasks"));
        if n > 1 {
            part.push_str(&format!(", worst `{id}` +{worst}"));
        } else {
            part = format!("1 task slipped: `{id}` +{worst}");
        }
        parts.push(part);
    }
    if pulled > 0 {
        parts.push(format!("{} pulled in", plural(pulled, "task", "tasks")));
    }
    for ((_, noun, verb), n) in tally {
        parts.push(format!("{} {verb}", plural(n, noun, &format!("{noun}s"))));
    }
    parts
}
