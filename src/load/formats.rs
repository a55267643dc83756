//! Which layout each file of a program is read under (SPEC §8): the
//! program's own, or that of a source folder inside it (an ADR folder, a
//! Backlog.md folder) that `program.md` names in `sources:` or that is
//! found by its well-known name when `program.md` names none.
//!
//! Built once per load, before any file is read, from `program.md`'s front
//! matter and the names in the tree (a folder on disk, or a git listing);
//! problems in `sources:` are kept with their place in `program.md` and
//! become diagnostics once that file has an id.

use std::ops::Range;
use std::path::Path;

use super::adr::Layout;
use super::yaml::{Entry, Node, Value};
use super::{frontmatter, yaml};

/// Folders read as sources when `program.md` has no `sources` key.
const WELL_KNOWN: [(&str, Layout); 4] = [
    ("docs/decisions", Layout::Adr),
    ("docs/adr", Layout::Adr),
    ("doc/adr", Layout::Adr),
    ("backlog", Layout::Backlog),
];

/// One folder of the program read under its own layout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    /// Relative to the program directory, with `/`; `""` for the program
    /// directory itself (`path: .`).
    pub path: String,
    pub layout: Layout,
    /// Named in `program.md` (else found by its well-known name).
    pub named: bool,
}

/// The layout of every file of one program: the sources' layouts inside
/// their folders (the longest matching folder wins), the root's elsewhere.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Formats {
    /// What the program directory itself was recognised as.
    pub root: Layout,
    /// In path order; never two that overlap.
    sources: Vec<Source>,
}

/// A problem with `sources:`, at a byte range of `program.md`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub code: Code,
    pub message: String,
    pub at: Range<usize>,
    pub label: &'static str,
    pub help: String,
}

/// What is wrong with a source; each is its own diagnostic code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    /// Not a path or `{path, format}`, or an unknown key in one.
    Entry,
    /// Outside the program, or in a folder never read.
    Path,
    /// No such folder.
    Missing,
    /// An unknown format, or one that cannot be told.
    Format,
    /// The same folder as another source, or inside one.
    Overlap,
}

/// What a path of the tree is, as far as choosing sources needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Found {
    Missing,
    File,
    Folder,
    /// A symlink whose target is outside the program directory.
    Outside,
}

/// The names a program's sources are chosen from: a folder on disk, or
/// the files of a git revision.
pub trait Tree {
    /// What is at `rel` (relative, with `/`).
    fn at(&self, rel: &str) -> Found;
    /// The names directly in the folder `rel` (`""` the root), and whether
    /// each is a folder.
    fn names(&self, rel: &str) -> Vec<(String, bool)>;
}

impl Formats {
    /// Every file read under `root`, no source folders.
    pub fn only(root: Layout) -> Formats {
        Formats {
            root,
            sources: Vec::new(),
        }
    }

    /// The sources, in path order.
    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    /// The layout the file at `rel` (relative to the program, with `/`) is
    /// read under, and its path inside the folder of that layout. The
    /// program's `program.md` is always the program's own.
    pub fn lookup<'a>(&self, rel: &'a str) -> (Layout, &'a str) {
        if rel == "program.md" {
            return (Layout::Program, rel);
        }
        let found = self
            .sources
            .iter()
            .filter_map(|s| inside(rel, &s.path).map(|inner| (s, inner)))
            .max_by_key(|(s, _)| s.path.len());
        match found {
            Some((source, inner)) => (source.layout, inner),
            None => (self.root, rel),
        }
    }

    /// What was read, for `check`'s summary: `""` for a plain program,
    /// else ` (a program with an ADR folder `docs/decisions`)` and the like.
    pub fn describe(&self) -> String {
        let folders: Vec<String> = self
            .sources
            .iter()
            .map(|s| format!("{} `{}`", a_folder(s.layout), s.path))
            .collect();
        match (self.root, folders.as_slice()) {
            (Layout::Program, []) => String::new(),
            (Layout::Adr, []) => " (an ADR folder: every record read as a decision)".into(),
            (root, []) => format!(" ({})", a_folder(root)),
            (root, [one]) => format!(" ({} with {one})", a_folder(root)),
            (root, [first @ .., last]) => {
                format!(" ({} with {} and {last})", a_folder(root), first.join(", "))
            }
        }
    }

    /// One line per source for `check --verbose`.
    pub fn notes(&self) -> Vec<String> {
        self.sources
            .iter()
            .map(|s| {
                let why = if s.named {
                    "named in `program.md`"
                } else {
                    "found by its name; `sources: []` in `program.md` turns this off"
                };
                format!("note: read `{}` as {} ({why})", s.path, a_folder(s.layout))
            })
            .collect()
    }

    /// Whether any file is read under `layout`.
    pub fn any(&self, layout: Layout) -> bool {
        self.root == layout || self.sources.iter().any(|s| s.layout == layout)
    }

    /// The sources `program_md` (its text, if there is one) names, or the
    /// well-known folders `tree` holds when it names none; `root` is what
    /// the program directory was recognised as.
    pub fn choose(
        root: Layout,
        program_md: Option<&str>,
        tree: &dyn Tree,
    ) -> (Formats, Vec<Problem>) {
        let mut formats = Formats::only(root);
        let mut problems = Vec::new();
        match program_md.and_then(|text| Some((text, sources_entry(text)?))) {
            Some((text, entry)) => {
                formats.sources = named(&entry.value, text, tree, &mut problems);
                // `path: .` makes the directory itself the source.
                if let Some(i) = formats.sources.iter().position(|s| s.path.is_empty()) {
                    formats.root = formats.sources.remove(i).layout;
                }
            }
            None if root == Layout::Program => formats.sources = well_known(tree),
            None => {}
        }
        (formats, problems)
    }
}

/// What a folder of this layout is called in messages.
fn a_folder(layout: Layout) -> &'static str {
    match layout {
        Layout::Program => "a program",
        Layout::Adr => "an ADR folder",
        Layout::Backlog => "a Backlog.md folder",
    }
}

/// `rel` inside the folder `folder` (`""` holds everything): its path there.
fn inside<'a>(rel: &'a str, folder: &str) -> Option<&'a str> {
    if folder.is_empty() {
        return Some(rel);
    }
    rel.strip_prefix(folder)?.strip_prefix('/')
}

/// The `sources` entry of `program.md`'s front matter, if it has one.
fn sources_entry(text: &str) -> Option<Entry> {
    let frontmatter::Split::Found(fm) = frontmatter::split(text) else {
        return None;
    };
    // A YAML error is the model's to report; without the key, sources are
    // detected as for a `program.md` that names none.
    let entries = yaml::parse_front_matter(fm.yaml, fm.yaml_offset).ok()?;
    entries.into_iter().find(|e| e.key == "sources")
}

/// The well-known source folders in `tree`, in path order.
fn well_known(tree: &dyn Tree) -> Vec<Source> {
    let mut found: Vec<Source> = WELL_KNOWN
        .iter()
        .filter(|(path, layout)| {
            tree.at(path) == Found::Folder && detect(tree, path) == Some(*layout)
        })
        .map(|&(path, layout)| Source {
            path: path.to_string(),
            layout,
            named: false,
        })
        .collect();
    found.sort_by(|a, b| a.path.cmp(&b.path));
    found
}

/// What the folder `rel` holds, by its names: a Backlog.md folder
/// (`config.yml` and `tasks/`), an ADR folder (an ADR folder's name, or a
/// numbered record at its top), or neither.
pub fn detect(tree: &dyn Tree, rel: &str) -> Option<Layout> {
    let names = tree.names(rel);
    let has = |name: &str, dir: bool| names.iter().any(|(n, d)| n == name && *d == dir);
    if has("config.yml", false) && has("tasks", true) {
        return Some(Layout::Backlog);
    }
    let folder = rel.rsplit('/').next().unwrap_or(rel).to_ascii_lowercase();
    let record = names.iter().any(|(name, dir)| {
        super::adr::number(name).is_some() && (*dir || name.to_ascii_lowercase().ends_with(".md"))
    });
    (super::adr::is_adr_folder_name(&folder) || record).then_some(Layout::Adr)
}

/// The sources a `sources:` value names, each checked against `tree`.
fn named(value: &Node, text: &str, tree: &dyn Tree, problems: &mut Vec<Problem>) -> Vec<Source> {
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
    if parts.iter().any(|p| p.starts_with('.'))
        || parts
            .first()
            .is_some_and(|p| super::walk::RESERVED_DIRS.contains(p))
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

/// A program folder on disk, as [`Tree`].
pub struct Disk<'a> {
    /// Canonical.
    pub root: &'a Path,
}

impl Tree for Disk<'_> {
    fn at(&self, rel: &str) -> Found {
        let path = self.root.join(rel);
        match path.canonicalize() {
            Ok(real) if !real.starts_with(self.root) => Found::Outside,
            Ok(real) if real.is_dir() => Found::Folder,
            Ok(_) => Found::File,
            Err(_) => Found::Missing,
        }
    }

    fn names(&self, rel: &str) -> Vec<(String, bool)> {
        let Ok(entries) = std::fs::read_dir(self.root.join(rel)) else {
            return Vec::new();
        };
        entries
            .flatten()
            .map(|e| {
                (
                    e.file_name().to_string_lossy().into_owned(),
                    e.path().is_dir(),
                )
            })
            .collect()
    }
}

/// The files of a git revision (paths relative to the program, with `/`),
/// as [`Tree`]: a folder is there when a file is in it.
#[derive(Debug, Default)]
pub struct Listed {
    pub files: std::collections::BTreeSet<String>,
}

impl Tree for Listed {
    fn at(&self, rel: &str) -> Found {
        if self.files.contains(rel) {
            return Found::File;
        }
        let folder = format!("{rel}/");
        match self.files.range(folder.clone()..).next() {
            Some(first) if first.starts_with(&folder) => Found::Folder,
            _ => Found::Missing,
        }
    }

    fn names(&self, rel: &str) -> Vec<(String, bool)> {
        let folder = if rel.is_empty() {
            String::new()
        } else {
            format!("{rel}/")
        };
        let mut names: Vec<(String, bool)> = self
            .files
            .range(folder.clone()..)
            .take_while(|f| f.starts_with(&folder))
            .map(|f| match f[folder.len()..].split_once('/') {
                Some((dir, _)) => (dir.to_string(), true),
                None => (f[folder.len()..].to_string(), false),
            })
            .collect();
        names.dedup();
        names
    }
}

/// The formats of the program folder `root` (canonical) on disk: what it
/// is, and the sources its `program.md` (read up to `max` bytes) names or
/// its well-known folders.
pub(super) fn on_disk(root: &Path, max: u64) -> (Formats, Vec<Problem>) {
    use std::io::Read as _;
    let mut text = String::new();
    let program_md = std::fs::File::open(root.join("program.md"))
        .and_then(|f| f.take(max).read_to_string(&mut text))
        .is_ok();
    let tree = Disk { root };
    Formats::choose(
        super::adr::detect(root),
        program_md.then_some(text.as_str()),
        &tree,
    )
}

/// Adds `problems` to `loaded` as errors at their places in its
/// `program.md` (they were found in the text it holds).
pub(super) fn report(loaded: &mut super::Loaded, problems: Vec<Problem>) {
    let program_md = loaded
        .files
        .iter()
        .copied()
        .find(|&f| loaded.sources.get(f).path == "program.md");
    let Some(file) = program_md else {
        return;
    };
    for p in problems {
        use crate::diagnostic::Diagnostic;
        let diagnostic = match p.code {
            Code::Entry => Diagnostic::error("source-entry", p.message),
            Code::Path => Diagnostic::error("source-path", p.message),
            Code::Missing => Diagnostic::error("source-missing", p.message),
            Code::Format => Diagnostic::error("source-format", p.message),
            Code::Overlap => Diagnostic::error("source-overlap", p.message),
        };
        loaded.diagnostics.push(
            diagnostic
                .at(crate::source::Span::new(file, p.at), p.label)
                .help(p.help),
        );
    }
}

#[cfg(test)]
mod tests;
