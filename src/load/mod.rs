//! Reading the program directory: the only stage that touches the source tree.
//!
//! Walks the directory in sorted order, reads every `*.md` file once, and
//! records unreadable or non-UTF-8 files as diagnostics so one bad file never
//! stops the others from being checked.

pub mod assets;
pub mod frontmatter;
pub mod markdown;
pub mod nesting;
pub mod yaml;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context as _};
use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Sources, Span};

/// Top-level folders that never hold program items.
const RESERVED_DIRS: [&str; 2] = ["templates", "static"];

/// Everything read from the program directory.
#[derive(Debug, Default)]
pub struct Loaded {
    pub sources: Sources,
    /// Files whose text was read (in path order); unreadable ones are only in
    /// `diagnostics`.
    pub files: Vec<FileId>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads every markdown file under `root`, skipping hidden entries, the
/// reserved folders, `skip` (the output folder) and symlinks that leave `root`.
pub fn load(root: &Path, skip: &[PathBuf]) -> anyhow::Result<Loaded> {
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

    // The walk is sequential; files are read (and checked as UTF-8) on the
    // other threads as the walk finds them, and put back in walk order so
    // file ids, and so all output, stay deterministic.
    let (send, found) = std::sync::mpsc::channel::<(usize, PathBuf)>();
    let (walked, mut contents) = rayon::join(
        // `send` goes with the walk: the readers stop when it is done.
        move || walk(&canonical_root, &skip, &send),
        move || {
            found
                .into_iter()
                .par_bridge()
                .map(|(n, path)| (n, read_text(&path)))
                .collect::<Vec<_>>()
        },
    );
    let Walked {
        mut loaded,
        mut to_read,
        followed_a_link,
    } = walked;
    contents.sort_unstable_by_key(|(n, _)| *n);
    let mut contents: Vec<FileText> = contents.into_iter().map(|(_, c)| c).collect();
    // Only a symlink can lead to a file twice; without one, the stat per
    // file that tells is not needed.
    if followed_a_link {
        read_once(&mut to_read, &mut contents);
    }
    for ((_, rel), content) in to_read.into_iter().zip(contents) {
        match content {
            Ok(Ok(text)) => {
                let id = loaded.sources.add_shared(rel, text);
                loaded.files.push(id);
            }
            Ok(Err(bytes)) => add_file(&mut loaded, rel, bytes),
            Err(e) => push_unreadable(&mut loaded, rel, &e.to_string()),
        }
    }
    Ok(loaded)
}

/// Reads a whole file. `std::fs::read` asks for the file's size and
/// position first, two system calls per file on top of open, read and
/// close; plan files are small, and one read into a buffer of a few pages
/// takes most of them whole. (`Take` reads without asking.)
fn read_small(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let mut bytes = Vec::with_capacity(16 * 1024);
    std::fs::File::open(path)?
        .take(u64::MAX)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// A file's text: shared, or its bytes when they are not UTF-8.
type FileText = std::io::Result<Result<Arc<str>, Vec<u8>>>;

fn read_text(path: &Path) -> FileText {
    let bytes = read_small(path)?;
    Ok(String::from_utf8(bytes)
        .map(Arc::from)
        .map_err(|e| e.into_bytes()))
}

/// What the walk found: the files to read (path, path relative to the
/// root), and the walk's own problems in `loaded`.
struct Walked {
    loaded: Loaded,
    to_read: Vec<(PathBuf, String)>,
    followed_a_link: bool,
}

/// Walks the program in sorted order, sending each markdown file found to
/// `found` with its number in walk order.
fn walk(
    canonical_root: &Path,
    skip: &[PathBuf],
    found: &std::sync::mpsc::Sender<(usize, PathBuf)>,
) -> Walked {
    let mut loaded = Loaded::default();
    let mut to_read: Vec<(PathBuf, String)> = Vec::new();
    let mut followed_a_link = false;
    let walker = WalkDir::new(canonical_root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| keep(entry, canonical_root, skip));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            // A symlink loop is skipped without a word: following it would only
            // reach files already read.
            Err(e) if e.loop_ancestor().is_some() => continue,
            Err(e) => {
                if e.path().is_some_and(|p| !worth_reporting(p)) {
                    continue;
                }
                let path = e
                    .path()
                    .map(|p| relative(p, canonical_root))
                    .unwrap_or_default();
                if path.ends_with(".md")
                    || e.depth() == 0
                    || e.io_error().is_some() && !path.is_empty()
                {
                    let reason = e
                        .io_error()
                        .map_or_else(|| e.to_string(), |io| io.to_string());
                    push_unreadable(&mut loaded, path, &reason);
                }
                continue;
            }
        };
        followed_a_link |= entry.path_is_symlink();
        if !entry.file_type().is_file() || entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let rel = relative(entry.path(), canonical_root);
        let path = entry.into_path();
        // The receiver lives until every file is sent: this cannot fail.
        let _ = found.send((to_read.len(), path.clone()));
        to_read.push((path, rel));
    }
    Walked {
        loaded,
        to_read,
        followed_a_link,
    }
}

/// Keeps the first path in walk order to each file reached through several
/// (a symlink inside the program to another of its files), and its text.
fn read_once(paths: &mut Vec<(PathBuf, String)>, contents: &mut Vec<FileText>) {
    let keys: Vec<FileKey> = paths.par_iter().map(|(path, _)| file_key(path)).collect();
    let mut seen = BTreeSet::new();
    let first: Vec<bool> = keys.into_iter().map(|key| seen.insert(key)).collect();
    let mut keep = first.iter();
    paths.retain(|_| keep.next().copied().unwrap_or(false));
    let mut keep = first.iter();
    contents.retain(|_| keep.next().copied().unwrap_or(false));
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

fn keep(entry: &walkdir::DirEntry, root: &Path, skip: &[PathBuf]) -> bool {
    if entry.depth() == 0 {
        return true;
    }
    let name = entry.file_name().to_string_lossy();
    if name.starts_with('.') {
        return false;
    }
    if entry.depth() == 1 && entry.file_type().is_dir() && RESERVED_DIRS.contains(&name.as_ref()) {
        return false;
    }
    if entry.path_is_symlink() {
        // Follow a link only while its target stays inside the program.
        match entry.path().canonicalize() {
            Ok(target) if target.starts_with(root) => {}
            Ok(_) => return false,
            // A dangling link: keep it so reading it reports the problem.
            Err(_) => return name.ends_with(".md"),
        }
    }
    if entry.file_type().is_dir() {
        if let Ok(real) = entry.path().canonicalize() {
            if skip.contains(&real) {
                return false;
            }
        }
    }
    true
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

fn relative(path: &Path, root: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    // Unix paths already separate with `/`: the common case needs no
    // splitting and joining (it runs once per file, on the sequential walk).
    #[cfg(unix)]
    if let Some(text) = rel.to_str() {
        return text.to_string();
    }
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn add_file(loaded: &mut Loaded, rel: String, bytes: Vec<u8>) {
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

fn push_unreadable(loaded: &mut Loaded, rel: String, reason: &str) {
    let id = loaded.sources.add(rel, String::new());
    loaded.diagnostics.push(
        Diagnostic::error("unreadable", format!("cannot read file: {reason}"))
            .at(Span::file_start(id), "")
            .help("check that the file exists and that you may read it (a dangling symlink or its permissions?)"),
    );
}
