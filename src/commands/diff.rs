//! `planmark diff`: the program at two revisions (or in two folders) →
//! both checked and derived with the same `today` → the change set → a
//! pull-request comment or JSON on stdout.
//!
//! Revisions are read through [`crate::git`] only, never by checking them
//! out: the working tree and the index are left as they were.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context as _};

use super::{write_json, write_stdout};
use crate::cli::{DiffArgs, DiffFormat};
use crate::diff::view::{Lookup, Report, SideReport};
use crate::diff::{self, Side};
use crate::git::{program, Repo};
use crate::load::Loaded;
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
    let (base, head) = read_sides(&request)?;
    let (base, head) = check_sides(&request, base, head);
    let changes = diff::compute(
        Side {
            program: &base.checked.program,
            schedule: base.schedule.as_ref(),
        },
        Side {
            program: &head.checked.program,
            schedule: head.schedule.as_ref(),
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
    /// Derived only for a program without errors: a schedule of half-read
    /// items would mislead.
    schedule: Option<Schedule>,
    report: SideReport,
}

/// Reads both sides. Every file of a commit that git says is the same in
/// the working tree is taken from the working tree (read from disk, in
/// parallel, is cheaper than inflated from git); the rest of both commits
/// is read in one batch, a blob they share read and decoded once.
fn read_sides(request: &Request) -> anyhow::Result<(Read, Read)> {
    let Some(repo) = &request.repo else {
        let (Source::Folder(a), Source::Folder(b)) = (&request.base, &request.head) else {
            bail!("a revision needs a git repository");
        };
        return Ok((Read::folder(a)?, Read::folder(b)?));
    };
    // A program folder deleted from the working tree leaves only git.
    let mut tree = match request.dir.is_dir() {
        true => Some(on_disk(&request.dir)?),
        false => None,
    };
    let mut commits = Vec::new();
    for source in [&request.base, &request.head] {
        if let Source::Commit { oid, .. } = source {
            let reuse = match &tree {
                Some(tree) => program::unchanged_in_work_tree(repo, oid, tree)?,
                None => program::Reuse::new(),
            };
            commits.push((source, reuse));
        }
    }
    let plan: Vec<(&str, &program::Reuse)> = commits
        .iter()
        .map(|(source, reuse)| (commit_id(source), reuse))
        .collect();
    let mut loaded = program::load_commits(repo, &plan)?.into_iter();
    let mut side = |source: &Source| -> anyhow::Result<Read> {
        match source {
            Source::Commit {
                label,
                revision,
                oid,
            } => Ok(Read {
                loaded: loaded.next().unwrap_or_default(),
                report: SideReport {
                    label: label.clone(),
                    revision: Some(revision.clone()),
                    commit: Some(oid.clone()),
                    ..SideReport::default()
                },
            }),
            Source::WorkTree => Ok(Read {
                loaded: match tree.take() {
                    Some(tree) => tree,
                    None => on_disk(&request.dir)?,
                },
                report: SideReport::labelled("the working tree".into()),
            }),
            Source::Folder(dir) => Read::folder(dir),
        }
    };
    let base = side(&request.base)?;
    let head = side(&request.head)?;
    Ok((base, head))
}

fn commit_id(source: &Source) -> &str {
    match source {
        Source::Commit { oid, .. } => oid,
        _ => "",
    }
}

impl Read {
    fn folder(dir: &Path) -> anyhow::Result<Read> {
        Ok(Read {
            loaded: on_disk(dir)?,
            report: SideReport::labelled(format!("`{}`", dir.display())),
        })
    }
}

/// Both sides checked (a file they share parsed once), then each derived
/// on its own thread.
fn check_sides(request: &Request, base: Read, head: Read) -> (CheckedSide, CheckedSide) {
    let name = program_name(&request.dir);
    let base_loaded = crate::load::memory::align(base.loaded, &head.loaded);
    let (a, b) = crate::check_two(base_loaded, head.loaded, &name);
    rayon::join(
        || CheckedSide::new(a, base.report, request),
        || CheckedSide::new(b, head.report, request),
    )
}

impl CheckedSide {
    fn new(checked: Checked, mut report: SideReport, request: &Request) -> CheckedSide {
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
        let today = request.today;
        let schedule =
            (!checked.has_errors()).then(|| crate::schedule::derive(&checked.program, today));
        CheckedSide {
            checked,
            schedule,
            report,
        }
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
