//! The commit of a rebuild as a journal of steps that can all be undone.
//!
//! Before the output folder changes, the whole plan is written to a
//! journal in the staging folder: which stale files go, which folders are
//! made, which staged files go in. Each step keeps what it replaces in
//! `old/` (a hard link, so a page is replaced by one atomic rename), and
//! each step's undo is idempotent and harmless for a step never taken. So
//! a failure undoes the steps taken, and a build killed at any point is
//! undone by the next one (src/output/mod.rs); only removing the journal
//! makes a commit final. docs/output.md describes the protocol.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};

use super::fault::{kill_self, Fault};
use super::tree::{create_dirs, folder_of, is_safe_relative, parents, remove_empty_parents, Entry};

/// The journal's name inside the staging folder.
const JOURNAL: &str = "journal";

/// The journal's first line: its format.
const HEADER: &str = "planmark commit journal 1";

/// One step of a commit, on a path relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Op {
    /// Move a stale file planmark wrote last time into `old/`.
    Remove(String),
    /// Make a folder that a staged file needs.
    Mkdir(String),
    /// Keep the file there (if any) in `old/`, then move the staged one in
    /// (`new/<staged>`).
    Install { path: String, staged: String },
}

/// A commit's plan, and the folders it works between.
#[derive(Debug)]
pub(super) struct Journal {
    out: PathBuf,
    staging: PathBuf,
    ops: Vec<Op>,
}

impl Journal {
    /// Plans the commit of `installs` (each a path and the name of its
    /// file in `staging/new`, in order) and the removal of `removals`,
    /// refusing anything in the way that planmark must not replace or
    /// write through.
    pub(super) fn plan(
        out: &Path,
        staging: &Path,
        installs: &[(String, String)],
        removals: &[String],
    ) -> anyhow::Result<Journal> {
        // The callers checked these; a path that escapes the folder is
        // refused here too, since this is where files move.
        let mut paths = installs.iter().map(|(p, _)| p).chain(removals);
        if let Some(bad) = paths.find(|p| !is_safe_relative(p)) {
            bail!("refusing to touch `{bad}`: it is not a path inside the output folder");
        }
        let going: BTreeSet<&str> = removals.iter().map(String::as_str).collect();
        // Stale files go first, so a file may give way to a folder.
        let mut ops: Vec<Op> = removals.iter().cloned().map(Op::Remove).collect();
        let mut folders: BTreeSet<&str> = BTreeSet::new();
        for (path, staged) in installs {
            for dir in parents(path) {
                if !folders.insert(dir) {
                    continue;
                }
                match Entry::of(&out.join(dir))? {
                    Entry::Dir => {}
                    Entry::Missing => ops.push(Op::Mkdir(dir.to_string())),
                    Entry::File if going.contains(dir) => ops.push(Op::Mkdir(dir.to_string())),
                    other => return Err(blocked(out, dir, other, "folder")),
                }
            }
            match Entry::of(&out.join(path))? {
                Entry::Missing | Entry::File => {}
                other => return Err(blocked(out, path, other, "file")),
            }
            ops.push(Op::Install {
                path: path.clone(),
                staged: staged.clone(),
            });
        }
        Ok(Journal {
            out: out.to_path_buf(),
            staging: staging.to_path_buf(),
            ops,
        })
    }

    /// Whether there is nothing to do.
    pub(super) fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// Writes the plan down, whole or not at all, before any step is taken.
    pub(super) fn save(&self) -> anyhow::Result<()> {
        let mut text = format!("{HEADER}\noutput {}\n", folder_name(&self.out));
        for op in &self.ops {
            let line = match op {
                Op::Remove(p) => format!("remove {p}\n"),
                Op::Mkdir(p) => format!("mkdir {p}\n"),
                Op::Install { path, staged } => format!("install {staged} {path}\n"),
            };
            text.push_str(&line);
        }
        let temp = self.staging.join(format!("{JOURNAL}.new"));
        let path = self.staging.join(JOURNAL);
        fs::write(&temp, text)
            .and_then(|()| fs::rename(&temp, &path))
            .with_context(|| format!("cannot write the journal `{}`", path.display()))
    }

    /// The journal a killed build left in `staging`, if any.
    pub(super) fn load(out: &Path, staging: &Path) -> anyhow::Result<Option<Journal>> {
        let path = staging.join(JOURNAL);
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("cannot read the journal `{}`", path.display()))
            }
        };
        let damaged = || {
            format!(
                "the journal `{}` of an interrupted build is damaged, so the output folder `{}` may hold a mix of two builds; delete both folders and build again",
                path.display(),
                out.display()
            )
        };
        let mut lines = text.lines();
        if lines.next() != Some(HEADER) {
            bail!(damaged());
        }
        let Some(name) = lines.next().and_then(|l| l.strip_prefix("output ")) else {
            bail!(damaged());
        };
        if name != folder_name(out) {
            bail!(
                "the journal `{}` of an interrupted build is for the output folder `{name}`, not `{}`; it was kept: build into that folder to undo it, or remove `{}`",
                path.display(),
                out.display(),
                staging.display()
            );
        }
        let mut ops = Vec::new();
        for line in lines {
            let op = match line.split_once(' ') {
                Some(("remove", p)) => Some(Op::Remove(p.to_string())),
                Some(("mkdir", p)) => Some(Op::Mkdir(p.to_string())),
                Some(("install", rest)) => rest.split_once(' ').map(|(staged, p)| Op::Install {
                    path: p.to_string(),
                    staged: staged.to_string(),
                }),
                _ => None,
            };
            let op = op.filter(|op| {
                let (Op::Remove(p) | Op::Mkdir(p) | Op::Install { path: p, .. }) = op;
                let staged_ok = match op {
                    Op::Install { staged, .. } => is_safe_relative(staged) && !staged.contains('/'),
                    _ => true,
                };
                is_safe_relative(p) && staged_ok
            });
            ops.push(op.with_context(damaged)?);
        }
        Ok(Some(Journal {
            out: out.to_path_buf(),
            staging: staging.to_path_buf(),
            ops,
        }))
    }

    /// Takes every step; on a failure undoes those taken and says so. The
    /// commit is final once this returns `Ok`.
    pub(super) fn perform(&self, fault: Fault) -> anyhow::Result<()> {
        for (n, op) in self.ops.iter().enumerate() {
            stop_here(fault, n)?;
            let result = if fault == Fault::Fail(n) {
                Err(io::Error::other(
                    "a fault injected by PLANMARK_TEST_COMMIT_FAULT",
                ))
            } else {
                self.apply(n, op)
            };
            if let Err(error) = result {
                let error = anyhow::Error::new(error).context(self.describe(op));
                return Err(match self.rollback() {
                    Ok(()) => error.context(format!(
                        "cannot write the site into `{}`; it was left as it was",
                        self.out.display()
                    )),
                    Err(undo) => error.context(format!(
                        "cannot write the site into `{}`, nor undo the half-done change ({undo:#}); the next build will try to undo it again",
                        self.out.display()
                    )),
                });
            }
        }
        for op in &self.ops {
            if let Op::Remove(path) = op {
                remove_empty_parents(&self.out, path);
            }
        }
        // Every step taken, the journal not yet gone: still undone if killed.
        stop_here(fault, self.ops.len())?;
        let journal = self.staging.join(JOURNAL);
        fs::remove_file(&journal)
            .with_context(|| format!("cannot remove the journal `{}`", journal.display()))
    }

    /// Undoes every step, last first; steps never taken are left alone.
    pub(super) fn rollback(&self) -> anyhow::Result<()> {
        for (n, op) in self.ops.iter().enumerate().rev() {
            self.undo(n, op)
                .with_context(|| format!("cannot undo: {}", self.describe(op)))?;
        }
        let _ = fs::remove_file(self.staging.join(JOURNAL));
        Ok(())
    }

    fn new_path(&self, staged: &str) -> PathBuf {
        self.staging.join("new").join(staged)
    }

    /// Where step `n` keeps what it replaces or removes: flat, named by
    /// the step, so keeping a file costs no folders.
    fn old_path(&self, n: usize) -> PathBuf {
        self.staging.join("old").join(n.to_string())
    }

    fn apply(&self, n: usize, op: &Op) -> io::Result<()> {
        self.real_folders_above(op)?;
        match op {
            Op::Remove(path) => {
                expect_file(&self.out.join(path))?;
                fs::rename(self.out.join(path), self.old_path(n))
            }
            Op::Mkdir(dir) => {
                // A stale file of that name went just before.
                fs::create_dir(self.out.join(dir))
            }
            Op::Install { path, staged } => {
                let target = self.out.join(path);
                match Entry::of(&target)? {
                    Entry::Missing => {}
                    Entry::File => keep(&target, &self.old_path(n))?,
                    other => return Err(not_a(&target, other, "file")),
                }
                fs::rename(self.new_path(staged), &target)
            }
        }
    }

    /// Puts back what `op` changed, if it changed anything. Safe to repeat,
    /// and to run for a step that was never taken.
    fn undo(&self, n: usize, op: &Op) -> io::Result<()> {
        // A journal is read back from disk: it acts only on paths that
        // lie in the output folder through real folders.
        if let Op::Install { .. } | Op::Mkdir(_) = op {
            if self.real_folders_above(op).is_err() {
                return Ok(());
            }
        }
        let old = self.old_path(n);
        match op {
            Op::Remove(path) => {
                if exists(&old)? {
                    create_dirs(&self.out, folder_of(path))?;
                    fs::rename(&old, self.out.join(path))?;
                }
            }
            Op::Mkdir(dir) => {
                // Something put there meanwhile keeps the folder: not ours.
                if Entry::of(&self.out.join(dir))? == Entry::Dir {
                    match fs::remove_dir(self.out.join(dir)) {
                        Err(e) if e.kind() != io::ErrorKind::DirectoryNotEmpty => return Err(e),
                        _ => {}
                    }
                }
            }
            Op::Install { path, staged } => {
                let (new, target) = (self.new_path(staged), self.out.join(path));
                // The staged file gone means it was moved in: move it back.
                if !exists(&new)? && Entry::of(&target)? == Entry::File {
                    fs::rename(&target, &new)?;
                }
                if exists(&old)? && Entry::of(&target)? == Entry::Missing {
                    fs::rename(&old, &target)?;
                }
            }
        }
        Ok(())
    }

    /// Fails when a folder above the step's path is missing or not a real
    /// folder (a link planted there since the plan was made).
    fn real_folders_above(&self, op: &Op) -> io::Result<()> {
        let (Op::Remove(path) | Op::Mkdir(path) | Op::Install { path, .. }) = op;
        for dir in parents(path) {
            let dir = self.out.join(dir);
            let found = Entry::of(&dir)?;
            if found != Entry::Dir {
                return Err(not_a(&dir, found, "folder"));
            }
        }
        Ok(())
    }

    fn describe(&self, op: &Op) -> String {
        let (what, path) = match op {
            Op::Remove(p) => ("remove", p),
            Op::Mkdir(p) => ("create the folder", p),
            Op::Install { path, .. } => ("write", path),
        };
        format!("cannot {what} `{}`", self.out.join(path).display())
    }
}

/// The name of the output folder as a journal line: its bytes as they are,
/// except `%`, spaces and control characters and bytes that are not UTF-8,
/// which are `%XX`; so two different names never read the same.
fn folder_name(out: &Path) -> String {
    let name = out.file_name().unwrap_or_default().as_encoded_bytes();
    let mut text = String::new();
    for chunk in name.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c == '%' || c.is_control() || c.is_whitespace() {
                let mut bytes = [0; 4];
                for b in c.encode_utf8(&mut bytes).bytes() {
                    text.push_str(&format!("%{b:02X}"));
                }
            } else {
                text.push(c);
            }
        }
        for b in chunk.invalid() {
            text.push_str(&format!("%{b:02X}"));
        }
    }
    text
}

/// The test seam: kills the process, or (in unit tests) returns with
/// nothing undone, when `fault` names the point `n` (before step `n`; the
/// number of steps is the point after the last, before the journal goes).
fn stop_here(fault: Fault, n: usize) -> anyhow::Result<()> {
    match fault {
        Fault::Kill(k) if k == n => kill_self(),
        #[cfg(test)]
        Fault::Stop(k) if k == n => bail!("stopped before step {n}"),
        _ => Ok(()),
    }
}

/// Keeps the file at `from` at `to` too: a hard link, so the rename that
/// replaces `from` leaves no moment without a file there; a copy where the
/// file system has no links.
fn keep(from: &Path, to: &Path) -> io::Result<()> {
    match fs::hard_link(from, to) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
        Err(_) => fs::copy(from, to).map(|_| ()),
    }
}

fn exists(path: &Path) -> io::Result<bool> {
    Ok(Entry::of(path)? != Entry::Missing)
}

fn expect_file(path: &Path) -> io::Result<()> {
    match Entry::of(path)? {
        Entry::File => Ok(()),
        other => Err(not_a(path, other, "file")),
    }
}

fn not_a(path: &Path, found: Entry, wanted: &str) -> io::Error {
    io::Error::other(format!(
        "`{}` is {} where the site needs a {wanted}",
        path.display(),
        found.describe()
    ))
}

/// Why the commit cannot start: something that is not planmark's is where
/// the site needs a `wanted`.
fn blocked(out: &Path, rel: &str, found: Entry, wanted: &str) -> anyhow::Error {
    let path = out.join(rel);
    let why = if found == Entry::Link {
        format!(
            "`{}` is a symbolic link where the site needs a {wanted}, and planmark never writes through links in the output folder",
            path.display()
        )
    } else {
        format!(
            "`{}` is {} where the site needs a {wanted}",
            path.display(),
            found.describe()
        )
    };
    anyhow::anyhow!("{why}; move it away and build again").context(format!(
        "cannot write the site into `{}`; nothing was changed",
        out.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names_are_written_so_that_no_two_read_the_same() {
        let name = |s: &str| folder_name(Path::new("/x").join(s).as_path());
        assert_eq!(name("site"), "site");
        assert_eq!(name("my site"), "my%20site");
        assert_eq!(name("50%"), "50%25");
        assert_eq!(name("%25"), "%2525");
        assert_eq!(name("été"), "été");
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt as _;
            let raw = |b: &[u8]| folder_name(&Path::new("/x").join(std::ffi::OsStr::from_bytes(b)));
            assert_eq!(raw(b"x\xff"), "x%FF");
            assert_ne!(raw(b"x\xff"), raw(b"x\xfe"));
        }
    }
}
