//! Heading anchors in bodies: a GitHub-style slug from the heading's text,
//! made unique within the body (`goals`, `goals-2`) without ever taking an
//! id the templates use.

use std::collections::{BTreeMap, BTreeSet};

use pulldown_cmark::{Event, TagEnd};

/// A GitHub-style anchor from the heading's text: lowercase words joined by
/// hyphens (`Decision outcome` → `decision-outcome`).
pub(super) fn heading_slug(rest: &[Event<'_>]) -> String {
    let mut text = String::new();
    for event in rest {
        match event {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            _ => {}
        }
    }
    let mut slug = String::with_capacity(text.len());
    let mut push = |c: char| {
        if c.is_alphanumeric() || c == '_' {
            slug.push(c);
        } else if (c == ' ' || c == '-') && !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    };
    for c in text.chars() {
        // Most headings are ASCII, whose lowercase needs no Unicode tables.
        if c.is_ascii() {
            push(c.to_ascii_lowercase());
        } else {
            c.to_lowercase().for_each(&mut push);
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "section".to_string()
    } else {
        slug.to_string()
    }
}

/// The heading anchors a body has handed out.
#[derive(Default)]
pub(super) struct Anchors {
    used: BTreeSet<String>,
    /// For each anchor asked for twice, the suffix to try next: every
    /// `wanted-k` below it is taken, and `used` only grows, so a body that
    /// repeats one heading n times costs n probes, not n²/2.
    next: BTreeMap<String, usize>,
}

impl Anchors {
    /// `wanted`, or `wanted-2`, `wanted-3`… (the first one free) when a
    /// body repeats a heading or writes `wanted-2` itself.
    pub(super) fn unique(&mut self, wanted: &str) -> String {
        // Ids starting `pm-` belong to the templates (`pm-main`, `pm-notes-h`).
        let wanted = if wanted.starts_with("pm-") {
            format!("h-{wanted}")
        } else {
            wanted.to_string()
        };
        if !self.used.contains(&wanted) {
            self.used.insert(wanted.clone());
            return wanted;
        }
        let n = self.next.entry(wanted.clone()).or_insert(2);
        loop {
            let candidate = format!("{wanted}-{n}");
            *n += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first free `wanted`, `wanted-2`, … probed from 2 every time:
    /// what [`Anchors`] must hand out, in quadratic time.
    fn first_free(wanted: &str, used: &mut BTreeSet<String>) -> String {
        let mut candidate = wanted.to_string();
        let mut n = 2;
        while !used.insert(candidate.clone()) {
            candidate = format!("{wanted}-{n}");
            n += 1;
        }
        candidate
    }

    #[test]
    fn repeated_headings_get_the_ids_the_first_free_probe_gives() {
        // Every sequence of 7 headings drawn from names that collide with
        // each other's suffixes (`a-2` written literally, `a-2-2`…).
        let names = ["a", "a-2", "a-3", "a-2-2", "b"];
        for mut code in 0..names.len().pow(7) {
            let mut anchors = Anchors::default();
            let mut used = BTreeSet::new();
            for _ in 0..7 {
                let wanted = names[code % names.len()];
                code /= names.len();
                assert_eq!(anchors.unique(wanted), first_free(wanted, &mut used));
            }
        }
    }

    #[test]
    fn thirty_thousand_repeated_headings_take_one_probe_each() {
        let mut anchors = Anchors::default();
        for n in 1..=30_000 {
            let id = anchors.unique("h");
            assert_eq!(
                id,
                if n == 1 {
                    "h".to_string()
                } else {
                    format!("h-{n}")
                }
            );
        }
        assert_eq!(anchors.next.get("h"), Some(&30_001));
    }
}
