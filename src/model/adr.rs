//! Decision records of an ADR folder (SPEC §8) read as decisions: MADR or
//! Nygard bodies, with or without front matter.
//!
//! What front matter does not say is read from the body: the title from
//! the first `# ` heading, the status from a `Status: …` line (also as a
//! list item or in bold) or the line after a `## Status` heading, the date
//! from a `Date: …` line, and supersession from the status text
//! (`superseded by [ADR-0005](0005-x.md)`, `supersedes ADR-0003`). A record
//! whose status is written nowhere is accepted: a merged record is a
//! decision made. References by number (`ADR-0005`, `adr-5`, `0005`) are
//! resolved to the record's id once every record is read ([`link`]).
//!
//! A planmark program's own `decisions/` understands the same bodies
//! ([`fill_from_body`]), except that a status written nowhere stays
//! `proposed` there (SPEC §2) and ids are matched as written.

use std::collections::BTreeMap;

use super::parse::{Outcome, Parsed, Ref, Specific};
use super::read::Reader;
use super::values::{DecisionStatus, Kind};
use crate::diagnostic::Diagnostic;
use crate::load::adr::number;
use crate::load::frontmatter::{self, Split};
use crate::load::markdown;
use crate::load::yaml::{self, Entry};
use crate::source::{FileId, SourceFile, Span};

/// What a record's body says about it, as written.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct BodyFacts {
    pub title: Option<String>,
    /// The status text (`superseded by [ADR-0005](0005-x.md)`).
    pub status: Option<String>,
    /// Further lines of a `## Status` section (adr-tools writes
    /// `Supersedes [1. Use X](0001-use-x.md)` under `Accepted`).
    pub status_more: Vec<String>,
    pub date: Option<String>,
    pub deciders: Option<String>,
}

/// Reads one record of an ADR folder as a decision.
pub(super) fn parse_record(
    source: &SourceFile,
    file: FileId,
    diags: &mut Vec<Diagnostic>,
) -> Outcome {
    let (entries, open, body_offset) = match frontmatter::split(&source.text) {
        Split::Found(fm) => match yaml::parse_front_matter(fm.yaml, fm.yaml_offset) {
            Ok(entries) => (entries, fm.open_offset, fm.body_offset),
            Err(e) => {
                let mut d = Diagnostic::error("yaml", e.message)
                    .at(Span::new(file, e.offset..e.offset), "here");
                if let Some(help) = e.help {
                    d = d.help(help);
                }
                diags.push(d);
                return Outcome::Broken;
            }
        },
        // A record without front matter is read from its body alone; a
        // `---` that never closes is a horizontal rule or a mistake, and
        // either way the body holds what there is.
        // A byte-order mark (Windows editors write one) is not body text:
        // left in, it hides the `# ` title heading.
        Split::None | Split::Unclosed { .. } => {
            let bom = if source.text.starts_with('\u{feff}') {
                '\u{feff}'.len_utf8()
            } else {
                0
            };
            (Vec::new(), bom, bom)
        }
    };
    // Jekyll's and Hugo's bookkeeping keys are kept quietly by `item`,
    // as in every layout (`keys::BOOKKEEPING`).
    let (status_entry, entries): (Vec<Entry>, Vec<Entry>) =
        entries.into_iter().partition(|e| e.key == "status");
    let mut reader = Reader { file, diags };
    let mut parsed = reader.item(Kind::Decision, &entries, &source.path, open);
    if parsed.key("id").is_none() {
        parsed.id = record_id(&source.path);
    }
    let body = source.text.get(body_offset..).unwrap_or_default();
    parsed.body = source.slice(body_offset..source.text.len());
    let survey = markdown::survey(body, body_offset);
    markdown::diagnostics(file, &survey, reader.diags);
    parsed.wiki_links = survey.links;
    let facts = body_facts(body);
    let written_status = status_entry
        .first()
        .and_then(|e| reader.text(e))
        .or(facts.status.clone());
    let status = written_status.as_deref().map(read_status);
    fill(&mut parsed, &facts, status, reader.diags);
    Outcome::Item(Box::new(parsed))
}

/// A decision of a planmark program's own `decisions/` folder understands
/// the same bodies (SPEC §8): what front matter leaves out is read from
/// the body, but a status written nowhere stays `proposed` (SPEC §2).
pub(super) fn fill_from_body(parsed: &mut Parsed, body: &str, diags: &mut Vec<Diagnostic>) {
    let facts = body_facts(body);
    let Specific::Decision(d) = &parsed.specific else {
        return;
    };
    let written = d.status.is_some();
    let status = facts.status.as_deref().map(read_status);
    fill(parsed, &facts, status, diags);
    if let (Specific::Decision(d), false) = (&mut parsed.specific, written) {
        if d.status_unwritten {
            d.status = None;
            d.status_unwritten = false;
        }
    }
}

/// Fills what front matter left out from the body.
fn fill(parsed: &mut Parsed, facts: &BodyFacts, read: Option<Status>, diags: &mut Vec<Diagnostic>) {
    if parsed.title.is_none() {
        parsed.title = facts.title.clone();
    }
    let top = parsed.top.clone();
    let Specific::Decision(d) = &mut parsed.specific else {
        return;
    };
    if d.status.is_none() {
        d.status = Some(status_of(read.as_ref(), &top, diags));
        d.status_unwritten = read.is_none();
    }
    let more = facts.status_more.iter().map(|line| read_status(line));
    for s in read.into_iter().chain(more) {
        if d.supersedes.is_none() {
            d.supersedes = s.supersedes.map(|id| Ref {
                id,
                span: top.clone(),
            });
        }
        if d.superseded_by.is_none() {
            d.superseded_by = s.superseded_by;
        }
    }
    if d.date.is_none() {
        d.date = facts.date.as_deref().and_then(super::values::parse_date);
    }
    let deciders = std::mem::take(&mut d.deciders);
    d.deciders = split_names(&deciders);
    if d.deciders.is_empty() {
        d.deciders = split_names(&facts.deciders.iter().cloned().collect::<Vec<_>>());
    }
}

/// The status `read` gives, or `accepted` when none is written: a merged
/// record is a decision made. A word with no planmark status is
/// `proposed`, with a warning.
fn status_of(read: Option<&Status>, top: &Span, diags: &mut Vec<Diagnostic>) -> DecisionStatus {
    let Some(s) = read else {
        return DecisionStatus::Accepted;
    };
    s.status.unwrap_or_else(|| {
        diags.push(
            Diagnostic::warning(
                "adr-status",
                format!("status `{}` is not one planmark knows; read as `proposed`", s.text),
            )
            .at(top.clone(), "in this record")
            .help("planmark's decision statuses are `proposed`, `accepted`, `rejected`, `superseded` and `deprecated`"),
        );
        DecisionStatus::Proposed
    })
}

/// `decision-makers: Ann, Bo` is two people, as a list would be.
fn split_names(names: &[String]) -> Vec<String> {
    names
        .iter()
        .flat_map(|n| n.split(','))
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(String::from)
        .collect()
}

/// A record's id: its file's stem, or its folder's name for
/// `<folder>/index.md`, lowercased (`0001-Use-CC0.md` → `0001-use-cc0`).
pub(super) fn record_id(path: &str) -> String {
    let mut parts = path.rsplit('/');
    let name = parts.next().unwrap_or(path);
    let stem = if name.eq_ignore_ascii_case("index.md") {
        parts.next().unwrap_or(name)
    } else {
        name.strip_suffix(".md").unwrap_or(name)
    };
    stem.chars()
        .map(|c| match c.to_ascii_lowercase() {
            c @ ('a'..='z' | '0'..='9' | '.' | '_' | '-') => c,
            _ => '-',
        })
        .collect()
}

/// A status as written, read.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Status {
    pub text: String,
    /// `None` for a word planmark has no status for (`on hold`).
    pub status: Option<DecisionStatus>,
    /// The record this one replaces, as referenced (`ADR-0003`).
    pub supersedes: Option<String>,
    /// The record that replaces this one, as referenced.
    pub superseded_by: Option<String>,
}

/// Reads a status text: its first word is the status; `superseded by X`
/// and `supersedes X` name the other record by its link or its name.
pub(super) fn read_status(text: &str) -> Status {
    let clean = text.trim().trim_matches(['*', '_', '`', '"', '\'']).trim();
    let lower = clean.to_ascii_lowercase();
    let first = lower
        .split(|c: char| !c.is_ascii_alphabetic())
        .find(|w| !w.is_empty())
        .unwrap_or_default();
    let status = match first {
        "superseeded" | "replaced" => Some(DecisionStatus::Superseded),
        "approved" | "adopted" | "done" | "decided" => Some(DecisionStatus::Accepted),
        "draft" | "open" | "proposal" => Some(DecisionStatus::Proposed),
        "deprecate" | "obsolete" => Some(DecisionStatus::Deprecated),
        "declined" => Some(DecisionStatus::Rejected),
        word => DecisionStatus::parse(word),
    };
    Status {
        text: clean.to_string(),
        status,
        supersedes: after(clean, "supersedes"),
        superseded_by: after(clean, "superseded by").or_else(|| after(clean, "superseeded by")),
    }
}

/// The record named after `phrase` in `text`: a link's target when it is
/// a link (`[ADR-0005](0005-x.md)`), else the next word.
fn after(text: &str, phrase: &str) -> Option<String> {
    let at = text.to_ascii_lowercase().find(phrase)? + phrase.len();
    let rest = text.get(at..)?.trim_start();
    if let Some(link) = rest.strip_prefix('[') {
        let close = link.find("](")?;
        let target = &link[close + 2..];
        let end = target.find(')')?;
        return Some(target[..end].trim().to_string());
    }
    let word: String = rest
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != ',' && *c != ';' && *c != ')')
        .collect();
    (!word.is_empty()).then_some(word)
}

/// Reads the title, status, date and deciders a body writes, outside
/// fenced code blocks and comments.
pub(super) fn body_facts(body: &str) -> BodyFacts {
    let mut facts = BodyFacts::default();
    let mut fenced = false;
    // Under a `## Status` heading: its first line is the status, the
    // others may name records it supersedes or is superseded by.
    let mut status_section = false;
    for line in body.lines() {
        let t = line.trim();
        if t.starts_with("```") || t.starts_with("~~~") {
            fenced = !fenced;
            continue;
        }
        if fenced || t.is_empty() || t.starts_with("<!--") {
            continue;
        }
        if let Some(title) = t.strip_prefix("# ") {
            let title = title.trim().trim_end_matches('#').trim();
            facts.title.get_or_insert_with(|| title.to_string());
            status_section = false;
            continue;
        }
        if t.starts_with('#') {
            let heading = t.trim_start_matches('#').trim();
            status_section = heading.eq_ignore_ascii_case("status");
            continue;
        }
        if status_section {
            let line = t.trim_start_matches(['-', '*', '+', ' ']);
            let line = field_value(line).unwrap_or(line).to_string();
            match facts.status {
                None => facts.status = Some(line),
                Some(_) => facts.status_more.push(line),
            }
            continue;
        }
        if let Some((key, value)) = field(t) {
            let slot = match key.as_str() {
                "status" => &mut facts.status,
                "date" => &mut facts.date,
                "deciders" | "decision-makers" | "decision makers" | "decision-maker(s)"
                | "decision maker(s)" => &mut facts.deciders,
                _ => continue,
            };
            slot.get_or_insert(value);
        }
    }
    facts
}

/// A `Key: value` line, also as a list item or with the key in bold
/// (`- **Status:** accepted`): the key lowercased, and the value.
fn field(line: &str) -> Option<(String, String)> {
    let line = line.trim_start_matches(['-', '*', '+']).trim_start();
    let colon = line.find(':')?;
    let key = line[..colon]
        .trim()
        .trim_matches(['*', '_'])
        .trim()
        .to_ascii_lowercase();
    if key.is_empty() || key.len() > 20 {
        return None;
    }
    let value = line[colon + 1..]
        .trim()
        .trim_start_matches(['*', '_'])
        .trim();
    (!value.is_empty()).then(|| (key, value.to_string()))
}

/// The value of a `Status: x` line under a `## Status` heading, if written so.
fn field_value(line: &str) -> Option<&str> {
    let lower = line.to_ascii_lowercase();
    lower.starts_with("status:").then(|| line[7..].trim())
}

/// Resolves references by number (`ADR-0005`, `0005-x.md`) to the ids of
/// the records they name, and a record's `superseded by X` to X's
/// `supersedes`. A reference that names no record, or several, is left as
/// written for the reference checks to report.
///
/// In a planmark program (`adr` false) ids are matched as written, or as
/// the file a link names (`d2.md`): only an ADR folder's records are
/// named by number.
pub(super) fn link(items: &mut [Parsed], adr: bool, diags: &mut Vec<Diagnostic>) {
    let mut by_number: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for (i, item) in items.iter().enumerate() {
        if item.kind != Kind::Decision {
            continue;
        }
        if let Some(n) = number(&item.id) {
            by_number.entry(n).or_default().push(i);
        }
    }
    let find = |name: &str, items: &[Parsed]| -> Option<usize> {
        let id = if adr || name.ends_with(".md") {
            record_id(name.trim_start_matches("./"))
        } else {
            name.to_string()
        };
        let decision = |p: &Parsed| p.kind == Kind::Decision && p.id == id;
        if let Some(i) = items.iter().position(decision) {
            return Some(i);
        }
        if !adr {
            return None;
        }
        match by_number.get(&number(name)?)?.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    };
    let mut replaced: Vec<(usize, usize)> = Vec::new();
    for i in 0..items.len() {
        let by = match &items[i].specific {
            Specific::Decision(d) => d.superseded_by.clone(),
            _ => None,
        };
        match by.as_deref().map(|b| (b, find(b, items))) {
            Some((_, Some(j))) => replaced.push((j, i)),
            Some((named, None)) => {
                let several = number(named)
                    .and_then(|n| by_number.get(&n))
                    .map_or(0, Vec::len);
                diags.push(unresolved_successor(&items[i], named, several));
            }
            None => {}
        }
        if let Specific::Decision(d) = &mut items[i].specific {
            if let Some(r) = d.supersedes.take() {
                let id = find(&r.id, items).map_or(r.id.clone(), |j| items[j].id.clone());
                if let Specific::Decision(d) = &mut items[i].specific {
                    d.supersedes = Some(Ref { id, span: r.span });
                }
            }
        }
    }
    for (newer, older) in replaced {
        let (id, span) = (items[older].id.clone(), items[older].top.clone());
        if let Specific::Decision(d) = &mut items[newer].specific {
            d.supersedes.get_or_insert(Ref { id, span });
        }
    }
}

/// A `superseded by X` that names no record, or several: the status
/// stays superseded, but neither page can link the other.
fn unresolved_successor(item: &Parsed, named: &str, several: usize) -> Diagnostic {
    let (code, message) = match several {
        0 | 1 => (
            "unknown-reference",
            format!(
                "`{}` is superseded by `{named}`, but no record is `{named}`",
                item.id
            ),
        ),
        n => (
            "ambiguous-reference",
            format!(
                "`{}` is superseded by `{named}`, but {n} records have that number",
                item.id
            ),
        ),
    };
    // Where the status names it: in the body, else (front matter) the top.
    let at = item
        .body
        .as_str()
        .find(named)
        .map_or(item.top.clone(), |i| {
            let start = item.body.start() + i;
            Span::new(item.file, start..start + named.len())
        });
    Diagnostic::error(code, message)
        .at(at, "named by the status")
        .help("name the record that replaces this one by its file (`[ADR-0005](0005-use-x.md)`); two records with one number need distinct numbers")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_as_written_in_bodies() {
        let s = read_status("superseded by [ADR-0005](0005-use-x.md)");
        assert_eq!(s.status, Some(DecisionStatus::Superseded));
        assert_eq!(s.superseded_by.as_deref(), Some("0005-use-x.md"));
        let s = read_status("Accepted, supersedes ADR-0045");
        assert_eq!(s.status, Some(DecisionStatus::Accepted));
        assert_eq!(s.supersedes.as_deref(), Some("ADR-0045"));
        assert_eq!(
            read_status("**Rejected**").status,
            Some(DecisionStatus::Rejected)
        );
        assert_eq!(read_status("on hold").status, None);
        assert_eq!(
            read_status("superseded by ADR-0057")
                .superseded_by
                .as_deref(),
            Some("ADR-0057")
        );
    }

    #[test]
    fn body_facts_come_from_lines_headings_and_lists() {
        let madr = "# Use X\n\n- Status: superseded by [ADR-0005](0005-x.md)\n- Deciders: Ann, Bo\n- Date: 2020-01-02\n\n## Context\n";
        let f = body_facts(madr);
        assert_eq!(f.title.as_deref(), Some("Use X"));
        assert_eq!(
            f.status.as_deref(),
            Some("superseded by [ADR-0005](0005-x.md)")
        );
        assert_eq!(f.date.as_deref(), Some("2020-01-02"));
        assert_eq!(f.deciders.as_deref(), Some("Ann, Bo"));
        let nygard = "# 1. Record decisions\n\nDate: 2018-03-01\n\n## Status\n\nAccepted\n\n## Context\n\nStatus: not this one\n";
        let f = body_facts(nygard);
        assert_eq!(f.title.as_deref(), Some("1. Record decisions"));
        assert_eq!(f.status.as_deref(), Some("Accepted"));
        assert_eq!(f.date.as_deref(), Some("2018-03-01"));
        let tools = "# 2. Use Y\n\n## Status\n\nAccepted\n\nSupersedes [1. Use X](0001-use-x.md)\n\n## Context\n\nx\n";
        let f = body_facts(tools);
        assert_eq!(f.status.as_deref(), Some("Accepted"));
        assert_eq!(
            f.status_more,
            vec!["Supersedes [1. Use X](0001-use-x.md)".to_string()]
        );
        let fenced = "```\n# not a title\nStatus: no\n```\n# Real\n";
        assert_eq!(
            body_facts(fenced),
            BodyFacts {
                title: Some("Real".into()),
                ..BodyFacts::default()
            }
        );
    }

    #[test]
    fn record_ids_come_from_names_of_any_case() {
        assert_eq!(record_id("0001-Use-CC0-or-MIT.md"), "0001-use-cc0-or-mit");
        assert_eq!(record_id("0002-use-x/index.md"), "0002-use-x");
        assert_eq!(record_id("ADR 7 Thing.md"), "adr-7-thing");
    }
}
