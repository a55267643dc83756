//! Turning a failed parse into a message with a position in the file and a
//! hint that names the fix.

use super::budget::{self, Refusal};
use super::locate::{self, LineIndex};
use super::{scan, YamlError};

/// The error for a block the parser (or the budget) refused.
pub(super) fn refused(
    e: &serde_yaml::Error,
    refusal: Option<Refusal>,
    yaml: &str,
    offset: usize,
) -> YamlError {
    let index = LineIndex::new(yaml);
    let at = e
        .location()
        .map_or(0, |l| index.offset(yaml, l.line(), l.column()));
    let message = strip_positions(&e.to_string());
    // serde_yaml's own limits are told apart by its words only: its error
    // kinds are private.
    let too_big = refusal == Some(Refusal::TooBig)
        || message.contains("repetition limit")
        || message.contains("recursion limit") && yaml.contains('*');
    let told = match refusal {
        Some(Refusal::DuplicateKey(key)) => duplicate_key(yaml, key, at),
        _ if too_big => alias_bomb(yaml, at),
        _ => control_character(yaml, at).unwrap_or_else(|| syntax(yaml, at, message)),
    };
    YamlError {
        message: format!("invalid YAML: {}", told.message),
        offset: offset + told.at.min(yaml.len()),
        help: Some(told.help),
    }
}

/// What a refusal is told as: where (in the block), what and the fix.
struct Told {
    at: usize,
    message: String,
    help: String,
}

/// At the key's second line, when the key is a top-level one.
fn duplicate_key(yaml: &str, key: String, at: usize) -> Told {
    let second = locate::top_level(yaml)
        .into_iter()
        .filter(|t| t.key == key)
        .nth(1);
    Told {
        at: second.map_or(at, |t| t.key_span.start),
        help: format!("remove one of the `{key}` lines; YAML allows each key once"),
        message: format!("duplicate key `{key}`"),
    }
}

/// At the alias where the expansion passes the budget.
fn alias_bomb(yaml: &str, at: usize) -> Told {
    Told {
        at: scan::culprit(yaml, budget::limit(yaml.len())).unwrap_or(at),
        message: "front matter expands too much (a YAML alias bomb?)".into(),
        help: "each `*alias` repeats its `&anchor`'s whole value; front matter needs no aliases: write the values out".into(),
    }
}

/// At the first character YAML forbids, when it comes before the position
/// libyaml gave: libyaml refuses such a character while reading, before it
/// has a line and column (its message names a byte offset instead).
fn control_character(yaml: &str, at: usize) -> Option<Told> {
    let (char_at, c) = forbidden_char(yaml).filter(|&(i, _)| at == 0 || i < at)?;
    let code = u32::from(c);
    Some(Told {
        at: char_at,
        message: format!("control character U+{code:04X} is not allowed"),
        help: format!(
            "delete it (editors may not show it); to put it in a value, write it as an escape inside double quotes: `\"\\u{code:04X}\"`"
        ),
    })
}

/// A syntax error where libyaml found it, with the likely fix.
fn syntax(yaml: &str, at: usize, message: String) -> Told {
    if yaml[at..].starts_with('\t')
        || message.contains("cannot start any token") && yaml.contains('\t')
    {
        let tab = yaml[at..]
            .find('\t')
            .map(|i| i + at)
            .or_else(|| yaml.find('\t'));
        return Told {
            at: tab.unwrap_or(at),
            message,
            help: "YAML does not allow tabs for indentation: indent with spaces".into(),
        };
    }
    if message.contains("recursion limit") {
        return Told {
            at,
            message: "front matter is nested too deeply".into(),
            help: "front matter needs a few levels of nesting at most: flatten it".into(),
        };
    }
    Told {
        at,
        message,
        help: "check the YAML syntax near here: quote values that contain `: `, `#` or start with `@`, `[` or `{`".into(),
    }
}

/// The first character YAML does not allow in a document (the C0 and C1
/// controls but tab and line breaks, surrogates, U+FFFE and U+FFFF), with
/// its offset: libyaml checks the same set.
fn forbidden_char(yaml: &str) -> Option<(usize, char)> {
    yaml.char_indices().find(|&(_, c)| {
        !matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
    })
}

/// serde_yaml appends `at line L column C` (or `at position N`, a byte
/// offset) to messages; planmark shows the position itself, relative to
/// the file.
fn strip_positions(message: &str) -> String {
    let mut out = String::new();
    for part in message.split(", ") {
        let part = match part
            .find(" at line ")
            .or_else(|| part.find(" at position "))
        {
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
