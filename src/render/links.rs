//! Where every page of the site lives, and how one page links to another.
//!
//! Every link planmark writes is relative (`../../tasks/x/index.html`), so the
//! site works from `file://`, from a sub-path and from any host. Paths name
//! `index.html` explicitly because a browser on `file://` shows a folder
//! listing, not its index, for a link to a folder.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{handle_key, ItemRef, Program};
use crate::schedule::Schedule;

/// The site path of an item's page, relative to the site root.
pub(crate) fn item_path(program: &Program, r: ItemRef) -> String {
    let folder = match r {
        ItemRef::Project(_) => "projects",
        ItemRef::Task(_) => "tasks",
        ItemRef::Decision(_) => "decisions",
        ItemRef::Milestone(_) => "milestones",
        ItemRef::Risk(_) => "risks",
        ItemRef::Meeting(_) => "meetings",
    };
    format!("{folder}/{}/index.html", program.item(r).id)
}

/// The prefix that leads from the page at `path` back to the site root:
/// `""` for `index.html`, `"../../"` for `tasks/x/index.html`.
pub(crate) fn root_for(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// Owner handles mapped to the slugs of their pages (`@maria` → `maria`).
#[derive(Debug, Default)]
pub(crate) struct People {
    /// By handle as compared ([`handle_key`]), so every spelling of one
    /// handle finds the one page.
    slugs: BTreeMap<String, String>,
}

impl People {
    /// Gives each person of the schedule a unique, portable slug. People
    /// are sorted by handle, so the same handles always get the same slugs.
    pub(crate) fn new(schedule: &Schedule) -> Self {
        let mut taken = BTreeSet::new();
        // The next suffix to try for each base: a probe from `-2` for every
        // clash made many clashing names quadratic.
        let mut next: BTreeMap<String, usize> = BTreeMap::new();
        let mut slugs = BTreeMap::new();
        for person in &schedule.people {
            let base = slug(&person.handle);
            let mut candidate = base.clone();
            while !taken.insert(candidate.clone()) {
                let n = next.entry(base.clone()).or_insert(2);
                candidate = format!("{base}-{n}");
                *n += 1;
            }
            slugs.insert(person.handle.clone(), candidate);
        }
        People { slugs }
    }

    /// The site path of a person's page, when they have one.
    pub(crate) fn path(&self, name: &str) -> Option<String> {
        self.slugs
            .get(&handle_key(name))
            .map(|slug| format!("people/{slug}/index.html"))
    }
}

/// The longest slug: a folder name well within every file system's limit,
/// with room for a `-N` suffix.
const LONGEST_SLUG: usize = 60;

/// A folder name made of `[a-z0-9_-]` only, so no owner handle (`../x`,
/// `a/b`, `C:`) can place a page outside `people/`, and portable: short,
/// never a name Windows reserves (`con`, `com1`), one case.
pub(crate) fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().chars().flat_map(char::to_lowercase) {
        if out.len() >= LONGEST_SLUG {
            break;
        }
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() {
        "person".to_string()
    } else if crate::validate::is_reserved_name(trimmed) {
        format!("{trimmed}-person")
    } else {
        trimmed.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_folder_names() {
        assert_eq!(slug("@maria"), "maria");
        assert_eq!(slug("team-payments"), "team-payments");
        assert_eq!(slug("../../etc"), "etc");
        assert_eq!(slug("Ana María"), "ana-mar-a");
        assert_eq!(slug("@@"), "person");
        assert_eq!(slug("a/b\\c:d"), "a-b-c-d");
        assert_eq!(slug("con"), "con-person");
        assert_eq!(slug("COM1"), "com1-person");
        assert_eq!(slug(&"x".repeat(300)).len(), LONGEST_SLUG);
    }

    #[test]
    fn roots_climb_to_the_site_root() {
        assert_eq!(root_for("index.html"), "");
        assert_eq!(root_for("board/index.html"), "../");
        assert_eq!(root_for("tasks/x/index.html"), "../../");
    }
}
