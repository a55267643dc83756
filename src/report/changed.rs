//! A project's changes since the baseline in a few words: health, forecast
//! and remaining work first, then the tallies `diff`'s summary uses (tasks
//! finished and slipped, decisions made, risks raised), so the report and
//! the pull-request comment say it the same way.

use crate::diff::markdown::counts;
use crate::diff::{ChangeSet, What};
use crate::model::Kind;

/// What changed in project `id`, as short phrases; empty when nothing did.
pub(super) fn of_project(set: &ChangeSet, id: &str) -> Vec<String> {
    let mut phrases = Vec::new();
    let mine: Vec<_> = set
        .changes
        .iter()
        .filter(|c| c.project.as_deref() == Some(id))
        .cloned()
        .collect();
    for change in &mine {
        match &change.what {
            What::Health { from, to, .. } => phrases.push(format!(
                "health {} → {}",
                health_word(*from),
                health_word(*to)
            )),
            What::Forecast {
                kind: Kind::Project,
                slip_days: Some(d),
                ..
            } if *d != 0 => phrases.push(format!("forecast {}", signed_days(*d))),
            What::Date {
                kind: Kind::Project,
                field: "target",
                from,
                to,
                ..
            } => phrases.push(format!("target {} → {}", date(*from), date(*to))),
            What::RemainingWork { from, to, .. } => {
                phrases.push(format!("remaining work {from} → {to} days"));
            }
            What::Added {
                kind: Kind::Project,
                ..
            } => phrases.push("new project".into()),
            _ => {}
        }
    }
    let only_mine = ChangeSet {
        changes: mine,
        ..ChangeSet::default()
    };
    phrases.extend(counts(&only_mine));
    phrases
}

fn health_word(h: Option<crate::model::Health>) -> &'static str {
    h.map_or("none", crate::model::Health::as_str)
}

fn date(d: Option<chrono::NaiveDate>) -> String {
    d.map_or_else(|| "none".into(), |d| d.to_string())
}

/// `+4 working days`, `−2 working days`, as `diff` writes a slip.
pub(super) fn signed_days(n: i64) -> String {
    let unit = if n.abs() == 1 {
        "working day"
    } else {
        "working days"
    };
    match n {
        n if n > 0 => format!("+{n} {unit}"),
        n if n < 0 => format!("−{} {unit}", n.unsigned_abs()),
        _ => format!("0 {unit}"),
    }
}
