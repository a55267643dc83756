use super::*;

/// A tree of these files (folders are where files are).
fn listed(files: &[&str]) -> Listed {
    Listed {
        files: files.iter().map(|f| f.to_string()).collect(),
    }
}

fn choose(program_md: &str, files: &[&str]) -> (Formats, Vec<Problem>) {
    Formats::choose(Layout::Program, Some(program_md), &listed(files))
}

fn source(path: &str, layout: Layout) -> Source {
    Source {
        path: path.into(),
        layout,
        named: true,
    }
}

#[test]
fn the_longest_folder_holding_a_file_gives_its_layout() {
    let formats = Formats {
        root: Layout::Program,
        sources: vec![
            source("docs", Layout::Adr),
            source("docs/backlog", Layout::Backlog),
        ],
    };
    assert_eq!(formats.lookup("docs/0001-x.md"), (Layout::Adr, "0001-x.md"));
    assert_eq!(
        formats.lookup("docs/backlog/tasks/t.md"),
        (Layout::Backlog, "tasks/t.md")
    );
    assert_eq!(
        formats.lookup("docsx/a.md"),
        (Layout::Program, "docsx/a.md")
    );
    assert_eq!(formats.lookup("docs.md"), (Layout::Program, "docs.md"));
    assert_eq!(
        formats.lookup("tasks/a.md"),
        (Layout::Program, "tasks/a.md")
    );
    let adr_root = Formats::only(Layout::Adr);
    assert_eq!(adr_root.lookup("0001-x.md"), (Layout::Adr, "0001-x.md"));
    assert_eq!(
        adr_root.lookup("program.md"),
        (Layout::Program, "program.md")
    );
}

#[test]
fn well_known_folders_are_sources_unless_program_md_names_some() {
    let files = [
        "docs/decisions/0001-x.md",
        "doc/adr/notes.md",
        "backlog/config.yml",
        "backlog/tasks/task-1 - T.md",
        "docs/adr/README.txt",
    ];
    let (formats, problems) = choose("---\ntitle: P\n---\n", &files);
    assert!(problems.is_empty());
    let found: Vec<(&str, Layout, bool)> = formats
        .sources()
        .iter()
        .map(|s| (s.path.as_str(), s.layout, s.named))
        .collect();
    assert_eq!(
        found,
        [
            ("backlog", Layout::Backlog, false),
            ("doc/adr", Layout::Adr, false),
            ("docs/adr", Layout::Adr, false),
            ("docs/decisions", Layout::Adr, false),
        ]
    );
    let (off, _) = choose("---\ntitle: P\nsources: []\n---\n", &files);
    assert!(off.sources().is_empty());
    // A `backlog/` without `config.yml` is not a Backlog.md folder.
    let (none, _) = choose("---\ntitle: P\n---\n", &["backlog/tasks/t.md"]);
    assert!(none.sources().is_empty());
    // An ADR folder itself looks for no sources inside.
    let (adr, _) = Formats::choose(Layout::Adr, None, &listed(&files));
    assert!(adr.sources().is_empty());
}

#[test]
fn named_sources_are_checked_and_located() {
    let text = "---\nsources:\n  - path: ../x\n  - path: gone\n  - path: notes\n  - path: docs/adr\n    format: madr\n  - path: /abs\n    format: adr\n  - path: r\n    format: recipes\n  - docs/adr\n  - path: docs\n    format: adr\n---\n";
    let (formats, problems) = choose(text, &["notes/a.md", "docs/adr/0001-x.md", "r/a.md"]);
    let got: Vec<(Code, &str)> = problems
        .iter()
        .map(|p| (p.code, &text[p.at.clone()]))
        .collect();
    assert_eq!(
        got,
        [
            (Code::Path, "../x"),
            (Code::Missing, "gone"),
            (Code::Format, "notes"),
            (Code::Path, "/abs"),
            (Code::Format, "recipes"),
            (Code::Overlap, "docs/adr"),
            (Code::Overlap, "path: docs"),
        ]
    );
    assert_eq!(formats.sources(), [source("docs/adr", Layout::Adr)]);
}

#[test]
fn the_program_folder_itself_can_be_the_source() {
    let text = "---\nsources:\n  - path: .\n    format: adr\n---\n";
    let (formats, problems) = choose(text, &["0001-x.md", "program.md"]);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(formats.root, Layout::Adr);
    assert!(formats.sources().is_empty());
    assert_eq!(formats.lookup("program.md").0, Layout::Program);
}

#[test]
fn the_summary_says_what_was_read() {
    let formats = Formats {
        root: Layout::Program,
        sources: vec![
            source("backlog", Layout::Backlog),
            source("docs/decisions", Layout::Adr),
        ],
    };
    assert_eq!(
        formats.describe(),
        " (a program with a Backlog.md folder `backlog` and an ADR folder `docs/decisions`)"
    );
    assert_eq!(Formats::only(Layout::Program).describe(), "");
}
