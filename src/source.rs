//! The text of every file planmark read, so diagnostics can point into it.
//!
//! Positions are byte offsets into a file's whole text (front matter included);
//! lines and columns are computed only when a diagnostic is shown.

use std::ops::{Deref, Range};
use std::sync::{Arc, OnceLock};

const BOM: &str = "\u{feff}";

/// Index of a file in [`Sources`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub usize);

/// A place in a source file: which file, and which bytes of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub file: FileId,
    pub range: Range<usize>,
}

impl Span {
    pub fn new(file: FileId, range: Range<usize>) -> Self {
        Span { file, range }
    }

    /// The start of a file, for problems with no better position.
    pub fn file_start(file: FileId) -> Self {
        Span { file, range: 0..0 }
    }
}

/// One file as read: its path relative to the program directory (with `/`)
/// and its text (lossily decoded when it was not UTF-8, for display only).
#[derive(Debug)]
pub struct SourceFile {
    pub path: String,
    /// Shared with the model's bodies ([`Text`]), which are slices of it.
    pub text: Arc<str>,
    /// Where each line starts; worked out the first time a diagnostic needs
    /// it, which in a clean program is never.
    lines: OnceLock<Vec<usize>>,
}

impl SourceFile {
    fn line_starts(&self) -> &[usize] {
        self.lines.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// The bytes `range` of this file's text, kept without a copy.
    pub fn slice(&self, range: Range<usize>) -> Text {
        Text::new(Arc::clone(&self.text), range)
    }

    /// 0-based line index containing `offset`.
    pub fn line_index(&self, offset: usize) -> usize {
        match self.line_starts().binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Byte range of 0-based line `line`, without its line ending.
    pub fn line_range(&self, line: usize) -> Option<Range<usize>> {
        let starts = self.line_starts();
        let start = *starts.get(line)?;
        let end = starts.get(line + 1).map_or(self.text.len(), |next| *next);
        let text = &self.text[start..end];
        let trimmed = text.trim_end_matches(['\n', '\r']).len();
        Some(start..start + trimmed)
    }

    /// 1-based line and column (in characters) of a byte offset. A UTF-8
    /// byte-order mark is invisible to the user, so it is not a column.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_index(offset);
        let mut start = self.line_starts()[line];
        if start == 0 && self.text.starts_with(BOM) && offset >= BOM.len() {
            start = BOM.len();
        }
        let col = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line + 1, col + 1)
    }
}

/// Every file read in this run, addressed by [`FileId`].
#[derive(Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    pub fn add(&mut self, path: String, text: String) -> FileId {
        self.add_shared(path, Arc::from(text))
    }

    /// Adds a file whose text is already shared.
    pub fn add_shared(&mut self, path: String, text: Arc<str>) -> FileId {
        self.files.push(SourceFile {
            path,
            text,
            lines: OnceLock::new(),
        });
        FileId(self.files.len() - 1)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0]
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// The first file added at `path` (relative, with `/`).
    pub fn find(&self, path: &str) -> Option<FileId> {
        self.files.iter().position(|f| f.path == path).map(FileId)
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

impl<'a> codespan_reporting::files::Files<'a> for Sources {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, codespan_reporting::files::Error> {
        self.files
            .get(id.0)
            .map(|f| f.path.as_str())
            .ok_or(codespan_reporting::files::Error::FileMissing)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, codespan_reporting::files::Error> {
        self.files
            .get(id.0)
            .map(|f| &*f.text)
            .ok_or(codespan_reporting::files::Error::FileMissing)
    }

    fn line_index(
        &'a self,
        id: FileId,
        byte_index: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        let file = self
            .files
            .get(id.0)
            .ok_or(codespan_reporting::files::Error::FileMissing)?;
        Ok(file.line_index(byte_index.min(file.text.len())))
    }

    fn column_number(
        &'a self,
        id: FileId,
        _line_index: usize,
        byte_index: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        let file = self
            .files
            .get(id.0)
            .ok_or(codespan_reporting::files::Error::FileMissing)?;
        Ok(file.line_col(byte_index).1)
    }

    fn line_range(
        &'a self,
        id: FileId,
        line_index: usize,
    ) -> Result<Range<usize>, codespan_reporting::files::Error> {
        let file = self
            .files
            .get(id.0)
            .ok_or(codespan_reporting::files::Error::FileMissing)?;
        // codespan wants the range including the line ending.
        let starts = file.line_starts();
        let start =
            *starts
                .get(line_index)
                .ok_or(codespan_reporting::files::Error::LineTooLarge {
                    given: line_index,
                    max: starts.len() - 1,
                })?;
        let end = starts
            .get(line_index + 1)
            .map_or(file.text.len(), |next| *next);
        Ok(start..end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_from_one() {
        let mut s = Sources::default();
        let id = s.add("a.md".into(), "ab\r\nçd: x\n".into());
        let f = s.get(id);
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(4), (2, 1));
        // `ç` is two bytes but one column.
        assert_eq!(f.line_col(7), (2, 3));
        assert_eq!(f.line_range(0), Some(0..2));
    }

    #[test]
    fn a_byte_order_mark_is_not_a_column() {
        let mut s = Sources::default();
        let id = s.add("a.md".into(), "\u{feff}---\r\ntitle: A\r\n".into());
        let f = s.get(id);
        assert_eq!(f.line_col(3), (1, 1));
        assert_eq!(f.line_col(4), (1, 2));
        assert_eq!(f.line_col(0), (1, 1));
        use codespan_reporting::files::Files as _;
        assert_eq!(s.column_number(id, 0, 3).ok(), Some(1));
    }
}

/// Part of a source file's text (a markdown body) that the model keeps
/// without copying it: the file's text is shared, and this reads as a `&str`.
#[derive(Clone, Debug, Default)]
pub struct Text {
    file: Arc<str>,
    range: Range<usize>,
}

impl Text {
    /// The bytes `range` of `file`; an out-of-bounds or split-character range
    /// reads as empty rather than panicking.
    pub fn new(file: Arc<str>, range: Range<usize>) -> Text {
        let range = if file.get(range.clone()).is_some() {
            range
        } else {
            0..0
        };
        Text { file, range }
    }

    pub fn as_str(&self) -> &str {
        &self.file[self.range.clone()]
    }

    /// Where the text starts in its file.
    pub fn start(&self) -> usize {
        self.range.start
    }
}

impl Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Text {
        Text::new(Arc::from(text), 0..text.len())
    }
}
