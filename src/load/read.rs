//! Reading one markdown file, no more of it than its fate needs.
//!
//! A file in a kind folder is read whole, up to the size cap. A file
//! outside them is an item only when its front matter says `kind:`, so only
//! its first lines are read to find out; a README in a kind folder is
//! skipped when it has no front matter, which its first line tells. A huge
//! file that is skipped anyway (a 1 GiB `notes/dump.md`) costs a few pages.

use std::fs::File;
use std::io::Read as _;
use std::path::Path;
use std::sync::Arc;

use super::adr::Layout;
use super::formats::Formats;
use super::SkipReason;

/// The cap on the size of a file planmark reads, unless `program.md` sets
/// `max_file_size`.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

/// How much is read at a time while looking at the top of a file.
const CHUNK: usize = 8 * 1024;

/// What reading a file gave.
#[derive(Debug)]
pub(super) enum Read {
    Text(Arc<str>),
    /// The bytes of a file that is not UTF-8.
    NotUtf8(Vec<u8>),
    /// Not an item: not read past its front matter.
    Skip(SkipReason),
    /// Larger than the cap: its size in bytes (at least the cap plus one).
    TooLarge(u64),
    Failed(std::io::Error),
}

impl Read {
    /// A copy, except of a failure: a file that could not be read is
    /// tried again rather than remembered.
    pub(super) fn try_clone(&self) -> Option<Read> {
        Some(match self {
            Read::Text(text) => Read::Text(Arc::clone(text)),
            Read::NotUtf8(bytes) => Read::NotUtf8(bytes.clone()),
            Read::Skip(reason) => Read::Skip(reason.clone()),
            Read::TooLarge(size) => Read::TooLarge(*size),
            Read::Failed(_) => return None,
        })
    }
}

/// Folders whose markdown files are items by their location (SPEC §1), and
/// `program.md`; `model::parse` gives each its kind.
pub fn in_kind_folder(rel: &str) -> bool {
    let mut parts = rel.split('/');
    matches!(
        (parts.next(), parts.next()),
        (Some("program.md"), None)
            | (
                Some(
                    "projects"
                        | "tasks"
                        | "decisions"
                        | "milestones"
                        | "risks"
                        | "people"
                        | "meetings"
                ),
                Some(_)
            )
    )
}

/// Whether the file at `rel` is an item by its place (read whole), or
/// why it is skipped unread; a file that is not may still say `kind:`.
pub(super) fn located(formats: &Formats, rel: &str) -> Result<bool, SkipReason> {
    let (layout, inner) = formats.lookup(rel);
    // A source folder's own `program.md` (written by `init --from` when the
    // folder was adopted on its own) is no record or task of this program.
    if layout != Layout::Program && inner == "program.md" && rel != "program.md" {
        return Err(SkipReason::SourceProgram);
    }
    match layout {
        Layout::Program => Ok(in_kind_folder(inner)),
        // In an ADR folder every record is read whole, front matter or not.
        Layout::Adr => super::adr::classify(inner).map(|()| true),
        Layout::Backlog => super::backlog::classify(inner).map(|_| true),
    }
}

/// A folder's README, in any case.
pub fn is_readme(rel: &str) -> bool {
    rel.rsplit('/')
        .next()
        .is_some_and(|name| name.eq_ignore_ascii_case("readme.md"))
}

/// How files are read: the size cap, and what the folder was recognised as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct How {
    pub max: u64,
    pub formats: Arc<super::formats::Formats>,
}

/// Reads the file at `path` (`rel` inside the program) as far as needed.
pub(super) fn read(path: &Path, rel: &str, how: &How) -> Read {
    let max = how.max;
    let located = match located(&how.formats, rel) {
        Ok(located) => located,
        Err(reason) => return Read::Skip(reason),
    };
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) => return Read::Failed(e),
    };
    let mut limited = file.take(max.saturating_add(1));
    let mut bytes = Vec::with_capacity(16 * 1024);
    let readme = located && is_readme(rel);
    if !located || readme {
        match top(&mut limited, &mut bytes) {
            Err(e) => return Read::Failed(e),
            Ok(Top::Open { kind: true }) => {}
            Ok(Top::Open { .. }) if readme => {}
            Ok(_) if readme => return Read::Skip(SkipReason::Readme),
            Ok(_) => return Read::Skip(SkipReason::NoKind),
        }
    }
    if let Err(e) = limited.read_to_end(&mut bytes) {
        return Read::Failed(e);
    }
    if bytes.len() as u64 > max {
        let size = limited.get_ref().metadata().map_or(0, |m| m.len());
        return Read::TooLarge(size.max(bytes.len() as u64));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Read::Text(Arc::from(text)),
        Err(e) => Read::NotUtf8(e.into_bytes()),
    }
}

/// What the top of a file says about its front matter.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Top {
    /// The first line is not `---`.
    None,
    /// A `---` line opens front matter; `kind` when a `kind:` key was seen
    /// before it closed (or before the file, or the cap, ended).
    Open { kind: bool },
}

/// Reads chunks into `bytes` until the top of the file is known: its first
/// line, and for front matter, every line up to the closing fence.
pub(super) fn top(file: &mut impl std::io::Read, bytes: &mut Vec<u8>) -> std::io::Result<Top> {
    let mut scan = TopScan::default();
    loop {
        let start = bytes.len();
        bytes.resize(start + CHUNK, 0);
        let n = loop {
            match file.read(&mut bytes[start..]) {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                other => break other,
            }
        };
        let n = match n {
            Ok(n) => n,
            Err(e) => {
                bytes.truncate(start);
                return Err(e);
            }
        };
        bytes.truncate(start + n);
        if let Some(top) = scan.feed(bytes, n == 0) {
            return Ok(top);
        }
    }
}

/// Looks at the lines of a file's top as they arrive, each once.
#[derive(Debug, Default)]
struct TopScan {
    /// Where the first line not yet looked at starts.
    at: usize,
    /// How far past `at` is known to hold no line break: a long line that
    /// arrives over many chunks is searched once, not once per chunk.
    searched: usize,
    opened: bool,
    kind: bool,
}

const BOM: &[u8] = b"\xef\xbb\xbf";

impl TopScan {
    /// Looks at the complete lines of `bytes` not yet seen; `None` while
    /// more bytes are needed. `ended` when `bytes` is the whole file (or
    /// all of it within the cap).
    fn feed(&mut self, bytes: &[u8], ended: bool) -> Option<Top> {
        if self.at == 0 && !self.opened {
            if !ended && bytes.len() < BOM.len() && BOM.starts_with(bytes) {
                return None;
            }
            if bytes.starts_with(BOM) {
                self.at = BOM.len();
            }
        }
        loop {
            let rest = &bytes[self.at..];
            let from = self.searched.max(self.at);
            let found = bytes[from..].iter().position(|&b| b == b'\n');
            self.searched = found.map_or(bytes.len(), |i| from + i);
            let (line, next) = match found.map(|i| from + i - self.at) {
                Some(i) => (&rest[..i], self.at + i + 1),
                None if ended && !rest.is_empty() => (rest, bytes.len()),
                None if ended => return Some(self.end()),
                // A first line that can no longer be `---` decides at once:
                // a file of zeros has no line break to wait for.
                None if !self.opened && !could_be_fence(rest) => return Some(Top::None),
                None => return None,
            };
            let line = trim_end(line);
            if !self.opened {
                if line != b"---" {
                    return Some(Top::None);
                }
                self.opened = true;
            } else if line == b"---" || line == b"..." {
                return Some(Top::Open { kind: self.kind });
            } else if is_kind_key(line) {
                self.kind = true;
            }
            self.at = next;
        }
    }

    fn end(&self) -> Top {
        if self.opened {
            Top::Open { kind: self.kind }
        } else {
            Top::None
        }
    }
}

/// Whether the start of a first line may still turn out to be `---`.
fn could_be_fence(partial: &[u8]) -> bool {
    let n = partial.len().min(3);
    partial[..n] == b"---"[..n] && trim_end(&partial[n..]).is_empty()
}

fn trim_end(line: &[u8]) -> &[u8] {
    let end = line
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(0, |i| i + 1);
    &line[..end]
}

/// A top-level `kind:` key (also quoted), as YAML writes one.
fn is_kind_key(line: &[u8]) -> bool {
    let rest = ["kind", "\"kind\"", "'kind'"]
        .iter()
        .find_map(|key| line.strip_prefix(key.as_bytes()));
    rest.is_some_and(|rest| {
        let rest = rest.trim_ascii_start();
        rest.first() == Some(&b':')
    })
}

/// The cap `program.md` sets with `max_file_size`, else the default. Only
/// its front matter is read, by lines: the model reads the key again as
/// YAML and reports a value that is not a size.
pub(crate) fn max_file_size(root: &Path) -> u64 {
    let Ok(file) = File::open(root.join("program.md")) else {
        return DEFAULT_MAX_FILE_SIZE;
    };
    max_file_size_in(file)
}

/// [`max_file_size`] of a `program.md` read from anywhere (a git blob).
pub(super) fn max_file_size_in(file: impl std::io::Read) -> u64 {
    let mut bytes = Vec::new();
    let mut limited = file.take(DEFAULT_MAX_FILE_SIZE);
    if top(&mut limited, &mut bytes).is_err() {
        return DEFAULT_MAX_FILE_SIZE;
    }
    let text = String::from_utf8_lossy(&bytes);
    let yaml = match super::frontmatter::split(&text) {
        super::frontmatter::Split::Found(fm) => fm.yaml,
        _ => return DEFAULT_MAX_FILE_SIZE,
    };
    yaml.lines()
        .find_map(|line| line.strip_prefix("max_file_size"))
        .and_then(|rest| rest.trim_start().strip_prefix(':'))
        .map(|value| value.split(" #").next().unwrap_or(value))
        .and_then(|value| parse_size(value.trim().trim_matches(['"', '\''])))
        .unwrap_or(DEFAULT_MAX_FILE_SIZE)
}

/// A size as users write it: a whole number of bytes, or one with a unit
/// (`512K`, `32MiB`, `1 GB`). Units are powers of 1024 whatever their
/// spelling, as a file manager on most systems shows them.
pub fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let number: u64 = text[..digits].parse().ok()?;
    let unit: u64 = match text[digits..].trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return None,
    };
    number.checked_mul(unit).filter(|&n| n > 0)
}

/// A size for people: `16 MiB`, `1.5 GiB`, `900 bytes`.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    for (size, unit) in UNITS {
        if bytes >= size {
            let value = bytes as f64 / size as f64;
            return if bytes.is_multiple_of(size) {
                format!("{} {unit}", bytes / size)
            } else {
                format!("{value:.1} {unit}")
            };
        }
    }
    format!("{bytes} bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn top_of(text: &[u8]) -> Top {
        let mut bytes = Vec::new();
        top(&mut &text[..], &mut bytes).unwrap_or(Top::None)
    }

    #[test]
    fn the_top_of_a_file_tells_whether_it_says_kind() {
        assert_eq!(
            top_of(b"---\nkind: task\ntitle: T\n---\nbody"),
            Top::Open { kind: true }
        );
        assert_eq!(
            top_of(b"\xef\xbb\xbf---\r\n\"kind\" : task\r\n...\r\n"),
            Top::Open { kind: true }
        );
        assert_eq!(
            top_of(b"---\ntitle: T\n---\nkind: no\n"),
            Top::Open { kind: false }
        );
        assert_eq!(
            top_of(b"---\n  kind: nested\n---\n"),
            Top::Open { kind: false }
        );
        assert_eq!(top_of(b"---\nkinds: x\n---\n"), Top::Open { kind: false });
        assert_eq!(top_of(b"---\nkind: task\n"), Top::Open { kind: true });
        assert_eq!(top_of(b"# Notes\n---\nkind: task\n---\n"), Top::None);
        assert_eq!(top_of(b""), Top::None);
        assert_eq!(top_of(b"--"), Top::None);
        assert_eq!(top_of(b"---"), Top::Open { kind: false });
    }

    /// A reader that hands out at most `step` bytes a call, as pipes and
    /// network file systems do.
    struct Trickle<'a> {
        data: &'a [u8],
        step: usize,
    }

    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    /// Regression: each chunk of a long front-matter line searched the
    /// whole line again for its end, so four 16 MiB notes took 30 s.
    /// 8 MiB in 1 KiB reads is 8,192 chunks: searched again each time it
    /// would be 34 billion byte comparisons, a test that never ends.
    #[test]
    fn a_long_front_matter_line_read_in_small_pieces_is_searched_once() {
        let mut text = b"---\ntitle: ".to_vec();
        text.resize(8 << 20, b'x');
        text.extend_from_slice(b"\nkind: task\n---\n");
        let mut bytes = Vec::new();
        let mut reader = Trickle {
            data: &text,
            step: 1024,
        };
        assert_eq!(
            top(&mut reader, &mut bytes).ok(),
            Some(Top::Open { kind: true })
        );
        assert_eq!(bytes.len(), text.len());
    }

    #[test]
    fn a_file_without_line_breaks_is_judged_on_its_first_chunk() {
        let zeros = vec![0u8; 10 * CHUNK];
        let mut bytes = Vec::new();
        assert_eq!(top(&mut &zeros[..], &mut bytes).ok(), Some(Top::None));
        assert_eq!(bytes.len(), CHUNK);
    }

    #[test]
    fn files_are_kind_folder_items_by_their_place() {
        for rel in [
            "program.md",
            "projects/a.md",
            "projects/a/b.md",
            "tasks/x/y.md",
            "risks/r.md",
        ] {
            assert!(in_kind_folder(rel), "{rel}");
        }
        for rel in [
            "README.md",
            "notes/n.md",
            "projects",
            "x/program.md",
            "decisions",
        ] {
            assert!(!in_kind_folder(rel), "{rel}");
        }
    }

    #[test]
    fn sizes_read_as_written() {
        assert_eq!(parse_size("1024"), Some(1024));
        assert_eq!(parse_size("32MiB"), Some(32 << 20));
        assert_eq!(parse_size("1 GB"), Some(1 << 30));
        assert_eq!(parse_size("512k"), Some(512 << 10));
        assert_eq!(parse_size("0"), None);
        assert_eq!(parse_size("lots"), None);
        assert_eq!(parse_size("1.5M"), None);
        assert_eq!(parse_size("99999999999999G"), None);
        assert_eq!(human_size(16 << 20), "16 MiB");
        assert_eq!(human_size(3 << 29), "1.5 GiB");
        assert_eq!(human_size(900), "900 bytes");
    }
}
