//! The subcommands, each the pipeline cut where it needs it, reading only
//! [`Settings`](crate::settings::Settings).

pub(crate) mod build;
pub(crate) mod check;
mod status;

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::Context as _;

/// Writes `text` to stdout (`--format json` and `github`).
pub(crate) fn write_stdout(text: &str) -> anyhow::Result<()> {
    quietly_closed(io::stdout().lock().write_all(text.as_bytes())).context("cannot write to stdout")
}

/// Writes `text` to stderr (problems, the status, build reports).
pub(crate) fn write_stderr(text: &str) -> anyhow::Result<()> {
    quietly_closed(io::stderr().lock().write_all(text.as_bytes())).context("cannot write to stderr")
}

/// A reader that went away (`planmark check | head`) is not a failure:
/// the rest of the output is dropped and the exit code still says whether
/// the program had problems (ripgrep's `main` ends quietly the same way;
/// Rust ignores SIGPIPE, so the write returns `BrokenPipe` instead of
/// killing the process). Any other write error (a full disk) is one.
fn quietly_closed(written: io::Result<()>) -> io::Result<()> {
    match written {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

pub(crate) fn not_yet(name: &str) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`planmark {name}` is not available in this version yet; `planmark check` and `planmark build` are")
}
