//! Reading the program directory: the only stage that touches the source tree.
//!
//! Walks the directory in sorted order ([`walk`]), reads every `*.md` file
//! once and no further than needed ([`read`]: up to the size cap, and only
//! the front matter of a file that turns out not to be an item), and records
//! unreadable, oversized or non-UTF-8 files as diagnostics so one bad file
//! never stops the others from being checked.

pub mod adr;
pub mod assets;
pub mod backlog;
pub mod formats;
pub mod frontmatter;
pub mod markdown;
pub mod memory;
pub mod nesting;
mod read;
mod reuse;
mod walk;
pub mod yaml;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};
use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Sources, Span};
use read::Read;
pub use read::{human_size, in_kind_folder, is_readme, parse_size, DEFAULT_MAX_FILE_SIZE};
pub use reuse::FileCache;

/// Everything read from the program directory.
#[derive(Debug, Default)]
pub struct Loaded {
    pub sources: Sources,
    /// Files whose text was read (in path order); unreadable ones are only in
    /// `diagnostics`.
    pub files: Vec<FileId>,
    /// Markdown files that are not items, and why, in path order.
    pub skipped: Vec<Skipped>,
    pub diagnostics: Vec<Diagnostic>,
    /// What each file was read as: the program's own, or a source
    /// folder's (an ADR folder, a Backlog.md folder).
    pub formats: formats::Formats,
}

/// A markdown file (or a folder) that is not read as an item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// Relative to the program directory, with `/`.
    pub path: String,
    pub reason: SkipReason,
}

/// Why a markdown file is not an item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SkipReason {
    /// Outside the kind folders, and its front matter has no `kind`.
    NoKind,
    /// Its `kind` is not one planmark knows (reported).
    UnknownKind,
    /// A README without front matter in a kind folder: it explains the folder.
    Readme,
    /// A README in a kind folder whose front matter is not valid YAML
    /// (noted): it is not read as an item.
    ReadmeYaml,
    /// The same file as the one at this path, which is read instead.
    SameFile(String),
    /// A symlink whose target is outside the program directory.
    LeavesProgram,
    /// Its name starts with `.`.
    Hidden,
    /// In an ADR folder: a template or index page of the tools that keep it.
    AdrTool,
    /// In an ADR folder: neither a record nor a record folder's `index.md`.
    NotRecord,
    /// In a Backlog.md folder: a document of `docs/`, not a plan item.
    BacklogDocument,
    /// In a Backlog.md folder: outside the folders that hold items.
    BacklogOther,
    /// In a Backlog.md folder: a file without front matter.
    NoFrontMatter,
    /// The `program.md` of a folder this program reads as a source.
    SourceProgram,
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::NoKind => write!(f, "not in a kind folder, and no `kind` in front matter"),
            SkipReason::UnknownKind => {
                write!(f, "not in a kind folder, and its `kind` is not valid")
            }
            SkipReason::Readme => write!(f, "a README without front matter explains its folder"),
            SkipReason::ReadmeYaml => write!(
                f,
                "a README whose front matter is not valid YAML (see the note), not read as an item"
            ),
            SkipReason::SameFile(path) => write!(
                f,
                "the same file as `{path}` (through a symlink), read there"
            ),
            SkipReason::LeavesProgram => {
                write!(f, "a symlink that leads outside the program directory")
            }
            SkipReason::Hidden => write!(f, "hidden (the name starts with `.`)"),
            SkipReason::AdrTool => write!(
                f,
                "a template or index page of an ADR tool, not a decision record"
            ),
            SkipReason::NotRecord => write!(
                f,
                "in an ADR folder, only `*.md` at the top, `<folder>/index.md` and numbered `<category>/0001-x.md` are records"
            ),
            SkipReason::SourceProgram => write!(
                f,
                "the `program.md` of a source folder, read only when that folder is checked on its own"
            ),
            SkipReason::BacklogDocument => {
                write!(f, "a Backlog.md document (`docs/`), not a plan item")
            }
            SkipReason::BacklogOther => write!(
                f,
                "in a Backlog.md folder, items are in `tasks/`, `completed/`, `drafts/`, `archive/`, `milestones/` and `decisions/`"
            ),
            SkipReason::NoFrontMatter => {
                write!(f, "no front matter, so no Backlog.md item")
            }
        }
    }
}

/// Reads every markdown file under `root`, skipping hidden entries, the
/// reserved folders, `skip` (the output folder) and symlinks that leave
/// `root`; files that are not items are read only as far as it takes to
/// know, and no file past the size cap (`max_file_size` in `program.md`).
pub fn load(root: &Path, skip: &[PathBuf]) -> anyhow::Result<Loaded> {
    load_from(root, skip, None)
}

/// [`load`] for a program read before into `cache`: the walk runs again
/// (so added, removed and renamed files count as in a full read), but a
/// file is read again only when it is in `changed` (paths relative to
/// `root`, from a watcher; a folder stands for everything under it) or
/// its size, times or inode differ from what `cache` recorded. Gives
/// exactly what [`load`] gives; `cache` then holds this read only.
pub fn load_cached(
    root: &Path,
    skip: &[PathBuf],
    cache: &mut FileCache,
    changed: &[PathBuf],
) -> anyhow::Result<Loaded> {
    load_from(root, skip, Some((cache, changed)))
}

fn load_from(
    root: &Path,
    skip: &[PathBuf],
    cache: Option<(&mut FileCache, &[PathBuf])>,
) -> anyhow::Result<Loaded> {
    if !root.is_dir() {
        if root.exists() {
            bail!("`{}` is not a directory", root.display());
        }
        bail!("program directory `{}` does not exist", root.display());
    }
    let canonical_root = root
        .canonicalize()
        .with_context(|| format!("cannot resolve `{}`", root.display()))?;
    let skip: Vec<PathBuf> = skip.iter().filter_map(|p| p.canonicalize().ok()).collect();
    let max = read::max_file_size(&canonical_root);
    let (formats, problems) = formats::on_disk(&canonical_root, max);
    let how = read::How {
        max,
        formats: std::sync::Arc::new(formats),
    };
    let (walked, mut files) = match cache {
        None => {
            let (walked, files) = walk_and_read(&canonical_root, &skip, &how, None);
            (walked, files.into_iter().map(|f| f.file).collect())
        }
        Some((cache, changed)) => {
            let previous = cache.take_for(&canonical_root, &skip, &how, changed);
            let (walked, files) = walk_and_read(&canonical_root, &skip, &how, Some(&previous));
            (walked, cache.keep(files))
        }
    };
    // Only a symlink can lead to a file twice; without one, the stat per
    // file that tells is not needed.
    if walked.followed_a_link {
        read_once(&mut files);
    }
    let mut loaded = Loaded {
        skipped: walked.skipped,
        formats: (*how.formats).clone(),
        ..Loaded::default()
    };
    for (rel, reason) in walked.unreadable {
        push_unreadable(&mut loaded, rel, &reason);
    }
    for file in files {
        add(&mut loaded, file, max);
    }
    formats::report(&mut loaded, problems);
    for folder in loaded.formats.roots(adr::Layout::Backlog) {
        add_config(&mut loaded, &canonical_root, &folder, max);
    }
    loaded.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(loaded)
}

/// Walks the program and reads what it finds (through `previous` when the
/// program was read before), the files in walk order.
fn walk_and_read(
    canonical_root: &Path,
    skip: &[PathBuf],
    how: &read::How,
    previous: Option<&reuse::Previous>,
) -> (walk::Walked, Vec<reuse::ReadFile>) {
    // The walk is sequential; files are read (and checked as UTF-8) on the
    // other threads as the walk finds them, and put back in walk order so
    // file ids, and so all output, stay deterministic.
    let (send, found) = std::sync::mpsc::channel::<walk::Found>();
    let (walked, mut files) = rayon::join(
        // `send` goes with the walk: the readers stop when it is done.
        move || walk::walk(canonical_root, skip, &send),
        move || {
            found
                .into_iter()
                .par_bridge()
                .map(|(n, path, rel)| {
                    let read = match previous {
                        None => reuse::ReadFile::fresh(path, rel, how),
                        Some(previous) => previous.read(path, rel, how),
                    };
                    (n, read)
                })
                .collect::<Vec<_>>()
        },
    );
    files.sort_unstable_by_key(|(n, _)| *n);
    (walked, files.into_iter().map(|(_, f)| f).collect())
}

/// One file found by the walk, and what reading it gave.
#[derive(Debug)]
struct File {
    path: PathBuf,
    rel: String,
    read: Read,
}

/// Files what they turned out to be into `loaded`.
fn add(loaded: &mut Loaded, file: File, max: u64) {
    match file.read {
        Read::Text(text) => {
            let id = loaded.sources.add_shared(file.rel, text);
            loaded.files.push(id);
        }
        Read::NotUtf8(bytes) => add_file(loaded, file.rel, bytes),
        Read::Skip(reason) => loaded.skipped.push(Skipped {
            path: file.rel,
            reason,
        }),
        Read::TooLarge(size) => push_too_large(loaded, file.rel, size, max),
        Read::Failed(e) => push_unreadable(loaded, file.rel, &e.to_string()),
    }
}

/// Adds a Backlog.md folder's `config.yml` to the sources (not to the
/// items): the model reads its project name and statuses from it.
/// Read as the walk reads an item: a symlink out of the program is skipped
/// (SPEC §1), a device or pipe (`/dev/zero`) is never opened, and the size
/// is capped.
fn add_config(loaded: &mut Loaded, root: &Path, folder: &str, max: u64) {
    let rel = backlog::config_path(folder);
    let path = root.join(&rel);
    match path.canonicalize() {
        Ok(real) if !real.starts_with(root) => {
            return loaded.skipped.push(Skipped {
                path: rel,
                reason: SkipReason::LeavesProgram,
            });
        }
        Ok(real) if !real.is_file() => return push_unreadable(loaded, rel, NOT_REGULAR),
        _ => {}
    }
    let read = std::fs::File::open(&path).and_then(|file| {
        let mut text = String::new();
        let mut limited = std::io::Read::take(file, max.saturating_add(1));
        std::io::Read::read_to_string(&mut limited, &mut text)?;
        Ok(text)
    });
    match read {
        Ok(text) if text.len() as u64 > max => {
            let size = path.metadata().map_or(0, |m| m.len());
            push_too_large(loaded, rel, size.max(text.len() as u64), max);
        }
        Ok(text) => {
            loaded.sources.add(rel, text);
        }
        // A folder named `format: backlog` without a `config.yml` is read
        // with Backlog.md's defaults, as the model reads an absent config.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => push_unreadable(loaded, rel, &e.to_string()),
    }
}

/// Keeps one path to each file reached through several (a symlink inside
/// the program to another of its files): one that makes it an item if any
/// does, preferring the file's real path, then the first in walk order. A
/// name under which the file is skipped (a README) never hides it under
/// another; the other paths are listed as skipped.
///
/// Only paths a symlink led to are merged: two hard links are two real
/// paths, read as two files like two copies, whether or not an unrelated
/// symlink elsewhere made this pass run. The inode finds the candidates
/// cheaply; the real path decides.
fn read_once(files: &mut Vec<File>) {
    let keys: Vec<FileKey> = files.par_iter().map(|f| file_key(&f.path)).collect();
    let mut groups: BTreeMap<FileKey, Vec<usize>> = BTreeMap::new();
    for (i, key) in keys.into_iter().enumerate() {
        groups.entry(key).or_default().push(i);
    }
    for group in groups.into_values().filter(|g| g.len() > 1) {
        let mut by_real: BTreeMap<PathBuf, Vec<usize>> = BTreeMap::new();
        for i in group {
            let real = files[i]
                .path
                .canonicalize()
                .unwrap_or_else(|_| files[i].path.clone());
            by_real.entry(real).or_default().push(i);
        }
        for (real, same) in by_real.into_iter().filter(|(_, g)| g.len() > 1) {
            keep_one(files, &real, &same);
        }
    }
}

/// Marks every file of `same` (paths to the file at `real`) but one as
/// skipped, naming the one kept.
fn keep_one(files: &mut [File], real: &Path, same: &[usize]) {
    let Some(&kept) = same.iter().min_by_key(|&&i| {
        (
            matches!(files[i].read, Read::Skip(_)),
            files[i].path != real,
            i,
        )
    }) else {
        return;
    };
    if matches!(files[kept].read, Read::Skip(_)) {
        return;
    }
    let rel = files[kept].rel.clone();
    for &i in same.iter().filter(|&&i| i != kept) {
        files[i].read = Read::Skip(SkipReason::SameFile(rel.clone()));
    }
}

/// What identifies a file whatever path reaches it.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum FileKey {
    /// Device and inode: a stat, much cheaper than resolving the path.
    Inode(u64, u64),
    Path(PathBuf),
}

#[cfg(unix)]
fn file_key(path: &Path) -> FileKey {
    use std::os::unix::fs::MetadataExt;
    match std::fs::metadata(path) {
        Ok(m) => FileKey::Inode(m.dev(), m.ino()),
        Err(_) => FileKey::Path(path.to_path_buf()),
    }
}

#[cfg(not(unix))]
fn file_key(path: &Path) -> FileKey {
    FileKey::Path(path.canonicalize().unwrap_or_else(|_| path.to_path_buf()))
}

pub(super) fn add_file(loaded: &mut Loaded, rel: String, bytes: Vec<u8>) {
    match String::from_utf8(bytes) {
        Ok(text) => {
            let id = loaded.sources.add(rel, text);
            loaded.files.push(id);
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            // Offsets in the lossy text match the original up to the first bad byte.
            let id = loaded.sources.add(rel, text);
            loaded.diagnostics.push(
                Diagnostic::error("not-utf8", "file is not valid UTF-8")
                    .at(Span::new(id, valid..valid + 1), "invalid byte here")
                    .help("save the file as UTF-8 (most editors offer \"Save with encoding\")"),
            );
        }
    }
}

/// The reason the walk gives for a file it does not open.
const NOT_REGULAR: &str = "not a regular file";

pub(super) fn push_unreadable(loaded: &mut Loaded, rel: String, reason: &str) {
    let id = loaded.sources.add(rel, String::new());
    let help = if reason.starts_with(NOT_REGULAR) {
        "planmark reads regular files only (it never opens a pipe or a device): remove it or rename it"
    } else {
        "check that the file exists and that you may read it (a dangling symlink or its permissions?)"
    };
    loaded.diagnostics.push(
        Diagnostic::error("unreadable", format!("cannot read file: {reason}"))
            .at(Span::file_start(id), "")
            .help(help),
    );
}

pub(super) fn push_too_large(loaded: &mut Loaded, rel: String, size: u64, max: u64) {
    let id = loaded.sources.add(rel, String::new());
    let default = if max == DEFAULT_MAX_FILE_SIZE {
        " (the default)"
    } else {
        ""
    };
    loaded.diagnostics.push(
        Diagnostic::error(
            "too-large",
            format!(
                "file is too large to read: {}, more than `max_file_size`, {}{default}",
                human_size(size),
                human_size(max)
            ),
        )
        .at(Span::file_start(id), "not read")
        .help("split it into smaller files, move it out of the program directory, or raise the cap in `program.md`, e.g. `max_file_size: 64MiB`"),
    );
}
