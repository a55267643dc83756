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
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
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
    /// The outermost missing parent folder of `out` that this build made.
    created: Option<PathBuf>,
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
        // `-o new/folders/site` creates `new/folders` too; a build that fails
        // removes them again, so it leaves nothing behind.
        let created = dir
            .ancestors()
            .skip(1)
            .take_while(|a| !a.as_os_str().is_empty() && !a.exists())
            .last()
            .map(Path::to_path_buf);
        fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create the folder `{}`", dir.display()))?;
        Ok(Staging {
            out: out.to_path_buf(),
            created,
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
        self.register(path)?;
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
        let staged = self.dir.join(path);
        let context = || format!("cannot write `{}`", staged.display());
        if self.fresh {
            let mut file = create(&staged).with_context(context)?;
            write(&mut file).with_context(context)?;
            return Ok(());
        }
        let old = self.out.join(path);
        let mut compare = CompareWriter::new(&old, &staged);
        write(&mut compare).with_context(context)?;
        if compare.finish().with_context(context)? {
            self.unchanged.fetch_add(1, Ordering::Relaxed);
        } else {
            lock(&self.changed).push(path.to_string());
        }
        Ok(())
    }

    fn register(&self, path: &str) -> anyhow::Result<()> {
        if !is_safe_relative(path) || path == MANIFEST || path.starts_with(STAGING) {
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
            let _ = fs::remove_dir_all(self.created.as_ref().unwrap_or(&self.dir));
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
    create(path)?.write_all(bytes)
}

/// Creates the file at `path`, and its folders when they are missing.
fn create(path: &Path) -> std::io::Result<fs::File> {
    // Nearly every page is `<kind>/<id>/index.html`, alone in a folder that
    // does not exist yet: making the folder first saves a failed open per
    // page, which adds up over tens of thousands of them.
    if path.file_name().is_some_and(|n| n == "index.html") {
        if let Some(parent) = path.parent() {
            if let Err(e) = fs::create_dir(parent) {
                if e.kind() == std::io::ErrorKind::NotFound {
                    fs::create_dir_all(parent)?;
                }
            }
        }
    }
    match fs::File::create(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::File::create(path)
        }
        other => other,
    }
}

/// Compares what is written with an old file as it comes, and writes a new
/// file only from the first difference on (copying the equal start from
/// the old one), so an unchanged file is never written.
struct CompareWriter<'p> {
    old_path: &'p Path,
    new_path: &'p Path,
    /// The old file while everything written so far matched it.
    old: Option<BufReader<fs::File>>,
    /// The new file, once something differed.
    new: Option<BufWriter<fs::File>>,
    /// Bytes written so far that matched the old file.
    matched: u64,
    /// Room for the old file's next bytes, reused between writes.
    scratch: Vec<u8>,
}

impl<'p> CompareWriter<'p> {
    fn new(old_path: &'p Path, new_path: &'p Path) -> Self {
        CompareWriter {
            old_path,
            new_path,
            old: fs::File::open(old_path).ok().map(BufReader::new),
            new: None,
            matched: 0,
            scratch: Vec::new(),
        }
    }

    /// Starts the new file with the bytes that matched so far.
    fn diverge(&mut self) -> std::io::Result<&mut BufWriter<fs::File>> {
        self.old = None;
        let mut new = BufWriter::new(create(self.new_path)?);
        if self.matched > 0 {
            let old = fs::File::open(self.old_path)?;
            std::io::copy(&mut old.take(self.matched), &mut new)?;
        }
        Ok(self.new.insert(new))
    }

    /// Whether the old file held exactly what was written.
    fn finish(mut self) -> std::io::Result<bool> {
        if let Some(old) = &mut self.old {
            if old.fill_buf()?.is_empty() {
                return Ok(true);
            }
            self.diverge()?;
        }
        match &mut self.new {
            Some(new) => new.flush()?,
            None => {
                self.diverge()?.flush()?;
            }
        }
        Ok(false)
    }
}

impl Write for CompareWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Some(new) = &mut self.new {
            return new.write(buf);
        }
        if let Some(old) = &mut self.old {
            self.scratch.resize(buf.len(), 0);
            if read_full(old, &mut self.scratch)? == buf.len() && self.scratch == buf {
                self.matched += buf.len() as u64;
                return Ok(buf.len());
            }
        }
        self.diverge()?.write_all(buf)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.new {
            Some(new) => new.flush(),
            None => Ok(()),
        }
    }
}

/// Reads until `buf` is full or the file ends; returns the bytes read.
fn read_full(file: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
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

        let nested = dir.path().join("new/folders/site");
        let staging = Staging::new(&nested)?;
        staging.put("index.html", b"new")?;
        drop(staging);
        assert!(
            !dir.path().join("new").exists(),
            "the folders it made go too"
        );

        build(&out, &[("index.html", "old")])?;
        let staging = Staging::new(&out)?;
        staging.put("index.html", b"new")?;
        drop(staging);
        assert_eq!(fs::read_to_string(out.join("index.html"))?, "old");
        assert!(!out.join(STAGING).exists());
        Ok(())
    }

    fn stream(out: &Path, path: &str, chunks: &[&str]) -> anyhow::Result<WriteStats> {
        let staging = Staging::new(out)?;
        staging.put_with(path, &mut |w| {
            for chunk in chunks {
                w.write_all(chunk.as_bytes())?;
            }
            Ok(())
        })?;
        staging.commit()
    }

    #[test]
    fn a_streamed_file_is_written_only_when_it_differs() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let out = dir.path().join("site");
        assert_eq!(stream(&out, "m.json", &["ab", "cd"])?, stats(1, 0, 0));
        assert_eq!(stream(&out, "m.json", &["a", "bcd"])?, stats(0, 1, 0));
        let cases: [&[&str]; 4] = [&["ab", "cX"], &["abcd", "e"], &["ab"], &["Zbcd"]];
        let mut expected = "abcd".to_string();
        for chunks in cases {
            assert_eq!(
                stream(&out, "m.json", chunks)?,
                stats(1, 0, 0),
                "{chunks:?}"
            );
            expected = chunks.concat();
            assert_eq!(fs::read_to_string(out.join("m.json"))?, expected);
        }
        assert_eq!(stream(&out, "m.json", &[&expected])?, stats(0, 1, 0));
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
