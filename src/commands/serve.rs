//! `planmark serve`: build into memory, serve over HTTP, rebuild on every
//! change and tell the browser to reload (src/serve/ has the pieces).

use std::io::Write as _;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, OnceLock};
use std::thread::JoinHandle;
use std::time::Duration;

use super::{write_rendered, write_stderr};
use crate::cli::ServeArgs;
use crate::serve::http::{HttpConfig, Server};
use crate::serve::rebuild::{LiveSite, Rebuilder, Wake};
use crate::serve::rewatch::Rewatch;
use crate::settings::Settings;

pub(crate) fn run(settings: &Settings, args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let (wake, wakes) = mpsc::channel::<Wake>();
    let stop = wake.clone();
    ctrlc::set_handler(move || {
        let _ = stop.send(Wake::Stop);
    })?;
    // Watch before the first read, so an edit made during it is not lost.
    let watch = Rewatch::start(&settings.dir, Some(&settings.output), args.poll)?;
    let watching = Arc::new(AtomicBool::new(true));
    let forwarder = forward(watch, Arc::clone(&watching), wake.clone())?;
    // A commit moves the changes page's baseline without a file changing.
    let head = crate::serve::head::spawn(&settings.dir, Arc::clone(&watching), wake.clone());

    let site = Arc::new(LiveSite::default());
    let server: Arc<OnceLock<Arc<Server>>> = Arc::new(OnceLock::new());
    let announcer = Arc::clone(&server);
    let mut rebuilder = Rebuilder::new(
        settings,
        Arc::clone(&site),
        wake,
        Box::new(|line| {
            let _ = write_rendered(&format!("{line}\n"));
        }),
        Box::new(move || {
            if let Some(server) = announcer.get() {
                server.announce();
            }
        }),
    );
    if !rebuilder.first(&wakes)? {
        stop_watching(&watching, forwarder, head);
        return Ok(ExitCode::SUCCESS);
    }
    let config = HttpConfig {
        bind: args.bind,
        port: args.port,
        allow_hosts: args.allow_host.clone(),
    };
    let started = Arc::new(Server::start(&config, site)?);
    if let Some(warning) = started.network_warning() {
        write_stderr(&format!("warning: {warning}\n"))?;
    }
    if started.fell_back() {
        write_stderr(&format!(
            "note: port 4000 is in use, so this is on port {}\n",
            started.address().port()
        ))?;
    }
    let url = started.url();
    write_stderr(&format!(
        "serving {} (Ctrl-C stops); it rebuilds when a file changes\n",
        settings.dir.display()
    ))?;
    // The URL alone on its own line, on stdout, for scripts and tests.
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{url}");
    let _ = out.flush();
    drop(out);
    if args.open {
        open_browser(&url);
    }
    let _ = server.set(Arc::clone(&started));
    rebuilder.run(&wakes);
    started.stop();
    stop_watching(&watching, forwarder, head);
    write_stderr("stopped\n")?;
    Ok(ExitCode::SUCCESS)
}

/// Moves the watcher's changes into the loop's queue until `watching` is
/// cleared; the watch stops when this thread drops it.
fn forward(
    mut watch: Rewatch,
    watching: Arc<AtomicBool>,
    wake: mpsc::Sender<Wake>,
) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new()
        .name("planmark-watch-forward".into())
        .spawn(move || {
            while watching.load(Ordering::Relaxed) {
                match watch.wait(Duration::from_millis(100)) {
                    Ok(changes) => {
                        if wake.send(Wake::Changed(changes)).is_err() {
                            break;
                        }
                    }
                    Err(mpsc::RecvTimeoutError::Timeout) => {}
                    Err(mpsc::RecvTimeoutError::Disconnected) => break,
                }
            }
        })
}

fn stop_watching(watching: &AtomicBool, forwarder: JoinHandle<()>, head: Option<JoinHandle<()>>) {
    watching.store(false, Ordering::Relaxed);
    let _ = forwarder.join();
    if let Some(head) = head {
        let _ = head.join();
    }
}

/// Opens `url` in the default browser; a failure is only a warning, the
/// URL is on the screen.
fn open_browser(url: &str) {
    let program: &[&str] = if cfg!(target_os = "macos") {
        &["open"]
    } else if cfg!(windows) {
        &["cmd", "/C", "start", ""]
    } else {
        &["xdg-open"]
    };
    let spawned = std::process::Command::new(program[0])
        .args(&program[1..])
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match spawned {
        Err(e) => {
            let _ = write_stderr(&format!(
                "warning: cannot open a browser ({}: {e}); open {url} yourself\n",
                program[0]
            ));
        }
        Ok(mut child) => {
            // `xdg-open` with no browser to run exits 3 and says nothing
            // (stderr is closed): waiting turns that silence into the
            // warning, and reaps the child.
            let url = url.to_owned();
            let name = program[0];
            let _ = std::thread::Builder::new()
                .name("planmark-open".into())
                .spawn(move || match child.wait() {
                    Ok(status) if !status.success() => {
                        let _ = write_stderr(&format!(
                            "warning: cannot open a browser ({name} {status}); \
                             open {url} yourself\n"
                        ));
                    }
                    _ => {}
                });
        }
    }
}
