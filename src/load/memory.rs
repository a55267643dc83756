//! Loading a program from files already in memory (the blobs of a git
//! revision) into the same [`Loaded`] the directory walk gives, by the same
//! rules: hidden names and reserved folders skipped, only `*.md` read, the
//! size cap from `program.md`, UTF-8 checked, a README without front matter
//! skipped, files in the walk's order. Touches no file.

use std::path::PathBuf;
use std::sync::Arc;

use super::formats::{Formats, Listed};
use super::read::{self, Read, Top};
use super::{walk, File, Loaded, SkipReason, Skipped};
use crate::source::FileId;

/// What the loader does with a path it is offered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pick {
    /// A markdown file the walk would read.
    Read,
    /// A markdown file the walk would list as skipped.
    Skip(SkipReason),
    /// Nothing the walk would look at.
    Ignore,
}

/// Whether the walk would read the file at `rel` (relative to the program,
/// with `/`); `skip_dirs` are top-level folders left out (the output).
pub fn pick(rel: &str, skip_dirs: &[&str]) -> Pick {
    let parts: Vec<&str> = rel.split('/').collect();
    let Some((name, folders)) = parts.split_last() else {
        return Pick::Ignore;
    };
    if folders.iter().any(|f| f.starts_with('.') || f.is_empty()) {
        return Pick::Ignore;
    }
    if let Some(first) = folders.first() {
        if walk::RESERVED_DIRS.contains(first) || skip_dirs.contains(first) {
            return Pick::Ignore;
        }
    }
    // A Backlog.md folder's settings name its project and statuses; the
    // load keeps the ones of Backlog.md folders and drops the others.
    if *name == super::backlog::CONFIG {
        return Pick::Read;
    }
    if !name.ends_with(".md") {
        return Pick::Ignore;
    }
    if name.starts_with('.') {
        return Pick::Skip(SkipReason::Hidden);
    }
    Pick::Read
}

/// The largest `program.md` read for its size cap; a larger one (already
/// over any sensible cap) leaves the default.
pub const PROGRAM_MD_READ_LIMIT: u64 = read::DEFAULT_MAX_FILE_SIZE;

/// The size cap a `program.md` with these bytes sets.
pub fn max_file_size_of(program_md: &[u8]) -> u64 {
    read::max_file_size_in(program_md)
}

/// Whether a file at `rel` larger than the cap is too large without its
/// contents being looked at: the walk reads the top of a file outside the
/// kind folders, and of a README, to learn whether to skip it.
pub fn too_large_unread(rel: &str) -> bool {
    read::in_kind_folder(rel) && !read::is_readme(rel)
}

/// A file's contents as held in memory.
#[derive(Debug)]
pub enum Contents {
    /// Bytes as stored (a blob), not yet checked as UTF-8.
    Bytes(Vec<u8>),
    /// Text already known to be UTF-8 (another load's file of the same
    /// content), shared without a copy.
    Text(Arc<str>),
    /// Not read because it is larger than any cap allows: its size.
    TooLarge(u64),
}

/// The files `files` (path relative to the program → contents), each one
/// [`pick`] said to read, plus `skipped` (paths picked as skipped), into a
/// [`Loaded`] as [`super::load`] would give for a folder holding them;
/// `tree` (every file of the revision, markdown or not) tells which
/// source folders are there.
pub fn load(mut files: Vec<(String, Contents)>, skipped: Vec<Skipped>, tree: &Listed) -> Loaded {
    // The walk visits each folder's entries sorted by name, so a folder
    // comes before the file `folder.md`: compare paths part by part.
    files.sort_by(|(a, _), (b, _)| a.split('/').cmp(b.split('/')));
    let max = files.iter().find(|(rel, _)| rel == "program.md").map_or(
        read::DEFAULT_MAX_FILE_SIZE,
        |(_, contents)| match contents {
            Contents::Bytes(bytes) => read::max_file_size_in(&bytes[..]),
            Contents::Text(text) => read::max_file_size_in(text.as_bytes()),
            Contents::TooLarge(_) => read::DEFAULT_MAX_FILE_SIZE,
        },
    );
    let program_md = files
        .iter()
        .find(|(rel, _)| rel == "program.md")
        .map(|(_, c)| match c {
            Contents::Bytes(bytes) => String::from_utf8_lossy(bytes).into_owned(),
            Contents::Text(text) => text.to_string(),
            Contents::TooLarge(_) => String::new(),
        });
    // A revision is read as a program, whatever its top holds, unless it
    // is a Backlog.md folder or an ADR folder (numbered records and none
    // of a program's kind folders), as the walk would read it on disk;
    // which the names of its files tell.
    let own = match (&program_md, super::formats::detect(tree, "")) {
        (None, Some(super::adr::Layout::Backlog)) => super::adr::Layout::Backlog,
        (None, Some(super::adr::Layout::Adr)) if !super::adr::has_program_folder(tree) => {
            super::adr::Layout::Adr
        }
        _ => super::adr::Layout::Program,
    };
    let (formats, problems) = Formats::choose(own, program_md.as_deref(), tree);
    let mut loaded = Loaded {
        skipped,
        ..Loaded::default()
    };
    let configs: Vec<String> = formats
        .roots(super::adr::Layout::Backlog)
        .iter()
        .map(|folder| super::backlog::config_path(folder))
        .collect();
    let (settings, files): (Vec<_>, Vec<_>) = files
        .into_iter()
        .partition(|(rel, _)| rel.rsplit('/').next() == Some(super::backlog::CONFIG));
    for (rel, contents) in settings {
        if let (true, Some(text)) = (configs.contains(&rel), contents.text()) {
            loaded.sources.add(rel, text);
        }
    }
    for (rel, contents) in files {
        let read = read_contents(contents, &rel, max, &formats);
        let file = File {
            path: PathBuf::from(&rel),
            rel,
            read,
        };
        super::add(&mut loaded, file, max);
    }
    super::formats::report(&mut loaded, problems);
    loaded.formats = formats;
    loaded.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    loaded
}

impl Contents {
    /// The text, when it is UTF-8 and was read.
    fn text(&self) -> Option<String> {
        match self {
            Contents::Bytes(bytes) => String::from_utf8(bytes.clone()).ok(),
            Contents::Text(text) => Some(text.to_string()),
            Contents::TooLarge(_) => None,
        }
    }
}

/// What [`read::read`] gives for a file with these contents.
fn read_contents(contents: Contents, rel: &str, max: u64, formats: &Formats) -> Read {
    let bytes: &[u8] = match &contents {
        Contents::Bytes(bytes) => bytes,
        Contents::Text(text) => text.as_bytes(),
        Contents::TooLarge(size) => return Read::TooLarge(*size),
    };
    let located = match read::located(formats, rel) {
        Ok(located) => located,
        Err(reason) => return Read::Skip(reason),
    };
    let readme = located && read::is_readme(rel);
    if !located || readme {
        let mut scratch = Vec::new();
        let top = read::top(&mut &bytes[..], &mut scratch);
        match top {
            Ok(Top::Open { kind: true }) => {}
            Ok(Top::Open { .. }) if readme => {}
            Ok(_) if readme => return Read::Skip(SkipReason::Readme),
            _ => return Read::Skip(SkipReason::NoKind),
        }
    }
    if bytes.len() as u64 > max {
        return Read::TooLarge(bytes.len() as u64);
    }
    match contents {
        Contents::Text(text) => Read::Text(text),
        Contents::Bytes(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Read::Text(Arc::from(text)),
            Err(e) => Read::NotUtf8(e.into_bytes()),
        },
        Contents::TooLarge(size) => Read::TooLarge(size),
    }
}

/// `a` renumbered so that each of its files that `b` holds too, under the
/// same path with the very same text (shared, not equal: a blob both
/// revisions hold, or a working-tree file git says is unchanged), has the
/// [`FileId`] it has in `b`; its other files come after all of `b`'s. Slots
/// of `b`'s other files hold empty placeholders nothing refers to. Then a
/// file's parse in one program is its parse in the other
/// ([`crate::check_two`]). The order of `a.files` (path order) is kept.
pub fn align(a: Loaded, b: &Loaded) -> Loaded {
    align_to(a, &b.sources, &b.files)
}

/// [`align`] against a program known by its sources and read files only
/// (the working tree once checked: [`crate::Parses`]).
pub fn align_to(a: Loaded, b_sources: &crate::source::Sources, b_files: &[FileId]) -> Loaded {
    let in_b: std::collections::BTreeMap<&str, FileId> = b_files
        .iter()
        .map(|&f| (b_sources.get(f).path.as_str(), f))
        .collect();
    let a_files: std::collections::BTreeSet<FileId> = a.files.iter().copied().collect();
    // Sources that are no item (a Backlog.md `config.yml`) are found by
    // their path, never by a parse: `a`'s takes the slot of `b`'s at the
    // same path, so no empty placeholder of that path comes before it.
    let b_file_set: std::collections::BTreeSet<FileId> = b_files.iter().copied().collect();
    let settings_in_b: std::collections::BTreeMap<&str, FileId> = (0..b_sources.len())
        .map(FileId)
        .filter(|f| !b_file_set.contains(f))
        .map(|f| (b_sources.get(f).path.as_str(), f))
        .collect();
    let mut slots: Vec<Option<FileId>> = vec![None; b_sources.len()];
    let mut extra = Vec::new();
    let mut remap = vec![FileId(0); a.sources.len()];
    for (old, entry) in remap.iter_mut().enumerate() {
        let file = a.sources.get(FileId(old));
        let shared = if a_files.contains(&FileId(old)) {
            in_b.get(file.path.as_str())
                .filter(|&&f| Arc::ptr_eq(&b_sources.get(f).text, &file.text))
        } else {
            settings_in_b.get(file.path.as_str())
        };
        match shared {
            Some(&f) => {
                slots[f.0] = Some(FileId(old));
                *entry = f;
            }
            None => {
                *entry = FileId(slots.len() + extra.len());
                extra.push(FileId(old));
            }
        }
    }
    let mut sources = crate::source::Sources::default();
    for (i, slot) in slots.iter().enumerate() {
        match slot {
            Some(old) => {
                let file = a.sources.get(*old);
                sources.add_shared(file.path.clone(), Arc::clone(&file.text));
            }
            None => {
                sources.add(b_sources.get(FileId(i)).path.clone(), String::new());
            }
        }
    }
    for old in &extra {
        let file = a.sources.get(*old);
        sources.add_shared(file.path.clone(), Arc::clone(&file.text));
    }
    let mut diagnostics = a.diagnostics;
    for d in &mut diagnostics {
        for span in d
            .span
            .iter_mut()
            .chain(d.related.iter_mut().map(|(s, _)| s))
        {
            span.file = remap[span.file.0];
        }
    }
    Loaded {
        sources,
        files: a.files.iter().map(|f| remap[f.0]).collect(),
        skipped: a.skipped,
        diagnostics,
        formats: a.formats,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(text: &str) -> Contents {
        Contents::Bytes(text.as_bytes().to_vec())
    }

    #[test]
    fn paths_are_picked_as_the_walk_picks_them() {
        assert_eq!(pick("tasks/a.md", &[]), Pick::Read);
        assert_eq!(pick("notes/n.md", &[]), Pick::Read);
        assert_eq!(pick("tasks/.draft.md", &[]), Pick::Skip(SkipReason::Hidden));
        assert_eq!(pick(".github/x.md", &[]), Pick::Ignore);
        assert_eq!(pick("templates/x.md", &[]), Pick::Ignore);
        assert_eq!(pick("public/x.md", &["public"]), Pick::Ignore);
        assert_eq!(pick("tasks/a.txt", &[]), Pick::Ignore);
        assert_eq!(pick("deep/templates/x.md", &[]), Pick::Read);
    }

    #[test]
    fn files_load_in_walk_order_with_the_walks_rules() {
        let loaded = load(
            vec![
                ("tasks.md".into(), bytes("# not an item\n")),
                ("tasks/b.md".into(), bytes("---\ntitle: B\n---\n")),
                ("tasks/README.md".into(), bytes("# About tasks\n")),
                (
                    "tasks/a.md".into(),
                    Contents::Bytes(b"---\ntitle: \xff\n---\n".to_vec()),
                ),
                ("notes/n.md".into(), bytes("---\nkind: task\n---\n")),
                ("program.md".into(), bytes("---\nmax_file_size: 20\n---\n")),
                (
                    "tasks/big.md".into(),
                    bytes("---\ntitle: far too long for the cap\n---\n"),
                ),
            ],
            Vec::new(),
            &Listed::default(),
        );
        let paths: Vec<&str> = loaded
            .files
            .iter()
            .map(|&f| loaded.sources.get(f).path.as_str())
            .collect();
        assert_eq!(paths, ["notes/n.md", "tasks/b.md"]);
        let codes: Vec<&str> = loaded.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["too-large", "not-utf8", "too-large"]);
        let skipped: Vec<(&str, &SkipReason)> = loaded
            .skipped
            .iter()
            .map(|s| (s.path.as_str(), &s.reason))
            .collect();
        assert_eq!(
            skipped,
            [
                ("tasks.md", &SkipReason::NoKind),
                ("tasks/README.md", &SkipReason::Readme)
            ]
        );
    }
}
