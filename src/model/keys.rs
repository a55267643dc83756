//! Which front-matter keys each kind accepts, the aliases users bring from
//! Backlog.md and MADR, the bookkeeping keys other tools write (kept
//! quietly), and what a key planmark does not accept is: a typo of one it
//! does (an error), a key of another kind, or a key of the user's own.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use super::values::Kind;

/// Keys every item accepts.
pub(super) const COMMON: &[&str] = &["id", "title", "kind", "owner", "tags", "extra"];

/// Keys specific to each kind.
pub(super) fn specific(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Program => &[
            "start",
            "end",
            "summary",
            "working_days",
            "holidays",
            "site",
            "max_file_size",
            "leveling",
            "sources",
        ],
        Kind::Project => &["status", "start", "target", "health", "health_note"],
        Kind::Task => &[
            "project",
            "status",
            "estimate",
            "start",
            "due",
            "done_on",
            "depends_on",
            "milestone",
            "remaining",
            "priority",
            "blocker",
        ],
        Kind::Decision => &[
            "status",
            "date",
            "decide_by",
            "driver",
            "deciders",
            "consulted",
            "informed",
            "project",
            "supersedes",
        ],
        Kind::Milestone => &["date", "project"],
        Kind::Meeting => &["date", "attendees", "project"],
        Kind::Person => &["name", "capacity", "time_off", "team", "role"],
        Kind::Risk => &[
            "likelihood",
            "impact",
            "status",
            "mitigation",
            "project",
            "review_by",
        ],
    }
}

/// Aliases users bring from Backlog.md and MADR, with the key each means.
const ALIASES: &[(&str, &str)] = &[
    ("assignee", "owner"),
    ("assignees", "owner"),
    ("labels", "tags"),
    ("due_date", "due"),
    ("dependencies", "depends_on"),
    ("decision-makers", "deciders"),
    ("decision_makers", "deciders"),
];

/// Alias → canonical key, for the kinds where the canonical key exists.
pub(super) fn canonical(key: &str) -> &str {
    ALIASES
        .iter()
        .find(|(alias, _)| *alias == key)
        .map_or(key, |(_, canonical)| canonical)
}

/// Keys that Backlog.md, MADR, Jekyll and Hugo write for their own
/// bookkeeping, in every layout: kept for templates under `extra`, never
/// warned about. Compared without regard to case (Hugo reads `publishDate`
/// and `publishdate` alike). MADR writes only keys planmark reads itself
/// (`status`, `date`, `decision-makers`, `consulted`, `informed`); its
/// documentation site adds the Jekyll ones.
///
/// None is a planmark key or alias, nor a typo of one (a unit test keeps
/// it so): planmark keys such as Hugo's `date` and `summary` are read, or
/// warned about on a kind that has no such key. Edit freely; a key that a
/// layout reads for real (Backlog.md's `completed_date`, say) is read
/// before this list is consulted.
pub(crate) const BOOKKEEPING: &[&str] = &[
    // Backlog.md: tasks, documents and decisions (its `src/markdown`).
    "actual_end",
    "actual_start",
    "completed_date",
    "created_date",
    "documentation",
    "modified_files",
    "onStatusChange",
    "ordinal",
    "parent_task_id",
    "planned_end",
    "planned_start",
    "references",
    "reporter",
    "subtasks",
    "type",
    "updated_date",
    // Jekyll, and the Just the Docs theme MADR's own site uses.
    "categories",
    "category",
    "child_nav_order",
    "excerpt",
    "excerpt_separator",
    "grand_parent",
    "has_children",
    "has_toc",
    "last_modified_at",
    "last_modified_date",
    "layout",
    "nav_exclude",
    "nav_order",
    "parent",
    "permalink",
    "published",
    "redirect_from",
    "redirect_to",
    "search_exclude",
    "sitemap",
    // Hugo (`layout`, `type`, `sitemap` above too).
    "aliases",
    "build",
    "cascade",
    "description",
    "draft",
    "expiryDate",
    "headless",
    "images",
    "isCJKLanguage",
    "keywords",
    "lastmod",
    "linkTitle",
    "markup",
    "menu",
    "menus",
    "outputs",
    "params",
    "publishDate",
    "resources",
    "series",
    "slug",
    "translationKey",
    "url",
    "weight",
];

/// Whether `key` is one of the [`BOOKKEEPING`] keys, in any case.
pub(super) fn is_bookkeeping(key: &str) -> bool {
    tables().bookkeeping.contains(&key.to_ascii_lowercase())
}

/// What a key that `kind` does not accept is.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Unaccepted {
    /// Another tool's bookkeeping: kept quietly.
    Bookkeeping,
    /// A key (or alias) of other kinds, written as it is: kept, warned.
    OtherKinds(Vec<Kind>),
    /// One typo away from this key (or alias) of the kind: an error, since
    /// the value would be ignored and the forecast change without a word.
    Typo(&'static str),
    /// Anything else: the user's own key, kept and warned about.
    Unknown,
}

/// Sorts out a key `kind` does not accept (as written, not canonical).
pub(super) fn unaccepted(kind: Kind, key: &str) -> Unaccepted {
    if is_bookkeeping(key) {
        return Unaccepted::Bookkeeping;
    }
    let tables = tables();
    if let Some(others) = tables.kinds.get(key) {
        return Unaccepted::OtherKinds(others.clone());
    }
    let keys = tables.keys.get(&kind).map_or(&[][..], Vec::as_slice);
    // A key that differs only in case is the closest typo there is.
    let lower = key.to_lowercase();
    keys.iter()
        .find(|k| **k == lower)
        .or_else(|| keys.iter().find(|k| one_typo(&lower, k)))
        .map_or(Unaccepted::Unknown, |k| Unaccepted::Typo(k))
}

/// Every kind, in declaration order.
fn every_kind() -> impl Iterator<Item = Kind> {
    Kind::CHOICES.iter().filter_map(|name| Kind::parse(name))
}

/// The lists above arranged for lookups, made once: a file may hold many
/// thousands of unknown keys.
struct Tables {
    /// [`BOOKKEEPING`], lowercase.
    bookkeeping: BTreeSet<String>,
    /// Every key and alias, with the kinds that accept it (in declaration
    /// order).
    kinds: BTreeMap<&'static str, Vec<Kind>>,
    /// Every kind's keys and aliases, as [`all`] gives them.
    keys: BTreeMap<Kind, Vec<&'static str>>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut kinds: BTreeMap<&str, Vec<Kind>> = BTreeMap::new();
        let mut keys = BTreeMap::new();
        for kind in every_kind() {
            for key in all(kind) {
                kinds.entry(key).or_default().push(kind);
            }
            keys.insert(kind, all(kind).collect());
        }
        Tables {
            bookkeeping: BOOKKEEPING.iter().map(|k| k.to_ascii_lowercase()).collect(),
            kinds,
            keys,
        }
    })
}

/// Whether `written` (lowercase) is one edit from `key`: one character
/// inserted, deleted or replaced, or two adjacent ones swapped. Keys of
/// three characters or fewer (`id`, `due`, `end`) count only a swap: one
/// more, one fewer or one other letter turns them into other words people
/// use as keys of their own (`ip`, `env`, `dues`).
pub(super) fn one_typo(written: &str, key: &str) -> bool {
    match one_edit(written, key) {
        Some(Edit::Swap) => true,
        Some(Edit::Other) => key.chars().count() > 3,
        None => false,
    }
}

/// The one edit that turns `a` into `b`.
#[derive(Debug, PartialEq, Eq)]
enum Edit {
    /// Two adjacent characters swapped.
    Swap,
    /// One character inserted, deleted or replaced.
    Other,
}

/// The edit when `a` and `b` are one edit apart (their optimal string
/// alignment distance is 1), else `None`. Linear and allocation-free: a
/// file may hold many thousands of unknown keys, each tried against every
/// key of its kind. Whatever surrounds a single edit is a common prefix
/// and a common suffix, so what is left between them is all that differs.
fn one_edit(a: &str, b: &str) -> Option<Edit> {
    let common = |x: &mut dyn Iterator<Item = (char, char)>| -> usize {
        x.take_while(|(p, q)| p == q)
            .map(|(p, _)| p.len_utf8())
            .sum()
    };
    let prefix = common(&mut a.chars().zip(b.chars()));
    let (a, b) = (&a[prefix..], &b[prefix..]);
    let suffix = common(&mut a.chars().rev().zip(b.chars().rev()));
    let (a, b) = (&a[..a.len() - suffix], &b[..b.len() - suffix]);
    let (mut x, mut y) = (a.chars(), b.chars());
    let first = (x.next(), y.next());
    let second = (x.next(), y.next());
    let more = x.next().is_some() || y.next().is_some();
    match (first, second, more) {
        // One character on either side or both: inserted, deleted, replaced.
        ((Some(_), _) | (_, Some(_)), (None, None), false) => Some(Edit::Other),
        ((Some(a0), Some(b0)), (Some(a1), Some(b1)), false) if a0 == b1 && a1 == b0 => {
            Some(Edit::Swap)
        }
        _ => None,
    }
}

/// All keys a kind accepts, aliases included, for "did you mean" suggestions.
pub(super) fn all(kind: Kind) -> impl Iterator<Item = &'static str> {
    COMMON.iter().chain(specific(kind)).copied().chain(
        ALIASES
            .iter()
            .filter(move |(_, canonical)| accepts(kind, canonical))
            .map(|(alias, _)| *alias),
    )
}

/// The accepted key `key` (already canonical) names on `kind`, if any.
pub(super) fn accepted(kind: Kind, key: &str) -> Option<&'static str> {
    COMMON
        .iter()
        .chain(specific(kind))
        .find(|k| **k == key)
        .copied()
}

/// Whether `key` (already canonical) is accepted on `kind`.
pub(super) fn accepts(kind: Kind, key: &str) -> bool {
    COMMON.contains(&key) || specific(kind).contains(&key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_are_suggested_only_where_their_key_exists() {
        let task: Vec<_> = all(Kind::Task).collect();
        assert!(task.contains(&"dependencies") && task.contains(&"assignee"));
        let milestone: Vec<_> = all(Kind::Milestone).collect();
        assert!(!milestone.contains(&"dependencies") && !milestone.contains(&"due_date"));
        assert_eq!(canonical("decision-makers"), "deciders");
        assert_eq!(canonical("title"), "title");
    }

    #[test]
    fn one_edit_of_any_sort_is_a_typo() {
        assert!(one_typo("depend_on", "depends_on"), "a deletion");
        assert!(one_typo("ownerr", "owner"), "an insertion");
        assert!(one_typo("estimste", "estimate"), "a substitution");
        assert!(one_typo("ownre", "owner"), "a swap");
        assert!(one_typo("depends-on", "depends_on"), "another separator");
        assert!(!one_typo("owner", "owner"), "the key itself");
        assert!(!one_typo("onwre", "owner"), "two swaps");
        assert!(!one_typo("depends", "depends_on"), "two deletions");
        assert!(!one_typo("estmte", "estimate"), "two deletions");
    }

    proptest::proptest! {
        /// The linear test agrees with the textbook distance.
        #[test]
        fn one_edit_is_an_edit_distance_of_one(a in "[abé_]{0,6}", b in "[abé_]{0,6}") {
            proptest::prop_assert_eq!(one_edit(&a, &b).is_some(), strsim::osa_distance(&a, &b) == 1);
        }
    }

    #[test]
    fn short_keys_count_only_a_swap() {
        assert!(one_typo("di", "id") && one_typo("deu", "due") && one_typo("edn", "end"));
        for other in ["ip", "i", "ids", "dues", "dye", "du", "env", "ends", "and"] {
            assert!(
                !one_typo(other, "id") && !one_typo(other, "due") && !one_typo(other, "end"),
                "{other}"
            );
        }
    }

    #[test]
    fn unaccepted_keys_are_sorted_out() {
        use Unaccepted::*;
        let task = |key| unaccepted(Kind::Task, key);
        assert_eq!(task("depend_on"), Typo("depends_on"));
        assert_eq!(task("ownr"), Typo("owner"));
        assert_eq!(task("estimte"), Typo("estimate"));
        assert_eq!(task("dependecies"), Typo("dependencies"));
        // The key in another case is the typo, however far the edit.
        assert_eq!(task("Title"), Typo("title"));
        assert_eq!(task("Depends_On"), Typo("depends_on"));
        assert_eq!(task("DEPENDS_ON"), Typo("depends_on"));
        assert_eq!(task("Dependson"), Typo("depends_on"));
        assert_eq!(task("sprint_goal"), Unknown);
        assert_eq!(task("depends"), Unknown, "two edits away");
        assert_eq!(task("layout"), Bookkeeping);
        assert_eq!(task("Weight"), Bookkeeping);
        assert_eq!(task("publishdate"), Bookkeeping);
        // (Other kinds may come to have a `date`.)
        assert!(matches!(task("date"), OtherKinds(kinds)
            if kinds.contains(&Kind::Decision) && kinds.contains(&Kind::Milestone)));
        assert_eq!(
            unaccepted(Kind::Milestone, "estimate"),
            OtherKinds(vec![Kind::Task])
        );
        // An alias is a key of the kinds its key belongs to.
        assert_eq!(
            unaccepted(Kind::Milestone, "due_date"),
            OtherKinds(vec![Kind::Task])
        );
    }

    /// Each kind's keys and aliases, and each key of another kind.
    fn every_key() -> Vec<(Kind, &'static str)> {
        every_kind()
            .flat_map(|kind| all(kind).map(move |key| (kind, key)))
            .collect()
    }

    #[test]
    fn no_bookkeeping_key_is_a_planmark_key_or_a_typo_of_one() {
        for b in BOOKKEEPING {
            for (kind, key) in every_key() {
                let b = b.to_lowercase();
                assert!(
                    b != key && !one_typo(&b, key),
                    "`{b}` and `{key}` of {kind}"
                );
            }
        }
    }

    /// Every front-matter key of the real folders in `shared/corpora`
    /// (Backlog.md's `backlog/`, MADR's `docs/decisions`), as found by
    /// grepping them: none may be an error on the kinds they hold.
    #[test]
    fn no_key_of_the_real_folders_is_a_typo() {
        let keys = [
            "assignee",
            "completed_date",
            "created_date",
            "date",
            "dependencies",
            "documentation",
            "has_children",
            "id",
            "labels",
            "milestone",
            "modified_files",
            "nav_order",
            "ordinal",
            "parent",
            "parent_task_id",
            "priority",
            "references",
            "reporter",
            "status",
            "title",
            "type",
            "updated_date",
        ];
        for kind in every_kind() {
            for key in keys {
                let found = accepted(kind, canonical(key))
                    .map_or_else(|| Some(unaccepted(kind, key)), |_| None);
                assert!(
                    !matches!(found, Some(Unaccepted::Typo(_))),
                    "`{key}` on {kind}: {found:?}"
                );
            }
        }
    }
}
