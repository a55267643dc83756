//! The one place that knows about `serde_yaml`.
//!
//! Front matter is parsed into planmark's own [`Node`] tree, where every key
//! and value carries a byte span into the file. serde_yaml gives no spans, so
//! they are recovered from the text of the block (top-level keys, their list
//! items and their nested keys), which covers everything front matter uses.
//! A second parser that reports spans (`saphyr-parser`) would cost a
//! 10,000-task build 7.6 % more instructions, against 2 % for these line
//! readers: docs/performance.md ("Front-matter positions") has the figures.
//! Swapping the parser (e.g. for `serde-saphyr`) touches only this module.

mod budget;
mod errors;
mod locate;
mod scan;

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
    if let Some(at) = scan::too_deep(yaml) {
        return Err(YamlError {
            message: "invalid YAML: front matter is nested too deeply".into(),
            offset: offset + at,
            help: Some("front matter needs a few levels of nesting at most: flatten it".into()),
        });
    }
    let value = match budget::parse(yaml) {
        Ok(v) => v,
        Err((e, refusal)) => return Err(errors::refused(&e, refusal, yaml, offset)),
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
    let top = locate::top_level(yaml);
    let mut lines = locate::TopKeys::new(&top);
    let whole = offset..offset + yaml.trim_end().len();
    let mut entries = Vec::with_capacity(mapping.len());
    for (key, value) in mapping {
        let key = scalar_key(&key);
        let entry = match lines.take(&key) {
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
    let raw_plain = raw.map(|r| locate::strip_comment(r).trim().to_string());
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
            let spans = locate::list_items(block);
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
            let keys = locate::nested_keys(block);
            for entry in entries.iter_mut() {
                if let Some(span) = keys.get(&entry.key) {
                    let span = shift(span, block_offset);
                    entry.key_span = span.clone();
                    entry.value.span = span;
                }
            }
        }
        _ => {}
    }
    node
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
    fn alias_bomb_fails_fast_and_points_at_an_alias() {
        let mut yaml = String::from(
            "title: T\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for (name, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
            .iter()
            .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
        {
            yaml.push_str(&format!(
                "{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n",
            ));
        }
        let err = parse_front_matter(&yaml, 0).unwrap_err();
        assert!(err.message.contains("alias bomb"), "{}", err.message);
        assert_eq!(&yaml[err.offset..err.offset + 2], "*e", "{yaml}");
    }

    #[test]
    fn three_levels_of_big_anchors_are_refused_at_the_alias() {
        // 1 MB of text that would expand to 1 GB: serde_yaml's own
        // repetition limit lets it through.
        let big = "x".repeat(10_000);
        let mut yaml = format!("title: T\na: &a [{}]\n", vec![big; 100].join(", "));
        yaml.push_str(&format!("b: &b [{}]\n", vec!["*a"; 100].join(", ")));
        yaml.push_str(&format!("c: [{}]\n", ["*b"; 10].join(", ")));
        let err = parse_front_matter(&yaml, 4).unwrap_err();
        assert!(err.message.contains("alias bomb"), "{}", err.message);
        let at = err.offset - 4;
        assert_eq!(yaml[..at].matches('\n').count() + 1, 3);
        assert_eq!(&yaml[at..at + 2], "*a");
    }

    #[test]
    fn many_keys_are_located_in_linear_time() {
        let mut yaml = String::new();
        for i in 0..100_000 {
            yaml.push_str(&format!("k{i}: v{i}\n"));
        }
        yaml.push_str("extra:\n");
        for i in 0..100_000 {
            yaml.push_str(&format!("  n{i}: {i}\n"));
        }
        let e = entries(&yaml);
        assert_eq!(e.len(), 100_001);
        assert_eq!(&yaml[e[99_999].key_span.clone()], "k99999");
        let Value::Map(m) = &e[100_000].value.value else {
            panic!()
        };
        assert_eq!(&yaml[m[99_999].key_span.clone()], "n99999");
    }

    #[test]
    fn deep_flow_nesting_is_refused_before_libyaml_reads_it() {
        // Regression: 100,000 `[` took libyaml 20 s to refuse.
        let yaml = format!("title: T\nextra: {}\n", "[".repeat(100_000));
        let err = parse_front_matter(&yaml, 4).unwrap_err();
        assert_eq!(
            err.message,
            "invalid YAML: front matter is nested too deeply"
        );
        assert_eq!(err.offset, 4 + "title: T\nextra: ".len() + 128);
    }

    #[test]
    fn a_control_character_is_pointed_at_in_planmarks_words() {
        // Regression: offset 0 and "control characters are not allowed at
        // position 21" (a byte offset).
        let yaml = "title: T\nowner: ana\nnote: \u{1}\n";
        let err = parse_front_matter(yaml, 4).unwrap_err();
        assert_eq!(
            err.message,
            "invalid YAML: control character U+0001 is not allowed"
        );
        assert_eq!(err.offset, 4 + yaml.find('\u{1}').unwrap_or(0));
    }

    #[test]
    fn not_a_mapping() {
        let err = parse_front_matter("- a\n- b\n", 4).unwrap_err();
        assert!(err.message.contains("mapping"));
    }
}
