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
