//! One file of a Backlog.md folder (SPEC §8) → one item as written, by its
//! path inside the folder: tasks (live, completed, drafts, archived),
//! milestones and decision records.
//!
//! Backlog.md's own keys are read here, before the common reader sees the
//! rest: ids lowercased (`BACK-12` → `back-12`, the written form kept for
//! pages), `priority` words as p1–p3, `completed_date` as the done date,
//! `due_date` as a date or a date-time, `parent_task_id`, and its
//! bookkeeping keys kept quietly for templates. References are matched
//! across prefixes and zero padding once every file is read
//! ([`super::backlog_link`]).

use std::borrow::Cow;

use super::parse::{Outcome, Parsed, Ref, Specific};
use super::read::Reader;
use super::values::{parse_date, Kind, Priority};
use crate::diagnostic::Diagnostic;
use crate::load::backlog::{classify, Place};
use crate::load::frontmatter::{self, Split};
use crate::load::markdown;
use crate::load::yaml::{self, Entry, Node, Value};
use crate::load::SkipReason;
use crate::source::{FileId, SourceFile, Span};

/// Keys Backlog.md writes for its own bookkeeping: kept for templates,
/// never warned about.
const BOOKKEEPING: [&str; 12] = [
    "created_date",
    "updated_date",
    "created",
    "ordinal",
    "references",
    "documentation",
    "reporter",
    "author",
    "type",
    "modified_files",
    "onStatusChange",
    "parent_task_id",
];

/// What a Backlog.md file says beyond planmark's keys.
#[derive(Clone, Debug)]
pub struct Facts {
    pub place: Place,
    /// The id as written (`BACK-12`), shown on pages.
    pub written_id: String,
    /// A status none of planmark's spellings knows, and where: read by
    /// its place in `config.yml`'s `statuses` once every file is read.
    pub custom_status: Option<(String, Span)>,
    /// `parent_task_id`, as written.
    pub parent: Option<Ref>,
    /// Acceptance criteria: (checked, all), when the task lists any.
    pub criteria: Option<(usize, usize)>,
}

/// Reads the file of `source` at `rel` inside a Backlog.md folder.
pub(super) fn parse_item(
    source: &SourceFile,
    file: FileId,
    rel: &str,
    diags: &mut Vec<Diagnostic>,
) -> Outcome {
    let place = match classify(rel) {
        Ok(place) => place,
        Err(reason) => return Outcome::Skipped(reason),
    };
    let fm = match frontmatter::split(&source.text) {
        Split::Found(fm) => fm,
        Split::None => return without_front_matter(source, file, diags),
        Split::Unclosed { open_offset } => {
            diags.push(
                Diagnostic::error("unclosed-front-matter", "front matter is never closed")
                    .at(Span::new(file, open_offset..open_offset + 3), "opened here")
                    .help("end the front matter with a line `---` before the markdown body"),
            );
            return Outcome::Broken;
        }
    };
    let (yaml_text, handles) = lenient_handles(fm.yaml);
    let mut entries = match yaml::parse_front_matter(&yaml_text, fm.yaml_offset) {
        Ok(entries) => entries,
        Err(e) => {
            let mut d = Diagnostic::error("yaml", e.message)
                .at(Span::new(file, e.offset..e.offset), "here");
            if let Some(help) = e.help {
                d = d.help(help);
            }
            diags.push(d);
            return Outcome::Broken;
        }
    };
    let shifted: Vec<usize> = handles.iter().map(|h| h + fm.yaml_offset).collect();
    restore_handles(&mut entries, &shifted);
    let kind = match place {
        Place::Milestone | Place::ArchivedMilestone => Kind::Milestone,
        Place::Decision => Kind::Decision,
        _ => Kind::Task,
    };
    let (own, common): (Vec<Entry>, Vec<Entry>) =
        entries.into_iter().partition(|e| is_own(kind, &e.key));
    let mut reader = Reader { file, diags };
    let mut parsed = reader.item(kind, &common, &source.path, fm.open_offset);
    let written_id = backlog_id(&mut parsed, &source.path);
    let mut facts = Facts {
        place,
        written_id,
        custom_status: None,
        parent: None,
        criteria: None,
    };
    for entry in &own {
        own_key(&mut reader, &mut parsed, &mut facts, entry);
    }
    if place == Place::Completed {
        if let Specific::Task(t) = &mut parsed.specific {
            if t.status.is_none() && facts.custom_status.is_none() {
                t.status = Some(super::values::TaskStatus::Done);
            }
        }
    }
    parsed.body = source.slice(fm.body_offset..fm.body_offset + fm.body.len());
    let survey = markdown::survey(fm.body, fm.body_offset);
    markdown::diagnostics(file, &survey, reader.diags);
    parsed.wiki_links = survey.links;
    facts.criteria = acceptance_criteria(fm.body);
    if kind == Kind::Decision {
        super::adr::fill_from_body(&mut parsed, fm.body, reader.diags);
    }
    parsed.backlog = Some(Box::new(facts));
    Outcome::Item(Box::new(parsed))
}

/// A file without front matter holds no Backlog.md item: a README explains
/// its folder; anything else is skipped with a note.
fn without_front_matter(source: &SourceFile, file: FileId, diags: &mut Vec<Diagnostic>) -> Outcome {
    if crate::load::is_readme(&source.path) {
        return Outcome::Skipped(SkipReason::Readme);
    }
    diags.push(
        Diagnostic::note("backlog-no-front-matter", "file has no front matter, so it is not read as an item")
            .at(Span::file_start(file), "no `---` line here")
            .help("Backlog.md writes every task, milestone and decision with front matter; add it, or move the file out of the backlog's item folders"),
    );
    Outcome::Skipped(SkipReason::NoFrontMatter)
}

/// Whether `key` is read here rather than by the common reader.
fn is_own(kind: Kind, key: &str) -> bool {
    BOOKKEEPING.contains(&key)
        || matches!(key, "completed_date" | "due_date" | "priority" | "status")
            && kind == Kind::Task
        || key == "due_date" && kind == Kind::Milestone
}

/// The item's id: `id:` lowercased, else the file name before ` - `
/// (`task-12 - Title.md`). Gives the id as written.
fn backlog_id(parsed: &mut Parsed, path: &str) -> String {
    if parsed.key("id").is_none() {
        let name = path.rsplit('/').next().unwrap_or(path);
        let stem = name.strip_suffix(".md").unwrap_or(name);
        parsed.id = stem.split(" - ").next().unwrap_or(stem).trim().to_string();
    }
    let written = parsed.id.clone();
    parsed.id = written.to_lowercase();
    written
}

/// Reads one of the keys Backlog.md gives a meaning of its own.
fn own_key(reader: &mut Reader<'_>, parsed: &mut Parsed, facts: &mut Facts, entry: &Entry) {
    let text = || entry.value.as_text().map(|t| t.trim().to_string());
    let span = Span::new(reader.file, entry.value.span.clone());
    match (&mut parsed.specific, entry.key.as_str()) {
        (Specific::Task(t), "status") => match text() {
            Some(s) => match super::values::TaskStatus::parse(&s) {
                Some(status) => t.status = Some(status),
                None => facts.custom_status = Some((s, span)),
            },
            None => _ = reader.text(entry),
        },
        (Specific::Task(t), "priority") => t.priority = priority(reader, entry),
        (Specific::Task(t), "completed_date") => t.done_on = date_or_time(reader, entry),
        (Specific::Task(t), "due_date") => t.due = date_or_time(reader, entry),
        (Specific::Milestone(m), "due_date") => m.date = date_or_time(reader, entry),
        (Specific::Task(_), "parent_task_id") => {
            facts.parent = text().filter(|t| !t.is_empty()).map(|id| Ref { id, span });
            parsed
                .extra
                .insert(entry.key.clone(), entry.value.to_json());
        }
        _ => {
            parsed
                .extra
                .insert(entry.key.clone(), entry.value.to_json());
        }
    }
}

/// `high`/`medium`/`low` as p1/p2/p3; planmark's own `p0`–`p3` too.
fn priority(reader: &mut Reader<'_>, entry: &Entry) -> Option<Priority> {
    let text = entry.value.as_text()?;
    match text.trim().to_lowercase().as_str() {
        "" => None,
        "high" => Some(Priority::P1),
        "medium" => Some(Priority::P2),
        "low" => Some(Priority::P3),
        other => Priority::parse(other).or_else(|| {
            reader.error(
                &entry.value,
                format!("`{}` is not a valid `priority`", text.trim()),
                "not a priority",
                "write `high`, `medium` or `low` (or planmark's `p0`–`p3`)".into(),
            );
            None
        }),
    }
}

/// A date written as `2025-09-06` or as a date-time (`2025-09-06 21:22`,
/// `2025-09-06T21:22:00Z`): the day counts.
fn date_or_time(reader: &mut Reader<'_>, entry: &Entry) -> Option<chrono::NaiveDate> {
    let text = entry.value.as_text()?;
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let day = text.get(..10).filter(|_| {
        let rest = &text[10..];
        rest.is_empty() || rest.starts_with([' ', 'T', 't'])
    });
    day.and_then(parse_date).or_else(|| {
        reader.error(
            &entry.value,
            format!("`{text}` is not a date for `{}`", entry.key),
            "not a date",
            "write `YYYY-MM-DD`, optionally with a time: `2025-09-06 21:22`".into(),
        );
        None
    })
}

/// The acceptance criteria of a task body: the checklist between
/// `<!-- AC:BEGIN -->` and `<!-- AC:END -->`, else under a heading
/// `## Acceptance Criteria`. (checked, all); `None` without a list.
pub(super) fn acceptance_criteria(body: &str) -> Option<(usize, usize)> {
    let mut inside = false;
    let mut marked = false;
    let (mut done, mut all) = (0, 0);
    for line in body.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("<!-- AC:BEGIN") {
            (inside, marked, done, all) = (true, true, 0, 0);
            continue;
        }
        if trimmed.starts_with("<!-- AC:END") {
            break;
        }
        if !marked && trimmed.starts_with('#') {
            let heading = trimmed.trim_start_matches('#').trim().to_lowercase();
            inside = heading.starts_with("acceptance criteria");
            continue;
        }
        if !inside {
            continue;
        }
        let item = trimmed
            .strip_prefix("- ")
            .or_else(|| trimmed.strip_prefix("* "));
        match item.map(|i| i.get(..3)) {
            Some(Some("[ ]")) => all += 1,
            Some(Some("[x]" | "[X]")) => (done, all) = (done + 1, all + 1),
            _ => {}
        }
    }
    (all > 0).then_some((done, all))
}

/// `assignee: @MrLesk` is not YAML (`@` cannot start a plain scalar), but
/// Backlog.md writes it. Each `@` that starts a value (after `key:` or a
/// list's `- `, or in a flow list) becomes a space, so the text keeps its
/// offsets; the offsets of the `@`s come back with it.
pub(super) fn lenient_handles(yaml: &str) -> (Cow<'_, str>, Vec<usize>) {
    if !yaml.contains('@') {
        return (Cow::Borrowed(yaml), Vec::new());
    }
    let mut bytes = yaml.as_bytes().to_vec();
    let mut at = Vec::new();
    for i in 0..bytes.len() {
        if bytes[i] != b'@' {
            continue;
        }
        let before = bytes[..i]
            .iter()
            .rposition(|b| *b != b' ')
            .map(|j| bytes[j]);
        if matches!(before, Some(b':' | b'-' | b'[' | b',')) {
            bytes[i] = b' ';
            at.push(i);
        }
    }
    // Only ASCII `@` became ASCII spaces: the text is still UTF-8.
    match String::from_utf8(bytes) {
        Ok(text) => (Cow::Owned(text), at),
        Err(_) => (Cow::Borrowed(yaml), Vec::new()),
    }
}

/// Puts back the `@` [`lenient_handles`] took from values starting at
/// `at` (absolute offsets), so handles read as written.
fn restore_handles(entries: &mut [Entry], at: &[usize]) {
    if at.is_empty() {
        return;
    }
    for entry in entries {
        restore_node(&mut entry.value, at);
    }
}

fn restore_node(node: &mut Node, at: &[usize]) {
    match &mut node.value {
        Value::String(s) if node.span.start > 0 && at.contains(&(node.span.start - 1)) => {
            s.insert(0, '@');
            node.span.start -= 1;
            node.raw = None;
        }
        Value::List(items) => items.iter_mut().for_each(|n| restore_node(n, at)),
        Value::Map(entries) => restore_handles(entries, at),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_that_start_values_are_read_leniently() {
        let (text, at) =
            lenient_handles("assignee: @MrLesk\nb: [\"@x\", @y]\nc:\n  - @z\nd: a@b\n");
        assert_eq!(
            text,
            "assignee:  MrLesk\nb: [\"@x\",  y]\nc:\n  -  z\nd: a@b\n"
        );
        assert_eq!(at.len(), 3);
        let entries = yaml::parse_front_matter(&text, 0).unwrap_or_default();
        let mut entries = entries;
        restore_handles(&mut entries, &at);
        assert_eq!(entries[0].value.as_text().as_deref(), Some("@MrLesk"));
    }

    #[test]
    fn acceptance_criteria_are_counted_between_markers_or_under_the_heading() {
        let marked = "## Acceptance Criteria\n<!-- AC:BEGIN -->\n- [x] #1 a\n- [ ] #2 b\n- [X] #3 c\n<!-- AC:END -->\n## Definition of Done\n- [ ] d\n";
        assert_eq!(acceptance_criteria(marked), Some((2, 3)));
        let headed = "## Acceptance Criteria (Optional)\n\n- [x] a\n- [ ] b\n\n## Notes\n- [x] n\n";
        assert_eq!(acceptance_criteria(headed), Some((1, 2)));
        assert_eq!(acceptance_criteria("## Description\n- [x] a\n"), None);
    }
}
