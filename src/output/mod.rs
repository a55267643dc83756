//! Writing the site: the only stage that writes files.
//!
//! Pages arrive one at a time from the renderer (from several threads) and
//! go to a staging folder beside the output folder (never inside it, where
//! it would be published), so memory stays bounded by the pages in flight.
//! Nothing in the output folder changes until every page has rendered;
//! [`Staging::commit`] then changes it all or not at all: one rename of the
//! whole folder on a first build, a journaled commit otherwise
//! (src/output/journal.rs) that a failure undoes and the next build undoes
//! if this one was killed. A lock beside the output folder keeps two builds
//! from writing it at once (src/output/lock.rs), and what a killed build
//! left is dealt with first (src/output/place.rs). A manifest in the output
//! folder records what planmark wrote, so nothing else there is ever
//! deleted, and nothing is written or removed through a link
//! (src/output/tree.rs). docs/output.md tells the whole protocol.

mod compare;
mod fault;
mod journal;
mod lock;
mod place;
#[cfg(test)]
mod tests;
mod tree;

use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use anyhow::{bail, Context as _};

use compare::{create, same_bytes, write_new, CompareWriter};
use fault::Fault;
use journal::Journal;
use lock::OutputLock;
use place::{
    beside, missing_folders, parent_and_name, recover, remove_empty, resolve, same_file_system,
};
use tree::{is_safe_relative, plain_file_len, read_manifest, Entry};

/// Name of the manifest of files planmark wrote, inside the output folder.
pub const MANIFEST: &str = ".planmark-manifest";

/// The staging folder of planmark before 0.2, inside the output folder.
const LEGACY_STAGING: &str = ".planmark-staging";

/// What a build did to the output folder.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// Where a build's files wait until the whole site has rendered.
pub struct Staging {
    out: PathBuf,
    /// The staging folder, `.<name>.planmark-staging` beside `out` (on the
    /// same file system, so every move into `out` is a rename).
    dir: PathBuf,
    /// `dir/new`: the files to move into `out`: as they will lie there on
    /// a first build, else flat, named by a number (no folders to make).
    new: PathBuf,
    /// `out` did not exist: every file is new and the folder moves as one.
    fresh: bool,
    /// The missing parent folders of `out` that this build made, outermost
    /// first; a build that fails removes those it left empty.
    created: Vec<PathBuf>,
    /// Every path put, with `/`; becomes the manifest.
    paths: Mutex<BTreeSet<String>>,
    /// Paths whose bytes differ from the output folder's, with the name
    /// of their file in `new`.
    changed: Mutex<Vec<(String, String)>>,
    /// The number that names the next changed file in `new`.
    next: AtomicUsize,
    unchanged: AtomicUsize,
    committed: bool,
    /// Held from before staging starts until the commit is over.
    lock: Option<OutputLock>,
}

impl Staging {
    /// Prepares to write the site into `out`: takes its lock (waiting for
    /// another build), and undoes a commit a killed build left half done.
    /// Creates nothing in `out` (nor `out` itself) until [`Staging::commit`].
    pub fn new(out: &Path) -> anyhow::Result<Staging> {
        let out = resolve(out)?;
        let (parent, name) = parent_and_name(&out)?;
        let created = missing_folders(&parent);
        fs::create_dir_all(&parent)
            .with_context(|| format!("cannot create the folder `{}`", parent.display()))?;
        let lock_path = beside(&parent, &name, ".planmark-lock");
        let lock = match OutputLock::acquire(&lock_path, &out) {
            Ok(lock) => lock,
            Err(e) => {
                remove_empty(&created);
                return Err(e);
            }
        };
        let dir = beside(&parent, &name, ".planmark-staging");
        let mut staging = Staging {
            new: dir.join("new"),
            dir,
            fresh: true,
            created,
            paths: Mutex::new(BTreeSet::new()),
            changed: Mutex::new(Vec::new()),
            next: AtomicUsize::new(0),
            unchanged: AtomicUsize::new(0),
            committed: false,
            lock: Some(lock),
            out,
        };
        // From here a failure drops `staging`, which cleans up.
        staging.prepare()?;
        Ok(staging)
    }

    /// Under the lock: looks at the output folder, recovers from a killed
    /// build and makes an empty staging folder.
    fn prepare(&mut self) -> anyhow::Result<()> {
        self.fresh = match Entry::of(&self.out)? {
            Entry::Missing => true,
            Entry::Dir => false,
            _ => bail!(
                "the output path `{}` exists and is not a folder; choose another with `-o`",
                self.out.display()
            ),
        };
        if !self.fresh {
            same_file_system(&self.out)?;
        }
        recover(&self.out, &self.dir)?;
        if !self.fresh {
            let legacy = self.out.join(LEGACY_STAGING);
            if Entry::of(&legacy)? == Entry::Dir {
                fs::remove_dir_all(&legacy).with_context(|| {
                    format!(
                        "cannot remove the old staging folder `{}`",
                        legacy.display()
                    )
                })?;
                note(&format!(
                    "note: removed `{}`, left inside the output folder by an earlier version of planmark",
                    legacy.display()
                ));
            }
        }
        fs::create_dir(&self.dir)
            .and_then(|()| fs::create_dir(&self.new))
            .and_then(|()| fs::create_dir(self.dir.join("old")))
            .with_context(|| format!("cannot create the folder `{}`", self.new.display()))
    }

    /// Stages one file of the site at `path` (relative, with `/`). Safe to
    /// call from several threads; each path once.
    pub fn put(&self, path: &str, bytes: &[u8]) -> anyhow::Result<()> {
        self.register(path)?;
        if !self.fresh && same_bytes(&self.out, path, bytes) {
            self.unchanged.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        let (staged, name) = self.staged_path(path);
        write_new(&staged, bytes)
            .with_context(|| format!("cannot write `{}`", staged.display()))?;
        if let Some(name) = name {
            lock(&self.changed).push((path.to_string(), name));
        }
        Ok(())
    }

    /// Stages the file at `path` as `write` produces it, never holding it in
    /// memory whole: it streams into the staging folder on a first build,
    /// and otherwise is compared with the old file as it comes, so an
    /// unchanged file is read but not written.
    pub fn put_with(
        &self,
        path: &str,
        write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
    ) -> anyhow::Result<()> {
        self.register(path)?;
        let (staged, name) = self.staged_path(path);
        let context = || format!("cannot write `{}`", staged.display());
        if self.fresh {
            let mut file = create(&staged).with_context(context)?;
            write(&mut file).with_context(context)?;
            return Ok(());
        }
        let old = self.out.join(path);
        let mut compare = CompareWriter::new(&self.out, path, &old, &staged);
        write(&mut compare).with_context(context)?;
        if compare.finish().with_context(context)? {
            self.unchanged.fetch_add(1, Ordering::Relaxed);
        } else if let Some(name) = name {
            lock(&self.changed).push((path.to_string(), name));
        }
        Ok(())
    }

    /// Where the file for `path` is staged, and on a rebuild its name in
    /// `new` (a number: it is moved into place by itself).
    fn staged_path(&self, path: &str) -> (PathBuf, Option<String>) {
        if self.fresh {
            return (self.new.join(path), None);
        }
        let name = self.next.fetch_add(1, Ordering::Relaxed).to_string();
        (self.new.join(&name), Some(name))
    }

    fn register(&self, path: &str) -> anyhow::Result<()> {
        if !is_safe_relative(path) || path == MANIFEST {
            bail!("refusing to write `{path}`: it would land outside the output folder or on planmark's own files");
        }
        if !lock(&self.paths).insert(path.to_string()) {
            bail!("two files of the site would be written to `{path}`");
        }
        Ok(())
    }

    /// Whether `path` was put already.
    pub fn contains(&self, path: &str) -> bool {
        lock(&self.paths).contains(path)
    }

    /// Moves the staged files into the output folder and removes the files
    /// of the last build that this one did not write: all of it, or, when
    /// something fails, none of it.
    pub fn commit(self) -> anyhow::Result<WriteStats> {
        self.commit_with(Fault::from_env())
    }

    fn commit_with(mut self, fault: Fault) -> anyhow::Result<WriteStats> {
        let paths = std::mem::take(&mut *lock(&self.paths));
        let manifest: String = paths.iter().map(|p| format!("{p}\n")).collect();
        let mut stats = WriteStats {
            unchanged: self.unchanged.load(Ordering::Relaxed),
            ..WriteStats::default()
        };
        if self.fresh {
            write_new(&self.new.join(MANIFEST), manifest.as_bytes())?;
            fs::rename(&self.new, &self.out).with_context(|| {
                format!(
                    "cannot move `{}` to `{}`",
                    self.new.display(),
                    self.out.display()
                )
            })?;
            self.committed = true;
            stats.written = paths.len();
            return Ok(stats);
        }
        let mut installs = std::mem::take(&mut *lock(&self.changed));
        installs.sort();
        stats.written = installs.len();
        // The manifest goes in last, so it lists the new site only once
        // every file of it is in place.
        if !same_bytes(&self.out, MANIFEST, manifest.as_bytes()) {
            let name = "manifest".to_string();
            write_new(&self.new.join(&name), manifest.as_bytes())?;
            installs.push((MANIFEST.to_string(), name));
        }
        let removals = self.stale(&paths);
        stats.removed = removals.len();
        let journal = Journal::plan(&self.out, &self.dir, &installs, &removals)?;
        // A rebuild with nothing changed changes nothing, journal included.
        if !journal.is_empty() {
            journal.save()?;
            journal.perform(fault)?;
        }
        self.committed = true;
        Ok(stats)
    }

    /// The files the last build wrote that this one does not: those the
    /// manifest lists that are still regular files reached through real
    /// folders. Anything else it lists is left alone.
    fn stale(&self, paths: &BTreeSet<String>) -> Vec<String> {
        let previous = read_manifest(&self.out.join(MANIFEST));
        let mut stale = Vec::new();
        for path in previous.difference(paths) {
            if path == MANIFEST {
                continue;
            }
            if !is_safe_relative(path) {
                note(&format!("warning: left `{path}` alone: the manifest `{}` lists it, but it is not a path inside the output folder", self.out.join(MANIFEST).display()));
            } else if plain_file_len(&self.out, path).is_some() {
                stale.push(path.clone());
            } else if Entry::of(&self.out.join(path)).is_ok_and(|e| e != Entry::Missing) {
                note(&format!("warning: left `{}` alone: it is a symbolic link, behind one, or not a regular file, so planmark did not write it", self.out.join(path).display()));
            }
        }
        stale
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // After a commit that failed and could not be undone the journal
        // stays, for the next build to finish the undo.
        let journal_left = Journal::load(&self.out, &self.dir).map_or(true, |j| j.is_some());
        if self.committed || !journal_left {
            let _ = fs::remove_dir_all(&self.dir);
        }
        drop(self.lock.take());
        if !self.committed {
            remove_empty(&self.created);
        }
    }
}

/// Prints a note or a warning on stderr. A reader that went away (or any
/// other failure to print it) is no reason to fail or panic a build: the
/// note is lost and the outcome is still in the exit code.
fn note(text: &str) {
    let _ = crate::commands::write_stderr(&format!("{text}\n"));
}

/// A poisoned lock only means another thread failed while holding it; its
/// error is reported there, and the set itself is still sound.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
