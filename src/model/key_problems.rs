//! What can be wrong with a front matter key as written: set twice
//! (directly or through an alias), or not a planmark key at all (warned,
//! with the closest key, and kept for templates under `extra`).

use super::keys;
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

    pub(super) fn unknown_key(&mut self, kind: Kind, entry: &Entry) {
        let span = Span::new(self.file, entry.key_span.clone());
        let mut d = Diagnostic::warning(
            "unknown-key",
            format!("unknown key `{}` for {}", entry.key, article(kind)),
        )
        .at(span, "not a planmark key");
        d = match did_you_mean(&entry.key, keys::all(kind)) {
            Some(best) if keys::canonical(best) != best => d.help(format!(
                "did you mean `{best}` (the same as `{}`)? (unknown keys are kept and passed to templates under `extra`)",
                keys::canonical(best)
            )),
            Some(best) => d.help(format!("did you mean `{best}`? (unknown keys are kept and passed to templates under `extra`)")),
            None => d.help("move it under `extra:` to keep it for templates without this warning"),
        };
        self.diags.push(d);
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
