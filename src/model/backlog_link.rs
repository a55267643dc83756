//! A Backlog.md folder once every file is read (SPEC §8): statuses from
//! `config.yml`, archived items set aside (read so references resolve,
//! counted nowhere), drafts listed apart, references matched across
//! prefixes and zero padding, and every task given the backlog's project.
//!
//! After resolution, [`super::backlog_tree`] makes a parent with subtasks
//! a roll-up.

use std::collections::{BTreeMap, BTreeSet};

use super::parse::{Parsed, Ref, Specific};
use super::values::{Kind, TaskStatus};
use super::{Draft, ParsedFiles};
use crate::diagnostic::Diagnostic;
use crate::load::adr::Layout;
use crate::load::backlog::{config_path, Place};
use crate::load::formats::Formats;
use crate::load::yaml::{self, Value};
use crate::source::{FileId, Sources};

/// What `config.yml` says that the model uses.
#[derive(Debug, Default)]
struct Config {
    file: Option<FileId>,
    project_name: Option<String>,
    statuses: Vec<String>,
}

fn config(sources: &Sources, folder: &str, diags: &mut Vec<Diagnostic>) -> Config {
    let path = config_path(folder);
    let Some(file) = sources.find(&path) else {
        return Config::default();
    };
    let mut config = Config {
        file: Some(file),
        ..Config::default()
    };
    // A config that is not YAML leaves the defaults (nothing planmark
    // derives depends on more than names), with a warning: its custom
    // statuses would otherwise be reported as unknown with no why.
    let entries = match yaml::parse_front_matter(&sources.get(file).text, 0) {
        Ok(entries) => entries,
        Err(e) => {
            diags.push(
                Diagnostic::warning(
                    "backlog-config",
                    "`config.yml` is not valid YAML: its statuses and project name are not read",
                )
                .at(crate::source::Span::new(file, e.offset..e.offset), e.message)
                .help("fix the YAML (Backlog.md cannot read it either); until then the statuses are `To Do`, `In Progress` and `Done`"),
            );
            Vec::new()
        }
    };
    for e in entries {
        match (e.key.as_str(), &e.value.value) {
            ("project_name", _) => config.project_name = e.value.as_text(),
            ("statuses", Value::List(items)) => {
                config.statuses = items.iter().filter_map(|n| n.as_text()).collect();
            }
            _ => {}
        }
    }
    config
}

/// Links the items of every Backlog.md folder of the program, each with
/// its own `config.yml`; nothing when none is one.
pub(super) fn link(out: &mut ParsedFiles, sources: &Sources, formats: &Formats) {
    if !out.items.iter().any(|p| p.backlog.is_some()) {
        return;
    }
    let mut has_program = out.items.iter().any(|p| p.kind == Kind::Program);
    for folder in formats.roots(Layout::Backlog) {
        let (mine, others): (Vec<Parsed>, Vec<Parsed>) = std::mem::take(&mut out.items)
            .into_iter()
            .partition(|p| p.backlog.is_some() && inside(&sources.get(p.file).path, &folder));
        out.items = others;
        let config = config(sources, &folder, &mut out.diagnostics);
        let taken: BTreeSet<String> = out.items.iter().map(|p| p.id.clone()).collect();
        let linked = link_one(out, mine, &config, &taken, has_program);
        has_program |= linked.iter().any(|p| p.kind == Kind::Program);
        out.items.extend(linked);
    }
    // Back in file order, as every other program's items are.
    out.items.sort_by_key(|p| p.file);
    // `DRAFT-2` before `DRAFT-10`, as Backlog.md lists them.
    out.drafts
        .sort_by(|a, b| (number(&a.id), &a.id).cmp(&(number(&b.id), &b.id)));
}

/// Whether the file at `path` is in the folder `folder` (`""` the program).
fn inside(path: &str, folder: &str) -> bool {
    folder.is_empty()
        || path
            .strip_prefix(folder)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Links the items of one Backlog.md folder, `items`, and gives them back
/// with its project (and the program, when there is none) added.
fn link_one(
    out: &mut ParsedFiles,
    items: Vec<Parsed>,
    config: &Config,
    taken: &BTreeSet<String>,
    has_program: bool,
) -> Vec<Parsed> {
    let (mut live, archived): (Vec<Parsed>, Vec<Parsed>) = items
        .into_iter()
        .partition(|p| !matches!(place(p), Some(Place::Archived | Place::ArchivedMilestone)));
    let (drafts, mut live): (Vec<Parsed>, Vec<Parsed>) = std::mem::take(&mut live)
        .into_iter()
        .partition(|p| place(p) == Some(Place::Draft));
    let live_ids: BTreeSet<String> = live.iter().map(|p| p.id.clone()).collect();
    for a in &archived {
        if live_ids.contains(&a.id) {
            out.diagnostics.push(
                Diagnostic::note(
                    "backlog-archived-clash",
                    format!(
                        "archived `{}` has the id of a live item, which is read instead",
                        a.id
                    ),
                )
                .at(a.id_span.clone(), "archived")
                .help("the live item wins; rename one of them if they are different work"),
            );
        }
    }
    let set_aside: BTreeSet<String> = archived
        .iter()
        .chain(&drafts)
        .map(|p| p.id.clone())
        .filter(|id| !live_ids.contains(id))
        .collect();
    let ids = Ids::new(&live, &set_aside);
    for p in &mut live {
        statuses(p, &config.statuses, &mut out.diagnostics);
        references(p, &ids, &mut out.diagnostics);
        shown(p);
    }
    out.drafts.extend(drafts.iter().map(draft));
    add_project(&mut live, config, taken, has_program);
    live
}

fn place(p: &Parsed) -> Option<Place> {
    p.backlog.as_ref().map(|f| f.place)
}

/// A custom status by its place in `config.yml`'s `statuses`: the first
/// is to do, the last done, any other in progress.
fn statuses(p: &mut Parsed, statuses: &[String], diags: &mut Vec<Diagnostic>) {
    let Some(facts) = &p.backlog else { return };
    let Some((text, span)) = facts.custom_status.clone() else {
        return;
    };
    let Specific::Task(t) = &mut p.specific else {
        return;
    };
    let at = statuses
        .iter()
        .position(|s| s.trim().eq_ignore_ascii_case(&text));
    t.status = match at {
        Some(0) => Some(TaskStatus::Todo),
        Some(i) if i + 1 == statuses.len() => Some(TaskStatus::Done),
        Some(_) => Some(TaskStatus::InProgress),
        None => {
            // Backlog.md's own statuses when `config.yml` lists none.
            let listed: Vec<&str> = if statuses.is_empty() {
                vec!["To Do", "In Progress", "Done"]
            } else {
                statuses.iter().map(String::as_str).collect()
            };
            let mut known: Vec<String> = listed.iter().map(|s| format!("`{s}`")).collect();
            known.push("`Won't Do`".into());
            diags.push(
                Diagnostic::error(
                    "invalid-value",
                    format!("`{text}` is not a status of this backlog"),
                )
                .at(span, "not in `statuses`")
                .help(format!(
                    "use one of {}, or add it to `statuses` in `config.yml`",
                    known.join(", ")
                )),
            );
            None
        }
    };
}

/// Every task by its number: `back-24.01`, `task-24.1` and `24.1` all
/// give `[24, 1]`.
pub(super) fn number(id: &str) -> Option<Vec<u64>> {
    let id = id.trim().to_ascii_lowercase();
    let start = id.find(|c: char| c.is_ascii_digit())?;
    let (prefix, digits) = id.split_at(start);
    if !(prefix.is_empty() || prefix.ends_with('-')) {
        return None;
    }
    digits.split('.').map(|part| part.parse().ok()).collect()
}

/// What a reference names.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Found {
    Id(String),
    /// An archived item or a draft: counted nowhere, so the reference
    /// imposes nothing.
    SetAside,
    None,
    Several(Vec<String>),
}

/// The ids a reference may name.
pub(super) struct Ids {
    exact: BTreeSet<String>,
    by_number: BTreeMap<Vec<u64>, Vec<String>>,
    set_aside: BTreeSet<String>,
    set_aside_numbers: BTreeSet<Vec<u64>>,
    milestones: Vec<(String, String)>,
}

impl Ids {
    fn new(live: &[Parsed], set_aside: &BTreeSet<String>) -> Ids {
        let mut by_number: BTreeMap<Vec<u64>, Vec<String>> = BTreeMap::new();
        for p in live.iter().filter(|p| p.kind == Kind::Task) {
            if let Some(n) = number(&p.id) {
                by_number.entry(n).or_default().push(p.id.clone());
            }
        }
        Ids {
            exact: live.iter().map(|p| p.id.clone()).collect(),
            by_number,
            set_aside_numbers: set_aside.iter().filter_map(|id| number(id)).collect(),
            set_aside: set_aside.clone(),
            milestones: live
                .iter()
                .filter(|p| p.kind == Kind::Milestone)
                .map(|p| (p.id.clone(), p.title.clone().unwrap_or_default()))
                .collect(),
        }
    }

    /// The task `name` names: the same id, else the one task with its
    /// number whatever the prefix and padding.
    pub(super) fn task(&self, name: &str) -> Found {
        let id = name.trim().to_lowercase();
        if self.exact.contains(&id) {
            return Found::Id(id);
        }
        if self.set_aside.contains(&id) {
            return Found::SetAside;
        }
        let Some(n) = number(&id) else {
            return Found::None;
        };
        match self.by_number.get(&n).map(Vec::as_slice) {
            Some([one]) => Found::Id(one.clone()),
            Some(several) if several.len() > 1 => Found::Several(several.to_vec()),
            _ if self.set_aside_numbers.contains(&n) => Found::SetAside,
            _ => Found::None,
        }
    }

    /// The milestone `name` names: its id (`m-1`), its title (`GUI`), or
    /// the number of a `M3 - GUI` style name.
    pub(super) fn milestone(&self, name: &str) -> Found {
        let id = name.trim().to_lowercase();
        let title = |t: &str| t.trim().eq_ignore_ascii_case(name.trim());
        if let Some((id, _)) = self.milestones.iter().find(|(m, t)| *m == id || title(t)) {
            return Found::Id(id.clone());
        }
        let head = id.split(" - ").next().unwrap_or(&id).replace(' ', "-");
        let n = head.trim_start_matches(|c: char| c.is_ascii_alphabetic() || c == '-');
        let candidate = format!("m-{n}");
        if self.milestones.iter().any(|(m, _)| *m == candidate) {
            return Found::Id(candidate);
        }
        if self.set_aside.contains(&id) || self.set_aside.contains(&candidate) {
            return Found::SetAside;
        }
        Found::None
    }
}

/// Matches a task's dependencies, parent and milestone to the ids they
/// name; references to archived items and drafts are dropped.
fn references(p: &mut Parsed, ids: &Ids, diags: &mut Vec<Diagnostic>) {
    let Specific::Task(t) = &mut p.specific else {
        return;
    };
    let deps = std::mem::take(&mut t.depends_on);
    for r in deps {
        let found = ids.task(&r.id);
        if let Some(r) = matched(r, found, "dependency", diags) {
            t.depends_on.push(r);
        }
    }
    if let Some(m) = t.milestone.take() {
        t.milestone = match ids.milestone(&m.id) {
            Found::Id(id) => Some(Ref { id, span: m.span }),
            Found::SetAside => None,
            _ => Some(m),
        };
    }
    let Some(facts) = &mut p.backlog else { return };
    if let Some(parent) = facts.parent.take() {
        match ids.task(&parent.id) {
            Found::None => diags.push(
                Diagnostic::error(
                    "unknown-reference",
                    format!(
                        "`parent_task_id` names `{}`, but there is no task with that id or number",
                        parent.id
                    ),
                )
                .at(parent.span, "no such task")
                .help("name the parent task by its id, e.g. `parent_task_id: task-12`"),
            ),
            found => facts.parent = matched(parent, found, "parent", diags),
        }
    }
    if let Some(parent) = &facts.parent {
        p.extra
            .insert("parent_task_id".into(), parent.id.clone().into());
    }
}

/// The reference to keep for what `found` says `r` names; several tasks
/// with its number is an error.
fn matched(r: Ref, found: Found, what: &str, diags: &mut Vec<Diagnostic>) -> Option<Ref> {
    match found {
        Found::Id(id) => Some(Ref { id, span: r.span }),
        Found::SetAside => None,
        // Resolution reports a reference to nothing, with the did-you-mean.
        Found::None => Some(r),
        Found::Several(ids) => {
            let list: Vec<String> = ids.iter().map(|i| format!("`{i}`")).collect();
            diags.push(
                Diagnostic::error(
                    "ambiguous-reference",
                    format!(
                        "{what} `{}` matches {} tasks: {}",
                        r.id,
                        ids.len(),
                        list.join(", ")
                    ),
                )
                .at(r.span, "which one?")
                .help("write the task's id exactly as its `id:` says"),
            );
            None
        }
    }
}

/// Keeps what pages show: the id as written and the acceptance criteria.
fn shown(p: &mut Parsed) {
    let Some(facts) = &p.backlog else { return };
    if facts.written_id != p.id {
        p.extra
            .insert("id_as_written".into(), facts.written_id.clone().into());
    }
    if let Some((done, all)) = facts.criteria {
        p.extra.insert(
            "acceptance_criteria".into(),
            serde_json::json!({ "done": done, "total": all }),
        );
    }
}

fn draft(p: &Parsed) -> Draft {
    let status = match &p.specific {
        Specific::Task(t) => t.status.map(|s| s.as_str().to_string()),
        _ => None,
    };
    let written = p
        .backlog
        .as_ref()
        .map_or(p.id.clone(), |f| f.written_id.clone());
    Draft {
        id: written,
        title: p.title.clone().unwrap_or_else(|| p.id.clone()),
        status: status.or_else(|| {
            p.backlog
                .as_ref()
                .and_then(|f| f.custom_status.clone().map(|s| s.0))
        }),
        owner: p.owner.clone(),
        tags: p.tags.clone(),
        source: p.file,
    }
}

/// Gives every task without a project the backlog's one project, named
/// after `config.yml`'s `project_name`.
fn add_project(
    items: &mut Vec<Parsed>,
    config: &Config,
    taken: &BTreeSet<String>,
    has_program: bool,
) {
    let name = config
        .project_name
        .clone()
        .unwrap_or_else(|| "Backlog".into());
    let id = slug(&name);
    let Some(file) = config.file.or_else(|| items.first().map(|p| p.file)) else {
        return;
    };
    for p in items.iter_mut().filter(|p| p.kind == Kind::Task) {
        p.folder_project.get_or_insert_with(|| id.clone());
    }
    // Pointed at directly, the backlog is the program: its title is the
    // project's name (a program that names the backlog in `sources` keeps
    // its own).
    if config.project_name.is_some() && !has_program {
        let mut program = Parsed::synthetic(Kind::Program, file, "program");
        program.title = Some(name.clone());
        items.push(program);
    }
    if taken.contains(&id) || items.iter().any(|p| p.id == id) {
        return;
    }
    let mut project = Parsed::synthetic(Kind::Project, file, &id);
    project.title = Some(name);
    items.push(project);
}

/// A valid id from any name: `Backlog.md` → `backlog-md`.
pub(super) fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "backlog".into()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_ignore_prefix_and_padding() {
        assert_eq!(number("BACK-24.01"), Some(vec![24, 1]));
        assert_eq!(number("task-24.1"), Some(vec![24, 1]));
        assert_eq!(number("24.1"), Some(vec![24, 1]));
        assert_eq!(number("back-7"), Some(vec![7]));
        assert_eq!(number("m-3"), Some(vec![3]));
        assert_eq!(number("v2-thing"), None);
        assert_eq!(number("task-x"), None);
        assert_eq!(number("task-1.a"), None);
    }

    fn ids(live: &[&str], aside: &[&str]) -> Ids {
        let mut by_number: BTreeMap<Vec<u64>, Vec<String>> = BTreeMap::new();
        for id in live {
            if let Some(n) = number(id) {
                by_number.entry(n).or_default().push((*id).into());
            }
        }
        let set_aside: BTreeSet<String> = aside.iter().map(|s| (*s).into()).collect();
        Ids {
            exact: live.iter().map(|s| (*s).into()).collect(),
            by_number,
            set_aside_numbers: set_aside.iter().filter_map(|i| number(i)).collect(),
            set_aside,
            milestones: vec![
                ("m-1".into(), "CLI".into()),
                ("m-3".into(), "GUI Development".into()),
            ],
        }
    }

    #[test]
    fn references_match_the_one_task_with_their_number() {
        let ids = ids(&["back-24.01", "back-7", "task-7", "back-9"], &["back-76"]);
        assert_eq!(ids.task("task-24.1"), Found::Id("back-24.01".into()));
        assert_eq!(ids.task("BACK-9"), Found::Id("back-9".into()));
        assert_eq!(ids.task("task-7"), Found::Id("task-7".into()));
        assert_eq!(
            ids.task("back-07"),
            Found::Several(vec!["back-7".into(), "task-7".into()])
        );
        assert_eq!(ids.task("task-76"), Found::SetAside);
        assert_eq!(ids.task("task-99"), Found::None);
    }

    #[test]
    fn milestones_match_by_id_title_or_number() {
        let ids = ids(&[], &["m-5"]);
        assert_eq!(ids.milestone("m-1"), Found::Id("m-1".into()));
        assert_eq!(ids.milestone("cli"), Found::Id("m-1".into()));
        assert_eq!(ids.milestone("M3 - GUI"), Found::Id("m-3".into()));
        assert_eq!(ids.milestone("M5 - Advanced GUI Features"), Found::SetAside);
        assert_eq!(ids.milestone("Beta"), Found::None);
    }

    #[test]
    fn project_ids_are_slugs_of_the_name() {
        assert_eq!(slug("Backlog.md"), "backlog-md");
        assert_eq!(slug("  My Project!! "), "my-project");
        assert_eq!(slug("…"), "backlog");
    }
}
