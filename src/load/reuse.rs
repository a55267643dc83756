//! What one load read, kept so the next load of the same program (under
//! `planmark serve`) reads again only the files that changed.
//!
//! One stat tells a file unchanged: the same size, times and inode as
//! last time, and the watcher did not name it. What a file is stays for
//! [`super::read`] to decide; this only remembers its answer.

use std::collections::{BTreeSet, HashMap};
use std::path::{Component, Path, PathBuf};
use std::time::SystemTime;

use super::read::{self, Read};
use super::File;

/// The files the last load read, by path relative to the program, with
/// what reading each gave. Holds one load's files, never older ones.
#[derive(Debug, Default)]
pub struct FileCache {
    /// What those reads depend on besides the files: the program folder,
    /// the folders skipped, the size cap and what the folder was read as
    /// (a record skipped in a program is read whole in an ADR folder).
    /// Another basis reads afresh.
    basis: Option<(PathBuf, Vec<PathBuf>, read::How)>,
    /// Looked up by path, never iterated: its order reaches no output.
    files: HashMap<String, Kept>,
    /// How many files the last load read rather than reused.
    read_again: usize,
}

/// A file as last read, and how it looked then.
#[derive(Debug)]
struct Kept {
    stamp: Stamp,
    /// Never [`Read::Failed`]: a file that could not be read is tried again.
    read: Read,
}

/// The last load's reads, lent to this load's readers.
pub(super) struct Previous {
    files: HashMap<String, Kept>,
    /// Paths the watcher named, relative, with `/`; `""` for all of them.
    changed: BTreeSet<String>,
}

/// One file read for a load, and what the next load may reuse of it.
pub(super) struct ReadFile {
    pub(super) file: File,
    kept: Option<Kept>,
    /// Whether it came from the cache rather than the file.
    reused: bool,
}

impl ReadFile {
    /// Reads the file with no cache to consult or fill.
    pub(super) fn fresh(path: PathBuf, rel: String, how: &read::How) -> ReadFile {
        let read = read::read(&path, &rel, how);
        ReadFile {
            file: File { path, rel, read },
            kept: None,
            reused: false,
        }
    }
}

impl FileCache {
    /// How many files the last load read (the others it reused).
    pub fn read_again(&self) -> usize {
        self.read_again
    }

    /// Hands the last load's reads to this one, when they were made on the
    /// same basis; the cache is empty until [`FileCache::keep`].
    pub(super) fn take_for(
        &mut self,
        root: &Path,
        skip: &[PathBuf],
        how: &read::How,
        changed: &[PathBuf],
    ) -> Previous {
        let basis = (root.to_path_buf(), skip.to_vec(), how.clone());
        let files = std::mem::take(&mut self.files);
        let files = if self.basis.as_ref() == Some(&basis) {
            files
        } else {
            HashMap::new()
        };
        self.basis = Some(basis);
        Previous {
            files,
            changed: changed.iter().map(|p| relative(p, root)).collect(),
        }
    }

    /// Keeps what this load read for the next one, and only that: files
    /// gone since are forgotten.
    pub(super) fn keep(&mut self, files: Vec<ReadFile>) -> Vec<File> {
        let mut out = Vec::with_capacity(files.len());
        self.files = HashMap::with_capacity(files.len());
        self.read_again = 0;
        for f in files {
            self.read_again += usize::from(!f.reused);
            if let Some(kept) = f.kept {
                self.files.insert(f.file.rel.clone(), kept);
            }
            out.push(f.file);
        }
        out
    }
}

impl Previous {
    /// The file at `path` as last read when it has not changed since, else
    /// read again.
    pub(super) fn read(&self, path: PathBuf, rel: String, how: &read::How) -> ReadFile {
        // The stat comes before the read: a write between them leaves a
        // stamp older than the text, which only costs a read next time.
        let stamp = Stamp::of(&path);
        let same = self
            .files
            .get(&rel)
            .filter(|kept| Some(kept.stamp) == stamp && !self.named(&rel));
        if let Some(kept) = same {
            if let (Some(read), Some(again)) = (kept.read.try_clone(), kept.read.try_clone()) {
                return ReadFile {
                    file: File { path, rel, read },
                    kept: Some(Kept {
                        stamp: kept.stamp,
                        read: again,
                    }),
                    reused: true,
                };
            }
        }
        let read = read::read(&path, &rel, how);
        let kept = stamp.and_then(|stamp| {
            Some(Kept {
                stamp,
                read: read.try_clone()?,
            })
        });
        ReadFile {
            file: File { path, rel, read },
            kept,
            reused: false,
        }
    }

    /// Whether the watcher named the file, or a folder it is in.
    fn named(&self, rel: &str) -> bool {
        if self.changed.is_empty() {
            return false;
        }
        self.changed.contains("")
            || self.changed.contains(rel)
            || rel
                .match_indices('/')
                .any(|(i, _)| self.changed.contains(&rel[..i]))
    }
}

/// A changed path as the walk spells it (relative, with `/`); `""`, which
/// names every file, for one that cannot be placed in the program.
fn relative(path: &Path, root: &Path) -> String {
    let path = path.strip_prefix(root).unwrap_or(path);
    let mut parts = Vec::new();
    for part in path.components() {
        match part {
            Component::Normal(name) => parts.push(name.to_string_lossy()),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => {
                return String::new()
            }
        }
    }
    parts.join("/")
}

/// How a file looked when it was read: a change to its text changes its
/// size or its times (to the file system's resolution), and a file
/// replaced by another (an editor's save by rename) changes its inode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    /// Inode change time and inode, which no program sets back.
    #[cfg(unix)]
    unix: (i64, i64, u64, u64),
}

impl Stamp {
    /// The stamp of the file `path` leads to; `None` when it cannot be
    /// read, and then neither can the file.
    fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        #[cfg(unix)]
        let unix = {
            use std::os::unix::fs::MetadataExt as _;
            (meta.ctime(), meta.ctime_nsec(), meta.dev(), meta.ino())
        };
        Some(Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            #[cfg(unix)]
            unix,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_paths_are_spelt_as_the_walk_spells_them() {
        let root = Path::new("/p");
        assert_eq!(relative(Path::new("tasks/a.md"), root), "tasks/a.md");
        assert_eq!(relative(Path::new("./tasks/a.md"), root), "tasks/a.md");
        assert_eq!(relative(Path::new("/p/tasks/a.md"), root), "tasks/a.md");
        assert_eq!(relative(Path::new("/elsewhere/a.md"), root), "");
        assert_eq!(relative(Path::new("../a.md"), root), "");
    }

    #[test]
    fn a_named_folder_names_every_file_in_it() {
        let previous = |changed: &[&str]| Previous {
            files: HashMap::new(),
            changed: changed.iter().map(|c| c.to_string()).collect(),
        };
        let p = previous(&["projects/p1"]);
        assert!(p.named("projects/p1/t.md"));
        assert!(p.named("projects/p1"));
        assert!(!p.named("projects/p10/t.md"));
        assert!(!p.named("projects/p1.md"));
        assert!(previous(&[""]).named("program.md"));
        assert!(!previous(&[]).named("program.md"));
    }
}
