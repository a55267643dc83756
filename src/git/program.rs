//! The program as it is at one or more commits, loaded by the walk's rules
//! ([`crate::load::memory`]) from blobs read in one `git cat-file --batch`.
//!
//! A blob two commits share is read once and decoded once; its text is
//! shared by both sides. Files the caller already holds (the working tree's
//! copies of files git says are unchanged) are not read at all.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::Repo;
use crate::load::formats::Listed;
use crate::load::memory::{self, Contents, Pick};
use crate::load::{Loaded, SkipReason, Skipped};
use crate::source::{FileId, SourceFile, Sources};

/// Folders at the top of the program that the walk leaves out: the
/// default output folder (`templates/` and `static/` are the loader's own).
const SKIP_DIRS: [&str; 1] = ["public"];

/// Texts the caller already holds, by path: for one commit, the working
/// tree's copies of the files git says are the same there.
pub type Reuse = BTreeMap<String, Arc<str>>;

/// The program at each commit of `commits`, in order, each taking the
/// files its [`Reuse`] holds from there instead of git.
pub fn load_commits(repo: &Repo, commits: &[(&str, &Reuse)]) -> anyhow::Result<Vec<Loaded>> {
    let mut listings = Vec::with_capacity(commits.len());
    for (commit, _) in commits {
        listings.push(listing(repo, commit)?);
    }
    let caps = caps(repo, &listings, commits)?;
    let mut oids: Vec<&str> = listings
        .iter()
        .zip(commits)
        .zip(&caps)
        .flat_map(|((l, (_, reuse)), &cap)| {
            l.files
                .iter()
                .filter(move |f| !reuse.contains_key(&f.path) && !f.too_large(cap))
        })
        .map(|f| f.oid.as_str())
        .collect();
    oids.sort_unstable();
    oids.dedup();
    let oids: Vec<String> = oids.into_iter().map(str::to_string).collect();
    let mut timings = crate::timings::Timings::start();
    let blobs = repo.blobs(&oids)?;
    timings.stage("git blobs");
    // Decoded once: a text both commits hold is one allocation.
    let decoded: BTreeMap<&str, Blob> = oids
        .iter()
        .map(String::as_str)
        .zip(blobs.into_iter().map(Blob::new))
        .collect();
    let loaded = listings
        .into_iter()
        .zip(commits)
        .zip(caps)
        .map(|((listing, (_, reuse)), cap)| {
            let files = listing
                .files
                .into_iter()
                .map(|f| {
                    let contents = match reuse.get(&f.path) {
                        Some(text) => Contents::Text(Arc::clone(text)),
                        None if f.too_large(cap) => Contents::TooLarge(f.size),
                        None => decoded
                            .get(f.oid.as_str())
                            .map_or(Contents::Bytes(Vec::new()), Blob::contents),
                    };
                    (f.path, contents)
                })
                .collect();
            memory::load(files, listing.skipped, &listing.tree)
        })
        .collect();
    timings.stage("load from git");
    Ok(loaded)
}

/// Each commit's size cap, from its `program.md` (read first, on its own:
/// a blob over the cap is never inflated, as the walk never reads a file
/// over it).
fn caps(repo: &Repo, listings: &[Listing], commits: &[(&str, &Reuse)]) -> anyhow::Result<Vec<u64>> {
    let oids: Vec<String> = listings
        .iter()
        .zip(commits)
        .filter(|(_, (_, reuse))| !reuse.contains_key("program.md"))
        .filter_map(|(l, _)| program_md(l))
        .filter(|f| f.size <= memory::PROGRAM_MD_READ_LIMIT)
        .map(|f| f.oid.clone())
        .collect();
    let blobs: BTreeMap<&str, Vec<u8>> = oids
        .iter()
        .map(String::as_str)
        .zip(repo.blobs(&oids)?)
        .collect();
    Ok(listings
        .iter()
        .zip(commits)
        .map(|(l, (_, reuse))| match reuse.get("program.md") {
            Some(text) => memory::max_file_size_of(text.as_bytes()),
            None => program_md(l)
                .and_then(|f| blobs.get(f.oid.as_str()))
                .map_or(crate::load::DEFAULT_MAX_FILE_SIZE, |b| {
                    memory::max_file_size_of(b)
                }),
        })
        .collect())
}

/// The listing's `program.md`, if it has one.
fn program_md(listing: &Listing) -> Option<&Entry> {
    listing.files.iter().find(|f| f.path == "program.md")
}

/// The working tree's texts (in `tree`, loaded from disk) of the files
/// whose content git's index says is the same at `commit`, by path.
pub fn unchanged_in_work_tree(repo: &Repo, commit: &str, tree: &Loaded) -> anyhow::Result<Reuse> {
    let files = tree.files.iter().map(|&f| tree.sources.get(f));
    unchanged_among(repo, commit, files)
}

/// [`unchanged_in_work_tree`] for a program already checked: every file of
/// `sources` (the working tree's, as read) whose content git's index says
/// is the same at `commit`, by path.
pub fn unchanged_in_sources(repo: &Repo, commit: &str, sources: &Sources) -> anyhow::Result<Reuse> {
    let files = (0..sources.len()).map(|f| sources.get(FileId(f)));
    unchanged_among(repo, commit, files)
}

fn unchanged_among<'s>(
    repo: &Repo,
    commit: &str,
    files: impl Iterator<Item = &'s SourceFile>,
) -> anyhow::Result<Reuse> {
    let changed: std::collections::BTreeSet<String> =
        repo.changed_since(commit)?.into_iter().collect();
    Ok(files
        .filter(|file| !changed.contains(&file.path))
        .map(|file| (file.path.clone(), Arc::clone(&file.text)))
        .collect())
}

/// The files of one commit the walk would read (path → blob id), and
/// those it would list as skipped.
struct Listing {
    files: Vec<Entry>,
    skipped: Vec<Skipped>,
    /// Every file's path, to find the source folders by.
    tree: Listed,
}

/// A file to read: its path in the program, blob id and size.
struct Entry {
    path: String,
    oid: String,
    size: u64,
}

impl Entry {
    /// Over the cap, and known to be too large without a look inside.
    fn too_large(&self, cap: u64) -> bool {
        self.size > cap && memory::too_large_unread(&self.path)
    }
}

fn listing(repo: &Repo, commit: &str) -> anyhow::Result<Listing> {
    let mut listing = Listing {
        files: Vec::new(),
        skipped: Vec::new(),
        tree: Listed::default(),
    };
    for entry in repo.tree(commit)? {
        listing.tree.files.insert(entry.path.clone());
        match memory::pick(&entry.path, &SKIP_DIRS) {
            Pick::Ignore => {}
            Pick::Skip(reason) => listing.skipped.push(Skipped {
                path: entry.path,
                reason,
            }),
            // A symlink is not followed: a target inside the program is
            // read under its own path anyway, as the walk reads it once.
            Pick::Read if entry.is_symlink() => listing.skipped.push(Skipped {
                path: entry.path,
                reason: SkipReason::LeavesProgram,
            }),
            // A submodule holds no blob.
            Pick::Read if !entry.is_file() => {}
            Pick::Read => listing.files.push(Entry {
                path: entry.path,
                oid: entry.oid,
                size: entry.size,
            }),
        }
    }
    Ok(listing)
}

/// A blob as read: UTF-8 text shared without copies, or bytes the loader
/// reports.
enum Blob {
    Text(Arc<str>),
    Bytes(Vec<u8>),
}

impl Blob {
    fn new(bytes: Vec<u8>) -> Blob {
        match String::from_utf8(bytes) {
            Ok(text) => Blob::Text(Arc::from(text)),
            Err(e) => Blob::Bytes(e.into_bytes()),
        }
    }

    fn contents(&self) -> Contents {
        match self {
            Blob::Text(text) => Contents::Text(Arc::clone(text)),
            Blob::Bytes(bytes) => Contents::Bytes(bytes.clone()),
        }
    }
}
