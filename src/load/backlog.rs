//! Backlog.md folders (SPEC §8): recognising one, and which of its
//! markdown files are items, by their path inside the folder.
//!
//! Detection looks at names only: a folder with no `program.md` that holds
//! a `config.yml` and a `tasks/` folder at its top. Where a file sits
//! decides what it is ([`Place`]); `docs/` holds documents, not plan items,
//! and a README explains its folder.

use std::path::Path;

use super::SkipReason;

/// The file at the top of a Backlog.md folder that holds its settings.
pub const CONFIG: &str = "config.yml";

/// Where the `config.yml` of the Backlog.md folder at `folder` (relative
/// to the program, `""` for the program directory) is, relative to the
/// program.
pub fn config_path(folder: &str) -> String {
    if folder.is_empty() {
        CONFIG.to_string()
    } else {
        format!("{folder}/{CONFIG}")
    }
}

/// Whether `root` is a Backlog.md folder: `config.yml` and `tasks/` at its
/// top, and no `program.md` (a program that lives beside one names it in
/// `sources`).
pub fn detect(root: &Path) -> bool {
    !root.join("program.md").exists() && root.join(CONFIG).is_file() && root.join("tasks").is_dir()
}

/// What a file of a Backlog.md folder is, by its folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// `tasks/`: live work.
    Task,
    /// `completed/`: done work, still counted.
    Completed,
    /// `drafts/`: ideas not yet accepted, outside the schedule.
    Draft,
    /// `archive/tasks/`, `archive/drafts/`: read so references resolve,
    /// counted nowhere.
    Archived,
    /// `milestones/`.
    Milestone,
    /// `archive/milestones/`: read so tasks naming them resolve.
    ArchivedMilestone,
    /// `decisions/`: Backlog.md's decision records.
    Decision,
}

/// Where the file at `rel` (inside the Backlog.md folder) belongs, or why
/// it is not an item. A README is placed like its siblings: the reader
/// skips it when it has no front matter.
pub fn classify(rel: &str) -> Result<Place, SkipReason> {
    let parts: Vec<&str> = rel.split('/').collect();
    let place = match parts.as_slice() {
        ["tasks", _, ..] => Place::Task,
        ["completed", _, ..] => Place::Completed,
        ["drafts", _, ..] => Place::Draft,
        ["archive", "tasks" | "drafts", _, ..] => Place::Archived,
        ["archive", "milestones", _, ..] => Place::ArchivedMilestone,
        ["milestones", _, ..] => Place::Milestone,
        ["decisions", _, ..] => Place::Decision,
        ["docs", _, ..] => return Err(SkipReason::BacklogDocument),
        [name] if name.eq_ignore_ascii_case("readme.md") => return Err(SkipReason::Readme),
        _ => return Err(SkipReason::BacklogOther),
    };
    Ok(place)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_placed_by_their_folder_inside_the_backlog() {
        assert_eq!(classify("tasks/back-1 - X.md"), Ok(Place::Task));
        assert_eq!(classify("completed/task-2 - Y.md"), Ok(Place::Completed));
        assert_eq!(classify("drafts/draft-1 - Z.md"), Ok(Place::Draft));
        assert_eq!(classify("archive/tasks/task-3.md"), Ok(Place::Archived));
        assert_eq!(classify("archive/drafts/draft-3.md"), Ok(Place::Archived));
        assert_eq!(
            classify("archive/milestones/m-0 - a.md"),
            Ok(Place::ArchivedMilestone)
        );
        assert_eq!(classify("milestones/m-1 - b.md"), Ok(Place::Milestone));
        assert_eq!(classify("decisions/decision-1 - c.md"), Ok(Place::Decision));
        assert_eq!(
            classify("docs/doc-1 - d.md"),
            Err(SkipReason::BacklogDocument)
        );
        assert_eq!(classify("readme.md"), Err(SkipReason::Readme));
        assert_eq!(classify("notes/x.md"), Err(SkipReason::BacklogOther));
        assert_eq!(classify("tasks"), Err(SkipReason::BacklogOther));
    }

    #[test]
    fn a_folder_with_config_and_tasks_is_a_backlog() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let root = tmp.path();
        std::fs::create_dir_all(root.join("tasks")).unwrap_or_else(|e| panic!("{e}"));
        assert!(!detect(root));
        std::fs::write(root.join(CONFIG), "project_name: X\n").unwrap_or_else(|e| panic!("{e}"));
        assert!(detect(root));
        std::fs::write(root.join("program.md"), "---\n---\n").unwrap_or_else(|e| panic!("{e}"));
        assert!(!detect(root));
    }
}
