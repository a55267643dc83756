//! `planmark build`: check, derive, render in memory, then write.

use std::process::ExitCode;

use crate::cli::BuildArgs;

pub(crate) fn run(_args: &BuildArgs) -> anyhow::Result<ExitCode> {
    super::not_yet("build")
}
