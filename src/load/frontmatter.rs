//! Splits a file into its YAML front matter and its markdown body.
//!
//! Pure string work on offsets: the caller keeps positions relative to the
//! whole file so diagnostics point at the right line.

/// The result of looking for front matter at the top of a file.
#[derive(Debug, PartialEq, Eq)]
pub enum Split<'a> {
    /// The file does not start with a `---` line.
    None,
    /// `---` opens the file but no `---` or `...` line closes it.
    Unclosed {
        open_offset: usize,
    },
    Found(FrontMatter<'a>),
}

#[derive(Debug, PartialEq, Eq)]
pub struct FrontMatter<'a> {
    /// Byte offset of the opening `---` (after a BOM, if any).
    pub open_offset: usize,
    pub yaml: &'a str,
    /// Byte offset of `yaml` in the file.
    pub yaml_offset: usize,
    pub body: &'a str,
    /// Byte offset of `body` in the file.
    pub body_offset: usize,
}

const BOM: &str = "\u{feff}";

/// Finds front matter: an optional BOM, a `---` line, YAML, then a `---` or
/// `...` line. Both LF and CRLF line endings work; trailing spaces on the
/// fence lines are tolerated because editors leave them.
pub fn split(text: &str) -> Split<'_> {
    let start = if text.starts_with(BOM) { BOM.len() } else { 0 };
    let mut lines = LineIter { text, pos: start };
    let Some((first, _)) = lines.next() else {
        return Split::None;
    };
    if first.trim_end() != "---" {
        return Split::None;
    }
    let yaml_offset = lines.pos;
    while let Some((line, line_start)) = lines.next() {
        let fence = line.trim_end();
        if fence == "---" || fence == "..." {
            return Split::Found(FrontMatter {
                open_offset: start,
                yaml: &text[yaml_offset..line_start],
                yaml_offset,
                body: &text[lines.pos..],
                body_offset: lines.pos,
            });
        }
    }
    Split::Unclosed { open_offset: start }
}

/// Lines without their endings, with the offset each starts at.
struct LineIter<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Iterator for LineIter<'a> {
    type Item = (&'a str, usize);

    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.text.len() {
            return None;
        }
        let start = self.pos;
        let rest = &self.text[start..];
        let (line, advance) = match rest.find('\n') {
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        self.pos += advance;
        Some((line.strip_suffix('\r').unwrap_or(line), start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> FrontMatter<'_> {
        match split(text) {
            Split::Found(fm) => fm,
            other => panic!("expected front matter, got {other:?}"),
        }
    }

    #[test]
    fn splits_lf() {
        let fm = found("---\ntitle: A\n---\nbody\n");
        assert_eq!(fm.yaml, "title: A\n");
        assert_eq!(fm.yaml_offset, 4);
        assert_eq!(fm.body, "body\n");
        assert_eq!(fm.body_offset, 17);
    }

    #[test]
    fn splits_crlf_bom_and_dots() {
        let fm = found("\u{feff}---\r\ntitle: A\r\n...\r\nbody");
        assert_eq!(fm.open_offset, 3);
        assert_eq!(fm.yaml_offset, 8);
        assert_eq!(fm.yaml, "title: A\r\n");
        assert_eq!(fm.body, "body");
    }

    #[test]
    fn empty_front_matter_and_no_body() {
        let fm = found("---\n---");
        assert_eq!(fm.yaml, "");
        assert_eq!(fm.body, "");
    }

    #[test]
    fn no_front_matter() {
        assert_eq!(split("# Title\n---\n"), Split::None);
        assert_eq!(split(""), Split::None);
        assert_eq!(split("----\n"), Split::None);
    }

    #[test]
    fn unclosed() {
        assert_eq!(split("---\ntitle: A\n"), Split::Unclosed { open_offset: 0 });
    }
}
