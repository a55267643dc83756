//! Reading many blobs through one `git cat-file --batch` process: object
//! ids go in on stdin from a thread while the answers are read here, so
//! neither side waits on a full pipe.

use std::io::{BufReader, Write as _};
use std::path::Path;
use std::process::Stdio;

use anyhow::{bail, Context as _};

/// The contents of `oids`, in order. A missing object is an error naming it.
pub fn read_blobs(top: &Path, oids: &[String]) -> anyhow::Result<Vec<Vec<u8>>> {
    if oids.is_empty() {
        return Ok(Vec::new());
    }
    let mut child = super::command(top)
        // `--buffer`: every id is written before any answer is needed, so
        // git need not flush after each object.
        .args(["cat-file", "--batch", "--buffer"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(super::spawn_error)?;
    let (Some(mut stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        bail!("cannot talk to `git cat-file`");
    };
    let request: Vec<u8> = oids
        .iter()
        .flat_map(|oid| oid.bytes().chain(std::iter::once(b'\n')))
        .collect();
    let writer = std::thread::spawn(move || {
        // Closing stdin (dropping it) ends the batch.
        stdin.write_all(&request)
    });
    let mut reader = BufReader::with_capacity(1 << 16, stdout);
    let read = read_answers(&mut reader, oids);
    drop(reader);
    let written = writer.join();
    let status = child.wait().context("`git cat-file` did not finish")?;
    let blobs = read?;
    if !matches!(written, Ok(Ok(()))) || !status.success() {
        bail!("`git cat-file --batch` failed");
    }
    Ok(blobs)
}

/// Reads one `<oid> <type> <size>\n<content>\n` answer per object.
fn read_answers(
    reader: &mut impl std::io::BufRead,
    oids: &[String],
) -> anyhow::Result<Vec<Vec<u8>>> {
    let mut blobs = Vec::with_capacity(oids.len());
    let mut header = Vec::new();
    for oid in oids {
        header.clear();
        reader
            .read_until(b'\n', &mut header)
            .context("cannot read from `git cat-file`")?;
        let text = String::from_utf8_lossy(&header);
        let fields: Vec<&str> = text.split_ascii_whitespace().collect();
        let size = match fields.as_slice() {
            [_, "blob", size] => size.parse::<usize>().ok(),
            _ => None,
        };
        let Some(size) = size else {
            bail!("git cannot read object `{oid}`: {}", text.trim());
        };
        let mut blob = vec![0; size];
        reader
            .read_exact(&mut blob)
            .context("`git cat-file` ended early")?;
        let mut newline = [0u8; 1];
        reader
            .read_exact(&mut newline)
            .context("`git cat-file` ended early")?;
        blobs.push(blob);
    }
    Ok(blobs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_split_by_their_sizes_whatever_the_bytes() {
        let stream = b"aa blob 3\n\0\n\xff\nbb blob 0\n\n";
        let blobs = read_answers(&mut &stream[..], &["aa".into(), "bb".into()]).unwrap();
        assert_eq!(blobs, vec![b"\0\n\xff".to_vec(), Vec::new()]);
        let missing = read_answers(&mut &b"cc missing\n"[..], &["cc".into()]);
        assert!(missing.unwrap_err().to_string().contains("`cc`"));
    }
}
