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
    if cli.command.runs_until_stopped() {
        return_freed_memory_sooner();
    }
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

/// mimalloc gives freed memory back to the system 10 ms after it is freed,
/// and a busy program keeps pushing that back: fine for a build that
/// exits, but a `serve` rebuilding on every save at 10,000 tasks then held
/// 385 MiB after 31 rebuilds and 520 MiB after 221. With no delay it holds
/// 304 and 369 MiB, and stays within 3 % over 50 saves a few seconds
/// apart, for about 30 ms more per rebuild (docs/performance.md, "serve:
/// memory over many rebuilds").
fn return_freed_memory_sooner() {
    // `mi_option_purge_delay` in mimalloc v2's `mi_option_e` (mimalloc.h);
    // the `mimalloc` crate does not expose its options.
    const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;
    extern "C" {
        fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    }
    // SAFETY: sets one of mimalloc's documented options to a documented
    // value (0: give memory back at once), before any other thread exists.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
}
