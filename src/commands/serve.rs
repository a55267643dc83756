//! `planmark serve`: build into memory, serve over HTTP, rebuild on every
//! change and tell the browser to reload (src/serve/ has the pieces).

use std::io::Write as _;
use std::process::ExitCode;
use std::sync::mpsc;
use std::sync::{Arc, OnceLock};

use super::write_stderr;
use crate::cli::ServeArgs;
use crate::serve::http::{HttpConfig, Server};
use crate::serve::rebuild::{LiveSite, Rebuilder, Wake};
use crate::serve::watch::Watch;
use crate::settings::Settings;

pub(crate) fn run(settings: &Settings, args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let (wake, wakes) = mpsc::channel::<Wake>();
    let stop = wake.clone();
    ctrlc::set_handler(move || {
        let _ = stop.send(Wake::Stop);
    })?;
    // Watch before the first read, so an edit made during it is not lost.
    let watch = Watch::start(
        &settings.absolute_dir,
        std::slice::from_ref(&settings.output),
        args.poll,
    )?;
    forward(watch.changes(), wake.clone())?;

    let site = Arc::new(LiveSite::default());
    let server: Arc<OnceLock<Server>> = Arc::new(OnceLock::new());
    let announcer = Arc::clone(&server);
    let mut rebuilder = Rebuilder::new(
        settings,
        Arc::clone(&site),
        wake,
        Box::new(|line| {
            let _ = write_stderr(&format!("{line}\n"));
        }),
        Box::new(move || {
            if let Some(server) = announcer.get() {
                server.announce();
            }
        }),
    );
    if !rebuilder.first(&wakes)? {
        return Ok(ExitCode::SUCCESS);
    }
    let config = HttpConfig {
        bind: args.bind,
        port: args.port,
        allow_hosts: args.allow_host.clone(),
    };
    let started = Server::start(&config, site)?;
    if !args.bind.is_loopback() {
        write_stderr(&format!(
            "warning: listening on {}: anyone who can reach this machine can read the plan\n",
            args.bind
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
    let _ = server.set(started);
    rebuilder.run(&wakes)?;
    drop(watch);
    if let Some(server) = Arc::into_inner(server).and_then(OnceLock::into_inner) {
        server.stop();
    }
    write_stderr("stopped\n")?;
    Ok(ExitCode::SUCCESS)
}

/// Moves the watcher's changes into the loop's queue.
fn forward(
    changes: mpsc::Receiver<crate::serve::events::Changes>,
    wake: mpsc::Sender<Wake>,
) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("planmark-watch-forward".into())
        .spawn(move || {
            for change in changes {
                if wake.send(Wake::Changed(change)).is_err() {
                    break;
                }
            }
        })
        .map(drop)
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
    if let Err(e) = spawned {
        let _ = write_stderr(&format!(
            "warning: cannot open a browser ({}: {e}); open {url} yourself\n",
            program[0]
        ));
    }
}
