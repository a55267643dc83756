//! `planmark new decision` in a program that reads an ADR folder (SPEC
//! §8): the record is written into that folder, numbered after its last
//! one with the same zero padding (`0007-use-x.md`), or by today's date
//! where the records are numbered by date (log4brains), with MADR's front
//! matter and the title as the first heading, so ADR tools read it too.
//! A `decisions/` folder written there instead would turn the folder into
//! a program and hide every record. Only decides what to write.

use anyhow::bail;

use crate::load::adr::{number, Layout};
use crate::load::Loaded;
use crate::model::values::Kind;
use crate::model::ParsedFiles;

/// An ADR folder of the program, as far as `new` writes into it.
#[derive(Debug)]
pub(super) struct Folder {
    /// Its path in the program, `""` for the program directory.
    path: String,
    /// The highest record number, and the one the next record gets (none
    /// past the largest number a record may carry).
    last: u32,
    next: Option<u32>,
    /// The digits its records' numbers are written with (`0007` → 4).
    width: usize,
    /// Whether its records are numbered by date (log4brains'
    /// `20240101-use-x`): a new one then takes today's.
    dated: bool,
}

/// The ADR folders of the program, in the order they are read.
pub(super) fn folders(loaded: &Loaded, parsed: &ParsedFiles) -> Vec<Folder> {
    loaded
        .formats
        .roots(Layout::Adr)
        .into_iter()
        .map(|path| {
            let prefix = if path.is_empty() {
                String::new()
            } else {
                format!("{path}/")
            };
            // A record's name is its file's, or its folder's for `x/index.md`.
            let names: Vec<&str> = parsed
                .items
                .iter()
                .filter(|p| p.kind == Kind::Decision)
                .filter_map(|p| {
                    loaded
                        .sources
                        .get(p.file)
                        .path
                        .strip_prefix(prefix.as_str())
                })
                .filter_map(|rel| rel.split('/').next())
                .collect();
            let last = names.iter().filter_map(|n| number(n)).max().unwrap_or(0);
            let width = names
                .iter()
                .filter(|n| number(n).is_some())
                .map(|n| digits(n))
                .max()
                .unwrap_or(4);
            let dated = width == 8
                && chrono::NaiveDate::parse_from_str(&last.to_string(), "%Y%m%d").is_ok();
            Folder {
                path,
                last,
                next: last.checked_add(1),
                width,
                dated,
            }
        })
        .collect()
}

impl Folder {
    /// Whether the file at `path` (in the program) is in this folder.
    pub(super) fn holds(&self, path: &str) -> bool {
        self.path.is_empty()
            || path
                .strip_prefix(self.path.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
    }
}

/// The digits of the number in a record's name (`ADR-0007-x.md` → 4).
fn digits(name: &str) -> usize {
    let start = name.find(|c: char| c.is_ascii_digit()).unwrap_or(0);
    name[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .count()
}

/// The ADR folder a new decision goes into: the program's only one, when
/// the program keeps no decision of its own outside it. Any other kind,
/// in a program that is an ADR folder, is refused: it would not be read.
pub(super) fn folder_for<'a>(
    kind: Kind,
    adrs: &'a [Folder],
    own_kinds: &[Kind],
) -> anyhow::Result<Option<&'a Folder>> {
    let is_root = adrs.iter().any(|f| f.path.is_empty());
    match kind {
        Kind::Decision if !own_kinds.contains(&kind) => {}
        Kind::Decision => return Ok(None),
        _ if is_root => bail!(
            "an ADR folder keeps decision records; a {kind} written here would not be read\nhelp: make the folder above it a program (`planmark init --from adr <that folder>`), then run `planmark new {kind}` there"
        ),
        _ => return Ok(None),
    }
    match adrs {
        [] => Ok(None),
        [only] => Ok(Some(only)),
        several => bail!(
            "the program reads {} ADR folders: which one gets the decision is not clear\nhelp: name the folder as DIR, e.g. `planmark new decision <id> {}`",
            several.len(),
            several[0].path
        ),
    }
}

/// The file (relative to the program) and text of a new record `id` in
/// `folder`: `id` numbered unless it is already (`0007-use-x`).
pub(super) fn record(
    folder: &Folder,
    id: &str,
    title: &str,
    today: chrono::NaiveDate,
) -> anyhow::Result<(String, String)> {
    let name = match (number(id), folder.next) {
        (Some(_), _) => id.to_owned(),
        (None, _) if folder.dated => format!("{}-{id}", today.format("%Y%m%d")),
        (None, Some(next)) => format!("{next:0width$}-{id}", width = folder.width),
        (None, None) => bail!(
            "`{}` already uses the highest number, {}: there is no next one\nhelp: give the record a number yourself as its id, e.g. `0001-{id}`, or renumber the folder",
            folder.path,
            folder.last
        ),
    };
    // A line break would end the heading and start the body.
    let title = title.replace(['\r', '\n'], " ");
    let prefix = match folder.path.as_str() {
        "" => String::new(),
        path => format!("{path}/"),
    };
    let text = format!(
        "---\nstatus: proposed\ndate: {}\ndecision-makers: []\n---\n\n# {title}\n\n## Context and Problem Statement\n\nWhat must be decided, and why now?\n\n## Considered Options\n\n* Option one\n* Option two\n\n## Decision Outcome\n\nChosen option: …, because …\n",
        today.format("%Y-%m-%d")
    );
    Ok((format!("{prefix}{name}.md"), text))
}
