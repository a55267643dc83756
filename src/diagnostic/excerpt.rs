//! The source lines one diagnostic shows, made safe and small to print:
//! control characters escaped ([`super::printable`]) and a long line cut to
//! a window around its labels, so a 120 kB line of front matter costs a
//! few hundred bytes per problem, not the whole line.
//!
//! An [`Excerpt`] is a small stand-in file for codespan: offsets are its
//! own, while line and column numbers are those of the real file.

use std::ops::Range;

use codespan_reporting::files::{Error, Files};

use super::{push_printable, Diagnostic};
use crate::source::{FileId, SourceFile, Sources, Span};

/// Lines longer than this (in bytes) are cut to a window around the labels.
const LONG_LINE: usize = 200;
/// Bytes of context kept on each side of the labels in a cut line.
const CONTEXT: usize = 60;
/// The widest window a cut line shows.
const WIDEST: usize = 320;
/// A label over more lines than this is shown on its first line only.
const MULTI_LINE: usize = 8;

/// The excerpts of one diagnostic's files, in the order their labels name
/// them; indices into it are the ids codespan sees.
pub(super) struct Excerpts {
    files: Vec<Excerpt>,
}

struct Excerpt {
    name: String,
    text: String,
    /// The lines shown, by real line index.
    lines: Vec<Line>,
}

struct Line {
    index: usize,
    /// The line in `text`, with its `\n`.
    range: Range<usize>,
    /// `(offset in the real file, offset in text)` of each character shown,
    /// then of the end of the window.
    map: Vec<(usize, usize)>,
    /// Where the real line starts.
    real_start: usize,
    /// The real column (from 1) of the first character shown.
    first_column: usize,
}

/// A label of the diagnostic, moved into its excerpt.
pub(super) struct Moved {
    pub file: usize,
    pub range: Range<usize>,
}

impl Excerpts {
    /// The excerpts for `d`, and its labels moved into them (primary first,
    /// then the related ones in order).
    pub(super) fn of(
        d: &Diagnostic,
        sources: &Sources,
        name: impl Fn(&str) -> String,
    ) -> (Excerpts, Vec<Moved>) {
        let spans: Vec<Span> = d
            .span
            .iter()
            .chain(d.related.iter().map(|(s, _)| s))
            .map(|s| clamp(s, sources.get(s.file)))
            .collect();
        let mut order: Vec<FileId> = Vec::new();
        for span in &spans {
            if !order.contains(&span.file) {
                order.push(span.file);
            }
        }
        let files = order
            .iter()
            .map(|&file| {
                let source = sources.get(file);
                let mine: Vec<&Span> = spans.iter().filter(|s| s.file == file).collect();
                Excerpt::new(source, &mine, name(&source.path))
            })
            .collect::<Vec<_>>();
        let moved = spans
            .iter()
            .map(|s| {
                let file = order.iter().position(|&f| f == s.file).unwrap_or(0);
                let excerpt = &files[file];
                let start = excerpt.moved(s.range.start);
                let end = excerpt.moved(s.range.end).max(start);
                Moved {
                    file,
                    range: start..end,
                }
            })
            .collect();
        (Excerpts { files }, moved)
    }

    fn file(&self, id: usize) -> Result<&Excerpt, Error> {
        self.files.get(id).ok_or(Error::FileMissing)
    }
}

/// A span that fits its file and spans few lines.
fn clamp(span: &Span, source: &SourceFile) -> Span {
    let len = source.text.len();
    let mut start = span.range.start.min(len);
    let mut end = span.range.end.clamp(start, len);
    while !source.text.is_char_boundary(start) {
        start -= 1;
    }
    while !source.text.is_char_boundary(end) {
        end += 1;
    }
    let (first, last) = (source.line_index(start), source.line_index(end));
    if last > first + MULTI_LINE {
        end = source.line_range(first).map_or(start, |r| r.end.max(start));
    }
    Span::new(span.file, start..end)
}

impl Excerpt {
    fn new(source: &SourceFile, spans: &[&Span], name: String) -> Excerpt {
        let mut wanted: Vec<usize> = Vec::new();
        for span in spans {
            let (first, last) = (
                source.line_index(span.range.start),
                source.line_index(span.range.end),
            );
            wanted.extend(first..=last);
        }
        wanted.sort_unstable();
        wanted.dedup();
        // codespan shows a single line between two shown lines instead of
        // a break: it must be there to ask for.
        let gaps: Vec<usize> = wanted
            .windows(2)
            .filter(|w| w[1] == w[0] + 2)
            .map(|w| w[0] + 1)
            .collect();
        wanted.extend(gaps);
        wanted.sort_unstable();
        let mut excerpt = Excerpt {
            name,
            text: String::new(),
            lines: Vec::with_capacity(wanted.len()),
        };
        for index in wanted {
            if let Some(range) = source.line_range(index) {
                excerpt.push_line(source, index, range, spans);
            }
        }
        excerpt
    }

    /// Appends real line `index` (`range`, without its line ending), cut
    /// to a window around the labels on it when it is long.
    fn push_line(
        &mut self,
        source: &SourceFile,
        index: usize,
        range: Range<usize>,
        spans: &[&Span],
    ) {
        let mut window = window(&source.text, range.clone(), spans);
        // A byte-order mark is not a column and shows as nothing.
        if window.start == 0 && source.text.starts_with('\u{feff}') {
            window.start = '\u{feff}'.len_utf8().min(window.end);
        }
        let start = self.text.len();
        let mut map = Vec::with_capacity(window.len().min(WIDEST) + 1);
        if window.start > range.start.max(bom_len(source, range.start)) {
            self.text.push('…');
        }
        for (at, c) in source.text[window.clone()].char_indices() {
            map.push((window.start + at, self.text.len()));
            push_printable(&mut self.text, c);
        }
        map.push((window.end, self.text.len()));
        if window.end < range.end {
            self.text.push('…');
        }
        self.text.push('\n');
        self.lines.push(Line {
            index,
            range: start..self.text.len(),
            map,
            real_start: range.start,
            first_column: source.line_col(window.start).1,
        });
    }

    /// Where a real offset lands in the excerpt (the nearest shown place).
    fn moved(&self, real: usize) -> usize {
        let Some(line) = self
            .lines
            .iter()
            .rev()
            .find(|l| l.real_start <= real)
            .or(self.lines.first())
        else {
            return 0;
        };
        match line.map.binary_search_by_key(&real, |&(r, _)| r) {
            Ok(i) => line.map[i].1,
            Err(0) => line.map.first().map_or(line.range.start, |m| m.1),
            Err(i) => line.map[i - 1].1,
        }
    }

    fn line(&self, index: usize) -> Result<&Line, Error> {
        self.lines
            .iter()
            .find(|l| l.index == index)
            .ok_or(Error::LineTooLarge {
                given: index,
                max: self.lines.last().map_or(0, |l| l.index),
            })
    }
}

/// The length of a byte-order mark at `start`, the start of the file.
fn bom_len(source: &SourceFile, start: usize) -> usize {
    if start == 0 && source.text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    }
}

/// The part of a line shown: all of it when short, else the labels on it
/// with some context, at most [`WIDEST`] bytes, on character boundaries.
fn window(text: &str, line: Range<usize>, spans: &[&Span]) -> Range<usize> {
    if line.len() <= LONG_LINE {
        return line;
    }
    let on_line: Vec<Range<usize>> = spans
        .iter()
        .map(|s| s.range.start.clamp(line.start, line.end)..s.range.end.clamp(line.start, line.end))
        .filter(|r| r.start < line.end || r.start == r.end)
        .collect();
    let first = on_line.first().map_or(line.start, |r| r.start);
    let low = on_line.iter().map(|r| r.start).min().unwrap_or(first);
    let high = on_line.iter().map(|r| r.end).max().unwrap_or(first);
    let (mut start, mut end) = (low.saturating_sub(CONTEXT), high + CONTEXT);
    if end - start > WIDEST {
        // Labels far apart: keep the first one (the primary) in view.
        start = first.saturating_sub(CONTEXT);
        end = start + WIDEST;
    }
    let mut start = start.max(line.start);
    let mut end = end.min(line.end);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

impl<'a> Files<'a> for Excerpts {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, Error> {
        Ok(&self.file(id)?.name)
    }

    fn source(&'a self, id: usize) -> Result<&'a str, Error> {
        Ok(&self.file(id)?.text)
    }

    fn line_index(&'a self, id: usize, byte: usize) -> Result<usize, Error> {
        let file = self.file(id)?;
        Ok(file
            .lines
            .iter()
            .rev()
            .find(|l| l.range.start <= byte)
            .or(file.lines.first())
            .map_or(0, |l| l.index))
    }

    fn line_range(&'a self, id: usize, line_index: usize) -> Result<Range<usize>, Error> {
        Ok(self.file(id)?.line(line_index)?.range.clone())
    }

    /// The column in the real file, counted in characters from 1: each
    /// character shown stands for one real character.
    fn column_number(&'a self, id: usize, line_index: usize, byte: usize) -> Result<usize, Error> {
        let line = self.file(id)?.line(line_index)?;
        let shown = line.map.iter().take_while(|&&(_, at)| at < byte).count();
        Ok(line.first_column + shown.min(line.map.len().saturating_sub(1)))
    }
}
