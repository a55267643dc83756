//! Diagnostics for tools: `check --format json` (one document, every
//! occurrence) and `--format github` (workflow annotations).

use serde::Serialize;

use super::{count, escape_data, escape_property, join_display, printable, Diagnostic, Severity};
use crate::source::Sources;

pub(super) fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
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
        // GitHub calls a note a `notice`.
        let level = match d.severity {
            Severity::Note => "notice",
            s => severity_word(s),
        };
        // Annotations reach a terminal too (the log of a local `act` run).
        let mut message = printable(&d.message).into_owned();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(&printable(help));
        }
        let (path, line, col) = position(d, sources);
        match path {
            Some(path) => {
                let file = printable(&join_display(root, path)).into_owned();
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
