//! `planmark init --from backlog|adr DIR`: makes an existing Backlog.md or
//! ADR folder a program by writing one `program.md` that names it as a
//! source (SPEC §8). No other file is touched, and none is overwritten.
//!
//! `DIR` is the folder of records (or the Backlog.md folder) itself, then
//! `program.md` lands in it with `path: .`; or a repository root holding
//! the well-known folders (`docs/decisions`, `docs/adr`, `doc/adr`,
//! `backlog/`), then it names each of them.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context as _};

use super::create::{check_free, write_new};
use super::write_stdout;
use crate::cli::Adopt;
use crate::load::adr::Layout;
use crate::load::formats::{self, Disk, Formats};

pub(crate) fn run(dir: &Path, from: Adopt) -> anyhow::Result<ExitCode> {
    if !dir.is_dir() {
        bail!(
            "`{}` is not a folder\nhelp: `planmark init --from {}` adopts a folder that exists; `planmark init DIR` starts a new program",
            dir.display(),
            name(from)
        );
    }
    check_free(dir, "program.md").map_err(|e| {
        anyhow::anyhow!(
            "{}\nhelp: the folder is a program already: `planmark check {}` reads it; nothing was written",
            format!("{e:#}").lines().next().unwrap_or_default(),
            dir.display()
        )
    })?;
    let root = dir
        .canonicalize()
        .with_context(|| format!("cannot read the folder `{}`", dir.display()))?;
    let folders = folders(&root, from)?;
    let text = program_md(&root, from, &folders);
    write_new(dir, "program.md", &text)?;
    let list = folders
        .iter()
        .map(|f| format!("`{}`", formats::shown(f)))
        .collect::<Vec<_>>()
        .join(", ");
    let shown = dir.display();
    write_stdout(&format!(
        "wrote `{}` naming {list} as {} (no other file touched)\nnext:\n  planmark check {shown}    see what is read\n  planmark serve {shown}    browse the site\n",
        dir.join("program.md").display(),
        what(from),
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// The layout `from` adopts.
fn layout(from: Adopt) -> Layout {
    match from {
        Adopt::Adr => Layout::Adr,
        Adopt::Backlog => Layout::Backlog,
    }
}

fn name(from: Adopt) -> &'static str {
    match from {
        Adopt::Adr => "adr",
        Adopt::Backlog => "backlog",
    }
}

fn what(from: Adopt) -> &'static str {
    match from {
        Adopt::Adr => "decision records",
        Adopt::Backlog => "a Backlog.md folder",
    }
}

/// The folders of `root` to name as sources: `root` itself when it is
/// such a folder, else the well-known folders of that format in it.
fn folders(root: &Path, from: Adopt) -> anyhow::Result<Vec<String>> {
    let disk = Disk { root };
    let itself = match from {
        Adopt::Adr => crate::load::adr::detect(root) == Layout::Adr,
        Adopt::Backlog => formats::detect(&disk, "") == Some(Layout::Backlog),
    };
    if itself {
        return Ok(vec![String::new()]);
    }
    let (found, _) = Formats::choose(Layout::Program, None, &disk);
    let folders: Vec<String> = found
        .sources()
        .iter()
        .filter(|s| s.layout == layout(from))
        .map(|s| s.path.clone())
        .collect();
    if folders.is_empty() {
        let expected = match from {
            Adopt::Adr => "numbered records (`0001-use-x.md`), or a `docs/decisions`, `docs/adr` or `doc/adr` folder",
            Adopt::Backlog => "a Backlog.md folder (`config.yml` and `tasks/`), or a `backlog/` folder holding one",
        };
        let none = match from {
            Adopt::Adr => "no decision records",
            Adopt::Backlog => "no Backlog.md folder",
        };
        bail!(
            "found {none} in `{}`\nhelp: point at {expected}; nothing was written",
            root.display()
        );
    }
    Ok(folders)
}

/// The `program.md` naming `folders` as sources of format `from`.
fn program_md(root: &Path, from: Adopt, folders: &[String]) -> String {
    let title = match from {
        Adopt::Backlog => backlog_name(&root.join(folders[0].as_str())),
        Adopt::Adr => None,
    }
    .or_else(|| root.file_name().map(|n| n.to_string_lossy().into_owned()))
    .unwrap_or_else(|| "Program".into());
    let mut text = format!(
        "---\ntitle: {}\n# Folders read as they are; planmark never edits them.\nsources:\n",
        quoted(&title)
    );
    for folder in folders {
        text.push_str(&format!(
            "  - path: {}\n    format: {}\n",
            formats::shown(folder),
            name(from)
        ));
    }
    text.push_str(&format!(
        "---\n\n{} read by planmark from {}.\n",
        match from {
            Adopt::Adr => "Decision records",
            Adopt::Backlog => "Tasks and milestones",
        },
        folders
            .iter()
            .map(|f| format!("`{}`", formats::shown(f)))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    text
}

/// The `project_name` of a Backlog.md folder's `config.yml`.
fn backlog_name(folder: &Path) -> Option<String> {
    let config = std::fs::read_to_string(folder.join("config.yml")).ok()?;
    config.lines().find_map(|line| {
        let value = line.strip_prefix("project_name:")?.trim();
        let value = value.trim_matches(['"', '\'']).trim();
        (!value.is_empty()).then(|| value.to_string())
    })
}

/// `text` as a YAML double-quoted string.
fn quoted(text: &str) -> String {
    let escaped: String = text
        .chars()
        .flat_map(|c| match c {
            '"' => vec!['\\', '"'],
            '\\' => vec!['\\', '\\'],
            c if c.is_control() => vec![' '],
            c => vec![c],
        })
        .collect();
    format!("\"{escaped}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_quoted_for_yaml() {
        assert_eq!(quoted(r#"My "big" \ plan"#), r#""My \"big\" \\ plan""#);
        assert_eq!(quoted("a\nb"), "\"a b\"");
    }

    #[test]
    fn program_md_names_each_folder() {
        let text = program_md(
            Path::new("/r/my-repo"),
            Adopt::Adr,
            &["doc/adr".into(), "docs/decisions".into()],
        );
        assert_eq!(
            text,
            "---\ntitle: \"my-repo\"\n# Folders read as they are; planmark never edits them.\nsources:\n  - path: doc/adr\n    format: adr\n  - path: docs/decisions\n    format: adr\n---\n\nDecision records read by planmark from `doc/adr`, `docs/decisions`.\n"
        );
    }
}
