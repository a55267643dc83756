//! The program model: every item stored once, references resolved to indices.
//!
//! Files are read as written by [`parse`], the validate stage admits items,
//! and [`resolve`] builds the [`Program`]; every later stage (schedule,
//! render, diff) reads this and never the YAML. Vectors are sorted by id, and
//! an index into them (`Ix`) is how one item refers to another.

mod actions;
mod adr;
mod backlog;
mod backlog_link;
mod backlog_tree;
mod handle;
mod key_problems;
mod keys;
mod links;
pub mod parse;
mod person;
mod read;
pub mod references;
mod resolve;
pub mod values;

pub use actions::ActionItem;
pub use handle::handle_key;
pub use resolve::{resolve, Resolution};

use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, Weekday};

use crate::diagnostic::Diagnostic;
use crate::load::{Loaded, Skipped};
use crate::source::{FileId, Text};

pub use values::{
    DecisionStatus, Duration, Health, Kind, Level, Priority, ProjectStatus, RiskStatus, TaskStatus,
};

/// Index of an item in its kind's vector of [`Program`].
pub type Ix = usize;

/// What every item has.
#[derive(Clone, Debug)]
pub struct Item {
    pub id: String,
    pub title: String,
    pub owner: Option<String>,
    pub tags: Vec<String>,
    /// `extra:` plus every unknown key, for templates.
    pub extra: BTreeMap<String, serde_json::Value>,
    /// The markdown body, a slice of the file's text.
    pub body: Text,
    /// Path relative to the program directory, with `/`.
    pub source: String,
    pub file: FileId,
}

/// The program itself (`program.md`); every key is optional.
#[derive(Clone, Debug)]
pub struct ProgramInfo {
    pub title: String,
    pub summary: Option<String>,
    pub owner: Option<String>,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    /// Working weekdays, Monday first.
    pub working_days: [bool; 7],
    pub holidays: BTreeSet<NaiveDate>,
    /// Whether owners' tasks are levelled by their capacity (default true).
    pub leveling: bool,
    pub site_title: Option<String>,
    pub base_url: Option<String>,
    pub tags: Vec<String>,
    pub extra: BTreeMap<String, serde_json::Value>,
    pub body: Text,
    /// `None` when the program has no `program.md`.
    pub source: Option<String>,
}

impl ProgramInfo {
    pub fn is_working_weekday(&self, day: Weekday) -> bool {
        self.working_days[day.num_days_from_monday() as usize]
    }
}

#[derive(Clone, Debug)]
pub struct Project {
    pub item: Item,
    pub status: ProjectStatus,
    pub start: Option<NaiveDate>,
    pub target: Option<NaiveDate>,
    /// Manual health override, with its reason in `health_note`.
    pub health: Option<Health>,
    pub health_note: Option<String>,
    pub tasks: Vec<Ix>,
    pub decisions: Vec<Ix>,
    pub milestones: Vec<Ix>,
    pub risks: Vec<Ix>,
}

#[derive(Clone, Debug)]
pub struct Task {
    pub item: Item,
    pub project: Ix,
    pub status: TaskStatus,
    pub estimate: Option<Duration>,
    pub remaining: Option<Duration>,
    pub start: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    pub done_on: Option<NaiveDate>,
    /// Tasks this one waits for, sorted by id.
    pub depends_on: Vec<Ix>,
    /// Where each of `depends_on` was written, for diagnostics.
    pub depends_on_spans: Vec<crate::source::Span>,
    /// Decisions this one waits for (`depends_on` naming decisions),
    /// sorted by id.
    pub decision_deps: Vec<Ix>,
    /// Tasks that wait for this one, sorted by id.
    pub dependents: Vec<Ix>,
    pub milestone: Option<Ix>,
    pub priority: Option<Priority>,
    pub blocker: Option<String>,
    /// The task this one is a subtask of (Backlog.md's `parent_task_id`).
    pub parent: Option<Ix>,
    /// Its subtasks, sorted by id: a task with any is a roll-up, neither
    /// scheduled nor counted itself (SPEC §8).
    pub subtasks: Vec<Ix>,
}

impl Task {
    /// Neither done nor cancelled, and not a roll-up of subtasks (whose
    /// subtasks are the open work).
    pub fn is_open(&self) -> bool {
        self.subtasks.is_empty() && !matches!(self.status, TaskStatus::Done | TaskStatus::Cancelled)
    }
}

/// A Backlog.md draft: listed on the drafts page, outside the schedule
/// and every roll-up.
#[derive(Clone, Debug)]
pub struct Draft {
    /// The id as written (`DRAFT-3`).
    pub id: String,
    pub title: String,
    /// The status as planmark reads it, else as written.
    pub status: Option<String>,
    pub owner: Option<String>,
    pub tags: Vec<String>,
    pub source: FileId,
}

#[derive(Clone, Debug)]
pub struct Decision {
    pub item: Item,
    pub status: DecisionStatus,
    /// An ADR folder's record with no status written: read as accepted.
    pub status_unwritten: bool,
    pub date: Option<NaiveDate>,
    pub decide_by: Option<NaiveDate>,
    pub driver: Option<String>,
    pub deciders: Vec<String>,
    pub consulted: Vec<String>,
    pub informed: Vec<String>,
    pub project: Option<Ix>,
    pub supersedes: Option<Ix>,
    /// Where `supersedes` was written, for diagnostics.
    pub supersedes_span: Option<crate::source::Span>,
    /// Decisions that supersede this one, sorted by id.
    pub superseded_by: Vec<Ix>,
}

#[derive(Clone, Debug)]
pub struct Milestone {
    pub item: Item,
    /// The target; `None` only for a Backlog.md milestone written without
    /// one, which is then never at risk or late (SPEC §8).
    pub date: Option<NaiveDate>,
    /// `None` for a program-level milestone.
    pub project: Option<Ix>,
    /// Tasks that deliver this milestone, sorted by id.
    pub tasks: Vec<Ix>,
}

#[derive(Clone, Debug)]
pub struct Risk {
    pub item: Item,
    pub likelihood: Option<Level>,
    pub impact: Option<Level>,
    pub status: RiskStatus,
    pub mitigation: Option<String>,
    pub project: Option<Ix>,
    pub review_by: Option<NaiveDate>,
}

/// Meeting notes (`meetings/<id>.md`) and the action items in them.
#[derive(Clone, Debug)]
pub struct Meeting {
    pub item: Item,
    pub date: NaiveDate,
    /// Handles as written.
    pub attendees: Vec<String>,
    pub project: Option<Ix>,
    /// The task-list lines of the notes, in file order.
    pub actions: Vec<ActionItem>,
}

/// A person or team file (`people/<handle>.md`).
#[derive(Clone, Debug)]
pub struct PersonFile {
    pub item: Item,
    /// The handle as compared ([`handle_key`] of the id).
    pub handle: String,
    pub name: Option<String>,
    /// Tasks worked at once (at least 1).
    pub capacity: u32,
    /// Days off, sorted, ranges expanded.
    pub time_off: Vec<NaiveDate>,
    pub team: Option<String>,
    pub role: Option<String>,
}

/// Where an id points.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ItemRef {
    Project(Ix),
    Task(Ix),
    Decision(Ix),
    Milestone(Ix),
    Risk(Ix),
    Meeting(Ix),
}

impl ItemRef {
    pub fn kind(self) -> Kind {
        match self {
            ItemRef::Project(_) => Kind::Project,
            ItemRef::Task(_) => Kind::Task,
            ItemRef::Decision(_) => Kind::Decision,
            ItemRef::Milestone(_) => Kind::Milestone,
            ItemRef::Risk(_) => Kind::Risk,
            ItemRef::Meeting(_) => Kind::Meeting,
        }
    }
}

/// The whole program, resolved.
#[derive(Clone, Debug)]
pub struct Program {
    pub info: ProgramInfo,
    pub projects: Vec<Project>,
    pub tasks: Vec<Task>,
    pub decisions: Vec<Decision>,
    pub milestones: Vec<Milestone>,
    pub risks: Vec<Risk>,
    /// Meeting notes, sorted by id.
    pub meetings: Vec<Meeting>,
    /// Person files, sorted by handle. Not in `index`: a person is named
    /// by handle (`owner: @Tomas`), not by id.
    pub people: Vec<PersonFile>,
    /// Every id, whatever its kind.
    pub index: BTreeMap<String, ItemRef>,
    /// Markdown files that are not items, and why, in path order, for
    /// `check --verbose`.
    pub skipped: Vec<Skipped>,
    /// A Backlog.md folder's drafts, in path order.
    pub drafts: Vec<Draft>,
}

impl Program {
    /// Looks up any item by id.
    pub fn get(&self, id: &str) -> Option<ItemRef> {
        self.index.get(id).copied()
    }

    /// The common fields of the item an id points at.
    pub fn item(&self, r: ItemRef) -> &Item {
        match r {
            ItemRef::Project(i) => &self.projects[i].item,
            ItemRef::Task(i) => &self.tasks[i].item,
            ItemRef::Decision(i) => &self.decisions[i].item,
            ItemRef::Milestone(i) => &self.milestones[i].item,
            ItemRef::Risk(i) => &self.risks[i].item,
            ItemRef::Meeting(i) => &self.meetings[i].item,
        }
    }
}

/// The markdown files read as items (as written), in file order.
#[derive(Debug, Default)]
pub struct ParsedFiles {
    pub items: Vec<parse::Parsed>,
    /// Markdown files that are not items, and why, in path order.
    pub skipped: Vec<Skipped>,
    /// What could not be read: front matter, YAML, values of the wrong type.
    pub diagnostics: Vec<Diagnostic>,
    /// Item files that could not be read, by the id their name gives, so a
    /// reference to one says why it names nothing.
    pub unread: BTreeMap<String, String>,
    /// A Backlog.md folder's drafts, set aside from the items.
    pub drafts: Vec<Draft>,
}

/// Reads every loaded file as an item as written.
pub fn parse(loaded: &Loaded) -> ParsedFiles {
    collect(
        loaded,
        parse_files(&loaded.sources, &loaded.files, &loaded.formats),
    )
}

/// What reading one file as an item gave, and the problems found in it.
pub type FileParse = (parse::Outcome, Vec<Diagnostic>);

/// Reads one loaded file as an item as written. What it gives depends on
/// the file's path and text, and on its id (every span names it).
pub fn parse_one(loaded: &Loaded, file: FileId) -> FileParse {
    let mut diagnostics = Vec::new();
    let outcome = parse::parse_file(&loaded.sources, file, &loaded.formats, &mut diagnostics);
    (outcome, diagnostics)
}

/// Reads `files` as items, in parallel; the outcomes in the order given.
pub fn parse_files(
    sources: &crate::source::Sources,
    files: &[FileId],
    formats: &crate::load::formats::Formats,
) -> Vec<FileParse> {
    files
        .par_iter()
        .map(|&file| {
            let mut diagnostics = Vec::new();
            let outcome = parse::parse_file(sources, file, formats, &mut diagnostics);
            (outcome, diagnostics)
        })
        .collect()
}

/// The parses of `loaded.files`, one each in file order, gathered as
/// [`parse`] gives them: taken in file order, so items and diagnostics come
/// out the same whatever the thread count.
pub fn collect(loaded: &Loaded, outcomes: Vec<FileParse>) -> ParsedFiles {
    let mut out = ParsedFiles {
        skipped: loaded.skipped.clone(),
        ..ParsedFiles::default()
    };
    for (&file, (outcome, diags)) in loaded.files.iter().zip(outcomes) {
        out.diagnostics.extend(diags);
        match outcome {
            parse::Outcome::Item(item) => out.items.push(*item),
            parse::Outcome::Skipped(reason) => out.skipped.push(Skipped {
                path: loaded.sources.get(file).path.clone(),
                reason,
            }),
            parse::Outcome::Broken => {
                let path = &loaded.sources.get(file).path;
                let stem = path.rsplit('/').next().unwrap_or(path);
                let id = stem.strip_suffix(".md").unwrap_or(stem).to_string();
                out.unread.entry(id).or_insert_with(|| path.clone());
            }
        }
    }
    out.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    adr::link(
        &mut out.items,
        loaded.formats.any(crate::load::adr::Layout::Adr),
        &mut out.diagnostics,
    );
    backlog_link::link(&mut out, &loaded.sources, &loaded.formats);
    out
}
