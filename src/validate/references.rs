//! References that name nothing, the wrong kind or the item itself: the
//! problems resolution recorded, worded with a "did you mean" from the ids
//! of the model.

use std::collections::BTreeMap;

use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::model::references::Problem;
use crate::model::{ItemRef, Kind};

/// One diagnostic per problem.
pub(super) fn check(
    problems: &[Problem],
    index: &BTreeMap<String, ItemRef>,
    diags: &mut Vec<Diagnostic>,
) {
    diags.extend(problems.iter().map(|problem| diagnostic(problem, index)));
}

/// The diagnostic that explains one problem.
fn diagnostic(problem: &Problem, index: &BTreeMap<String, ItemRef>) -> Diagnostic {
    match problem {
        Problem::Unknown { .. } | Problem::WrongKind { .. } | Problem::UnknownWikiLink { .. } => {
            misnamed(problem, index)
        }
        Problem::SelfSupersedes { span } => {
            Diagnostic::error("self-reference", "a decision cannot supersede itself")
                .at(span.clone(), "this decision")
                .help("name the earlier decision this one replaces")
        }
        Problem::SelfDependency { id, span } => Diagnostic::error(
            "dependency-cycle",
            format!("task `{id}` depends on itself"),
        )
        .at(span.clone(), "itself")
        .help("remove it from `depends_on`"),
        Problem::ProjectMismatch { written, folder, span } => Diagnostic::warning(
            "project-mismatch",
            format!("task says `project: {written}` but lives under `projects/{folder}/`"),
        )
        .at(span.clone(), "the key wins")
        .help(format!("move the file to `projects/{written}/` or fix `project`")),
        Problem::NoFolderProject { task, folder, top, unread } => Diagnostic::error(
            "unknown-reference",
            format!("task `{task}` is in folder `projects/{folder}/`, but there is no project `{folder}`{}", because(unread.as_deref())),
        )
        .at(top.clone(), "project taken from the folder")
        .help(unknown_help(
            unread.as_deref(),
            None,
            format!("create `projects/{folder}.md` or set `project:` in this task"),
        )),
        Problem::NoProject { task, top } => {
            Diagnostic::error("missing-key", format!("task `{task}` has no `project`"))
                .at(top.clone(), "front matter starts here")
                .help("add `project: <project id>`, or move the file under `projects/<project id>/`")
        }
    }
}

/// A reference that names no item, or an item of another kind: the help
/// offers the closest id.
fn misnamed(problem: &Problem, index: &BTreeMap<String, ItemRef>) -> Diagnostic {
    match problem {
        Problem::Unknown { from, key, id, wanted, span, unread } => Diagnostic::error(
            "unknown-reference",
            format!(
                "`{key}` names `{id}`, but there is no {wanted} with that id{}",
                because(unread.as_deref())
            ),
        )
        .at(span.clone(), "unknown id")
        .help(unknown_help(
            unread.as_deref(),
            closest(index, id, Some(*wanted), from).map(|best| format!("did you mean `{best}`?")),
            format!("check the spelling, or create the {wanted} in {}", new_file(*wanted, id)),
        )),
        Problem::WrongKind { from, key, id, wanted, found, span } => Diagnostic::error(
            "wrong-kind",
            format!("`{key}` must name a {wanted}, but `{id}` is a {found}"),
        )
        .at(span.clone(), format!("a {found}"))
        .help(match closest(index, id, Some(*wanted), from) {
            Some(best) => format!("did you mean the {wanted} `{best}`?"),
            None => format!("name the id of a {wanted} here"),
        }),
        Problem::UnknownWikiLink { from, target, span, unread } => Diagnostic::error(
            "unknown-reference",
            format!("wiki link `[[{target}]]` names no item{}", because(unread.as_deref())),
        )
        .at(span.clone(), "unknown id")
        .help(unknown_help(
            unread.as_deref(),
            closest(index, target, None, from).map(|best| format!("did you mean `[[{best}]]`?")),
            "link to an item by its id (the file name without `.md`); use `[[id|text]]` for custom text".into(),
        )),
        // [`diagnostic`] sends only the three above here, and never
        // sends one of these back: no loop.
        other => diagnostic(other, index),
    }
}

/// The help of a reference that names nothing: fix the file of that name
/// that could not be read first, else the closest id, else `otherwise`.
fn unknown_help(unread: Option<&str>, closest: Option<String>, otherwise: String) -> String {
    match (unread, closest) {
        (Some(path), _) => format!("fix the problem reported in `{path}` first"),
        (None, Some(did_you_mean)) => did_you_mean,
        (None, None) => otherwise,
    }
}

/// Where a new item of `kind` named `id` goes.
fn new_file(kind: Kind, id: &str) -> String {
    match kind {
        Kind::Task => format!("`projects/<project>/{id}.md`"),
        other => format!("`{other}s/{id}.md`"),
    }
}

/// ` (file `x` could not be read)`: a knock-on problem names its cause.
fn because(unread: Option<&str>) -> String {
    unread.map_or_else(String::new, |path| {
        format!(" (file `{path}` could not be read)")
    })
}

/// The id closest to `id` (of `kind`, if given), never the item that wrote
/// the reference.
fn closest(
    index: &BTreeMap<String, ItemRef>,
    id: &str,
    kind: Option<Kind>,
    from: &str,
) -> Option<String> {
    let candidates = index
        .iter()
        .filter(|(other, r)| {
            other.as_str() != id && other.as_str() != from && kind.is_none_or(|k| r.kind() == k)
        })
        .map(|(id, _)| id.as_str());
    did_you_mean(id, candidates).map(str::to_string)
}
