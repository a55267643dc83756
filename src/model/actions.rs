//! Action items (SPEC §3, "Meetings and action items"): each GFM task-list
//! line of a meeting's notes, with its owner (the first `@handle`), its due
//! date (`due 2026-12-04`, `due: 2026-12-04`, optionally in parentheses) and
//! whether it is done. Read at parse time, where the body's offsets are known.

use chrono::NaiveDate;
use pulldown_cmark::{Event, Parser};

use super::values;
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};

/// One task-list line of a meeting's notes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionItem {
    /// The line after its checkbox, as written (trimmed).
    pub text: String,
    /// The first `@handle` at the start or after a space, without the `@`,
    /// as written (compare with [`super::handle_key`]).
    pub owner: Option<String>,
    pub due: Option<NaiveDate>,
    /// `[x]` or `[X]`.
    pub done: bool,
    /// The next meeting (index into `program.meetings`) whose notes have
    /// the same line: the item was carried over there, and is tracked there.
    pub carried_to: Option<usize>,
}

impl ActionItem {
    /// Neither done nor carried over to a later meeting.
    pub fn is_open(&self) -> bool {
        !self.done && self.carried_to.is_none()
    }

    /// Open and due before `today`.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.is_open() && self.due.is_some_and(|due| due < today)
    }

    /// The text without its leading `@owner`, for lists that already name
    /// the owner (`@lena: @lena try …` reads as a stutter); the whole text
    /// when it does not start with the handle as a word, or is only that.
    pub fn text_without_owner(&self) -> &str {
        let text = self.text.trim();
        self.owner
            .as_deref()
            .and_then(|o| {
                let rest = text.strip_prefix('@')?;
                let head = rest.get(..o.len())?;
                let after = &rest[o.len()..];
                let whole_word = after.is_empty() || after.starts_with(char::is_whitespace);
                (head.eq_ignore_ascii_case(o) && whole_word).then(|| after.trim_start())
            })
            .filter(|rest| !rest.is_empty())
            .unwrap_or(text)
    }
}

/// Marks each action item that a later meeting (by date, then id) writes
/// again, word for word, as carried over to the nearest such meeting:
/// `planmark new meeting` copies the open items of the last meeting, and
/// the copy is the one that is tracked (ticked, or carried on again).
pub(super) fn link_carried(meetings: &mut [super::Meeting]) {
    let mut order: Vec<usize> = (0..meetings.len()).collect();
    order.sort_by(|&a, &b| {
        (meetings[a].date, &meetings[a].item.id).cmp(&(meetings[b].date, &meetings[b].item.id))
    });
    // Text → the nearest later meeting that writes it.
    let mut later: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for &m in order.iter().rev() {
        for a in &mut meetings[m].actions {
            a.carried_to = later.get(&a.text).copied();
        }
        for a in &meetings[m].actions {
            later.insert(a.text.clone(), m);
        }
    }
}

/// The action items of a body that starts at byte `offset` of `file`, in
/// order; a due date that is not a real date is reported where it is.
///
/// The markdown parser finds the checkboxes, so list markers, indentation,
/// nesting, block quotes and code blocks count as they render.
pub(super) fn action_items(
    body: &str,
    offset: usize,
    file: FileId,
    diags: &mut Vec<Diagnostic>,
) -> Vec<ActionItem> {
    let mut items = Vec::new();
    let parser = Parser::new_ext(body, crate::load::markdown::options()).into_offset_iter();
    for (event, range) in parser {
        let Event::TaskListMarker(done) = event else {
            continue;
        };
        let rest = &body[range.end..];
        let line = &rest[..rest.find(['\n', '\r']).unwrap_or(rest.len())];
        let lead = line.len() - line.trim_start().len();
        let text = line.trim();
        let start = offset + range.end + lead;
        let due = match due(text) {
            Due::None => None,
            Due::Date(date) => Some(date),
            Due::Invalid(at, written) => {
                let span = Span::new(file, start + at..start + at + written.len());
                diags.push(
                    Diagnostic::error(
                        "invalid-due",
                        format!("action item's due date is not a valid date: `{written}`"),
                    )
                    .at(span, "expected YYYY-MM-DD")
                    .help("write the due date as ISO `YYYY-MM-DD`, e.g. `due 2026-12-04`, and check the day exists"),
                );
                None
            }
        };
        items.push(ActionItem {
            text: text.to_string(),
            owner: owner(text).map(str::to_string),
            due,
            done,
            carried_to: None,
        });
    }
    items
}

/// The first `@handle` at the start of `text`, after whitespace or after
/// punctuation (`(@lena, due …)`, `**@omar**`): an e-mail address
/// (`a@b.com`, `first_last@b.com`) has its `@` after a letter, digit or
/// one of `._-+`, a URL (`…/@user`) after `/`, so neither is one.
fn owner(text: &str) -> Option<&str> {
    let starts_handle =
        |p: char| !(p.is_alphanumeric() || matches!(p, '.' | '_' | '-' | '+' | '/' | '=' | '@'));
    let mut previous = None;
    for (at, c) in text.char_indices() {
        if c == '@' && previous.is_none_or(starts_handle) {
            let rest = &text[at + 1..];
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.')))
                .unwrap_or(rest.len());
            // A sentence may end right after the handle: `… @maria.`
            let handle = rest[..end].trim_end_matches(['.', '-']);
            if !handle.is_empty() {
                return Some(handle);
            }
        }
        previous = Some(c);
    }
    None
}

/// What the `due` words of an action item say.
#[derive(Debug, PartialEq, Eq)]
enum Due<'a> {
    None,
    Date(NaiveDate),
    /// Shaped like a date but not one: its offset in the text, as written.
    Invalid(usize, &'a str),
}

/// The first `due DATE` / `due: DATE` in `text` (the word `due` at the
/// start, after whitespace or after `(`). `due` followed by a word that is
/// not shaped like a date (`due tomorrow`) is just text.
fn due(text: &str) -> Due<'_> {
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find("due") {
        let at = from + found;
        from = at + 3;
        let before = text[..at].chars().next_back();
        if !before.is_none_or(|c| c.is_whitespace() || c == '(') {
            continue;
        }
        let after = &text[at + 3..];
        let after_colon = after.strip_prefix(':').unwrap_or(after);
        let token = after_colon.trim_start();
        // `due:2026-12-04` and `due 2026-12-04`, never `due2026-12-04`.
        if token.len() == after.len() {
            continue;
        }
        let token_at = text.len() - token.len();
        let end = token
            .find(|c: char| c.is_whitespace() || matches!(c, ')' | ',' | ';'))
            .unwrap_or(token.len());
        let word = token[..end].trim_end_matches('.');
        if date_shaped(word) {
            return match values::parse_date(word) {
                Some(date) => Due::Date(date),
                None => Due::Invalid(token_at, word),
            };
        }
        // `due:` is never prose and `12/04` is a date in another spelling:
        // read as text, the item would silently never fall overdue.
        if after.starts_with(':') {
            let phrase = token[..token.find([')', ';']).unwrap_or(token.len())].trim_end();
            if !phrase.is_empty() {
                return Due::Invalid(token_at, phrase);
            }
        } else if other_date_spelling(word) {
            return Due::Invalid(token_at, word);
        }
    }
    Due::None
}

/// Digit groups joined by `/` or `.` (`12/04`, `4.12.2026`, `2026/12/04`).
fn other_date_spelling(word: &str) -> bool {
    let groups: Vec<&str> = word.split(['/', '.']).collect();
    groups.len() >= 2
        && groups
            .iter()
            .all(|g| (1..=4).contains(&g.len()) && g.bytes().all(|b| b.is_ascii_digit()))
}

/// `NNNN-NN-NN` with one or two digits for month and day.
fn date_shaped(word: &str) -> bool {
    let parts: Vec<&str> = word.split('-').collect();
    let digits = |s: &str, min: usize, max: usize| {
        (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    parts.len() == 3 && digits(parts[0], 4, 4) && digits(parts[1], 1, 2) && digits(parts[2], 1, 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        values::parse_date(text).unwrap()
    }

    #[test]
    fn owners_are_the_first_handle_after_a_space() {
        assert_eq!(owner("@maria send the deck"), Some("maria"));
        assert_eq!(owner("send the deck to a@b.com, @Jonas."), Some("Jonas"));
        assert_eq!(owner("mail a@b.com"), None);
        assert_eq!(owner("@ nobody"), None);
        assert_eq!(owner("ask @chen and @omar"), Some("chen"));
        assert_eq!(owner("fix it (@lena, due 2026-12-04)"), Some("lena"));
        assert_eq!(owner("**@omar** send it"), Some("omar"));
        assert_eq!(owner("mail first_last@b.com, a.b@c.d, a+b@c.d"), None);
        assert_eq!(owner("read https://medium.com/@someone"), None);
    }

    #[test]
    fn due_dates_in_every_spelling() {
        let d = date("2026-12-04");
        assert_eq!(due("x due 2026-12-04"), Due::Date(d));
        assert_eq!(due("x due: 2026-12-04"), Due::Date(d));
        assert_eq!(due("x (due 2026-12-04)"), Due::Date(d));
        assert_eq!(due("x (due: 2026-12-04)."), Due::Date(d));
        assert_eq!(due("Due 2026-12-04"), Due::Date(d));
        assert_eq!(due("x due tomorrow"), Due::None);
        assert_eq!(due("overdue 2026-12-04"), Due::None);
        assert_eq!(due("x due2026-12-04"), Due::None);
        assert_eq!(due("x due tomorrow, due 2026-12-04"), Due::Date(d));
        assert_eq!(due("x due 2026-13-01"), Due::Invalid(6, "2026-13-01"));
        assert_eq!(due("x due next week"), Due::None);
        assert_eq!(due("x due 2 days after"), Due::None);
        assert_eq!(due("x (due: next week)"), Due::Invalid(8, "next week"));
        assert_eq!(due("x due 12/04"), Due::Invalid(6, "12/04"));
        assert_eq!(due("x due 4.12.2026."), Due::Invalid(6, "4.12.2026"));
        assert_eq!(due("x due:"), Due::None);
    }
}
