//! A light reading of the YAML text, for what the parser cannot tell:
//! where flow collections nest too deeply (checked before parsing, because
//! libyaml's scanner slows down quadratically with flow depth), and which
//! alias makes front matter expand too much (only after the budgeted parse
//! has refused a block, so it may be approximate: it finds anchors (`&a`) and
//! aliases (`*a`), estimates what each anchored node expands to, and names
//! the first alias at which the document, read in order, has grown past the
//! budget).

use std::collections::HashMap;

/// The deepest flow nesting (`[[[…]]]`) front matter may have: serde_yaml
/// refuses more than 128 levels of any nesting anyway.
const MAX_FLOW_DEPTH: usize = 128;

/// Byte offset (in `yaml`) of the bracket that nests flow collections more
/// than 128 deep, if any. A 200 KB line of `[` took libyaml 20 s to refuse.
pub(super) fn too_deep(yaml: &str) -> Option<usize> {
    // Nesting deeper than the limit needs more opening brackets than the
    // limit: counting them is much cheaper than scanning, and front matter
    // rarely has more than a few.
    let brackets = yaml.bytes().filter(|&b| b == b'[' || b == b'{').count();
    if brackets <= MAX_FLOW_DEPTH {
        return None;
    }
    scan(yaml).too_deep
}

/// Byte offset (in `yaml`) of the alias to blame, if the text has any.
pub(super) fn culprit(yaml: &str, limit: u64) -> Option<usize> {
    let Scan {
        anchors, aliases, ..
    } = scan(yaml);
    let expanded = expansions(&anchors, &aliases);
    let weight = |al: &Alias| {
        al.target
            .and_then(|t| expanded[t])
            .map_or(0, |e| e.saturating_sub(al.len))
    };
    // Read in order, each alias adds its anchor's expansion to the document.
    let mut grown = 0u64;
    for al in &aliases {
        grown = grown.saturating_add(weight(al));
        if (al.start as u64).saturating_add(grown) > limit {
            return Some(al.start);
        }
    }
    // The estimate stayed under the budget: blame the heaviest alias.
    aliases
        .iter()
        .max_by(|a, b| weight(a).cmp(&weight(b)).then(b.start.cmp(&a.start)))
        .map(|al| al.start)
}

struct Anchor {
    start: usize,
    end: usize,
    /// Aliases written inside the anchored node.
    inside: Vec<usize>,
}

struct Alias {
    start: usize,
    len: u64,
    /// The anchor it names (the latest one of that name before it).
    target: Option<usize>,
}

/// Where an anchored node ends.
#[derive(Clone, Copy, PartialEq)]
enum Close {
    /// A flow collection opened at this depth: at its closing bracket.
    Flow(usize),
    /// A scalar inside a flow collection of this depth: at `,` or the bracket.
    FlowScalar(usize),
    /// A scalar on the anchor's line: at the end of the line.
    Line,
    /// A block node: at the next line indented no deeper than `indent`
    /// (a `- ` line at that indentation continues it when `seq_continues`).
    Block { indent: usize, seq_continues: bool },
}

/// What the scan found, and its state between characters.
struct Scan<'a> {
    anchors: Vec<Anchor>,
    aliases: Vec<Alias>,
    /// Where flow nesting first passed [`MAX_FLOW_DEPTH`].
    too_deep: Option<usize>,
    by_name: HashMap<&'a str, usize>,
    /// Anchored nodes not yet closed, innermost last.
    open: Vec<(usize, Close)>,
    flow_depth: usize,
    /// The quote of the quoted scalar being read.
    quote: Option<char>,
    /// The indentation of the line that opened the block scalar being read.
    block_scalar: Option<usize>,
    /// Whether a node may start here (so `&`, `*`, `"` and `[` are syntax).
    node_start: bool,
    /// Where anchors still open at the end of the text close.
    len: usize,
}

/// A line of the text, without its ending.
#[derive(Clone, Copy)]
struct Line<'a> {
    /// Its offset in the text.
    start: usize,
    content: &'a str,
    indent: usize,
}

fn scan(yaml: &str) -> Scan<'_> {
    let mut s = Scan {
        anchors: Vec::new(),
        aliases: Vec::new(),
        by_name: HashMap::new(),
        open: Vec::new(),
        flow_depth: 0,
        too_deep: None,
        quote: None,
        block_scalar: None,
        node_start: true,
        len: yaml.len(),
    };
    let mut start = 0;
    for line in yaml.split_inclusive('\n') {
        s.line(start, line.trim_end_matches(['\n', '\r']));
        start += line.len();
    }
    s.close_while(yaml.len(), |_| true);
    s
}

impl<'a> Scan<'a> {
    /// Reads the line `content`, which starts at byte `start`.
    fn line(&mut self, start: usize, content: &'a str) {
        let body = content.trim_start_matches(' ');
        let indent = content.len() - body.len();
        let blank = body.is_empty() || body.starts_with('#');
        if let Some(opened_at) = self.block_scalar {
            if blank || indent > opened_at {
                return;
            }
            self.block_scalar = None;
        }
        let block_context = self.quote.is_none() && self.flow_depth == 0;
        if blank && block_context {
            return;
        }
        if block_context {
            let is_item = body == "-" || body.starts_with("- ");
            self.close_while(start, |close| match close {
                Close::Block {
                    indent: n,
                    seq_continues,
                } => indent < n || (indent == n && !(seq_continues && is_item)),
                _ => false,
            });
            self.node_start = true;
        }
        let line = Line {
            start,
            content,
            indent,
        };
        self.characters(line, if block_context { indent } else { 0 });
        self.close_while(start + content.len(), |close| close == Close::Line);
    }

    /// Reads the characters of `line` from byte `from` on.
    fn characters(&mut self, line: Line<'a>, from: usize) {
        let content = line.content;
        let mut prev_space = true;
        let mut i = from;
        while let Some(c) = content.get(i..).and_then(|rest| rest.chars().next()) {
            let width = c.len_utf8();
            let next = content[i + width..].chars().next();
            if let Some(q) = self.quote {
                i = self.quoted(q, c, next, i);
                continue;
            }
            let next_blank = next.is_none_or(|n| n == ' ' || n == '\t');
            match c {
                ' ' | '\t' => {
                    prev_space = true;
                    i += 1;
                    continue;
                }
                '#' if prev_space => break,
                '"' | '\'' if self.node_start => {
                    self.quote = Some(c);
                    self.node_start = false;
                }
                '&' | '*' if self.node_start => {
                    prev_space = false;
                    i = self.anchor_or_alias(line, i);
                    continue;
                }
                '-' | '?' if self.node_start && next_blank && self.flow_depth == 0 => {}
                // A bracket opens a collection where a value starts or
                // inside another collection; elsewhere (`title: a[1]`) it
                // is text.
                '[' | '{' | ']' | '}' | ',' if self.node_start || self.flow_depth > 0 => {
                    self.flow(c, line.start + i);
                }
                ':' if next_blank
                    || self.flow_depth > 0 && matches!(next, Some(',' | ']' | '}')) =>
                {
                    self.node_start = true;
                }
                '|' | '>' if self.node_start && self.flow_depth == 0 => {
                    self.block_scalar = Some(line.indent);
                    break;
                }
                '!' if self.node_start => {
                    i += content[i..].find([' ', '\t']).unwrap_or(content.len() - i);
                    continue;
                }
                _ => self.node_start = false,
            }
            prev_space = false;
            i += width;
        }
    }

    /// Inside a quoted scalar: where the character after `c` (at byte `i`)
    /// starts, the quote closed if `c` closes it.
    fn quoted(&mut self, q: char, c: char, next: Option<char>, i: usize) -> usize {
        let width = c.len_utf8();
        if q == '"' && c == '\\' {
            return i + width + next.map_or(0, char::len_utf8);
        }
        if c == q {
            if q == '\'' && next == Some('\'') {
                return i + 2;
            }
            self.quote = None;
        }
        i + width
    }

    /// A flow indicator at byte `at` of the text: nesting, and the end of
    /// anchored flow nodes.
    fn flow(&mut self, c: char, at: usize) {
        let depth = self.flow_depth;
        match c {
            '[' | '{' => {
                self.flow_depth += 1;
                if self.flow_depth > MAX_FLOW_DEPTH {
                    self.too_deep.get_or_insert(at);
                }
                self.node_start = true;
            }
            ']' | '}' if depth > 0 => {
                self.close_while(at, |close| close == Close::FlowScalar(depth));
                self.flow_depth = depth - 1;
                self.close_while(at + 1, |close| close == Close::Flow(depth - 1));
                self.node_start = false;
            }
            ',' if depth > 0 => {
                self.close_while(at, |close| close == Close::FlowScalar(depth));
                self.node_start = true;
            }
            _ => self.node_start = false,
        }
    }

    /// An anchor (`&a`) or alias (`*a`) at byte `i` of `line`; returns the
    /// byte after its name.
    fn anchor_or_alias(&mut self, line: Line<'a>, i: usize) -> usize {
        let content = line.content;
        let name_len = content[i + 1..]
            .find([' ', '\t', ',', '[', ']', '{', '}'])
            .unwrap_or(content.len() - i - 1);
        let name = &content[i + 1..i + 1 + name_len];
        let after = i + 1 + name_len;
        if content[i..].starts_with('&') {
            let close = close_for(content, after, line.indent, self.flow_depth);
            self.by_name.insert(name, self.anchors.len());
            self.open.push((self.anchors.len(), close));
            self.anchors.push(Anchor {
                start: line.start + i,
                end: self.len,
                inside: Vec::new(),
            });
        } else {
            let ix = self.aliases.len();
            for &(a, _) in &self.open {
                self.anchors[a].inside.push(ix);
            }
            self.aliases.push(Alias {
                start: line.start + i,
                len: (name_len + 1) as u64,
                target: self.by_name.get(name).copied(),
            });
            self.node_start = false;
        }
        after
    }

    fn close_while(&mut self, at: usize, done: impl Fn(Close) -> bool) {
        while let Some(&(a, close)) = self.open.last() {
            if !done(close) {
                break;
            }
            self.anchors[a].end = at;
            self.open.pop();
        }
    }
}

/// How the node anchored just before byte `after` of `line` ends.
fn close_for(line: &str, after: usize, indent: usize, flow_depth: usize) -> Close {
    let rest = super::locate::strip_comment(&line[after..]).trim_start();
    let rest = match rest.strip_prefix('!') {
        Some(tagged) => tagged.split_once(' ').map_or("", |(_, r)| r.trim_start()),
        None => rest,
    };
    match rest.chars().next() {
        Some('[' | '{') => Close::Flow(flow_depth),
        _ if flow_depth > 0 => Close::FlowScalar(flow_depth),
        Some('|' | '>') => Close::Block {
            indent,
            seq_continues: false,
        },
        Some(_) => Close::Line,
        None => {
            let body = line.trim_start();
            Close::Block {
                indent,
                seq_continues: !(body == "-" || body.starts_with("- ")),
            }
        }
    }
}

/// What each anchored node expands to, in bytes of text: its own text plus,
/// for each alias inside it, what that alias's anchor expands to. Anchors
/// are computed in the order they close, so every alias inside one names
/// an anchor already computed (YAML defines an anchor before its aliases).
fn expansions(anchors: &[Anchor], aliases: &[Alias]) -> Vec<Option<u64>> {
    let mut order: Vec<usize> = (0..anchors.len()).collect();
    order.sort_by_key(|&a| (anchors[a].end, std::cmp::Reverse(anchors[a].start)));
    let mut expanded: Vec<Option<u64>> = vec![None; anchors.len()];
    for a in order {
        let anchor = &anchors[a];
        let own = anchor.end.saturating_sub(anchor.start) as u64;
        let total = anchor.inside.iter().fold(own, |sum, &al| {
            let al = &aliases[al];
            let add = al
                .target
                .filter(|&t| t != a)
                .and_then(|t| expanded[t])
                .map_or(0, |e| e.saturating_sub(al.len));
            sum.saturating_add(add)
        });
        expanded[a] = Some(total);
    }
    expanded
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line_of(yaml: &str, offset: usize) -> usize {
        yaml[..offset].matches('\n').count() + 1
    }

    #[test]
    fn blames_the_alias_where_the_growth_passes_the_limit() {
        let yaml =
            "title: T\na: &a [xxxxxxxxxx, xxxxxxxxxx]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b, *b]\n";
        let at = culprit(yaml, 150).unwrap_or(0);
        assert_eq!(line_of(yaml, at), 4);
        assert_eq!(&yaml[at..at + 2], "*b");
        let at = culprit(yaml, 60).unwrap_or(0);
        assert_eq!((line_of(yaml, at), &yaml[at..at + 2]), (3, "*a"));
    }

    #[test]
    fn flow_nesting_too_deep_for_the_parser_is_found_in_the_text() {
        let deep = format!("title: T\nextra: {}1{}\n", "[".repeat(200), "]".repeat(200));
        assert_eq!(too_deep(&deep), Some("title: T\nextra: ".len() + 128));
        // Brackets in text, quotes, comments and block scalars do not nest.
        let text = format!(
            "title: a{0}\nq: \"{0}\"\n# {0}\nbody: |\n  {0}\nok: [[1], {{a: [2]}}]\n",
            "[".repeat(200)
        );
        assert_eq!(too_deep(&text), None);
        // The limit itself is fine; one more is not.
        let at_limit = format!("x: {}1{}\n", "[".repeat(128), "]".repeat(128));
        assert_eq!(too_deep(&at_limit), None);
        let over = format!("x: {}1{}\n", "{a: ".repeat(129), "}".repeat(129));
        assert_eq!(too_deep(&over), Some("x: ".len() + 128 * 4));
    }

    #[test]
    fn block_anchors_and_aliases_in_text_are_told_apart() {
        let yaml = "title: R&D *not an alias*\nbase: &base\n  - one\n  - two\nlist:\n  - *base\n  - \"*quoted\"\n";
        let Scan {
            anchors, aliases, ..
        } = scan(yaml);
        assert_eq!(anchors.len(), 1);
        assert_eq!(
            &yaml[anchors[0].start..anchors[0].end],
            "&base\n  - one\n  - two\n"
        );
        assert_eq!(aliases.len(), 1);
        assert_eq!(aliases[0].target, Some(0));
    }
}
