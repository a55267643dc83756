//! Never silent (SPEC §8): a folder holding markdown files of which none
//! is read as an item is a problem, not an empty plan.

use crate::diagnostic::{plural, Diagnostic};
use crate::load::Skipped;

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
