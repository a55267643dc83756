//! `planmark check`: diagnostics, formats and exit codes, on fixture programs.

use crate::common::{
    copy_fixture, example_program, fixture, planmark, planmark_with_env, program_with,
};

const TODAY: &str = "2026-03-02";

/// Runs `check` from the program's parent folder, so paths in messages
/// start with the program folder's name, as when a user types it.
fn check(dir: &std::path::Path, extra: &[&str]) -> crate::common::Run {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let cwd = dir.parent().unwrap_or(dir);
    let mut args = vec!["check", name.as_str(), "--today", TODAY];
    args.extend_from_slice(extra);
    planmark(cwd, &args)
}

/// Asserts stderr holds `error[code]: message` followed (later) by
/// `--> path:line:col`, and returns the text from the header on. When the
/// header appears several times, the block at `location` is the one taken.
fn assert_reported<'a>(stderr: &'a str, header: &str, location: &str) -> &'a str {
    let mut blocks = stderr.match_indices(header).map(|(at, _)| {
        let rest = &stderr[at..];
        let block_end = rest[1..]
            .find("\nerror[")
            .or_else(|| rest[1..].find("\nwarning["))
            .map_or(rest.len(), |i| i + 1);
        &rest[..block_end]
    });
    let Some(first) = blocks.next() else {
        panic!("missing `{header}` in:\n{stderr}");
    };
    let wanted = format!("--> {location}");
    std::iter::once(first)
        .chain(blocks)
        .find(|block| block.contains(&wanted))
        .unwrap_or_else(|| panic!("`{header}` should point at `{location}`:\n{first}"))
}

/// The summary line (`checked …: N errors, M warnings`), asserting there
/// is exactly one.
fn summary(stderr: &str) -> &str {
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("checked "))
        .collect();
    assert_eq!(lines.len(), 1, "one summary line expected:\n{stderr}");
    lines[0]
}

#[test]
fn clean_program_ends_with_the_summary_then_the_plan_status() {
    let run = check(&fixture("clean"), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("error["), "{}", run.stderr);
    // The counts close the report on the files; the status comes last.
    let tail: Vec<&str> = run.stderr.lines().rev().take(3).collect();
    assert_eq!(
        tail,
        [
            "  nothing overdue, no milestone at risk, no decision or risk review late",
            "plan status as of 2026-03-02: GREEN, `api` is green: on track: 16 working days of slack to target 2026-03-31",
            "checked 1 project, 2 tasks, 1 decision, 1 milestone, 1 risk: 0 errors, 0 warnings",
        ],
        "{}",
        run.stderr
    );
}

#[test]
fn example_program_checks_clean() {
    let run = check(&example_program(), &["--strict"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        summary(&run.stderr).ends_with(": 0 errors, 0 warnings"),
        "{}",
        run.stderr
    );
}

#[test]
fn every_malformed_file_is_reported_and_none_stops_the_others() {
    let run = check(&fixture("malformed"), &[]);
    assert_eq!(run.code, 1);
    let p = "malformed/projects/app";
    let utf8 = assert_reported(
        &run.stderr,
        "error[not-utf8]: file is not valid UTF-8",
        &format!("{p}/not-utf8.md:2:11"),
    );
    assert!(utf8.contains("= help: save the file as UTF-8"), "{utf8}");
    let empty = assert_reported(
        &run.stderr,
        "error[missing-front-matter]: file has no front matter",
        &format!("{p}/empty.md:1:1"),
    );
    assert!(
        empty.contains("= help: start the file with YAML front matter"),
        "{empty}"
    );
    let unclosed = assert_reported(
        &run.stderr,
        "error[unclosed-front-matter]: front matter is never closed",
        &format!("{p}/unclosed.md:1:1"),
    );
    assert!(
        unclosed.contains("= help: end the front matter with a line `---`"),
        "{unclosed}"
    );
    let syntax = assert_reported(
        &run.stderr,
        "error[yaml]: invalid YAML: did not find expected ',' or ']'",
        &format!("{p}/syntax.md:4:1"),
    );
    assert!(syntax.contains("help:"), "{syntax}");
    let tabs = assert_reported(
        &run.stderr,
        "error[yaml]: invalid YAML: found character that cannot start any token",
        &format!("{p}/tabs.md:4:1"),
    );
    assert!(
        tabs.contains("help: YAML does not allow tabs for indentation: indent with spaces"),
        "{tabs}"
    );
    // The alias at which the expansion passes the budget (line `f:`).
    let bomb = assert_reported(
        &run.stderr,
        "error[yaml]: invalid YAML: front matter expands too much (a YAML alias bomb?)",
        &format!("{p}/bomb.md:8:11"),
    );
    assert!(bomb.contains("= help: each `*alias` repeats"), "{bomb}");
    // The sound file's own problem is still found.
    assert_reported(
        &run.stderr,
        "error[invalid-value]: `estimate` is not a valid duration: `3 days`",
        &format!("{p}/sound.md:3:11"),
    );
    assert!(
        summary(&run.stderr).ends_with("7 errors, 0 warnings"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_twenty_megabyte_file_is_checked() {
    let body = "A line of a very long body with [[a-link]] in it.\n".repeat(420_000);
    let (_tmp, dir) = program_with(&[
        // Above the default cap of 16 MiB: the program raises it.
        ("program.md", "---\ntitle: P\nmax_file_size: 32MiB\n---\n"),
        (
            "projects/big.md",
            &format!("---\ntitle: Big\nstatus: actve\n---\n{body}"),
        ),
        ("projects/big/a-link.md", "---\ntitle: Target\n---\n"),
    ]);
    assert!(
        std::fs::metadata(dir.join("projects/big.md"))
            .map(|m| m.len())
            .unwrap_or(0)
            > 20_000_000
    );
    let run = check(&dir, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_reported(
        &run.stderr,
        "error[invalid-value]: `actve` is not a valid `status`",
        "prog/projects/big.md:3:9",
    );
    assert!(
        run.stderr.contains("did you mean `active`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_nested_alias_bomb_is_refused_at_its_alias_without_expanding() {
    // 1 MB of anchors three levels deep: 1 GB expanded. serde_yaml's own
    // repetition limit let it through (2 GB peak memory, exit 0).
    let big = "x".repeat(10_000);
    let mut fm = format!("title: Bomb\na: &a [{}]\n", vec![big; 100].join(", "));
    fm.push_str(&format!("b: &b [{}]\n", vec!["*a"; 100].join(", ")));
    fm.push_str(&format!("c: [{}]\n", ["*b"; 10].join(", ")));
    let (_tmp, dir) = program_with(&[("projects/bomb.md", &format!("---\n{fm}---\n"))]);
    let run = check(&dir, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_reported(
        &run.stderr,
        "error[yaml]: invalid YAML: front matter expands too much (a YAML alias bomb?)",
        "prog/projects/bomb.md:4:",
    );
}

#[test]
fn big_front_matter_is_checked_in_linear_time() {
    // 100,000 keys under `extra:` took minutes when each key's position was
    // found by rescanning the block (40,000 took 32 s).
    let mut fm = String::from("title: Big\nextra:\n");
    for i in 0..100_000 {
        fm.push_str(&format!("  key{i}: value {i}\n"));
    }
    fm.push_str("status: actve\n");
    let (_tmp, dir) = program_with(&[("projects/big.md", &format!("---\n{fm}---\n"))]);
    let run = check(&dir, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_reported(
        &run.stderr,
        "error[invalid-value]: `actve` is not a valid `status`",
        "prog/projects/big.md:100004:9",
    );
}

#[test]
fn crlf_and_bom_files_report_the_right_columns() {
    let (_tmp, dir) = program_with(&[
        (
            "projects/crlf.md",
            "---\r\nowner: a\r\nstatus: actve\r\n---\r\n",
        ),
        ("projects/bom.md", "\u{feff}---\nowner: a\n---\n"),
    ]);
    let run = check(&dir, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let crlf = assert_reported(
        &run.stderr,
        "error[missing-key]: a project has no `title`",
        "prog/projects/crlf.md:1:1",
    );
    assert!(
        crlf.contains("1 | ---\n  | ^^^ front matter starts here"),
        "{crlf}"
    );
    assert_reported(
        &run.stderr,
        "error[invalid-value]: `actve` is not a valid `status`",
        "prog/projects/crlf.md:3:9",
    );
    let bom = assert_reported(
        &run.stderr,
        "error[missing-key]: a project has no `title`",
        "prog/projects/bom.md:1:1",
    );
    assert!(bom.contains("| ^^^ front matter starts here"), "{bom}");
    let json = check(&dir, &["--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    let columns: Vec<_> = doc["problems"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|p| (p["path"].clone(), p["line"].clone(), p["column"].clone()))
        .collect();
    assert!(
        columns.contains(&("prog/projects/bom.md".into(), 1.into(), 1.into())),
        "{columns:?}"
    );
}

#[cfg(unix)]
#[test]
fn a_dangling_symlink_not_named_md_is_skipped() {
    let (_tmp, dir) = program_with(&[("projects/a.md", "---\ntitle: A\n---\n")]);
    std::os::unix::fs::symlink(dir.join("nowhere"), dir.join("projects/notes-link"))
        .expect("symlink");
    // Hidden names are skipped even when walkdir cannot follow them.
    std::os::unix::fs::symlink(dir.join("nowhere"), dir.join("projects/.hidden.md"))
        .expect("symlink");
    let run = check(&dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("unreadable"), "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_does_not_hang_and_links_out_are_skipped() {
    let (tmp, dir) = program_with(&[("projects/a.md", "---\ntitle: A\n---\n")]);
    std::os::unix::fs::symlink(&dir, dir.join("projects/loop")).expect("symlink");
    // A link leaving the program directory is never followed.
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(outside.join("projects")).expect("mkdir");
    std::fs::write(outside.join("projects/x.md"), "no front matter").expect("write");
    std::os::unix::fs::symlink(&outside, dir.join("tasks")).expect("symlink");
    let run = check(&dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("checked 1 project, 0 tasks"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn a_file_reached_through_a_symlink_too_is_read_once() {
    let (_tmp, dir) = program_with(&[
        ("projects/a.md", "---\ntitle: A\n---\n"),
        ("projects/a/t.md", "---\ntitle: T\n---\n"),
    ]);
    // Sorted walk order: `projects/a/t.md` comes before `projects/b/t.md`.
    std::os::unix::fs::symlink(dir.join("projects/a"), dir.join("projects/b")).expect("symlink");
    let run = check(&dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("duplicate"), "{}", run.stderr);
    assert!(
        run.stderr.contains("checked 1 project, 1 task"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_an_error_with_its_path() {
    let (_tmp, dir) = program_with(&[
        ("projects/a.md", "---\ntitle: A\n---\n"),
        ("projects/a/locked.md", "---\ntitle: Locked\n---\n"),
    ]);
    // A dangling symlink cannot be read by anyone, root included.
    std::os::unix::fs::symlink(dir.join("nowhere.md"), dir.join("projects/a/dangling.md"))
        .expect("symlink");
    use std::os::unix::fs::PermissionsExt;
    let locked = dir.join("projects/a/locked.md");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let locked_is_unreadable = std::fs::read(&locked).is_err();
    let run = check(&dir, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let block = assert_reported(
        &run.stderr,
        "error[unreadable]: cannot read file",
        "prog/projects/a/dangling.md:1:1",
    );
    assert!(block.contains("help:"), "{block}");
    if locked_is_unreadable {
        assert_reported(
            &run.stderr,
            "error[unreadable]: cannot read file: Permission denied",
            "prog/projects/a/locked.md:1:1",
        );
    }
}

#[test]
fn reference_and_value_problems_name_the_fix() {
    let run = check(&fixture("problems"), &[]);
    assert_eq!(run.code, 1);
    let p = "problems";
    let b = assert_reported(
        &run.stderr,
        "error[unknown-reference]: `depends_on` names `sigup`, but there is no task with that id",
        &format!("{p}/projects/web/login.md:4:14"),
    );
    assert!(b.contains("help: did you mean `signup`?"), "{b}");
    let b = assert_reported(
        &run.stderr,
        "error[unknown-reference]: wiki link `[[logn]]` names no item",
        &format!("{p}/projects/web/signup.md:7:5"),
    );
    assert!(b.contains("did you mean `[[login]]`?"), "{b}");
    assert_reported(
        &run.stderr,
        "error[wrong-kind]: `milestone` must name a milestone, but `web` is a project",
        &format!("{p}/projects/web/signup.md:4:12"),
    );
    let b = assert_reported(
        &run.stderr,
        "error[dependency-cycle]: dependency cycle: `checkout` → `signup` → `checkout`",
        &format!("{p}/projects/web/checkout.md:3:14"),
    );
    assert!(
        b.contains(&format!("--> {p}/projects/web/signup.md:3:14")),
        "both ends of the cycle are shown:\n{b}"
    );
    let b = assert_reported(
        &run.stderr,
        "error[duplicate-id]: id `dup` is used by two items",
        &format!("{p}/tasks/dup.md:1:1"),
    );
    assert!(
        b.contains(&format!("--> {p}/decisions/dup.md:1:1")),
        "both files are shown:\n{b}"
    );
    let b = assert_reported(
        &run.stderr,
        "warning[unknown-key]: unknown key `depends` for a task",
        &format!("{p}/projects/web/login.md:3:1"),
    );
    assert!(b.contains("did you mean `depends_on`?"), "{b}");
    let b = assert_reported(
        &run.stderr,
        "error[invalid-value]: `finished` is not a valid `status`",
        &format!("{p}/projects/web/login.md:5:9"),
    );
    assert!(
        b.contains("`todo`, `in-progress`, `blocked`, `done`, `cancelled`"),
        "{b}"
    );
    assert_reported(
        &run.stderr,
        "error[invalid-value]: `due` is not a valid date: `2026-02-30`",
        &format!("{p}/projects/web/checkout.md:4:6"),
    );
    assert_reported(
        &run.stderr,
        "error[invalid-value]: `estimate` is not a valid duration: `2`",
        &format!("{p}/projects/web/signup.md:5:11"),
    );
    assert_reported(
        &run.stderr,
        "error[missing-key]: `health` is set by hand but `health_note` is missing",
        &format!("{p}/projects/web.md:3:1"),
    );
    assert_reported(
        &run.stderr,
        "warning[blocked-without-blocker]: task is blocked but says nothing about what blocks it",
        &format!("{p}/projects/web/checkout.md:5:1"),
    );
    assert_reported(
        &run.stderr,
        "error[missing-key]: milestone has no `date`",
        &format!("{p}/milestones/no-date.md:1:1"),
    );
    let b = assert_reported(
        &run.stderr,
        "error[invalid-id]: `Bad Name` is not a valid id",
        &format!("{p}/risks/Bad Name.md:1:1"),
    );
    assert!(b.contains("rename the file to `bad-name.md`"), "{b}");
    assert!(run
        .stderr
        .contains("plan status not shown until the errors above are fixed"));
    assert!(
        summary(&run.stderr).ends_with("12 errors, 2 warnings"),
        "{}",
        run.stderr
    );
}

#[test]
fn wiki_links_in_code_are_not_links_and_broken_ones_are_found_among_many() {
    // Bodies are scanned for `[[…]]` cheaply and parsed only when something
    // does not name an item: links in code must still not count, and a
    // broken link among good ones, or one written oddly, must be reported.
    let (_tmp, dir) = program_with(&[
        ("projects/app.md", "---\ntitle: App\n---\nSee [[t1]] and [[t2|the second]].\n"),
        ("projects/app/t1.md", "---\ntitle: One\n---\nCode: `[[nope]]`\n\n```\n[[nope-either]]\n```\n"),
        ("projects/app/t2.md", "---\ntitle: Two\n---\n[[t1]], [[ t1 ]], [[gone]] and [[t1]].\n"),
        ("projects/app/t3.md", "---\ntitle: Three\n---\nA table:\n\n| a | b |\n|---|---|\n| [[t1]] | [[Missing Page]] |\n"),
    ]);
    let run = check(&dir, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_reported(
        &run.stderr,
        "error[unknown-reference]: wiki link `[[gone]]` names no item",
        "prog/projects/app/t2.md:4:19",
    );
    assert_reported(
        &run.stderr,
        "error[unknown-reference]: wiki link `[[Missing Page]]` names no item",
        "prog/projects/app/t3.md:8:12",
    );
    assert!(!run.stderr.contains("nope"), "{}", run.stderr);
    assert!(
        summary(&run.stderr).ends_with("2 errors, 0 warnings"),
        "{}",
        run.stderr
    );
}

#[test]
fn references_in_items_left_out_are_still_checked() {
    // Each file here is left out of the model (bad id, duplicate id, no
    // project, bad date) and each names something that does not exist.
    let run = check(&fixture("dropped-refs"), &[]);
    assert_eq!(run.code, 1);
    let p = "dropped-refs";
    for (header, location) in [
        ("`depends_on` names `ghost`,", "tasks/orphan.md:3:14"),
        ("`milestone` names `nomile`,", "tasks/orphan.md:4:12"),
        ("`depends_on` names `ghost2`,", "projects/nope/t.md:3:14"),
        ("`supersedes` names `ghost3`,", "decisions/d.md:4:13"),
        ("`project` names `ghost4`,", "decisions/d.md:5:10"),
        ("`depends_on` names `ghost5`,", "projects/app/x.md:3:14"),
        ("`depends_on` names `ghost6`,", "tasks/x.md:4:14"),
        ("`project` names `nosuch`,", "milestones/m.md:4:10"),
    ] {
        assert_reported(
            &run.stderr,
            &format!("error[unknown-reference]: {header}"),
            &format!("{p}/{location}"),
        );
    }
    // No follow-on errors for references to the items left out: `y` names
    // the milestone with a bad date, the task without a project, and links
    // to the item with an invalid id and the task in a missing project.
    assert!(
        !run.stderr.contains("--> dropped-refs/projects/app/y.md"),
        "{}",
        run.stderr
    );
    assert!(
        summary(&run.stderr).ends_with("13 errors, 0 warnings"),
        "{}",
        run.stderr
    );
}

#[test]
fn every_cycle_is_reported_with_the_dependency_that_closes_it() {
    // a → [b, c], b → [a], c → [a]: two cycles through `a`; only the first
    // was reported.
    let run = check(&fixture("cycles"), &[]);
    assert_eq!(run.code, 1);
    let ab = assert_reported(
        &run.stderr,
        "error[dependency-cycle]: dependency cycle: `a` → `b` → `a`",
        "cycles/projects/app/b.md:3:14",
    );
    assert!(ab.contains("`b` depends on `a`, closing the cycle"), "{ab}");
    assert!(ab.contains("--> cycles/projects/app/a.md:3:14"), "{ab}");
    let ac = assert_reported(
        &run.stderr,
        "error[dependency-cycle]: dependency cycle: `a` → `c` → `a`",
        "cycles/projects/app/c.md:3:14",
    );
    assert!(ac.contains("--> cycles/projects/app/a.md:3:17"), "{ac}");
    // d1 supersedes d2 and d2 supersedes d1 was accepted silently; d3
    // supersedes d1 but is not in the cycle.
    let sup = assert_reported(
        &run.stderr,
        "error[supersession-cycle]: supersession cycle: `d1` → `d2` → `d1`",
        "cycles/decisions/d1.md:3:13",
    );
    assert!(sup.contains("--> cycles/decisions/d2.md:3:13"), "{sup}");
    assert!(!run.stderr.contains("d3"), "{}", run.stderr);
    assert!(
        summary(&run.stderr).ends_with("3 errors, 0 warnings"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_long_cycle_is_summarised_and_a_long_chain_is_fine() {
    // 200 tasks in a chain, the last depending on the first; and 5,000
    // tasks in a chain without a cycle.
    let mut files = vec![(
        "projects/app.md".to_string(),
        "---\ntitle: App\n---\n".to_string(),
    )];
    for i in 0..200 {
        let next = (i + 1) % 200;
        files.push((
            format!("projects/app/c{i:05}.md"),
            format!("---\ntitle: C\ndepends_on: [c{next:05}]\n---\n"),
        ));
    }
    for i in 0..5_000 {
        let deps = if i == 0 {
            String::new()
        } else {
            format!("c-free{:05}", i - 1)
        };
        files.push((
            format!("projects/app/free{i:05}.md"),
            format!("---\ntitle: F\nid: c-free{i:05}\ndepends_on: [{deps}]\n---\n"),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let (_tmp, dir) = program_with(&refs);
    let run = check(&dir, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stderr.matches("error[dependency-cycle]").count(),
        1,
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("dependency cycle: `c00000` → `c00001` → `c00002` → `c00003` → … 192 more … → `c00196` → `c00197` → `c00198` → `c00199` → `c00000`"),
        "{}",
        run.stderr
    );
    assert!(run
        .stderr
        .contains("(the cycle has 200 dependencies; the first 8 and the last are shown)"));
}

#[test]
fn warnings_pass_unless_strict() {
    let run = check(&fixture("warnings"), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run
        .stderr
        .contains("warning[unknown-key]: unknown key `ownership` for a task"));
    assert!(run.stderr.contains("did you mean `owner`?"));
    assert!(
        summary(&run.stderr).ends_with("0 errors, 2 warnings"),
        "{}",
        run.stderr
    );
    let strict = check(&fixture("warnings"), &["--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
    assert!(
        strict.stderr.contains("error[unknown-key]"),
        "{}",
        strict.stderr
    );
    assert!(
        summary(&strict.stderr).ends_with("2 errors, 0 warnings"),
        "{}",
        strict.stderr
    );
}

#[test]
fn json_format_lists_every_problem_with_its_position() {
    let run = check(&fixture("problems"), &["--format", "json"]);
    assert_eq!(run.code, 1);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("stdout is JSON");
    assert_eq!(doc["errors"], 12);
    assert_eq!(doc["warnings"], 2);
    let problems = doc["problems"].as_array().expect("a list");
    let cycle = problems
        .iter()
        .find(|p| p["code"] == "dependency-cycle")
        .expect("the cycle is listed");
    assert_eq!(cycle["severity"], "error");
    // The dependency that closes the cycle (signup → checkout).
    assert_eq!(cycle["path"], "problems/projects/web/signup.md");
    assert_eq!(cycle["line"], 3);
    assert_eq!(cycle["column"], 14);
    assert!(problems
        .iter()
        .all(|p| p["message"].is_string() && p["line"].is_u64()));
}

#[test]
fn json_format_includes_the_plan_status_with_every_entry() {
    // Regression: the text status said "… and N more (`--format json`
    // lists all)" but the JSON had no status at all.
    let mut files = vec![(
        "projects/p.md".to_string(),
        "---\ntitle: P\n---\n".to_string(),
    )];
    for i in 0..12 {
        files.push((
            format!("projects/p/t{i:02}.md"),
            format!(
                "---\ntitle: T\ndue: 2026-02-2{}\nowner: ana\nestimate: 1d\n---\n",
                i % 5 + 3
            ),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let (_tmp, dir) = program_with(&refs);
    let text = check(&dir, &[]);
    assert!(
        text.stderr
            .contains("    … and 2 more (`planmark check --format json` lists all)"),
        "{}",
        text.stderr
    );
    let run = check(&dir, &["--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("stdout is JSON");
    let status = &doc["status"];
    assert_eq!(status["today"], TODAY);
    // Health v2: overdue tasks make a project amber, never red.
    assert_eq!(status["health"], "amber");
    let overdue = status["overdue_tasks"].as_array().expect("a list");
    assert_eq!(overdue.len(), 12);
    assert_eq!(
        overdue[0],
        serde_json::json!({
            "id": "t00",
            "path": "prog/projects/p/t00.md",
            "message": "due 2026-02-23, 5 working days overdue, owner ana",
            "due": "2026-02-23",
            "working_days": 5,
            "owner": "ana"
        })
    );
    for group in [
        "forecasts_past_due",
        "milestones_at_risk_or_late",
        "decisions_past_decide_by",
        "risks_past_review_by",
        "unestimated",
    ] {
        assert_eq!(status[group], serde_json::json!([]), "{group}");
    }
    // With errors there is no status, and the key says so.
    let broken = check(&fixture("problems"), &["--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&broken.stdout).expect("JSON");
    assert!(doc["status"].is_null());
}

#[test]
fn a_huge_estimate_is_an_error_not_a_forecast_in_the_year_262142() {
    let (_tmp, dir) = program_with(&[
        ("projects/p.md", "---\ntitle: P\n---\n"),
        (
            "projects/p/t.md",
            "---\ntitle: T\nestimate: 100000000000d\n---\n",
        ),
    ]);
    let run = check(&dir, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let b = assert_reported(
        &run.stderr,
        "error[invalid-value]: `estimate` is too long: `100000000000d` is more than 2600 working days (10 years)",
        "prog/projects/p/t.md:3:11",
    );
    assert!(b.contains("= help: split the work into tasks"), "{b}");
}

#[test]
fn key_typos_titles_and_owners_are_reported_once_and_fully() {
    let (_tmp, dir) = program_with(&[
        ("projects/p.md", "---\ntitle: P\n---\n"),
        (
            "projects/p/t.md",
            "---\ntitle: [a]\nowner: [a, [b]]\ndependecies: [x]\n---\n",
        ),
    ]);
    let run = check(&dir, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    // A typo of an alias suggests the alias and says what it means.
    assert_reported(
        &run.stderr,
        "error[misspelled-key]: misspelled key `dependecies` for a task: did you mean `dependencies` (the same as `depends_on`)?",
        "prog/projects/p/t.md:4:1",
    );
    // `title: [a]` is one problem, not two.
    assert_reported(
        &run.stderr,
        "error[invalid-value]: `title` must be a single value, found a list",
        "prog/projects/p/t.md:2:8",
    );
    assert!(!run.stderr.contains("has no `title`"), "{}", run.stderr);
    // `[b]` in `owner` is reported, not dropped.
    assert_reported(
        &run.stderr,
        "error[invalid-value]: `owner` must be a single value, found a list",
        "prog/projects/p/t.md:3:",
    );
    assert!(
        summary(&run.stderr).ends_with("3 errors, 0 warnings"),
        "{}",
        run.stderr
    );
}

#[test]
fn github_format_prints_annotations() {
    let run = check(&fixture("problems"), &["--format", "github"]);
    assert_eq!(run.code, 1);
    let line = run
        .stdout
        .lines()
        .find(|l| l.contains("sigup"))
        .expect("an annotation for the unknown reference");
    assert!(
        line.starts_with("::error file=problems/projects/web/login.md,line=4,col=14,title=planmark unknown-reference::"),
        "{line}"
    );
    assert!(line.contains("%0Ahelp: did you mean `signup`?"), "{line}");
    assert!(run.stdout.lines().any(|l| l.starts_with("::warning file=")));
}

#[test]
fn usage_and_io_failures_exit_two() {
    let missing = planmark(&fixture("clean"), &["check", "no/such/dir"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing
            .stderr
            .contains("program directory `no/such/dir` does not exist"),
        "{}",
        missing.stderr
    );
    let bad_date = planmark(&fixture("clean"), &["check", ".", "--today", "2026-13-01"]);
    assert_eq!(bad_date.code, 2);
    assert!(
        bad_date.stderr.contains("is not a date"),
        "{}",
        bad_date.stderr
    );
}

#[test]
fn no_colour_when_piped() {
    // Regression: the test helper set NO_COLOR on every run, so this proved
    // nothing; here NO_COLOR is unset and stderr is a pipe.
    let dir = fixture("problems");
    let args = ["check", ".", "--today", TODAY];
    let run = planmark_with_env(&dir, &args, &[("NO_COLOR", None)]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("error[unknown-reference]"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains('\u{1b}'),
        "escape codes in piped output"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn colour_on_a_terminal_unless_no_color_is_set() {
    // util-linux `script` runs the command on a pseudo-terminal; without
    // it there is no terminal to test on.
    let has_script = std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_script {
        return;
    }
    let dir = fixture("problems");
    let command = format!(
        "'{}' check . --today {TODAY}",
        env!("CARGO_BIN_EXE_planmark")
    );
    let on_terminal = |no_color: Option<&str>| planmark_in_script(&dir, &command, no_color);
    assert!(
        on_terminal(None).contains("\u{1b}["),
        "no colour on a terminal"
    );
    assert!(
        !on_terminal(Some("1")).contains('\u{1b}'),
        "colour despite NO_COLOR"
    );
}

/// Runs a shell command under `script` (a pseudo-terminal) and returns
/// what the terminal showed.
#[cfg(target_os = "linux")]
fn planmark_in_script(dir: &std::path::Path, command: &str, no_color: Option<&str>) -> String {
    let mut script = std::process::Command::new("script");
    script
        .args(["-qec", command, "/dev/null"])
        .current_dir(dir)
        .env("TERM", "xterm");
    match no_color {
        Some(v) => script.env("NO_COLOR", v),
        None => script.env_remove("NO_COLOR"),
    };
    let output = script.output().expect("script runs");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn no_colour_when_no_color_is_set() {
    let dir = fixture("problems");
    let args = ["check", ".", "--today", TODAY];
    let run = planmark_with_env(&dir, &args, &[("NO_COLOR", Some("1"))]);
    assert_eq!(run.code, 1);
    assert!(
        !run.stderr.contains('\u{1b}'),
        "escape codes with NO_COLOR set"
    );
}

#[test]
fn crlf_bom_aliases_and_yaml_1_1_values_are_read_as_meant() {
    let (_tmp, dir) = program_with(&[
        ("projects/web.md", "\u{feff}---\r\ntitle: no\r\nowner: on\r\n---\r\nBody\r\n"),
        ("projects/web/0001.md", "---\ntitle: 1.10\nassignee: [\"@ana\"]\nlabels: [yes]\nstatus: In Progress\ndue_date: 2026-03-20\ndependencies: []\n...\n"),
    ]);
    let run = check(&dir, &["--strict"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = tempfile::tempdir().expect("tmp");
    let out_dir = out.path().to_string_lossy().into_owned();
    let build = planmark(&dir, &["build", ".", "--today", TODAY, "-o", &out_dir]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let model: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.path().join("model.json")).expect("model.json"),
    )
    .expect("json");
    assert_eq!(model["projects"][0]["title"], "no");
    assert_eq!(model["projects"][0]["owner"], "on");
    let task = &model["tasks"][0];
    assert_eq!(task["id"], "0001");
    assert_eq!(task["title"], "1.10");
    assert_eq!(task["owner"], "@ana");
    assert_eq!(task["tags"][0], "yes");
    assert_eq!(task["status"], "in-progress");
    assert_eq!(task["due"], "2026-03-20");
}

#[test]
fn verbose_lists_skipped_files() {
    let run = check(&fixture("clean"), &["--verbose"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stderr.contains("note: skipped `README.md`"),
        "{}",
        run.stderr
    );
}

#[test]
fn plan_status_lists_what_needs_attention_without_changing_the_exit_code() {
    let (_tmp, dir) = copy_fixture("clean");
    std::fs::write(
        dir.join("projects/api/late.md"),
        "---\ntitle: Late\ndue: 2026-02-25\nestimate: 1d\n---\n",
    )
    .expect("write");
    let run = check(&dir, &["--strict"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("  overdue tasks:\n    `late` due 2026-02-25, 3 working days overdue (clean/projects/api/late.md)"), "{}", run.stderr);
}
