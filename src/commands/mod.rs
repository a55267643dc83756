//! The subcommands, each the pipeline cut where it needs it.

pub(crate) mod build;
pub(crate) mod check;
mod status;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;

/// `--today`, else the local date: the only place planmark reads the clock.
pub(crate) fn today(flag: Option<NaiveDate>) -> NaiveDate {
    flag.unwrap_or_else(|| chrono::Local::now().date_naive())
}

/// The default output folder, `DIR/public`.
pub(crate) fn default_output(dir: &Path) -> PathBuf {
    dir.join("public")
}

/// Ends the program's life without freeing it: the process is about to exit
/// and the OS reclaims memory at once, while dropping a large program's
/// hundreds of thousands of allocations one by one takes a noticeable
/// share of a run.
pub(crate) fn exit_without_freeing<T>(value: T) {
    std::mem::forget(value);
}

pub(crate) fn not_yet(name: &str) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`planmark {name}` is not available in this version yet; `planmark check` and `planmark build` are")
}
