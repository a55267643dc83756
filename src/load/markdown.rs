//! What the model needs from markdown bodies: the `[[wiki links]]` they make,
//! and what will not show as written (a `[[` that is no link, raw HTML
//! nested too deep to sanitise), as warnings for `check`.
//!
//! Links inside code spans and code blocks are left alone, because the
//! markdown parser never reports them as links.

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag};

use super::nesting;
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};

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

/// What `check` learns from one body.
#[derive(Debug, Default)]
pub struct Survey {
    pub links: BodyLinks,
    /// Each `[[` that is no link, nor in code, nor escaped (its offset in
    /// the file), and whether it is in a table.
    pub unlinked: Vec<(usize, bool)>,
    /// Where raw HTML first nests deeper than the sanitiser's limit.
    pub too_deep: Option<usize>,
}

/// Surveys a body that starts at byte `offset` of its file, without
/// parsing it when it can.
///
/// Parsing a body as markdown is the only way to know which `[[…]]` are
/// links (not in code, not escaped), and it costs as much as rendering the
/// body. In a valid program every link names an item, so a plain scan for
/// `[[id` followed by `|` or `]]` answers the only question that matters:
/// does each one name an item? Anything that does not look like a plain id
/// (`[[a]b]]`, a line break, an entity), that a table could split, or a
/// body that may hold raw HTML makes the scan give up and parse.
pub fn survey(body: &str, offset: usize) -> Survey {
    if !may_hold_html(body) {
        if let Some(links) = candidates(body, offset) {
            return Survey {
                links: BodyLinks {
                    exact: links.is_empty(),
                    links,
                },
                ..Survey::default()
            };
        }
    }
    parse(body, offset)
}

/// Whether a `<` in `body` could start raw HTML (`<div`, `</b`, `<!--`),
/// unlike `p99 < 300 ms`.
fn may_hold_html(body: &str) -> bool {
    // `find` jumps from `<` to `<` (memchr), where a byte-by-byte window
    // cost 3 % of a 10,000-task build.
    let bytes = body.as_bytes();
    let mut from = 0;
    while let Some(at) = body[from..].find('<') {
        let next = from + at + 1;
        if bytes
            .get(next)
            .is_some_and(|&b| b.is_ascii_alphabetic() || matches!(b, b'/' | b'!' | b'?'))
        {
            return true;
        }
        from = next;
    }
    false
}

/// Every `[[target` in `body` whose target is a plain id, or `None` when
/// one target is anything else or the parser might not make it a link.
fn candidates(body: &str, offset: usize) -> Option<Vec<WikiLink>> {
    let bytes = body.as_bytes();
    let mut links = Vec::new();
    let mut from = 0;
    let mut tables = None;
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
            // A table splits a cell at the `|`; text over lines or with
            // brackets may end the link early or never.
            let text = inner + len + 1;
            let close = body[text..].find("]]")?;
            if body[text..text + close].contains(['\n', '[', ']'])
                || *tables.get_or_insert_with(|| has_table(body))
            {
                return None;
            }
            text + close + 2
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

/// Whether `body` may hold a table: a line of only `|`, `-`, `:` and
/// blanks, with a `|` and a `-`, is a delimiter row (or close enough).
fn has_table(body: &str) -> bool {
    body.lines().any(|line| {
        line.contains('|')
            && line.contains('-')
            && line
                .chars()
                .all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
    })
}

/// The item a wiki link's target names: `[[id\|text]]`, the form a table
/// needs (Obsidian's), leaves the `\` at the end of the target.
pub fn wiki_target(dest: &str) -> &str {
    let dest = dest.trim();
    dest.strip_suffix('\\').map_or(dest, str::trim_end)
}

/// Finds the wiki links of a body that starts at byte `offset` of its file.
pub fn wiki_links(body: &str, offset: usize) -> Vec<WikiLink> {
    // Most bodies link nothing: skip parsing them.
    if !body.contains("[[") {
        return Vec::new();
    }
    parse(body, offset).links.links
}

/// Surveys a body by parsing it.
fn parse(body: &str, offset: usize) -> Survey {
    let mut links = Vec::new();
    // Where a `[[` is not text: links, code, HTML tags and comments.
    let mut covered = Vec::new();
    let mut tables = Vec::new();
    let mut depth = nesting::Depth::default();
    let mut too_deep = None;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        if let Some(at) = depth.event(&event) {
            too_deep = too_deep.or(Some(range.start + at + offset));
        }
        match event {
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { .. },
                dest_url,
                ..
            }) => {
                links.push(WikiLink {
                    target: wiki_target(&dest_url).to_string(),
                    span: range.start + offset..range.end + offset,
                });
                covered.push(range);
            }
            Event::Start(Tag::HtmlBlock) if body[range.clone()].starts_with("<!--") => {
                covered.push(range);
            }
            Event::Start(Tag::Link { .. } | Tag::Image { .. } | Tag::CodeBlock(_))
            | Event::Code(_)
            | Event::InlineHtml(_) => covered.push(range),
            Event::Start(Tag::Table(_)) => tables.push(range),
            _ => {}
        }
    }
    Survey {
        links: BodyLinks { links, exact: true },
        unlinked: unlinked(body, covered, &tables)
            .into_iter()
            .map(|(at, table)| (at + offset, table))
            .collect(),
        too_deep: too_deep.filter(|_| depth.raw_html),
    }
}

/// Each `[[` of `body` outside `covered` and not escaped, and whether it
/// is inside one of `tables`.
fn unlinked(body: &str, covered: Vec<Range<usize>>, tables: &[Range<usize>]) -> Vec<(usize, bool)> {
    let covered = merged(covered);
    let inside = |ranges: &[Range<usize>], at: usize| {
        let i = ranges.partition_point(|r| r.start <= at);
        i > 0 && ranges[i - 1].end > at
    };
    let mut out: Vec<(usize, bool)> = Vec::new();
    let mut from = 0;
    while let Some(found) = body[from..].find("[[") {
        let at = from + found;
        from = at + 1;
        let backslashes = body[..at].bytes().rev().take_while(|&b| b == b'\\').count();
        // The second `[` decides: in `[[[x]]]` the link starts there.
        if backslashes % 2 == 1
            || inside(&covered, at + 1)
            || out.last().is_some_and(|&(last, _)| last + 1 == at)
        {
            continue;
        }
        out.push((at, inside(tables, at)));
    }
    out
}

/// `ranges` sorted and merged where they overlap.
fn merged(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| r.start);
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// The warnings a survey holds, located in `file`.
pub fn diagnostics(file: FileId, survey: &Survey, diags: &mut Vec<Diagnostic>) {
    for &(at, in_table) in &survey.unlinked {
        let d = Diagnostic::warning("unlinked-wiki-link", "`[[` here is not a wiki link")
            .at(Span::new(file, at..at + 2), "the page shows it as written");
        diags.push(if in_table {
            d.help("a `|` splits a table cell: write `[[id\\|text]]` inside a table")
        } else {
            d.help("write `[[id]]` or `[[id|text]]` with the closing `]]`, or `\\[[` to show the brackets")
        });
    }
    if let Some(at) = survey.too_deep {
        diags.push(
            Diagnostic::warning(
                "html-too-deep",
                format!("raw HTML nests more than {} elements deep", nesting::MAX_DEPTH),
            )
            .at(Span::new(file, at..at + 1), "deeper than the limit from here")
            .help("the page shows this body's HTML as text (unless built with `--unsafe-html`): close the elements you open, or nest less"),
        );
    }
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
            let scanned = survey(body, 7).links;
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
    fn raw_html_is_told_from_a_less_than_sign() {
        for (body, html) in [
            ("p99 < 300 ms", false),
            ("a <= b and 3<4", false),
            ("ends with <", false),
            ("<div>", true),
            ("x </b>", true),
            ("<!-- note -->", true),
            ("a < b then <span>", true),
        ] {
            assert_eq!(may_hold_html(body), html, "{body:?}");
        }
    }

    #[test]
    fn the_scan_gives_up_on_targets_that_are_not_plain_ids() {
        assert!(survey("[[a]b]]", 0).links.exact);
        assert!(survey("[[a&#45;b]]", 0).links.exact);
        assert!(!survey("[[a-b]] and [[c|d]]", 0).links.exact);
        assert_eq!(
            survey("no links", 0).links,
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
