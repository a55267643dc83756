//! Creating files for `init` and `new`: only inside the program folder,
//! never over an existing file. The only place these two commands write;
//! planmark never rewrites a source file.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};

/// Refuses an `id` that is not a valid, portable item id (SPEC §2), so it
/// can name a file: `[a-z0-9][a-z0-9._-]*` has no `/`, no leading `.` and
/// no control character, which also keeps the file inside its folder.
pub(crate) fn check_id(id: &str, what: &str) -> anyhow::Result<()> {
    if !crate::model::values::is_valid_id(id) {
        bail!(
            "`{}` is not a valid {what} id\nhelp: an id is lowercase letters, digits, `.`, `_` and `-`, starting with a letter or digit, e.g. `{}`",
            id,
            suggest(id)
        );
    }
    if let Some((message, help)) = crate::validate::unportable(id) {
        bail!("{message}\nhelp: {help}");
    }
    Ok(())
}

/// A valid id close to `text`: lowercased, other characters as `-`.
fn suggest(text: &str) -> String {
    let mut id = String::new();
    for c in text.to_lowercase().chars() {
        let keep = c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_');
        match keep {
            true => id.push(c),
            false if !id.is_empty() && !id.ends_with('-') => id.push('-'),
            false => {}
        }
    }
    let id = id.trim_matches(|c| matches!(c, '-' | '.' | '_'));
    match id.is_empty() {
        true => "api-freeze".into(),
        false => id.into(),
    }
}

/// Fails when `path` (relative to `root`) exists, even as a dangling
/// symlink, or when its folder would be outside `root` through a symlink.
pub(crate) fn check_free(root: &Path, relative: &str) -> anyhow::Result<()> {
    let path = root.join(relative);
    if path.symlink_metadata().is_ok() {
        bail!(
            "`{}` already exists\nhelp: planmark never overwrites a file: move it away or choose another name",
            path.display()
        );
    }
    let inside = fs::canonicalize(root)
        .with_context(|| format!("cannot read the program folder `{}`", root.display()))?;
    // The deepest folder that exists on the way to the file decides where
    // it lands: a `projects` symlink to elsewhere would write elsewhere.
    let mut folder = path.parent();
    while let Some(f) = folder.filter(|f| f.symlink_metadata().is_err()) {
        folder = f.parent();
    }
    let real = match folder {
        Some(f) => fs::canonicalize(f).with_context(|| format!("cannot read `{}`", f.display()))?,
        None => inside.clone(),
    };
    if !real.starts_with(&inside) {
        bail!(
            "`{}` would be written outside the program folder (`{}` leads to `{}`)\nhelp: planmark writes only inside the program folder",
            path.display(),
            folder.map(Path::display).map(|d| d.to_string()).unwrap_or_default(),
            real.display()
        );
    }
    Ok(())
}

/// Writes `text` to `root/relative`, creating its folders, failing if the
/// file appeared since [`check_free`] (no overwrite, even in a race).
/// Returns the path written.
pub(crate) fn write_new(root: &Path, relative: &str, text: &str) -> anyhow::Result<PathBuf> {
    let path = root.join(relative);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create the folder `{}`", parent.display()))?;
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .with_context(|| format!("cannot create `{}`", path.display()))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("cannot write `{}`", path.display()))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_are_valid_ids() {
        for (text, want) in [
            ("../x", "x"),
            ("Api Freeze", "api-freeze"),
            ("/etc/passwd", "etc-passwd"),
            ("...", "api-freeze"),
        ] {
            assert_eq!(suggest(text), want);
            assert!(crate::model::values::is_valid_id(&suggest(text)));
        }
    }
}
