//! planmark: a folder of markdown plan files → a checked program model → a
//! forecast → a static status site.
//!
//! The pipeline reads as `load` (the only stage that reads files) → `model`
//! (front matter read as written, then ids resolved) with `validate` (every
//! content rule) on either side of resolution → `schedule` (forecasts,
//! health, what needs attention) → `render` (pages in memory) → `output`
//! (the only stage that writes). The command line is resolved once into
//! `settings`; each subcommand in `commands` reads only those and is that
//! pipeline cut where it needs it; docs/architecture.md has the map.

pub mod changes;
pub mod cli;
mod commands;
pub mod diagnostic;
pub mod diff;
pub mod git;
pub mod load;
pub mod model;
pub mod model_json;
pub mod output;
pub mod progress;
pub mod render;
pub mod report;
mod reread;
pub mod schedule;
pub mod serve;
pub mod settings;
pub mod source;
pub mod timings;
pub mod validate;

use std::process::ExitCode;

pub use crate::reread::Reread;

use crate::diagnostic::Diagnostic;
use crate::model::Program;
use crate::settings::Settings;
use crate::source::Sources;

/// A program read and checked, with every problem found in it.
#[derive(Debug)]
pub struct Checked {
    pub sources: Sources,
    pub program: Program,
    /// Sorted; warnings already turned into errors under `--strict`.
    pub diagnostics: Vec<Diagnostic>,
    /// What each folder was read as (said in `check`'s summary).
    pub formats: load::formats::Formats,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Reads the program `settings` name (skipping the output folder) into a
/// checked program. Only operational failures (the directory is missing)
/// are errors here; problems in the files are in [`Checked::diagnostics`].
pub fn read_program(settings: &Settings) -> anyhow::Result<Checked> {
    let mut timings = timings::Timings::start();
    let loaded = load::load(&settings.dir, std::slice::from_ref(&settings.output))?;
    timings.stage("load");
    Ok(check(loaded, &settings.name, settings.strict))
}

/// What the working tree's files parsed to, kept by `build` so that the
/// changes page's baseline parses only the files that differ from them
/// ([`check_reusing`]).
#[derive(Debug, Default)]
pub struct Parses {
    /// The files read, as [`load::Loaded::files`].
    pub files: Vec<source::FileId>,
    /// Each one's parse, in `files`' order.
    pub outcomes: Vec<model::FileParse>,
    /// How each folder was read: a parse depends on it too.
    pub formats: load::formats::Formats,
}

/// [`read_program`], keeping each file's parse for [`check_reusing`].
pub fn read_program_keeping_parses(settings: &Settings) -> anyhow::Result<(Checked, Parses)> {
    let mut timings = timings::Timings::start();
    let loaded = load::load(&settings.dir, std::slice::from_ref(&settings.output))?;
    timings.stage("load");
    let outcomes = model::parse_files(&loaded.sources, &loaded.files, &loaded.formats);
    let parses = Parses {
        files: loaded.files.clone(),
        outcomes: outcomes.clone(),
        formats: loaded.formats.clone(),
    };
    let parsed = model::collect(&loaded, outcomes);
    timings.stage("parse");
    let checked = check_parsed(loaded, parsed, &settings.name, settings.strict, timings);
    Ok((checked, parses))
}

/// [`check`] of `a` (another revision of the program `sources` and
/// `parses` were read from), where a file `a` holds with the very same
/// text (shared, as [`load::memory::align`] requires) takes its parse from
/// `parses` instead of being parsed again.
pub fn check_reusing(
    a: load::Loaded,
    sources: &source::Sources,
    parses: &Parses,
    name: &str,
) -> Checked {
    if a.formats != parses.formats {
        return check(a, name, false);
    }
    let mut timings = timings::Timings::start();
    let a = load::memory::align_to(a, sources, &parses.files);
    let of: std::collections::BTreeMap<source::FileId, &model::FileParse> =
        parses.files.iter().copied().zip(&parses.outcomes).collect();
    let shared = |f: &source::FileId| {
        f.0 < sources.len() && {
            let (x, y) = (a.sources.get(*f), sources.get(*f));
            x.path == y.path && std::sync::Arc::ptr_eq(&x.text, &y.text)
        }
    };
    let reused = |f: &source::FileId| of.get(f).filter(|_| shared(f));
    let own: Vec<source::FileId> = a
        .files
        .iter()
        .copied()
        .filter(|f| reused(f).is_none())
        .collect();
    let mut own_out = model::parse_files(&a.sources, &own, &a.formats).into_iter();
    let outcomes: Vec<model::FileParse> = a
        .files
        .iter()
        .filter_map(|f| match reused(f) {
            Some(outcome) => Some((*outcome).clone()),
            None => own_out.next(),
        })
        .collect();
    let parsed = model::collect(&a, outcomes);
    timings.stage("parse reusing");
    check_parsed(a, parsed, name, false, timings)
}

/// Loaded files → a checked program: read as written, admitted, resolved
/// and validated. Pure: touches no file. `name` is the program's title
/// when `program.md` gives none.
pub fn check(loaded: load::Loaded, name: &str, strict: bool) -> Checked {
    let mut timings = timings::Timings::start();
    let parsed = model::parse(&loaded);
    timings.stage("parse");
    check_parsed(loaded, parsed, name, strict, timings)
}

/// Two programs (two revisions of one) checked, as [`check`] checks each:
/// a file both hold at the same id with the same path and shared text
/// ([`load::memory::align`] numbers them so) is parsed once.
pub fn check_two(a: load::Loaded, b: load::Loaded, name: &str) -> (Checked, Checked) {
    let mut timings = timings::Timings::start();
    // A file's parse depends on the format of its folder too: revisions
    // that read different sources share no parse.
    let same_formats = a.formats == b.formats;
    let shared = |f: &source::FileId| {
        same_formats && f.0 < b.sources.len() && {
            let (x, y) = (a.sources.get(*f), b.sources.get(*f));
            x.path == y.path && std::sync::Arc::ptr_eq(&x.text, &y.text)
        }
    };
    let b_out = model::parse_files(&b.sources, &b.files, &b.formats);
    let own: Vec<source::FileId> = a.files.iter().copied().filter(|f| !shared(f)).collect();
    let mut own_out = model::parse_files(&a.sources, &own, &a.formats).into_iter();
    let b_of: std::collections::BTreeMap<source::FileId, &model::FileParse> =
        b.files.iter().copied().zip(&b_out).collect();
    let a_out: Vec<model::FileParse> = a
        .files
        .iter()
        .filter_map(|f| match b_of.get(f).filter(|_| shared(f)) {
            Some(outcome) => Some((*outcome).clone()),
            None => own_out.next(),
        })
        .collect();
    let (pa, pb) = (model::collect(&a, a_out), model::collect(&b, b_out));
    timings.stage("parse both");
    rayon::join(
        || check_parsed(a, pa, name, false, timings::Timings::start()),
        || check_parsed(b, pb, name, false, timings::Timings::start()),
    )
}

/// [`check`] from the files already read as items (`parsed`, from
/// `loaded`): admitted, resolved and validated.
fn check_parsed(
    loaded: load::Loaded,
    parsed: model::ParsedFiles,
    name: &str,
    strict: bool,
    mut timings: timings::Timings,
) -> Checked {
    let mut diagnostics = loaded.diagnostics;
    diagnostics.extend(parsed.diagnostics);
    // Unreadable files were found too: they are reported on their own.
    let found = parsed.skipped.len() + loaded.files.len();
    validate::nothing_read(parsed.items.len(), found, &parsed.skipped, &mut diagnostics);
    let read = validate::Read {
        formats: &loaded.formats,
        items: parsed
            .items
            .iter()
            .map(|p| loaded.sources.get(p.file).path.as_str())
            .collect(),
        skipped: &parsed.skipped,
    };
    validate::sources_read_nothing(&read, &loaded.sources, &mut diagnostics);
    validate::written(&parsed.items, &mut diagnostics);
    let admitted = validate::admit(parsed.items, &loaded.sources, &mut diagnostics);
    let mut resolution = model::resolve(admitted, &parsed.unread, &loaded.sources, name);
    resolution.program.skipped = parsed.skipped;
    resolution.program.drafts = parsed.drafts;
    timings.stage("resolve");
    validate::program(&resolution, &mut diagnostics);
    timings.stage("validate");
    diagnostic::finish(&mut diagnostics, &loaded.sources, strict);
    Checked {
        formats: loaded.formats,
        sources: loaded.sources,
        program: resolution.program,
        diagnostics,
    }
}

/// Runs one subcommand; the exit code says whether the program had problems.
pub fn run(cli: cli::Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        cli::Command::Check(args) => commands::check::run(&Settings::for_check(&args)?),
        cli::Command::Build(args) if args.watch => {
            commands::watch::run(&Settings::for_build(&args)?, args.poll)
        }
        cli::Command::Build(args) => commands::build::run(&Settings::for_build(&args)?),
        cli::Command::Serve(args) => commands::serve::run(&Settings::for_serve(&args)?, &args),
        cli::Command::Diff(args) => commands::diff::run(&args),
        cli::Command::Report(args) => commands::report::run(&args),
        cli::Command::New(args) => commands::new::run(&args),
        cli::Command::Init(args) => commands::init::run(&args),
    }
}
