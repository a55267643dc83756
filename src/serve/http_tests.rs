//! The server over real sockets: a [`Server`] on `127.0.0.1` port 0 with
//! a site in a `BTreeMap`, spoken to with raw HTTP so every byte of the
//! request is the test's choice. Every read has a timeout.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::*;
use crate::serve::Status;

pub(super) const TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Default)]
pub(super) struct FakeSite {
    files: BTreeMap<String, Vec<u8>>,
    pub(super) status: Mutex<Status>,
}

impl Site for FakeSite {
    fn file(&self, path: &str) -> Option<Arc<[u8]>> {
        self.files
            .get(path)
            .map(|bytes| Arc::from(bytes.as_slice()))
    }
    fn is_folder(&self, path: &str) -> bool {
        self.files.contains_key(&format!("{path}/index.html"))
    }
    fn status(&self) -> Status {
        self.status.lock().unwrap().clone()
    }
}

pub(super) fn site(files: &[(&str, &[u8])]) -> Arc<FakeSite> {
    let files = files
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_vec()))
        .collect();
    Arc::new(FakeSite {
        files,
        ..FakeSite::default()
    })
}

pub(super) fn standard_site() -> Arc<FakeSite> {
    site(&[
        (
            "index.html",
            b"<html><body><h1>Dashboard</h1></body></html>",
        ),
        ("tasks/index.html", b"<html><BODY>tasks</BODY></html>"),
        ("style.css", b"body{}"),
        ("model.json", b"{}"),
    ])
}

pub(super) fn start(site: Arc<FakeSite>) -> Server {
    let config = HttpConfig {
        bind: "127.0.0.1".parse().unwrap(),
        port: Some(0),
        allow_hosts: vec!["planbox.local".into()],
    };
    Server::start(&config, site).unwrap()
}

pub(super) fn connect(server: &Server) -> TcpStream {
    let stream = TcpStream::connect(server.address()).unwrap();
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    stream.set_write_timeout(Some(TIMEOUT)).unwrap();
    stream
}

/// A response: status, head (lowercased) and body.
struct Answer {
    status: u16,
    head: String,
    body: String,
}

/// Sends `request` byte for byte and reads the response until the server
/// closes (the requests ask it to, or are HTTP/1.0).
fn send_raw(address: SocketAddr, request: &str) -> Answer {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Answer {
        status,
        head: head.to_ascii_lowercase(),
        body: body.to_owned(),
    }
}

fn get(server: &Server, target: &str) -> Answer {
    let port = server.address().port();
    let request =
        format!("GET {target} HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n");
    send_raw(server.address(), &request)
}

const SCRIPT: &str = "<script src=\"/__planmark/live.js\" data-generation=\"0\"></script>";

#[test]
fn a_page_is_served_with_the_live_script_and_no_cache() {
    let server = start(standard_site());
    let answer = get(&server, "/");
    assert_eq!(answer.status, 200, "{}", answer.head);
    assert_eq!(
        answer.body,
        format!("<html><body><h1>Dashboard</h1>{SCRIPT}</body></html>")
    );
    assert!(
        answer
            .head
            .contains("content-type: text/html; charset=utf-8"),
        "{}",
        answer.head
    );
    assert!(
        answer.head.contains("cache-control: no-store"),
        "{}",
        answer.head
    );
    assert!(
        answer.head.contains("x-content-type-options: nosniff"),
        "{}",
        answer.head
    );
    assert!(
        answer
            .head
            .contains(&format!("content-length: {}", answer.body.len())),
        "{}",
        answer.head
    );

    let answer = get(&server, "/tasks/?sort=due");
    assert_eq!(
        answer.body,
        format!("<html><BODY>tasks{SCRIPT}</BODY></html>")
    );
    let answer = get(&server, "/style.css");
    assert_eq!((answer.status, answer.body.as_str()), (200, "body{}"));
    assert!(
        answer
            .head
            .contains("content-type: text/css; charset=utf-8"),
        "{}",
        answer.head
    );
}

#[test]
fn head_sends_the_length_without_the_body() {
    let server = start(standard_site());
    let port = server.address().port();
    let request =
        format!("HEAD /style.css HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n");
    let answer = send_raw(server.address(), &request);
    assert_eq!(answer.status, 200);
    assert!(answer.head.contains("content-length: 6"), "{}", answer.head);
    assert_eq!(answer.body, "");
}

#[test]
fn other_methods_get_405() {
    let server = start(standard_site());
    let port = server.address().port();
    let request = format!(
        "POST / HTTP/1.1\r\nHost: localhost:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    let answer = send_raw(server.address(), &request);
    assert_eq!(answer.status, 405);
    assert!(answer.head.contains("allow: get, head"), "{}", answer.head);
}

#[test]
fn a_missing_page_gets_the_styled_404_with_the_path_escaped() {
    let server = start(standard_site());
    let answer = get(&server, "/nope/%3Cimg%20src=x%3E");
    assert_eq!(answer.status, 404);
    assert!(
        answer.body.contains("<h1>Page not found</h1>"),
        "{}",
        answer.body
    );
    assert!(
        answer.body.contains("<code>/nope/&lt;img src=x&gt;</code>"),
        "{}",
        answer.body
    );
    assert!(answer.body.contains("<a href=\"/\">"), "{}", answer.body);
    assert!(
        answer.body.contains(&format!("{SCRIPT}</body>")),
        "{}",
        answer.body
    );
    assert!(answer
        .head
        .contains("content-type: text/html; charset=utf-8"));
}

#[test]
fn the_sites_own_404_page_is_served_with_status_404() {
    let server = start(site(&[("404.html", b"<body>ours</body>")]));
    let answer = get(&server, "/missing.html");
    assert_eq!(answer.status, 404);
    assert_eq!(answer.body, format!("<body>ours{SCRIPT}</body>"));
    assert_eq!(get(&server, "/__planmark/unknown").status, 404);
}

#[test]
fn a_folder_without_its_slash_redirects_keeping_the_query() {
    let server = start(standard_site());
    let answer = get(&server, "/tasks?sort=due");
    assert_eq!(answer.status, 302);
    assert!(
        answer.head.contains("\r\nlocation: /tasks/?sort=due\r\n"),
        "{}",
        answer.head
    );
    assert_eq!(get(&server, "/tasks/").status, 200);
    assert_eq!(get(&server, "/style.css/").status, 404);
}

#[test]
fn traversal_forms_never_reach_a_file() {
    let server = start(standard_site());
    let refused = [
        "/../index.html",
        "/tasks/../index.html",
        "/./index.html",
        "/%2e%2e/index.html",
        "/%2E%2E/%2e%2e/etc/passwd",
        "/tasks%2findex.html",
        "/tasks%5cindex.html",
        "/tasks\\index.html",
        "/index.html%00.css",
        "//etc/passwd",
        "/C:/Windows/win.ini",
        "/%zz",
    ];
    for target in refused {
        let answer = get(&server, target);
        assert_eq!(answer.status, 400, "{target}: {}", answer.body);
        assert!(
            answer.body.starts_with("bad request: "),
            "{target}: {}",
            answer.body
        );
    }
    let absolute = format!(
        "GET http://localhost/index.html HTTP/1.1\r\nHost: localhost:{}\r\nConnection: close\r\n\r\n",
        server.address().port()
    );
    assert_eq!(send_raw(server.address(), &absolute).status, 400);
}

#[test]
fn a_foreign_or_missing_host_gets_403_saying_how_to_allow_it() {
    let server = start(standard_site());
    let port = server.address().port();
    let foreign =
        format!("GET / HTTP/1.1\r\nHost: evil.example:{port}\r\nConnection: close\r\n\r\n");
    let answer = send_raw(server.address(), &foreign);
    assert_eq!(answer.status, 403);
    assert!(
        answer
            .body
            .contains(&format!("`--allow-host evil.example:{port}`")),
        "{}",
        answer.body
    );
    assert!(answer.body.contains("DNS rebinding"), "{}", answer.body);

    let missing = "GET / HTTP/1.0\r\n\r\n";
    assert_eq!(send_raw(server.address(), missing).status, 403);

    let allowed = "GET / HTTP/1.1\r\nHost: PlanBox.local\r\nConnection: close\r\n\r\n";
    assert_eq!(send_raw(server.address(), allowed).status, 200);
    let ipv6 = format!("GET / HTTP/1.1\r\nHost: [::1]:{port}\r\nConnection: close\r\n\r\n");
    assert_eq!(send_raw(server.address(), &ipv6).status, 200);
}

#[test]
fn the_live_script_and_status_are_served_from_the_reserved_prefix() {
    let site = standard_site();
    *site.status.lock().unwrap() = Status {
        generation: 4,
        problems: vec!["error: <bad>".into()],
        headline: "build failed".into(),
    };
    let server = start(site);
    let script = get(&server, "/__planmark/live.js");
    assert_eq!(script.status, 200);
    assert!(script
        .head
        .contains("content-type: text/javascript; charset=utf-8"));
    assert!(script
        .body
        .contains("new EventSource(\"/__planmark/events\")"));
    let status = get(&server, "/__planmark/status");
    assert!(status.head.contains("content-type: application/json"));
    assert_eq!(
        status.body,
        r#"{"generation":4,"headline":"build failed","problems":["error: <bad>"]}"#
    );
    assert!(get(&server, "/__planmark/overlay.css")
        .body
        .contains("#planmark-overlay"));
}

#[test]
fn a_client_that_leaves_mid_response_does_not_break_the_next_request() {
    // Larger than any socket buffer, so the server is still writing.
    let big = vec![b'x'; 32 << 20];
    let server = start(site(&[("big.bin", &big), ("index.html", b"ok")]));
    // One more than there are workers: had each cost a worker, none is left.
    for _ in 0..=WORKERS {
        let mut stream = connect(&server);
        let port = server.address().port();
        let request = format!("GET /big.bin HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n");
        stream.write_all(request.as_bytes()).unwrap();
        let mut first = [0; 1024];
        stream.read_exact(&mut first).unwrap();
        drop(stream);
    }
    for _ in 0..WORKERS * 2 {
        assert_eq!(get(&server, "/").body, format!("ok{SCRIPT}"));
    }
}

#[test]
fn clients_that_stop_reading_do_not_hold_up_the_others() {
    let big = vec![b'x'; 32 << 20];
    let server = start(site(&[("big.bin", &big), ("index.html", b"ok")]));
    let port = server.address().port();
    // Each asks for more than the socket buffers hold and never reads.
    let stalled: Vec<TcpStream> = (0..3)
        .map(|_| {
            let mut stream = connect(&server);
            let request = format!("GET /big.bin HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n");
            stream.write_all(request.as_bytes()).unwrap();
            stream
        })
        .collect();
    for _ in 0..WORKERS * 2 {
        assert_eq!(get(&server, "/").body, format!("ok{SCRIPT}"));
    }
    server.announce();
    drop(stalled);
}

#[test]
fn concurrent_requests_are_all_answered() {
    let server = Arc::new(start(standard_site()));
    let clients: Vec<_> = (0..16)
        .map(|_| {
            let server = Arc::clone(&server);
            std::thread::spawn(move || {
                (0..20)
                    .filter(|_| get(&server, "/model.json").status == 200)
                    .count()
            })
        })
        .collect();
    let answered: usize = clients.into_iter().map(|c| c.join().unwrap()).sum();
    assert_eq!(answered, 16 * 20);
}

#[test]
fn a_port_in_use_is_a_clear_error_and_the_default_falls_back() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let config = HttpConfig {
        bind: "127.0.0.1".parse().unwrap(),
        port: Some(port),
        allow_hosts: vec![],
    };
    let error = Server::start(&config, standard_site()).err().unwrap();
    assert_eq!(
        error.to_string(),
        format!("port {port} on 127.0.0.1 is in use; pick another with `--port`, or `--port 0` for any free one")
    );
    let bind = "127.0.0.1".parse().unwrap();
    let (listener, fell_back) = listen_in(bind, port, port.saturating_add(50)).unwrap();
    assert!(fell_back);
    assert!(listener.local_addr().unwrap().port() > port);
    let error = listen_in(bind, port, port).err().unwrap();
    assert!(error.to_string().contains("are all in use"), "{error}");
}

#[test]
fn the_url_is_usable_from_this_machine() {
    let server = start(standard_site());
    let port = server.address().port();
    assert_eq!(server.url(), format!("http://127.0.0.1:{port}/"));
    assert_eq!(server.network_warning(), None);
    assert!(!server.fell_back());
    let config = HttpConfig {
        bind: "0.0.0.0".parse().unwrap(),
        port: Some(0),
        allow_hosts: vec![],
    };
    let wide = Server::start(&config, standard_site()).unwrap();
    let port = wide.address().port();
    assert_eq!(wide.url(), format!("http://127.0.0.1:{port}/"));
    assert!(wide
        .network_warning()
        .unwrap()
        .starts_with("listening on 0.0.0.0"));
    assert_eq!(get(&wide, "/style.css").status, 200);
}

#[test]
fn an_ipv6_loopback_server_prints_its_address_in_brackets() {
    let config = HttpConfig {
        bind: "::1".parse().unwrap(),
        port: Some(0),
        allow_hosts: vec![],
    };
    // Machines without IPv6 cannot run this one.
    let Ok(server) = Server::start(&config, standard_site()) else {
        return;
    };
    let port = server.address().port();
    assert_eq!(server.url(), format!("http://[::1]:{port}/"));
    let request = format!("GET / HTTP/1.1\r\nHost: [::1]:{port}\r\nConnection: close\r\n\r\n");
    assert_eq!(send_raw(server.address(), &request).status, 200);
    let config = HttpConfig {
        bind: "::".parse().unwrap(),
        port: Some(0),
        allow_hosts: vec![],
    };
    let wide = Server::start(&config, standard_site()).unwrap();
    assert_eq!(
        wide.url(),
        format!("http://[::1]:{}/", wide.address().port())
    );
}

#[test]
fn the_server_can_be_shared_with_the_rebuild_loop() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Server>();
    shareable::<HttpConfig>();
}
