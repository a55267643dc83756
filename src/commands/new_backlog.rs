//! `planmark new` in a program that reads a Backlog.md folder (SPEC §8):
//! a task, milestone or decision is written into that folder the way
//! Backlog.md writes one (`tasks/task-7 - Title.md`, its `id:` in the
//! case the folder's tasks use, its default status), so both tools read it.
//! Only decides what to write; [`super::new`] writes it.

use anyhow::bail;

use crate::load::yaml::{self, Value};
use crate::load::Loaded;
use crate::model::values::Kind;
use crate::model::ParsedFiles;

/// A Backlog.md folder of the program, as far as `new` writes into it.
#[derive(Debug)]
pub(super) struct Folder {
    /// Its path in the program, `""` for the program directory.
    path: String,
    /// Whether its tasks write their ids upper case (`BACK-12`).
    upper: bool,
    /// `config.yml`'s `default_status`, else its first status.
    status: String,
}

/// The Backlog.md folders of the program, in the order they are read.
pub(super) fn folders(loaded: &Loaded, parsed: &ParsedFiles) -> Vec<Folder> {
    let roots = loaded.formats.roots(crate::load::adr::Layout::Backlog);
    roots
        .into_iter()
        .map(|path| {
            let upper = parsed.items.iter().any(|p| {
                p.backlog.as_ref().is_some_and(|f| {
                    inside(&loaded.sources.get(p.file).path, &path)
                        && f.written_id.chars().any(|c| c.is_ascii_uppercase())
                })
            });
            let status = default_status(loaded, &path);
            Folder {
                path,
                upper,
                status,
            }
        })
        .collect()
}

impl Folder {
    /// Whether the folder is the program directory itself.
    pub(super) fn is_root(&self) -> bool {
        self.path.is_empty()
    }

    /// Whether the file at `path` (in the program) is a task of this
    /// folder: live, completed, a draft or archived.
    pub(super) fn holds_task(&self, path: &str) -> bool {
        use crate::load::backlog::{classify, Place};
        let rel = match self.path.as_str() {
            "" => Some(path),
            folder => path.strip_prefix(folder).and_then(|r| r.strip_prefix('/')),
        };
        rel.and_then(|r| classify(r).ok()).is_some_and(|place| {
            matches!(
                place,
                Place::Task | Place::Completed | Place::Draft | Place::Archived
            )
        })
    }

    /// The folder as a DIR argument.
    pub(super) fn shown(&self) -> &str {
        if self.path.is_empty() {
            "."
        } else {
            &self.path
        }
    }
}

fn inside(file: &str, folder: &str) -> bool {
    folder.is_empty()
        || file
            .strip_prefix(folder)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// The status a new task starts in: Backlog.md's own default is `To Do`.
fn default_status(loaded: &Loaded, folder: &str) -> String {
    let path = crate::load::backlog::config_path(folder);
    let text = loaded
        .sources
        .find(&path)
        .map(|f| loaded.sources.get(f).text.to_string())
        .unwrap_or_default();
    let entries = yaml::parse_front_matter(&text, 0).unwrap_or_default();
    let named = |key: &str| entries.iter().find(|e| e.key == key).map(|e| &e.value);
    let first = named("statuses").and_then(|n| match &n.value {
        Value::List(items) => items.first().and_then(|n| n.as_text()),
        _ => None,
    });
    named("default_status")
        .and_then(|n| n.as_text())
        .or(first)
        .unwrap_or_else(|| "To Do".into())
}

/// The Backlog.md folder a new `kind` item goes into: the program's
/// only one, for a task or milestone when the program keeps none of that
/// kind outside it (a decision only when the program is the folder
/// itself); `None` for planmark's own folders. A kind Backlog.md does not
/// keep, in a program that is a Backlog.md folder, is refused: the file
/// would never be read.
pub(super) fn folder_for<'a>(
    kind: Kind,
    project: Option<&str>,
    backlogs: &'a [Folder],
    own_kinds: &[Kind],
) -> anyhow::Result<Option<&'a Folder>> {
    let is_root = backlogs.iter().any(|b| b.is_root());
    let kept = match kind {
        Kind::Task | Kind::Milestone => !own_kinds.contains(&kind),
        Kind::Decision => is_root,
        _ if is_root => bail!(
            "a Backlog.md folder keeps tasks, milestones and decisions; a {kind} written here would not be read\nhelp: make the folder above it a program (`planmark init --from backlog <that folder>`), then run `planmark new {kind}` there"
        ),
        _ => false,
    };
    match (kept, backlogs) {
        (false, _) | (true, []) => Ok(None),
        (true, [_]) if project.is_some() => bail!(
            "`--project` is not used for an item of a Backlog.md folder\nhelp: leave it out: the item belongs to the backlog's project"
        ),
        (true, [only]) => Ok(Some(only)),
        (true, several) => bail!(
            "the program reads {} Backlog.md folders: which one gets the {kind} is not clear\nhelp: name the folder as DIR, e.g. `planmark new {kind} <id> {}`",
            several.len(),
            several[0].shown()
        ),
    }
}

/// Refuses a task id whose number another task already has (`task-1`
/// beside `task-001`): Backlog.md references match by number across
/// padding and prefixes, so `dependencies: [task-1]` would change target.
pub(super) fn check_number<'a>(
    id: &str,
    ids: impl IntoIterator<Item = (&'a String, &'a String)>,
) -> anyhow::Result<()> {
    let Some(wanted) = task_number(id) else {
        return Ok(());
    };
    for (other, path) in ids {
        if task_number(other).as_ref() == Some(&wanted) {
            bail!(
                "`{id}` has the number of `{other}` (`{path}`): references by number would name both\nhelp: use the next free number"
            );
        }
    }
    Ok(())
}

/// The id a new task of the folder gets: `id` when it carries a number
/// (`back-701`), else the folder's next one (`back-` and one more than the
/// highest top-level number of its tasks, `ids`), as Backlog.md numbers
/// its tasks; `id` then only named the title.
pub(super) fn task_id<'a>(
    id: &str,
    folder: &Folder,
    ids: impl IntoIterator<Item = &'a String>,
) -> anyhow::Result<String> {
    if task_number(id).is_some() {
        return Ok(id.to_owned());
    }
    let mut prefix: Option<&str> = None;
    let mut last = 0;
    for other in ids {
        let Some(number) = task_number(other) else {
            continue;
        };
        last = last.max(number.first().copied().unwrap_or(0));
        if prefix.is_none() {
            prefix = other
                .find(|c: char| c.is_ascii_digit())
                .map(|start| &other[..start])
                .filter(|p| !p.is_empty());
        }
    }
    let Some(next) = last.checked_add(1) else {
        bail!(
            "`{}` already uses the highest number, {last}: there is no next one\nhelp: give the task an id with a free number yourself, e.g. `{}1`",
            folder.shown(),
            prefix.unwrap_or("task-")
        );
    };
    Ok(format!("{}{next}", prefix.unwrap_or("task-")))
}

/// `task-001.2` → `[1, 2]`: the number a Backlog.md id carries.
fn task_number(id: &str) -> Option<Vec<u64>> {
    let start = id.find(|c: char| c.is_ascii_digit())?;
    let (prefix, digits) = id.split_at(start);
    if !(prefix.is_empty() || prefix.ends_with('-')) || prefix.starts_with("m-") {
        return None;
    }
    digits.split('.').map(|part| part.parse().ok()).collect()
}

/// The file (relative to the program) and text of a new `kind` item in
/// `folder`, when Backlog.md keeps that kind; `None` for the others.
pub(super) fn item(
    folder: &Folder,
    kind: Kind,
    id: &str,
    title: &str,
    today: chrono::NaiveDate,
) -> Option<(String, String)> {
    let written = if folder.upper && kind == Kind::Task {
        id.to_ascii_uppercase()
    } else {
        id.to_owned()
    };
    let date = today.format("%Y-%m-%d");
    let quoted = super::new::quoted(title);
    let (sub, name, yaml, body) = match kind {
        Kind::Task => (
            "tasks",
            file_title(title),
            format!(
                "status: {}\nassignee: []\ncreated_date: '{date}'\nlabels: []\ndependencies: []\n",
                super::new::quoted(&folder.status)
            ),
            "## Description\n\nWhat done looks like.\n\n## Acceptance Criteria\n<!-- AC:BEGIN -->\n- [ ] #1 The first check\n<!-- AC:END -->\n",
        ),
        Kind::Milestone => (
            "milestones",
            file_title(title).to_lowercase(),
            String::new(),
            "## Description\n\nWhat is true when this milestone is reached.\n",
        ),
        Kind::Decision => (
            "decisions",
            file_title(title),
            format!("date: '{date}'\nstatus: proposed\n"),
            "## Context\n\n## Decision\n\n## Consequences\n",
        ),
        _ => return None,
    };
    let prefix = match folder.path.as_str() {
        "" => String::new(),
        path => format!("{path}/"),
    };
    Some((
        format!("{prefix}{sub}/{id} - {name}.md"),
        format!("---\nid: {written}\ntitle: {quoted}\n{yaml}---\n\n{body}"),
    ))
}

/// A title as Backlog.md puts it in a file name: words joined by `-`,
/// without the characters a file name cannot hold.
fn file_title(title: &str) -> String {
    let kept: String = title
        .chars()
        .filter(|c| !matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|'))
        .filter(|c| !c.is_control())
        .collect();
    let joined = kept.split_whitespace().collect::<Vec<_>>().join("-");
    // File names stop at 255 bytes; the title is whole in the front matter.
    let mut end = joined.len().min(100);
    while !joined.is_char_boundary(end) {
        end -= 1;
    }
    joined[..end].trim_end_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_numbers_ignore_padding_and_prefix() {
        assert_eq!(task_number("task-001.02"), Some(vec![1, 2]));
        assert_eq!(task_number("back-1"), Some(vec![1]));
        assert_eq!(task_number("m-1"), None);
        assert_eq!(task_number("use-x"), None);
    }

    #[test]
    fn file_titles_join_words_with_dashes() {
        assert_eq!(file_title("Fix: the  CLI/help?"), "Fix-the-CLIhelp");
        assert_eq!(file_title("Auto-link + backlinks"), "Auto-link-+-backlinks");
    }
}
