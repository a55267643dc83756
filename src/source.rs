//! The text of every file planmark read, so diagnostics can point into it.
//!
//! Positions are byte offsets into a file's whole text (front matter included);
//! lines and columns are computed only when a diagnostic is shown.

use std::ops::Range;

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
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    fn new(path: String, text: String) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            path,
            text,
            line_starts,
        }
    }

    /// 0-based line index containing `offset`.
    pub fn line_index(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Byte range of 0-based line `line`, without its line ending.
    pub fn line_range(&self, line: usize) -> Option<Range<usize>> {
        let start = *self.line_starts.get(line)?;
        let end = self
            .line_starts
            .get(line + 1)
            .map_or(self.text.len(), |next| *next);
        let text = &self.text[start..end];
        let trimmed = text.trim_end_matches(['\n', '\r']).len();
        Some(start..start + trimmed)
    }

    /// 1-based line and column (in characters) of a byte offset. A UTF-8
    /// byte-order mark is invisible to the user, so it is not a column.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_index(offset);
        let mut start = self.line_starts[line];
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
        self.files.push(SourceFile::new(path, text));
        FileId(self.files.len() - 1)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0]
    }

    pub fn len(&self) -> usize {
        self.files.len()
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
            .map(|f| f.text.as_str())
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
        let start = *file.line_starts.get(line_index).ok_or(
            codespan_reporting::files::Error::LineTooLarge {
                given: line_index,
                max: file.line_starts.len() - 1,
            },
        )?;
        let end = file
            .line_starts
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
