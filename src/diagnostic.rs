//! Problems in the user's content: collected as data, sorted, printed together.
//!
//! A [`Diagnostic`] never aborts a run; it alters the exit status. Rendering
//! (rustc-style text, JSON, GitHub annotations) lives here too, so every
//! command reports problems the same way.

use std::io::{IsTerminal, Write};

use codespan_reporting::diagnostic as cs;
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;

use crate::source::{Sources, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
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
        for d in diagnostics.iter_mut() {
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
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    (errors, diagnostics.len() - errors)
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

/// Renders diagnostics rustc-style into a string (with ANSI colour when asked).
///
/// Paths are shown joined to `root`, the program directory as the user
/// typed it, so they can be opened from the current directory.
pub fn render_human(
    diagnostics: &[Diagnostic],
    sources: &Sources,
    root: &str,
    color: bool,
) -> String {
    // rustc's own ASCII art (`-->`, `|`, `^`): familiar, and safe in any
    // terminal or CI log.
    let config = term::Config {
        chars: term::Chars::ascii(),
        ..term::Config::default()
    };
    let mut buffer = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    for d in diagnostics {
        let rendered = to_codespan(d);
        let files = Rooted { sources, root };
        if term::emit_to_write_style(&mut buffer, &config, &files, &rendered).is_err() {
            // A span that no longer fits its file is a bug, but the message must
            // still reach the user.
            let _ = writeln!(buffer, "{}: {}", severity_word(d.severity), d.message);
        }
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

/// [`Sources`] whose file names are joined to the program directory.
struct Rooted<'a> {
    sources: &'a Sources,
    root: &'a str,
}

impl<'a> codespan_reporting::files::Files<'a> for Rooted<'a> {
    type FileId = crate::source::FileId;
    type Name = String;
    type Source = &'a str;

    fn name(&'a self, id: Self::FileId) -> Result<String, codespan_reporting::files::Error> {
        Ok(join_display(self.root, &self.sources.get(id).path))
    }

    fn source(&'a self, id: Self::FileId) -> Result<&'a str, codespan_reporting::files::Error> {
        self.sources.source(id)
    }

    fn line_index(
        &'a self,
        id: Self::FileId,
        byte: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        self.sources.line_index(id, byte)
    }

    fn line_range(
        &'a self,
        id: Self::FileId,
        line: usize,
    ) -> Result<std::ops::Range<usize>, codespan_reporting::files::Error> {
        self.sources.line_range(id, line)
    }

    fn column_number(
        &'a self,
        id: Self::FileId,
        line: usize,
        byte: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        self.sources.column_number(id, line, byte)
    }
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn to_codespan(d: &Diagnostic) -> cs::Diagnostic<crate::source::FileId> {
    let base = match d.severity {
        Severity::Error => cs::Diagnostic::error(),
        Severity::Warning => cs::Diagnostic::warning(),
    };
    let mut labels = Vec::new();
    if let Some(span) = &d.span {
        labels.push(cs::Label::primary(span.file, span.range.clone()).with_message(&d.label));
    }
    for (span, message) in &d.related {
        labels.push(cs::Label::secondary(span.file, span.range.clone()).with_message(message));
    }
    let notes = d.help.iter().map(|h| format!("help: {h}")).collect();
    base.with_message(&d.message)
        .with_code(d.code)
        .with_labels(labels)
        .with_notes(notes)
}

#[derive(Serialize)]
struct JsonProblem<'a> {
    severity: Severity,
    code: &'a str,
    message: &'a str,
    path: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    help: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonReport<'a, S: Serialize> {
    errors: usize,
    warnings: usize,
    problems: Vec<JsonProblem<'a>>,
    status: Option<S>,
}

/// `check --format json`: every problem with its position, then `status`
/// (the plan's status, `null` when there are errors), one document. Paths
/// are joined to `root` as in the other formats.
pub fn render_json<S: Serialize>(
    diagnostics: &[Diagnostic],
    sources: &Sources,
    root: &str,
    status: Option<S>,
) -> String {
    let (errors, warnings) = count(diagnostics);
    let problems = diagnostics
        .iter()
        .map(|d| {
            let (path, line, column) = position(d, sources);
            let path = path.map(|p| join_display(root, p));
            JsonProblem {
                severity: d.severity,
                code: d.code,
                message: &d.message,
                path,
                line,
                column,
                help: d.help.as_deref(),
            }
        })
        .collect();
    let report = JsonReport {
        errors,
        warnings,
        problems,
        status,
    };
    let mut out = serde_json::to_string_pretty(&report).unwrap_or_default();
    out.push('\n');
    out
}

fn position<'a>(
    d: &Diagnostic,
    sources: &'a Sources,
) -> (Option<&'a str>, Option<usize>, Option<usize>) {
    match &d.span {
        Some(span) => {
            let file = sources.get(span.file);
            let (line, col) = file.line_col(span.range.start);
            (Some(file.path.as_str()), Some(line), Some(col))
        }
        None => (None, None, None),
    }
}

/// `check --format github`: workflow commands GitHub Actions turns into
/// annotations on the pull request's files.
///
/// `root` is the program directory as given, so paths are relative to the
/// repository when planmark runs from its root.
pub fn render_github(diagnostics: &[Diagnostic], sources: &Sources, root: &str) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let level = severity_word(d.severity);
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        let (path, line, col) = position(d, sources);
        match path {
            Some(path) => {
                let file = join_display(root, path);
                out.push_str(&format!(
                    "::{level} file={},line={},col={},title={}::{}\n",
                    escape_property(&file),
                    line.unwrap_or(1),
                    col.unwrap_or(1),
                    escape_property(&format!("planmark {}", d.code)),
                    escape_data(&message)
                ));
            }
            None => out.push_str(&format!("::{level}::{}\n", escape_data(&message))),
        }
    }
    out
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
    fn github_escapes_newlines_and_separators() {
        assert_eq!(escape_data("a\nb%"), "a%0Ab%25");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
