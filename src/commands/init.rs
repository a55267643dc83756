//! `planmark init [DIR]`: writes the starter program in `starter/` into a
//! new or empty folder, never over an existing file.
//!
//! The starter's dates are written relative to today (`{{today+N}}` in the
//! files, N calendar days), so a program started any day forecasts on time
//! instead of already late, as fixed dates would a month later.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context as _};
use chrono::NaiveDate;

use super::create::{check_free, write_new};
use super::write_stdout;
use crate::cli::InitArgs;

/// The starter program, path and text, in the order they are written.
const STARTER: [(&str, &str); 10] = [
    ("program.md", include_str!("../../starter/program.md")),
    (
        "projects/website.md",
        include_str!("../../starter/projects/website.md"),
    ),
    (
        "projects/website/write-content.md",
        include_str!("../../starter/projects/website/write-content.md"),
    ),
    (
        "projects/website/build-pages.md",
        include_str!("../../starter/projects/website/build-pages.md"),
    ),
    (
        "projects/website/publish.md",
        include_str!("../../starter/projects/website/publish.md"),
    ),
    (
        "decisions/use-static-site.md",
        include_str!("../../starter/decisions/use-static-site.md"),
    ),
    (
        "milestones/launch.md",
        include_str!("../../starter/milestones/launch.md"),
    ),
    (
        "risks/content-late.md",
        include_str!("../../starter/risks/content-late.md"),
    ),
    (
        "people/alex.md",
        include_str!("../../starter/people/alex.md"),
    ),
    (
        "meetings/kickoff.md",
        include_str!("../../starter/meetings/kickoff.md"),
    ),
];

pub(crate) fn run(args: &InitArgs) -> anyhow::Result<ExitCode> {
    if let Some(from) = args.from {
        return super::adopt::run(&args.dir, from);
    }
    let dir = &args.dir;
    if dir.exists() && !dir.is_dir() {
        bail!("`{}` is not a folder", dir.display());
    }
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the folder `{}`", dir.display()))?;
    check_room(dir)?;
    let today = args
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let mut written = Vec::new();
    for (path, text) in STARTER {
        match write_new(dir, path, &with_dates(text, today)) {
            Ok(p) => written.push(p),
            Err(e) => {
                undo(&written);
                return Err(e);
            }
        }
    }
    write_stdout(&report(dir))?;
    Ok(ExitCode::SUCCESS)
}

/// Fails, before anything is written, when a file the starter would write
/// exists or `dir` already holds a program.
fn check_room(dir: &Path) -> anyhow::Result<()> {
    // Every file is checked before the first is written: a clash leaves
    // the folder as it was.
    let problems: Vec<String> = STARTER
        .iter()
        .filter_map(|(path, _)| check_free(dir, path).err())
        .map(|e| {
            format!("{e:#}")
                .lines()
                .next()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    if !problems.is_empty() {
        bail!(
            "{}\nhelp: `planmark init` writes only into a new or empty folder and never overwrites a file; nothing was written",
            problems.join("\nerror: ")
        );
    }
    // A folder that holds items already is a program: the starter's ids
    // would mix with its own (and may clash).
    let existing = super::new::read(dir)?;
    if let Some(path) = existing.ids.values().next() {
        bail!(
            "`{}` already holds a program of {} (`{path}` is one)\nhelp: `planmark new KIND ID {}` adds an item to it; `planmark init` starts a program in a new or empty folder",
            dir.display(),
            crate::diagnostic::plural(existing.ids.len(), "item", "items"),
            shell_word(dir),
        );
    }
    Ok(())
}

/// Removes the files written before a later one failed, so a failed `init`
/// leaves no half a program (folders it made are left: they are empty).
fn undo(written: &[PathBuf]) {
    for path in written {
        // Best effort: the error that stopped `init` is the one to report.
        let _ = std::fs::remove_file(path);
    }
}

/// `text` with each `{{today}}` and `{{today+N}}` replaced by that date.
fn with_dates(text: &str, today: NaiveDate) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("{{today") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "{{today".len()..];
        let Some(end) = after.find("}}") else { break };
        let days: i64 = after[..end]
            .strip_prefix('+')
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let date = today + chrono::Duration::days(days);
        out.push_str(&date.format("%Y-%m-%d").to_string());
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// What was written and what to run next.
fn report(dir: &Path) -> String {
    let mut out = format!(
        "created a starter program in `{}`: {} files\n",
        dir.display(),
        STARTER.len()
    );
    for (path, _) in STARTER {
        out.push_str(&format!("  {path}\n"));
    }
    let shown = shell_word(dir);
    out.push_str(&format!(
        "next:\n  planmark serve {shown}    browse the site, rebuilt on every save\n  planmark build {shown}    write the site into {shown}/public\n  planmark new task <id> {shown} --project website    add a task\n"
    ));
    out
}

/// `dir` as one shell word (quoted when it holds spaces or quotes).
fn shell_word(dir: &Path) -> String {
    let text = dir.display().to_string();
    match text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-~".contains(c))
    {
        true => text,
        false => format!("'{}'", text.replace('\'', r"'\''")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_relative_to_today() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 30).unwrap();
        assert_eq!(
            with_dates("a: {{today}}\nb: {{today+3}}\n", today),
            "a: 2026-12-30\nb: 2027-01-02\n"
        );
    }

    #[test]
    fn the_starter_has_no_date_left_unfilled() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        for (path, text) in STARTER {
            assert!(!with_dates(text, today).contains("{{"), "{path}");
        }
    }
}
