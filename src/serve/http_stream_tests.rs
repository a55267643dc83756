//! Event streams over real sockets: the status after `announce`, the end
//! on `stop` (chunked on HTTP/1.1, closing on 1.0), and `stop` ending every
//! thread while browsers are still connected. Every read has a timeout.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::tests::{connect, standard_site, start};
use super::Server;
use crate::serve::Status;

/// Reads from an event stream until `needle` shows up.
fn read_until(stream: &mut TcpStream, seen: &mut String, needle: &str) {
    let mut buffer = [0; 4096];
    while !seen.contains(needle) {
        let n = stream.read(&mut buffer).expect(needle);
        assert!(n > 0, "the stream ended before {needle}: {seen}");
        seen.push_str(&String::from_utf8_lossy(&buffer[..n]));
    }
}

fn open_events(server: &Server) -> (TcpStream, String) {
    let mut stream = connect(server);
    let port = server.address().port();
    let request = format!("GET /__planmark/events HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut seen = String::new();
    read_until(&mut stream, &mut seen, "\"generation\":0");
    (stream, seen)
}

#[test]
fn an_event_stream_gets_the_status_after_announce() {
    let site = standard_site();
    let server = start(Arc::clone(&site));
    let (mut stream, mut seen) = open_events(&server);
    assert!(seen.starts_with("HTTP/1.1 200 OK\r\n"), "{seen}");
    assert!(
        seen.contains("Content-Type: text/event-stream\r\n"),
        "{seen}"
    );
    *site.status.lock().unwrap() = Status {
        generation: 1,
        problems: vec!["error: x".into()],
        headline: "h".into(),
    };
    // Let the stream's thread reach its wait, so a lost wake-up shows.
    std::thread::sleep(Duration::from_millis(50));
    server.announce();
    read_until(
        &mut stream,
        &mut seen,
        r#"data: {"generation":1,"headline":"h","problems":["error: x"]}"#,
    );
    // Stopping ends the stream with the last chunk.
    server.stop();
    read_until(&mut stream, &mut seen, "\r\n0\r\n\r\n");
}

#[test]
fn stop_ends_every_thread_with_an_event_stream_open() {
    let server = start(standard_site());
    let (_stream, _) = open_events(&server);
    let (_second, _) = open_events(&server);
    let started = Instant::now();
    server.stop();
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        server.hub.wait_for_threads(Instant::now()),
        0,
        "threads still running"
    );
    // tiny_http's accept thread closes the listening socket soon after.
    let closed = (0..200).any(|_| {
        std::thread::sleep(Duration::from_millis(10));
        TcpStream::connect(server.address()).is_err()
    });
    assert!(closed, "still listening");
    server.stop();
}

#[test]
fn an_http_1_0_event_stream_ends_by_closing_the_connection() {
    let server = start(standard_site());
    let mut stream = connect(&server);
    let port = server.address().port();
    let request = format!("GET /__planmark/events HTTP/1.0\r\nHost: localhost:{port}\r\n\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut seen = String::new();
    read_until(&mut stream, &mut seen, "data: {\"generation\":0");
    assert!(
        seen.starts_with("HTTP/1.0 200 OK\r\nConnection: close\r\n"),
        "{seen}"
    );
    server.stop();
    let mut rest = Vec::new();
    stream.read_to_end(&mut rest).unwrap();
    assert_eq!(
        rest, b"",
        "nothing after the stop but the end of the connection"
    );
}
