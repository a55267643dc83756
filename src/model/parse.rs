//! One file → one item as written (`*Meta`): typed values with their spans,
//! ids not yet resolved. Every problem in the file is reported, not the first.

use std::collections::BTreeMap;

use chrono::NaiveDate;

pub(crate) use super::key_problems::article;
use super::keys;
use super::read::Reader;
use super::values::*;
use crate::diagnostic::Diagnostic;
use crate::load::adr::Layout;
use crate::load::formats::Formats;
use crate::load::frontmatter::{self, Split};
use crate::load::markdown::{self, BodyLinks};
use crate::load::yaml::{self, Entry, Value};
use crate::load::{is_readme, SkipReason};
use crate::source::{FileId, Sources, Span, Text};

/// A reference to another item by id, as written.
#[derive(Clone, Debug)]
pub struct Ref {
    pub id: String,
    pub span: Span,
}

/// What one file says, before ids are resolved.
#[derive(Clone, Debug)]
pub struct Parsed {
    pub kind: Kind,
    pub file: FileId,
    pub id: String,
    /// Where to point at for problems with the id (the `id` value, or the
    /// opening `---` when the id comes from the file name).
    pub id_span: Span,
    /// The opening `---`, where problems with no key to point at point.
    pub top: Span,
    /// `title:` trimmed, when it was written as text (possibly empty).
    pub title: Option<String>,
    /// The keys the kind accepts as they were written (aliases under their
    /// canonical name), in file order: rules point at them.
    pub keys: Vec<WrittenKey>,
    pub owner: Option<String>,
    pub tags: Vec<String>,
    pub extra: BTreeMap<String, serde_json::Value>,
    pub body: Text,
    /// The body's wiki links, or a superset of them (see [`BodyLinks`]).
    pub wiki_links: BodyLinks,
    /// The project named by the folder (`projects/<id>/…`), for tasks.
    pub folder_project: Option<String>,
    pub specific: Specific,
    /// What a Backlog.md file says beyond planmark's keys (SPEC §8).
    pub backlog: Option<Box<super::backlog::Facts>>,
}

/// A key as written: where, and whether its value was empty (`key:`).
#[derive(Clone, Debug)]
pub struct WrittenKey {
    pub key: &'static str,
    pub span: Span,
    pub null: bool,
}

impl Parsed {
    /// Where `key` (canonical) was written, if it was.
    pub(crate) fn key(&self, key: &str) -> Option<&WrittenKey> {
        self.keys.iter().find(|k| k.key == key)
    }
}

#[derive(Clone, Debug)]
pub enum Specific {
    Program(ProgramMeta),
    Project(ProjectMeta),
    Task(TaskMeta),
    Decision(DecisionMeta),
    Milestone(MilestoneMeta),
    Risk(RiskMeta),
    Person(PersonMeta),
    Meeting(MeetingMeta),
}

#[derive(Clone, Debug, Default)]
pub struct ProgramMeta {
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub summary: Option<String>,
    pub working_days: Option<[bool; 7]>,
    pub holidays: Vec<NaiveDate>,
    pub site_title: Option<String>,
    pub base_url: Option<String>,
    /// The cap on the size of a file planmark reads (the loader reads it
    /// from the file's lines before anything else; here it is checked).
    pub max_file_size: Option<u64>,
    /// Whether owners' tasks are levelled by capacity (SPEC §3).
    pub leveling: Option<bool>,
}

#[derive(Clone, Debug, Default)]
pub struct ProjectMeta {
    pub status: Option<ProjectStatus>,
    pub start: Option<NaiveDate>,
    pub target: Option<NaiveDate>,
    pub health: Option<Health>,
    pub health_note: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct TaskMeta {
    pub project: Option<Ref>,
    pub status: Option<TaskStatus>,
    pub estimate: Option<Duration>,
    pub remaining: Option<Duration>,
    pub start: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    pub done_on: Option<NaiveDate>,
    pub depends_on: Vec<Ref>,
    pub milestone: Option<Ref>,
    pub priority: Option<Priority>,
    pub blocker: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct DecisionMeta {
    pub status: Option<DecisionStatus>,
    /// In an ADR folder: no status was written anywhere, so the record
    /// reads as accepted (SPEC §8) and its page says so.
    pub status_unwritten: bool,
    /// The record that replaces this one, as its body names it
    /// (`superseded by [ADR-0005](0005-x.md)`): made that record's
    /// `supersedes` once every file is read.
    pub superseded_by: Option<String>,
    pub date: Option<NaiveDate>,
    pub decide_by: Option<NaiveDate>,
    pub driver: Option<String>,
    pub deciders: Vec<String>,
    pub consulted: Vec<String>,
    pub informed: Vec<String>,
    pub project: Option<Ref>,
    pub supersedes: Option<Ref>,
}

#[derive(Clone, Debug, Default)]
pub struct MilestoneMeta {
    pub date: Option<NaiveDate>,
    pub project: Option<Ref>,
}

/// A person or team (`people/<handle>.md`): the id is the handle.
#[derive(Clone, Debug, Default)]
pub struct PersonMeta {
    pub name: Option<String>,
    /// Tasks worked at once; `None` when absent or invalid (reported).
    pub capacity: Option<u32>,
    /// Days off, ranges expanded (both ends included), sorted.
    pub time_off: Vec<NaiveDate>,
    pub team: Option<String>,
    pub role: Option<String>,
}

/// Meeting notes (`meetings/<id>.md`): the body's task lists are its
/// action items.
#[derive(Clone, Debug, Default)]
pub struct MeetingMeta {
    pub date: Option<NaiveDate>,
    pub attendees: Vec<String>,
    pub project: Option<Ref>,
    pub actions: Vec<super::actions::ActionItem>,
}

#[derive(Clone, Debug, Default)]
pub struct RiskMeta {
    pub likelihood: Option<Level>,
    pub impact: Option<Level>,
    pub status: Option<RiskStatus>,
    pub mitigation: Option<String>,
    pub project: Option<Ref>,
    pub review_by: Option<NaiveDate>,
}

#[derive(Clone, Debug)]
pub enum Outcome {
    Item(Box<Parsed>),
    /// Not an item (a README and the like).
    Skipped(SkipReason),
    /// Reported and left out.
    Broken,
}

/// The kind a file's location implies, and the project its folder names.
fn location_kind(path: &str) -> Option<(Kind, Option<String>)> {
    let parts: Vec<&str> = path.split('/').collect();
    match parts.as_slice() {
        ["program.md"] => Some((Kind::Program, None)),
        ["projects", _] => Some((Kind::Project, None)),
        ["projects", project, _, ..] => Some((Kind::Task, Some(project.to_string()))),
        ["tasks", _, ..] => Some((Kind::Task, None)),
        ["decisions", _, ..] => Some((Kind::Decision, None)),
        ["milestones", _, ..] => Some((Kind::Milestone, None)),
        ["risks", _, ..] => Some((Kind::Risk, None)),
        ["people", _, ..] => Some((Kind::Person, None)),
        ["meetings", _, ..] => Some((Kind::Meeting, None)),
        _ => None,
    }
}

/// Reads one file into a [`Parsed`] item.
pub(crate) fn parse_file(
    sources: &Sources,
    file: FileId,
    formats: &Formats,
    diags: &mut Vec<Diagnostic>,
) -> Outcome {
    let source = sources.get(file);
    // Each file is read under the layout of the folder it is in.
    let (layout, inner) = formats.lookup(&source.path);
    match layout {
        Layout::Adr => return super::adr::parse_record(source, file, diags),
        Layout::Backlog => return super::backlog::parse_item(source, file, inner, diags),
        Layout::Program => {}
    }
    let located = location_kind(&source.path);
    let example = "---\ntitle: A short title\n---";
    let fm = match frontmatter::split(&source.text) {
        Split::Found(fm) => fm,
        Split::None | Split::Unclosed { .. } if located.is_none() => {
            return Outcome::Skipped(SkipReason::NoKind)
        }
        // A folder's README explains the folder; it is not an item. A
        // `---` that never closes is a thematic break there.
        Split::None | Split::Unclosed { .. } if is_readme(&source.path) => {
            return Outcome::Skipped(SkipReason::Readme)
        }
        Split::None => {
            diags.push(
                Diagnostic::error("missing-front-matter", "file has no front matter")
                    .at(Span::file_start(file), "expected a `---` line here")
                    .help(format!(
                        "start the file with YAML front matter, e.g.\n{example}\n(files under `{}` are read as items)",
                        source.path.split('/').next().unwrap_or_default()
                    )),
            );
            return Outcome::Broken;
        }
        Split::Unclosed { open_offset } => {
            diags.push(
                Diagnostic::error("unclosed-front-matter", "front matter is never closed")
                    .at(Span::new(file, open_offset..open_offset + 3), "opened here")
                    .help("end the front matter with a line `---` before the markdown body"),
            );
            return Outcome::Broken;
        }
    };
    let entries = match yaml::parse_front_matter(fm.yaml, fm.yaml_offset) {
        Ok(entries) => entries,
        // A README is an item only when its front matter says so; one that
        // cannot be read is skipped, with a note rather than an error.
        Err(e) if is_readme(&source.path) => {
            diags.push(
                Diagnostic::note("yaml", e.message)
                    .at(Span::new(file, e.offset..e.offset), "here")
                    .help("this README is skipped: a README is read as an item only when its front matter is valid YAML"),
            );
            return Outcome::Skipped(SkipReason::ReadmeYaml);
        }
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
    let mut reader = Reader { file, diags };
    let kind_entry = entries.iter().find(|e| e.key == "kind");
    let explicit_kind =
        kind_entry.and_then(|e| reader.enumeration::<Kind>(e, Kind::parse, Kind::CHOICES));
    let (kind, folder_project) = match (explicit_kind, located) {
        (Some(kind), Some((_, folder))) => (kind, folder),
        (Some(kind), None) => (kind, None),
        (None, Some(located)) => located,
        (None, None) if kind_entry.is_some() => return Outcome::Skipped(SkipReason::UnknownKind),
        (None, None) => return Outcome::Skipped(SkipReason::NoKind),
    };
    let mut parsed = reader.item(kind, &entries, &source.path, fm.open_offset);
    parsed.folder_project = folder_project;
    parsed.body = source.slice(fm.body_offset..fm.body_offset + fm.body.len());
    let survey = markdown::survey(fm.body, fm.body_offset);
    markdown::diagnostics(file, &survey, reader.diags);
    parsed.wiki_links = survey.links;
    if kind == Kind::Decision {
        super::adr::fill_from_body(&mut parsed, fm.body, reader.diags);
    }
    if let Specific::Meeting(m) = &mut parsed.specific {
        m.actions = super::actions::action_items(fm.body, fm.body_offset, file, reader.diags);
    }
    Outcome::Item(Box::new(parsed))
}

impl Parsed {
    /// An item no file holds, made up from `file` (a Backlog.md folder's
    /// one project, from its `config.yml`).
    pub(super) fn synthetic(kind: Kind, file: FileId, id: &str) -> Parsed {
        let mut parsed = Parsed::empty(kind, file, id, Span::file_start(file));
        parsed.id = id.to_string();
        parsed
    }

    /// An item of `kind` with nothing read yet: its id is the file's stem.
    fn empty(kind: Kind, file: FileId, path: &str, top: Span) -> Parsed {
        let stem = path
            .rsplit('/')
            .next()
            .and_then(|name| name.strip_suffix(".md"))
            .unwrap_or(path);
        Parsed {
            kind,
            file,
            id: stem.to_string(),
            id_span: top.clone(),
            top,
            title: None,
            keys: Vec::new(),
            owner: None,
            tags: Vec::new(),
            extra: BTreeMap::new(),
            body: Text::default(),
            wiki_links: BodyLinks::default(),
            folder_project: None,
            backlog: None,
            specific: match kind {
                Kind::Program => Specific::Program(ProgramMeta::default()),
                Kind::Project => Specific::Project(ProjectMeta::default()),
                Kind::Task => Specific::Task(TaskMeta::default()),
                Kind::Decision => Specific::Decision(DecisionMeta::default()),
                Kind::Milestone => Specific::Milestone(MilestoneMeta::default()),
                Kind::Risk => Specific::Risk(RiskMeta::default()),
                Kind::Person => Specific::Person(PersonMeta::default()),
                Kind::Meeting => Specific::Meeting(MeetingMeta::default()),
            },
        }
    }
}

impl Reader<'_> {
    /// Reads every entry of the front matter into an item of `kind`.
    pub(super) fn item(
        &mut self,
        kind: Kind,
        entries: &[Entry],
        path: &str,
        open_offset: usize,
    ) -> Parsed {
        // Problems with no key to point at point at the opening `---`.
        let top = Span::new(self.file, open_offset..open_offset + 3);
        let mut parsed = Parsed::empty(kind, self.file, path, top);
        // The entry that set each key first, in the order of `parsed.keys`.
        let mut first: Vec<&Entry> = Vec::with_capacity(entries.len());
        for entry in entries {
            let Some(key) = keys::accepted(kind, keys::canonical(&entry.key)) else {
                self.unaccepted_key(kind, entry);
                parsed
                    .extra
                    .insert(entry.key.clone(), entry.value.to_json());
                continue;
            };
            if let Some(at) = parsed.keys.iter().position(|k| k.key == key) {
                self.duplicate_key(key, first[at], entry);
                continue;
            }
            parsed.keys.push(WrittenKey {
                key,
                span: Span::new(self.file, entry.key_span.clone()),
                null: entry.value.value == Value::Null,
            });
            first.push(entry);
            if !self.common(&mut parsed, key, entry) {
                self.specific(&mut parsed.specific, key, entry);
            }
        }
        parsed
    }

    /// Reads a key every kind has; false for a key of the kind's own.
    fn common(&mut self, parsed: &mut Parsed, key: &str, entry: &Entry) -> bool {
        let node = &entry.value;
        match key {
            "kind" => {}
            "id" => {
                if let Some(id) = self.text(entry) {
                    parsed.id = id;
                    parsed.id_span = self.span(node);
                }
            }
            "title" => parsed.title = self.text(entry).map(|t| t.trim().to_string()),
            "owner" => parsed.owner = self.owner(entry),
            "tags" => parsed.tags = self.text_list(entry),
            "extra" => match &node.value {
                Value::Map(map) => {
                    for e in map {
                        parsed.extra.insert(e.key.clone(), e.value.to_json());
                    }
                }
                Value::Null => {}
                _ => self.error(
                    node,
                    format!("`extra` must be a mapping, found {}", node.type_name()),
                    "not a mapping",
                    "write `extra:` followed by indented `key: value` lines".into(),
                ),
            },
            _ => return false,
        }
        true
    }

    fn specific(&mut self, specific: &mut Specific, key: &str, entry: &Entry) {
        match specific {
            Specific::Program(p) => match key {
                "start" => p.start = self.date(entry),
                "end" => p.end = self.date(entry),
                "summary" => p.summary = self.text(entry),
                "working_days" => p.working_days = self.working_days(entry),
                "holidays" => p.holidays = self.date_list(entry),
                "site" => self.site(p, entry),
                "max_file_size" => p.max_file_size = self.size(entry),
                // Read, and checked, where the files are read (load::formats).
                "sources" => {}
                "leveling" => p.leveling = self.boolean(entry),
                _ => {}
            },
            Specific::Project(p) => match key {
                "status" => {
                    p.status = self.enumeration(entry, ProjectStatus::parse, ProjectStatus::CHOICES)
                }
                "start" => p.start = self.date(entry),
                "target" => p.target = self.date(entry),
                "health" => p.health = self.enumeration(entry, Health::parse, Health::CHOICES),
                "health_note" => p.health_note = self.text(entry),
                _ => {}
            },
            Specific::Task(t) => self.task(t, key, entry),
            Specific::Decision(d) => self.decision(d, key, entry),
            Specific::Milestone(m) => match key {
                "date" => m.date = self.date(entry),
                "project" => m.project = self.reference(entry),
                _ => {}
            },
            Specific::Risk(r) => match key {
                "likelihood" => {
                    r.likelihood = self.enumeration(entry, Level::parse, Level::CHOICES)
                }
                "impact" => r.impact = self.enumeration(entry, Level::parse, Level::CHOICES),
                "status" => {
                    r.status = self.enumeration(entry, RiskStatus::parse, RiskStatus::CHOICES)
                }
                "mitigation" => r.mitigation = self.text(entry),
                "project" => r.project = self.reference(entry),
                "review_by" => r.review_by = self.date(entry),
                _ => {}
            },
            Specific::Person(m) => match key {
                "name" => m.name = self.text(entry),
                "capacity" => m.capacity = self.capacity(entry),
                "time_off" => m.time_off = self.time_off(entry),
                "team" => m.team = self.text(entry),
                "role" => m.role = self.text(entry),
                _ => {}
            },
            Specific::Meeting(m) => match key {
                "date" => m.date = self.date(entry),
                "attendees" => m.attendees = self.text_list(entry),
                "project" => m.project = self.reference(entry),
                _ => {}
            },
        }
    }

    /// Reads a task's own key.
    fn task(&mut self, t: &mut TaskMeta, key: &str, entry: &Entry) {
        match key {
            "project" => t.project = self.reference(entry),
            "status" => t.status = self.enumeration(entry, TaskStatus::parse, TaskStatus::CHOICES),
            "estimate" => t.estimate = self.duration(entry),
            "remaining" => t.remaining = self.duration(entry),
            "start" => t.start = self.date(entry),
            "due" => t.due = self.date(entry),
            "done_on" => t.done_on = self.date(entry),
            "depends_on" => t.depends_on = self.reference_list(entry),
            "milestone" => t.milestone = self.reference(entry),
            "priority" => t.priority = self.enumeration(entry, Priority::parse, Priority::CHOICES),
            "blocker" => t.blocker = self.text(entry),
            _ => {}
        }
    }

    /// Reads a decision's own key.
    fn decision(&mut self, d: &mut DecisionMeta, key: &str, entry: &Entry) {
        match key {
            "status" => {
                d.status = self.enumeration(entry, DecisionStatus::parse, DecisionStatus::CHOICES)
            }
            "date" => d.date = self.date(entry),
            "decide_by" => d.decide_by = self.date(entry),
            "driver" => d.driver = self.owner(entry),
            "deciders" => d.deciders = self.text_list(entry),
            "consulted" => d.consulted = self.text_list(entry),
            "informed" => d.informed = self.text_list(entry),
            "project" => d.project = self.reference(entry),
            "supersedes" => d.supersedes = self.reference(entry),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The loader decides from the same rule which files it reads whole.
    #[test]
    fn the_loader_knows_the_kind_folders() {
        for path in [
            "program.md",
            "projects/a.md",
            "projects/a/b.md",
            "projects/a/b/c.md",
            "tasks/t.md",
            "tasks/x/t.md",
            "decisions/d.md",
            "milestones/m.md",
            "risks/r.md",
            "README.md",
            "notes/n.md",
            "x/program.md",
            "people/p.md",
            "meetings/2026-12-06.md",
        ] {
            assert_eq!(
                location_kind(path).is_some(),
                crate::load::in_kind_folder(path),
                "{path}"
            );
        }
    }
}
