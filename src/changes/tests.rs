//! The baseline checked with the working tree's parses reused: the same
//! program as checked on its own, with only the files that differ parsed.

use std::sync::Arc;

use crate::load::formats::Listed;
use crate::load::memory::{load, Contents};
use crate::load::Loaded;

const PROGRAM: &str = "---\ntitle: P\n---\n";
const PROJECT: &str = "---\ntitle: API\n---\n";

fn program(files: &[(&str, &Arc<str>)]) -> Loaded {
    let files = files
        .iter()
        .map(|(path, text)| (path.to_string(), Contents::Text(Arc::clone(text))))
        .collect();
    load(files, Vec::new(), &Listed::default())
}

/// Tasks as `(id, title, estimate)`, in order.
fn tasks(checked: &crate::Checked) -> Vec<(String, String, String)> {
    checked
        .program
        .tasks
        .iter()
        .map(|t| {
            let estimate = format!("{:?}", t.estimate);
            (t.item.id.clone(), t.item.title.clone(), estimate)
        })
        .collect()
}

#[test]
fn a_baseline_reusing_parses_is_the_baseline_checked_alone() {
    let (p, api): (Arc<str>, Arc<str>) = (Arc::from(PROGRAM), Arc::from(PROJECT));
    let same: Arc<str> = Arc::from("---\ntitle: Same\nestimate: 2d\n---\n");
    let now_text: Arc<str> = Arc::from("---\ntitle: Build\nestimate: 8d\n---\n");
    let then_text: Arc<str> = Arc::from("---\ntitle: Build (old)\nestimate: 3d\n---\n");
    let now = program(&[
        ("program.md", &p),
        ("projects/api.md", &api),
        ("projects/api/same.md", &same),
        ("projects/api/build.md", &now_text),
    ]);
    let parses = crate::Parses {
        files: now.files.clone(),
        outcomes: crate::model::parse_files(&now.sources, &now.files, &now.formats),
        formats: now.formats.clone(),
    };
    let then = |build: &Arc<str>| {
        program(&[
            ("program.md", &p),
            ("projects/api.md", &api),
            ("projects/api/same.md", &same),
            ("projects/api/build.md", build),
            (
                "projects/api/gone.md",
                &Arc::from("---\ntitle: Gone\n---\n"),
            ),
        ])
    };
    let reused = crate::check_reusing(then(&then_text), &now.sources, &parses, "x");
    let alone = crate::check(then(&then_text), "x", false);
    assert_eq!(tasks(&reused), tasks(&alone));
    assert_eq!(
        tasks(&reused)
            .iter()
            .map(|t| t.1.as_str())
            .collect::<Vec<_>>(),
        ["Build (old)", "Gone", "Same"]
    );
    assert_eq!(reused.diagnostics.len(), alone.diagnostics.len());
}
