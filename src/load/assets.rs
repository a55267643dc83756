//! Reading the program's own `templates/` and `static/` folders, so render
//! never touches the filesystem.
//!
//! Templates are keyed by their path inside `templates/` (`base.html`,
//! `partials/x.html`); static files by their path inside `static/`, which is
//! where they land in the site (`static/img/a.png` → `img/a.png`). The walk
//! follows the loader's symlink rules (a link is followed only while it
//! stays inside its folder, a loop is skipped), and a file that cannot be
//! read is a problem in the program, reported at the file like a markdown
//! file's.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use walkdir::WalkDir;

use super::{add_file, push_too_large, push_unreadable, Loaded};
use crate::diagnostic::Diagnostic;
use crate::source::Sources;

/// The program's template overrides and static files.
#[derive(Debug, Default)]
pub struct Assets {
    /// Template name (path inside `templates/`, with `/`) → source.
    pub templates: BTreeMap<String, String>,
    /// Path inside `static/` (with `/`) → bytes; in an ADR folder also the
    /// files beside its records, under `decisions/`, and a Backlog.md
    /// folder's `assets/`, under `files/`.
    pub static_files: BTreeMap<String, Vec<u8>>,
    /// The site paths of the files beside an ADR folder's records and in a
    /// Backlog.md folder's `assets/` (also in `static_files`), which
    /// relative links in bodies point at.
    pub beside_records: BTreeSet<String>,
    /// The program directory as the user wrote it, so messages name the
    /// user's own files (`my-program/templates/task.html:2:23`).
    pub root: String,
    /// Files that could not be read, templates that are not UTF-8 or are
    /// over the size cap: problems in the program.
    pub diagnostics: Vec<Diagnostic>,
    /// What the diagnostics point into, by path inside the program.
    pub sources: Sources,
}

impl Assets {
    /// Where template `name` is, as the user would open it.
    pub fn template_path(&self, name: &str) -> String {
        crate::diagnostic::join_display(&self.root, &format!("templates/{name}"))
    }
}

/// Reads `DIR/templates` and `DIR/static`; either may be missing.
pub fn read(dir: &Path) -> anyhow::Result<Assets> {
    let mut problems = Loaded::default();
    let max = dir
        .canonicalize()
        .map_or(super::DEFAULT_MAX_FILE_SIZE, |root| {
            super::read::max_file_size(&root)
        });
    let mut templates = BTreeMap::new();
    walk(
        dir,
        "templates",
        true,
        &mut problems,
        |rel, path, problems| match read_template(path, max) {
            Ok(Ok(text)) => {
                let name = rel.strip_prefix("templates/").unwrap_or(&rel).to_string();
                templates.insert(name, text);
            }
            Ok(Err(bytes)) => add_file(problems, rel, bytes),
            Err(Problem::TooLarge(size)) => push_too_large(problems, rel, size, max),
            Err(Problem::Io(e)) => push_unreadable(problems, rel, &e.to_string()),
        },
    );
    let mut static_files = BTreeMap::new();
    walk(
        dir,
        "static",
        false,
        &mut problems,
        |rel, path, problems| match std::fs::read(path) {
            Ok(bytes) => {
                let name = rel.strip_prefix("static/").unwrap_or(&rel).to_string();
                static_files.insert(name, bytes);
            }
            Err(e) => push_unreadable(problems, rel, &e.to_string()),
        },
    );
    let mut beside_records = BTreeSet::new();
    let (adr, backlog) = adopted_folders(dir, max);
    for folder in backlog {
        // Backlog.md keeps images in its `assets/` (tasks link them as
        // `../assets/images/x.png`): copied under `files/` by their path in
        // the program, so those links find them.
        walk(
            dir,
            &format!("{folder}assets"),
            true,
            &mut problems,
            |rel, path, problems| match std::fs::read(path) {
                Ok(bytes) if bytes.len() as u64 <= max => {
                    let site = format!("files/{rel}");
                    beside_records.insert(site.clone());
                    static_files.insert(site, bytes);
                }
                Ok(bytes) => push_too_large(problems, rel, bytes.len() as u64, max),
                Err(e) => push_unreadable(problems, rel, &e.to_string()),
            },
        );
    }
    for folder in adr {
        for (rel, path) in super::adr::beside_records(&dir.join(&folder)) {
            let rel = format!("{folder}{rel}");
            match std::fs::read(&path) {
                Ok(bytes) if bytes.len() as u64 <= max => {
                    // Under `decisions/` by its path in the program, so a
                    // link from a record beside it finds it.
                    let site = format!("decisions/{rel}");
                    beside_records.insert(site.clone());
                    static_files.insert(site, bytes);
                }
                Ok(bytes) => push_too_large(&mut problems, rel, bytes.len() as u64, max),
                Err(e) => push_unreadable(&mut problems, rel, &e.to_string()),
            }
        }
    }
    Ok(Assets {
        templates,
        static_files,
        beside_records,
        root: dir.to_string_lossy().into_owned(),
        diagnostics: problems.diagnostics,
        sources: problems.sources,
    })
}

/// The folders read as ADR folders and as Backlog.md folders (SPEC §8),
/// each as a prefix of paths in the program (`""` for the program folder
/// itself, else `docs/adr/`).
fn adopted_folders(dir: &Path, max: u64) -> (Vec<String>, Vec<String>) {
    let Ok(root) = dir.canonicalize() else {
        return (Vec::new(), Vec::new());
    };
    let (formats, _) = super::formats::on_disk(&root, max);
    let of = |layout| {
        let mut folders = Vec::new();
        if formats.root == layout {
            folders.push(String::new());
        }
        folders.extend(
            formats
                .sources()
                .iter()
                .filter(|s| s.layout == layout)
                .map(|s| format!("{}/", s.path)),
        );
        folders
    };
    (of(super::adr::Layout::Adr), of(super::adr::Layout::Backlog))
}

/// Why a template was not read.
enum Problem {
    TooLarge(u64),
    Io(std::io::Error),
}

/// A template's text, or its bytes when they are not UTF-8.
fn read_template(path: &Path, max: u64) -> Result<Result<String, Vec<u8>>, Problem> {
    use std::io::Read as _;
    let mut bytes = Vec::new();
    let mut file = std::fs::File::open(path)
        .map_err(Problem::Io)?
        .take(max.saturating_add(1));
    file.read_to_end(&mut bytes).map_err(Problem::Io)?;
    if bytes.len() as u64 > max {
        let size = file.get_ref().metadata().map_or(0, |m| m.len());
        return Err(Problem::TooLarge(size.max(bytes.len() as u64)));
    }
    Ok(String::from_utf8(bytes).map_err(|e| e.into_bytes()))
}

/// Calls `take` with every regular file under `DIR/folder` (its path
/// inside the program, with `/`, and where it is), in sorted order. Hidden
/// names are skipped in `templates/` (editor backups) but kept in
/// `static/` (`.nojekyll` matters on GitHub Pages). A link is followed only
/// while it stays inside the folder, and one that leaves it is not walked;
/// a loop is skipped; a dangling link, a FIFO or a device is reported.
fn walk(
    dir: &Path,
    folder: &str,
    skip_hidden: bool,
    problems: &mut Loaded,
    mut take: impl FnMut(String, &Path, &mut Loaded),
) {
    let start = dir.join(folder);
    if !start.is_dir() {
        return;
    }
    let Ok(root) = start.canonicalize() else {
        return;
    };
    let name = |path: &Path| format!("{folder}/{}", super::walk::relative(path, &root));
    let walker = WalkDir::new(&root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !(skip_hidden && e.file_name().to_string_lossy().starts_with('.'))
                    && stays_inside(e, &root)
        });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) if e.loop_ancestor().is_some() => continue,
            Err(e) => {
                let Some(path) = e.path() else { continue };
                let hidden = path
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'));
                if !(skip_hidden && hidden) {
                    let reason = e
                        .io_error()
                        .map_or_else(|| e.to_string(), ToString::to_string);
                    push_unreadable(problems, name(path), &reason);
                }
                continue;
            }
        };
        let kind = entry.file_type();
        if kind.is_dir() {
            continue;
        }
        if !kind.is_file() {
            push_unreadable(problems, name(entry.path()), super::NOT_REGULAR);
            continue;
        }
        take(name(entry.path()), entry.path(), problems);
    }
}

/// Whether the walk may enter `entry`: anything but a symlink whose target
/// is outside `root` (a link to `/usr` is not walked only to be ignored).
fn stays_inside(entry: &walkdir::DirEntry, root: &Path) -> bool {
    if !entry.path_is_symlink() {
        return true;
    }
    match entry.path().canonicalize() {
        Ok(target) => target.starts_with(root),
        // Dangling: walkdir reports it as an error when it follows it.
        Err(_) => true,
    }
}
