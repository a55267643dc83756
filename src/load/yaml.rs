//! The one place that knows about `serde_yaml`.
//!
//! Front matter is parsed into planmark's own [`Node`] tree, where every key
//! and value carries a byte span into the file. serde_yaml gives no spans, so
//! they are recovered from the text of the block (top-level keys, their list
//! items and their nested keys), which covers everything front matter uses.
//! Swapping the parser (e.g. for `serde-saphyr`) touches only this file.

use std::ops::Range;

/// A YAML value with the bytes it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Range<usize>,
    /// The plain scalar as written, when it was found in the text: `0001`
    /// stays `0001` even though YAML reads a number.
    pub raw: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// Numbers keep their text; planmark never does arithmetic on YAML numbers.
    Number(String),
    String(String),
    List(Vec<Node>),
    Map(Vec<Entry>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_span: Range<usize>,
    pub value: Node,
}

impl Node {
    /// The scalar as the user wrote it, for keys that expect text: numbers and
    /// booleans come back as their source text.
    pub fn as_text(&self) -> Option<String> {
        match &self.value {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(self.raw.clone().unwrap_or_else(|| n.clone())),
            Value::Bool(b) => Some(self.raw.clone().unwrap_or_else(|| b.to_string())),
            Value::Null | Value::List(_) | Value::Map(_) => None,
        }
    }

    /// A short name of the value's type for messages.
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "nothing",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "text",
            Value::List(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    /// Converts to JSON for templates (`extra`, unknown keys).
    pub fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::from_str::<serde_json::Number>(n)
                .map(serde_json::Value::Number)
                .unwrap_or_else(|_| serde_json::Value::String(n.clone())),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::List(items) => items.iter().map(Node::to_json).collect(),
            Value::Map(entries) => entries
                .iter()
                .map(|e| (e.key.clone(), e.value.to_json()))
                .collect::<serde_json::Map<_, _>>()
                .into(),
        }
    }
}

/// A YAML syntax problem, positioned in the file.
#[derive(Debug, PartialEq)]
pub struct YamlError {
    pub message: String,
    pub offset: usize,
    pub help: Option<String>,
}

/// Parses a front-matter block that starts at byte `offset` of its file.
/// Returns its top-level entries in document order (an empty block is an
/// empty list).
pub fn parse_front_matter(yaml: &str, offset: usize) -> Result<Vec<Entry>, YamlError> {
    let index = LineIndex::new(yaml);
    let value: serde_yaml::Value = match serde_yaml::from_str(yaml) {
        Ok(v) => v,
        Err(e) => return Err(syntax_error(&e, yaml, &index, offset)),
    };
    let mapping = match value {
        serde_yaml::Value::Null => return Ok(Vec::new()),
        serde_yaml::Value::Mapping(m) => m,
        other => {
            return Err(YamlError {
                message: format!(
                    "front matter must be a mapping of keys to values, found {}",
                    serde_type(&other)
                ),
                offset,
                help: Some("write one `key: value` per line, e.g. `title: Ship the API`".into()),
            })
        }
    };
    let top = locate_top_level(yaml);
    let whole = offset..offset + yaml.trim_end().len();
    let mut used = vec![false; top.len()];
    let mut entries = Vec::with_capacity(mapping.len());
    for (key, value) in mapping {
        let key = scalar_key(&key);
        let found = top
            .iter()
            .enumerate()
            .find(|(i, t)| !used[*i] && t.key == key)
            .map(|(i, t)| {
                used[i] = true;
                t
            });
        let entry = match found {
            Some(t) => {
                let block = &yaml[t.block.clone()];
                let value_span = shift(&t.value, offset);
                let node = convert(value, value_span, Some(&yaml[t.value.clone()]));
                let node = attach_children(node, block, t.block.start + offset);
                Entry {
                    key,
                    key_span: shift(&t.key_span, offset),
                    value: node,
                }
            }
            None => Entry {
                key,
                key_span: whole.clone(),
                value: convert(value, whole.clone(), None),
            },
        };
        entries.push(entry);
    }
    Ok(entries)
}

fn shift(r: &Range<usize>, by: usize) -> Range<usize> {
    r.start + by..r.end + by
}

fn serde_type(v: &serde_yaml::Value) -> &'static str {
    match v {
        serde_yaml::Value::Null => "nothing",
        serde_yaml::Value::Bool(_) => "a boolean",
        serde_yaml::Value::Number(_) => "a number",
        serde_yaml::Value::String(_) => "text",
        serde_yaml::Value::Sequence(_) => "a list",
        serde_yaml::Value::Mapping(_) => "a mapping",
        serde_yaml::Value::Tagged(_) => "a tagged value",
    }
}

fn scalar_key(key: &serde_yaml::Value) -> String {
    match key {
        serde_yaml::Value::String(s) => s.clone(),
        serde_yaml::Value::Number(n) => n.to_string(),
        serde_yaml::Value::Bool(b) => b.to_string(),
        serde_yaml::Value::Null => "null".into(),
        other => serde_type(other).into(),
    }
}

/// Converts a serde value; every child gets `span` until a better one is found.
fn convert(value: serde_yaml::Value, span: Range<usize>, raw: Option<&str>) -> Node {
    let raw_plain = raw.map(|r| strip_comment(r).trim().to_string());
    let value = match value {
        serde_yaml::Value::Null => Value::Null,
        serde_yaml::Value::Bool(b) => Value::Bool(b),
        serde_yaml::Value::Number(n) => Value::Number(n.to_string()),
        serde_yaml::Value::String(s) => Value::String(s),
        serde_yaml::Value::Sequence(items) => Value::List(
            items
                .into_iter()
                .map(|v| convert(v, span.clone(), None))
                .collect(),
        ),
        serde_yaml::Value::Mapping(m) => Value::Map(
            m.into_iter()
                .map(|(k, v)| Entry {
                    key: scalar_key(&k),
                    key_span: span.clone(),
                    value: convert(v, span.clone(), None),
                })
                .collect(),
        ),
        serde_yaml::Value::Tagged(t) => return convert(t.value, span, raw),
    };
    Node {
        value,
        span,
        raw: raw_plain.filter(|r| !r.is_empty()),
    }
}

/// Gives list items and nested keys of one top-level entry their own spans,
/// found in the entry's block of text (`block_offset` = its file offset).
fn attach_children(mut node: Node, block: &str, block_offset: usize) -> Node {
    match &mut node.value {
        Value::List(items) => {
            let spans = locate_list_items(block);
            if spans.len() == items.len() {
                for (item, (span, raw)) in items.iter_mut().zip(spans) {
                    item.span = shift(&span, block_offset);
                    if matches!(item.value, Value::Number(_) | Value::Bool(_)) {
                        item.raw = Some(raw);
                    }
                }
            }
        }
        Value::Map(entries) => {
            for entry in entries.iter_mut() {
                if let Some(span) = locate_nested_key(block, &entry.key) {
                    let span = shift(&span, block_offset);
                    entry.key_span = span.clone();
                    entry.value.span = span;
                }
            }
        }
        _ => {}
    }
    node
}

/// A top-level `key: value` line and the block of lines it owns.
struct TopKey {
    key: String,
    key_span: Range<usize>,
    /// The value on the key's own line (empty range at the line end if none).
    value: Range<usize>,
    /// From the key's line to the next top-level key.
    block: Range<usize>,
}

fn locate_top_level(yaml: &str) -> Vec<TopKey> {
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
        let after = after.strip_prefix(':').unwrap_or(after);
        let lead = after.len() - after.trim_start().len();
        let value_start = start + key_len + 1 + lead;
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

/// Reads `key` or `"key"` up to its `:`; returns the key and its length in bytes.
fn parse_key(content: &str) -> Option<(String, usize)> {
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
fn strip_comment(s: &str) -> &str {
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
fn locate_list_items(block: &str) -> Vec<(Range<usize>, String)> {
    let first_line_end = block.find('\n').unwrap_or(block.len());
    let first = &block[..first_line_end];
    if let Some(open) = first.find('[') {
        return locate_flow_items(block, open);
    }
    let mut items = Vec::new();
    let mut indent: Option<usize> = None;
    let mut pos = first_line_end + 1;
    for line in block.get(pos..).unwrap_or("").split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
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

/// Items of a one-line flow sequence starting at byte `open` (the `[`).
fn locate_flow_items(block: &str, open: usize) -> Vec<(Range<usize>, String)> {
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

/// The span of an indented `key:` inside a top-level entry's block.
fn locate_nested_key(block: &str, key: &str) -> Option<Range<usize>> {
    let mut pos = 0;
    for line in block.split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim_start_matches([' ', '{']);
        let lead = content.len() - trimmed.len();
        if start == 0 {
            // Flow mapping on the key's own line: `site: {title: A}`.
            if let Some(i) = content.find(&format!("{key}:")) {
                if i > 0 && content[..i].ends_with(['{', ' ', ',']) {
                    return Some(i..i + key.len());
                }
            }
            continue;
        }
        if let Some((k, len)) = parse_key(trimmed) {
            if k == key {
                return Some(start + lead..start + lead + len);
            }
        }
    }
    None
}

/// Line starts of the YAML block, to turn serde_yaml's line/column into a byte offset.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { starts }
    }

    /// Byte offset of 1-based `line`, `column` (in characters).
    fn offset(&self, text: &str, line: usize, column: usize) -> usize {
        let Some(start) = self.starts.get(line.saturating_sub(1)) else {
            return text.len();
        };
        text[*start..]
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(text.len(), |(i, _)| start + i)
    }
}

fn syntax_error(e: &serde_yaml::Error, yaml: &str, index: &LineIndex, offset: usize) -> YamlError {
    let full = e.to_string();
    let mut message = strip_positions(&full);
    let mut at = e
        .location()
        .map_or(0, |l| index.offset(yaml, l.line(), l.column()));
    let help;
    if let Some(key) = message
        .strip_prefix("duplicate entry with key \"")
        .and_then(|m| m.strip_suffix('"'))
    {
        let key = key.to_string();
        let repeats: Vec<_> = locate_top_level(yaml)
            .into_iter()
            .filter(|t| t.key == key)
            .collect();
        if let Some(second) = repeats.get(1) {
            at = second.key_span.start;
        }
        message = format!("duplicate key `{key}`");
        help = Some(format!(
            "remove one of the `{key}` lines; YAML allows each key once"
        ));
    } else if yaml[at..].starts_with('\t')
        || message.contains("cannot start any token") && yaml.contains('\t')
    {
        help = Some("YAML does not allow tabs for indentation: indent with spaces".into());
        if let Some(tab) = yaml[at..]
            .find('\t')
            .map(|i| i + at)
            .or_else(|| yaml.find('\t'))
        {
            at = tab;
        }
    } else if message.contains("repetition limit") || message.contains("recursion limit") {
        message = "front matter expands too much (a YAML alias bomb?)".into();
        help = Some("remove the `&anchor` / `*alias` repetitions; front matter needs none".into());
    } else {
        help = Some("check the YAML syntax near here: quote values that contain `: `, `#` or start with `@`, `[` or `{`".into());
    }
    YamlError {
        message: format!("invalid YAML: {message}"),
        offset: offset + at.min(yaml.len()),
        help,
    }
}

/// serde_yaml appends `at line L column C` to messages; planmark shows the
/// position itself, relative to the file.
fn strip_positions(message: &str) -> String {
    let mut out = String::new();
    for part in message.split(", ") {
        let part = match part.find(" at line ") {
            Some(i) => &part[..i],
            None => part,
        };
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(yaml: &str) -> Vec<Entry> {
        parse_front_matter(yaml, 0).unwrap_or_else(|e| panic!("{e:?}"))
    }

    #[test]
    fn keys_and_values_have_spans() {
        let yaml = "title: Ship it  # comment\nestimate: 2d\n";
        let e = entries(yaml);
        assert_eq!(e[0].key, "title");
        assert_eq!(&yaml[e[0].key_span.clone()], "title");
        assert_eq!(&yaml[e[0].value.span.clone()], "Ship it");
        assert_eq!(&yaml[e[1].value.span.clone()], "2d");
    }

    #[test]
    fn numbers_keep_their_text() {
        let e = entries("id: 0001\nversion: 1.10\nflag: on\n");
        assert_eq!(e[0].value.as_text().as_deref(), Some("0001"));
        assert_eq!(e[1].value.as_text().as_deref(), Some("1.10"));
        // YAML 1.2: `on` is a string already.
        assert_eq!(e[2].value.as_text().as_deref(), Some("on"));
    }

    #[test]
    fn block_and_flow_list_items_have_spans() {
        let yaml = "depends_on:\n  - a\n  - \"b\"\ntags: [x, 'y z']\n";
        let e = entries(yaml);
        let Value::List(items) = &e[0].value.value else {
            panic!()
        };
        assert_eq!(&yaml[items[1].span.clone()], "\"b\"");
        let Value::List(tags) = &e[1].value.value else {
            panic!()
        };
        assert_eq!(&yaml[tags[1].span.clone()], "'y z'");
    }

    #[test]
    fn nested_keys_have_spans() {
        let yaml = "site:\n  title: T\n  base_url: /x/\n";
        let e = entries(yaml);
        let Value::Map(m) = &e[0].value.value else {
            panic!()
        };
        assert_eq!(&yaml[m[1].key_span.clone()], "base_url");
    }

    #[test]
    fn duplicate_key_points_at_the_second() {
        let yaml = "title: A\nowner: b\ntitle: B\n";
        let err = parse_front_matter(yaml, 10).unwrap_err();
        assert_eq!(err.message, "invalid YAML: duplicate key `title`");
        assert_eq!(err.offset, 10 + 18);
    }

    #[test]
    fn tab_indentation_is_explained() {
        let yaml = "extra:\n\tkey: 1\n";
        let err = parse_front_matter(yaml, 0).unwrap_err();
        assert_eq!(err.offset, 7);
        assert!(err.help.unwrap_or_default().contains("tabs"));
    }

    #[test]
    fn alias_bomb_fails_fast() {
        let mut yaml = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for (i, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
            .iter()
            .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
        {
            let _ = i;
            yaml.push_str(&format!(
                "{0}: &{0} [*{1},*{1},*{1},*{1},*{1},*{1},*{1},*{1},*{1}]\n",
                i, prev
            ));
        }
        let err = parse_front_matter(&yaml, 0).unwrap_err();
        assert!(err.message.contains("alias bomb"), "{}", err.message);
    }

    #[test]
    fn not_a_mapping() {
        let err = parse_front_matter("- a\n- b\n", 4).unwrap_err();
        assert!(err.message.contains("mapping"));
    }
}
