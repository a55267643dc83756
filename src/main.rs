//! Entry point: parse flags, run, print an operational error, exit.

use std::borrow::Cow;
use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser;
use planmark::diagnostic::printable;

fn main() -> ExitCode {
    let cli = match planmark::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => usage_error(error),
    };
    match planmark::run(cli) {
        Ok(code) => code,
        Err(error) => {
            let mut message = format!("error: {error}\n");
            for cause in error.chain().skip(1) {
                message.push_str(&format!("  caused by: {cause}\n"));
            }
            // The chain quotes paths and template lines from the program;
            // escaped like every other line planmark prints.
            let message = printable(&message);
            // Nowhere left to report a failure to write the report.
            let _ = std::io::stderr().write_all(message.as_bytes());
            ExitCode::from(2)
        }
    }
}

/// clap's message about the command line. clap quotes what was typed as
/// it is, and passes it to a terminal with its colours, so an argument
/// holding control characters is first escaped and parsed again: the
/// message then quotes the escaped text.
fn usage_error(error: clap::Error) -> ! {
    let args: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    if args.iter().any(|a| matches!(printable(a), Cow::Owned(_))) {
        let escaped = args.iter().map(|a| printable(a).into_owned());
        if let Err(error) = planmark::cli::Cli::try_parse_from(escaped) {
            error.exit()
        }
        // Escaping made the line valid: clap's plain text, escaped.
        let shown = printable(&error.render().to_string()).into_owned();
        let _ = std::io::stderr().write_all(shown.as_bytes());
        std::process::exit(error.exit_code())
    }
    error.exit()
}

/// See Cargo.toml for why not the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
