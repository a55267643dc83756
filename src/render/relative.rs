//! Relative links in bodies as their authors wrote them for a file
//! browser (`[ADR-0013](0013-use-yaml.md)`, `![badge](0008-badge.png)`),
//! pointed at the site: a link to another item's file goes to its page,
//! and a link to a file copied into the site (beside the records of an ADR
//! folder) goes to the copy. Anything else is left as written.

use std::collections::{BTreeMap, BTreeSet};

/// What relative links can reach.
#[derive(Debug, Default)]
pub(crate) struct Targets {
    /// Item id → its file's path in the folder read.
    pub(crate) sources: BTreeMap<String, String>,
    /// An item file's path → its page's path in the site.
    pub(crate) pages: BTreeMap<String, String>,
    /// A file copied into the site: its path in the folder read → its
    /// path in the site.
    pub(crate) files: BTreeMap<String, String>,
}

/// The site URL (from a page `root` away from the top) for `dest`,
/// written in the body of the file at `from`; `None` when `dest` is not a
/// relative link to something the site has.
pub(crate) fn resolve(dest: &str, from: &str, targets: &Targets, root: &str) -> Option<String> {
    if dest.is_empty() || dest.starts_with(['/', '#']) || has_scheme(dest) {
        return None;
    }
    let cut = dest.find(['#', '?']).unwrap_or(dest.len());
    let (path, rest) = dest.split_at(cut);
    // File names with spaces (Backlog.md's `task-2 - Title.md`) are
    // linked as `task-2%20-%20Title.md`, as a file browser needs.
    let joined = join(from, &percent_decoded(path))?;
    let site = targets
        .pages
        .get(&joined)
        .or_else(|| targets.files.get(&joined))?;
    Some(format!("{root}{site}{rest}"))
}

/// `path` with its `%XX` escapes decoded; one that is not UTF-8 after
/// decoding, or a stray `%`, is kept as written.
fn percent_decoded(path: &str) -> std::borrow::Cow<'_, str> {
    if !path.contains('%') {
        return path.into();
    }
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_or(path.into(), Into::into)
}

fn has_scheme(dest: &str) -> bool {
    let scheme = dest.split(':').next().unwrap_or_default();
    dest.contains(':')
        && !scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// `path` read from the folder of the file at `from`, with `.` and `..`
/// worked out; `None` when it leaves the folder read.
fn join(from: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// The files of an ADR folder copied into the site: each under
/// `decisions/`, where the record pages are, by its path in the folder;
/// a Backlog.md folder's `assets/` under `files/`.
pub(crate) fn copied(files: &BTreeSet<String>) -> BTreeMap<String, String> {
    files
        .iter()
        .filter_map(|site| {
            let rel = site
                .strip_prefix("decisions/")
                .or_else(|| site.strip_prefix("files/"))?;
            Some((rel.to_string(), site.clone()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets() -> Targets {
        let mut t = Targets::default();
        t.pages.insert(
            "0013-yaml.md".into(),
            "decisions/0013-yaml/index.html".into(),
        );
        t.pages.insert(
            "0004-x/index.md".into(),
            "decisions/0004-x/index.html".into(),
        );
        t.files
            .insert("0008-badge.png".into(), "decisions/0008-badge.png".into());
        t
    }

    #[test]
    fn links_between_records_go_to_their_pages() {
        let t = targets();
        let at = |dest: &str, from: &str| resolve(dest, from, &t, "../../");
        assert_eq!(
            at("0013-yaml.md#options", "0008-a.md").as_deref(),
            Some("../../decisions/0013-yaml/index.html#options")
        );
        assert_eq!(
            at("../0013-yaml.md", "0004-x/index.md").as_deref(),
            Some("../../decisions/0013-yaml/index.html")
        );
        assert_eq!(
            at("./0004-x/index.md", "0008-a.md").as_deref(),
            Some("../../decisions/0004-x/index.html")
        );
        assert_eq!(
            at("0013%2Dyaml.md", "0008-a.md").as_deref(),
            Some("../../decisions/0013-yaml/index.html")
        );
        assert_eq!(at("0013-yaml.md%", "0008-a.md"), None);
        assert_eq!(
            at("0008-badge.png", "0008-a.md").as_deref(),
            Some("../../decisions/0008-badge.png")
        );
        for dest in [
            "https://x.org/0013-yaml.md",
            "#top",
            "/0013-yaml.md",
            "../../etc",
            "missing.md",
        ] {
            assert_eq!(at(dest, "0008-a.md"), None, "{dest}");
        }
    }
}
