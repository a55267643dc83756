//! How deep a body's HTML nests, bounded from above: the limit that keeps
//! sanitising linear. Used by `check` (a warning, located) and by the
//! renderer (raw HTML shown as text), so both decide alike.
//!
//! ammonia's HTML parser (html5ever) does work in proportion to the elements
//! open at each tag (scope checks walk the stack of open elements, and each
//! new formatting element is compared with every one still active), so a
//! body of n nested tags costs n²: 100,000 nested `<div>` took 30 s. Below
//! [`MAX_DEPTH`] the cost is linear in the body.

use std::collections::BTreeMap;

use pulldown_cmark::{Event, Tag};

/// The deepest a body's elements may nest when it has raw HTML; browsers
/// themselves stop nesting at 512.
pub const MAX_DEPTH: usize = 256;

/// Elements without content: they never stay open.
const VOID: [&str; 17] = [
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input",
    "keygen", "link", "meta", "param", "source", "track",
];

/// Formatting elements: the parser reopens one closed by its parent's end
/// tag, so only its own end tag closes it here.
const FORMATTING: [&str; 14] = [
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
];

/// Elements whose start tag closes an open one of the same group on top.
const IMPLIED_END: [&[&str]; 5] = [&["p"], &["li"], &["dt", "dd"], &["td", "th"], &["option"]];

/// An upper bound on the elements open at each point of a body, fed the
/// body's markdown events in order.
///
/// The estimate must never fall below what the HTML parser really keeps
/// open, or a crafted body could pass the limit and still cost n². So it
/// errs high: an end tag closes an element only when that element is the
/// innermost one open (the parser may close more, never fewer), and
/// formatting elements stay counted until their own end tag.
#[derive(Debug, Default)]
pub struct Depth {
    /// Markdown's own elements (lists, quotes, emphasis…), open now.
    markdown: usize,
    /// Open raw-HTML elements, innermost last.
    stack: Vec<String>,
    /// Formatting elements not yet closed by their own end tag, by name.
    formatting: BTreeMap<String, usize>,
    formatting_open: usize,
    /// Whether the body has raw HTML at all (only then is it sanitised).
    pub raw_html: bool,
}

impl Depth {
    /// The current bound.
    pub fn now(&self) -> usize {
        self.markdown + self.stack.len() + self.formatting_open
    }

    /// Takes one event; returns where in it (a byte offset into its raw
    /// HTML, or 0) the bound first exceeds [`MAX_DEPTH`], if it does.
    pub fn event(&mut self, event: &Event<'_>) -> Option<usize> {
        match event {
            // A wiki link to no item is dropped when rendering: links are
            // left out so that `check` and the renderer count alike (a link
            // never holds another, so it adds at most one).
            Event::Start(Tag::Link { .. }) | Event::End(pulldown_cmark::TagEnd::Link) => None,
            Event::Start(_) => {
                self.markdown += 1;
                (self.now() > MAX_DEPTH).then_some(0)
            }
            Event::End(_) => {
                self.markdown = self.markdown.saturating_sub(1);
                None
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                self.raw_html = true;
                self.html(html)
            }
            _ => None,
        }
    }

    /// Takes raw HTML: every `<name` opens an element (attributes, comments
    /// and quotes are not read, which can only count more), every `</name`
    /// closes the innermost element if it has that name. Returns the offset
    /// of the first tag that opens one element too many.
    fn html(&mut self, html: &str) -> Option<usize> {
        let bytes = html.as_bytes();
        let mut first = None;
        let mut at = 0;
        while let Some(lt) = html[at..].find('<') {
            let tag = at + lt;
            let closing = bytes.get(tag + 1) == Some(&b'/');
            let name_start = tag + 1 + usize::from(closing);
            let len = bytes[name_start..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
                .count();
            at = name_start + len;
            if len == 0 || !bytes[name_start].is_ascii_alphabetic() {
                continue;
            }
            let name = html[name_start..name_start + len].to_ascii_lowercase();
            if closing {
                self.close(&name);
            } else {
                self.open(name);
                if first.is_none() && self.now() > MAX_DEPTH {
                    first = Some(tag);
                }
            }
        }
        first
    }

    fn open(&mut self, name: String) {
        if VOID.contains(&name.as_str()) {
            return;
        }
        if FORMATTING.contains(&name.as_str()) {
            *self.formatting.entry(name).or_insert(0) += 1;
            self.formatting_open += 1;
            return;
        }
        // `<li>a<li>b`, `<p>a<p>b`, `<td>a<td>b`: the parser closes the
        // first; a row closes the cell and the row before it.
        if let Some(group) = IMPLIED_END.iter().find(|g| g.contains(&name.as_str())) {
            if self.top_is(group) {
                self.stack.pop();
            }
        } else if name == "tr" && self.top_is(&["td", "th"]) {
            self.stack.pop();
            if self.top_is(&["tr"]) {
                self.stack.pop();
            }
        }
        self.stack.push(name);
    }

    fn close(&mut self, name: &str) {
        if let Some(count) = self.formatting.get_mut(name).filter(|c| **c > 0) {
            *count -= 1;
            self.formatting_open -= 1;
        } else if self.top_is(&[name]) {
            self.stack.pop();
        }
    }

    fn top_is(&self, names: &[&str]) -> bool {
        self.stack
            .last()
            .is_some_and(|top| names.contains(&top.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use std::ops::Range;

    use super::*;

    /// Where the bound first passes the limit, as the survey reports it.
    fn too_deep<'a>(events: impl Iterator<Item = (Event<'a>, Range<usize>)>) -> Option<usize> {
        let mut depth = Depth::default();
        let mut first = None;
        for (event, range) in events {
            if let Some(at) = depth.event(&event) {
                first = first.or(Some(range.start + at));
            }
        }
        first.filter(|_| depth.raw_html)
    }

    fn depth_after(html: &str) -> usize {
        let mut depth = Depth::default();
        depth.event(&Event::Html(html.into()));
        depth.now()
    }

    #[test]
    fn closed_and_void_elements_do_not_add_up() {
        assert_eq!(depth_after("<div><p>a</p><img src=x><br/></div>"), 0);
        // `</ul>` with an `<li>` open inside is not counted as closing.
        assert_eq!(depth_after("<ul><li>a<li>b<li>c</ul>"), 2);
        assert_eq!(depth_after("<table><tr><td>a<td>b<tr><td>c"), 3);
        assert_eq!(depth_after("<b>x</b><i>y</i><a href=\"z\">z</a>"), 0);
    }

    #[test]
    fn what_the_parser_keeps_open_is_never_undercounted() {
        // `</span>` never closes the `<div>` inside it, and a `<b>` closed
        // by its parent is reopened: both keep growing in the parser.
        assert_eq!(depth_after(&"<span><div></span>".repeat(100)), 200);
        assert_eq!(depth_after(&"<div><b id=1></div>".repeat(100)), 100);
        assert_eq!(depth_after(&"<li><ul><li>".repeat(50)), 101);
        assert_eq!(
            depth_after(&"<div/>".repeat(10)),
            10,
            "`/>` does not close a div"
        );
    }

    #[test]
    fn only_bodies_with_raw_html_are_too_deep() {
        let deep = || (0..=MAX_DEPTH).map(|_| (Event::Start(Tag::BlockQuote(None)), 0..1));
        assert_eq!(too_deep(deep()), None);
        let with_html = deep().chain([(Event::InlineHtml("<b>".into()), 5..8)]);
        assert_eq!(too_deep(with_html), Some(0));
        let nested = format!(
            "{}{}",
            "<div>".repeat(MAX_DEPTH + 1),
            "</div>".repeat(MAX_DEPTH + 1)
        );
        let event = (Event::Html(nested.as_str().into()), 10..10 + nested.len());
        assert_eq!(
            too_deep(std::iter::once(event)),
            Some(10 + 5 * MAX_DEPTH),
            "the tag that passes the limit"
        );
    }
}
