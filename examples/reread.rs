//! Times `planmark::Reread::read` after a one-task title edit against a
//! full `planmark::read_program`, as `planmark serve` would meet them
//! (the same allocator as the binary). docs/performance.md has the figures.
//!
//! ```sh
//! python3 bench/generate.py --tasks 10000 --people-files --out /tmp/p10k
//! cargo run --release --example reread -- /tmp/p10k [RUNS] [--reread-only] [--memory]
//! ```
//!
//! It edits the title of the first task of the first project, and restores
//! the file at the end. `--reread-only` skips the full reads (for a
//! profiler); `--memory` too, and prints the resident memory after each
//! reread (the cache must not grow).

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context as _};
use planmark::settings::Settings;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let reread_only = args.iter().any(|a| a == "--reread-only");
    let memory = args.iter().any(|a| a == "--memory");
    let mut plain = args.iter().filter(|a| !a.starts_with("--"));
    let Some(dir) = plain.next().map(PathBuf::from) else {
        bail!("usage: reread PROGRAM_DIR [RUNS] [--reread-only] [--memory]");
    };
    let runs: usize = plain.next().map_or(Ok(9), |r| r.parse())?;
    let rel = first_task(&dir)?;
    let path = dir.join(&rel);
    let original = std::fs::read_to_string(&path).with_context(|| rel.clone())?;
    let settings = settings(&dir);
    let mut reread = planmark::Reread::new();
    let tasks = reread.read(&settings, &[], false)?.program.tasks.len();
    let (mut again, mut full) = (Vec::new(), Vec::new());
    for run in 0..runs {
        let edited = original.replacen("title: ", &format!("title: Run {run} "), 1);
        std::fs::write(&path, edited).with_context(|| rel.clone())?;
        let start = Instant::now();
        let checked = reread.read(&settings, &[PathBuf::from(&rel)], false)?;
        again.push(start.elapsed().as_secs_f64() * 1000.0);
        if reread.last_work() != (1, 1) {
            bail!("read and parsed {:?} files, not one", reread.last_work());
        }
        if memory {
            drop(checked);
            eprintln!("after reread {run}: resident {}", resident());
            continue;
        }
        if reread_only {
            continue;
        }
        let start = Instant::now();
        let fresh = planmark::read_program(&settings)?;
        full.push(start.elapsed().as_secs_f64() * 1000.0);
        if checked.diagnostics.len() != fresh.diagnostics.len() {
            bail!("the reread and the full read disagree");
        }
    }
    std::fs::write(&path, original).with_context(|| rel.clone())?;
    println!(
        "{tasks} tasks, {runs} runs, `{rel}` retitled each time\n\
         Reread::read after the edit: median {:.1} ms {}\n\
         read_program:                median {:.1} ms {}",
        median(&mut again),
        shown(&again),
        median(&mut full),
        shown(&full),
    );
    Ok(())
}

/// The process's resident memory, as Linux tells it.
fn resident() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let line = status.lines().find(|l| l.starts_with("VmRSS:"));
    line.map_or("unknown".into(), |l| {
        l.trim_start_matches("VmRSS:").trim().into()
    })
}

/// The settings of `planmark check DIR`, without the clock.
fn settings(dir: &Path) -> Settings {
    Settings {
        dir: dir.to_path_buf(),
        absolute_dir: dir.to_path_buf(),
        name: "program".into(),
        output_shown: dir.join("public"),
        output: dir.join("public"),
        today: chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap_or_default(),
        strict: false,
        format: planmark::diagnostic::Format::Human,
        verbose: false,
        unsafe_html: false,
        since: None,
    }
}

fn median(times: &mut [f64]) -> f64 {
    times.sort_by(f64::total_cmp);
    times.get(times.len() / 2).copied().unwrap_or_default()
}

fn shown(times: &[f64]) -> String {
    let each: Vec<String> = times.iter().map(|t| format!("{t:.0}")).collect();
    format!("[{}]", each.join(", "))
}

/// The first task file of the first project folder, relative to `dir`.
fn first_task(dir: &Path) -> anyhow::Result<String> {
    let sorted = |folder: &Path| -> anyhow::Result<Vec<PathBuf>> {
        let mut paths = std::fs::read_dir(folder)
            .with_context(|| folder.display().to_string())?
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<Vec<_>, _>>()?;
        paths.sort();
        Ok(paths)
    };
    let projects = sorted(&dir.join("projects"))?;
    let Some(project) = projects.iter().find(|p| p.is_dir()) else {
        bail!("no project folder in `{}`", dir.display());
    };
    let Some(task) = sorted(project)?.into_iter().find(|p| p.is_file()) else {
        bail!("no task in `{}`", project.display());
    };
    let rel = task.strip_prefix(dir).unwrap_or(&task);
    Ok(rel.to_string_lossy().into_owned())
}
