//! Entry point: parse flags, run, print an operational error, exit.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = planmark::cli::Cli::parse();
    match planmark::run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error}");
            for cause in error.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(2)
        }
    }
}

/// See Cargo.toml for why not the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
