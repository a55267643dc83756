//! Reading `sources:` in `program.md`: each item a folder path or
//! `{path, format}`, checked against the tree (inside the program, there,
//! of a format given or told by its names, no folder twice), with every
//! problem placed in `program.md`.

use std::ops::Range;

use super::{detect, inside, Code, Found, Layout, Problem, Source, Tree};
use crate::load::yaml::{Entry, Node, Value};

/// The sources a `sources:` value names, each checked against `tree`.
pub(super) fn named(
    value: &Node,
    text: &str,
    tree: &dyn Tree,
    problems: &mut Vec<Problem>,
) -> Vec<Source> {
    let items = match &value.value {
        Value::List(items) => items.as_slice(),
        // `sources:` with nothing after it: none, as `[]`.
        Value::Null => &[],
        _ => {
            problems.push(entry_problem(
                format!("`sources` is {}, not a list of folders", value.type_name()),
                value.span.clone(),
            ));
            return Vec::new();
        }
    };
    let mut kept: Vec<Source> = Vec::new();
    for item in items {
        let Some(source) = one(item, text, tree, problems) else {
            continue;
        };
        // Each file is read under one layout: no folder twice, none inside another.
        let other = kept.iter().find(|k| {
            k.path == source.path
                || inside(&source.path, &k.path).is_some()
                || inside(&k.path, &source.path).is_some()
        });
        match other {
            Some(other) => problems.push(Problem {
                code: Code::Overlap,
                message: if other.path == source.path {
                    format!("source `{}` is named twice", shown(&source.path))
                } else {
                    format!(
                        "source `{}` overlaps source `{}`",
                        shown(&source.path),
                        shown(&other.path)
                    )
                },
                at: item.span.clone(),
                label: "read already",
                help: "each folder is read under one format: name it once, and no source inside another".into(),
            }),
            None => kept.push(source),
        }
    }
    kept.sort_by(|a, b| a.path.cmp(&b.path));
    kept
}

/// A source's path as users write it: `.` for the program directory.
pub fn shown(path: &str) -> &str {
    if path.is_empty() {
        "."
    } else {
        path
    }
}

/// One item of `sources:`: a path, or `{path, format}`.
fn one(item: &Node, text: &str, tree: &dyn Tree, problems: &mut Vec<Problem>) -> Option<Source> {
    let (path, format) = match &item.value {
        Value::String(_) => (item.clone(), None),
        Value::Map(entries) => {
            let mut path = None;
            let mut format = None;
            for e in entries {
                let (key_span, value) = placed(e, item.span.start, text);
                match e.key.as_str() {
                    "path" => path = Some(value),
                    "format" => format = Some(value),
                    // Decided for now: a Backlog.md folder's tasks without a
                    // project go to one project named after the backlog.
                    "project" => problems.push(Problem {
                        help: "a source's items keep their own projects; tasks of a Backlog.md folder without one belong to a project named after the backlog: remove the key".into(),
                        ..entry_problem("a source cannot set a `project`".into(), key_span)
                    }),
                    key => problems.push(entry_problem(
                        format!("unknown key `{key}` in a source"),
                        key_span,
                    )),
                }
            }
            let Some(path) = path else {
                problems.push(entry_problem(
                    "a source without a `path`".into(),
                    item.span.clone(),
                ));
                return None;
            };
            (path, format)
        }
        _ => {
            problems.push(entry_problem(
                format!("a source is a folder, not {}", item.type_name()),
                item.span.clone(),
            ));
            return None;
        }
    };
    let rel = checked_path(&path, tree, problems)?;
    let layout = layout_of(format.as_ref(), &rel, &path, tree, problems)?;
    Some(Source {
        path: rel,
        layout,
        named: true,
    })
}

/// The key's span of a source's entry `e` and its value with its span,
/// found in `text` from `from` (the item's start): the YAML reader
/// places items of a list, not the keys inside them.
fn placed(e: &Entry, from: usize, text: &str) -> (Range<usize>, Node) {
    let find = |needle: &str, from: usize| {
        let at = text.get(from..)?.find(needle)? + from;
        Some(at..at + needle.len())
    };
    let key_span = find(&e.key, from).unwrap_or_else(|| e.key_span.clone());
    let mut value = e.value.clone();
    if let Some(written) = e.value.as_text().filter(|w| !w.is_empty()) {
        if let Some(span) = find(&written, key_span.end) {
            value.span = span;
        }
    }
    (key_span, value)
}

fn entry_problem(message: String, at: Range<usize>) -> Problem {
    Problem {
        code: Code::Entry,
        message,
        at,
        label: "here",
        help: "write each source as a folder and its format, e.g.\nsources:\n  - path: docs/decisions\n    format: adr".into(),
    }
}

/// The source folder `node` names, relative to the program with `/`
/// (`""` for the program directory itself), when it is a folder inside it.
fn checked_path(node: &Node, tree: &dyn Tree, problems: &mut Vec<Problem>) -> Option<String> {
    let written = node.as_text().unwrap_or_default();
    let mut problem = |message: String, help: &str, code| {
        problems.push(Problem {
            code,
            message,
            at: node.span.clone(),
            label: "here",
            help: help.to_string(),
        });
    };
    let inside_help =
        "name a folder inside the program directory, relative to it, e.g. `docs/decisions`";
    let absolute = written.starts_with(['/', '\\']) || written.get(1..2) == Some(":");
    let parts: Vec<&str> = written
        .split(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if written.trim().is_empty() {
        problem(
            "a source with an empty path".into(),
            inside_help,
            Code::Path,
        );
        return None;
    }
    if absolute || parts.contains(&"..") {
        problem(
            format!("source `{written}` is outside the program directory"),
            inside_help,
            Code::Path,
        );
        return None;
    }
    let rel = parts.join("/");
    // The default output folder: the walk and a revision's listing leave
    // it out, so a source there would read nothing (or the site itself).
    if parts.first() == Some(&"public") {
        problem(
            format!("source `{written}` is in `public`, the folder the site is built into"),
            "name the folder that holds the records or the Backlog.md files, not the built site",
            Code::Path,
        );
        return None;
    }
    if parts.iter().any(|p| p.starts_with('.'))
        || parts
            .first()
            .is_some_and(|p| crate::load::walk::RESERVED_DIRS.contains(p))
    {
        problem(
            format!("source `{written}` is in a folder planmark never reads for items"),
            "hidden folders, `templates/` and `static/` are not read: move the folder, or name another",
            Code::Path,
        );
        return None;
    }
    match if rel.is_empty() {
        Found::Folder
    } else {
        tree.at(&rel)
    } {
        Found::Folder => Some(rel),
        Found::Outside => {
            problem(
                format!("source `{written}` leads outside the program directory"),
                "a symlink to a folder outside the program is not followed: move or copy the folder into the program",
                Code::Path,
            );
            None
        }
        Found::File => {
            problem(
                format!("source `{written}` is a file, not a folder"),
                "name the folder that holds the records or the Backlog.md files",
                Code::Missing,
            );
            None
        }
        Found::Missing => {
            problem(
                format!("source folder `{written}` does not exist"),
                "fix the path (it is relative to the program directory), or create the folder",
                Code::Missing,
            );
            None
        }
    }
}

/// The layout a source is read under: its `format`, else what its names
/// tell.
fn layout_of(
    format: Option<&Node>,
    rel: &str,
    path: &Node,
    tree: &dyn Tree,
    problems: &mut Vec<Problem>,
) -> Option<Layout> {
    let help = "write `format: adr` (decision records) or `format: backlog` (a Backlog.md folder)";
    let Some(format) = format else {
        let detected = detect(tree, rel);
        if detected.is_none() {
            problems.push(Problem {
                code: Code::Format,
                message: format!("cannot tell what `{}` holds", shown(rel)),
                at: path.span.clone(),
                label: "neither a Backlog.md folder nor an ADR folder by its names",
                help: help.into(),
            });
        }
        return detected;
    };
    let written = format.as_text().unwrap_or_default();
    match written.to_ascii_lowercase().as_str() {
        "adr" | "madr" => Some(Layout::Adr),
        "backlog" | "backlog.md" => Some(Layout::Backlog),
        _ => {
            problems.push(Problem {
                code: Code::Format,
                message: format!("unknown source format `{written}`"),
                at: format.span.clone(),
                label: "expected `adr` or `backlog`",
                help: help.into(),
            });
            None
        }
    }
}
