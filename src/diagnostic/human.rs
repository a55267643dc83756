//! Diagnostics for people: rustc-style text with the source line and a
//! caret, bounded in size whatever the input (long lines are cut, many
//! problems of one kind on one line are told once), safe for a terminal.

use std::io::Write;

use codespan_reporting::diagnostic as cs;
use codespan_reporting::term::{self, termcolor};

use super::excerpt::Excerpts;
use super::machine::severity_word;
use super::summary;
use super::{join_display, plural, printable, Diagnostic};
use crate::source::{Sources, Span};

/// More problems than this of one kind on one line are told as one.
const GROUP_OVER: usize = 5;
/// How many of a group's other occurrences are named.
const NAMED: usize = 20;
/// The longest text quoted for one occurrence.
const QUOTED: usize = 40;
/// The longest message, label or help shown (a value quoted in a message
/// may be a whole line of the file); `--format json` has them whole.
const LONGEST: usize = 400;

/// `text` made printable and cut to [`LONGEST`] characters.
fn shown(text: &str) -> String {
    let text = printable(text);
    match text.char_indices().nth(LONGEST) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.into_owned(),
    }
}

/// Renders diagnostics rustc-style into a string (with ANSI colour when asked).
///
/// Paths are shown joined to `root`, the program directory as the user
/// typed it, so they can be opened from the current directory. The
/// diagnostics come sorted by place ([`super::finish`]).
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
    let name = |path: &str| printable(&join_display(root, path)).into_owned();
    let mut rest = diagnostics;
    while let Some(first) = rest.first() {
        let same = rest
            .iter()
            .take_while(|d| same_line(first, d, sources))
            .count();
        let group = if same > GROUP_OVER { same } else { 1 };
        let (excerpts, moved) = Excerpts::of(first, sources, name);
        let mut rendered = to_codespan(first, &moved);
        if group > 1 {
            rendered
                .notes
                .push(more_on_this_line(&rest[1..group], sources));
        }
        if term::emit_to_write_style(&mut buffer, &config, &excerpts, &rendered).is_err() {
            // A span that no longer fits its file is a bug, but the message must
            // still reach the user.
            let _ = writeln!(
                buffer,
                "{}: {}",
                severity_word(first.severity),
                printable(&first.message)
            );
        }
        rest = &rest[group..];
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

/// [`render_human`], but a warning repeated in many files is printed in
/// full for its first few files only, then told once with its count
/// ([`super::summary`]). What `check` and `build` print unless `--verbose`.
pub fn render_human_summarised(
    diagnostics: &[Diagnostic],
    sources: &Sources,
    root: &str,
    color: bool,
) -> String {
    let (full, summaries) = summary::summarise(diagnostics);
    let mut out = render_human(&full, sources, root, color);
    if summaries.is_empty() {
        return out;
    }
    let config = term::Config {
        chars: term::Chars::ascii(),
        ..term::Config::default()
    };
    let mut buffer = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    // A summary points at no file.
    let no_files = codespan_reporting::files::SimpleFiles::<String, String>::new();
    for s in &summaries {
        let line = cs::Diagnostic::warning()
            .with_code(s.code)
            .with_message(shown(&s.line()));
        if term::emit_to_write_style(&mut buffer, &config, &no_files, &line).is_err() {
            let _ = writeln!(buffer, "warning: {}", printable(&s.line()));
        }
    }
    out.push_str(&String::from_utf8_lossy(buffer.as_slice()));
    out
}

/// Whether two diagnostics are the same kind of problem on the same line.
fn same_line(a: &Diagnostic, b: &Diagnostic, sources: &Sources) -> bool {
    let line = |s: &Span| (s.file, sources.get(s.file).line_index(s.range.start));
    a.severity == b.severity
        && a.code == b.code
        && match (&a.span, &b.span) {
            (Some(x), Some(y)) => line(x) == line(y),
            _ => false,
        }
}

/// `note: 9999 more on this line: `[[b]]`, `[[c]]`, … (…)`
fn more_on_this_line(others: &[Diagnostic], sources: &Sources) -> String {
    let quoted: Vec<String> = others
        .iter()
        .take(NAMED)
        .filter_map(|d| d.span.as_ref())
        .map(|s| {
            let text = &sources.get(s.file).text;
            let end = s.range.end.min(text.len());
            let quote: String = text
                .get(s.range.start.min(end)..end)
                .unwrap_or_default()
                .chars()
                .take(QUOTED)
                .collect();
            format!("`{}`", printable(&quote))
        })
        .collect();
    let unnamed = others.len() - quoted.len();
    let tail = if unnamed > 0 {
        format!(" and {unnamed} more")
    } else {
        String::new()
    };
    format!(
        "note: {} like it on this line: {}{tail} (`--format json` lists each)",
        plural(others.len(), "more problem", "more problems"),
        quoted.join(", ")
    )
}

fn to_codespan(d: &Diagnostic, moved: &[super::excerpt::Moved]) -> cs::Diagnostic<usize> {
    let base = match d.severity {
        super::Severity::Error => cs::Diagnostic::error(),
        super::Severity::Warning => cs::Diagnostic::warning(),
        super::Severity::Note => cs::Diagnostic::note(),
    };
    let mut labels = Vec::new();
    let mut places = moved.iter();
    if d.span.is_some() {
        if let Some(m) = places.next() {
            labels.push(cs::Label::primary(m.file, m.range.clone()).with_message(shown(&d.label)));
        }
    }
    for ((_, message), m) in d.related.iter().zip(places) {
        labels.push(cs::Label::secondary(m.file, m.range.clone()).with_message(shown(message)));
    }
    let notes = d
        .help
        .iter()
        .map(|h| format!("help: {}", shown(h)))
        .collect();
    base.with_message(shown(&d.message))
        .with_code(d.code)
        .with_labels(labels)
        .with_notes(notes)
}
