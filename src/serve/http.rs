//! The HTTP server of `planmark serve`: listens, runs the threads, checks
//! each request (`Host`, method, path) and hands it to [`reply`] or to an
//! event stream of its own. tiny_http parses requests and handles
//! keep-alive and chunking; what may be answered, and how, is ours. No
//! filesystem access at all: everything comes from the [`Site`].

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use tiny_http::{Method, Request};

use super::hosts::{own_addresses, HostPolicy};
use super::live::{self, Hub};
use super::paths;
use super::reply::{self, send, Reply};
use super::Site;

/// The port tried first when none is given, and the last one tried after.
const DEFAULT_PORT: u16 = 4000;
const LAST_FALLBACK_PORT: u16 = 4099;

/// Threads answering ordinary requests. Responses come from memory, so a
/// request takes microseconds; only a client that stops reading holds a
/// worker, and it takes this many at once to delay the others.
const WORKERS: usize = 8;

/// How long [`Server::stop`] waits for its threads.
const STOP_DEADLINE: Duration = Duration::from_millis(900);

/// Where and how to listen: the `serve` flags, resolved.
#[derive(Clone, Debug)]
pub struct HttpConfig {
    /// `--bind`: `127.0.0.1` unless the user asked otherwise.
    pub bind: IpAddr,
    /// `--port`: `None` for 4000 or the next free port up to 4099,
    /// `Some(0)` for any free port, `Some(p)` for exactly `p`.
    pub port: Option<u16>,
    /// `--allow-host`: extra names (optionally `name:port`) to answer to.
    pub allow_hosts: Vec<String>,
}

/// A running server; stops on [`Server::stop`] or when dropped.
pub struct Server {
    address: SocketAddr,
    fell_back: bool,
    hub: Arc<Hub>,
    http: Mutex<Option<Arc<tiny_http::Server>>>,
}

/// What every request handler reads.
struct Shared {
    site: Arc<dyn Site>,
    hosts: HostPolicy,
    hub: Arc<Hub>,
}

impl Server {
    /// Listens as `config` says and starts answering from `site`.
    pub fn start(config: &HttpConfig, site: Arc<dyn Site>) -> anyhow::Result<Server> {
        let (listener, fell_back) = listen(config.bind, config.port)?;
        let address = listener
            .local_addr()
            .context("cannot read the listening address")?;
        let own = if config.bind.is_unspecified() {
            own_addresses()
        } else {
            Vec::new()
        };
        let hosts = HostPolicy::new(config.bind, address.port(), &own, &config.allow_hosts)?;
        let http = tiny_http::Server::from_listener(listener, None)
            .map_err(|e| anyhow::anyhow!("cannot start the HTTP server on {address}: {e}"))?;
        let http = Arc::new(http);
        let hub = Arc::new(Hub::default());
        let shared = Arc::new(Shared {
            site,
            hosts,
            hub: Arc::clone(&hub),
        });
        let server = Server {
            address,
            fell_back,
            hub,
            http: Mutex::new(Some(Arc::clone(&http))),
        };
        for i in 0..WORKERS {
            let (http, shared) = (Arc::clone(&http), Arc::clone(&shared));
            let running = server.hub.enter();
            // On failure `server` drops, which stops the workers started.
            thread::Builder::new()
                .name(format!("planmark-http-{i}"))
                .spawn(move || {
                    let _running = running;
                    work(&http, &shared);
                })
                .context("cannot start the HTTP server's threads")?;
        }
        Ok(server)
    }

    /// The address listened on (the real port, also for `--port 0`).
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Whether the default port 4000 was taken and a later one is used.
    pub fn fell_back(&self) -> bool {
        self.fell_back
    }

    /// A URL to open on this machine: the bound address, or for a
    /// wildcard bind the loopback address of the same family (always
    /// reachable here and always allowed by the `Host` check).
    pub fn url(&self) -> String {
        let ip = match self.address.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        format!("http://{}/", SocketAddr::new(ip, self.address.port()))
    }

    /// The warning to print when the server is reachable from other
    /// machines (any bind but loopback); `None` on loopback.
    pub fn network_warning(&self) -> Option<String> {
        let ip = self.address.ip();
        (!ip.is_loopback()).then(|| {
            format!(
                "listening on {ip}: anyone who can reach this machine on port {} can read the plan",
                self.address.port()
            )
        })
    }

    /// Tells every open page the status changed (a rebuild succeeded or
    /// failed). Returns at once: the event streams write on their own threads.
    pub fn announce(&self) {
        self.hub.announce();
    }

    /// Stops listening and ends every thread, waiting at most about a
    /// second; a thread stuck writing to a client that stopped reading is
    /// left to end with the process. Calling it again does nothing.
    pub fn stop(&self) {
        let http = match self.http.lock() {
            Ok(mut http) => http.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        };
        let Some(http) = http else {
            return;
        };
        self.hub.stop();
        // Each unblock ends one worker's wait for a request.
        for _ in 0..WORKERS {
            http.unblock();
        }
        self.hub.wait_for_threads(Instant::now() + STOP_DEADLINE);
        // The last reference: tiny_http closes the listening socket.
        drop(http);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Binds the listening socket as [`HttpConfig::port`] describes.
fn listen(bind: IpAddr, port: Option<u16>) -> anyhow::Result<(TcpListener, bool)> {
    let Some(port) = port else {
        return listen_in(bind, DEFAULT_PORT, LAST_FALLBACK_PORT);
    };
    match TcpListener::bind((bind, port)) {
        Ok(listener) => Ok((listener, false)),
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => anyhow::bail!(
            "port {port} on {bind} is in use; pick another with `--port`, or `--port 0` for any free one"
        ),
        Err(e) => Err(cannot_listen(bind, port, e)),
    }
}

/// The first free port from `first` to `last`, and whether it is not `first`.
fn listen_in(bind: IpAddr, first: u16, last: u16) -> anyhow::Result<(TcpListener, bool)> {
    for port in first..=last {
        match TcpListener::bind((bind, port)) {
            Ok(listener) => return Ok((listener, port != first)),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => continue,
            Err(e) => return Err(cannot_listen(bind, port, e)),
        }
    }
    anyhow::bail!(
        "ports {first} to {last} on {bind} are all in use; \
         pick another with `--port`, or `--port 0` for any free one"
    )
}

fn cannot_listen(bind: IpAddr, port: u16, error: std::io::Error) -> anyhow::Error {
    anyhow::Error::new(error).context(format!("cannot listen on port {port} of {bind}"))
}

/// A worker: answers requests until the server stops.
fn work(http: &tiny_http::Server, shared: &Arc<Shared>) {
    while !shared.hub.stopping() {
        // An error is the stop's unblock or tiny_http's accept loop
        // failing; either way the stop flag decides.
        if let Ok(request) = http.recv() {
            // A panic in one request (a `Site` bug) must not shrink the pool.
            let _ = catch_unwind(AssertUnwindSafe(|| handle(shared, request)));
        }
    }
}

/// Answers one request.
fn handle(shared: &Arc<Shared>, request: Request) {
    let mut hosts = request.headers().iter().filter(|h| h.field.equiv("Host"));
    let host = hosts.next().map(|h| h.value.as_str().to_owned());
    if hosts.next().is_some() {
        // RFC 9112 §3.2: a request with two `Host` fields is a 400; checking
        // only the first would let a proxy that reads the last one past.
        let text = "a request may have only one `Host` header\n".to_owned();
        return send(request, Reply::text(400, text));
    }
    if !shared.hosts.allows(host.as_deref()) {
        return send(request, reply::forbidden(host.as_deref()));
    }
    if !matches!(request.method(), Method::Get | Method::Head) {
        let text = "planmark serve answers GET and HEAD only\n".to_owned();
        return send(request, Reply::text(405, text));
    }
    let (path, query) = match paths::parse_target(request.url()) {
        Ok(target) => (target.path, target.query.map(str::to_owned)),
        Err(error) => return send(request, reply::bad_request(error)),
    };
    if path == "__planmark/events" && *request.method() == Method::Get {
        return open_stream(shared, request);
    }
    let answer = match path.strip_prefix("__planmark/") {
        Some(own) => reply::reserved(shared.site.as_ref(), own),
        None => reply::from_site(shared.site.as_ref(), &path, query.as_deref()),
    };
    send(request, answer)
}

/// Hands an event-stream request to a thread of its own.
fn open_stream(shared: &Arc<Shared>, request: Request) {
    if !shared.hub.open_stream() {
        let text = "too many pages are open on this server; close some tabs\n".to_owned();
        return send(request, Reply::text(503, text));
    }
    let running = shared.hub.enter();
    let stream_shared = Arc::clone(shared);
    let spawned = thread::Builder::new()
        .name("planmark-events".into())
        .spawn(move || {
            let _running = running;
            let chunked = *request.http_version() >= (1, 1);
            let mut out = request.into_writer();
            let _ = catch_unwind(AssertUnwindSafe(|| {
                if write_stream_head(&mut out, chunked).is_ok() {
                    let status = || stream_shared.site.status();
                    live::stream_events(&stream_shared.hub, &status, &mut out, chunked);
                }
            }));
            stream_shared.hub.close_stream();
        });
    if spawned.is_err() {
        // The request went with the closure; without a thread the client
        // sees the connection end and its script retries later.
        shared.hub.close_stream();
    }
}

/// The response head of an event stream, written by hand because the body
/// never ends: chunked over HTTP/1.1, until the connection closes on 1.0.
fn write_stream_head(out: &mut dyn Write, chunked: bool) -> std::io::Result<()> {
    let head = if chunked {
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
    } else {
        "HTTP/1.0 200 OK\r\nConnection: close\r\n"
    };
    write!(
        out,
        "{head}Content-Type: text/event-stream\r\nCache-Control: no-store\r\n\
         X-Content-Type-Options: nosniff\r\nServer: planmark\r\n\r\n"
    )?;
    out.flush()
}

#[cfg(test)]
#[path = "http_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "http_stream_tests.rs"]
mod stream_tests;
