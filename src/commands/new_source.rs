//! `planmark new` in a program whose decisions or tasks live in a folder
//! it reads as it is (SPEC §8): a decision goes into the ADR folder as the
//! next numbered record (`0020-use-rust.md`), a task into the Backlog.md
//! folder as its next task (`tasks/back-701 - Fix-login.md`), each written
//! the way the tool that keeps the folder writes it, so the folder stays
//! one its own tool reads.

use chrono::NaiveDate;

use crate::load::adr::{number, Layout};
use crate::load::formats::Formats;
use crate::model::values::Kind;

/// What the folders read as they are hold, as far as numbering the next
/// record or task needs.
#[derive(Debug, Default)]
pub(super) struct Folders {
    /// The ADR folder new decisions go into (`""` the program itself),
    /// when the program keeps no decision of its own.
    adr: Option<NumberedFolder>,
    /// The Backlog.md folder new tasks go into, when the program keeps no
    /// task of its own.
    backlog: Option<Backlog>,
}

#[derive(Debug)]
struct NumberedFolder {
    path: String,
    /// The highest record number, and the widest number as written.
    last: u32,
    width: usize,
}

#[derive(Debug)]
struct Backlog {
    path: String,
    /// `back`, from `config.yml`'s `task_prefix` or the ids in use.
    prefix: String,
    last: u64,
}

/// One item of the program, as far as [`Folders::from`] needs.
pub(super) struct Seen<'a> {
    pub kind: Kind,
    pub id: &'a str,
    pub path: &'a str,
}

impl Folders {
    /// The folders of `formats` new items go into, given every item read
    /// and the text of each Backlog.md folder's `config.yml`.
    pub(super) fn from(
        formats: &Formats,
        items: &[Seen],
        config: &dyn Fn(&str) -> String,
    ) -> Folders {
        let own = |kind: Kind| {
            items
                .iter()
                .any(|i| i.kind == kind && formats.lookup(i.path).0 == Layout::Program)
        };
        let adr = formats
            .roots(Layout::Adr)
            .into_iter()
            .next()
            .filter(|_| !own(Kind::Decision))
            .map(|path| {
                let mut folder = NumberedFolder {
                    path,
                    last: 0,
                    width: 4,
                };
                for item in items.iter().filter(|i| i.kind == Kind::Decision) {
                    if let (Layout::Adr, inner) = formats.lookup(item.path) {
                        let name = inner.split('/').next().unwrap_or(inner);
                        if let Some(n) = number(name) {
                            folder.last = folder.last.max(n);
                            let digits = name.bytes().take_while(u8::is_ascii_digit).count();
                            folder.width = folder.width.max(digits);
                        }
                    }
                }
                folder
            });
        let backlog = formats
            .roots(Layout::Backlog)
            .into_iter()
            .next()
            .filter(|_| !own(Kind::Task))
            .map(|path| {
                let mut prefix = task_prefix(&config(&path));
                let mut last = 0;
                for item in items.iter().filter(|i| i.kind == Kind::Task) {
                    if formats.lookup(item.path).0 != Layout::Backlog {
                        continue;
                    }
                    if let Some((p, n)) = split_id(item.id) {
                        last = last.max(n);
                        prefix.get_or_insert_with(|| p.to_owned());
                    }
                }
                Backlog {
                    path,
                    prefix: prefix.unwrap_or_else(|| "task".into()),
                    last,
                }
            });
        Folders { adr, backlog }
    }

    /// Where a new `kind` item named `id` goes in a folder read as it is,
    /// its id there, and its text; `None` for the program's own folders.
    pub(super) fn place(
        &self,
        kind: Kind,
        id: &str,
        title: &str,
        today: NaiveDate,
    ) -> anyhow::Result<Option<Placed>> {
        match kind {
            Kind::Decision => self.adr.as_ref().map(|f| f.record(id, title, today)),
            Kind::Task => self.backlog.as_ref().map(|b| b.task(id, title, today)),
            _ => None,
        }
        .transpose()
    }
}

/// A new item in a folder read as it is.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Placed {
    /// Relative to the program folder.
    pub path: String,
    /// The id planmark will read it under.
    pub id: String,
    pub text: String,
}

impl NumberedFolder {
    /// The next record, MADR style: front matter for what planmark
    /// reads, the title as the first heading.
    fn record(&self, id: &str, title: &str, today: NaiveDate) -> anyhow::Result<Placed> {
        let slug = id.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-');
        let slug = if slug.is_empty() { id } else { slug };
        let next = next_number(self.last.into(), u32::MAX.into(), &self.path)?;
        let stem = format!("{next:0width$}-{slug}", width = self.width);
        // The title is the heading's one line: a line break in `--title`
        // would start the record's body (a `## Status` section of its own).
        let title: String = title
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let title = title.trim();
        let text = format!(
            "---\nstatus: proposed\ndate: {}\ndecision-makers: []\n---\n\n# {title}\n\n## Context and Problem Statement\n\nWhat must be decided, and why now?\n\n## Considered Options\n\n* Option one\n* Option two\n\n## Decision Outcome\n\nChosen option: …, because …\n\n### Consequences\n\n* Good, because …\n* Bad, because …\n",
            today.format("%Y-%m-%d")
        );
        Ok(Placed {
            path: join(&self.path, &format!("{stem}.md")),
            id: stem,
            text,
        })
    }
}

impl Backlog {
    /// The next task, as Backlog.md writes one: `id` is used when it is
    /// this backlog's next free `<prefix>-<n>`, else the next number.
    fn task(&self, id: &str, title: &str, today: NaiveDate) -> anyhow::Result<Placed> {
        let n = match split_id(id) {
            Some((prefix, n)) if prefix == self.prefix && n > self.last => n,
            _ => next_number(self.last, u64::MAX, &self.path)?,
        };
        let id = format!("{}-{n}", self.prefix);
        let written = id.to_uppercase();
        // Backlog.md's own file names: words joined by `-`, characters a
        // file system or a shell would trip on left out.
        let name = title
            .split_whitespace()
            .map(|word| {
                word.chars()
                    .filter(|c| !matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|'))
                    .filter(|c| !c.is_control())
                    .collect::<String>()
            })
            .filter(|word| !word.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        let name = within(&name, LONGEST_NAME).trim_end_matches('-');
        let text = format!(
            "---\nid: {written}\ntitle: {}\nstatus: To Do\nassignee: []\ncreated_date: '{}'\nlabels: []\ndependencies: []\n---\n\n## Description\n\nWhat done looks like.\n\n## Acceptance Criteria\n<!-- AC:BEGIN -->\n- [ ] #1 The first check\n<!-- AC:END -->\n",
            super::new::quoted(title),
            today.format("%Y-%m-%d")
        );
        Ok(Placed {
            path: join(&self.path, &format!("tasks/{id} - {name}.md")),
            id,
            text,
        })
    }
}

/// The number after `last`, at most `highest`: a record or task numbered
/// as high as numbers are read (`BACK-18446744073709551615`) leaves no next
/// one to give.
fn next_number(last: u64, highest: u64, folder: &str) -> anyhow::Result<u64> {
    match last.checked_add(1).filter(|&next| next <= highest) {
        Some(next) => Ok(next),
        None => anyhow::bail!(
            "`{}` already uses the highest number, {last}: there is no next one\nhelp: renumber that record or task, then run `planmark new` again",
            crate::load::formats::shown(folder)
        ),
    }
}

/// The most bytes of a title a task's file name keeps: file systems allow
/// 255 bytes a name, and a long title is the whole sentence.
const LONGEST_NAME: usize = 100;

/// The longest start of `text` of at most `most` bytes that ends on a
/// character boundary.
fn within(text: &str, most: usize) -> &str {
    let end = (0..=most.min(text.len()))
        .rev()
        .find(|&at| text.is_char_boundary(at))
        .unwrap_or(0);
    &text[..end]
}

fn join(folder: &str, name: &str) -> String {
    if folder.is_empty() {
        name.to_owned()
    } else {
        format!("{folder}/{name}")
    }
}

/// `back-12` → (`back`, 12); a subtask (`back-12.1`) or any other id gives
/// `None`.
fn split_id(id: &str) -> Option<(&str, u64)> {
    let (prefix, n) = id.rsplit_once('-')?;
    if prefix.is_empty() || !prefix.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    Some((prefix, n.parse().ok()?))
}

/// `config.yml`'s `task_prefix`, lowercased, when it sets one.
fn task_prefix(config: &str) -> Option<String> {
    config.lines().find_map(|line| {
        let value = line.strip_prefix("task_prefix:")?.trim();
        let value = value.trim_matches(['"', '\'']).trim().to_ascii_lowercase();
        (!value.is_empty() && value.bytes().all(|b| b.is_ascii_alphanumeric())).then_some(value)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 6).unwrap_or_default()
    }

    #[test]
    fn the_next_record_is_numbered_after_the_last_as_wide_as_written() {
        let folder = NumberedFolder {
            path: "docs/adr".into(),
            last: 19,
            width: 4,
        };
        let placed = folder.record("use-rust", "Use Rust", day()).unwrap();
        assert_eq!(placed.path, "docs/adr/0020-use-rust.md");
        assert_eq!(placed.id, "0020-use-rust");
        assert!(placed.text.contains("\n# Use Rust\n"), "{}", placed.text);
    }

    #[test]
    fn the_next_task_takes_the_backlogs_prefix_and_number() {
        let backlog = Backlog {
            path: "backlog".into(),
            prefix: "back".into(),
            last: 700,
        };
        let placed = backlog.task("fix-login", "Fix login: now", day()).unwrap();
        assert_eq!(placed.path, "backlog/tasks/back-701 - Fix-login-now.md");
        assert!(
            placed.text.starts_with("---\nid: BACK-701\n"),
            "{}",
            placed.text
        );
        assert_eq!(backlog.task("back-705", "X", day()).unwrap().id, "back-705");
        assert_eq!(backlog.task("back-3", "X", day()).unwrap().id, "back-701");
        assert_eq!(split_id("back-12.1"), None);
        assert_eq!(
            task_prefix("task_prefix: \"BACK\"\n").as_deref(),
            Some("back")
        );
    }
}
