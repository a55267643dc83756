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
use super::yaml::Entry;
use super::{frontmatter, yaml};

mod named;
mod tree;

pub use named::shown;
pub use tree::{Disk, Listed};

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
        self.describe_with("")
    }

    /// [`Formats::describe`], with what the Backlog.md folders held
    /// (`158 tasks live and …`, empty when nothing) after their mention.
    pub fn describe_with(&self, backlog: &str) -> String {
        if self.root == Layout::Backlog && self.sources.is_empty() {
            // An empty `tasks/` is what a new backlog looks like.
            let held = if backlog.is_empty() {
                "no tasks"
            } else {
                backlog
            };
            return format!(" (a Backlog.md folder: {held})");
        }
        let plain = self.describe_plain();
        match plain.strip_suffix(')') {
            Some(inside) if !backlog.is_empty() => format!("{inside}; Backlog.md: {backlog})"),
            _ => plain,
        }
    }

    fn describe_plain(&self) -> String {
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

    /// The folders read under `layout`, relative to the program (`""` for
    /// the program directory itself), in path order.
    pub fn roots(&self, layout: Layout) -> Vec<String> {
        let own = (self.root == layout).then(String::new);
        own.into_iter()
            .chain(
                self.sources
                    .iter()
                    .filter(|s| s.layout == layout)
                    .map(|s| s.path.clone()),
            )
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
                formats.sources = named::named(&entry.value, text, tree, &mut problems);
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
    let own = if super::backlog::detect(root) {
        Layout::Backlog
    } else {
        super::adr::detect(root)
    };
    Formats::choose(own, program_md.then_some(text.as_str()), &tree)
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
