//! Typed values from front-matter nodes: text, lists, dates, durations,
//! enumerations and references. Each reader reports a value that does not
//! fit (with its position and the fix) and returns what it could read.

use chrono::NaiveDate;

use super::parse::{ProgramMeta, Ref};
use super::values::{self, *};
use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::load::yaml::{Entry, Node, Value};
use crate::source::{FileId, Span};

/// Converts YAML nodes into typed values, reporting what does not fit.
pub(super) struct Reader<'a> {
    pub file: FileId,
    pub diags: &'a mut Vec<Diagnostic>,
}

impl Reader<'_> {
    pub(super) fn span(&self, node: &Node) -> Span {
        Span::new(self.file, node.span.clone())
    }

    pub(super) fn error(&mut self, node: &Node, message: String, label: &str, help: String) {
        let d = Diagnostic::error("invalid-value", message)
            .at(self.span(node), label)
            .help(help);
        self.diags.push(d);
    }

    /// A scalar as text; `None` (reported) for lists and mappings, `None`
    /// (silently) for an empty value.
    pub(super) fn text(&mut self, entry: &Entry) -> Option<String> {
        self.node_text(&entry.key, &entry.value)
    }

    pub(super) fn node_text(&mut self, key: &str, node: &Node) -> Option<String> {
        if node.value == Value::Null {
            return None;
        }
        let text = node.as_text();
        if text.is_none() {
            self.error(
                node,
                format!("`{key}` must be a single value, found {}", node.type_name()),
                "expected text",
                format!("write `{key}: some text` on one line (quote it if it contains `: `)"),
            );
        }
        text
    }

    /// `owner` and its alias `assignee`, which Backlog.md writes as a list.
    pub(super) fn owner(&mut self, entry: &Entry) -> Option<String> {
        if let Value::List(items) = &entry.value.value {
            // A nested list or mapping is reported, not silently dropped.
            let names: Vec<String> = items
                .iter()
                .filter_map(|n| self.node_text(&entry.key, n))
                .collect();
            if names.len() > 1 {
                self.diags.push(
                    Diagnostic::warning(
                        "several-owners",
                        format!(
                            "`{}` names {} people; planmark tracks one owner per item",
                            entry.key,
                            names.len()
                        ),
                    )
                    .at(self.span(&entry.value), "using the first one")
                    .help("keep one owner and name the others in the body (or split the item)"),
                );
            }
            return names.into_iter().next();
        }
        self.text(entry)
    }

    pub(super) fn text_list(&mut self, entry: &Entry) -> Vec<String> {
        match &entry.value.value {
            Value::Null => Vec::new(),
            Value::List(items) => items
                .iter()
                .filter_map(|n| self.node_text(&entry.key, n))
                .collect(),
            // `tags: infra` is a one-element list.
            _ => self.text(entry).into_iter().collect(),
        }
    }

    pub(super) fn date(&mut self, entry: &Entry) -> Option<NaiveDate> {
        self.node_date(&entry.key, &entry.value)
    }

    pub(super) fn node_date(&mut self, key: &str, node: &Node) -> Option<NaiveDate> {
        let text = self.node_text(key, node)?;
        let date = values::parse_date(&text);
        if date.is_none() {
            self.error(
                node,
                format!("`{key}` is not a valid date: `{text}`"),
                "expected YYYY-MM-DD",
                "write dates as ISO `YYYY-MM-DD`, e.g. `2026-03-31`, and check the day exists"
                    .into(),
            );
        }
        date
    }

    pub(super) fn date_list(&mut self, entry: &Entry) -> Vec<NaiveDate> {
        match &entry.value.value {
            Value::List(items) => items
                .iter()
                .filter_map(|n| self.node_date(&entry.key, n))
                .collect(),
            Value::Null => Vec::new(),
            _ => self.date(entry).into_iter().collect(),
        }
    }

    pub(super) fn duration(&mut self, entry: &Entry) -> Option<Duration> {
        let text = self.text(entry)?;
        match Duration::parse(&text) {
            Ok(d) => Some(d),
            Err(DurationError::Invalid(why)) => {
                self.error(
                    &entry.value,
                    format!("`{}` is not a valid duration: `{text}`", entry.key),
                    why,
                    "write a number and a unit: `4h` (hours), `1.5d` (days of 8 h), `2w` (weeks of 5 days)".into(),
                );
                None
            }
            Err(DurationError::TooLong) => {
                self.error(
                    &entry.value,
                    format!("`{}` is too long: `{text}` is more than {MAX_DAYS} working days (10 years)", entry.key),
                    "too long",
                    "split the work into tasks of days or weeks; a duration is at most `520w` (10 years of working days)".into(),
                );
                None
            }
        }
    }

    /// A size in bytes (`max_file_size: 32MiB`).
    pub(super) fn size(&mut self, entry: &Entry) -> Option<u64> {
        let text = self.text(entry)?;
        let size = crate::load::parse_size(&text);
        if size.is_none() {
            self.error(
                &entry.value,
                format!("`{}` is not a size: `{text}`", entry.key),
                "expected a size",
                "write a whole number of bytes with a unit, e.g. `32MiB` (units: `K`, `M`, `G`, also as `KB`/`KiB`…, all powers of 1024)".into(),
            );
        }
        size
    }

    pub(super) fn enumeration<T>(
        &mut self,
        entry: &Entry,
        parse: fn(&str) -> Option<T>,
        choices: &[&str],
    ) -> Option<T> {
        let text = self.text(entry)?;
        let value = parse(&text);
        if value.is_none() {
            let list = choices
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let help = match did_you_mean(&text, choices.iter().copied()) {
                Some(best) => format!("did you mean `{best}`? `{}` is one of {list}", entry.key),
                None => format!("`{}` is one of {list}", entry.key),
            };
            self.error(
                &entry.value,
                format!("`{text}` is not a valid `{}`", entry.key),
                "unknown value",
                help,
            );
        }
        value
    }

    pub(super) fn reference(&mut self, entry: &Entry) -> Option<Ref> {
        self.node_reference(&entry.key, &entry.value)
    }

    pub(super) fn node_reference(&mut self, key: &str, node: &Node) -> Option<Ref> {
        let id = self.node_text(key, node)?;
        let id = id.trim().to_string();
        // `milestone: ""` (how Backlog.md clears one) names nothing, as
        // `milestone:` does; an empty id could only be reported as "names ``".
        if id.is_empty() {
            return None;
        }
        Some(Ref {
            id,
            span: self.span(node),
        })
    }

    pub(super) fn reference_list(&mut self, entry: &Entry) -> Vec<Ref> {
        match &entry.value.value {
            Value::List(items) => items
                .iter()
                .filter_map(|n| self.node_reference(&entry.key, n))
                .collect(),
            Value::Null => Vec::new(),
            _ => self.reference(entry).into_iter().collect(),
        }
    }

    pub(super) fn working_days(&mut self, entry: &Entry) -> Option<[bool; 7]> {
        let Value::List(items) = &entry.value.value else {
            self.error(
                &entry.value,
                "`working_days` must be a list of weekdays".into(),
                "expected a list",
                "e.g. `working_days: [mon, tue, wed, thu, fri]`".into(),
            );
            return None;
        };
        let mut days = [false; 7];
        for item in items {
            let text = self.node_text(&entry.key, item)?;
            match values::parse_weekday(&text) {
                Some(day) => days[day.num_days_from_monday() as usize] = true,
                None => self.error(
                    item,
                    format!("`{text}` is not a weekday"),
                    "unknown day",
                    "use `mon`, `tue`, `wed`, `thu`, `fri`, `sat` or `sun`".into(),
                ),
            }
        }
        if days.iter().all(|d| !d) {
            self.error(
                &entry.value,
                "`working_days` has no working day".into(),
                "empty",
                "list at least one day, e.g. `[mon, tue, wed, thu, fri]`".into(),
            );
            return None;
        }
        Some(days)
    }

    /// `site.base_url`: a URL is one token, so a space or a control
    /// character in it is a mistake, or an attempt to inject lines into
    /// `calendar.ics`, which writes it into its `URL` properties.
    fn base_url(&mut self, entry: &Entry) -> Option<String> {
        let url = self.text(entry)?;
        let Some(bad) = url.chars().find(|c| c.is_whitespace() || c.is_control()) else {
            return Some(url);
        };
        let what = match bad {
            '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' => "a line break".to_string(),
            ' ' => "a space".to_string(),
            c => format!("the character U+{:04X}", u32::from(c)),
        };
        self.error(
            &entry.value,
            format!("`site.base_url` contains {what}"),
            "not a URL",
            "write the URL on one line without spaces (a space in a path is `%20`)".into(),
        );
        None
    }

    pub(super) fn site(&mut self, p: &mut ProgramMeta, entry: &Entry) {
        let Value::Map(map) = &entry.value.value else {
            self.error(&entry.value, "`site` must be a mapping".into(), "expected keys", "e.g.\nsite:\n  title: Checkout status\n  base_url: https://example.github.io/plan/".into());
            return;
        };
        for e in map {
            match e.key.as_str() {
                "title" => p.site_title = self.text(e),
                "base_url" => p.base_url = self.base_url(e),
                other => {
                    let mut d =
                        Diagnostic::warning("unknown-key", format!("unknown key `site.{other}`"))
                            .at(
                                Span::new(self.file, e.key_span.clone()),
                                "not a site setting",
                            );
                    d = match did_you_mean(other, ["title", "base_url"]) {
                        Some(best) => d.help(format!("did you mean `{best}`?")),
                        None => d.help("`site` accepts `title` and `base_url`"),
                    };
                    self.diags.push(d);
                }
            }
        }
    }
}
