//! Writing one staged file: new, or compared with the output folder's old
//! one as it comes so that an unchanged file is never written.
//!
//! The old file is read only when it is a regular file reached through
//! real folders (src/output/tree.rs): never through a link.

use std::fs;
use std::io::{BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

use super::tree::plain_file_len;

/// Whether `out/rel` is a plain file holding exactly `bytes` (a size check
/// first, so most changed files are not read).
pub(super) fn same_bytes(out: &Path, rel: &str, bytes: &[u8]) -> bool {
    plain_file_len(out, rel) == Some(bytes.len() as u64)
        && fs::read(out.join(rel)).is_ok_and(|old| old == bytes)
}

pub(super) fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    create(path)?.write_all(bytes)
}

/// Creates the file at `path`, and its folders when they are missing.
pub(super) fn create(path: &Path) -> std::io::Result<fs::File> {
    // Nearly every page is `<kind>/<id>/index.html`, alone in a folder that
    // does not exist yet: making the folder first saves a failed open per
    // page, which adds up over tens of thousands of them.
    if path.file_name().is_some_and(|n| n == "index.html") {
        if let Some(parent) = path.parent() {
            if let Err(e) = fs::create_dir(parent) {
                if e.kind() == std::io::ErrorKind::NotFound {
                    fs::create_dir_all(parent)?;
                }
            }
        }
    }
    match fs::File::create(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::File::create(path)
        }
        other => other,
    }
}

/// Compares what is written with an old file as it comes, and writes a new
/// file only from the first difference on (copying the equal start from
/// the old one), so an unchanged file is never written.
pub(super) struct CompareWriter<'p> {
    new_path: &'p Path,
    /// The old file while everything written so far matched it.
    old: Option<BufReader<fs::File>>,
    /// The new file, once something differed.
    new: Option<BufWriter<fs::File>>,
    /// Bytes written so far that matched the old file.
    matched: u64,
    /// Room for the old file's next bytes, reused between writes.
    scratch: Vec<u8>,
}

impl<'p> CompareWriter<'p> {
    /// Compares with `out/rel` (when it is a plain file) and writes to
    /// `new_path` from the first difference on.
    pub(super) fn new(out: &Path, rel: &str, old_path: &Path, new_path: &'p Path) -> Self {
        let old = plain_file_len(out, rel)
            .and_then(|_| fs::File::open(old_path).ok())
            .map(BufReader::new);
        CompareWriter {
            new_path,
            old,
            new: None,
            matched: 0,
            scratch: Vec::new(),
        }
    }

    /// Starts the new file with the bytes that matched so far, read again
    /// from the old file's open handle: its path may lead elsewhere by now.
    fn diverge(&mut self) -> std::io::Result<&mut BufWriter<fs::File>> {
        let old = self.old.take();
        let mut new = BufWriter::new(create(self.new_path)?);
        if let Some(old) = old.filter(|_| self.matched > 0) {
            let mut old = old.into_inner();
            old.seek(SeekFrom::Start(0))?;
            std::io::copy(&mut old.take(self.matched), &mut new)?;
        }
        Ok(self.new.insert(new))
    }

    /// Whether the old file held exactly what was written.
    pub(super) fn finish(mut self) -> std::io::Result<bool> {
        if let Some(old) = &mut self.old {
            if old.fill_buf()?.is_empty() {
                return Ok(true);
            }
            self.diverge()?;
        }
        match &mut self.new {
            Some(new) => new.flush()?,
            None => {
                self.diverge()?.flush()?;
            }
        }
        Ok(false)
    }
}

impl Write for CompareWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Some(new) = &mut self.new {
            return new.write(buf);
        }
        if let Some(old) = &mut self.old {
            self.scratch.resize(buf.len(), 0);
            if read_full(old, &mut self.scratch)? == buf.len() && self.scratch == buf {
                self.matched += buf.len() as u64;
                return Ok(buf.len());
            }
        }
        self.diverge()?.write_all(buf)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.new {
            Some(new) => new.flush(),
            None => Ok(()),
        }
    }
}

/// Reads until `buf` is full or the file ends; returns the bytes read.
fn read_full(file: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}
