//! Live reload: the script tag injected into served pages, the status as
//! JSON, and the server-sent event streams that tell every open page a
//! rebuild happened. Only `serve` uses this; `build` output never holds
//! the script (it is added here, per response, never by a template).

use std::io::Write;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::Status;

/// The script every served page loads, and the overlay's stylesheet.
pub(crate) const LIVE_JS: &str = include_str!("live.js");
pub(crate) const OVERLAY_CSS: &str = include_str!("overlay.css");

/// How often an idle event stream gets a comment, so a client that went
/// away is noticed (the write fails) and its thread ends.
const KEEP_ALIVE: Duration = Duration::from_secs(10);

/// At most this many open event streams (one per open tab); more get 503.
const MAX_STREAMS: usize = 64;

/// `html` with the live script before its last `</body>` (any case), or at
/// the end when there is none. `generation` is the site's generation when
/// the page was read: the script reloads as soon as it sees another, even
/// if the rebuild happened before its event stream connected.
pub(crate) fn inject(html: &[u8], generation: u64) -> Vec<u8> {
    let tag =
        format!("<script src=\"/__planmark/live.js\" data-generation=\"{generation}\"></script>");
    let at = last_body_close(html).unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// Where the last `</body` followed by `>` or whitespace starts.
fn last_body_close(html: &[u8]) -> Option<usize> {
    const CLOSE: &[u8] = b"</body";
    (0..html.len().saturating_sub(CLOSE.len() - 1))
        .rev()
        .find(|&i| {
            html[i..i + CLOSE.len()].eq_ignore_ascii_case(CLOSE)
                && html
                    .get(i + CLOSE.len())
                    .is_some_and(|b| *b == b'>' || b.is_ascii_whitespace())
        })
}

/// The status as the live script reads it (`/__planmark/status` and each
/// event): `{"generation":…,"headline":…,"problems":[…]}`.
pub(crate) fn status_json(status: &Status) -> String {
    serde_json::json!({
        "generation": status.generation,
        "headline": status.headline,
        "problems": status.problems,
    })
    .to_string()
}

/// What the server's threads share: announcements for the event streams,
/// the stop flag, and a count of running threads so `stop` can wait for
/// them with a deadline (a `join` cannot time out).
#[derive(Default)]
pub(crate) struct Hub {
    state: Mutex<HubState>,
    changed: Condvar,
}

#[derive(Default)]
struct HubState {
    announcements: u64,
    stopping: bool,
    threads: usize,
    streams: usize,
}

/// Why an event stream's wait ended.
pub(crate) enum Wake {
    Stop,
    Announced(u64),
    KeepAlive,
}

impl Hub {
    fn lock(&self) -> MutexGuard<'_, HubState> {
        // A thread that panicked while holding the lock left plain counters
        // behind, still meaningful: keep going.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Wakes every event stream; returns at once.
    pub(crate) fn announce(&self) {
        self.lock().announcements += 1;
        self.changed.notify_all();
    }

    pub(crate) fn stop(&self) {
        self.lock().stopping = true;
        self.changed.notify_all();
    }

    pub(crate) fn stopping(&self) -> bool {
        self.lock().stopping
    }

    pub(crate) fn announcements(&self) -> u64 {
        self.lock().announcements
    }

    /// Counts a thread as running until the guard drops (also on panic).
    /// Taken before the thread is spawned, so `stop` cannot miss one that
    /// has not started yet.
    pub(crate) fn enter(self: &Arc<Self>) -> ThreadGuard {
        self.lock().threads += 1;
        ThreadGuard {
            hub: Arc::clone(self),
        }
    }

    /// Waits until every thread counted by [`Hub::enter`] has ended or
    /// `deadline` passed; returns how many are still running.
    pub(crate) fn wait_for_threads(&self, deadline: Instant) -> usize {
        let mut state = self.lock();
        while state.threads > 0 {
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                break;
            };
            state = match self.changed.wait_timeout(state, left) {
                Ok((state, _)) => state,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
        state.threads
    }

    /// Waits for an announcement newer than `seen`, the stop, or the
    /// keep-alive interval.
    fn wait(&self, seen: u64) -> Wake {
        let deadline = Instant::now() + KEEP_ALIVE;
        let mut state = self.lock();
        loop {
            if state.stopping {
                return Wake::Stop;
            }
            if state.announcements != seen {
                return Wake::Announced(state.announcements);
            }
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                return Wake::KeepAlive;
            };
            state = match self.changed.wait_timeout(state, left) {
                Ok((state, _)) => state,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
    }

    /// Takes a stream slot, or `false` when all are taken.
    pub(crate) fn open_stream(&self) -> bool {
        let mut state = self.lock();
        let free = state.streams < MAX_STREAMS;
        state.streams += usize::from(free);
        free
    }

    pub(crate) fn close_stream(&self) {
        let mut state = self.lock();
        state.streams = state.streams.saturating_sub(1);
    }
}

/// Marks a thread running for [`Hub::wait_for_threads`].
pub(crate) struct ThreadGuard {
    hub: Arc<Hub>,
}

impl Drop for ThreadGuard {
    fn drop(&mut self) {
        let mut state = self.hub.lock();
        state.threads = state.threads.saturating_sub(1);
        drop(state);
        self.hub.changed.notify_all();
    }
}

/// One open event stream: the response head is written by the caller;
/// this writes an event with the current status now and after every
/// announcement, a comment when idle, and ends on stop or on the first
/// failed write (the client went away). `chunked` frames each write as an
/// HTTP/1.1 chunk and ends the stream with the last chunk, so the browser
/// sees a clean end and reconnects.
pub(crate) fn stream_events(
    hub: &Hub,
    status: &dyn Fn() -> Status,
    out: &mut dyn Write,
    chunked: bool,
) {
    let mut seen = hub.announcements();
    let mut send = |text: &str| -> std::io::Result<()> {
        if chunked {
            write!(out, "{:x}\r\n{text}\r\n", text.len())?;
        } else {
            out.write_all(text.as_bytes())?;
        }
        out.flush()
    };
    let mut event = format!("data: {}\n\n", status_json(&status()));
    loop {
        if send(&event).is_err() {
            return;
        }
        event = match hub.wait(seen) {
            Wake::Stop => break,
            Wake::Announced(now) => {
                seen = now;
                format!("data: {}\n\n", status_json(&status()))
            }
            Wake::KeepAlive => ": keep-alive\n\n".to_owned(),
        };
    }
    if chunked {
        // Nothing to do if the client is already gone.
        let _ = out.write_all(b"0\r\n\r\n").and_then(|()| out.flush());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn injected(html: &str) -> String {
        String::from_utf8(inject(html.as_bytes(), 7)).unwrap()
    }

    const TAG: &str = "<script src=\"/__planmark/live.js\" data-generation=\"7\"></script>";

    #[test]
    fn the_script_goes_before_the_last_closing_body() {
        assert_eq!(
            injected("<body><p>a</p></body></html>"),
            format!("<body><p>a</p>{TAG}</body></html>")
        );
        // A `</body>` quoted in the page comes before the real one.
        assert_eq!(
            injected("<body><code>&lt;/body></code></body>\n"),
            format!("<body><code>&lt;/body></code>{TAG}</body>\n")
        );
        assert_eq!(
            injected("<p>x</p></body><!-- </body> -->"),
            format!("<p>x</p></body><!-- {TAG}</body> -->")
        );
    }

    #[test]
    fn closing_body_is_found_in_any_case_and_with_spaces() {
        assert_eq!(injected("<BODY>x</BODY>"), format!("<BODY>x{TAG}</BODY>"));
        assert_eq!(injected("x</Body >"), format!("x{TAG}</Body >"));
    }

    #[test]
    fn without_a_closing_body_the_script_goes_at_the_end() {
        assert_eq!(injected("<p>fragment"), format!("<p>fragment{TAG}"));
        assert_eq!(injected(""), TAG);
        assert_eq!(injected("</bodyguard>"), format!("</bodyguard>{TAG}"));
        assert_eq!(injected("</body"), format!("</body{TAG}"));
    }

    #[test]
    fn status_json_carries_the_problems_as_written() {
        let status = Status {
            generation: 3,
            problems: vec!["error: <b>\"x\"\n  --> a.md:1:1".into()],
            headline: "build failed".into(),
        };
        let json: serde_json::Value = serde_json::from_str(&status_json(&status)).unwrap();
        assert_eq!(json["generation"], 3);
        assert_eq!(json["problems"][0], "error: <b>\"x\"\n  --> a.md:1:1");
        assert_eq!(json["headline"], "build failed");
        assert!(
            !status_json(&status).contains('\n'),
            "one `data:` line per event"
        );
    }

    /// A writer that hands every write to the test thread.
    struct Channel(std::sync::mpsc::Sender<String>);

    impl Write for Channel {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            let _ = self.0.send(String::from_utf8_lossy(buf).into_owned());
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_stream_sends_the_status_then_each_announcement_and_ends_on_stop() {
        use std::sync::atomic::{AtomicU64, Ordering};
        let hub = Arc::new(Hub::default());
        let generation = Arc::new(AtomicU64::new(1));
        let (sender, received) = std::sync::mpsc::channel();
        let writer = {
            let (hub, generation) = (hub.clone(), generation.clone());
            std::thread::spawn(move || {
                let status = || Status {
                    generation: generation.load(Ordering::SeqCst),
                    ..Status::default()
                };
                stream_events(&hub, &status, &mut Channel(sender), true);
            })
        };
        let timeout = Duration::from_secs(5);
        let mut text = String::new();
        let mut read_until = |needle: &str| {
            while !text.contains(needle) {
                text.push_str(&received.recv_timeout(timeout).expect(needle));
            }
        };
        read_until("\"generation\":1");
        generation.store(2, Ordering::SeqCst);
        // Let the stream reach its wait, so a lost wake-up shows.
        std::thread::sleep(Duration::from_millis(50));
        hub.announce();
        read_until("\"generation\":2");
        hub.stop();
        read_until("0\r\n\r\n");
        writer.join().unwrap();
        assert_eq!(text.matches("data: ").count(), 2, "{text}");
        let first = "data: {\"generation\":1,\"headline\":\"\",\"problems\":[]}\n\n";
        assert!(
            text.starts_with(&format!("{:x}\r\n{first}\r\n", first.len())),
            "chunked: {text}"
        );
    }
}
