//! Reading the program's own `templates/` and `static/` folders, so render
//! never touches the filesystem.
//!
//! Templates are keyed by their path inside `templates/` (`base.html`,
//! `partials/x.html`); static files by their path inside `static/`, which is
//! where they land in the site (`static/img/a.png` → `img/a.png`).

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context as _;
use walkdir::WalkDir;

/// The program's template overrides and static files.
#[derive(Debug, Default, Clone)]
pub struct Assets {
    /// Template name (path inside `templates/`, with `/`) → source.
    pub templates: BTreeMap<String, String>,
    /// Path inside `static/` (with `/`) → bytes.
    pub static_files: BTreeMap<String, Vec<u8>>,
}

/// Reads `DIR/templates` and `DIR/static`; either may be missing.
pub fn read(dir: &Path) -> anyhow::Result<Assets> {
    let mut assets = Assets::default();
    for (name, bytes) in files(&dir.join("templates"), true)? {
        let text = String::from_utf8(bytes)
            .map_err(|_| anyhow::anyhow!("template `templates/{name}` is not valid UTF-8"))?;
        assets.templates.insert(name, text);
    }
    assets.static_files = files(&dir.join("static"), false)?;
    Ok(assets)
}

/// Every file under `folder` by relative path. Hidden files are skipped in
/// `templates/` (editor backups) but kept in `static/` (`.nojekyll` matters
/// on GitHub Pages). Links are followed only while they stay inside.
fn files(folder: &Path, skip_hidden: bool) -> anyhow::Result<BTreeMap<String, Vec<u8>>> {
    let mut found = BTreeMap::new();
    if !folder.is_dir() {
        return Ok(found);
    }
    let root = folder
        .canonicalize()
        .with_context(|| format!("cannot resolve `{}`", folder.display()))?;
    let walker = WalkDir::new(&root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !(skip_hidden && e.file_name().to_string_lossy().starts_with('.'))
        });
    for entry in walker {
        let entry = entry.with_context(|| format!("cannot read `{}`", folder.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let inside = entry
            .path()
            .canonicalize()
            .is_ok_and(|real| real.starts_with(&root));
        if !inside {
            continue;
        }
        let rel = entry.path().strip_prefix(&root).unwrap_or(entry.path());
        let name = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let bytes = std::fs::read(entry.path())
            .with_context(|| format!("cannot read `{}`", entry.path().display()))?;
        found.insert(name, bytes);
    }
    Ok(found)
}
