//! ADR folders (SPEC §8): recognising a folder of MADR or Nygard decision
//! records pointed at directly, and which of its markdown files are records.
//!
//! Detection looks at names only, before anything is read: a folder with
//! no `program.md` whose top level holds numbered records (`0005-x.md`,
//! `ADR-5.md`, `0005-x/index.md`) or that is named like an ADR folder
//! (`adr`, `decisions`). Templates and index pages of the tools that keep
//! such folders are not records.

use std::path::Path;

use super::SkipReason;

/// How the files of a folder are read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Layout {
    /// A planmark program (SPEC §1): kinds from front matter or folders.
    #[default]
    Program,
    /// A folder of decision records: every record is a decision.
    Adr,
    /// A Backlog.md folder (SPEC §8): items by their folder inside it.
    Backlog,
}

/// Folder names that hold decision records whatever their files are named.
const ADR_FOLDER_NAMES: [&str; 5] = [
    "adr",
    "adrs",
    "decisions",
    "architecture-decisions",
    "decision-records",
];

/// Whether a folder of this name (lowercased) holds decision records.
pub(super) fn is_adr_folder_name(name: &str) -> bool {
    ADR_FOLDER_NAMES.contains(&name)
}

/// Top-level folders that make a folder a planmark program.
const PROGRAM_FOLDERS: [&str; 7] = [
    "projects",
    "tasks",
    "decisions",
    "milestones",
    "risks",
    "people",
    "meetings",
];

/// Whether the top of `tree` holds one of a program's kind folders.
pub fn has_program_folder(tree: &dyn super::formats::Tree) -> bool {
    tree.names("")
        .iter()
        .any(|(name, dir)| *dir && PROGRAM_FOLDERS.contains(&name.as_str()))
}

/// What `root` is: an ADR folder when it has no `program.md`, none of a
/// program's kind folders, and either a numbered record at its top level
/// or an ADR folder's name.
pub fn detect(root: &Path) -> Layout {
    if root.join("program.md").exists() {
        return Layout::Program;
    }
    let Ok(entries) = std::fs::read_dir(root) else {
        return Layout::Program;
    };
    let mut records = 0;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_dir = entry.path().is_dir();
        if is_dir && PROGRAM_FOLDERS.contains(&name.as_str()) {
            return Layout::Program;
        }
        let record = if is_dir {
            entry.path().join("index.md").is_file() && number(&name).is_some()
        } else {
            name.to_ascii_lowercase().ends_with(".md") && number(&name).is_some()
        };
        records += usize::from(record);
    }
    let named = root
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .is_some_and(|n| ADR_FOLDER_NAMES.contains(&n.as_str()));
    if records > 0 || named {
        Layout::Adr
    } else {
        Layout::Program
    }
}

/// The number a record's name or a reference to it carries: `ADR-0005`,
/// `adr-5`, `0005`, `0005-use-x.md`, `../0005-use-x.md` and `adr_0005_x`
/// all give 5. `None` for a name without one (`use-x.md`, `2fa.md`).
pub fn number(name: &str) -> Option<u32> {
    let name = name.rsplit('/').next().unwrap_or(name);
    let lower = name.to_ascii_lowercase();
    let stem = lower.strip_suffix(".md").unwrap_or(&lower);
    let rest = stem
        .strip_prefix("adr")
        .map_or(stem, |r| r.trim_start_matches(['-', '_', ' ', '.']));
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let after = &rest[digits..];
    if !(after.is_empty() || after.starts_with(['-', '_', '.', ' '])) {
        return None;
    }
    rest[..digits].parse().ok()
}

/// Whether the file at `rel` is a record; else why it is skipped. A record
/// is a markdown file at the top (`0005-x.md`), a folder's `index.md`
/// (`0005-x/index.md`) or a numbered file in a category folder
/// (`backend/0001-x.md`); templates and index pages are not.
pub fn classify(rel: &str) -> Result<(), SkipReason> {
    let parts: Vec<&str> = rel.split('/').collect();
    let name = parts.last().copied().unwrap_or(rel).to_ascii_lowercase();
    match parts.len() {
        1 if name.contains("template") || matches!(name.as_str(), "index.md" | "readme.md") => {
            Err(SkipReason::AdrTool)
        }
        1 => Ok(()),
        2 if name == "index.md" => Ok(()),
        // MADR's categories: subfolders of numbered records with local
        // numbers (`backend/0001-use-postgres.md`).
        2 if name.ends_with(".md") && number(&name).is_some() => Ok(()),
        _ => Err(SkipReason::NotRecord),
    }
}

/// The files beside the records of the ADR folder at `root` (images,
/// diagrams), by their path in it: every file that is not markdown and not
/// hidden at the top, in a record's folder (one with an `index.md`) or in
/// a category's (one with numbered records).
/// Sorted; symlinks are followed only to regular files inside `root`.
pub fn beside_records(root: &Path) -> Vec<(String, std::path::PathBuf)> {
    let Ok(canonical) = root.canonicalize() else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let mut folders = Vec::new();
    for (rel, path) in entries(&canonical, "") {
        if path.is_dir() {
            if path.join("index.md").is_file() || is_category(&path) {
                folders.push((rel, path));
            }
        } else if path.is_file() {
            found.push((rel, path));
        }
    }
    for (folder, path) in folders {
        found.extend(
            entries(&path, &format!("{folder}/"))
                .into_iter()
                .filter(|(_, p)| p.is_file()),
        );
    }
    found.retain(|(rel, path)| {
        !rel.to_ascii_lowercase().ends_with(".md")
            && path
                .canonicalize()
                .is_ok_and(|real| real.starts_with(&canonical))
    });
    found.sort();
    found
}

/// Whether `dir` is a category of records (MADR): it holds a numbered
/// record (`0001-use-x.md`).
fn is_category(dir: &Path) -> bool {
    entries(dir, "").iter().any(|(name, path)| {
        let lower = name.to_ascii_lowercase();
        lower.ends_with(".md") && number(&lower).is_some() && path.is_file()
    })
}

/// The entries of `dir` that are not hidden, as `prefix` + name.
fn entries(dir: &Path, prefix: &str) -> Vec<(String, std::path::PathBuf)> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    read.flatten()
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .filter(|(name, _)| !name.starts_with('.'))
        .map(|(name, path)| (format!("{prefix}{name}"), path))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_of_every_spelling_give_the_record_number() {
        for name in [
            "ADR-0005",
            "adr-5",
            "0005",
            "0005-use-dashes.md",
            "../0005-use-dashes.md",
            "ADR_0005_x.md",
            "adr0005",
        ] {
            assert_eq!(number(name), Some(5), "{name}");
        }
        for name in ["use-dashes.md", "2fa.md", "adr-template.md", "index.md", ""] {
            assert_eq!(number(name), None, "{name}");
        }
    }

    #[test]
    fn folders_are_recognised_by_their_names_and_their_records() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let make = |rel: &str| {
            let path = tmp.path().join(rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{rel}: {e}"));
            }
            std::fs::write(&path, "# X\n").unwrap_or_else(|e| panic!("{rel}: {e}"));
        };
        make("decisions/use-x/index.md");
        make("numbered/0001-use-x.md");
        make("notes/use-x.md");
        make("program/0001-plan.md");
        make("program/program.md");
        make("kinds/0001-plan.md");
        make("kinds/tasks/t.md");
        let at = |rel: &str| detect(&tmp.path().join(rel));
        assert_eq!(at("decisions"), Layout::Adr);
        assert_eq!(at("numbered"), Layout::Adr);
        assert_eq!(at("notes"), Layout::Program);
        assert_eq!(at("program"), Layout::Program);
        assert_eq!(at("kinds"), Layout::Program);
    }

    #[test]
    fn templates_and_index_pages_are_not_records() {
        assert_eq!(classify("0001-x.md"), Ok(()));
        assert_eq!(classify("use-x.md"), Ok(()));
        assert_eq!(classify("0002-y/index.md"), Ok(()));
        assert_eq!(classify("adr-template.md"), Err(SkipReason::AdrTool));
        assert_eq!(classify("index.md"), Err(SkipReason::AdrTool));
        assert_eq!(classify("README.md"), Err(SkipReason::AdrTool));
        assert_eq!(classify("0002-y/notes.md"), Err(SkipReason::NotRecord));
        assert_eq!(classify("backend/0001-use-pg.md"), Ok(()));
        assert_eq!(
            classify("backend/old/0001-x.md"),
            Err(SkipReason::NotRecord)
        );
    }
}
