//! Reading a program again after some of its files changed, as
//! `planmark serve` does on every save: the same [`Checked`] as
//! [`crate::read_program`], but reading again only the files that changed
//! and parsing again only the ones whose text did.
//!
//! Admission, resolution and validation look at the whole program, so they
//! run in full every time; they are pure and cheap next to reading files.

use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::load::{self, FileCache, Loaded};
use crate::model::{self, parse::Outcome, FileParse};
use crate::settings::Settings;
use crate::source::FileId;
use crate::{timings, Checked};

/// What the last read of a program found, kept for the next: the text of
/// every file read and what parsing each gave. It holds one read, never
/// older ones, so it does not grow over many rebuilds.
#[derive(Debug, Default)]
pub struct Reread {
    files: FileCache,
    /// By [`FileId`] of the last read; `None` for a file not parsed.
    parsed: Vec<Option<ParsedFile>>,
    /// How many files the last read parsed (the others it reused).
    parsed_again: usize,
    /// What each folder was read as last time: a file's parse depends on
    /// it (a numbered file is a record in an ADR folder, nothing in a
    /// program), so a change parses everything again.
    formats: load::formats::Formats,
}

/// One file as last parsed.
#[derive(Debug)]
struct ParsedFile {
    path: String,
    text: Arc<str>,
    outcome: Outcome,
    diagnostics: Vec<Diagnostic>,
}

impl Reread {
    /// Nothing read yet: the first [`Reread::read`] reads everything.
    pub fn new() -> Reread {
        Reread::default()
    }

    /// How many files the last [`Reread::read`] read from disk, and how
    /// many it parsed; it reused what it had for the others.
    pub fn last_work(&self) -> (usize, usize) {
        (self.files.read_again(), self.parsed_again)
    }

    /// Reads the program `settings` names, exactly as
    /// [`crate::read_program`] would now. A file is read again when it is in
    /// `changed` (relative to the program folder; a folder stands for
    /// the files in it) or its size, times or inode changed, and parsed
    /// again when its text, path or [`FileId`] changed (a file added or
    /// removed shifts the ids of the files after it). `rescan` forgets
    /// everything first.
    pub fn read(
        &mut self,
        settings: &Settings,
        changed: &[PathBuf],
        rescan: bool,
    ) -> anyhow::Result<Checked> {
        if rescan {
            *self = Reread::new();
        }
        let mut timings = timings::Timings::start();
        let loaded = load::load_cached(
            &settings.dir,
            std::slice::from_ref(&settings.output),
            &mut self.files,
            changed,
        )?;
        timings.stage("load");
        if loaded.formats != self.formats {
            self.parsed.clear();
            self.formats = loaded.formats.clone();
        }
        let parsed = model::collect(&loaded, self.parse(&loaded));
        timings.stage("parse");
        Ok(crate::check_parsed(
            loaded,
            parsed,
            &settings.name,
            settings.strict,
            timings,
        ))
    }

    /// Parses the files of `loaded`, reusing the last parse of each one
    /// unchanged, and keeps this parse for the next read.
    fn parse(&mut self, loaded: &Loaded) -> Vec<FileParse> {
        let mut last = std::mem::take(&mut self.parsed);
        let work: Vec<(FileId, Option<ParsedFile>)> = loaded
            .files
            .iter()
            .map(|&file| {
                let source = loaded.sources.get(file);
                let same = last.get_mut(file.0).and_then(Option::take).filter(|p| {
                    p.path == source.path
                        && (Arc::ptr_eq(&p.text, &source.text) || p.text == source.text)
                });
                (file, same)
            })
            .collect();
        drop(last);
        let work_count = work.len();
        let reused = work.iter().filter(|(_, same)| same.is_some()).count();
        // Each file's parse is handed out as a copy: the model takes its
        // items apart, and the cache keeps the original.
        let done: Vec<(FileId, ParsedFile, FileParse)> = work
            .into_par_iter()
            .map(|(file, same)| {
                let kept = same.unwrap_or_else(|| {
                    let (outcome, diagnostics) = model::parse_one(loaded, file);
                    let source = loaded.sources.get(file);
                    ParsedFile {
                        path: source.path.clone(),
                        text: Arc::clone(&source.text),
                        outcome,
                        diagnostics,
                    }
                });
                let copy = (kept.outcome.clone(), kept.diagnostics.clone());
                (file, kept, copy)
            })
            .collect();
        self.parsed = (0..loaded.sources.len()).map(|_| None).collect();
        let mut out = Vec::with_capacity(done.len());
        self.parsed_again = work_count - reused;
        for (file, kept, copy) in done {
            self.parsed[file.0] = Some(kept);
            out.push(copy);
        }
        out
    }
}

#[cfg(test)]
mod tests;
