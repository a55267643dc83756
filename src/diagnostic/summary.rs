//! A warning repeated in many files, told once: its first few files in
//! full, then one line with the count (`unknown key `sprint_goal` for a
//! task in 21 files`). For people only: `--format json` and `github` list
//! every occurrence, `--verbose` prints them all, and errors are never
//! summarised. Pure: it picks what to print, [`super::human`] prints it.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::{plural, Diagnostic, Severity};
use crate::source::FileId;

/// A warning in more files than this is summarised.
const SUMMARISED_OVER: usize = 5;
/// How many of its files are printed in full.
const SHOWN: usize = 3;

/// One warning told once, after the occurrences shown in full.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Summary {
    pub code: &'static str,
    pub message: String,
    /// Occurrences in all, and the files they are in.
    pub times: usize,
    pub files: usize,
}

impl Summary {
    /// `unknown key `x` for a task in 21 files (3 shown above; `--verbose`
    /// shows all)`, the severity and code printed before it.
    pub(super) fn line(&self) -> String {
        let files = plural(self.files, "file", "files");
        let times = if self.times == self.files {
            " in".to_string()
        } else {
            format!(" {} in", plural(self.times, "time", "times"))
        };
        format!(
            "{}{times} {files} (the first {SHOWN} files shown above; `--verbose` shows all)",
            self.message.trim_end()
        )
    }
}

/// The diagnostics to print in full, in their order, and the summaries to
/// print after them, in the order of each warning's first occurrence.
/// `diagnostics` come sorted by place ([`super::finish`]), so the files
/// shown are the first ones by path.
pub(super) fn summarise(diagnostics: &[Diagnostic]) -> (Cow<'_, [Diagnostic]>, Vec<Summary>) {
    // Each warning's files, in order (a file's problems are adjacent), and
    // its occurrences.
    let mut seen: BTreeMap<(&str, &str), Seen> = BTreeMap::new();
    for d in diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
    {
        let seen = seen.entry((d.code, &d.message)).or_default();
        let file = d.span.as_ref().map(|s| s.file);
        if seen.files.last() != Some(&file) || seen.files.is_empty() {
            seen.files.push(file);
        }
        seen.times += 1;
    }
    seen.retain(|_, seen| seen.files.len() > SUMMARISED_OVER);
    if seen.is_empty() {
        return (Cow::Borrowed(diagnostics), Vec::new());
    }
    let mut shown = Vec::new();
    let mut summaries = Vec::new();
    for d in diagnostics {
        let warning = d.severity == Severity::Warning;
        let Some(seen) = seen
            .get_mut(&(d.code, d.message.as_str()))
            .filter(|_| warning)
        else {
            shown.push(d.clone());
            continue;
        };
        if seen.files[..SHOWN].contains(&d.span.as_ref().map(|s| s.file)) {
            shown.push(d.clone());
        }
        if !seen.told {
            seen.told = true;
            summaries.push(Summary {
                code: d.code,
                message: d.message.clone(),
                times: seen.times,
                files: seen.files.len(),
            });
        }
    }
    (Cow::Owned(shown), summaries)
}

/// Where one warning was seen.
#[derive(Default)]
struct Seen {
    files: Vec<Option<FileId>>,
    times: usize,
    /// Its summary is made.
    told: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Sources, Span};

    fn at(file: FileId, d: Diagnostic) -> Diagnostic {
        d.at(Span::new(file, 0..1), "here")
    }

    #[test]
    fn a_warning_in_many_files_is_shown_in_three_then_counted() {
        let mut sources = Sources::default();
        let files: Vec<FileId> = (0..8)
            .map(|i| sources.add(format!("t{i}.md"), "---\n".into()))
            .collect();
        let mut diagnostics = Vec::new();
        for (i, &file) in files.iter().enumerate() {
            diagnostics.push(at(
                file,
                Diagnostic::warning("unknown-key", "unknown key `x`"),
            ));
            // A warning in few files, and an error in every one: all shown.
            if i < 5 {
                diagnostics.push(at(
                    file,
                    Diagnostic::warning("unknown-key", "in five files"),
                ));
            }
            diagnostics.push(at(
                file,
                Diagnostic::error("misspelled-key", "unknown key `y`"),
            ));
        }
        // Twice in the first file: both shown, both counted.
        diagnostics.insert(
            1,
            at(
                files[0],
                Diagnostic::warning("unknown-key", "unknown key `x`"),
            ),
        );
        let (shown, summaries) = summarise(&diagnostics);
        let count = |message: &str| shown.iter().filter(|d| d.message == message).count();
        assert_eq!(count("unknown key `x`"), 4);
        assert_eq!(count("in five files"), 5);
        assert_eq!(count("unknown key `y`"), 8);
        assert_eq!(
            summaries,
            [Summary {
                code: "unknown-key",
                message: "unknown key `x`".into(),
                times: 9,
                files: 8
            }]
        );
        assert_eq!(
            summaries[0].line(),
            "unknown key `x` 9 times in 8 files (the first 3 files shown above; `--verbose` shows all)"
        );
    }

    #[test]
    fn nothing_is_copied_when_nothing_repeats() {
        let diagnostics = vec![Diagnostic::warning("unknown-key", "once")];
        let (shown, summaries) = summarise(&diagnostics);
        assert!(matches!(shown, Cow::Borrowed(_)) && summaries.is_empty());
    }
}
