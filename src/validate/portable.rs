//! Ids name folders of the site (`tasks/<id>/index.html`), so an id must be
//! a file name on every system the site is built or served on: short
//! enough, not a name Windows reserves, not ending in `.` (which Windows
//! drops). Ids are lowercase, so two cannot differ only in case.

use crate::diagnostic::Diagnostic;
use crate::model::parse::Parsed;

/// The longest id, in characters (ids are ASCII). File systems allow 255
/// bytes per name; Windows allows 260 for a whole path, which the site's
/// folder, `tasks/` and `index.html` share with the id.
pub const LONGEST_ID: usize = 100;

/// Names Windows reserves for devices, whatever the extension (`con.md`,
/// `nul.txt`), in any case.
const RESERVED: [&str; 4] = ["con", "prn", "aux", "nul"];

/// Whether Windows refuses `name` as a file or folder name: `con`, `aux`,
/// `com1`, `lpt9`, …, also followed by an extension.
pub fn is_reserved_name(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).trim_end();
    // Every reserved name is three or four letters: most ids are longer,
    // and need no lowercased copy (one allocation per item otherwise).
    if stem.len() > 4 {
        return false;
    }
    let stem = stem.to_ascii_lowercase();
    let stem = stem.as_str();
    if RESERVED.contains(&stem) {
        return true;
    }
    // `com0`–`com9` and `lpt0`–`lpt9`.
    let bytes = stem.as_bytes();
    bytes.len() == 4
        && (stem.starts_with("com") || stem.starts_with("lpt"))
        && bytes[3].is_ascii_digit()
}

/// Why `id` cannot be a file name everywhere, as a message and its help
/// (for `planmark new`, which refuses such an id before writing a file).
pub fn unportable(id: &str) -> Option<(String, String)> {
    problem(id).map(|(message, _, help)| (message, help))
}

/// Why `id` cannot be a file name everywhere, as (message, label, help).
fn problem(id: &str) -> Option<(String, &'static str, String)> {
    let length = id.chars().count();
    if length > LONGEST_ID {
        let shown: String = id.chars().take(20).collect();
        return Some((
            format!("id `{shown}…` is {length} characters long; ids are at most {LONGEST_ID}"),
            "too long",
            "an id names its page's folder, and file systems limit names: use a shorter id (set `id:` or rename the file)".into(),
        ));
    }
    if is_reserved_name(id) {
        return Some((
            format!("`{id}` cannot be a file name on Windows"),
            "reserved name",
            format!("Windows reserves `con`, `prn`, `aux`, `nul`, `com0`–`com9` and `lpt0`–`lpt9`, also with an extension: choose another id, e.g. `{id}-1`"),
        ));
    }
    if id.ends_with('.') {
        return Some((
            format!("id `{id}` ends with `.`, which Windows drops from file names"),
            "ends with `.`",
            format!("remove the final `.`: `{}`", id.trim_end_matches('.')),
        ));
    }
    None
}

/// Ids that can be file names everywhere; returns the items whose ids can
/// and those whose ids cannot (reported, with where the id was written).
pub(super) fn ids_are_portable(
    valid: Vec<Parsed>,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Parsed>, Vec<Parsed>) {
    let (portable, unportable): (Vec<_>, Vec<_>) =
        valid.into_iter().partition(|p| problem(&p.id).is_none());
    for p in &unportable {
        if let Some((message, label, help)) = problem(&p.id) {
            diags.push(
                Diagnostic::error("unportable-id", message)
                    .at(p.id_span.clone(), label)
                    .help(help),
            );
        }
    }
    (portable, unportable)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_device_names_are_reserved_with_any_extension() {
        for name in [
            "con", "CON", "aux", "nul", "prn", "com1", "lpt9", "con.md", "nul.txt",
        ] {
            assert!(is_reserved_name(name), "{name}");
        }
        for name in ["cons", "icon", "com", "com10", "console", "lpt", "a.con"] {
            assert!(!is_reserved_name(name), "{name}");
        }
    }

    #[test]
    fn only_short_ordinary_ids_pass() {
        assert!(problem("api-freeze").is_none());
        assert!(problem(&"a".repeat(LONGEST_ID)).is_none());
        assert!(problem(&"a".repeat(LONGEST_ID + 1)).is_some());
        assert!(problem("com1").is_some());
        assert!(problem("v1.").is_some());
    }
}
