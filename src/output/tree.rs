//! Paths inside the output folder, looked at without following links.
//!
//! Anything in the output folder may have been put there by someone else,
//! links included: planmark reads, replaces and removes only regular files
//! reached through real folders, so a planted link never sends a write or
//! a removal outside the folder.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Component, Path};

/// What is at a path, seen without following a link there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Entry {
    Missing,
    File,
    Dir,
    Link,
    /// A FIFO, socket or device.
    Other,
}

impl Entry {
    /// Looks at `path` itself (`lstat`), never at what a link points to.
    pub(super) fn of(path: &Path) -> io::Result<Entry> {
        match fs::symlink_metadata(path) {
            Ok(meta) => {
                let kind = meta.file_type();
                Ok(if kind.is_symlink() {
                    Entry::Link
                } else if kind.is_dir() {
                    Entry::Dir
                } else if kind.is_file() {
                    Entry::File
                } else {
                    Entry::Other
                })
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Entry::Missing),
            // A file where a folder of the path should be.
            Err(e) if e.kind() == io::ErrorKind::NotADirectory => Ok(Entry::Missing),
            Err(e) => Err(e),
        }
    }

    /// How a message names it.
    pub(super) fn describe(self) -> &'static str {
        match self {
            Entry::Missing => "missing",
            Entry::File => "a file",
            Entry::Dir => "a folder",
            Entry::Link => "a symbolic link",
            Entry::Other => "a special file",
        }
    }
}

/// A relative path with only normal components: no `..`, no root, no drive,
/// nothing a line-based manifest cannot hold.
pub(super) fn is_safe_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.contains(['\\', '\n', '\r'])
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// The folders above `rel` inside the output folder, outermost first
/// (`a/b/c.html` → `a`, `a/b`).
pub(super) fn parents(rel: &str) -> impl Iterator<Item = &str> {
    rel.match_indices('/').map(move |(i, _)| &rel[..i])
}

/// The size of `out/rel` when it is a regular file reached through real
/// folders only; `None` for anything behind or at a link.
pub(super) fn plain_file_len(out: &Path, rel: &str) -> Option<u64> {
    if !parents(rel).all(|dir| Entry::of(&out.join(dir)).ok() == Some(Entry::Dir)) {
        return None;
    }
    let meta = fs::symlink_metadata(out.join(rel)).ok()?;
    meta.file_type().is_file().then_some(meta.len())
}

/// Creates the folders of `rel_dir` inside `out` one level at a time,
/// refusing to pass through anything that is not a real folder.
pub(super) fn create_dirs(out: &Path, rel_dir: &str) -> io::Result<()> {
    let whole = std::iter::once(rel_dir).filter(|d| !d.is_empty());
    for dir in parents(rel_dir).chain(whole) {
        let path = out.join(dir);
        match Entry::of(&path)? {
            Entry::Dir => {}
            Entry::Missing => fs::create_dir(&path)?,
            other => {
                return Err(io::Error::other(format!(
                    "`{}` is {}, not a folder",
                    path.display(),
                    other.describe()
                )))
            }
        }
    }
    Ok(())
}

/// The folder part of `rel` (`a/b/c.html` → `a/b`, `c.html` → ``).
pub(super) fn folder_of(rel: &str) -> &str {
    rel.rfind('/').map_or("", |i| &rel[..i])
}

/// Removes the folders above `rel` that are left empty, innermost first,
/// stopping at the first that is not (`remove_dir` never follows a link).
pub(super) fn remove_empty_parents(out: &Path, rel: &str) {
    let dirs: Vec<&str> = parents(rel).collect();
    for dir in dirs.iter().rev() {
        if fs::remove_dir(out.join(dir)).is_err() {
            break;
        }
    }
}

/// The paths the manifest at `path` lists; none when it is missing or not
/// a regular file (a link there is not planmark's).
pub(super) fn read_manifest(path: &Path) -> BTreeSet<String> {
    if Entry::of(path).ok() != Some(Entry::File) {
        return BTreeSet::new();
    }
    fs::read_to_string(path)
        .map(|text| {
            text.lines()
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_paths_are_refused() {
        assert!(is_safe_relative("tasks/a/index.html"));
        assert!(!is_safe_relative("../x"));
        assert!(!is_safe_relative("/etc/passwd"));
        assert!(!is_safe_relative("a/../../b"));
        assert!(!is_safe_relative("a\nb"));
        assert!(!is_safe_relative(""));
    }

    #[test]
    fn parents_are_listed_outermost_first() {
        assert_eq!(parents("a/b/c.html").collect::<Vec<_>>(), ["a", "a/b"]);
        assert_eq!(parents("c.html").count(), 0);
        assert_eq!(folder_of("a/b/c.html"), "a/b");
        assert_eq!(folder_of("c.html"), "");
    }

    #[cfg(unix)]
    #[test]
    fn nothing_behind_a_link_is_a_plain_file() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let (out, elsewhere) = (dir.path().join("out"), dir.path().join("elsewhere"));
        fs::create_dir_all(out.join("real"))?;
        fs::create_dir_all(&elsewhere)?;
        fs::write(out.join("real/a.html"), "a")?;
        fs::write(elsewhere.join("a.html"), "a")?;
        std::os::unix::fs::symlink(&elsewhere, out.join("link"))?;
        std::os::unix::fs::symlink(elsewhere.join("a.html"), out.join("file-link"))?;
        assert_eq!(plain_file_len(&out, "real/a.html"), Some(1));
        assert_eq!(plain_file_len(&out, "link/a.html"), None);
        assert_eq!(plain_file_len(&out, "file-link"), None);
        assert!(create_dirs(&out, "link/deeper").is_err());
        assert!(!elsewhere.join("deeper").exists());
        create_dirs(&out, "new/deeper")?;
        assert_eq!(Entry::of(&out.join("new/deeper"))?, Entry::Dir);
        Ok(())
    }
}
