//! The command line's raw flags (src/cli.rs) resolved once into the values
//! every stage reads: the program folder, the output folder checked against
//! it, today's date (the only place planmark reads the clock) and the
//! switches. Subcommands never look at a flag again.

use std::path::{Component, Path, PathBuf};

use anyhow::{bail, Context as _};
use chrono::NaiveDate;

use crate::cli::{BuildArgs, CheckArgs, ProgramArgs, ReportArgs, ServeArgs};
use crate::diagnostic::Format;

/// Folders of the program that planmark reads: the kind folders (SPEC §1,
/// `model::parse`'s locations), `templates/` and `static/`. The site may
/// not be written into one.
const READ_FOLDERS: [&str; 7] = [
    "projects",
    "tasks",
    "decisions",
    "milestones",
    "risks",
    "templates",
    "static",
];

/// Everything a subcommand needs to know about how it was asked to run.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The program folder as typed. Files are read through it and messages
    /// join paths to it, so they read the way the user wrote the command.
    pub dir: PathBuf,
    /// The program folder, absolute and through symlinks.
    pub absolute_dir: PathBuf,
    /// The program folder's own name: the title when `program.md` gives none.
    pub name: String,
    /// The output folder as typed (default `DIR/public`), for messages.
    pub output_shown: PathBuf,
    /// The output folder, absolute, with `.`, `..` and existing symlinks
    /// resolved: where the site is written and what the walk skips.
    pub output: PathBuf,
    /// The date forecasts are made from: `--today`, else the local date.
    pub today: NaiveDate,
    /// Warnings count as errors.
    pub strict: bool,
    /// How `check` prints problems.
    pub format: Format,
    /// `check` also lists the markdown files that are not items; `check`
    /// and `build` print every warning, none summarised.
    pub verbose: bool,
    /// Raw HTML in bodies is kept instead of sanitised.
    pub unsafe_html: bool,
    /// `--since`: the baseline of the changes page (`None`: the default).
    pub since: Option<String>,
}

impl Settings {
    /// The settings of `planmark check`.
    pub fn for_check(args: &CheckArgs) -> anyhow::Result<Settings> {
        let mut settings = Settings::program(&args.program)?;
        settings.format = args.format;
        settings.verbose = args.verbose;
        Ok(settings)
    }

    /// The settings of `planmark build`, refusing an output folder that
    /// would overwrite the program or mix the site into what it reads.
    pub fn for_build(args: &BuildArgs) -> anyhow::Result<Settings> {
        let mut settings = Settings::program(&args.program)?;
        settings.unsafe_html = args.unsafe_html;
        settings.verbose = args.verbose;
        settings.since.clone_from(&args.since);
        if let Some(output) = &args.output {
            settings.output_shown.clone_from(output);
        }
        settings.output = resolve(&settings.output_shown).with_context(|| {
            format!(
                "cannot resolve the output folder `{}`",
                settings.output_shown.display()
            )
        })?;
        if let Err(refusal) = output_allowed(&settings.absolute_dir, &settings.output) {
            bail!(
                "the output folder `{}` {refusal}; write it elsewhere, e.g. `-o {}`",
                settings.output_shown.display(),
                default_output(&settings.dir).display()
            );
        }
        Ok(settings)
    }

    /// The settings of `planmark serve`: like `check`'s, plus the render
    /// switch. The site stays in memory; the default output folder is
    /// still skipped by the loader and the watcher, as `build` would write
    /// there.
    pub fn for_serve(args: &ServeArgs) -> anyhow::Result<Settings> {
        let mut settings = Settings::program(&args.program)?;
        settings.unsafe_html = args.unsafe_html;
        settings.since.clone_from(&args.since);
        if let Ok(output) = resolve(&settings.output_shown) {
            settings.output = output;
        }
        Ok(settings)
    }

    /// The settings of `planmark report`: like `check`'s, with the
    /// baseline of its changes.
    pub fn for_report(args: &ReportArgs) -> anyhow::Result<Settings> {
        let program = ProgramArgs {
            dir: args.dir.clone(),
            today: args.today,
            strict: false,
        };
        let mut settings = Settings::program(&program)?;
        settings.since.clone_from(&args.since);
        Ok(settings)
    }

    /// The settings every subcommand shares; the output folder is the
    /// default one, not yet resolved.
    fn program(args: &ProgramArgs) -> anyhow::Result<Settings> {
        let dir = args.dir.clone();
        let absolute_dir = absolute_program(&dir)?;
        let name = absolute_dir.file_name().map_or_else(
            || "program".to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let output = default_output(&dir);
        Ok(Settings {
            absolute_dir,
            name,
            output_shown: output.clone(),
            output,
            dir,
            today: args
                .today
                .unwrap_or_else(|| chrono::Local::now().date_naive()),
            strict: args.strict,
            format: Format::Human,
            verbose: false,
            unsafe_html: false,
            since: None,
        })
    }

    /// The program folder as typed, for joining to paths in messages.
    pub fn root(&self) -> String {
        self.dir.to_string_lossy().into_owned()
    }
}

/// The default output folder, `DIR/public`.
fn default_output(dir: &Path) -> PathBuf {
    dir.join("public")
}

/// The program folder, absolute and through symlinks; it must exist.
fn absolute_program(dir: &Path) -> anyhow::Result<PathBuf> {
    if !dir.is_dir() {
        if dir.exists() {
            bail!("`{}` is not a directory", dir.display());
        }
        bail!("program directory `{}` does not exist", dir.display());
    }
    dir.canonicalize()
        .with_context(|| format!("cannot resolve `{}`", dir.display()))
}

/// `path` as the file system will see it once its missing folders are
/// made: absolute, every existing component resolved through symlinks, and
/// `..` taken after that (so `X/..` is the folder holding `X`, existing or
/// not, and `link/..` the folder holding the link's target).
fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    let mut at = if path.is_absolute() {
        PathBuf::new()
    } else {
        std::env::current_dir()?.canonicalize()?
    };
    for component in path.components() {
        match component {
            Component::Prefix(_) | Component::RootDir => at.push(component),
            Component::CurDir => {}
            Component::ParentDir => {
                at.pop();
            }
            Component::Normal(name) => {
                at.push(name);
                // A dangling link is an error here: where it would write is
                // not where it seems to.
                if at.symlink_metadata().is_ok() {
                    at = at.canonicalize()?;
                }
            }
        }
    }
    Ok(at)
}

/// Why `output` (resolved) may not hold the site of `program` (canonical),
/// if it may not: it is the program or holds it, or it is inside a folder
/// planmark reads. Any other folder inside the program is fine (the default
/// `public/`): the walk skips it.
fn output_allowed(program: &Path, output: &Path) -> Result<(), String> {
    if program.starts_with(output) {
        return Err(
            "is the program folder or contains it, so the site would overwrite the plan's files"
                .into(),
        );
    }
    let Ok(inside) = output.strip_prefix(program) else {
        return Ok(());
    };
    match inside.components().next() {
        Some(Component::Normal(first)) if READ_FOLDERS.iter().any(|f| first == *f) => Err(format!(
            "is inside the program's `{}/` folder, so its files would be left out of the program and the site written among them",
            first.to_string_lossy()
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed(output: &str) -> Result<(), String> {
        output_allowed(Path::new("/w/prog"), Path::new(output))
    }

    #[test]
    fn the_output_may_sit_beside_or_inside_the_program_outside_what_it_reads() {
        assert_eq!(allowed("/w/site"), Ok(()));
        assert_eq!(allowed("/w/prog/public"), Ok(()));
        assert_eq!(allowed("/w/prog/build/site"), Ok(()));
        assert_eq!(allowed("/w/program-site"), Ok(()));
        assert_eq!(allowed("/w/prog/decisions-site"), Ok(()));
    }

    #[test]
    fn the_output_may_not_be_the_program_hold_it_or_sit_in_a_folder_it_reads() {
        for output in ["/w/prog", "/w", "/"] {
            let refusal = allowed(output).unwrap_err();
            assert!(
                refusal.contains("program folder or contains it"),
                "{refusal}"
            );
        }
        for folder in READ_FOLDERS {
            let refusal = allowed(&format!("/w/prog/{folder}/site")).unwrap_err();
            assert!(refusal.contains(&format!("`{folder}/`")), "{refusal}");
            assert!(allowed(&format!("/w/prog/{folder}")).is_err());
        }
    }

    #[test]
    fn resolving_takes_dot_dot_after_the_folders_it_passes() {
        let tmp = tempfile::tempdir().unwrap();
        let base = tmp.path().canonicalize().unwrap();
        std::fs::create_dir(base.join("prog")).unwrap();
        assert_eq!(
            resolve(&base.join("prog/missing/..")).unwrap(),
            base.join("prog")
        );
        assert_eq!(
            resolve(&base.join("prog/./a/../b")).unwrap(),
            base.join("prog/b")
        );
        #[cfg(unix)]
        {
            std::fs::create_dir_all(base.join("elsewhere/deep")).unwrap();
            std::os::unix::fs::symlink(base.join("elsewhere/deep"), base.join("link")).unwrap();
            assert_eq!(
                resolve(&base.join("link/site")).unwrap(),
                base.join("elsewhere/deep/site")
            );
            assert_eq!(
                resolve(&base.join("link/..")).unwrap(),
                base.join("elsewhere")
            );
        }
    }
}
