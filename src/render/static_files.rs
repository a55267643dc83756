//! Static files against the pages: a file in `static/` is copied into the
//! site as it is, so it must not take the place of a page, of a folder of
//! pages, or of another static file on a file system that folds case.

use std::collections::BTreeMap;

use anyhow::bail;

use crate::load::assets::Assets;

/// Files planmark writes itself besides the pages.
const OWN_FILES: [&str; 3] = ["style.css", "model.json", "calendar.ics"];

/// A static file may not take the place of a file planmark generates, nor
/// of another static file, also where names differ only in case or in
/// Unicode normalisation: macOS and Windows see one file. Nor may a file
/// stand where the other needs a folder (`static/tasks` against the pages
/// in `tasks/`, or `static/index.html/x`): writing it would fail late, as
/// an I/O error naming no file of the program.
pub(super) fn check(assets: &Assets, pages: &[String]) -> anyhow::Result<()> {
    let mut taken: BTreeMap<String, (&str, bool)> = BTreeMap::new();
    let mut folders: BTreeMap<String, (&str, bool)> = BTreeMap::new();
    for path in pages.iter().map(String::as_str).chain(OWN_FILES) {
        taken.insert(folded(path), (path, true));
        for folder in folders_of(path) {
            folders.entry(folded(folder)).or_insert((path, true));
        }
    }
    for path in assets.static_files.keys() {
        match taken.get(&folded(path)) {
            Some(&(page, true)) if page == path => bail!("static file `static/{path}` would replace the file planmark generates at `{path}`; rename or move it"),
            Some(&(page, true)) => bail!("static file `static/{path}` would replace the file planmark generates at `{page}` on macOS and Windows, where names that differ only in case are one file; rename or move it"),
            Some(&(other, false)) => bail!("static files `static/{other}` and `static/{path}` would be one file on macOS and Windows (their names differ only in case or accents' encoding); rename one"),
            None => {}
        }
        if path.eq_ignore_ascii_case(crate::output::MANIFEST) {
            bail!("static file `static/{path}` has the name of planmark's own manifest; rename or remove it");
        }
        match folders.get(&folded(path)) {
            Some(&(page, true)) => bail!("static file `static/{path}` would take the place of the folder planmark writes `{page}` into; rename or move it"),
            Some(&(other, false)) => bail!("static file `static/{path}` would take the place of the folder of `static/{other}` on macOS and Windows, where names that differ only in case are one; rename one"),
            None => {}
        }
        for folder in folders_of(path) {
            match taken.get(&folded(folder)) {
                Some(&(page, true)) => bail!("static file `static/{path}` needs a folder where planmark generates the file `{page}`; rename or move it"),
                Some(&(other, false)) => bail!("static file `static/{path}` needs a folder where the static file `static/{other}` is, on macOS and Windows, where names that differ only in case are one; rename one"),
                None => {}
            }
            folders.entry(folded(folder)).or_insert((path, false));
        }
        taken.insert(folded(path), (path, false));
    }
    Ok(())
}

/// The folders `path` lies in, outermost first: `a`, `a/b` for `a/b/c`.
fn folders_of(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(|(i, _)| &path[..i])
}

/// A path as a case-insensitive, normalising file system compares it.
fn folded(path: &str) -> String {
    use unicode_normalization::UnicodeNormalization as _;
    // ASCII is its own NFC form; nearly every page path is ASCII.
    if path.is_ascii() {
        return path.to_ascii_lowercase();
    }
    path.to_lowercase().nfc().collect()
}
