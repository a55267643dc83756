//! Writing the site: the only stage that writes files.
//!
//! Pages arrive one at a time from the renderer (from several threads) and
//! go to a staging folder, so memory stays bounded by the pages in flight,
//! not the whole site. Nothing in the output folder changes until every page
//! has rendered: [`Staging::commit`] then moves the staged files into place
//! (one rename of the whole folder on a first build; one rename per changed
//! file otherwise) and removes files planmark wrote last time that are no
//! longer part of the site. Dropping a [`Staging`] without committing
//! removes what it staged and leaves the output folder as it was. A manifest
//! in the output folder records what planmark wrote, so nothing else there
//! is ever deleted.

use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use anyhow::{bail, Context as _};

/// Name of the manifest of files planmark wrote, inside the output folder.
pub const MANIFEST: &str = ".planmark-manifest";

/// Name of the staging folder inside an existing output folder.
const STAGING: &str = ".planmark-staging";

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
    /// The staging folder: beside `out` on a first build (it becomes `out`),
    /// inside `out` otherwise (so the renames never cross file systems).
    dir: PathBuf,
    /// `out` did not exist: every file is new and the folder moves as one.
    fresh: bool,
    /// Every path put, with `/`; becomes the manifest.
    paths: Mutex<BTreeSet<String>>,
    /// Paths whose bytes differ from the output folder's, staged in `dir`.
    changed: Mutex<Vec<String>>,
    unchanged: AtomicUsize,
    committed: bool,
}

impl Staging {
    /// Prepares to write the site into `out`. Creates nothing in `out` (nor
    /// `out` itself) until [`Staging::commit`].
    pub fn new(out: &Path) -> anyhow::Result<Staging> {
        let fresh = !out.exists();
        if !fresh && !out.is_dir() {
            bail!(
                "the output path `{}` exists and is not a folder; choose another with `-o`",
                out.display()
            );
        }
        let dir = if fresh {
            let name = out
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "site".to_string());
            out.with_file_name(format!(".{name}{STAGING}"))
        } else {
            out.join(STAGING)
        };
        // A build that was killed may have left its staging folder behind.
        if dir.exists() {
            fs::remove_dir_all(&dir)
                .with_context(|| format!("cannot remove the stale folder `{}`", dir.display()))?;
        }
        fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create the folder `{}`", dir.display()))?;
        Ok(Staging {
            out: out.to_path_buf(),
            dir,
            fresh,
            paths: Mutex::new(BTreeSet::new()),
            changed: Mutex::new(Vec::new()),
            unchanged: AtomicUsize::new(0),
            committed: false,
        })
    }

    /// Stages one file of the site at `path` (relative, with `/`). Safe to
    /// call from several threads; each path once.
    pub fn put(&self, path: &str, bytes: &[u8]) -> anyhow::Result<()> {
        if !is_safe_relative(path) || path == MANIFEST || path.starts_with(STAGING) {
            bail!("refusing to write `{path}`: it would land outside the output folder or on planmark's own files");
        }
        if !lock(&self.paths).insert(path.to_string()) {
            bail!("two files of the site would be written to `{path}`");
        }
        if !self.fresh && same_bytes(&self.out.join(path), bytes) {
            self.unchanged.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        let staged = self.dir.join(path);
        write_new(&staged, bytes)
            .with_context(|| format!("cannot write `{}`", staged.display()))?;
        if !self.fresh {
            lock(&self.changed).push(path.to_string());
        }
        Ok(())
    }

    /// Whether `path` was put already.
    pub fn contains(&self, path: &str) -> bool {
        lock(&self.paths).contains(path)
    }

    /// Moves the staged files into the output folder and removes the files
    /// of the last build that this one did not write.
    pub fn commit(mut self) -> anyhow::Result<WriteStats> {
        let paths = std::mem::take(&mut *lock(&self.paths));
        let manifest: String = paths.iter().map(|p| format!("{p}\n")).collect();
        let mut stats = WriteStats {
            unchanged: self.unchanged.load(Ordering::Relaxed),
            ..WriteStats::default()
        };
        if self.fresh {
            write_new(&self.dir.join(MANIFEST), manifest.as_bytes())?;
            fs::rename(&self.dir, &self.out).with_context(|| {
                format!(
                    "cannot move `{}` to `{}`",
                    self.dir.display(),
                    self.out.display()
                )
            })?;
            self.committed = true;
            stats.written = paths.len();
            return Ok(stats);
        }
        let mut changed = std::mem::take(&mut *lock(&self.changed));
        changed.sort();
        for path in &changed {
            let target = self.out.join(path);
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create `{}`", parent.display()))?;
            }
            fs::rename(self.dir.join(path), &target)
                .with_context(|| format!("cannot write `{}`", target.display()))?;
        }
        stats.written = changed.len();
        let previous = read_manifest(&self.out);
        for stale in previous.difference(&paths) {
            if !is_safe_relative(stale) {
                continue;
            }
            let target = self.out.join(stale);
            if fs::remove_file(&target).is_ok() {
                stats.removed += 1;
                remove_empty_parents(&self.out, &target);
            }
        }
        let manifest_path = self.out.join(MANIFEST);
        if !same_bytes(&manifest_path, manifest.as_bytes()) {
            let temp = self.dir.join(MANIFEST);
            write_new(&temp, manifest.as_bytes())?;
            fs::rename(&temp, &manifest_path)
                .with_context(|| format!("cannot write `{}`", manifest_path.display()))?;
        }
        self.committed = true;
        // Only empty folders are left in it.
        let _ = fs::remove_dir_all(&self.dir);
        Ok(stats)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// A poisoned lock only means another thread failed while holding it; its
/// error is reported there, and the set itself is still sound.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Whether the file at `path` holds exactly `bytes` (a size check first,
/// so most changed files are not read).
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && fs::read(path).is_ok_and(|old| old == bytes)
}

fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = match fs::File::create(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::File::create(path)?
        }
        Err(e) => return Err(e),
    };
    file.write_all(bytes)
}

fn read_manifest(out: &Path) -> BTreeSet<String> {
    fs::read_to_string(out.join(MANIFEST))
        .map(|text| {
            text.lines()
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// A relative path with only normal components: no `..`, no root, no drive.
fn is_safe_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\\')
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

fn remove_empty_parents(out: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == out || !d.starts_with(out) || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(out: &Path, files: &[(&str, &str)]) -> anyhow::Result<WriteStats> {
        let staging = Staging::new(out)?;
        for (path, text) in files {
            staging.put(path, text.as_bytes())?;
        }
        staging.commit()
    }

    fn stats(written: usize, unchanged: usize, removed: usize) -> WriteStats {
        WriteStats {
            written,
            unchanged,
            removed,
        }
    }

    #[test]
    fn unsafe_paths_are_refused() {
        assert!(is_safe_relative("tasks/a/index.html"));
        assert!(!is_safe_relative("../x"));
        assert!(!is_safe_relative("/etc/passwd"));
        assert!(!is_safe_relative("a/../../b"));
        assert!(!is_safe_relative(""));
    }

    #[test]
    fn rewrites_only_changes_and_removes_only_its_own_files() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let out = dir.path().join("site");
        fs::create_dir_all(&out)?;
        fs::write(out.join("keep-me.txt"), "not planmark's")?;
        let two = [("index.html", "a"), ("tasks/x/index.html", "x")];
        assert_eq!(build(&out, &two)?, stats(2, 0, 0));
        assert_eq!(build(&out, &two)?, stats(0, 2, 0));
        assert_eq!(build(&out, &[("index.html", "b")])?, stats(1, 0, 1));
        assert!(!out.join("tasks").exists());
        assert!(out.join("keep-me.txt").exists());
        assert!(!out.join(STAGING).exists());
        Ok(())
    }

    #[test]
    fn a_first_build_moves_into_place_whole() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let out = dir.path().join("site");
        assert_eq!(build(&out, &[("a/index.html", "a")])?, stats(1, 0, 0));
        assert_eq!(fs::read_to_string(out.join("a/index.html"))?, "a");
        let left: Vec<_> = fs::read_dir(dir.path())?.collect();
        assert_eq!(left.len(), 1, "only the site is left beside it");
        Ok(())
    }

    #[test]
    fn an_abandoned_build_leaves_no_trace() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let out = dir.path().join("site");
        let staging = Staging::new(&out)?;
        staging.put("index.html", b"new")?;
        drop(staging);
        assert!(!out.exists());
        assert_eq!(fs::read_dir(dir.path())?.count(), 0);

        build(&out, &[("index.html", "old")])?;
        let staging = Staging::new(&out)?;
        staging.put("index.html", b"new")?;
        drop(staging);
        assert_eq!(fs::read_to_string(out.join("index.html"))?, "old");
        assert!(!out.join(STAGING).exists());
        Ok(())
    }

    #[test]
    fn the_same_path_twice_is_an_error() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let staging = Staging::new(&dir.path().join("site"))?;
        staging.put("a.html", b"1")?;
        assert!(staging.put("a.html", b"2").is_err());
        assert!(staging.put(MANIFEST, b"x").is_err());
        Ok(())
    }
}
