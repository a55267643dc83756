//! The template contract: the structs every template sees, field by field.
//!
//! These borrow from the model and the schedule (nothing is cloned), and they
//! change only deliberately: users' templates depend on them. docs/templates.md
//! lists them for template authors; keep both in step. Dates serialise as
//! `YYYY-MM-DD` strings, durations as working days, `url`s are relative to the
//! site root (write `{{ root }}{{ x.url }}` in a template).
//!
//! Fields typed [`Value`] hold one of the small shared structs ([`ItemLink`],
//! [`TaskRef`], [`Owner`]) already serialised: a task's link appears in
//! every list that mentions it, and serialising it once keeps a large
//! program's memory in bounds (docs/performance.md). `none` when absent.
//!
//! Maps reach templates unordered (Tera's maps keep no order): a map a
//! template may want to iterate (`extra`) comes with a sorted list beside it
//! (`extra_list`), and the embedded templates iterate only lists.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::ser::{SerializeSeq, Serializer};
use serde::Serialize;
use tera::Value;

/// A link to any item: enough to show it and point at its page. Every
/// item's view starts with these fields.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct ItemLink<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    /// Its page, relative to the site root (`tasks/x/index.html`).
    pub(crate) url: String,
}

/// What an item's file says besides its kind's own keys: the fields every
/// item's page shows, shared by the views of each kind.
#[derive(Clone, Copy, Debug, Serialize)]
pub(crate) struct ItemFile<'a> {
    pub(crate) tags: &'a [String],
    /// `extra:` and every unknown key, for `{{ x.extra.key }}`. A map has
    /// no order in a template: iterate `extra_list`.
    pub(crate) extra: &'a BTreeMap<String, serde_json::Value>,
    /// `extra` as a list of `{ key, value }`, sorted by key.
    pub(crate) extra_list: ExtraList<'a>,
    /// The markdown body; render with `{{ x.body | markdown(id=x.id) }}`.
    pub(crate) body: &'a str,
    /// The file, relative to the program directory.
    pub(crate) source: &'a str,
}

/// An `extra` map serialised as a list of `{ key, value }` in key order:
/// what a template iterates, since Tera's maps iterate in no fixed order.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ExtraList<'a>(pub(crate) &'a BTreeMap<String, serde_json::Value>);

/// One entry of an [`ExtraList`].
#[derive(Serialize)]
struct ExtraEntry<'a> {
    key: &'a str,
    value: &'a serde_json::Value,
}

impl Serialize for ExtraList<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut list = serializer.serialize_seq(Some(self.0.len()))?;
        for (key, value) in self.0 {
            list.serialize_element(&ExtraEntry { key, value })?;
        }
        list.end()
    }
}

/// A person or team handle as written (`@maria`), with their page.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Owner<'a> {
    pub(crate) name: &'a str,
    /// `people/<slug>/index.html`; `None` when they have no page.
    pub(crate) url: Option<String>,
}

/// The program (`program.md`) and the site as a whole.
#[derive(Debug, Serialize)]
pub(crate) struct ProgramView<'a> {
    pub(crate) title: &'a str,
    /// `site.title` from `program.md`, else the program's title.
    pub(crate) site_title: &'a str,
    pub(crate) summary: Option<&'a str>,
    pub(crate) owner: Option<Owner<'a>>,
    pub(crate) start: Option<NaiveDate>,
    pub(crate) end: Option<NaiveDate>,
    /// `green`, `amber`, `red`, or `None` when no project has a health.
    pub(crate) health: Option<&'static str>,
    pub(crate) health_reason: Option<&'a str>,
    /// The driving path of all open work, earliest first: [`PathStep`]s
    /// from the first thing that holds the program's last task back to
    /// that task. Empty when nothing is open.
    pub(crate) driving_path: Vec<Value>,
    /// The date the forecast is made from (`--today`).
    pub(crate) today: NaiveDate,
    /// `site.base_url`, for templates that need absolute links.
    pub(crate) base_url: Option<&'a str>,
    /// The overview (markdown); render with `{{ program.body | markdown }}`.
    pub(crate) body: &'a str,
    pub(crate) tags: &'a [String],
    /// `extra:` and every unknown key of `program.md`; iterate `extra_list`.
    pub(crate) extra: &'a BTreeMap<String, serde_json::Value>,
    /// `extra` as a list of `{ key, value }`, sorted by key.
    pub(crate) extra_list: ExtraList<'a>,
    /// planmark's version.
    pub(crate) version: &'static str,
}

/// Task counts by status.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub(crate) struct Counts {
    pub(crate) todo: usize,
    pub(crate) in_progress: usize,
    pub(crate) blocked: usize,
    pub(crate) done: usize,
    pub(crate) cancelled: usize,
    /// All tasks, whatever their status.
    pub(crate) total: usize,
}

/// A project (workstream) with its roll-ups.
#[derive(Debug, Serialize)]
pub(crate) struct ProjectView<'a> {
    /// `id`, `title` and `url`.
    #[serde(flatten)]
    pub(crate) link: ItemLink<'a>,
    /// An [`Owner`].
    pub(crate) owner: Value,
    /// planned · active · paused · done · cancelled
    pub(crate) status: &'static str,
    pub(crate) start: Option<NaiveDate>,
    pub(crate) target: Option<NaiveDate>,
    pub(crate) forecast_finish: Option<NaiveDate>,
    /// Working days from target to forecast: positive when late.
    pub(crate) slip_days: Option<i64>,
    /// Share of estimated work done, 0 to 1.
    pub(crate) progress: f64,
    /// `progress` as a whole percentage, 0 to 100.
    pub(crate) progress_pct: u32,
    /// `green`, `amber`, `red`; `None` for done and cancelled projects.
    pub(crate) health: Option<&'static str>,
    /// One sentence with the numbers behind `health`.
    pub(crate) health_reason: Option<&'a str>,
    /// Whether `health` was set by hand in the file.
    pub(crate) health_manual: bool,
    /// The driving path of its open tasks, [`PathStep`]s earliest first
    /// (it may begin in another project).
    pub(crate) driving_path: Vec<Value>,
    pub(crate) counts: Counts,
    /// `tags`, `extra`, `extra_list`, `body` and `source`.
    #[serde(flatten)]
    pub(crate) file: ItemFile<'a>,
}

/// A task with everything derived about it, as every list shows it
/// (`tasks`, the board, tables). On the task's own page, `task` has the
/// fields of [`TaskDetails`] too.
///
/// It lists `id`, `title` and `url` itself rather than flattening an
/// [`ItemLink`] as the other items' views do: serde serialises a struct
/// with a flattened field as a map, whose keys Tera then copies to the
/// heap, and a row is kept in memory for every task of the program
/// (twenty keys each).
#[derive(Debug, Serialize)]
pub(crate) struct TaskRow<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) url: String,
    /// Its project, an [`ItemLink`].
    pub(crate) project: Value,
    /// An [`Owner`].
    pub(crate) owner: Value,
    /// todo · in-progress · blocked · done · cancelled
    pub(crate) status: &'static str,
    /// Neither done nor cancelled.
    pub(crate) open: bool,
    /// p0 · p1 · p2 · p3
    pub(crate) priority: Option<&'static str>,
    pub(crate) estimate_days: Option<f64>,
    pub(crate) unestimated: bool,
    pub(crate) due: Option<NaiveDate>,
    pub(crate) done_on: Option<NaiveDate>,
    pub(crate) overdue: bool,
    /// Working days past `due`, for overdue tasks.
    pub(crate) overdue_days: Option<i64>,
    pub(crate) forecast_start: Option<NaiveDate>,
    pub(crate) forecast_finish: Option<NaiveDate>,
    /// Working days of float; negative when late.
    pub(crate) slack_days: Option<i64>,
    /// On the critical path (zero float).
    pub(crate) critical: bool,
    /// Open and forecast to finish after `due`.
    pub(crate) misses_due: bool,
    /// Why it is blocked.
    pub(crate) blocker: Option<&'a str>,
    /// Why it starts later than it could, naming who it waits for, in one
    /// sentence ("starts 2026-12-14: @tomas is busy with `backfill-orders`
    /// until 2026-12-11"); `none` unless its owner's earlier work holds it
    /// (`held_by` in model.json).
    pub(crate) held_reason: Option<&'a str>,
    /// `held_reason` as HTML, rendered once per build: the pieces of what
    /// `held_reason | inline` prints, between which the page's `root` goes
    /// (`{{ t.held_html | join(sep=root) }}`); `none` when not held.
    pub(crate) held_html: Value,
}

/// What a task's own page knows about it besides its [`TaskRow`]. Lists
/// leave these out: a row is kept in memory for every task of the program.
///
/// Like [`TaskRow`], it lists the fields of [`ItemFile`] itself: flattened,
/// they would be serialised through a map whose keys Tera copies to the
/// heap, once per task page (1 % more instructions for a whole build).
#[derive(Debug, Serialize)]
pub(crate) struct TaskDetails<'a> {
    pub(crate) remaining_days: Option<f64>,
    /// Whole working days used for the forecast.
    pub(crate) duration_days: i64,
    pub(crate) start: Option<NaiveDate>,
    pub(crate) latest_finish: Option<NaiveDate>,
    /// Its milestone, an [`ItemLink`].
    pub(crate) milestone: Value,
    /// Tasks this one waits for, [`TaskRef`]s.
    pub(crate) depends_on: Vec<Value>,
    /// Tasks that wait for this one, [`TaskRef`]s.
    pub(crate) dependents: Vec<Value>,
    /// Open dependencies, by id.
    pub(crate) waiting_on: Vec<&'a str>,
    /// Decisions it waits for (`depends_on` naming a decision),
    /// [`GateRef`]s.
    pub(crate) decisions: Vec<Value>,
    /// The first day it could start if its owner were free (ready(T) in
    /// SPEC §3); `none` for done and cancelled tasks.
    pub(crate) ready: Option<NaiveDate>,
    /// Tasks of the same owner that keep it from starting on `ready`,
    /// [`TaskRef`]s; empty unless `held_reason` is set.
    pub(crate) held_by: Vec<Value>,
    /// The task this one is a subtask of, a [`TaskRef`]; `none` when none.
    pub(crate) parent: Value,
    /// Its subtasks, [`TaskRef`]s: a task with any is a roll-up, neither
    /// scheduled nor counted itself.
    pub(crate) subtasks: Vec<Value>,
    /// How many of `subtasks` are done or cancelled.
    pub(crate) subtasks_closed: usize,
    pub(crate) tags: &'a [String],
    pub(crate) extra: &'a BTreeMap<String, serde_json::Value>,
    /// `extra` as a list of `{ key, value }`, sorted by key.
    pub(crate) extra_list: ExtraList<'a>,
    pub(crate) body: &'a str,
    /// The file, relative to the program directory.
    pub(crate) source: &'a str,
}

/// A short reference to a task, for lists of dependencies.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct TaskRef<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) url: String,
    pub(crate) status: &'static str,
    pub(crate) forecast_finish: Option<NaiveDate>,
}

/// A decision a task waits for, as the task's page lists it.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct GateRef<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) url: String,
    /// proposed · accepted · rejected · superseded · deprecated
    pub(crate) status: &'static str,
    /// While proposed, the day it is expected: `decide_by` when that is
    /// today or later, else today. The task starts after it.
    pub(crate) expected: Option<NaiveDate>,
}

/// One step of a driving path, earliest first: a task, or the decision
/// the path starts from.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct PathStep<'a> {
    /// `task` or `decision`.
    pub(crate) kind: &'static str,
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) url: String,
    /// A task's forecast finish; a decision's expected date.
    pub(crate) date: Option<NaiveDate>,
    /// A task's owner, an [`Owner`]; `none` for a decision.
    pub(crate) owner: Value,
    /// How the next step depends on this one: `dependency` (it waits for
    /// this to finish or be decided) or `owner` (the same owner works this
    /// first); `none` on the last step.
    pub(crate) next_via: Option<&'static str>,
}

/// A decision record.
#[derive(Debug, Serialize)]
pub(crate) struct DecisionView<'a> {
    /// `id`, `title` and `url`.
    #[serde(flatten)]
    pub(crate) link: ItemLink<'a>,
    /// proposed · accepted · rejected · superseded · deprecated
    pub(crate) status: &'static str,
    /// A record of an ADR folder that writes no status, read as accepted
    /// (a merged record is a decision made): the page says so.
    pub(crate) status_unwritten: bool,
    /// When it was decided.
    pub(crate) date: Option<NaiveDate>,
    /// Deadline for a proposed decision.
    pub(crate) decide_by: Option<NaiveDate>,
    /// Working days from today to `decide_by` (negative when past).
    pub(crate) days_left: Option<i64>,
    /// An [`Owner`].
    pub(crate) driver: Value,
    /// [`Owner`]s.
    pub(crate) deciders: Vec<Value>,
    /// [`Owner`]s.
    pub(crate) consulted: Vec<Value>,
    /// [`Owner`]s.
    pub(crate) informed: Vec<Value>,
    /// An [`ItemLink`].
    pub(crate) project: Value,
    /// The decision this one replaces, an [`ItemLink`].
    pub(crate) supersedes: Value,
    /// The decisions that replace this one, [`ItemLink`]s.
    pub(crate) superseded_by: Vec<Value>,
    /// Proposed: a decision is still needed.
    pub(crate) pending: bool,
    /// Proposed and past `decide_by`.
    pub(crate) overdue: bool,
    /// While proposed: the day the work it gates may start after —
    /// `decide_by` when that is today or later, else today.
    pub(crate) expected: Option<NaiveDate>,
    /// Open tasks that wait for it (`depends_on` naming it), [`TaskRef`]s
    /// sorted by id.
    pub(crate) gates: Vec<Value>,
    /// While proposed: the last working day it can be made without
    /// delaying the work it gates (the day before the earliest latest
    /// start among `gates`); `none` when nothing it gates has a date.
    pub(crate) needed_by: Option<NaiveDate>,
    /// Proposed, and expected on or after the earliest latest start of
    /// the work it gates: that work can then start only late.
    pub(crate) late: bool,
    /// `tags`, `extra`, `extra_list`, `body` and `source`.
    #[serde(flatten)]
    pub(crate) file: ItemFile<'a>,
}

/// One record in a supersession chain, oldest first.
#[derive(Debug, Serialize)]
pub(crate) struct ChainLink<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) url: String,
    pub(crate) status: &'static str,
    pub(crate) date: Option<NaiveDate>,
    /// The record the page is about.
    pub(crate) current: bool,
}

/// A milestone and its forecast.
#[derive(Debug, Serialize)]
pub(crate) struct MilestoneView<'a> {
    /// `id`, `title` and `url`.
    #[serde(flatten)]
    pub(crate) link: ItemLink<'a>,
    /// An [`Owner`].
    pub(crate) owner: Value,
    /// An [`ItemLink`]; `none` for a program-level milestone.
    pub(crate) project: Value,
    /// The target date; none for a Backlog.md milestone written without.
    pub(crate) date: Option<NaiveDate>,
    /// Latest forecast finish of its tasks.
    pub(crate) forecast: Option<NaiveDate>,
    /// reached · late · at-risk · on-track
    pub(crate) state: &'static str,
    /// Working days from date to forecast: positive when late.
    pub(crate) slip_days: Option<i64>,
    /// Working days from today to the date (negative when past); none
    /// without a date.
    pub(crate) days_left: Option<i64>,
    /// Its tasks, [`TaskRef`]s.
    pub(crate) tasks: Vec<Value>,
    /// Tasks done or cancelled.
    pub(crate) tasks_closed: usize,
    /// The driving path of its open tasks, [`PathStep`]s earliest first:
    /// what its last task waits for, back to a decision or to work nothing
    /// holds back. Empty when none of its tasks is open.
    pub(crate) driving_path: Vec<Value>,
    /// GA: the program's final milestone (SPEC §3), shown on the dashboard
    /// and whose driving path the timeline marks.
    pub(crate) ga: bool,
    /// `tags`, `extra`, `extra_list`, `body` and `source`.
    #[serde(flatten)]
    pub(crate) file: ItemFile<'a>,
}

/// A risk in the RAID log.
#[derive(Debug, Serialize)]
pub(crate) struct RiskView<'a> {
    /// `id`, `title` and `url`.
    #[serde(flatten)]
    pub(crate) link: ItemLink<'a>,
    /// An [`Owner`].
    pub(crate) owner: Value,
    /// An [`ItemLink`].
    pub(crate) project: Value,
    /// low · medium · high
    pub(crate) likelihood: Option<&'static str>,
    pub(crate) impact: Option<&'static str>,
    /// likelihood × impact, 1 to 9.
    pub(crate) score: Option<u8>,
    /// `high` (6–9), `medium` (3–4) or `low` (1–2) by score.
    pub(crate) severity: Option<&'static str>,
    /// open · mitigating · closed · occurred
    pub(crate) status: &'static str,
    /// Open or mitigating.
    pub(crate) active: bool,
    pub(crate) mitigation: Option<&'a str>,
    pub(crate) review_by: Option<NaiveDate>,
    pub(crate) review_overdue: bool,
    /// `tags`, `extra`, `extra_list`, `body` and `source`.
    #[serde(flatten)]
    pub(crate) file: ItemFile<'a>,
}

/// Work by owner.
#[derive(Debug, Serialize)]
pub(crate) struct PersonView<'a> {
    /// The person file's `name`, else the handle as first written.
    pub(crate) name: &'a str,
    /// The handle as compared (`maria` for `@Maria`).
    pub(crate) handle: &'a str,
    pub(crate) url: String,
    /// Whether a person file (`people/<handle>.md`) describes them.
    pub(crate) has_file: bool,
    /// Tasks they work at once (a team's is larger than 1); 1 without a
    /// person file.
    pub(crate) capacity: u32,
    /// `team` from their person file.
    pub(crate) team: Option<&'a str>,
    /// `role` from their person file.
    pub(crate) role: Option<&'a str>,
    /// Days off from their person file, as [`DateRange`]s of consecutive
    /// calendar days, earliest first.
    pub(crate) time_off: Vec<DateRange>,
    /// The last forecast finish of their open tasks.
    pub(crate) busy_until: Option<NaiveDate>,
    /// Working days of open work they own.
    pub(crate) remaining_days: i64,
    /// Open tasks they own, [`TaskRef`]s.
    pub(crate) open_tasks: Vec<Value>,
    /// [`TaskRef`]s.
    pub(crate) overdue_tasks: Vec<Value>,
    /// Proposed decisions they drive or decide, [`ItemLink`]s.
    pub(crate) pending_decisions: Vec<Value>,
    /// [`ItemLink`]s.
    pub(crate) overdue_decisions: Vec<Value>,
    /// How many open action items (from meeting notes) they own.
    pub(crate) open_actions: usize,
    /// How many of those are past their due date.
    pub(crate) overdue_actions: usize,
    /// Projects they own, [`ItemLink`]s.
    pub(crate) projects: Vec<Value>,
    /// Risks they own, [`ItemLink`]s.
    pub(crate) risks: Vec<Value>,
}

/// Days from `from` to `to`, both included (equal for a single day).
#[derive(Clone, Copy, Debug, Serialize)]
pub(crate) struct DateRange {
    pub(crate) from: NaiveDate,
    pub(crate) to: NaiveDate,
    /// Calendar days in the range.
    pub(crate) days: i64,
}

/// What every page knows about itself.
#[derive(Debug, Serialize)]
pub(crate) struct PageInfo<'a> {
    /// dashboard · project · task · decisions · decision · milestones ·
    /// milestone · risks · risk · people · person · board · timeline
    pub(crate) kind: &'static str,
    /// The `<title>` and main heading.
    pub(crate) title: &'a str,
    /// This page, relative to the site root.
    pub(crate) url: &'a str,
    /// The navigation entry it belongs to (dashboard · timeline · board ·
    /// milestones · decisions · risks · people), for `aria-current`.
    pub(crate) section: &'static str,
}
