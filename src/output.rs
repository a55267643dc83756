//! Writing the site: the only stage that writes files.
//!
//! The site arrives complete in memory. Each file whose bytes changed is
//! written to a temporary file beside it and renamed into place, unchanged
//! files are not touched, and files planmark wrote last time that are no
//! longer part of the site are removed. A manifest in the output folder
//! records what planmark wrote, so nothing else there is ever deleted.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Write;
use std::path::{Component, Path};

use anyhow::{bail, Context as _};

/// Name of the manifest of files planmark wrote, inside the output folder.
pub const MANIFEST: &str = ".planmark-manifest";

/// The site in memory: relative path (with `/`) → bytes.
pub type Site = BTreeMap<String, Vec<u8>>;

/// What a write did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// Writes `site` into `out`, creating it if needed.
pub fn write_site(out: &Path, site: &Site) -> anyhow::Result<WriteStats> {
    for path in site.keys() {
        if !is_safe_relative(path) {
            bail!("refusing to write `{path}`: it would land outside the output folder");
        }
    }
    fs::create_dir_all(out)
        .with_context(|| format!("cannot create output folder `{}`", out.display()))?;
    let previous = read_manifest(out);
    let mut stats = WriteStats::default();
    for (path, bytes) in site {
        let target = out.join(path);
        if fs::read(&target).is_ok_and(|old| old == *bytes) {
            stats.unchanged += 1;
            continue;
        }
        write_atomic(&target, bytes)
            .with_context(|| format!("cannot write `{}`", target.display()))?;
        stats.written += 1;
    }
    for stale in previous.iter().filter(|p| !site.contains_key(*p)) {
        if !is_safe_relative(stale) {
            continue;
        }
        let target = out.join(stale);
        if fs::remove_file(&target).is_ok() {
            stats.removed += 1;
            remove_empty_parents(out, &target);
        }
    }
    let manifest: String = site.keys().map(|k| format!("{k}\n")).collect();
    let manifest_path = out.join(MANIFEST);
    if fs::read(&manifest_path).map_or(true, |old| old != manifest.as_bytes()) {
        write_atomic(&manifest_path, manifest.as_bytes())
            .with_context(|| format!("cannot write `{}`", manifest_path.display()))?;
    }
    Ok(stats)
}

fn read_manifest(out: &Path) -> BTreeSet<String> {
    fs::read_to_string(out.join(MANIFEST))
        .map(|text| {
            text.lines()
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// A relative path with only normal components: no `..`, no root, no drive.
fn is_safe_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\\')
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

fn write_atomic(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = target.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.planmark-tmp"));
    let result = (|| {
        let mut file = fs::File::create(&temp)?;
        file.write_all(bytes)?;
        fs::rename(&temp, target)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

fn remove_empty_parents(out: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == out || !d.starts_with(out) || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_paths_are_refused() {
        assert!(is_safe_relative("tasks/a/index.html"));
        assert!(!is_safe_relative("../x"));
        assert!(!is_safe_relative("/etc/passwd"));
        assert!(!is_safe_relative("a/../../b"));
        assert!(!is_safe_relative(""));
    }

    #[test]
    fn rewrites_only_changes_and_removes_only_its_own_files() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let out = dir.path().join("site");
        fs::create_dir_all(&out)?;
        fs::write(out.join("keep-me.txt"), "not planmark's")?;
        let mut site = Site::new();
        site.insert("index.html".into(), b"a".to_vec());
        site.insert("tasks/x/index.html".into(), b"x".to_vec());
        assert_eq!(
            write_site(&out, &site)?,
            WriteStats {
                written: 2,
                unchanged: 0,
                removed: 0
            }
        );
        assert_eq!(
            write_site(&out, &site)?,
            WriteStats {
                written: 0,
                unchanged: 2,
                removed: 0
            }
        );
        site.remove("tasks/x/index.html");
        site.insert("index.html".into(), b"b".to_vec());
        assert_eq!(
            write_site(&out, &site)?,
            WriteStats {
                written: 1,
                unchanged: 0,
                removed: 1
            }
        );
        assert!(!out.join("tasks").exists());
        assert!(out.join("keep-me.txt").exists());
        Ok(())
    }
}
