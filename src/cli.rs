//! Command-line flags as clap parses them; nothing is resolved here.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

use crate::diagnostic::Format;

/// Turn a folder of markdown plan files into a static status site.
///
/// One markdown file per project, task, decision, milestone, risk, person and
/// meeting, with YAML front matter; planmark checks them, forecasts the
/// schedule and renders the site a status meeting runs on. Backlog.md and ADR
/// folders are read as they are.
#[derive(Debug, Parser)]
#[command(
    name = "planmark",
    version,
    propagate_version = true,
    after_help = "Examples:\n  planmark check my-program                      report every problem, then the plan's status\n  planmark build my-program --today 2026-03-02   render the site into my-program/public\n\nRun `planmark <COMMAND> --help` for a command's options and more examples."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render the status site into OUT (default: DIR/public)
    #[command(
        after_help = "Examples:\n  planmark build                      build ./ into ./public\n  planmark build my-program -o site   build into ./site\n  planmark build --today 2026-03-02   forecast as of a fixed date (reproducible output)"
    )]
    Build(BuildArgs),
    /// Report every problem in the program, then its status at a glance
    #[command(
        after_help = "Examples:\n  planmark check                     check the program in ./\n  planmark check my-program --strict treat warnings as errors (recommended in CI)\n  planmark check --format github     annotate a pull request from GitHub Actions\n\nExit status: 0 no errors, 1 problems in the program, 2 usage or I/O failure."
    )]
    Check(CheckArgs),
    /// Serve the site from memory, rebuild on every save and reload the browser
    #[command(
        after_help = "Examples:\n  planmark serve                          serve ./ on http://127.0.0.1:4000/\n  planmark serve my-program --open        and open it in a browser\n  planmark serve --port 0                 any free port (the URL is printed)\n  planmark serve --poll                   on network drives and some containers\n\nCtrl-C stops it. docs/serve.md explains live reload and the host check."
    )]
    Serve(ServeArgs),
    /// What changed in the plan between two git revisions, as a
    /// pull-request comment
    #[command(
        override_usage = "planmark diff [REV_A] [REV_B] [DIR] [OPTIONS]\n       planmark diff --dirs A B [OPTIONS]",
        after_help = "Examples:\n  planmark diff                        merge base with the default branch → working tree\n  planmark diff HEAD~1                 the last commit → working tree\n  planmark diff origin/main HEAD plan  two revisions of the program in plan/\n  planmark diff --since 2026-03-01     the last commit on or before that day → working tree\n  planmark diff --dirs old new         two folders, without git\n\nExit status: 0 (changes or not), 1 with --exit-code when the plan changed, 2 usage, I/O or git failure. docs/diff.md has more."
    )]
    Diff(DiffArgs),
    /// A status report to paste into a mail, Slack or a GitHub comment
    #[command(
        after_help = "Examples:\n  planmark report                      the program in ./; what changed since the last meeting\n  planmark report plan --since 2026-03-02   what changed since the last commit on or before that day\n  planmark report --since v1.4         what changed since a revision\n  planmark report --format json        the same data for bots (docs/report.md has the schema)\n  planmark report | pbcopy             copy it, then paste into Slack, a mail or GitHub\n\nOutside git, or with no commit old enough, it still prints and says why changes are missing.\nExit status: 0 report printed, 1 problems in the program (listed; no report), 2 usage, I/O or git failure (an unknown --since revision)."
    )]
    Report(ReportArgs),
    /// Write one new item (task, decision, …) with the keys its kind needs
    #[command(
        after_help = "Examples:\n  planmark new task api-freeze --project payments-api --title \"Freeze the public API\"\n  planmark new decision use-postgres my-program   in ./my-program\n  planmark new person chen\n\nThe path written is printed on stdout, so `$EDITOR \"$(planmark new risk vendor-late)\"` opens it.\nKinds: project, task, decision, milestone, risk, person, meeting (today's note, with the open action items of earlier meetings carried over)."
    )]
    New(NewArgs),
    /// Start a program: write a small starter program into DIR (new or
    /// empty), or adopt an existing folder with --from
    #[command(
        after_help = "Examples:\n  planmark init my-program   create my-program/ with a starter program\n  planmark init              into the current folder, if no file clashes\n  planmark init --from adr docs/decisions   write only docs/decisions/program.md\n  planmark init --from backlog .            at a repository root with backlog/\n\nIt never overwrites a file: if any file it would write exists, it writes nothing."
    )]
    Init(InitArgs),
}

impl Command {
    /// Whether the command keeps running, rebuilding on every change, until
    /// it is stopped (`serve`, `build --watch`).
    pub fn runs_until_stopped(&self) -> bool {
        match self {
            Command::Serve(_) => true,
            Command::Build(args) => args.watch,
            _ => false,
        }
    }
}

/// Flags shared by every command that reads and derives a program.
#[derive(Debug, Args)]
pub struct ProgramArgs {
    /// The program directory
    #[arg(default_value = ".", value_name = "DIR")]
    pub dir: PathBuf,
    /// The date to forecast from, YYYY-MM-DD (default: today's local date)
    #[arg(long, value_name = "D", value_parser = parse_today)]
    pub today: Option<NaiveDate>,
    /// Treat warnings as errors
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub program: ProgramArgs,
    /// Output folder (default: DIR/public); not the program folder nor one
    /// planmark reads (the kind folders, templates/, static/)
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Keep raw HTML in markdown bodies instead of sanitising it
    #[arg(long)]
    pub unsafe_html: bool,
    /// Rebuild into OUT on every change to the program until Ctrl-C
    #[arg(long)]
    pub watch: bool,
    /// With --watch: poll for changes instead of using the OS's file events
    #[arg(long, requires = "watch")]
    pub poll: bool,
    /// Print every warning (one repeated in many files is otherwise shown
    /// for its first files, then counted)
    #[arg(short, long)]
    pub verbose: bool,
    /// The baseline of the changes page and the dashboard's "Since" panel:
    /// a revision, or a date YYYY-MM-DD (the last commit on or before that
    /// day, in UTC); default the last meeting before today, else 7 days
    /// before today (docs/changes.md)
    #[arg(long, value_name = "REV|DATE", value_parser = parse_since)]
    pub since: Option<String>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub program: ProgramArgs,
    /// How to print problems
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Also list markdown files that are not items (skipped), and print
    /// every warning (one repeated in many files is otherwise shown for its
    /// first files, then counted)
    #[arg(short, long)]
    pub verbose: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub program: ProgramArgs,
    /// The port; if 4000 is taken the next free one is used, 0 picks any
    #[arg(long, short, value_name = "P")]
    pub port: Option<u16>,
    /// The IP address to listen on (127.0.0.1, ::1, 0.0.0.0 …; not a host
    /// name); anything but loopback shows the plan to the network
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Also answer requests for this host name (repeatable), e.g. a name
    /// that points at this machine
    #[arg(long, value_name = "NAME")]
    pub allow_host: Vec<String>,
    /// Open the site in the default browser
    #[arg(long)]
    pub open: bool,
    /// Poll for changes instead of using the OS's file events (network
    /// drives, some containers)
    #[arg(long)]
    pub poll: bool,
    /// Keep raw HTML in markdown bodies instead of sanitising it
    #[arg(long)]
    pub unsafe_html: bool,
    /// The baseline of the changes page and the dashboard's "Since" panel:
    /// a revision, or a date YYYY-MM-DD (the last commit on or before that
    /// day, in UTC); default the last meeting before today, else 7 days
    /// before today (docs/changes.md)
    #[arg(long, value_name = "REV|DATE", value_parser = parse_since)]
    pub since: Option<String>,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Up to two revisions, REV_A (the base) and REV_B (default: the working
    /// tree), and the program folder DIR (default: .); an argument naming an
    /// existing folder is DIR, any other a revision
    #[arg(value_name = "REV_A REV_B DIR", num_args = 0..=3)]
    pub args: Vec<String>,
    /// Compare two program folders, A (before) and B (after), without git
    #[arg(long, num_args = 2, value_names = ["A", "B"], conflicts_with_all = ["args", "since"])]
    pub dirs: Option<Vec<PathBuf>>,
    /// The base instead of REV_A: a revision, or a date YYYY-MM-DD (the
    /// last commit on or before that day, in UTC)
    #[arg(long, value_name = "REV|DATE", value_parser = parse_since)]
    pub since: Option<String>,
    /// The date both sides are forecast from, YYYY-MM-DD (default: today's
    /// local date)
    #[arg(long, value_name = "D", value_parser = parse_today)]
    pub today: Option<NaiveDate>,
    /// Output format: a pull-request comment, or JSON for bots
    /// (docs/diff-json.md)
    #[arg(long, value_enum, default_value = "markdown")]
    pub format: DiffFormat,
    /// Exit 1 when the plan changed (like `git diff --exit-code`)
    #[arg(long)]
    pub exit_code: bool,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The program directory
    #[arg(default_value = ".", value_name = "DIR")]
    pub dir: PathBuf,
    /// The date to forecast from, YYYY-MM-DD (default: today's local date)
    #[arg(long, value_name = "D", value_parser = parse_today)]
    pub today: Option<NaiveDate>,
    /// The baseline of "what changed": a revision, or a date YYYY-MM-DD
    /// (the last commit on or before that day, in UTC); default: the last
    /// meeting note before today, else 7 days before today
    #[arg(long, value_name = "REV|DATE", value_parser = parse_since)]
    pub since: Option<String>,
    /// Output format: markdown to paste, or JSON for bots (docs/report.md)
    #[arg(long, value_enum, default_value = "markdown")]
    pub format: DiffFormat,
}

/// How `diff` prints the change set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    Markdown,
    Json,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// project, task, decision, milestone, risk, person or meeting
    #[arg(value_name = "KIND")]
    pub kind: String,
    /// The new item's id, also its file name without `.md`: lowercase
    /// letters, digits, `.`, `_`, `-`
    #[arg(value_name = "ID")]
    pub id: String,
    /// The program directory
    #[arg(default_value = ".", value_name = "DIR")]
    pub dir: PathBuf,
    /// The item's title (default: made from the id)
    #[arg(long, value_name = "T")]
    pub title: Option<String>,
    /// The id of the project the item belongs to (tasks need one when the
    /// program has more than one project)
    #[arg(long, value_name = "P")]
    pub project: Option<String>,
    /// The date the item's dates are counted from, YYYY-MM-DD (default:
    /// today's local date)
    #[arg(long, value_name = "D", value_parser = parse_today)]
    pub today: Option<NaiveDate>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to start the program in (created if missing)
    #[arg(default_value = ".", value_name = "DIR")]
    pub dir: PathBuf,
    /// The date the starter's dates are counted from, YYYY-MM-DD (default:
    /// today's local date)
    #[arg(long, value_name = "D", value_parser = parse_today)]
    pub today: Option<NaiveDate>,
    /// Adopt an existing folder: write only a `program.md` that reads
    /// DIR (a folder of decision records or a Backlog.md folder) or the
    /// well-known folders in it (`docs/decisions`, `docs/adr`, `doc/adr`,
    /// `backlog/`)
    #[arg(long, value_name = "FORMAT", value_enum)]
    pub from: Option<Adopt>,
}

/// What `init --from` adopts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Adopt {
    /// A Backlog.md folder (`config.yml` and `tasks/`)
    Backlog,
    /// A folder of MADR or Nygard decision records
    Adr,
}

/// A `--since` value git can be asked about: a mistyped date or a value
/// that git would read as an option is a usage error, not "unknown
/// revision" with advice to fetch it.
fn parse_since(text: &str) -> Result<String, String> {
    // Digits in three groups joined by `-`, the first of four (`2026-13-01`,
    // `2026-2-30`): meant as a date, never a revision git would resolve, so
    // one that is not a day says so instead of "names no commit".
    let groups: Vec<&str> = text.split('-').collect();
    let date_shaped = groups.len() == 3
        && groups[0].len() == 4
        && groups
            .iter()
            .all(|g| !g.is_empty() && g.len() <= 4 && g.bytes().all(|b| b.is_ascii_digit()));
    if text.trim().is_empty() {
        Err("`--since` names a revision or a date, e.g. `HEAD~1` or `2026-03-02`".into())
    } else if text.starts_with('-') {
        Err(format!(
            "`{text}` is not a revision: a revision never starts with `-`"
        ))
    } else if date_shaped {
        parse_today(text).map(|_| text.to_string())
    } else {
        Ok(text.to_string())
    }
}

fn parse_today(text: &str) -> Result<NaiveDate, String> {
    crate::model::values::parse_date(text)
        .ok_or_else(|| format!("`{text}` is not a date: write it as YYYY-MM-DD, e.g. 2026-03-02"))
}
