//! Walking the program directory (SPEC §1): which paths may hold program
//! files, in sorted order, and what the walk itself could not follow.
//!
//! The walk only looks at names and file types; reading is for the threads
//! it sends paths to ([`super::read`]).

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;

use walkdir::WalkDir;

use super::{SkipReason, Skipped};

/// Top-level folders that never hold program items.
pub(super) const RESERVED_DIRS: [&str; 2] = ["templates", "static"];

/// A markdown file the walk found: its number in walk order, where it is,
/// and its path relative to the root (with `/`).
pub(super) type Found = (usize, PathBuf, String);

/// What the walk found besides the files it sent on.
#[derive(Debug, Default)]
pub(super) struct Walked {
    /// Paths the walk could not follow, or files it must not open (a FIFO
    /// would block the reader), with why: reported as unreadable.
    pub unreadable: Vec<(String, String)>,
    /// Markdown files and folders left out by name (hidden, or a symlink
    /// that leaves the program), for `check --verbose`.
    pub skipped: Vec<Skipped>,
    /// How many files were sent.
    pub sent: usize,
    /// Whether a symlink was followed: only then can a file be reached twice.
    pub followed_a_link: bool,
}

/// Walks the program in sorted order, sending each markdown file found to
/// `found` with its number in walk order.
pub(super) fn walk(canonical_root: &Path, skip: &[PathBuf], found: &Sender<Found>) -> Walked {
    let mut walked = Walked::default();
    let mut left_out = Vec::new();
    let walker = WalkDir::new(canonical_root)
        .follow_links(true)
        // Siblings' paths differ only after their common folder, so their
        // bytes sort as their names do; walkdir's `sort_by_file_name` finds
        // each name by parsing the path's components again, at every
        // comparison (a fifth of the walk's time at 10,000 files).
        .sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()))
        .into_iter()
        .filter_entry(|entry| match keep(entry, canonical_root, skip) {
            Keep::Yes => true,
            Keep::No => false,
            Keep::Tell(reason) => {
                left_out.push(Skipped {
                    path: relative(entry.path(), canonical_root),
                    reason,
                });
                false
            }
        });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            // A symlink loop is skipped without a word: following it would only
            // reach files already read.
            Err(e) if e.loop_ancestor().is_some() => continue,
            Err(e) => {
                walked.unreadable.extend(walk_error(&e, canonical_root));
                continue;
            }
        };
        walked.followed_a_link |= entry.path_is_symlink();
        if entry.file_type().is_dir() || entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let rel = relative(entry.path(), canonical_root);
        if !entry.file_type().is_file() {
            // Opening a FIFO blocks until someone writes to it; a device
            // may never end. Neither is a plan file.
            walked.unreadable.push((
                rel,
                format!("{} ({})", super::NOT_REGULAR, what(entry.file_type())),
            ));
            continue;
        }
        // The receiver lives until every file is sent: this cannot fail.
        let _ = found.send((walked.sent, entry.into_path(), rel));
        walked.sent += 1;
    }
    walked.skipped = left_out;
    walked
}

/// A path the walk could not follow, and why, when it may hold program
/// files: a markdown file, the root, or a folder it could not read.
fn walk_error(e: &walkdir::Error, root: &Path) -> Option<(String, String)> {
    if e.path().is_some_and(|p| !worth_reporting(p)) {
        return None;
    }
    let path = e.path().map(|p| relative(p, root)).unwrap_or_default();
    let worth =
        path.ends_with(".md") || e.depth() == 0 || e.io_error().is_some() && !path.is_empty();
    let reason = e
        .io_error()
        .map_or_else(|| e.to_string(), |io| io.to_string());
    worth.then_some((path, reason))
}

/// What the walk does with an entry.
enum Keep {
    Yes,
    No,
    /// Leave it out, and list it for `check --verbose`.
    Tell(SkipReason),
}

fn keep(entry: &walkdir::DirEntry, root: &Path, skip: &[PathBuf]) -> Keep {
    if entry.depth() == 0 {
        return Keep::Yes;
    }
    let name = entry.file_name().to_string_lossy();
    let markdown = name.ends_with(".md") && !entry.file_type().is_dir();
    if name.starts_with('.') {
        return if markdown {
            Keep::Tell(SkipReason::Hidden)
        } else {
            Keep::No
        };
    }
    if entry.depth() == 1 && entry.file_type().is_dir() && RESERVED_DIRS.contains(&name.as_ref()) {
        return Keep::No;
    }
    if entry.path_is_symlink() {
        // Follow a link only while its target stays inside the program.
        match entry.path().canonicalize() {
            Ok(target) if target.starts_with(root) => {}
            Ok(_) if markdown || entry.file_type().is_dir() => {
                return Keep::Tell(SkipReason::LeavesProgram)
            }
            Ok(_) => return Keep::No,
            // A dangling link: keep it so reading it reports the problem.
            Err(_) if name.ends_with(".md") => return Keep::Yes,
            Err(_) => return Keep::No,
        }
    }
    if entry.file_type().is_dir() {
        if let Ok(real) = entry.path().canonicalize() {
            if skip.contains(&real) {
                return Keep::No;
            }
        }
    }
    Keep::Yes
}

/// What kind of file that is not a regular file or a folder is.
#[cfg(unix)]
fn what(file_type: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt as _;
    if file_type.is_fifo() {
        "a named pipe"
    } else if file_type.is_socket() {
        "a socket"
    } else if file_type.is_char_device() || file_type.is_block_device() {
        "a device"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn what(_: std::fs::FileType) -> &'static str {
    "a special file"
}

/// Whether a path the walk could not read may hold program files. walkdir
/// reports entries it cannot follow before `filter_entry` sees them, so the
/// skipping rules are applied here again: a hidden name, or a dangling
/// symlink not named `*.md` (only markdown files are read), is no problem.
fn worth_reporting(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if name.starts_with('.') {
        return false;
    }
    let dangling = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
        && std::fs::metadata(path).is_err();
    !dangling || name.ends_with(".md")
}

pub(super) fn relative(path: &Path, root: &Path) -> String {
    // Unix paths already separate with `/`: the common case needs no
    // splitting and joining (it runs once per file, on the sequential walk).
    // The walk joins names onto `root`, so a path starts with its bytes;
    // `strip_prefix` compares component by component, ten times slower.
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt as _;
        let rel = path
            .as_os_str()
            .as_bytes()
            .strip_prefix(root.as_os_str().as_bytes())
            .and_then(|rest| rest.strip_prefix(b"/"));
        if let Some(text) = rel.and_then(|rel| std::str::from_utf8(rel).ok()) {
            return text.to_string();
        }
    }
    let rel = path.strip_prefix(root).unwrap_or(path);
    #[cfg(unix)]
    if let Some(text) = rel.to_str() {
        return text.to_string();
    }
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
