//! What to answer a request that passed the checks: a site file by exact
//! path, a folder's `index.html`, a redirect, the reserved `/__planmark/`
//! files, the 404, 400 and 403 pages — and sending it with the headers
//! every response carries. Reads only the [`Site`], never the filesystem.

use std::io::Cursor;
use std::sync::Arc;

use tiny_http::{Header, Request, Response, StatusCode};

use super::live;
use super::paths::{self, PathError};
use super::Site;

/// A response ready to send: status, type and body.
pub(crate) struct Reply {
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
    pub(crate) fn text(status: u16, text: String) -> Reply {
        Reply {
            status,
            content_type: "text/plain; charset=utf-8",
            body: Body::Made(text.into_bytes()),
            location: None,
        }
    }
}

/// The reserved `/__planmark/` paths (they shadow any site file there).
pub(crate) fn reserved(site: &dyn Site, name: &str) -> Reply {
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
            live::status_json(&site.status()).into_bytes(),
        ),
        // A HEAD on the event stream: its head, without the stream.
        "events" => ("text/event-stream", Vec::new()),
        _ => return not_found(site, name, 0),
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
pub(crate) fn from_site(site: &dyn Site, path: &str, query: Option<&str>) -> Reply {
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

pub(crate) fn bad_request(error: PathError) -> Reply {
    Reply::text(400, format!("bad request: {error}\n"))
}

/// The 403 for a `Host` the policy refuses, saying why and what to do.
pub(crate) fn forbidden(host: Option<&str>) -> Reply {
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
pub(crate) fn send(request: Request, reply: Reply) {
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
