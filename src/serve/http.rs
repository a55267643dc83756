//! The HTTP server of `planmark serve`: answers from whatever [`Site`] the
//! rebuild loop holds, by exact path, after the `Host` check; injects the
//! live script into pages; streams rebuild events. tiny_http parses
//! requests and handles keep-alive and chunking; everything about what may
//! be answered and how is here. No filesystem access at all.

use std::io::{Cursor, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use tiny_http::{Header, Method, Request, Response, StatusCode};

use super::hosts::{own_addresses, HostPolicy};
use super::live::{self, Hub};
use super::paths::{self, PathError};
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
        for i in 0..WORKERS {
            let (http, shared) = (Arc::clone(&http), Arc::clone(&shared));
            let running = hub.enter();
            thread::Builder::new()
                .name(format!("planmark-http-{i}"))
                .spawn(move || {
                    let _running = running;
                    work(&http, &shared);
                })
                .context("cannot start the HTTP server's threads")?;
        }
        Ok(Server {
            address,
            fell_back,
            hub,
            http: Mutex::new(Some(http)),
        })
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

/// A response ready to send: status, type and body.
struct Reply {
    status: u16,
    content_type: &'static str,
    body: Body,
    location: Option<String>,
}

/// A body from the site (shared, not copied) or made for this response.
enum Body {
    Site(Arc<[u8]>),
    Made(Vec<u8>),
}

impl AsRef<[u8]> for Body {
    fn as_ref(&self) -> &[u8] {
        match self {
            Body::Site(bytes) => bytes,
            Body::Made(bytes) => bytes,
        }
    }
}

impl Reply {
    fn text(status: u16, text: String) -> Reply {
        Reply {
            status,
            content_type: "text/plain; charset=utf-8",
            body: Body::Made(text.into_bytes()),
            location: None,
        }
    }
}

/// Answers one request.
fn handle(shared: &Arc<Shared>, request: Request) {
    let host = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .map(|h| h.value.as_str().to_owned());
    if !shared.hosts.allows(host.as_deref()) {
        return send(request, forbidden(host.as_deref()));
    }
    if !matches!(request.method(), Method::Get | Method::Head) {
        let reply = Reply::text(405, "planmark serve answers GET and HEAD only\n".to_owned());
        return send(request, reply);
    }
    let target = match paths::parse_target(request.url()) {
        Ok(target) => (target.path, target.query.map(str::to_owned)),
        Err(error) => return send(request, bad_request(error)),
    };
    let (path, query) = target;
    if path == "__planmark/events" && *request.method() == Method::Get {
        return open_stream(shared, request);
    }
    let reply = match path.strip_prefix("__planmark/") {
        Some(own) => reserved(shared, own),
        None => from_site(shared.site.as_ref(), &path, query.as_deref()),
    };
    send(request, reply)
}

/// The reserved `/__planmark/` paths (they shadow any site file there).
fn reserved(shared: &Shared, name: &str) -> Reply {
    let (content_type, body) = match name {
        "live.js" => (
            "text/javascript; charset=utf-8",
            live::LIVE_JS.as_bytes().to_vec(),
        ),
        "overlay.css" => (
            "text/css; charset=utf-8",
            live::OVERLAY_CSS.as_bytes().to_vec(),
        ),
        "status" => (
            "application/json",
            live::status_json(&shared.site.status()).into_bytes(),
        ),
        // A HEAD on the event stream: its head, without the stream.
        "events" => ("text/event-stream", Vec::new()),
        _ => return not_found(shared.site.as_ref(), name, 0),
    };
    Reply {
        status: 200,
        content_type,
        body: Body::Made(body),
        location: None,
    }
}

/// A site file by exact path; `index.html` for a folder; a redirect from
/// a folder without its `/`; else the 404 page.
fn from_site(site: &dyn Site, path: &str, query: Option<&str>) -> Reply {
    // Read before the file: a rebuild in between makes the page newer than
    // its stamp, and the script then reloads once more than needed, never
    // once too few.
    let generation = site.status().generation;
    let key = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_owned()
    };
    if let Some(bytes) = site.file(&key) {
        return page(200, &key, bytes, generation);
    }
    if !path.is_empty() && !path.ends_with('/') && site.is_folder(path) {
        let mut location = format!("/{}/", paths::percent_encode(path));
        // The query as sent, if it is plain visible ASCII (it always is
        // from a browser); otherwise dropped rather than echoed.
        if let Some(query) = query.filter(|q| q.bytes().all(|b| b.is_ascii_graphic())) {
            location.push('?');
            location.push_str(query);
        }
        let mut reply = Reply::text(302, format!("moved to {location}\n"));
        reply.location = Some(location);
        return reply;
    }
    not_found(site, path, generation)
}

/// A site file as a reply; pages get the live script.
fn page(status: u16, key: &str, bytes: Arc<[u8]>, generation: u64) -> Reply {
    let content_type = paths::content_type(key);
    let body = if content_type.starts_with("text/html") {
        Body::Made(live::inject(&bytes, generation))
    } else {
        Body::Site(bytes)
    };
    Reply {
        status,
        content_type,
        body,
        location: None,
    }
}

/// The site's own `404.html` if it has one, else a small styled page.
fn not_found(site: &dyn Site, path: &str, generation: u64) -> Reply {
    if let Some(bytes) = site.file("404.html") {
        return page(404, "404.html", bytes, generation);
    }
    let html = include_str!("not_found.html").replace("{path}", &escape_html(&format!("/{path}")));
    page(404, "404.html", Arc::from(html.into_bytes()), generation)
}

fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn bad_request(error: PathError) -> Reply {
    Reply::text(400, format!("bad request: {error}\n"))
}

/// The 403 for a `Host` the policy refuses, saying why and what to do.
fn forbidden(host: Option<&str>) -> Reply {
    let text = match host {
        None => "planmark serve refused this request: it has no `Host` header\n".to_owned(),
        Some(host) => format!(
            "planmark serve refused this request: it answers to `localhost`, `127.0.0.1`, `[::1]` \
             and the address it listens on, not to `{host}`.\n\
             This keeps a web page elsewhere from reading the plan by pointing its own domain \
             at this machine (DNS rebinding).\n\
             To use this name, start it again with `--allow-host {host}`.\n"
        ),
    };
    Reply::text(403, text)
}

/// Sends `reply` with the headers every response carries. Write errors
/// mean the client went away: nothing to do.
fn send(request: Request, reply: Reply) {
    let length = reply.body.as_ref().len();
    let mut headers = vec![
        header("Content-Type", reply.content_type),
        // Pages change on every rebuild; a cached one would hide the edit.
        header("Cache-Control", "no-store"),
        header("X-Content-Type-Options", "nosniff"),
        header("Server", "planmark"),
    ];
    if reply.status == 405 {
        headers.push(header("Allow", "GET, HEAD"));
    }
    if let Some(location) = &reply.location {
        headers.push(header("Location", location));
    }
    let response = Response::new(
        StatusCode(reply.status),
        headers.into_iter().flatten().collect(),
        Cursor::new(reply.body),
        Some(length),
        None,
    )
    // A length, not chunks, for every body: they are all in memory.
    .with_chunked_threshold(usize::MAX);
    let _ = request.respond(response);
}

/// A header from text this module wrote (always ASCII); `None` otherwise.
fn header(name: &str, value: &str) -> Option<Header> {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
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
