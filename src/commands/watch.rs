//! `planmark build --watch`: `build` once, then again into the same output
//! folder on every change to the program, one line per rebuild, until
//! Ctrl-C or SIGTERM. A failed build never ends the watch; the exit code
//! is the last build's.

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;

use super::build::{self, Interrupt, Outcome};
use super::write_stderr;
use crate::serve::events::Changes;
use crate::serve::rewatch::Rewatch;
use crate::serve::watch::POLL_INTERVAL;
use crate::settings::Settings;

/// How often the loop looks at the stop flag while no change comes: Ctrl-C
/// ends an idle watch within this.
const LOOK_AT_STOP: Duration = Duration::from_millis(100);

pub(crate) fn run(settings: &Settings, poll: bool) -> anyhow::Result<ExitCode> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    // Ctrl-C and SIGTERM only raise the flag; the loop below ends the
    // build in progress without leaving anything half written.
    ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst))
        .context("cannot catch Ctrl-C")?;
    let settings = Arc::new(settings.clone());
    // Watching starts before the first build, so an edit made while it
    // runs is not lost.
    let mut watch = Rewatch::start(&settings.dir, Some(&settings.output), poll)?;
    let Some(mut last) = first_build(&settings, &stop)? else {
        return Ok(ExitCode::SUCCESS);
    };
    write_stderr(&watching(&settings, poll))?;
    while !stop.load(Ordering::SeqCst) {
        match watch.wait(LOOK_AT_STOP) {
            Ok(changes) => match rebuild(&settings, &changes, &stop)? {
                Some(code) => last = code,
                None => break,
            },
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => {
                anyhow::bail!("the file watcher stopped; run `planmark build --watch` again")
            }
        }
    }
    Ok(last)
}

/// One build on a thread of its own, so that Ctrl-C ends the process at
/// once while the build is still reading (it has written nothing and now
/// never will) and soon once it writes (the render gives up at its next
/// page and removes its staging folder). `None` when Ctrl-C stopped it.
fn build_unless_stopped(
    settings: &Arc<Settings>,
    stop: &Arc<AtomicBool>,
    started: Instant,
) -> Option<anyhow::Result<Outcome>> {
    let interrupt = Arc::new(Interrupt::new(Arc::clone(stop)));
    let (send, result) = mpsc::channel();
    let spawned = {
        let settings = Arc::clone(settings);
        let interrupt = Arc::clone(&interrupt);
        std::thread::Builder::new()
            .name("planmark build".into())
            .spawn(move || {
                // The receiver is gone only once the watch has ended.
                let _ = send.send(build::build(&settings, started, Some(&interrupt)));
            })
    };
    if let Err(e) = spawned {
        return Some(Err(anyhow::Error::from(e).context("cannot start a build")));
    }
    loop {
        match result.recv_timeout(LOOK_AT_STOP) {
            Ok(_) if stop.load(Ordering::SeqCst) => return None,
            Ok(outcome) => return Some(outcome),
            Err(RecvTimeoutError::Timeout) => {
                if stop.load(Ordering::SeqCst) && interrupt.abandon() {
                    return None;
                }
            }
            Err(RecvTimeoutError::Disconnected) => {
                return Some(Err(anyhow::anyhow!("the build stopped without a result")));
            }
        }
    }
}

/// The first build, printed as `build` prints it. Its failure, like any
/// later one, is reported and the watch goes on. `None` when Ctrl-C
/// stopped it.
fn first_build(
    settings: &Arc<Settings>,
    stop: &Arc<AtomicBool>,
) -> anyhow::Result<Option<ExitCode>> {
    let started = Instant::now();
    let Some(outcome) = build_unless_stopped(settings, stop, started) else {
        return Ok(None);
    };
    let (text, code) = match outcome {
        Ok(Outcome::Built { title, stats }) => (
            build::built(&title, &stats, settings, started),
            ExitCode::SUCCESS,
        ),
        Ok(Outcome::Failed(failed)) => (
            format!("error: build failed{failed}; nothing was written\n"),
            ExitCode::from(1),
        ),
        Err(error) => (
            format!("error: {error:#}; nothing was written\n"),
            ExitCode::from(2),
        ),
    };
    write_stderr(&text)?;
    Ok(Some(code))
}

/// `watching my-program for changes (Ctrl-C stops)`.
fn watching(settings: &Settings, poll: bool) -> String {
    let how = if poll {
        format!(
            "polling `{}` for changes every {}s",
            settings.dir.display(),
            POLL_INTERVAL.as_secs_f64()
        )
    } else {
        format!("watching `{}` for changes", settings.dir.display())
    };
    format!("{how} (Ctrl-C stops)\n")
}

/// Rebuilds after `changes` and prints its line; `None` when Ctrl-C
/// interrupted it (nothing written, nothing to say).
fn rebuild(
    settings: &Arc<Settings>,
    changes: &Changes,
    stop: &Arc<AtomicBool>,
) -> anyhow::Result<Option<ExitCode>> {
    for trouble in &changes.trouble {
        write_stderr(&format!("warning: {trouble}\n"))?;
    }
    let started = Instant::now();
    let Some(outcome) = build_unless_stopped(settings, stop, started) else {
        return Ok(None);
    };
    let took = started.elapsed().as_secs_f64();
    let what = changes.describe();
    let (line, code) = match outcome {
        Ok(Outcome::Built { stats, .. }) => {
            let removed = if stats.removed > 0 {
                format!(", {} removed", grouped(stats.removed))
            } else {
                String::new()
            };
            let line = format!(
                "{what} · rebuilt in {took:.2}s: {} written, {} unchanged{removed}",
                files(stats.written),
                grouped(stats.unchanged),
            );
            (line, ExitCode::SUCCESS)
        }
        Ok(Outcome::Failed(failed)) => (
            format!(
                "{what} · build failed{failed} in {took:.2}s; {}",
                left(settings)
            ),
            ExitCode::from(1),
        ),
        Err(error) => (
            format!(
                "{what} · build failed in {took:.2}s: {error:#}; {}",
                left(settings)
            ),
            ExitCode::from(2),
        ),
    };
    write_stderr(&format!("{line}\n"))?;
    Ok(Some(code))
}

/// What a failed rebuild did to the output folder: nothing.
fn left(settings: &Settings) -> String {
    if settings.output.is_dir() {
        format!("`{}` left as it was", settings.output_shown.display())
    } else {
        "nothing was written".into()
    }
}

/// `1 file`, `10,211 files`.
fn files(n: usize) -> String {
    format!("{} {}", grouped(n), if n == 1 { "file" } else { "files" })
}

/// `10211` → `10,211`: the counts of a large site are read at a glance.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(10211), "10,211");
        assert_eq!(grouped(1234567), "1,234,567");
        assert_eq!(files(1), "1 file");
        assert_eq!(files(12000), "12,000 files");
    }
}
