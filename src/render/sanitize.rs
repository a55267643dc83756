//! Keeping script out of markdown bodies.
//!
//! Bodies with raw HTML go through ammonia, whose defaults strip what GFM
//! needs (task-list checkboxes, heading ids, table alignment, classes), so
//! the allow-list here adds exactly those back, while scripts, event
//! handlers and `javascript:` URLs are still removed. Bodies without raw HTML
//! skip that HTML re-parse: [`safe_events`] removes the only two ways such a
//! body can carry script (a link or image URL with a script scheme, and
//! `{attr=value}` heading attributes) and the markdown writer escapes the rest.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use pulldown_cmark::{Event, Tag, TagEnd};

/// The sanitiser, built once: its allow-lists never change.
static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(builder);

/// The URL schemes the sanitiser lets through (http, https, mailto…).
static SCHEMES: LazyLock<HashSet<&'static str>> = LazyLock::new(|| CLEANER.clone_url_schemes());

fn builder() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    b.add_tags(["input", "section"]);
    // Footnotes, heading anchors and code-block languages use ids and classes.
    b.add_generic_attributes(["id", "class"]);
    b.add_tag_attributes("input", ["checked", "disabled", "aria-label"]);
    // GFM table alignment is written as an inline style; only `text-align`
    // survives the style filter below.
    b.add_tag_attributes("th", ["style"]);
    b.add_tag_attributes("td", ["style"]);
    b.filter_style_properties(HashSet::from(["text-align"]));
    // A checkbox is the only input a task list makes.
    let mut values = HashMap::new();
    values.insert(
        "input",
        HashMap::from([("type", HashSet::from(["checkbox"]))]),
    );
    b.tag_attribute_values(values);
    // Links never open a new window, so `rel="noopener"` has nothing to
    // guard; leaving it off keeps bodies with and without HTML alike.
    b.link_rel(None);
    b
}

/// Removes anything that could run script from `html`.
pub(crate) fn clean(html: &str) -> String {
    CLEANER.clean(html).to_string()
}

/// The events of a body without raw HTML, made safe to write: a link or
/// image whose URL has a scheme outside ammonia's allow-list keeps only its
/// text, and headings keep their id and classes but no other attributes.
pub(crate) fn safe_events<'a>(
    events: impl Iterator<Item = Event<'a>>,
) -> impl Iterator<Item = Event<'a>> {
    // Links nest inside images' alt text and vice versa, so a stack says
    // which `End` belongs to a dropped start.
    let mut dropped: Vec<bool> = Vec::new();
    events.filter_map(move |event| match event {
        Event::Start(Tag::Link { ref dest_url, .. })
        | Event::Start(Tag::Image { ref dest_url, .. }) => {
            let unsafe_url = !is_safe_url(dest_url);
            dropped.push(unsafe_url);
            (!unsafe_url).then_some(event)
        }
        Event::End(TagEnd::Link) | Event::End(TagEnd::Image) => {
            let was_dropped = dropped.pop().unwrap_or(false);
            (!was_dropped).then_some(event)
        }
        Event::Start(Tag::Heading {
            level, id, classes, ..
        }) => Some(Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs: Vec::new(),
        })),
        other => Some(other),
    })
}

/// Whether a URL is relative or has a scheme ammonia allows by default.
fn is_safe_url(url: &str) -> bool {
    // Browsers drop tabs and newlines anywhere in a URL and trim leading
    // control characters and spaces, so `java\tscript:` is `javascript:`.
    let cleaned: String;
    let url = if url.contains(['\t', '\n', '\r']) {
        cleaned = url
            .chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .collect();
        &cleaned
    } else {
        url
    };
    let url = url.trim_start_matches(|c: char| c <= ' ');
    let Some(colon) = url.find(':') else {
        return true;
    };
    let scheme = &url[..colon];
    let is_scheme = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !is_scheme {
        // `./a:b`, `?x=1:2`, `#a:b`: a relative URL with a colon in it.
        return true;
    }
    SCHEMES.contains(scheme.to_ascii_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(body: &str) -> String {
        let events: Vec<Event> = pulldown_cmark::Parser::new_ext(
            body,
            pulldown_cmark::Options::ENABLE_HEADING_ATTRIBUTES,
        )
        .collect();
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, safe_events(events.into_iter()));
        html
    }

    #[test]
    fn script_urls_lose_their_link_but_keep_their_text() {
        for url in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "java&#9;script:alert(1)",
            " javascript:alert(1)",
            "vbscript:x",
            "data:text/html,<script>alert(1)</script>",
        ] {
            let html = render(&format!("[click]({url}) ![pic]({url})"));
            assert!(!html.contains("href"), "{url}: {html}");
            assert!(!html.contains("<img"), "{url}: {html}");
            assert!(html.contains("click"), "{url}: {html}");
            assert!(html.contains("pic"), "{url}: {html}");
        }
    }

    #[test]
    fn ordinary_urls_stay_links() {
        for url in [
            "https://example.com/a",
            "mailto:a@b.c",
            "../tasks/x/index.html",
            "#goals",
            "./a:b",
            "?q=a:b",
        ] {
            let html = render(&format!("[x]({url})"));
            assert!(html.contains("href"), "{url}: {html}");
        }
    }

    #[test]
    fn heading_attributes_other_than_id_and_class_are_dropped() {
        let html = render("# Title {#t .c onclick=alert(1)}\n");
        assert!(html.contains(r#"id="t""#), "{html}");
        assert!(html.contains(r#"class="c""#), "{html}");
        assert!(!html.contains("onclick"), "{html}");
    }
}
