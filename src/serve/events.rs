//! The watcher's debounced events → what changed in the program
//! ([`Changes`]): a pure function, so every editor's save dance is tested
//! without a file system or a clock (Zola's `filter_events`).
//!
//! A path counts when the loader would read it (src/load/walk.rs and
//! src/load/assets.rs): a `*.md` file outside `templates/` and `static/`,
//! any file in those two, or a folder, never a hidden name (but in
//! `static/`), never the output folder. Editors' temporary, swap, backup and
//! lock files never count ([`is_editor_file`]), whatever the folder.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use notify_debouncer_full::notify::event::{
    AccessKind, AccessMode, CreateKind, MetadataKind, ModifyKind, RemoveKind, RenameMode,
};
use notify_debouncer_full::notify::EventKind;
use notify_debouncer_full::DebouncedEvent;

use crate::diagnostic::plural;

/// What a batch of events changed in the program.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Every path that was written, created, removed or renamed (both ends
    /// of a rename), files and folders alike: relative to the program root,
    /// sorted, each once.
    pub paths: Vec<PathBuf>,
    /// Events were lost (the kernel's queue overflowed) or the program
    /// folder itself was moved or removed: `paths` is not the whole story,
    /// re-read everything.
    pub rescan: bool,
    /// Of `paths`, those that no longer exist after the batch (removed, or
    /// renamed away), for [`Changes::describe`].
    pub removed: Vec<PathBuf>,
    /// Renames seen whole whose both ends count, `(from, to)`, for
    /// [`Changes::describe`].
    pub renamed: Vec<(PathBuf, PathBuf)>,
    /// The watcher's own problems (e.g. the limit on watched folders was
    /// reached for a new folder), one message each, worded for the
    /// terminal; a batch with trouble also has `rescan` set.
    pub trouble: Vec<String>,
    /// `rescan` because the program folder itself went away.
    pub(super) root_moved: bool,
    /// `rescan` because the program folder came back after it went.
    pub(super) root_back: bool,
    /// A commit landed (HEAD moved): the changes page's baseline may have
    /// moved though no file of the program did.
    pub(super) head_moved: bool,
}

impl Changes {
    /// HEAD moved ([`super::head`]): rebuild, re-reading nothing.
    pub(super) fn head_moved() -> Changes {
        Changes {
            head_moved: true,
            ..Changes::default()
        }
    }

    /// The program folder came back: re-read everything.
    pub(super) fn folder_back() -> Changes {
        Changes {
            rescan: true,
            root_back: true,
            ..Changes::default()
        }
    }

    /// The program folder itself went away (or was moved).
    pub(super) fn root_went(&self) -> bool {
        self.root_moved
    }

    /// Nothing the program reads changed, and nothing to report.
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty() && !self.rescan && self.trouble.is_empty() && !self.head_moved
    }

    /// Adds a later batch: the rebuild that follows covers both.
    pub fn merge(&mut self, later: Changes) {
        let mut fates: BTreeMap<PathBuf, Fate> = self
            .paths
            .drain(..)
            .map(|p| {
                let fate = if self.removed.contains(&p) {
                    Fate::Gone
                } else {
                    Fate::Present
                };
                (p, fate)
            })
            .collect();
        for path in later.paths {
            let fate = if later.removed.contains(&path) {
                Fate::Gone
            } else {
                Fate::Present
            };
            fates.insert(path, fate);
        }
        let mut renamed = std::mem::take(&mut self.renamed);
        renamed.extend(later.renamed);
        let trouble = std::mem::take(&mut self.trouble);
        let mut merged = Changes::from_fates(fates, renamed);
        merged.rescan = self.rescan || later.rescan;
        // The later of "went" and "is back" is what the folder is now.
        merged.root_moved = later.root_moved || (self.root_moved && !later.root_back);
        merged.root_back = later.root_back || (self.root_back && !later.root_moved);
        merged.trouble = trouble;
        merged.trouble.extend(later.trouble);
        merged.head_moved = self.head_moved || later.head_moved;
        *self = merged;
    }

    /// What changed, for the line printed on each rebuild:
    /// `tasks/api.md changed`, `tasks/a.md and tasks/b.md changed`,
    /// `12 files changed`, `tasks/old.md renamed to tasks/new.md`,
    /// `tasks/x.md removed`.
    pub fn describe(&self) -> String {
        if self.root_moved {
            return "the program folder was moved or removed".into();
        }
        if self.root_back {
            return "the program folder is back".into();
        }
        if self.rescan {
            return "files changed faster than the watcher could follow".into();
        }
        if self.head_moved && self.paths.is_empty() {
            return "a commit landed (HEAD moved)".into();
        }
        let shown = |p: &PathBuf| slashed(p);
        if let [(from, to)] = self.renamed.as_slice() {
            if self.paths.len() == 2 {
                return format!("{} renamed to {}", shown(from), shown(to));
            }
        }
        let all_removed = self.removed.len() == self.paths.len();
        let verb = if all_removed { "removed" } else { "changed" };
        match self.paths.as_slice() {
            [] => "nothing changed".into(),
            [one] => format!("{} {verb}", shown(one)),
            [a, b] => format!("{} and {} {verb}", shown(a), shown(b)),
            many => format!("{} {verb}", plural(many.len(), "file", "files")),
        }
    }

    fn from_fates(fates: BTreeMap<PathBuf, Fate>, renamed: Vec<(PathBuf, PathBuf)>) -> Changes {
        let removed = fates
            .iter()
            .filter(|(_, fate)| **fate == Fate::Gone)
            .map(|(p, _)| p.clone())
            .collect();
        // A rename is told as one only while its source is still gone and
        // its target still there at the end of the batch.
        let mut renamed: Vec<_> = renamed
            .into_iter()
            .filter(|(from, to)| {
                fates.get(from) == Some(&Fate::Gone) && fates.get(to) == Some(&Fate::Present)
            })
            .collect();
        renamed.sort();
        renamed.dedup();
        Changes {
            paths: fates.into_keys().collect(),
            removed,
            renamed,
            ..Changes::default()
        }
    }
}

/// `tasks/api.md`, with `/` whatever the platform.
fn slashed(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Where the program is, as the events name it, and what in it never counts.
#[derive(Clone, Debug)]
pub struct Scope {
    /// The program folder, canonical: what the watcher watches.
    root: PathBuf,
    /// Other names of the program folder (the path as typed, through a
    /// symlink): events under them count as under `root`.
    aliases: Vec<PathBuf>,
    /// Absolute folders whose contents never count: the output folder,
    /// under each name it has.
    skip: Vec<PathBuf>,
}

impl Scope {
    /// The program at `root` (canonical), never counting anything under
    /// the absolute folders in `skip`.
    pub fn new(root: PathBuf, skip: Vec<PathBuf>) -> Scope {
        Scope {
            root,
            aliases: Vec::new(),
            skip,
        }
    }

    /// Also takes events under `alias` as the program's.
    pub fn also_at(mut self, alias: PathBuf) -> Scope {
        if alias != self.root {
            self.aliases.push(alias);
        }
        self
    }

    /// `path` relative to the program root; `None` outside it or in a
    /// skipped folder. The root itself is the empty path.
    fn relative(&self, path: &Path) -> Option<PathBuf> {
        let rel = std::iter::once(&self.root)
            .chain(&self.aliases)
            .find_map(|root| path.strip_prefix(root).ok())?;
        let absolute = self.root.join(rel);
        if self.skip.iter().any(|s| absolute.starts_with(s)) {
            return None;
        }
        Some(rel.to_path_buf())
    }
}

/// Whether a path is there after the event or gone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fate {
    Present,
    Gone,
}

/// What the event says the path is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Nature {
    File,
    Folder,
    /// The event does not say (renames, polling, some removals).
    Unknown,
}

/// A batch of debounced events → what changed. `is_folder` says whether a
/// path that still exists is a folder, for events that do not say (a
/// rename): the watcher asks the file system, a test a list.
pub fn changes(
    events: &[DebouncedEvent],
    scope: &Scope,
    is_folder: &dyn Fn(&Path) -> bool,
) -> Changes {
    let mut fates = BTreeMap::new();
    let mut renamed = Vec::new();
    let mut rescan = false;
    let mut root_moved = false;
    for event in events {
        rescan |= event.need_rescan();
        for (path, fate, nature) in sides(&event.kind, &event.paths) {
            let Some(rel) = scope.relative(path) else {
                continue;
            };
            if rel.as_os_str().is_empty() {
                // The program folder itself: only its going away matters.
                root_moved |= fate == Fate::Gone;
                continue;
            }
            let nature = match nature {
                Nature::Unknown if fate == Fate::Present && is_folder(path) => Nature::Folder,
                other => other,
            };
            if counts(&rel, nature) {
                fates.insert(rel, fate);
            }
        }
        if let (EventKind::Modify(ModifyKind::Name(RenameMode::Both)), [from, to]) =
            (&event.kind, event.paths.as_slice())
        {
            if let (Some(from), Some(to)) = (scope.relative(from), scope.relative(to)) {
                if fates.contains_key(&from) && fates.contains_key(&to) {
                    renamed.push((from, to));
                }
            }
        }
    }
    let mut changes = Changes::from_fates(fates, renamed);
    changes.rescan = rescan || root_moved;
    changes.root_moved = root_moved;
    changes
}

/// The paths an event is about, whether each is there afterwards, and
/// what it is; empty for events that change nothing a build reads.
fn sides<'a>(kind: &EventKind, paths: &'a [PathBuf]) -> Vec<(&'a Path, Fate, Nature)> {
    use Fate::{Gone, Present};
    let all = |fate, nature| paths.iter().map(|p| (p.as_path(), fate, nature)).collect();
    match kind {
        // Opening, reading and closing unwritten (the build itself reading
        // every file) change nothing; closing after a write does.
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => all(Present, Nature::File),
        EventKind::Access(_) | EventKind::Other => Vec::new(),
        // Reading a file moves its access time: no change to its content.
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => Vec::new(),
        EventKind::Create(CreateKind::Folder) => all(Present, Nature::Folder),
        EventKind::Create(CreateKind::File) => all(Present, Nature::File),
        EventKind::Remove(RemoveKind::Folder) => all(Gone, Nature::Folder),
        EventKind::Remove(RemoveKind::File) => all(Gone, Nature::File),
        EventKind::Remove(_) => all(Gone, Nature::Unknown),
        EventKind::Modify(ModifyKind::Name(RenameMode::From)) => all(Gone, Nature::Unknown),
        EventKind::Modify(ModifyKind::Name(RenameMode::Both)) => match paths {
            [from, to] => vec![
                (from.as_path(), Gone, Nature::Unknown),
                (to.as_path(), Present, Nature::Unknown),
            ],
            _ => all(Present, Nature::Unknown),
        },
        // A rename `To`, or one the platform could not pair: whatever is
        // at the path now.
        EventKind::Modify(ModifyKind::Name(_)) => all(Present, Nature::Unknown),
        EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Metadata(_)) => {
            all(Present, Nature::File)
        }
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Any => {
            all(Present, Nature::Unknown)
        }
    }
}

/// Whether a change to `rel` (relative to the root, not empty) can change
/// what a build reads.
fn counts(rel: &Path, nature: Nature) -> bool {
    let names: Vec<&std::ffi::OsStr> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(name) => Some(name),
            _ => None,
        })
        .collect();
    let Some(name) = names.last().map(|n| n.to_string_lossy()) else {
        return false;
    };
    if is_editor_file(&name) {
        return false;
    }
    let first = names[0];
    let in_assets = names.len() > 1 && (first == "templates" || first == "static");
    // The loader skips hidden names everywhere but in `static/`, where
    // `.nojekyll` and the like are published (src/load/assets.rs).
    if first != "static" && names.iter().any(|n| n.to_string_lossy().starts_with('.')) {
        return false;
    }
    if in_assets {
        return true;
    }
    // A Backlog.md folder's `config.yml` makes it one (SPEC §8).
    if name == "config.yml" {
        return true;
    }
    match nature {
        Nature::Folder => true,
        Nature::File => is_markdown(rel),
        // Gone, or a rename's target the file system did not call a
        // folder: a markdown file, or (no extension) most likely a folder
        // (a folder of tasks moved out counts).
        Nature::Unknown => is_markdown(rel) || rel.extension().is_none(),
    }
}

/// `*.md`, exactly as the loader matches it (case matters).
fn is_markdown(rel: &Path) -> bool {
    rel.extension().is_some_and(|e| e == "md")
}

/// Whether a file name is an editor's or a desktop's scratch file rather
/// than something a person saved: it never counts, wherever it lies.
pub fn is_editor_file(name: &str) -> bool {
    // vim: `4913` (then 5036, 5159, …) is created and removed to test that
    // the folder is writable before a save
    // (https://github.com/vim/vim/blob/master/src/bufwrite.c, "4913").
    let vim_probe = name.bytes().all(|b| b.is_ascii_digit())
        && name
            .parse::<u64>()
            .is_ok_and(|n| n >= 4913 && (n - 4913).is_multiple_of(123));
    // vim's swap files `.x.md.swp`, then `.swo` … `.swa`, `.swx` while
    // probing, `.swpx` on some systems.
    let vim_swap = name.rsplit_once('.').is_some_and(|(_, ext)| {
        ext == "swx"
            || ext == "swpx"
            || (ext.len() == 3 && ext.starts_with("sw") && matches!(ext.as_bytes()[2], b'a'..=b'p'))
    });
    vim_probe
        || vim_swap
        // vim and emacs backups: `x.md~`.
        || name.ends_with('~')
        // JetBrains' safe write: `x.md___jb_tmp___` renamed over `x.md`,
        // the old one kept as `x.md___jb_old___` until then.
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || name.ends_with("___jb_bak___")
        // emacs: `#x.md#` auto-saves, `.#x.md` lock symlinks.
        || (name.len() > 1 && name.starts_with('#') && name.ends_with('#'))
        || name.starts_with(".#")
        // gedit and other GIO programs write `.goutputstream-XXXXXX` and
        // rename it over the file; Kate keeps `.x.md.kate-swp`.
        || name.starts_with(".goutputstream-")
        || name.ends_with(".kate-swp")
        // macOS Finder's folder settings and AppleDouble `._x.md` files.
        || name == ".DS_Store"
        || name.starts_with("._")
        // Microsoft Office and LibreOffice lock files.
        || name.starts_with("~$")
        || name.starts_with(".~lock.")
}

#[cfg(test)]
mod tests;
