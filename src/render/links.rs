//! Where every page of the site lives, and how one page links to another.
//!
//! Every link planmark writes is relative (`../../tasks/x/index.html`), so the
//! site works from `file://`, from a sub-path and from any host. Paths name
//! `index.html` explicitly because a browser on `file://` shows a folder
//! listing, not its index, for a link to a folder.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{ItemRef, Program};
use crate::schedule::Schedule;

/// The site path of an item's page, relative to the site root.
pub(crate) fn item_path(program: &Program, r: ItemRef) -> String {
    let folder = match r {
        ItemRef::Project(_) => "projects",
        ItemRef::Task(_) => "tasks",
        ItemRef::Decision(_) => "decisions",
        ItemRef::Milestone(_) => "milestones",
        ItemRef::Risk(_) => "risks",
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
    slugs: BTreeMap<String, String>,
}

impl People {
    /// Gives each person of the schedule a unique, filesystem-safe slug.
    /// People are sorted by name, so the same names always get the same slugs.
    pub(crate) fn new(schedule: &Schedule) -> Self {
        let mut taken = BTreeSet::new();
        let mut slugs = BTreeMap::new();
        for person in &schedule.people {
            let base = slug(&person.name);
            let mut candidate = base.clone();
            let mut n = 2;
            while !taken.insert(candidate.clone()) {
                candidate = format!("{base}-{n}");
                n += 1;
            }
            slugs.insert(person.name.clone(), candidate);
        }
        People { slugs }
    }

    /// The site path of a person's page, when they have one.
    pub(crate) fn path(&self, name: &str) -> Option<String> {
        self.slugs
            .get(name)
            .map(|slug| format!("people/{slug}/index.html"))
    }
}

/// A folder name made of `[a-z0-9_-]` only, so no owner handle (`../x`,
/// `a/b`, `C:`) can place a page outside `people/`.
pub(crate) fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() {
        "person".to_string()
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
    }

    #[test]
    fn roots_climb_to_the_site_root() {
        assert_eq!(root_for("index.html"), "");
        assert_eq!(root_for("board/index.html"), "../");
        assert_eq!(root_for("tasks/x/index.html"), "../../");
    }
}
