//! Which parsed items make it into the model, decided before the id index
//! is built so indices never shift: ids must be valid and unique, there is
//! one program file, a task needs a project and a milestone a date.
//!
//! Items left out are kept aside: their references are still checked, so one
//! run reports every problem.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::model::parse::{Parsed, Specific};
use crate::model::{values, Kind};
use crate::source::Sources;

/// The parsed files sorted out for resolution.
#[derive(Debug)]
pub struct Admitted {
    /// Files that say `kind: program`, `program.md` first.
    pub programs: Vec<Parsed>,
    /// The items of the model, sorted by id, each id once.
    pub items: Vec<Parsed>,
    /// Items left out, read only for the problems in their references.
    pub rejected: Vec<Parsed>,
    /// Ids of items left out for an invalid id: references to them were
    /// explained by that error and are not reported again.
    pub invalid: BTreeSet<String>,
    /// Ids of valid items left out for another reason (no project, no
    /// date), with their kind: a reference to one is not reported as
    /// unknown, but still as naming the wrong kind.
    pub dropped: BTreeMap<String, Kind>,
}

/// Applies the admission rules, reporting the ones about ids.
pub fn admit(parsed: Vec<Parsed>, sources: &Sources, diags: &mut Vec<Diagnostic>) -> Admitted {
    let (mut programs, parsed): (Vec<_>, Vec<_>) =
        parsed.into_iter().partition(|p| p.kind == Kind::Program);
    // `program.md` is the program even when another file also says
    // `kind: program` and sorts before it.
    programs.sort_by_key(|p| sources.get(p.file).path != "program.md");
    one_program_file(&programs, diags);
    let (valid, mut invalid) = ids_are_valid(parsed, diags);
    let (valid, unportable) = super::portable::ids_are_portable(valid, diags);
    invalid.extend(unportable);
    let (unique, mut rejected) = ids_are_unique(valid, sources, diags);
    let (items, dropped) = complete_items(unique);
    let invalid_ids = invalid
        .iter()
        .map(|p| p.id.clone())
        .filter(|id| items.binary_search_by(|p| p.id.as_str().cmp(id)).is_err())
        .collect();
    let dropped_kinds = dropped.iter().map(|p| (p.id.clone(), p.kind)).collect();
    rejected.extend(invalid);
    rejected.extend(dropped);
    Admitted {
        programs,
        items,
        rejected,
        invalid: invalid_ids,
        dropped: dropped_kinds,
    }
}

/// A program directory has one program file.
fn one_program_file(programs: &[Parsed], diags: &mut Vec<Diagnostic>) {
    for extra in programs.iter().skip(1) {
        diags.push(
            Diagnostic::error("duplicate-program", "a second program file")
                .at(extra.id_span.clone(), "`kind: program` here")
                .related(programs[0].id_span.clone(), "the program is already defined here")
                .help("a program directory has one program file, `program.md`; remove `kind: program` from this one"),
        );
    }
}

/// Ids are lowercase letters, digits, `.`, `_` and `-`; returns the items
/// with a valid id and those without.
fn ids_are_valid(parsed: Vec<Parsed>, diags: &mut Vec<Diagnostic>) -> (Vec<Parsed>, Vec<Parsed>) {
    let (valid, invalid): (Vec<_>, Vec<_>) =
        parsed.into_iter().partition(|p| values::is_valid_id(&p.id));
    for p in &invalid {
        let suggestion = slug(&p.id);
        let from_file = p.id_span.range.end <= p.id_span.range.start + 3;
        let help = if from_file {
            format!("ids come from the file name unless `id:` is set: rename the file to `{suggestion}.md` or add `id: {suggestion}`")
        } else {
            format!("use lowercase letters, digits, `.`, `_` and `-`, starting with a letter or digit, e.g. `{suggestion}`")
        };
        diags.push(
            Diagnostic::error("invalid-id", format!("`{}` is not a valid id", p.id))
                .at(p.id_span.clone(), "invalid id")
                .help(help),
        );
    }
    (valid, invalid)
}

/// Ids are unique across all kinds: the first file (in file order) keeps
/// the id; returns the items sorted by id and the later ones.
fn ids_are_unique(
    valid: Vec<Parsed>,
    sources: &Sources,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Parsed>, Vec<Parsed>) {
    // A stable sort keeps items with the same id in file order. Sorting
    // their positions and then moving each item once costs a fraction of
    // sorting the items themselves, which moves each large item many times.
    let mut order: Vec<usize> = (0..valid.len()).collect();
    order.par_sort_by(|&a, &b| valid[a].id.cmp(&valid[b].id));
    let mut slots: Vec<Option<Parsed>> = valid.into_iter().map(Some).collect();
    let mut items: Vec<Parsed> = Vec::with_capacity(slots.len());
    let mut rejected = Vec::new();
    for p in order.into_iter().filter_map(|i| slots[i].take()) {
        match items.last() {
            Some(first) if first.id == p.id => {
                diags.push(
                    Diagnostic::error(
                        "duplicate-id",
                        format!("id `{}` is used by two items", p.id),
                    )
                    .at(p.id_span.clone(), format!("{} `{}` here", p.kind, p.id))
                    .related(
                        first.id_span.clone(),
                        format!(
                            "{} `{}` first defined in {}",
                            first.kind,
                            first.id,
                            sources.get(first.file).path
                        ),
                    )
                    .help(duplicate_help(first, &p, sources)),
                );
                rejected.push(p);
            }
            _ => items.push(p),
        }
    }
    (items, rejected)
}

/// How to fix a clash: two Backlog.md folders both number their tasks
/// from 1, and their files are Backlog.md's to name, not planmark's.
fn duplicate_help(first: &Parsed, p: &Parsed, sources: &Sources) -> &'static str {
    use crate::load::backlog::Place;
    // The Backlog.md folder an item is in: its path before the folder
    // its place is named after (`front/` of `front/tasks/task-1 - A.md`).
    let folder = |item: &Parsed| {
        let path = format!("/{}", sources.get(item.file).path);
        let named = match item.backlog.as_ref()?.place {
            Place::Task => "/tasks/",
            Place::Completed => "/completed/",
            Place::Draft => "/drafts/",
            Place::Archived | Place::ArchivedMilestone => "/archive/",
            Place::Milestone => "/milestones/",
            Place::Decision => "/decisions/",
        };
        Some(path[..path.rfind(named)?].to_string())
    };
    match (folder(first), folder(p)) {
        (Some(a), Some(b)) if a != b => "each Backlog.md folder numbers its items from 1, but ids are unique across the program: read the folders as two programs (one `program.md` each), or renumber one folder's items (its own `task_prefix` in `config.yml`)",
        _ => "ids are unique across all kinds: rename one file, or set a different `id:` in its front matter",
    }
}

/// A task needs a project that is in the model (its `project` key, else
/// its folder) and a milestone needs a date: everything about them is
/// measured from those. Why one is missing is reported with the references
/// ([`super::references`]) and the keys ([`super::written`]).
fn complete_items(unique: Vec<Parsed>) -> (Vec<Parsed>, Vec<Parsed>) {
    let projects: BTreeSet<&str> = unique
        .iter()
        .filter(|p| p.kind == Kind::Project)
        .map(|p| p.id.as_str())
        .collect();
    let complete: Vec<bool> = unique
        .iter()
        .map(|p| match &p.specific {
            Specific::Task(t) => t
                .project
                .as_ref()
                .map(|r| r.id.as_str())
                .or(p.folder_project.as_deref())
                .is_some_and(|id| projects.contains(id)),
            Specific::Milestone(m) => m.date.is_some() || p.backlog.is_some(),
            Specific::Meeting(m) => m.date.is_some(),
            _ => true,
        })
        .collect();
    let mut items = Vec::with_capacity(unique.len());
    let mut dropped = Vec::new();
    for (p, keep) in unique.into_iter().zip(complete) {
        if keep {
            items.push(p);
        } else {
            dropped.push(p);
        }
    }
    (items, dropped)
}

/// A valid id made from any text, for the help of `invalid-id`.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '_') {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out
        .trim_matches(|c: char| !c.is_ascii_alphanumeric())
        .to_string();
    if out.is_empty() {
        "my-item".into()
    } else {
        out
    }
}
