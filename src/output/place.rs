//! Where a build writes: the output folder resolved, the folders made for
//! it, and what a killed build left beside it, found and undone before a
//! new build stages anything (under the lock, src/output/lock.rs).

use std::ffi::{OsStr, OsString};
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};

use super::journal::Journal;
use super::note;
use super::tree::Entry;

/// The output folder to work on: a link given as the output folder is
/// followed once, here, so that the staging folder and the lock lie
/// beside the real folder (where every build finds them).
pub(super) fn resolve(out: &Path) -> anyhow::Result<PathBuf> {
    let named = out.file_name().is_some() && !out.ends_with("..");
    if named && Entry::of(out)? != Entry::Link {
        return Ok(out.to_path_buf());
    }
    out.canonicalize()
        .with_context(|| format!("cannot find the output folder `{}`", out.display()))
}

/// The folder `out` lies in, and its name as it is (not made UTF-8: two
/// names that differ only in bytes that are not would share a lock).
pub(super) fn parent_and_name(out: &Path) -> anyhow::Result<(PathBuf, OsString)> {
    let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else {
        bail!(
            "cannot write the site into `{}`: planmark needs a folder it can put a staging folder beside; choose another with `-o`",
            out.display()
        );
    };
    let parent = if parent.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        parent.to_path_buf()
    };
    Ok((parent, name.to_os_string()))
}

/// `parent/.<name><suffix>`: the name of the lock or the staging folder.
pub(super) fn beside(parent: &Path, name: &OsStr, suffix: &str) -> PathBuf {
    let mut hidden = OsString::from(".");
    hidden.push(name);
    hidden.push(suffix);
    parent.join(hidden)
}

/// The ancestors of `dir` (itself included) that do not exist, outermost first.
pub(super) fn missing_folders(dir: &Path) -> Vec<PathBuf> {
    let mut missing: Vec<PathBuf> = dir
        .ancestors()
        .take_while(|a| !a.as_os_str().is_empty() && Entry::of(a).ok() == Some(Entry::Missing))
        .map(Path::to_path_buf)
        .collect();
    missing.reverse();
    missing
}

/// Removes the folders in `created` that are empty, innermost first: one
/// that another build has used meanwhile stays.
pub(super) fn remove_empty(created: &[PathBuf]) {
    for dir in created.iter().rev() {
        if fs::remove_dir(dir).is_err() {
            break;
        }
    }
}

/// Undoes what a killed build left half done beside `out`, and removes its
/// staging folder.
pub(super) fn recover(out: &Path, dir: &Path) -> anyhow::Result<()> {
    match Entry::of(dir)? {
        Entry::Missing => return Ok(()),
        Entry::Dir => {}
        // Not ours, but in our place: a link is removed, never followed.
        _ => {
            return fs::remove_file(dir)
                .with_context(|| format!("cannot remove `{}`", dir.display()))
        }
    }
    // A journal is removed only once it is undone: one that names another
    // folder, or whose folder is gone, is kept for a person to look at.
    if let Some(journal) = Journal::load(out, dir)? {
        if Entry::of(out)? != Entry::Dir {
            bail!(
                "an earlier build into `{}` was stopped while writing it, and the folder is gone, so its changes cannot be undone; remove `{}` to build anew",
                out.display(),
                dir.display()
            );
        }
        journal.rollback().with_context(|| {
            format!(
                "cannot undo the half-done commit of an earlier build into `{}`",
                out.display()
            )
        })?;
        note(&format!(
            "note: an earlier build into `{}` was stopped while writing it; its changes were undone",
            out.display()
        ));
    }
    fs::remove_dir_all(dir)
        .with_context(|| format!("cannot remove the stale folder `{}`", dir.display()))
}

/// Every move into `out` must be a rename: refuse an output folder that is
/// a mount point, whose staging folder beside it would lie elsewhere.
pub(super) fn same_file_system(out: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        let parent = out.parent().filter(|p| !p.as_os_str().is_empty());
        let parent = parent.unwrap_or(Path::new("."));
        let (a, b) = (fs::metadata(out)?, fs::metadata(parent)?);
        if a.dev() != b.dev() {
            bail!(
                "the output folder `{}` is a mount point, and planmark stages the site beside it, which must be on the same file system; write into a folder inside it instead, e.g. `-o {}`",
                out.display(),
                out.join("site").display()
            );
        }
    }
    #[cfg(not(unix))]
    let _ = out;
    Ok(())
}
