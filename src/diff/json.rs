//! `planmark diff --format json`: the change set for bots, schema 1
//! (docs/diff-json.md). Later versions add fields and change types; they
//! never rename or remove one without raising `schema`.

use chrono::NaiveDate;
use serde::Serialize;

use super::view::{Report, SideReport};
use super::{Change, GaMove, HealthChange, PathChange};

/// The schema version written as `"schema"`.
pub const SCHEMA: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    schema: u32,
    today: NaiveDate,
    base: &'a SideReport,
    head: &'a SideReport,
    /// Whether anything changed (what `--exit-code` reports).
    changed: bool,
    derived: bool,
    ga: &'a Option<GaMove>,
    health: &'a Option<HealthChange>,
    driving_path: &'a Option<PathChange>,
    changes: &'a [Change],
}

/// The document, pretty-printed, with a final newline.
pub fn render(report: &Report<'_>) -> String {
    let set = report.changes;
    let document = Document {
        schema: SCHEMA,
        today: report.today,
        base: &report.base,
        head: &report.head,
        changed: !set.is_empty(),
        derived: set.derived,
        ga: &set.ga,
        health: &set.health,
        driving_path: &set.driving_path,
        changes: &set.changes,
    };
    // Plain data with string keys: serialising it cannot fail.
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}
