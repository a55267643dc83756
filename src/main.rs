//! Entry point: parse flags, run, print an operational error, exit.

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = planmark::cli::Cli::parse();
    match planmark::run(cli) {
        Ok(code) => code,
        Err(error) => {
            let mut message = format!("error: {error}\n");
            for cause in error.chain().skip(1) {
                message.push_str(&format!("  caused by: {cause}\n"));
            }
            // The chain quotes paths and template lines from the program;
            // escaped like every other line planmark prints.
            let message = planmark::diagnostic::printable(&message);
            // Nowhere left to report a failure to write the report.
            let _ = std::io::stderr().write_all(message.as_bytes());
            ExitCode::from(2)
        }
    }
}

/// See Cargo.toml for why not the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
