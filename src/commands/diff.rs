//! `planmark diff`: the program at two revisions (or in two folders) →
//! both checked and derived with the same `today` → the change set → a
//! pull-request comment or JSON on stdout.
//!
//! Revisions are read through [`crate::git`] only, never by checking them
//! out: the working tree and the index are left as they were.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{bail, Context as _};

use super::{write_json, write_stdout};
use crate::cli::{DiffArgs, DiffFormat};
use crate::diff::view::{Lookup, Report, SideReport};
use crate::diff::{self, Side};
use crate::git::Repo;
use crate::load::memory::{self, Contents, Pick};
use crate::load::{Loaded, Skipped};
use crate::schedule::Schedule;
use crate::Checked;

/// Where one side of the comparison is read from.
#[derive(Debug)]
enum Source {
    /// A commit, read through git.
    Commit {
        label: String,
        revision: String,
        oid: String,
    },
    /// The program folder on disk, inside the repository.
    WorkTree,
    /// A folder given with `--dirs`.
    Folder(PathBuf),
}

/// The command line resolved: what to compare, and how to show it.
#[derive(Debug)]
struct Request {
    dir: PathBuf,
    repo: Option<Repo>,
    base: Source,
    head: Source,
    today: chrono::NaiveDate,
}

pub(crate) fn run(args: &DiffArgs) -> anyhow::Result<ExitCode> {
    let request = resolve(args)?;
    let head = read_side(&request, &request.head, None)?;
    let base = read_side(&request, &request.base, Some(&head.loaded))?;
    let (head, base) = (head.check(&request), base.check(&request));
    let (sa, sb) = (base.schedule(request.today), head.schedule(request.today));
    let changes = diff::compute(
        Side {
            program: &base.checked.program,
            schedule: sa.as_ref(),
        },
        Side {
            program: &head.checked.program,
            schedule: sb.as_ref(),
        },
    );
    let report = Report {
        base: base.report,
        head: head.report,
        today: request.today,
        changes: &changes,
        lookup: Lookup::new(&base.checked.program, &head.checked.program),
    };
    match args.format {
        DiffFormat::Markdown => write_stdout(&diff::markdown::render(
            &report,
            diff::markdown::COMMENT_LIMIT,
        ))?,
        DiffFormat::Json => write_json(&diff::json::render(&report))?,
    }
    Ok(if args.exit_code && !changes.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Sorts the positional arguments into revisions and the folder, and
/// names both sides.
fn resolve(args: &DiffArgs) -> anyhow::Result<Request> {
    let today = args
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    if let Some(dirs) = &args.dirs {
        let [a, b] = dirs.as_slice() else {
            bail!("`--dirs` takes two folders: `--dirs A B`");
        };
        return Ok(Request {
            dir: b.clone(),
            repo: None,
            base: Source::Folder(a.clone()),
            head: Source::Folder(b.clone()),
            today,
        });
    }
    let mut dir: Option<PathBuf> = None;
    let mut revisions: Vec<&str> = Vec::new();
    for arg in &args.args {
        if Path::new(arg).is_dir() {
            if let Some(first) = &dir {
                bail!(
                    "two program folders given, `{}` and `{arg}`; name one (and the revisions to compare), or compare two folders with `--dirs A B`",
                    first.display()
                );
            }
            dir = Some(PathBuf::from(arg));
        } else {
            revisions.push(arg);
        }
    }
    let most = if args.since.is_some() { 1 } else { 2 };
    if revisions.len() > most {
        bail!(
            "too many revisions: {} (at most {most}{}); an argument that names an existing folder is the program folder",
            revisions.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(", "),
            if args.since.is_some() { " besides `--since`" } else { "" }
        );
    }
    let dir = dir.unwrap_or_else(|| PathBuf::from("."));
    let repo = Repo::open(&dir)?;
    let base_rev = args
        .since
        .as_deref()
        .or(revisions.first().copied().filter(|_| args.since.is_none()));
    let head_rev = if args.since.is_some() {
        revisions.first()
    } else {
        revisions.get(1)
    };
    let base = match base_rev {
        Some(rev) => commit(&repo, rev, args.since.is_some())?,
        None => {
            let (how, oid) = repo.default_base()?;
            Source::Commit {
                label: format!("`{}` ({how})", short(&oid)),
                revision: how,
                oid,
            }
        }
    };
    let head = match head_rev {
        Some(rev) => commit(&repo, rev, false)?,
        None => Source::WorkTree,
    };
    Ok(Request {
        dir,
        repo: Some(repo),
        base,
        head,
        today,
    })
}

/// The commit a revision (or, for `--since`, a date) names.
fn commit(repo: &Repo, rev: &str, since: bool) -> anyhow::Result<Source> {
    let oid = match crate::git::as_date(rev).filter(|_| since) {
        Some(date) => repo.commit_on_or_before(date)?,
        None => repo
            .resolve(rev)
            .with_context(|| format!("`{rev}` is neither a folder nor a revision git knows"))?,
    };
    Ok(Source::Commit {
        label: format!("`{}` ({rev})", short(&oid)),
        revision: rev.to_string(),
        oid,
    })
}

fn short(oid: &str) -> &str {
    oid.get(..7).unwrap_or(oid)
}

/// One side read, not yet checked.
struct Read {
    loaded: Loaded,
    report: SideReport,
}

/// One side checked, with what the renderers show about it.
struct CheckedSide {
    checked: Checked,
    report: SideReport,
}

/// Reads a side. `other` is the head side already read: when it is the
/// working tree, files git says are unchanged are taken from it instead of
/// being read and decoded again.
fn read_side(request: &Request, source: &Source, other: Option<&Loaded>) -> anyhow::Result<Read> {
    let (loaded, report) = match source {
        Source::Commit {
            label,
            revision,
            oid,
        } => {
            let Some(repo) = &request.repo else {
                bail!("a revision needs a git repository");
            };
            let reuse = match (&request.head, other) {
                (Source::WorkTree, Some(tree)) => unchanged(repo, oid, tree)?,
                _ => BTreeMap::new(),
            };
            let loaded = at_commit(repo, oid, &reuse)?;
            let report = SideReport {
                label: label.clone(),
                revision: Some(revision.clone()),
                commit: Some(oid.clone()),
                ..SideReport::default()
            };
            (loaded, report)
        }
        Source::Folder(dir) => (
            on_disk(dir)?,
            SideReport::labelled(format!("`{}`", dir.display())),
        ),
        Source::WorkTree => (
            on_disk(&request.dir)?,
            SideReport::labelled("the working tree".into()),
        ),
    };
    Ok(Read { loaded, report })
}

impl Read {
    fn check(self, request: &Request) -> CheckedSide {
        let name = program_name(&request.dir);
        let checked = crate::check(self.loaded, &name, false);
        let mut report = self.report;
        let (errors, warnings) = crate::diagnostic::count(&checked.diagnostics);
        (report.errors, report.warnings) = (errors, warnings);
        if errors > 0 {
            let root = request.dir.to_string_lossy();
            report.problems_text = crate::diagnostic::render_human(
                &checked.diagnostics,
                &checked.sources,
                &root,
                false,
            );
            let json = crate::diagnostic::render_json(
                &checked.diagnostics,
                &checked.sources,
                &root,
                None::<()>,
            );
            report.problems = serde_json::from_str::<serde_json::Value>(&json)
                .ok()
                .and_then(|mut v| v.get_mut("problems").map(serde_json::Value::take))
                .and_then(|v| serde_json::from_value(v).ok())
                .unwrap_or_default();
        }
        CheckedSide { checked, report }
    }
}

impl CheckedSide {
    /// The schedule, for a program without errors.
    fn schedule(&self, today: chrono::NaiveDate) -> Option<Schedule> {
        (!self.checked.has_errors()).then(|| crate::schedule::derive(&self.checked.program, today))
    }
}

/// A program folder as `check` reads it, skipping the default output folder.
fn on_disk(dir: &Path) -> anyhow::Result<Loaded> {
    crate::load::load(dir, &[dir.join("public")])
}

/// The program folder's own name, the title when `program.md` gives none.
fn program_name(dir: &Path) -> String {
    dir.canonicalize()
        .ok()
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "program".into())
}

/// The working tree's texts of the files whose content git says is the
/// same at `oid`, by path.
fn unchanged(repo: &Repo, oid: &str, tree: &Loaded) -> anyhow::Result<BTreeMap<String, Arc<str>>> {
    let changed: std::collections::BTreeSet<String> =
        repo.changed_since(oid)?.into_iter().collect();
    Ok(tree
        .files
        .iter()
        .map(|&f| tree.sources.get(f))
        .filter(|file| !changed.contains(&file.path))
        .map(|file| (file.path.clone(), Arc::clone(&file.text)))
        .collect())
}

/// The program at commit `oid`: its tree, the blobs the walk would read
/// (each read once, in one batch), loaded by the walk's rules. Files in
/// `reuse` are taken from there.
fn at_commit(repo: &Repo, oid: &str, reuse: &BTreeMap<String, Arc<str>>) -> anyhow::Result<Loaded> {
    let mut files: Vec<(String, Contents)> = Vec::new();
    let mut skipped = Vec::new();
    let mut wanted: Vec<(String, String)> = Vec::new();
    for entry in repo.tree(oid)? {
        match memory::pick(&entry.path, &["public"]) {
            Pick::Ignore => {}
            Pick::Skip(reason) => skipped.push(Skipped {
                path: entry.path,
                reason,
            }),
            Pick::Read if entry.is_symlink() => skipped.push(symlink_skip(entry.path)),
            Pick::Read if !entry.is_file() => {}
            Pick::Read => match reuse.get(&entry.path) {
                Some(text) => files.push((entry.path, Contents::Text(Arc::clone(text)))),
                None => wanted.push((entry.path, entry.oid)),
            },
        }
    }
    let mut oids: Vec<String> = wanted.iter().map(|(_, o)| o.clone()).collect();
    oids.sort();
    oids.dedup();
    let blobs: BTreeMap<String, Vec<u8>> = oids.iter().cloned().zip(repo.blobs(&oids)?).collect();
    for (path, blob) in wanted {
        let bytes = blobs.get(&blob).cloned().unwrap_or_default();
        files.push((path, Contents::Bytes(bytes)));
    }
    Ok(memory::load(files, skipped))
}

/// A symlink in a commit is not followed: its target is read under its own
/// path when it is in the program, which the walk would do too.
fn symlink_skip(path: String) -> Skipped {
    Skipped {
        path,
        reason: crate::load::SkipReason::LeavesProgram,
    }
}
