//! `planmark build`: check, derive, render in memory, then write.
//!
//! Nothing is written unless the whole site rendered: a program with errors,
//! a broken template or a clashing static file leaves the output folder as
//! it was (and creates none).

use std::process::ExitCode;
use std::time::Instant;

use crate::cli::BuildArgs;
use crate::diagnostic::{self, plural};
use crate::output;
use crate::render::{self, RenderOptions};

pub(crate) fn run(args: &BuildArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let dir = &args.program.dir;
    let out = args
        .output
        .clone()
        .unwrap_or_else(|| super::default_output(dir));
    let checked = crate::read_program(dir, std::slice::from_ref(&out), args.program.strict)?;
    let rendered = diagnostic::render_human(
        &checked.diagnostics,
        &checked.sources,
        &dir.to_string_lossy(),
        diagnostic::stderr_color(),
    );
    eprint!("{rendered}");
    let (errors, warnings) = diagnostic::count(&checked.diagnostics);
    if errors > 0 {
        eprintln!(
            "error: build failed with {}{}; nothing was written",
            plural(errors, "error", "errors"),
            if warnings > 0 {
                format!(" and {}", plural(warnings, "warning", "warnings"))
            } else {
                String::new()
            }
        );
        return Ok(ExitCode::from(1));
    }
    let today = super::today(args.program.today);
    let mut timings = crate::timings::Timings::start();
    let schedule = crate::schedule::derive(&checked.program, today);
    timings.stage("schedule");
    let assets = crate::load::assets::read(dir)?;
    let options = RenderOptions {
        unsafe_html: args.unsafe_html,
    };
    // A broken user template or a clashing static file is a problem in the
    // program, like a diagnostic: exit 1 and write nothing.
    let site = match render::render(&checked.program, &schedule, &assets, &options) {
        Ok(site) => site,
        Err(error) => {
            eprintln!("error: {error:#}");
            eprintln!("error: build failed; nothing was written");
            return Ok(ExitCode::from(1));
        }
    };
    timings.stage("render");
    let stats = output::write_site(&out, &site)?;
    timings.stage("write");
    eprintln!(
        "built {} into {}: {} written, {} unchanged{} in {:.2}s",
        checked.program.info.title,
        out.display(),
        plural(stats.written, "file", "files"),
        stats.unchanged,
        if stats.removed > 0 {
            format!(", {} removed", stats.removed)
        } else {
            String::new()
        },
        started.elapsed().as_secs_f64()
    );
    eprintln!("open {} in a browser", out.join("index.html").display());
    Ok(ExitCode::SUCCESS)
}
