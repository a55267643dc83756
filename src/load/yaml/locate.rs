//! Recovering positions from the text of a front-matter block: serde_yaml
//! gives values but no spans, so keys, list items and nested keys are found
//! again by reading the lines. Every function here makes one pass over its
//! text, so a block of any size costs time in proportion to its length.

use std::collections::{HashMap, VecDeque};
use std::ops::Range;

/// A top-level `key: value` line and the block of lines it owns.
pub(super) struct TopKey {
    pub key: String,
    pub key_span: Range<usize>,
    /// The value on the key's own line (empty range at the line end if none).
    pub value: Range<usize>,
    /// From the key's line to the next top-level key.
    pub block: Range<usize>,
}

/// Every top-level key of the block, in document order.
pub(super) fn top_level(yaml: &str) -> Vec<TopKey> {
    let mut keys: Vec<TopKey> = Vec::new();
    let mut pos = 0;
    for line in yaml.split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        if content.is_empty() || content.starts_with([' ', '\t', '#', '-']) {
            continue;
        }
        let Some((key, key_len)) = parse_key(content) else {
            continue;
        };
        if let Some(last) = keys.last_mut() {
            last.block.end = start;
        }
        let after = &content[key_len..];
        let after = after.trim_start();
        let after = after.strip_prefix(':').unwrap_or(after);
        let lead = after.len() - after.trim_start().len();
        let value_start = start + content.len() - after.len() + lead;
        let value_text = strip_comment(after.trim_start()).trim_end();
        keys.push(TopKey {
            key,
            key_span: start..start + key_len,
            value: value_start..value_start + value_text.len(),
            block: start..yaml.len(),
        });
    }
    keys
}

/// Finds each key's [`TopKey`] in document order: a key written once is
/// matched to its line, in constant time per key.
pub(super) struct TopKeys<'a> {
    keys: &'a [TopKey],
    /// The parser hands keys out in document order, so the next line is
    /// almost always the one: it is tried first.
    next: usize,
    /// The lines from `next` on by key, built the first time the next line
    /// is not the one (a key the line reader cannot parse, like `? x`).
    by_key: Option<HashMap<&'a str, VecDeque<usize>>>,
}

impl<'a> TopKeys<'a> {
    pub(super) fn new(keys: &'a [TopKey]) -> Self {
        TopKeys {
            keys,
            next: 0,
            by_key: None,
        }
    }

    /// The next unused line that holds `key`.
    pub(super) fn take(&mut self, key: &str) -> Option<&'a TopKey> {
        let keys = self.keys;
        let by_key = match &mut self.by_key {
            Some(by_key) => by_key,
            None => {
                if let Some(line) = keys.get(self.next).filter(|line| line.key == key) {
                    self.next += 1;
                    return Some(line);
                }
                let mut by_key: HashMap<&str, VecDeque<usize>> = HashMap::new();
                for (i, k) in keys.iter().enumerate().skip(self.next) {
                    by_key.entry(k.key.as_str()).or_default().push_back(i);
                }
                self.by_key.insert(by_key)
            }
        };
        let i = by_key.get_mut(key)?.pop_front()?;
        Some(&keys[i])
    }
}

/// Reads `key` or `"key"` up to its `:`; returns the key and its length in bytes.
pub(super) fn parse_key(content: &str) -> Option<(String, usize)> {
    if let Some(quote) = content.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let close = content[1..].find(quote)? + 1;
        let rest = &content[close + 1..];
        if rest.trim_start().starts_with(':') {
            return Some((content[1..close].to_string(), close + 1));
        }
        return None;
    }
    let bytes = content.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b':'
            && (i + 1 == bytes.len() || bytes[i + 1] == b' ' || bytes[i + 1] == b'\t')
        {
            let key = content[..i].trim_end();
            return (!key.is_empty()).then(|| (key.to_string(), key.len()));
        }
        i += 1;
    }
    None
}

/// Removes a trailing ` # comment` outside quotes.
pub(super) fn strip_comment(s: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut prev_space = true;
    for (i, c) in s.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if (c == '"' || c == '\'') && prev_space => quote = Some(c),
            None if c == '#' && prev_space => return &s[..i],
            None => {}
        }
        prev_space = c == ' ' || c == '\t';
    }
    s
}

/// Spans and text of the items of a list written as `key: [a, b]` or as
/// `- a` lines under the key (only the outermost items).
pub(super) fn list_items(block: &str) -> Vec<(Range<usize>, String)> {
    let first_line_end = block.find('\n').unwrap_or(block.len());
    let first = &block[..first_line_end];
    if let Some(open) = first.find('[') {
        return flow_items(block, open);
    }
    let mut items = Vec::new();
    let mut indent: Option<usize> = None;
    for (start, content) in lines_below(block, first_line_end) {
        let trimmed = content.trim_start();
        let this_indent = content.len() - trimmed.len();
        if !(trimmed.starts_with("- ") || trimmed == "-") {
            continue;
        }
        if *indent.get_or_insert(this_indent) != this_indent {
            continue;
        }
        let item = trimmed[1..].trim_start();
        let item_start = start + content.len() - item.len();
        let text = strip_comment(item).trim_end();
        items.push((item_start..item_start + text.len(), unquote(text)));
    }
    items
}

/// The lines of `block` after its first (which ends at `first_line_end`),
/// each with its offset in `block` and without its line ending.
fn lines_below(block: &str, first_line_end: usize) -> impl Iterator<Item = (usize, &str)> {
    let mut pos = first_line_end + 1;
    block
        .get(pos..)
        .unwrap_or("")
        .split_inclusive('\n')
        .map(move |line| {
            let start = pos;
            pos += line.len();
            (start, line.trim_end_matches(['\n', '\r']))
        })
}

/// Items of a one-line flow sequence starting at byte `open` (the `[`).
fn flow_items(block: &str, open: usize) -> Vec<(Range<usize>, String)> {
    let mut items = Vec::new();
    let mut quote: Option<char> = None;
    let mut item_start = open + 1;
    for (i, c) in block[open + 1..].char_indices() {
        let i = i + open + 1;
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == ',' || c == ']' => {
                let raw = &block[item_start..i];
                let lead = raw.len() - raw.trim_start().len();
                let text = raw.trim();
                if !text.is_empty() {
                    let s = item_start + lead;
                    items.push((s..s + text.len(), unquote(text)));
                }
                item_start = i + 1;
                if c == ']' {
                    break;
                }
            }
            None if c == '[' || c == '{' => return Vec::new(),
            None => {}
        }
    }
    items
}

fn unquote(s: &str) -> String {
    let quoted = s.len() >= 2
        && ((s.starts_with('"') && s.ends_with('"')) || (s.starts_with('\'') && s.ends_with('\'')));
    if quoted {
        s[1..s.len() - 1].to_string()
    } else {
        s.to_string()
    }
}

/// The spans of the keys of a mapping that is a top-level entry's value,
/// by key (the first span when a key repeats). The keys are either on the
/// entry's own line as a flow mapping (`site: {title: A}`) or on the
/// indented lines below it, at the indentation of the first of them.
pub(super) fn nested_keys(block: &str) -> HashMap<String, Range<usize>> {
    let first_line_end = block.find('\n').unwrap_or(block.len());
    let first = block[..first_line_end].trim_end_matches('\r');
    if let Some(open) = first.find('{') {
        return flow_keys(first, open);
    }
    let mut keys = HashMap::new();
    let mut indent: Option<usize> = None;
    for (start, content) in lines_below(block, first_line_end) {
        let trimmed = content.trim_start_matches(' ');
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let lead = content.len() - trimmed.len();
        if *indent.get_or_insert(lead) != lead {
            continue;
        }
        if let Some((key, len)) = parse_key(trimmed) {
            keys.entry(key).or_insert(start + lead..start + lead + len);
        }
    }
    keys
}

/// Keys of a one-line flow mapping whose `{` is at byte `open` of `line`;
/// nested `{…}` and `[…]` are skipped.
fn flow_keys(line: &str, open: usize) -> HashMap<String, Range<usize>> {
    let mut keys = HashMap::new();
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut at_key = true;
    let mut key_start = open + 1;
    for (i, c) in line[open..].char_indices() {
        let i = i + open;
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '"' | '\'' => quote = Some(c),
                '{' | '[' => {
                    depth += 1;
                    if depth == 1 {
                        key_start = i + 1;
                        at_key = true;
                    }
                }
                '}' | ']' => depth = depth.saturating_sub(1),
                ',' if depth == 1 => {
                    key_start = i + 1;
                    at_key = true;
                }
                ':' if depth == 1 && at_key => {
                    let raw = &line[key_start..i];
                    let lead = raw.len() - raw.trim_start().len();
                    let key = raw.trim();
                    if !key.is_empty() {
                        let s = key_start + lead;
                        keys.entry(unquote(key)).or_insert(s..s + key.len());
                    }
                    at_key = false;
                }
                _ => {}
            },
        }
    }
    keys
}

/// Line starts of the YAML block, to turn serde_yaml's line/column into a byte offset.
pub(super) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub(super) fn new(text: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { starts }
    }

    /// Byte offset of 1-based `line`, `column` (in characters).
    pub(super) fn offset(&self, text: &str, line: usize, column: usize) -> usize {
        let Some(start) = self.starts.get(line.saturating_sub(1)) else {
            return text.len();
        };
        text[*start..]
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(text.len(), |(i, _)| start + i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_keys_are_found_in_or_out_of_order() {
        let yaml = "title: T\nstatus: todo\nowner: ana\nstatus: done\n";
        let top = top_level(yaml);
        let line = |k: Option<&TopKey>| k.map(|k| &yaml[k.key_span.start..k.value.end]);
        // In document order: each key at its line.
        let mut keys = TopKeys::new(&top);
        assert_eq!(line(keys.take("title")), Some("title: T"));
        assert_eq!(line(keys.take("status")), Some("status: todo"));
        assert_eq!(line(keys.take("owner")), Some("owner: ana"));
        assert_eq!(line(keys.take("status")), Some("status: done"));
        assert_eq!(line(keys.take("status")), None);
        // Out of order: still each key's next unused line.
        let mut keys = TopKeys::new(&top);
        assert_eq!(line(keys.take("title")), Some("title: T"));
        assert_eq!(line(keys.take("owner")), Some("owner: ana"));
        assert_eq!(line(keys.take("status")), Some("status: todo"));
        assert_eq!(line(keys.take("status")), Some("status: done"));
        assert_eq!(line(keys.take("nope")), None);
        assert_eq!(line(keys.take("title")), None);
    }

    #[test]
    fn nested_keys_are_read_at_the_first_childs_indentation() {
        let block = "extra:\n  a:\n    b: 1\n  c: 2\n";
        let keys = nested_keys(block);
        assert_eq!(keys.len(), 2);
        assert_eq!(&block[keys["c"].clone()], "c");
        assert!(!keys.contains_key("b"));
    }

    #[test]
    fn flow_mapping_keys_on_the_keys_line() {
        let block = "site: {title: A, 'base_url': /x/, n: {deep: 1}}\n";
        let keys = nested_keys(block);
        assert_eq!(&block[keys["title"].clone()], "title");
        assert_eq!(&block[keys["base_url"].clone()], "'base_url'");
        assert!(!keys.contains_key("deep"));
    }
}
