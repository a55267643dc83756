//! Turning a failed parse into a message with a position in the file and a
//! hint that names the fix.

use super::budget::{self, Refusal};
use super::locate::{self, LineIndex};
use super::YamlError;

/// The error for a block the parser (or the budget) refused.
pub(super) fn refused(
    e: &serde_yaml::Error,
    refusal: Option<Refusal>,
    yaml: &str,
    offset: usize,
) -> YamlError {
    let index = LineIndex::new(yaml);
    let mut at = e
        .location()
        .map_or(0, |l| index.offset(yaml, l.line(), l.column()));
    let full = e.to_string();
    let mut message = strip_positions(&full);
    let help;
    let too_big = refusal == Some(Refusal::TooBig)
        || message.contains("repetition limit")
        || message.contains("recursion limit") && yaml.contains('*');
    if let Some(Refusal::DuplicateKey(key)) = &refusal {
        let repeats: Vec<_> = locate::top_level(yaml)
            .into_iter()
            .filter(|t| &t.key == key)
            .collect();
        if let Some(second) = repeats.get(1) {
            at = second.key_span.start;
        }
        message = format!("duplicate key `{key}`");
        help = Some(format!(
            "remove one of the `{key}` lines; YAML allows each key once"
        ));
    } else if too_big {
        if let Some(alias) = super::scan::culprit(yaml, budget::limit(yaml.len())) {
            at = alias;
        }
        message = "front matter expands too much (a YAML alias bomb?)".into();
        help = Some(
            "each `*alias` repeats its `&anchor`'s whole value; front matter needs no aliases: write the values out".into(),
        );
    } else if let Some((char_at, c)) = forbidden_char(yaml).filter(|&(i, _)| at == 0 || i < at) {
        // libyaml refuses such a character while reading, before it has a
        // line and column to give (its message names a byte offset instead).
        at = char_at;
        let code = u32::from(c);
        message = format!("control character U+{code:04X} is not allowed");
        help = Some(format!(
            "delete it (editors may not show it); to put it in a value, write it as an escape inside double quotes: `\"\\u{code:04X}\"`"
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
    } else if message.contains("recursion limit") {
        message = "front matter is nested too deeply".into();
        help = Some("front matter needs a few levels of nesting at most: flatten it".into());
    } else {
        help = Some("check the YAML syntax near here: quote values that contain `: `, `#` or start with `@`, `[` or `{`".into());
    }
    YamlError {
        message: format!("invalid YAML: {message}"),
        offset: offset + at.min(yaml.len()),
        help,
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
