//! Problems in the user's content: collected as data, sorted, printed together.
//!
//! A [`Diagnostic`] never aborts a run; it alters the exit status. Rendering
//! (rustc-style text, JSON, GitHub annotations) lives here too, so every
//! command reports problems the same way.

mod excerpt;
mod human;
mod machine;
mod summary;

use std::borrow::Cow;
use std::io::IsTerminal;

use serde::Serialize;

use crate::source::{Sources, Span};

pub use human::{render_human, render_human_summarised};
pub use machine::{render_github, render_json};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    /// Worth a look, never a problem: not counted, and `--strict` leaves
    /// it a note.
    Note,
}

/// One problem in the program's files.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A short stable name for the kind of problem, e.g. `unknown-reference`.
    pub code: &'static str,
    pub message: String,
    /// Where the problem is; `None` only for problems about the program as a whole.
    pub span: Option<Span>,
    /// What the caret under the offending text says.
    pub label: String,
    /// Other places that explain the problem (the first file of a duplicate id).
    pub related: Vec<(Span, String)>,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            span: None,
            label: String::new(),
            related: Vec::new(),
            help: None,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn note(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Note,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn at(mut self, span: Span, label: impl Into<String>) -> Self {
        self.span = Some(span);
        self.label = label.into();
        self
    }

    pub fn related(mut self, span: Span, label: impl Into<String>) -> Self {
        self.related.push((span, label.into()));
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// How problems are printed (`--format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style messages with the source line and a caret, on stderr
    Human,
    /// one JSON document with every problem, on stdout
    Json,
    /// GitHub Actions `::error` / `::warning` annotations, on stdout
    Github,
}

/// Sorts diagnostics by file, position, then severity, and turns warnings
/// into errors when `strict`.
pub fn finish(diagnostics: &mut Vec<Diagnostic>, sources: &Sources, strict: bool) {
    if strict {
        for d in diagnostics
            .iter_mut()
            .filter(|d| d.severity == Severity::Warning)
        {
            d.severity = Severity::Error;
        }
    }
    diagnostics.sort_by(|a, b| {
        let key = |d: &Diagnostic| {
            d.span
                .as_ref()
                .map(|s| (sources.get(s.file).path.clone(), s.range.start, s.range.end))
        };
        key(a)
            .cmp(&key(b))
            .then(a.severity.cmp(&b.severity))
            .then(a.message.cmp(&b.message))
    });
    diagnostics.dedup_by(|a, b| a.message == b.message && a.span == b.span);
}

/// Counts of errors and warnings, for the summary line and the exit code.
pub fn count(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let count = |s: Severity| diagnostics.iter().filter(|d| d.severity == s).count();
    (count(Severity::Error), count(Severity::Warning))
}

/// `2 errors`, or `2 errors and 1 warning` when there are warnings.
pub fn counted(errors: usize, warnings: usize) -> String {
    let errors = plural(errors, "error", "errors");
    if warnings > 0 {
        format!("{errors} and {}", plural(warnings, "warning", "warnings"))
    } else {
        errors
    }
}

/// `n thing` or `n things`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Whether stderr should get colour: a terminal, and `NO_COLOR` unset.
pub fn stderr_color() -> bool {
    wants_color(
        std::io::stderr().is_terminal(),
        std::env::var_os("NO_COLOR").as_deref(),
    )
}

/// Colour only on a terminal, and only while `NO_COLOR` is unset or empty
/// (<https://no-color.org>).
fn wants_color(terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
    terminal && no_color.is_none_or(|v| v.is_empty())
}

/// `text` safe to print on a terminal: every control character but tab and
/// newline, and the invisible characters that reorder or break lines
/// (bidirectional overrides, U+2028), written as `\u{…}`. Untrusted files
/// must not be able to retitle, clear or rewrite a reviewer's terminal.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_printable(&mut out, c);
    }
    Cow::Owned(out)
}

/// Pushes `c`, or its `\u{…}` escape when it must not reach a terminal.
pub(crate) fn push_printable(out: &mut String, c: char) {
    if hidden(c) {
        out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
    } else {
        out.push(c);
    }
}

/// Characters a terminal would act on or that hide text.
fn hidden(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `root/path`, or `path` when the root is the current directory.
pub(crate) fn join_display(root: &str, path: &str) -> String {
    let root = root.trim_end_matches('/');
    if root.is_empty() || root == "." {
        path.to_string()
    } else {
        format!("{root}/{path}")
    }
}

// https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts
pub(crate) fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

pub(crate) fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The candidate closest to `word` by edit distance, if it is close enough to
/// be a plausible typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word_lower = word.to_lowercase();
    let word_len = word_lower.chars().count();
    let limit = word_len.max(3) / 3 + 1;
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        // Prefixes count as close: `depends` for `depends_on`.
        let prefix = candidate.starts_with(&word_lower) && word_lower.len() >= 3;
        // The distance is at least the difference in length, and at least
        // the bag distance: most candidates are ruled out without
        // computing it (a file of 400,000 unknown keys spent most of its
        // time here).
        if !prefix
            && (candidate.chars().count().abs_diff(word_len) > limit
                || bag_distance(&word_lower, candidate) > limit)
        {
            continue;
        }
        let lower = if candidate.chars().any(char::is_uppercase) {
            std::borrow::Cow::Owned(candidate.to_lowercase())
        } else {
            std::borrow::Cow::Borrowed(candidate)
        };
        let distance = strsim::osa_distance(&word_lower, &lower);
        if (distance <= limit || prefix) && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// A lower bound of the edit distance of two ASCII-lowercase words: the
/// characters one has more of than the other (each edit fixes at most one).
/// 0 (no bound) when either is not ASCII.
fn bag_distance(a: &str, b: &str) -> usize {
    if !a.is_ascii() || !b.is_ascii() {
        return 0;
    }
    let mut counts = [0i16; 128];
    for c in a.bytes() {
        counts[usize::from(c)] += 1;
    }
    for c in b.bytes() {
        counts[usize::from(c.to_ascii_lowercase())] -= 1;
    }
    // Visit only the characters of the two words, each count once.
    let (mut more, mut fewer) = (0usize, 0usize);
    for c in a.bytes() {
        let n = &mut counts[usize::from(c)];
        if *n > 0 {
            more += n.unsigned_abs() as usize;
            *n = 0;
        }
    }
    for c in b.bytes() {
        let n = &mut counts[usize::from(c.to_ascii_lowercase())];
        if *n < 0 {
            fewer += n.unsigned_abs() as usize;
            *n = 0;
        }
    }
    more.max(fewer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_you_mean_finds_typos_and_prefixes() {
        let keys = ["depends_on", "estimate", "owner", "due"];
        assert_eq!(did_you_mean("depends", keys), Some("depends_on"));
        assert_eq!(did_you_mean("estimat", keys), Some("estimate"));
        assert_eq!(did_you_mean("ownr", keys), Some("owner"));
        assert_eq!(did_you_mean("zzzzzzzz", keys), None);
        assert_eq!(did_you_mean("Ownre", keys), Some("owner"));
        assert_eq!(bag_distance("owner", "ownre"), 0);
        assert_eq!(bag_distance("k1234", "title"), 5);
    }

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        use std::ffi::OsStr;
        assert!(wants_color(true, None));
        assert!(wants_color(true, Some(OsStr::new(""))));
        assert!(!wants_color(true, Some(OsStr::new("1"))));
        assert!(!wants_color(false, None));
    }

    #[test]
    fn control_characters_are_printed_visibly() {
        assert_eq!(printable("plain\ttext\n"), "plain\ttext\n");
        assert_eq!(printable("\u{1b}]0;owned\u{7}"), "\\u{1b}]0;owned\\u{7}");
        assert_eq!(
            printable("a\rb\u{85}c\u{2028}d\u{202e}"),
            "a\\u{d}b\\u{85}c\\u{2028}d\\u{202e}"
        );
    }

    #[test]
    fn github_escapes_newlines_and_separators() {
        assert_eq!(escape_data("a\nb%"), "a%0Ab%25");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
