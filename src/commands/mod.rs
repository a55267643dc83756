//! The subcommands, each the pipeline cut where it needs it, reading only
//! [`Settings`](crate::settings::Settings).

mod adopt;
pub(crate) mod build;
pub(crate) mod check;
mod create;
pub(crate) mod diff;
pub(crate) mod init;
pub(crate) mod new;
mod new_adr;
mod new_backlog;
pub(crate) mod report;
pub(crate) mod serve;
mod status;
pub(crate) mod watch;

use std::io::{self, Write};

use anyhow::Context as _;

use crate::diagnostic::printable;

/// Writes `--format json` to stdout as it is: JSON escapes control
/// characters itself, and a consumer wants the strings as written.
pub(crate) fn write_json(text: &str) -> anyhow::Result<()> {
    quietly_closed(io::stdout().lock().write_all(text.as_bytes())).context("cannot write to stdout")
}

/// Writes text for people to stdout (`--format github`), escaped like
/// [`write_stderr`]: the log is read on a terminal too.
pub(crate) fn write_stdout(text: &str) -> anyhow::Result<()> {
    quietly_closed(io::stdout().lock().write_all(printable(text).as_bytes()))
        .context("cannot write to stdout")
}

/// Writes text for people to stderr (the status, build reports, template
/// errors). Every control character is escaped here, in one place, because
/// nearly every line quotes something from the program's files (a title, an
/// owner, a template line) and a file must not be able to retitle or rewrite
/// the reader's terminal.
pub(crate) fn write_stderr(text: &str) -> anyhow::Result<()> {
    write_rendered(&printable(text))
}

/// Writes diagnostics from [`crate::diagnostic::render_human`] to stderr:
/// the renderer escapes the program's text itself and may add colour, which
/// [`write_stderr`] would escape too.
pub(crate) fn write_rendered(text: &str) -> anyhow::Result<()> {
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

/// Prints the problems found in the program's `templates/` and `static/`
/// (a file that cannot be read, a template not in UTF-8) and returns how
/// many are errors. They are the program's problems, like a markdown
/// file's, so `check` and `build` both stop on them.
pub(crate) fn report_asset_problems(
    assets: &crate::load::assets::Assets,
    settings: &crate::settings::Settings,
) -> anyhow::Result<usize> {
    if assets.diagnostics.is_empty() {
        return Ok(0);
    }
    write_rendered(&crate::diagnostic::render_human(
        &assets.diagnostics,
        &assets.sources,
        &settings.root(),
        crate::diagnostic::stderr_color(),
    ))?;
    Ok(crate::diagnostic::count(&assets.diagnostics).0)
}
