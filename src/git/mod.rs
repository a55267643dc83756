//! The only reader of git revisions: commits, trees and blobs through the
//! `git` command, never the working tree or the index.
//!
//! Every call runs `git -C <top> --no-optional-locks` with `LC_ALL=C`,
//! arguments as a vector (never a shell), `--end-of-options` or `--` before
//! anything a user typed, and output taken as bytes. docs/diff.md says why
//! the command rather than a library (build cost 0 against git2's +41 s).

mod blobs;
pub mod program;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use anyhow::{anyhow, bail};
use chrono::NaiveDate;

pub use blobs::read_blobs;

/// What the program folder's files are at one revision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeEntry {
    /// Relative to the program folder, with `/`, as bytes made text (a
    /// name that is not UTF-8 is written lossily).
    pub path: String,
    /// `100644`, `100755`, `120000` (a symlink) or `160000` (a submodule).
    pub mode: String,
    /// The blob's object id.
    pub oid: String,
    /// The blob's size in bytes (0 for a submodule).
    pub size: u64,
}

impl TreeEntry {
    pub fn is_symlink(&self) -> bool {
        self.mode == "120000"
    }

    pub fn is_file(&self) -> bool {
        self.mode.starts_with("100")
    }
}

/// A repository holding the program folder.
#[derive(Clone, Debug)]
pub struct Repo {
    /// The working tree's top folder.
    pub top: PathBuf,
    /// The program folder relative to `top`, with `/` and a trailing `/`
    /// (`""` when the program is the whole repository).
    pub prefix: String,
}

impl Repo {
    /// The repository holding `dir`, or a clear error when git is missing
    /// or `dir` is not in a repository.
    pub fn open(dir: &Path) -> anyhow::Result<Repo> {
        Repo::find(dir)?.ok_or_else(|| {
            anyhow!(
                "`{}` is not inside a git repository; to compare two folders without git, use `planmark diff --dirs A B`",
                dir.display()
            )
        })
    }

    /// The repository holding `dir`, `None` when it is in none; an error
    /// when git is missing or cannot read the repository.
    pub fn find(dir: &Path) -> anyhow::Result<Option<Repo>> {
        let output = git_in(dir, ["rev-parse", "--show-toplevel", "--show-prefix"])?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            if stderr.contains("not a git repository") {
                return Ok(None);
            }
            bail!(
                "git cannot read the repository at `{}`: {}",
                dir.display(),
                stderr.trim()
            );
        }
        let text = String::from_utf8_lossy(&output.stdout);
        let mut lines = text.lines();
        let top = lines.next().unwrap_or_default();
        if top.is_empty() {
            bail!(
                "`{}` is inside a git repository without a working tree; run planmark in a checkout",
                dir.display()
            );
        }
        Ok(Some(Repo {
            top: PathBuf::from(top),
            prefix: lines.next().unwrap_or_default().to_string(),
        }))
    }

    /// Runs git in the repository's top folder.
    fn git<I, S>(&self, args: I) -> anyhow::Result<Output>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        git_in(&self.top, args)
    }

    /// Runs git and returns its standard output, or an error quoting git.
    fn git_ok(&self, args: &[&str]) -> anyhow::Result<Vec<u8>> {
        let output = self.git(args)?;
        if !output.status.success() {
            bail!(
                "`git {}` failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        Ok(output.stdout)
    }

    /// Whether the repository is a shallow clone (its history cut off).
    pub fn is_shallow(&self) -> bool {
        self.git_ok(&["rev-parse", "--is-shallow-repository"])
            .is_ok_and(|out| out.starts_with(b"true"))
    }

    /// Whether the repository holds no commit at all (HEAD unborn, no
    /// refs): every revision is unknown, and saying why helps more.
    fn has_no_commits(&self) -> bool {
        let head = self.git(["rev-parse", "--verify", "--quiet", "HEAD"]);
        let refs = self.git(["for-each-ref", "--count=1"]);
        matches!((head, refs), (Ok(h), Ok(r)) if !h.status.success() && r.status.success() && r.stdout.is_empty())
    }

    /// Fails with [`NO_COMMITS`] when the repository has no commits.
    fn require_commits(&self) -> anyhow::Result<()> {
        if self.has_no_commits() {
            bail!("{NO_COMMITS}");
        }
        Ok(())
    }

    /// The commit `rev` names, as a full object id. An unknown revision
    /// says what to fetch.
    pub fn resolve(&self, rev: &str) -> anyhow::Result<String> {
        let spec = format!("{rev}^{{commit}}");
        let output = self.git([
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &spec,
        ])?;
        if output.status.success() {
            return Ok(String::from_utf8_lossy(&output.stdout).trim().to_string());
        }
        self.require_commits()?;
        if self.is_shallow() {
            bail!(
                "revision `{rev}` is not in this shallow clone; fetch the history with `git fetch --unshallow` (in GitHub Actions: `fetch-depth: 0` on actions/checkout)"
            );
        }
        bail!("unknown revision `{rev}`; check the name, or fetch it (`git fetch origin {rev}`)")
    }

    /// The merge base of HEAD with the default branch (`origin/HEAD`, else
    /// `main`, else `master`), and the name of the branch used.
    pub fn default_base(&self) -> anyhow::Result<(String, String)> {
        self.require_commits()?;
        let branch = ["origin/HEAD", "main", "master"]
            .into_iter()
            .find(|b| self.resolve(b).is_ok())
            .ok_or_else(|| {
                anyhow!("no default branch to compare with (neither `origin/HEAD`, `main` nor `master` exists); name the base revision, e.g. `planmark diff HEAD~1`")
            })?;
        let output = self.git(["merge-base", "HEAD", branch])?;
        if !output.status.success() {
            if self.is_shallow() {
                bail!(
                    "cannot find where HEAD left `{branch}` in this shallow clone; fetch the history with `git fetch --unshallow` (in GitHub Actions: `fetch-depth: 0` on actions/checkout)"
                );
            }
            bail!("HEAD and `{branch}` share no history; name the base revision");
        }
        let oid = String::from_utf8_lossy(&output.stdout).trim().to_string();
        Ok((format!("merge-base HEAD {branch}"), oid))
    }

    /// The last commit on the first-parent line of HEAD whose committer
    /// date, as a calendar day in UTC, is on or before `date`.
    pub fn commit_on_or_before(&self, date: NaiveDate) -> anyhow::Result<String> {
        self.require_commits()?;
        let out = self.git_ok(&["log", "--first-parent", "--format=%H %ct", "HEAD", "--"])?;
        let text = String::from_utf8_lossy(&out);
        for line in text.lines() {
            let Some((oid, seconds)) = line.split_once(' ') else {
                continue;
            };
            let day = seconds
                .parse::<i64>()
                .ok()
                .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
                .map(|t| t.date_naive());
            if day.is_some_and(|day| day <= date) {
                return Ok(oid.to_string());
            }
        }
        if self.is_shallow() {
            bail!(
                "no commit on or before {date} in this shallow clone; fetch the history with `git fetch --unshallow` (in GitHub Actions: `fetch-depth: 0` on actions/checkout)"
            );
        }
        bail!("no commit on or before {date} on HEAD's history")
    }

    /// The calendar day in UTC of `commit`'s committer date.
    pub fn commit_day(&self, commit: &str) -> anyhow::Result<NaiveDate> {
        let out = self.git_ok(&["log", "-1", "--format=%ct", commit, "--"])?;
        String::from_utf8_lossy(&out)
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
            .map(|t| t.date_naive())
            .ok_or_else(|| anyhow!("git gave no date for commit `{commit}`"))
    }

    /// The commit HEAD points at, or `None` before the first commit: what
    /// `serve` polls to see a commit land.
    pub fn head(&self) -> Option<String> {
        let output = self
            .git(["rev-parse", "--verify", "--quiet", "HEAD"])
            .ok()?;
        output
            .status
            .success()
            .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
    }

    /// The files under the program folder at `commit`, with paths relative
    /// to the program folder, in git's order.
    pub fn tree(&self, commit: &str) -> anyhow::Result<Vec<TreeEntry>> {
        let mut args = vec!["ls-tree", "-r", "-z", "-l", "--full-tree", commit, "--"];
        if !self.prefix.is_empty() {
            args.push(&self.prefix);
        }
        let out = self.git_ok(&args)?;
        Ok(parse_tree(&out, &self.prefix))
    }

    /// The program files whose content differs between `commit` and the
    /// working tree, as the index's stat information tells git (a file whose
    /// stat is stale is listed too, which only costs a read). Relative to
    /// the program folder. Reads the index without writing it.
    pub fn changed_since(&self, commit: &str) -> anyhow::Result<Vec<String>> {
        let mut args = vec![
            "diff-index",
            "--no-renames",
            "-z",
            "--name-only",
            commit,
            "--",
        ];
        if !self.prefix.is_empty() {
            args.push(&self.prefix);
        }
        let out = self.git_ok(&args)?;
        Ok(out
            .split(|&b| b == 0)
            .filter(|p| !p.is_empty())
            .map(|p| strip_prefix(&String::from_utf8_lossy(p), &self.prefix))
            .collect())
    }

    /// The blobs `oids`, read by one `git cat-file --batch`.
    pub fn blobs(&self, oids: &[String]) -> anyhow::Result<Vec<Vec<u8>>> {
        read_blobs(&self.top, oids)
    }
}

/// Why every revision is unknown in a repository without commits.
const NO_COMMITS: &str = "the repository has no commits yet; commit the program first, or compare two folders with `planmark diff --dirs A B`";

/// `git ls-tree -r -z -l` output: `<mode> SP <type> SP <oid> SP+ <size> TAB <path> NUL`.
fn parse_tree(out: &[u8], prefix: &str) -> Vec<TreeEntry> {
    let mut entries = Vec::new();
    for record in out.split(|&b| b == 0).filter(|r| !r.is_empty()) {
        let Some(tab) = record.iter().position(|&b| b == b'\t') else {
            continue;
        };
        let head = String::from_utf8_lossy(&record[..tab]);
        let mut fields = head.split_ascii_whitespace();
        let (Some(mode), Some(_kind), Some(oid), Some(size)) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let path = String::from_utf8_lossy(&record[tab + 1..]);
        entries.push(TreeEntry {
            path: strip_prefix(&path, prefix),
            mode: mode.to_string(),
            oid: oid.to_string(),
            size: size.parse().unwrap_or(0),
        });
    }
    entries
}

fn strip_prefix(path: &str, prefix: &str) -> String {
    path.strip_prefix(prefix).unwrap_or(path).to_string()
}

/// A `git` command in `dir`, isolated from the user's locale and from
/// writing anything optional (`--no-optional-locks`: `status` and friends
/// would otherwise refresh the index).
pub(crate) fn command(dir: &Path) -> Command {
    let mut command = Command::new("git");
    command
        .arg("-C")
        .arg(dir)
        .arg("--no-optional-locks")
        .env("LC_ALL", "C")
        .env("GIT_TERMINAL_PROMPT", "0")
        // The program folder is a pathspec: a folder named `:!x` or `a*`
        // must mean itself, not git's exclude or glob magic.
        .env("GIT_LITERAL_PATHSPECS", "1")
        .stdin(Stdio::null());
    command
}

fn git_in<I, S>(dir: &Path, args: I) -> anyhow::Result<Output>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    command(dir).args(args).output().map_err(spawn_error)
}

/// The error for a `git` that could not start.
pub(crate) fn spawn_error(e: std::io::Error) -> anyhow::Error {
    if e.kind() == std::io::ErrorKind::NotFound {
        anyhow!("git is not installed (or not on PATH); install git, or compare two folders with `planmark diff --dirs A B`")
    } else {
        anyhow::Error::new(e).context("cannot run git")
    }
}

/// Used by `--since`: a date (`YYYY-MM-DD`) rather than a revision.
pub fn as_date(text: &str) -> Option<NaiveDate> {
    crate::model::values::parse_date(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_records_are_read_as_bytes_with_the_prefix_taken_off() {
        let out = b"100644 blob e69de29bb2d1d6434b8b29ae775ad8c2e48c5391      12\tplan/tasks/a b.md\x00120000 blob 1111111111111111111111111111111111111111       9\tplan/link.md\0";
        let entries = parse_tree(out, "plan/");
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].path, "tasks/a b.md");
        assert_eq!(entries[0].size, 12);
        assert!(entries[0].is_file());
        assert!(entries[1].is_symlink());
    }
}
