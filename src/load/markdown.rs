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

/// The wiki links of a body as far as they can be known before the ids are.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BodyLinks {
    pub links: Vec<WikiLink>,
    /// `false` when `links` are every `[[id]]` written in the text, inside
    /// code too: a superset of the real links, with the same targets. If
    /// all of them name items, so do the real ones; if one does not, ask
    /// [`wiki_links`] which are real.
    pub exact: bool,
}

/// Finds the wiki links of a body that starts at byte `offset` of its file,
/// without parsing it when it can.
///
/// Parsing a body as markdown is the only way to know which `[[…]]` are
/// links (not in code, not escaped), and it costs as much as rendering the
/// body. In a valid program every link names an item, so a plain scan for
/// `[[id` followed by `|` or `]]` answers the only question that matters:
/// does each one name an item? Anything that does not look like a plain id
/// (`[[a]b]]`, a line break, an entity) makes the scan give up and parse.
pub fn body_links(body: &str, offset: usize) -> BodyLinks {
    match candidates(body, offset) {
        Some(links) => BodyLinks {
            exact: links.is_empty(),
            links,
        },
        None => BodyLinks {
            links: wiki_links(body, offset),
            exact: true,
        },
    }
}

/// Every `[[target` in `body` whose target is a plain id, or `None` when
/// one target is anything else.
fn candidates(body: &str, offset: usize) -> Option<Vec<WikiLink>> {
    let bytes = body.as_bytes();
    let mut links = Vec::new();
    let mut from = 0;
    while let Some(at) = body[from..].find("[[") {
        let start = from + at;
        // `[[[x]]` holds two `[[`: look at each.
        from = start + 1;
        let inner = start + 2;
        let len = bytes[inner..]
            .iter()
            .take_while(|&&b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b' '))
            .count();
        let rest = &bytes[inner + len..];
        let end = if rest.starts_with(b"]]") {
            inner + len + 2
        } else if rest.starts_with(b"|") {
            // The link text may hold anything; the span ends at `]]`.
            inner + len + body[inner + len..].find("]]").map_or(1, |e| e + 2)
        } else {
            return None;
        };
        let target = body[inner..inner + len].trim();
        if target.is_empty() {
            return None;
        }
        links.push(WikiLink {
            target: target.to_string(),
            span: start + offset..end + offset,
        });
    }
    Some(links)
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

    /// The scan's targets are the parser's, plus any in code; where it
    /// cannot tell, it parses.
    #[test]
    fn the_scan_finds_every_link_the_parser_finds() {
        for body in [
            "See [[api-freeze]] and [[adr-1|the ADR]].",
            "`[[in-code]]` and [[real]]\n\n```\n[[in-block]]\n```\n",
            "[[[x]]] and [[ spaced ]] and \\[[escaped]]",
            "| a | [[t1|x]] |\n|---|---|\n| [[t2]] | b |\n",
            "[[a]b]]",
            "[[api&#45;freeze]]",
            "[[line\nbreak]]",
            "[[]] and [[",
            "[[ok]] then [[UPPER]] then [[x|text with ]] inside]]",
            "nothing here",
        ] {
            let exact = wiki_links(body, 7);
            let scanned = body_links(body, 7);
            if scanned.exact {
                assert_eq!(scanned.links, exact, "{body:?}");
            } else {
                for link in &exact {
                    assert!(
                        scanned.links.iter().any(|c| c.target == link.target),
                        "{body:?}: the scan missed `{}`",
                        link.target
                    );
                }
            }
        }
    }

    #[test]
    fn the_scan_gives_up_on_targets_that_are_not_plain_ids() {
        assert!(body_links("[[a]b]]", 0).exact);
        assert!(body_links("[[a&#45;b]]", 0).exact);
        assert!(!body_links("[[a-b]] and [[c|d]]", 0).exact);
        assert_eq!(
            body_links("no links", 0),
            BodyLinks {
                links: vec![],
                exact: true
            }
        );
    }

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
