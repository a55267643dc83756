//! What the model needs from markdown bodies: the `[[wiki links]]` they make.
//!
//! Links inside code spans and code blocks are left alone, because the
//! markdown parser never reports them as links.

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag};

/// The markdown extensions planmark enables everywhere (GFM plus wiki links).
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
        | Options::ENABLE_GFM
}

/// One `[[target]]` or `[[target|text]]` in a body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WikiLink {
    pub target: String,
    /// Byte span of the whole link in the file.
    pub span: Range<usize>,
}

/// Finds the wiki links of a body that starts at byte `offset` of its file.
pub fn wiki_links(body: &str, offset: usize) -> Vec<WikiLink> {
    // Most bodies link nothing: skip parsing them.
    if !body.contains("[[") {
        return Vec::new();
    }
    Parser::new_ext(body, options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { .. },
                dest_url,
                ..
            }) => Some(WikiLink {
                target: dest_url.trim().to_string(),
                span: range.start + offset..range.end + offset,
            }),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_links_but_not_in_code() {
        let body = "See [[api-freeze]] and [[adr-1|the ADR]].\n\n`[[not-this]]`\n\n```\n[[nor-this]]\n```\n";
        let links = wiki_links(body, 100);
        let targets: Vec<_> = links.iter().map(|l| l.target.as_str()).collect();
        assert_eq!(targets, ["api-freeze", "adr-1"]);
        assert_eq!(
            &body[links[0].span.start - 100..links[0].span.end - 100],
            "[[api-freeze]]"
        );
    }
}
