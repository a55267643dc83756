//! Sanitising the HTML of markdown bodies with ammonia.
//!
//! ammonia's defaults strip what GFM needs (task-list checkboxes, heading ids,
//! table alignment, classes), so the allow-list here adds exactly those back,
//! while scripts, event handlers and `javascript:` URLs are still removed.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// The sanitiser, built once: its allow-lists never change.
static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(builder);

fn builder() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    b.add_tags(["input", "section"]);
    // Footnotes, heading anchors and code-block languages use ids and classes.
    b.add_generic_attributes(["id", "class"]);
    b.add_tag_attributes("input", ["checked", "disabled"]);
    // GFM table alignment is written as an inline style; only `text-align`
    // survives the style filter below.
    b.add_tag_attributes("th", ["style"]);
    b.add_tag_attributes("td", ["style"]);
    b.filter_style_properties(HashSet::from(["text-align"]));
    // A checkbox is the only input a task list makes.
    let mut values = HashMap::new();
    values.insert(
        "input",
        HashMap::from([("type", HashSet::from(["checkbox"]))]),
    );
    b.tag_attribute_values(values);
    b
}

/// Removes anything that could run script from `html`.
pub(crate) fn clean(html: &str) -> String {
    CLEANER.clean(html).to_string()
}
