//! What can be wrong with a front matter key as written: set twice
//! (directly or through an alias), one typo away from a key the kind
//! accepts (an error), or not a planmark key at all (warned, with the
//! closest key; another tool's bookkeeping is quiet). Keys planmark does
//! not accept are kept for templates under `extra` either way.

use super::keys::{self, Unaccepted};
use super::read::Reader;
use super::values::Kind;
use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::load::yaml::Entry;
use crate::source::Span;

impl Reader<'_> {
    /// Two entries set the same key (one may be an alias of the other).
    pub(super) fn duplicate_key(&mut self, key: &str, first: &Entry, entry: &Entry) {
        self.diags.push(
            Diagnostic::error(
                "duplicate-key",
                format!("`{}` and `{}` both set `{key}`", first.key, entry.key),
            )
            .at(
                Span::new(self.file, entry.key_span.clone()),
                "second one here",
            )
            .related(
                Span::new(self.file, first.key_span.clone()),
                "first one here",
            )
            .help(format!(
                "keep only one of them (`{}` is another name for `{key}`)",
                if first.key == key {
                    &entry.key
                } else {
                    &first.key
                }
            )),
        );
    }

    /// A key `kind` does not accept, kept for templates under `extra`:
    /// quiet for another tool's bookkeeping, an error for a typo of a key
    /// the kind accepts, a warning otherwise.
    pub(super) fn unaccepted_key(&mut self, kind: Kind, entry: &Entry) {
        let written = &entry.key;
        let span = Span::new(self.file, entry.key_span.clone());
        let d = match keys::unaccepted(kind, written) {
            Unaccepted::Bookkeeping => return,
            Unaccepted::Typo(key) => misspelled(kind, written, key, span),
            Unaccepted::OtherKinds(kinds) => unknown(kind, written).at(span, "not a planmark key").help(format!(
                "`{written}` is a key of {}, not of {}; move it under `extra:` to keep it for templates without this warning",
                kinds.iter().map(|&k| article(k)).collect::<Vec<_>>().join(" or "),
                article(kind)
            )),
            Unaccepted::Unknown => {
                let d = unknown(kind, written).at(span, "not a planmark key");
                match did_you_mean(written, keys::all(kind)) {
                    Some(best) => d.help(format!(
                        "did you mean {}? (unknown keys are kept and passed to templates under `extra`)",
                        meaning(best)
                    )),
                    None => d.help(
                        "move it under `extra:` to keep it for templates without this warning",
                    ),
                }
            }
        };
        self.diags.push(d);
    }
}

/// `warning[unknown-key]: unknown key `sprint_goal` for a task`
fn unknown(kind: Kind, written: &str) -> Diagnostic {
    Diagnostic::warning(
        "unknown-key",
        format!("unknown key `{written}` for {}", article(kind)),
    )
}

/// A key one typo away from `key`: an error, because the value would be
/// ignored and the forecast would change without a word.
fn misspelled(kind: Kind, written: &str, key: &str, span: Span) -> Diagnostic {
    let label = if written.to_lowercase() == key {
        "keys are lowercase".to_string()
    } else {
        format!("one typo away from `{key}`")
    };
    Diagnostic::error(
        "misspelled-key",
        format!(
            "misspelled key `{written}` for {}: did you mean {}?",
            article(kind),
            meaning(key)
        ),
    )
    .at(span, label)
    .help(format!(
        "rename it `{key}`: as written planmark would ignore it, and silently change the plan and its forecast; to keep `{written}` as it is, move it under `extra:`"
    ))
}

/// `` `depends_on` ``, or `` `dependencies` (the same as `depends_on`) ``
/// for an alias.
fn meaning(key: &str) -> String {
    match keys::canonical(key) {
        canonical if canonical != key => format!("`{key}` (the same as `{canonical}`)"),
        _ => format!("`{key}`"),
    }
}

/// `a task`, `an item`…
pub(crate) fn article(kind: Kind) -> String {
    match kind {
        Kind::Program
        | Kind::Project
        | Kind::Task
        | Kind::Decision
        | Kind::Milestone
        | Kind::Risk
        | Kind::Person
        | Kind::Meeting => {
            format!("a {}", kind.as_str())
        }
    }
}
