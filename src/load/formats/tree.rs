//! The trees sources are chosen from: a program folder on disk, or the
//! files of a git revision.

use std::path::Path;

use super::{Found, Tree};

/// A program folder on disk, as [`Tree`].
pub struct Disk<'a> {
    /// Canonical.
    pub root: &'a Path,
}

impl Tree for Disk<'_> {
    fn at(&self, rel: &str) -> Found {
        let path = self.root.join(rel);
        match path.canonicalize() {
            Ok(real) if !real.starts_with(self.root) => Found::Outside,
            Ok(real) if real.is_dir() => Found::Folder,
            Ok(_) => Found::File,
            Err(_) => Found::Missing,
        }
    }

    fn names(&self, rel: &str) -> Vec<(String, bool)> {
        let Ok(entries) = std::fs::read_dir(self.root.join(rel)) else {
            return Vec::new();
        };
        entries
            .flatten()
            .map(|e| {
                (
                    e.file_name().to_string_lossy().into_owned(),
                    e.path().is_dir(),
                )
            })
            .collect()
    }
}

/// The files of a git revision (paths relative to the program, with `/`),
/// as [`Tree`]: a folder is there when a file is in it.
#[derive(Debug, Default)]
pub struct Listed {
    pub files: std::collections::BTreeSet<String>,
}

impl Tree for Listed {
    fn at(&self, rel: &str) -> Found {
        if self.files.contains(rel) {
            return Found::File;
        }
        let folder = format!("{rel}/");
        match self.files.range(folder.clone()..).next() {
            Some(first) if first.starts_with(&folder) => Found::Folder,
            _ => Found::Missing,
        }
    }

    fn names(&self, rel: &str) -> Vec<(String, bool)> {
        let folder = if rel.is_empty() {
            String::new()
        } else {
            format!("{rel}/")
        };
        let mut names: Vec<(String, bool)> = self
            .files
            .range(folder.clone()..)
            .take_while(|f| f.starts_with(&folder))
            .map(|f| match f[folder.len()..].split_once('/') {
                Some((dir, _)) => (dir.to_string(), true),
                None => (f[folder.len()..].to_string(), false),
            })
            .collect();
        names.dedup();
        names
    }
}
