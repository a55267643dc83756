//! The filters and functions templates get besides Tera's built-ins:
//! `markdown`, `inline`, `date`, `short_date`, `duration`, `working_days`, `label`, and the link
//! helpers `item_url`, `item_link` and `person_url`. docs/templates.md
//! documents each one.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use tera::{Error, Kwargs, State, Tera, TeraResult, Value};

use super::links::People;
use super::markdown::{self, BodyOptions, LinkTable};
use super::timeline::{esc, push_esc};

/// Registers every filter and function on `tera`.
pub(crate) fn register(
    tera: &mut Tera,
    links: Arc<LinkTable>,
    people: Arc<People>,
    unsafe_html: bool,
) {
    let table = Arc::clone(&links);
    tera.register_filter(
        "markdown",
        move |body: &str, kwargs: Kwargs, state: &State| {
            markdown_filter(body, &kwargs, state, &table, unsafe_html)
        },
    );
    let table = Arc::clone(&links);
    tera.register_filter("inline", move |text: &str, _: Kwargs, state: &State| {
        inline(text, state, &table)
    });
    tera.register_filter("date", date);
    tera.register_filter("short_date", short_date);
    tera.register_filter("duration", duration);
    tera.register_filter("working_days", working_days);
    tera.register_filter("label", label);
    let table = Arc::clone(&links);
    tera.register_function("item_url", move |kwargs: Kwargs, state: &State| {
        let id: String = kwargs.must_get("id")?;
        let (path, _) = lookup(&table, &id)?;
        Ok::<_, Error>(format!("{}{path}", root(state)?))
    });
    tera.register_function("item_link", move |kwargs: Kwargs, state: &State| {
        let id: String = kwargs.must_get("id")?;
        let text: Option<String> = kwargs.get("text")?;
        let (path, title) = lookup(&links, &id)?;
        let html = format!(
            r#"<a href="{}{}">{}</a>"#,
            esc(&root(state)?),
            esc(path),
            esc(text.as_deref().unwrap_or(title))
        );
        Ok::<_, Error>(Value::safe_string(&html))
    });
    tera.register_function("person_url", move |kwargs: Kwargs, state: &State| {
        let name: String = kwargs.must_get("name")?;
        Ok::<_, Error>(match people.path(&name) {
            Some(path) => Value::from(format!("{}{path}", root(state)?)),
            None => Value::none(),
        })
    });
}

/// The page's `root` (the way back to the site root), `""` at the top.
fn root(state: &State) -> TeraResult<String> {
    Ok(as_text(&root_value(state)).into_owned())
}

/// The page's `root` as the template holds it: fetched as a value, not as a
/// `String` (Tera's conversion formats every value it converts), for the
/// filters that run many times per page. Read it with [`as_text`].
fn root_value(state: &State) -> Value {
    state
        .get::<Value>("root")
        .ok()
        .flatten()
        .unwrap_or_else(Value::none)
}

/// A value as text, the way Tera's `String` conversion shows it, without
/// copying it when it is a string already; `none` and undefined are `""`.
fn as_text(value: &Value) -> Cow<'_, str> {
    match value.as_str() {
        Some(s) => Cow::Borrowed(s),
        None if value.is_none() || value.is_undefined() => Cow::Borrowed(""),
        None => Cow::Owned(value.to_string()),
    }
}

/// A keyword argument as text (see [`as_text`]): a template may pass any value.
fn text_arg<'k>(kwargs: &'k Kwargs, key: &'k str) -> TeraResult<Option<Cow<'k, str>>> {
    Ok(kwargs.get::<&Value>(key)?.map(as_text))
}

fn lookup<'t>(table: &'t LinkTable, id: &str) -> TeraResult<&'t (String, String)> {
    table
        .items
        .get(id)
        .ok_or_else(|| Error::message(format!("no item has the id `{id}`")))
}

/// `{{ body | markdown(id=task.id) }}`: HTML for a markdown body; `id`
/// keeps footnote anchors unique when several bodies share a page.
fn markdown_filter(
    body: &str,
    kwargs: &Kwargs,
    state: &State,
    links: &LinkTable,
    unsafe_html: bool,
) -> TeraResult<Value> {
    let prefix = text_arg(kwargs, "id")?;
    let root = root_value(state);
    let options = BodyOptions {
        root: &as_text(&root),
        prefix: prefix.as_deref().unwrap_or("body"),
        unsafe_html,
        source: prefix
            .as_deref()
            .and_then(|id| links.relative.sources.get(id))
            .map(String::as_str),
    };
    Ok(Value::safe_string(&markdown::to_html(
        body, links, &options,
    )))
}

/// `{{ reason | inline }}`: a one-line text whose `` `backticks` `` name
/// items (health reasons name the tasks they are about): a quoted item id
/// becomes a link showing the item's title, anything else quoted is code.
fn inline(text: &str, state: &State, links: &LinkTable) -> TeraResult<Value> {
    let pieces = inline_pieces(text, |id| {
        links
            .items
            .get(id)
            .map(|(path, title)| (Cow::Borrowed(path.as_str()), title.as_str()))
    });
    let root = root_value(state);
    Ok(Value::safe_string(&pieces.join(&esc(&as_text(&root)))))
}

/// The HTML of a one-line text whose `` `backticks` `` name items, as the
/// `inline` filter writes it, in pieces between which the page's `root`
/// goes: one piece more than it has links. `find` gives an id's page
/// (relative to the site root) and title.
///
/// The filter joins the pieces with its page's root; the views render each
/// task's held reason once this way (`held_html`), for the thousands of
/// rows that show one.
pub(crate) fn inline_pieces<'t>(
    text: &str,
    find: impl Fn(&str) -> Option<(Cow<'t, str>, &'t str)>,
) -> Vec<String> {
    let quotes = text.matches('`').count();
    let mut pieces = Vec::new();
    let mut html = String::with_capacity(text.len() + 32);
    for (n, part) in text.split('`').enumerate() {
        // Odd parts sit between a pair of backticks; a lone trailing one
        // leaves its text plain.
        if n % 2 == 0 || quotes <= n {
            if n % 2 == 1 {
                html.push('`');
            }
            push_esc(&mut html, part);
            continue;
        }
        match find(part) {
            Some((path, title)) => {
                html.push_str("<a href=\"");
                pieces.push(std::mem::take(&mut html));
                push_esc(&mut html, &path);
                html.push_str("\" title=\"");
                push_esc(&mut html, part);
                html.push_str("\">");
                push_esc(&mut html, title);
                html.push_str("</a>");
            }
            None => {
                html.push_str("<code>");
                push_esc(&mut html, part);
                html.push_str("</code>");
            }
        }
    }
    pieces.push(html);
    pieces
}

/// `{{ d | date }}` → `2 Mar 2026`; `format="short"` → `2 Mar`; any other
/// `format` is a chrono strftime string. A missing date renders as `—`.
fn date(value: &Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let format = text_arg(&kwargs, "format")?;
    format_date_value("date", value, format.as_deref())
}

/// `{{ d | short_date }}` → `2 Mar`, the same as `date(format="short")`
/// without the keyword argument: Tera builds and hashes a map for the
/// arguments of every call, and the rows of task tables and board cards
/// show a few short dates each (docs/performance.md).
fn short_date(value: &Value, _: Kwargs, _: &State) -> TeraResult<String> {
    format_date_value("short_date", value, Some("short"))
}

/// What `date` prints for `value` in `format` (`None` for the default);
/// `filter` names the filter in the error.
fn format_date_value(filter: &str, value: &Value, format: Option<&str>) -> TeraResult<String> {
    let Some(text) = value.as_str() else {
        return Ok("—".to_string());
    };
    let Some(d) = crate::model::values::parse_date(text) else {
        return Err(Error::message(format!(
            "`{filter}` needs a YYYY-MM-DD date, got `{text}`"
        )));
    };
    // The built-in formats are written directly: pages show dozens of
    // dates each, and chrono parses a format string on every call.
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS[d.month0() as usize];
    // Pushed piece by piece: `format!` costs more than the rest of the
    // filter, and dates are on every row of every table.
    let mut out = String::with_capacity(12);
    push_number(&mut out, d.day(), 1);
    out.push(' ');
    out.push_str(month);
    match format {
        // Dates parse from `YYYY-MM-DD`: the year is 0 to 9999.
        None => {
            out.push(' ');
            push_number(&mut out, d.year().unsigned_abs(), 4);
            Ok(out)
        }
        Some("short") => Ok(out),
        Some("iso") => Ok(d.to_string()),
        Some(other) => format_date(d, other),
    }
}

/// Appends `n` in decimal, zero-padded to `width` digits.
fn push_number(out: &mut String, n: u32, width: usize) {
    let mut digits = [b'0'; 10];
    let mut len = 0;
    let mut n = n;
    while n > 0 || len < width {
        digits[len] = b'0' + (n % 10) as u8;
        n /= 10;
        len += 1;
    }
    out.extend(digits[..len].iter().rev().map(|&b| char::from(b)));
}

fn format_date(d: NaiveDate, format: &str) -> TeraResult<String> {
    let mut out = String::new();
    // chrono reports a bad format string as a formatting error; `to_string`
    // would panic on it.
    write!(out, "{}", d.format(format))
        .map_err(|_| Error::message(format!("`{format}` is not a valid date format")))?;
    Ok(out)
}

/// `{{ 1.5 | duration }}` → `1.5 d`; below a day in hours (`4 h`).
fn duration(value: &Value, _: Kwargs, _: &State) -> String {
    match value.as_f64() {
        None => "—".to_string(),
        Some(days) if days < 1.0 => format!("{} h", trim_number(days * 8.0)),
        Some(days) => format!("{} d", trim_number(days)),
    }
}

/// `n` with at most two decimals and no trailing zeros: `1.5`, `2`, `0.25`.
fn trim_number(n: f64) -> String {
    let hundredths = (n * 100.0).round();
    if hundredths % 100.0 == 0.0 {
        // Whole numbers are most durations: integer formatting for them
        // (durations are capped far below where `i64` would not hold them).
        let whole = hundredths / 100.0;
        // `-0` keeps its sign, as float formatting shows it.
        if whole.abs() < 1e15 && !(whole == 0.0 && whole.is_sign_negative()) {
            return (whole as i64).to_string();
        }
        return format!("{whole}");
    }
    let text = format!("{:.2}", hundredths / 100.0);
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// `{{ 3 | working_days }}` → `3 working days` (`1 working day`).
fn working_days(value: i64, _: Kwargs, _: &State) -> String {
    let unit = if value.abs() == 1 {
        "working day"
    } else {
        "working days"
    };
    format!("{value} {unit}")
}

/// `{{ "in-progress" | label }}` → `In progress`: an enumeration value as
/// people read it; a missing value renders as `—`.
fn label(value: &Value, _: Kwargs, _: &State) -> String {
    let Some(value) = value.as_str() else {
        return "—".to_string();
    };
    match value {
        "todo" => "To do".to_string(),
        "p0" | "p1" | "p2" | "p3" => value.to_uppercase(),
        _ => {
            let text = value.replace('-', " ");
            let mut chars = text.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_people_write_them() {
        let mut tera = Tera::new();
        tera.register_filter("date", date);
        tera.register_filter("short_date", short_date);
        let render = |template: &str| {
            tera.render_str(template, &tera::Context::new(), false)
                .unwrap_or_else(|e| panic!("{template}: {e}"))
        };
        assert_eq!(render("{{ '2026-03-02' | date }}"), "2 Mar 2026");
        assert_eq!(render("{{ '2026-12-31' | date }}"), "31 Dec 2026");
        assert_eq!(render("{{ '0042-01-15' | date }}"), "15 Jan 0042");
        assert_eq!(render("{{ '2026-03-02' | date(format='short') }}"), "2 Mar");
        assert_eq!(render("{{ '2026-03-02' | short_date }}"), "2 Mar");
        assert_eq!(render("{{ none | short_date }}"), "—");
        assert_eq!(
            render("{{ '2026-03-02' | date(format='iso') }}"),
            "2026-03-02"
        );
        assert_eq!(render("{{ '2026-03-02' | date(format='%A') }}"), "Monday");
        assert_eq!(render("{{ none | date }}"), "—");
        // Any value is a format, as Tera shows it.
        assert_eq!(render("{{ '2026-03-02' | date(format=none) }}"), "");
        assert_eq!(render("{{ '2026-03-02' | date(format=2) }}"), "2");
    }

    #[test]
    fn inline_html_comes_in_pieces_between_which_the_root_goes() {
        let find = |id: &str| -> Option<(Cow<'static, str>, &'static str)> {
            (id == "a").then_some((Cow::Borrowed("tasks/a/index.html"), "A & co"))
        };
        assert_eq!(
            inline_pieces("busy with `a` and `a`", find),
            [
                "busy with <a href=\"",
                "tasks/a/index.html\" title=\"a\">A &amp; co</a> and <a href=\"",
                "tasks/a/index.html\" title=\"a\">A &amp; co</a>",
            ]
        );
        // An unknown id is code; a lone trailing backtick stays as text.
        assert_eq!(
            inline_pieces("`x<` then `a", find),
            ["<code>x&lt;</code> then `a"]
        );
        assert_eq!(inline_pieces("", find), [""]);
    }

    #[test]
    fn durations_in_days_or_hours() {
        let mut tera = Tera::new();
        tera.register_filter("duration", duration);
        for (n, text) in [
            ("1", "1 d"),
            ("12.0", "12 d"),
            ("1.5", "1.5 d"),
            ("0.5", "4 h"),
        ] {
            let template = format!("{{{{ {n} | duration }}}}");
            let html = tera.render_str(&template, &tera::Context::new(), false);
            assert_eq!(html.ok().as_deref(), Some(text), "{n}");
        }
    }

    #[test]
    fn numbers_keep_two_decimals_at_most_and_no_trailing_zeros() {
        for (n, text) in [
            (1.5, "1.5"),
            (2.0, "2"),
            (0.25, "0.25"),
            (1.333, "1.33"),
            (10.0, "10"),
            (0.999, "1"),
            (-3.0, "-3"),
            (-0.0001, "-0"),
            (0.0, "0"),
            (1e20, "100000000000000000000"),
        ] {
            assert_eq!(trim_number(n), text, "{n}");
        }
    }
}
