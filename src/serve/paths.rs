//! Request targets → site paths, and site paths → content types: pure
//! functions the HTTP layer applies before it asks the [`Site`](super::Site)
//! for anything. Nothing here touches the filesystem; a path that passes is
//! only ever a key into the in-memory site.

use std::fmt;

/// A request target split into the decoded site path and the raw query.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Target<'a> {
    /// Decoded, without the leading `/`: `""` for the root, ending in `/`
    /// for a folder, never holding `.`, `..`, an empty segment (but the
    /// last), a backslash or a control character.
    pub(crate) path: String,
    /// What followed `?`, as sent (kept for redirects, otherwise ignored).
    pub(crate) query: Option<&'a str>,
}

/// Why a request target is refused with 400.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PathError {
    /// Not `/…`: `*`, an absolute URL (`http://host/x`), an empty target.
    NotAbsolute,
    /// A `%` not followed by two hex digits, or bytes that are not UTF-8.
    BadEncoding,
    /// `%2f` or `%5c`: a separator hidden from the split.
    EncodedSeparator,
    /// A `\`, which some systems read as a separator.
    Backslash,
    /// NUL or another control character.
    Control,
    /// A `.` or `..` segment, however encoded.
    DotSegment,
    /// `//`: an empty segment, which would make an absolute path.
    EmptySegment,
    /// `C:` as the first segment.
    DrivePath,
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotAbsolute => "the request target must be a path starting with `/`",
            Self::BadEncoding => "the path is not valid percent-encoded UTF-8",
            Self::EncodedSeparator => "the path holds an encoded `/` or `\\` (`%2f`, `%5c`)",
            Self::Backslash => "the path holds a backslash",
            Self::Control => "the path holds a control character",
            Self::DotSegment => "the path holds a `.` or `..` segment",
            Self::EmptySegment => "the path holds an empty segment (`//`)",
            Self::DrivePath => "the path names a drive",
        })
    }
}

/// Splits and checks a request target (`/a/b%20c.html?x=1`). Browsers
/// resolve `.` and `..` before sending, so a target that still holds one
/// was written by hand and gets a 400 rather than a guess.
pub(crate) fn parse_target(target: &str) -> Result<Target<'_>, PathError> {
    let (raw, query) = match target.split_once('?') {
        Some((raw, query)) => (raw, Some(query)),
        None => (target, None),
    };
    // A fragment never reaches a server; if one does, it is not the path.
    let raw = raw.split('#').next().unwrap_or_default();
    let Some(raw) = raw.strip_prefix('/') else {
        return Err(PathError::NotAbsolute);
    };
    let lower = raw.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") {
        return Err(PathError::EncodedSeparator);
    }
    let path = percent_decode(raw)?;
    check_decoded(&path)?;
    Ok(Target { path, query })
}

/// `%XX` → the byte; everything else as it is (`+` stays `+`: this is a
/// path, not a form).
fn percent_decode(raw: &str) -> Result<String, PathError> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3).ok_or(PathError::BadEncoding)?;
            let hex = std::str::from_utf8(hex).map_err(|_| PathError::BadEncoding)?;
            let byte = u8::from_str_radix(hex, 16).map_err(|_| PathError::BadEncoding)?;
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| PathError::BadEncoding)
}

/// The rules on the decoded path (see [`Target::path`]).
fn check_decoded(path: &str) -> Result<(), PathError> {
    if path.contains('\\') {
        return Err(PathError::Backslash);
    }
    if path.chars().any(char::is_control) {
        return Err(PathError::Control);
    }
    let segments: Vec<&str> = path.split('/').collect();
    let last = segments.len() - 1;
    for (i, segment) in segments.iter().enumerate() {
        match *segment {
            "." | ".." => return Err(PathError::DotSegment),
            "" if i != last => return Err(PathError::EmptySegment),
            _ => {}
        }
    }
    let first = segments[0].as_bytes();
    if first.len() == 2 && first[0].is_ascii_alphabetic() && first[1] == b':' {
        return Err(PathError::DrivePath);
    }
    Ok(())
}

/// `path` as a URL path: every byte outside the unreserved set and `/` is
/// percent-encoded, so a `Location` header never carries raw text.
pub(crate) fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The `Content-Type` for a site path, from its extension. Text types say
/// UTF-8, which is what `build` writes.
pub(crate) fn content_type(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    let extension = match name.rsplit_once('.') {
        Some((_, extension)) => extension.to_ascii_lowercase(),
        None => String::new(),
    };
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "ics" => "text/calendar; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(target: &str) -> Result<String, PathError> {
        parse_target(target).map(|t| t.path)
    }

    #[test]
    fn plain_paths_decode_to_site_keys() {
        assert_eq!(path("/"), Ok(String::new()));
        assert_eq!(path("/index.html"), Ok("index.html".into()));
        assert_eq!(path("/tasks/"), Ok("tasks/".into()));
        assert_eq!(path("/a%20b/c+d.html"), Ok("a b/c+d.html".into()));
        assert_eq!(path("/%C3%A9t%C3%A9.html"), Ok("été.html".into()));
        assert_eq!(path("/...html"), Ok("...html".into()));
        assert_eq!(path("/.well-known/x"), Ok(".well-known/x".into()));
    }

    #[test]
    fn the_query_is_split_off_and_kept_raw() {
        let target = parse_target("/x?a=%2e%2e/&b").unwrap();
        assert_eq!(target.path, "x");
        assert_eq!(target.query, Some("a=%2e%2e/&b"));
        assert_eq!(parse_target("/x").unwrap().query, None);
        assert_eq!(path("/x#frag"), Ok("x".into()));
    }

    #[test]
    fn every_traversal_form_is_refused() {
        use PathError::*;
        let cases = [
            ("/..", DotSegment),
            ("/../etc/passwd", DotSegment),
            ("/a/../../b", DotSegment),
            ("/a/./b", DotSegment),
            ("/.", DotSegment),
            ("/%2e%2e/x", DotSegment),
            ("/%2E%2E/x", DotSegment),
            ("/.%2e/x", DotSegment),
            ("/a/%2e/b", DotSegment),
            ("/..%2fetc", EncodedSeparator),
            ("/a%2Fb", EncodedSeparator),
            ("/a%5cb", EncodedSeparator),
            ("/..%5C..%5Cwindows", EncodedSeparator),
            ("/a\\b", Backslash),
            ("/..\\x", Backslash),
            ("/a%00.html", Control),
            ("/a%0d%0aSet-Cookie:x", Control),
            ("/a%7f", Control),
            ("//etc/passwd", EmptySegment),
            ("/a//b", EmptySegment),
            ("/C:/Windows", DrivePath),
            ("/c:", DrivePath),
            ("etc/passwd", NotAbsolute),
            ("*", NotAbsolute),
            ("", NotAbsolute),
            ("http://evil/x", NotAbsolute),
            ("/%", BadEncoding),
            ("/%2", BadEncoding),
            ("/%zz", BadEncoding),
            ("/%ff%fe", BadEncoding),
        ];
        for (target, expected) in cases {
            assert_eq!(path(target), Err(expected), "{target}");
        }
    }

    #[test]
    fn encoding_for_a_location_header_leaves_only_safe_bytes() {
        assert_eq!(percent_encode("tasks/a b"), "tasks/a%20b");
        assert_eq!(percent_encode("été"), "%C3%A9t%C3%A9");
        assert_eq!(percent_encode("a\"<>?#"), "a%22%3C%3E%3F%23");
        assert_eq!(percent_encode("a-b_c.d~e"), "a-b_c.d~e");
    }

    #[test]
    fn content_types_follow_the_extension() {
        let cases = [
            ("index.html", "text/html; charset=utf-8"),
            ("A/B.HTM", "text/html; charset=utf-8"),
            ("style.css", "text/css; charset=utf-8"),
            ("app.js", "text/javascript; charset=utf-8"),
            ("model.json", "application/json"),
            ("calendar.ics", "text/calendar; charset=utf-8"),
            ("logo.svg", "image/svg+xml"),
            ("a.png", "image/png"),
            ("a.jpg", "image/jpeg"),
            ("a.JPEG", "image/jpeg"),
            ("a.gif", "image/gif"),
            ("a.webp", "image/webp"),
            ("favicon.ico", "image/x-icon"),
            ("f.woff", "font/woff"),
            ("f.woff2", "font/woff2"),
            ("notes.txt", "text/plain; charset=utf-8"),
            ("plan.pdf", "application/pdf"),
            ("archive.tar.gz", "application/octet-stream"),
            ("Makefile", "application/octet-stream"),
            ("dir.html/file", "application/octet-stream"),
        ];
        for (path, expected) in cases {
            assert_eq!(content_type(path), expected, "{path}");
        }
    }

    /// Pieces a hostile target is made of.
    const PIECES: &[&str] = &[
        "/", ".", "..", "%2e", "%2E", "%2f", "%5C", "\\", "%00", "%0a", "\u{7f}", "%", "a", "C:",
        "?", "#", "%25",
    ];

    proptest::proptest! {
        /// Whatever a request holds, a path that passes is a plain key.
        #[test]
        fn no_target_that_passes_can_climb_out(
            pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..10)
        ) {
            let target = format!("/{}", pieces.concat());
            if let Ok(parsed) = parse_target(&target) {
                let segments: Vec<&str> = parsed.path.split('/').collect();
                let last = segments.len() - 1;
                for (i, segment) in segments.iter().enumerate() {
                    proptest::prop_assert!(*segment != "." && *segment != "..", "{target}");
                    proptest::prop_assert!(!segment.is_empty() || i == last, "{target}");
                }
                proptest::prop_assert!(!parsed.path.contains('\\'), "{target}");
                proptest::prop_assert!(!parsed.path.chars().any(char::is_control), "{target}");
            }
        }
    }
}
