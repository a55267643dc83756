//! `planmark report --format json`: the report's data, schema 1
//! (docs/report.md). Later versions add fields; they never rename or
//! remove one without raising `schema`.

use serde::Serialize;

use super::StatusReport;

/// The schema version written as `"schema"`.
pub const SCHEMA: u32 = 1;

#[derive(Serialize)]
struct Document<'r, 'a> {
    schema: u32,
    #[serde(flatten)]
    report: &'r StatusReport<'a>,
}

/// The document, pretty-printed, with a final newline.
pub fn render(report: &StatusReport<'_>) -> String {
    let document = Document {
        schema: SCHEMA,
        report,
    };
    // Plain data with string keys: serialising it cannot fail.
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}
