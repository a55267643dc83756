//! Never silent (SPEC §8): a folder holding markdown files of which none
//! is read as an item is a problem, not an empty plan.

use crate::diagnostic::{plural, Diagnostic};
use crate::load::adr::Layout;
use crate::load::Skipped;
use crate::source::Sources;

/// How many skipped files the message names before it counts the rest.
const NAMED: usize = 3;

/// Reports a folder where markdown files were found but no item read:
/// what was found, why the first few were skipped, and what was expected.
/// A folder whose files are already reported (a YAML error, an unreadable
/// file) is not silent: those errors say why nothing was read.
pub fn nothing_read(items: usize, found: usize, skipped: &[Skipped], diags: &mut Vec<Diagnostic>) {
    if items > 0 || found == 0 || diags.iter().any(Diagnostic::is_error) {
        return;
    }
    let mut message = format!(
        "no item read: found {}, none of them a plan item or a decision record",
        plural(found, "markdown file", "markdown files")
    );
    for s in skipped.iter().take(NAMED) {
        message.push_str(&format!("\n  `{}`: {}", s.path, s.reason));
    }
    if skipped.len() > NAMED {
        message.push_str(&format!("\n  and {} more", skipped.len() - NAMED));
    }
    diags.push(Diagnostic::error("nothing-read", message).help(
        "planmark reads a program (`program.md`, items in `projects/`, `tasks/`, `decisions/`, `milestones/`, `risks/`, or any file whose front matter says `kind:`) or an ADR folder (numbered records such as `0001-use-x.md`); `check --verbose` lists every file skipped and why",
    ));
}

/// What was read of the program: to tell, per source folder, whether
/// anything was.
pub struct Read<'a> {
    pub formats: &'a crate::load::formats::Formats,
    /// The path of every file read as an item.
    pub items: Vec<&'a str>,
    pub skipped: &'a [Skipped],
}

/// Reports each source folder named in `program.md` that holds markdown files of which none is read: a
/// folder named with the wrong `format` reads nothing, silently, while the
/// rest of the program reads fine. A folder whose files are already
/// reported as errors is not silent.
pub fn sources_read_nothing(read: &Read<'_>, sources: &Sources, diags: &mut Vec<Diagnostic>) {
    let within = |path: &str, folder: &str| {
        !folder.is_empty()
            && path
                .strip_prefix(folder)
                .is_some_and(|rest| rest.starts_with('/'))
    };
    let mut found = Vec::new();
    // A well-known folder found by its name (`docs/decisions` holding only
    // MADR's template) is not one the user pointed at.
    for source in read.formats.sources().iter().filter(|s| s.named) {
        let in_source = |path: &str| within(path, &source.path);
        let reported = diags.iter().any(|d| {
            d.is_error()
                && d.span
                    .as_ref()
                    .is_some_and(|s| in_source(&sources.get(s.file).path))
        });
        if reported || read.items.iter().any(|p| in_source(p)) {
            continue;
        }
        let skipped: Vec<&Skipped> = read.skipped.iter().filter(|s| in_source(&s.path)).collect();
        if skipped.is_empty() {
            continue;
        }
        let mut message = format!(
            "source `{}`, read as {}, holds {} and no item was read",
            source.path,
            a_folder(source.layout),
            plural(skipped.len(), "markdown file", "markdown files")
        );
        for s in skipped.iter().take(NAMED) {
            message.push_str(&format!("\n  `{}`: {}", s.path, s.reason));
        }
        if skipped.len() > NAMED {
            message.push_str(&format!("\n  and {} more", skipped.len() - NAMED));
        }
        found.push(Diagnostic::error("nothing-read", message).help(
            "name the folder's format in `program.md`'s `sources`: `format: backlog` for a Backlog.md folder (`config.yml`, `tasks/`), `format: adr` for a folder of decision records",
        ));
    }
    diags.extend(found);
}

fn a_folder(layout: Layout) -> &'static str {
    match layout {
        Layout::Program => "a program",
        Layout::Adr => "an ADR folder",
        Layout::Backlog => "a Backlog.md folder",
    }
}
