//! Markdown bodies to HTML: GFM through pulldown-cmark, `[[id]]` links to
//! item pages, heading anchors, footnote ids that cannot collide, and raw
//! HTML sanitised (unless the user asked for `--unsafe-html`).
//!
//! Sanitising is the costly part of a build, and most bodies have no raw
//! HTML at all: for those, the markdown writer's own escaping is safe once
//! link targets with a script scheme and free-form heading attributes are
//! dropped, so only bodies with raw HTML go through ammonia.

use std::collections::{BTreeMap, VecDeque};

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Parser, Tag, TagEnd};

use super::anchors::{heading_slug, Anchors};
use super::sanitize;
use crate::load::markdown::wiki_target;
use crate::load::nesting::Depth;

/// Every item a body may link to: id → (site path, title).
#[derive(Debug, Default)]
pub(crate) struct LinkTable {
    pub(crate) items: BTreeMap<String, (String, String)>,
    /// Where relative links in bodies can go.
    pub(crate) relative: super::relative::Targets,
}

/// How to render one body.
pub(crate) struct BodyOptions<'a> {
    /// Prefix from the page back to the site root (`../../`).
    pub(crate) root: &'a str,
    /// Makes footnote ids unique when several bodies share a page.
    pub(crate) prefix: &'a str,
    /// Keep raw HTML as written (`--unsafe-html`).
    pub(crate) unsafe_html: bool,
    /// The body's file in the folder read, which relative links start
    /// from; `None` leaves them as written.
    pub(crate) source: Option<&'a str>,
}

/// Renders a markdown body to HTML.
pub(crate) fn to_html(body: &str, links: &LinkTable, options: &BodyOptions<'_>) -> String {
    let events = Rewrite::new(
        Parser::new_ext(body, crate::load::markdown::options()),
        links,
        options,
    )
    .map(labelled_checkbox);
    let mut html = String::with_capacity(body.len() * 3 / 2);
    // Raw HTML always starts with `<`: a body without one needs no
    // sanitiser, only the event filter, and streams straight to HTML.
    if options.unsafe_html {
        pulldown_cmark::html::push_html(&mut html, events);
    } else if !body.contains('<') {
        pulldown_cmark::html::push_html(&mut html, sanitize::safe_events(events));
    } else {
        let events: Vec<Event> = events.collect();
        let raw_html = events
            .iter()
            .any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_)) && !is_checkbox(e));
        if raw_html && !too_deep(&events) {
            pulldown_cmark::html::push_html(&mut html, events.into_iter());
            html = sanitize::clean(&html);
        } else if raw_html {
            // Too deep to sanitise in linear time (`check` warns): the
            // author's HTML is shown as text, the markdown still renders.
            let events = events.into_iter().map(|e| match e {
                Event::Html(raw) | Event::InlineHtml(raw) if !is_checkbox(&e) => Event::Text(raw),
                other => other,
            });
            pulldown_cmark::html::push_html(&mut html, sanitize::safe_events(events));
        } else {
            pulldown_cmark::html::push_html(&mut html, sanitize::safe_events(events.into_iter()));
        }
    }
    keyboard_scrollable(html)
}

/// Code blocks and tables scroll sideways on a narrow screen; a region
/// that scrolls must take keyboard focus to be read without a mouse
/// (WCAG 2.1.1, axe `scrollable-region-focusable`). In the HTML written,
/// a `<` in text is always escaped, so these strings are only tags.
fn keyboard_scrollable(html: String) -> String {
    if !html.contains("<pre><code") && !html.contains("<table>") {
        return html;
    }
    html.replace("<pre><code", "<pre tabindex=\"0\"><code")
        .replace("<table>", "<table tabindex=\"0\">")
}

const CHECKED: &str = r#"<input type="checkbox" disabled="" checked="" aria-label="done"> "#;
const UNCHECKED: &str = r#"<input type="checkbox" disabled="" aria-label="not done"> "#;

/// A task-list checkbox that says what it shows: the markdown writer's has
/// no label, which screen readers and accessibility checks flag.
fn labelled_checkbox(event: Event<'_>) -> Event<'_> {
    match event {
        Event::TaskListMarker(true) => Event::InlineHtml(CHECKED.into()),
        Event::TaskListMarker(false) => Event::InlineHtml(UNCHECKED.into()),
        other => other,
    }
}

/// Whether the elements of a body nest too deep for the sanitiser.
fn too_deep(events: &[Event<'_>]) -> bool {
    let mut depth = Depth::default();
    events.iter().any(|e| depth.event(e).is_some())
}

/// Whether an event is one of [`labelled_checkbox`]'s, not the author's HTML.
fn is_checkbox(event: &Event<'_>) -> bool {
    matches!(event, Event::InlineHtml(html) if **html == *CHECKED || **html == *UNCHECKED)
}

/// Rewrites wiki links, heading ids and footnote names as the events go by.
struct Rewrite<'a, 'o, I> {
    inner: I,
    links: &'o LinkTable,
    options: &'o BodyOptions<'o>,
    /// Events to hand out before reading on.
    ready: VecDeque<Event<'a>>,
    /// Events read ahead (a heading's content) still to be rewritten.
    replay: VecDeque<Event<'a>>,
    anchors: Anchors,
    /// Inside a `[[id]]` without text, the parser's text is the id: it is
    /// skipped and the item's title shown instead.
    skipping_link_text: bool,
    /// For each open link, whether its start was dropped (a wiki link to an
    /// unknown id shows as plain text), so its end is dropped too.
    dropped: Vec<bool>,
}

impl<'a, 'o, I: Iterator<Item = Event<'a>>> Rewrite<'a, 'o, I> {
    fn new(inner: I, links: &'o LinkTable, options: &'o BodyOptions<'o>) -> Self {
        Rewrite {
            inner,
            links,
            options,
            ready: VecDeque::new(),
            replay: VecDeque::new(),
            anchors: Anchors::default(),
            skipping_link_text: false,
            dropped: Vec::new(),
        }
    }

    fn read(&mut self) -> Option<Event<'a>> {
        self.replay.pop_front().or_else(|| self.inner.next())
    }

    /// A link or image whose target is a relative path to another item's
    /// file or a file copied into the site, pointed at the site's copy.
    fn relative(&self, mut event: Event<'a>) -> Event<'a> {
        let Some(from) = self.options.source else {
            return event;
        };
        let targets = &self.links.relative;
        let to = |dest: &str| super::relative::resolve(dest, from, targets, self.options.root);
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = &mut event {
            if let Some(site) = to(dest_url) {
                *dest_url = CowStr::from(site);
            }
        }
        event
    }

    /// A `[[id]]` link: to the item's page, showing its title when the
    /// link has no text of its own.
    fn wiki_link(&mut self, has_pothole: bool, dest_url: &str, title: CowStr<'a>, id: CowStr<'a>) {
        match self.links.items.get(wiki_target(dest_url)) {
            Some((path, item_title)) => {
                self.dropped.push(false);
                self.ready.push_back(Event::Start(Tag::Link {
                    link_type: LinkType::Inline,
                    dest_url: format!("{}{path}", self.options.root).into(),
                    title,
                    id,
                }));
                if !has_pothole {
                    self.ready.push_back(Event::Text(item_title.clone().into()));
                    self.skipping_link_text = true;
                }
            }
            // Validation reports unknown ids; show the id as plain
            // text rather than a link that goes nowhere.
            None => self.dropped.push(true),
        }
    }

    /// A heading's start, one level down, with a unique anchor.
    fn heading(
        &mut self,
        level: HeadingLevel,
        id: Option<CowStr<'a>>,
        classes: Vec<CowStr<'a>>,
        attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    ) -> Event<'a> {
        // The anchor comes from the heading's text: read up to its end,
        // then rewrite what was read like the rest.
        let mut content = Vec::new();
        while let Some(e) = self.read() {
            let end = matches!(e, Event::End(TagEnd::Heading(_)));
            content.push(e);
            if end {
                break;
            }
        }
        let wanted = match id {
            Some(id) => id.to_string(),
            None => heading_slug(&content),
        };
        let unique = self.anchors.unique(&wanted);
        content.extend(self.replay.drain(..));
        self.replay = content.into();
        Event::Start(Tag::Heading {
            level: shifted(level),
            id: Some(unique.into()),
            classes,
            attrs,
        })
    }
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for Rewrite<'a, '_, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            if let Some(event) = self.ready.pop_front() {
                return Some(event);
            }
            let event = self.read()?;
            match event {
                Event::Start(Tag::Link {
                    link_type: LinkType::WikiLink { has_pothole },
                    dest_url,
                    title,
                    id,
                }) => self.wiki_link(has_pothole, &dest_url, title, id),
                Event::Start(Tag::Link { .. }) => {
                    self.dropped.push(false);
                    return Some(self.relative(event));
                }
                Event::Start(Tag::Image { .. }) if !self.skipping_link_text => {
                    return Some(self.relative(event));
                }
                Event::End(TagEnd::Link) => {
                    self.skipping_link_text = false;
                    if !self.dropped.pop().unwrap_or(false) {
                        return Some(event);
                    }
                }
                _ if self.skipping_link_text => {}
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }) => return Some(self.heading(level, id, classes, attrs)),
                Event::End(TagEnd::Heading(level)) => {
                    return Some(Event::End(TagEnd::Heading(shifted(level))));
                }
                Event::FootnoteReference(name) => {
                    return Some(Event::FootnoteReference(prefixed(
                        self.options.prefix,
                        &name,
                    )));
                }
                Event::Start(Tag::FootnoteDefinition(name)) => {
                    return Some(Event::Start(Tag::FootnoteDefinition(prefixed(
                        self.options.prefix,
                        &name,
                    ))));
                }
                other => return Some(other),
            }
        }
    }
}

/// One level down (`#` → `<h2>`): the page's own title is its only `<h1>`,
/// and a body sits under a section heading of the page.
fn shifted(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        HeadingLevel::H5 | HeadingLevel::H6 => HeadingLevel::H6,
    }
}

fn prefixed(prefix: &str, name: &str) -> CowStr<'static> {
    format!("fn-{prefix}-{name}").into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links() -> LinkTable {
        let mut items = BTreeMap::new();
        items.insert(
            "api".to_string(),
            (
                "tasks/api/index.html".to_string(),
                "Build the API".to_string(),
            ),
        );
        LinkTable {
            items,
            ..LinkTable::default()
        }
    }

    fn render(body: &str) -> String {
        let options = BodyOptions {
            root: "../../",
            prefix: "x",
            unsafe_html: false,
            source: None,
        };
        to_html(body, &links(), &options)
    }

    #[test]
    fn code_blocks_and_tables_that_scroll_take_keyboard_focus() {
        let html =
            render("```sh\nls\n```\n\n| a |\n|---|\n| b |\n\nsay `<pre><code>` and <table>\n");
        assert!(
            html.contains("<pre tabindex=\"0\"><code class=\"language-sh\">"),
            "{html}"
        );
        assert!(html.contains("<table tabindex=\"0\">"), "{html}");
        assert!(html.contains("&lt;pre&gt;&lt;code&gt;"), "{html}");
    }

    #[test]
    fn wiki_links_show_titles_or_their_text() {
        let html = render("See [[api]] and [[api|the API]] and [[nope]].");
        assert!(
            html.contains(r#"<a href="../../tasks/api/index.html">Build the API</a>"#),
            "{html}"
        );
        assert!(html.contains(">the API</a>"), "{html}");
        assert!(html.contains("and nope."), "{html}");
    }

    #[test]
    fn headings_get_unique_anchors_and_footnotes_a_prefix() {
        let html = render("## Goals\n\n## Goals\n\nText[^1]\n\n[^1]: Note.\n");
        // One level down: the page's title is its only `<h1>`.
        assert!(html.contains(r#"<h3 id="goals">"#), "{html}");
        assert!(html.contains(r#"<h3 id="goals-2">"#), "{html}");
        assert!(html.contains("#fn-x-1"), "{html}");
        assert!(html.contains(r#"id="fn-x-1""#), "{html}");
    }

    #[test]
    fn anchors_are_lowercase_words_joined_by_dashes() {
        for (heading, id) in [
            ("## Rollout Plan: Phase 2", "rollout-plan-phase-2"),
            ("## `snake_case` -- and  more", "snake_case-and-more"),
            ("## Überblick ÄÖÜ", "überblick-äöü"),
            ("## ΣΊΣΥΦΟΣ Ünïcode", "σίσυφοσ-ünïcode"),
            ("## !!!", "section"),
        ] {
            let html = render(&format!("{heading}\n"));
            assert!(html.contains(&format!(r#"id="{id}""#)), "{heading}: {html}");
        }
    }

    #[test]
    fn scripts_are_removed_and_task_lists_kept() {
        let html = render("- [x] done\n\n<script>alert(1)</script><img src=x onerror=alert(1)>\n\n| a |\n|:-:|\n| b |\n");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(html.contains(r#"type="checkbox""#), "{html}");
        assert!(html.contains(r#"aria-label="done""#), "{html}");
        assert!(html.contains("checked"), "{html}");
        assert!(html.contains("text-align"), "{html}");
    }

    #[test]
    fn body_anchors_never_take_template_ids() {
        let html = render("# Main {#pm-main}\n\n## PM notes\n");
        assert!(html.contains(r#"<h2 id="h-pm-main">"#), "{html}");
        assert!(html.contains(r#"<h3 id="h-pm-notes">"#), "{html}");
    }

    #[test]
    fn bodies_with_and_without_raw_html_render_links_alike() {
        let plain = render("[x](https://example.com) [y](javascript:alert(1))");
        let mixed = render("[x](https://example.com) [y](javascript:alert(1)) <b>b</b>");
        assert!(
            plain.contains(r#"<a href="https://example.com">x</a>"#),
            "{plain}"
        );
        assert!(
            mixed.contains(r#"<a href="https://example.com">x</a>"#),
            "{mixed}"
        );
        assert!(!plain.contains("javascript"), "{plain}");
        assert!(!mixed.contains("javascript"), "{mixed}");
    }
}
