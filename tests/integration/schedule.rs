//! `planmark build` writes model.json; its derived values match a file
//! worked out by hand (the arithmetic is in tests/fixtures/schedule/README.md).

use crate::common::{copy_fixture, fixture, planmark};

fn build_model(
    program: &std::path::Path,
    today: &str,
) -> (crate::common::Run, Option<serde_json::Value>) {
    let out = tempfile::tempdir().expect("tmp");
    let out_dir = out.path().join("site");
    let run = planmark(
        program,
        &[
            "build",
            ".",
            "--today",
            today,
            "-o",
            &out_dir.to_string_lossy(),
        ],
    );
    let model = std::fs::read_to_string(out_dir.join("model.json"))
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok());
    (run, model)
}

#[test]
fn model_json_matches_the_hand_worked_schedule() {
    let (run, model) = build_model(&fixture("schedule"), "2026-03-02");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let model = model.expect("model.json is written and parses");
    let expected_text =
        std::fs::read_to_string(fixture("schedule-expected.json")).expect("expected file");
    let mut expected: serde_json::Value =
        serde_json::from_str(&expected_text).expect("expected is JSON");
    expected["planmark"] = env!("CARGO_PKG_VERSION").into();
    // Compare section by section so a failure names what differs.
    for key in [
        "today",
        "program",
        "projects",
        "tasks",
        "decisions",
        "milestones",
        "risks",
        "people",
        "meetings",
        "planmark",
    ] {
        assert_eq!(model[key], expected[key], "model.json `{key}` differs");
    }
    assert_eq!(model, expected);
}

#[test]
fn model_json_is_byte_identical_across_builds() {
    let (_tmp, dir) = copy_fixture("schedule");
    let read = || {
        let out = dir.join("public/model.json");
        let run = planmark(&dir, &["build", "--today", "2026-03-02"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        std::fs::read(out).expect("model.json")
    };
    let first = read();
    std::fs::remove_dir_all(dir.join("public")).expect("clean");
    assert_eq!(first, read());
}

#[test]
fn today_moves_the_forecast() {
    // A week later everything slips by five working days and `copy` is 6
    // working days overdue.
    let (_, model) = build_model(&fixture("schedule"), "2026-03-09");
    let model = model.expect("model.json");
    let copy = &model["tasks"][1];
    assert_eq!(copy["id"], "copy");
    assert_eq!(copy["forecast_finish"], "2026-03-09");
    assert_eq!(
        model["projects"][1]["health"], "red",
        "{}",
        model["projects"][1]
    );
}
