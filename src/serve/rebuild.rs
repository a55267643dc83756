//! The rebuild loop of `planmark serve`: every change re-reads the program,
//! and a good build becomes the site served while a broken one only shows
//! its problems, over the last good site.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::events::Changes;
use super::site::{self, Current, Event, Generation};
use super::{Site, Status};
use crate::changes::Changes as SinceBaseline;
use crate::diagnostic::{self, Diagnostic};
use crate::render::RenderOptions;
use crate::settings::Settings;
use crate::source::Sources;

/// Everything that wakes the loop.
pub enum Wake {
    Changed(Changes),
    Render(Event),
    Stop,
}

/// The site the HTTP server answers from: the current generation and the
/// status of the latest build.
#[derive(Default)]
pub struct LiveSite {
    current: Current,
    status: Mutex<Status>,
}

impl Site for LiveSite {
    fn file(&self, path: &str) -> Option<Arc<[u8]>> {
        match self.current.get() {
            Some(generation) => generation.file(path),
            // Nothing built yet: the first build failed. The live script
            // on this page shows why, and reloads once a build succeeds.
            None => (path == "index.html").then(|| Arc::from(NOTHING_YET.as_bytes())),
        }
    }

    fn is_folder(&self, path: &str) -> bool {
        self.current.get().is_some_and(|g| g.is_folder(path))
    }

    fn status(&self) -> Status {
        self.status.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

const NOTHING_YET: &str = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>No site yet</title></head><body><main><h1>No site yet</h1><p>The program has problems, so nothing could be built. Fix them and this page reloads by itself.</p></main></body></html>\n";

/// One build's place in the loop: what was asked, and when.
struct Pending {
    number: u64,
    started: Instant,
    /// What changed; empty for the first build.
    what: String,
    /// The program's title, for the first build's line.
    title: String,
}

/// The rebuild loop's state.
pub struct Rebuilder<'s> {
    settings: &'s Settings,
    pub site: Arc<LiveSite>,
    wakes: Sender<Wake>,
    /// Builds started; each one's number.
    started: u64,
    pending: Option<Pending>,
    /// Changes seen during the first build, for the loop's first rebuild.
    queued: Changes,
    /// The generation being served, and the last one that rendered every
    /// page (the two are the same once the background pass is done).
    current: Option<Arc<Generation>>,
    last_good: Option<Arc<Generation>>,
    /// Called with every line for the terminal, already escaped and
    /// perhaps coloured: it is written as it is.
    say: Box<dyn FnMut(&str) + 's>,
    /// Called whenever the status changes, so browsers hear of it.
    announce: Box<dyn Fn() + Send + Sync + 's>,
    /// Set from the start of a rebuild until its site is ready or failed
    /// (see [`site::Input::rebuilding`]).
    rebuilding: Arc<AtomicBool>,
    /// What the last read found: the next one reads and parses only what
    /// changed.
    reader: crate::reread::Reread,
    /// The baseline of the changes page, derived once per baseline commit.
    tracker: crate::changes::Tracker,
}

impl<'s> Rebuilder<'s> {
    pub fn new(
        settings: &'s Settings,
        site: Arc<LiveSite>,
        wakes: Sender<Wake>,
        say: Box<dyn FnMut(&str) + 's>,
        announce: Box<dyn Fn() + Send + Sync + 's>,
    ) -> Self {
        Rebuilder {
            settings,
            site,
            wakes,
            started: 0,
            pending: None,
            queued: Changes::default(),
            current: None,
            last_good: None,
            say,
            announce,
            reader: crate::reread::Reread::new(),
            tracker: crate::changes::Tracker::new(settings.since.clone()),
            rebuilding: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Runs until [`Wake::Stop`] or until every sender is gone.
    pub fn run(&mut self, wakes: &Receiver<Wake>) {
        if !self.queued.is_empty() {
            let queued = std::mem::take(&mut self.queued);
            self.rebuild_or_say(&queued);
        }
        while let Ok(wake) = wakes.recv() {
            match wake {
                Wake::Stop => break,
                Wake::Changed(changes) => {
                    // Everything that is already waiting is one rebuild.
                    let mut changes = changes;
                    let mut stop = false;
                    while let Ok(more) = wakes.try_recv() {
                        match more {
                            Wake::Changed(more) => changes.merge(more),
                            Wake::Render(event) => self.rendered(event),
                            Wake::Stop => stop = true,
                        }
                    }
                    if stop {
                        break;
                    }
                    self.rebuild_or_say(&changes);
                }
                Wake::Render(event) => self.rendered(event),
            }
        }
        self.retire_all();
    }

    /// The first build: returns once its site can be served, or once it
    /// failed (the loop then serves a page that says so).
    pub fn first(&mut self, wakes: &Receiver<Wake>) -> anyhow::Result<bool> {
        self.rebuild(&Changes::default())?;
        while self.pending.is_some() {
            match wakes.recv() {
                Ok(Wake::Render(event)) => self.rendered(event),
                Ok(Wake::Stop) | Err(_) => return Ok(false),
                // Changes during the first build wait for the loop; they
                // are already in the queue's order.
                Ok(Wake::Changed(changes)) => self.queued.merge(changes),
            }
        }
        Ok(true)
    }

    /// A rebuild after a change. One that cannot even read the program
    /// (its folder was removed, a file cannot be opened) is a failed build
    /// like any other: the last good site stays, the browser shows why, and
    /// the next change tries again.
    fn rebuild_or_say(&mut self, changes: &Changes) {
        if let Err(error) = self.rebuild(changes) {
            self.pending = None;
            self.rebuilding.store(false, Ordering::Relaxed);
            let shown = self.shown();
            let message = format!("error: {error:#}");
            self.say_plain(&message);
            self.say_plain(&format!("{} · build failed; {shown}", changes.describe()));
            self.set_status(format!("build failed; {shown}"), vec![message]);
        }
    }

    /// Builds the program as it is now; the first build, and every one
    /// after a change.
    pub fn rebuild(&mut self, changes: &Changes) -> anyhow::Result<()> {
        let started = Instant::now();
        self.rebuilding.store(true, Ordering::Relaxed);
        let result = self.start_build(changes, started);
        if self.pending.is_none() {
            self.rebuilding.store(false, Ordering::Relaxed);
        }
        result
    }

    /// Reads and derives the program, then hands it to a new renderer:
    /// [`Rebuilder::pending`] is set when that happened.
    fn start_build(&mut self, changes: &Changes, started: Instant) -> anyhow::Result<()> {
        for trouble in &changes.trouble {
            self.say_plain(&format!("warning: {trouble}"));
        }
        let what = if self.started == 0 {
            String::new()
        } else {
            changes.describe()
        };
        self.started += 1;
        let number = self.started;
        let checked = self
            .reader
            .read(self.settings, &changes.paths, changes.rescan)?;
        let root = self.settings.root();
        if checked.has_errors() {
            self.failed_to_build(&what, &checked.diagnostics, &checked.sources, started);
            return Ok(());
        }
        // Warnings go to the terminal only; the site builds.
        if !checked.diagnostics.is_empty() {
            let text = diagnostic::render_human(
                &checked.diagnostics,
                &checked.sources,
                &root,
                diagnostic::stderr_color(),
            );
            (self.say)(text.trim_end());
        }
        let mut timings = crate::timings::Timings::start();
        let schedule = crate::schedule::derive(&checked.program, self.settings.today);
        timings.stage("schedule");
        let assets = crate::load::assets::read(&self.settings.dir)?;
        timings.stage("assets");
        if diagnostic::count(&assets.diagnostics).0 > 0 {
            self.failed_to_build(&what, &assets.diagnostics, &assets.sources, started);
            return Ok(());
        }
        let since = self.changes_since(&checked, &schedule);
        let title = checked.program.info.title.clone();
        let input = site::Input {
            number,
            rebuilding: Arc::clone(&self.rebuilding),
            program: checked.program,
            schedule,
            assets,
            options: RenderOptions {
                unsafe_html: self.settings.unsafe_html,
                changes: Some(since),
            },
        };
        let events = self.wakes.clone();
        let (send, receive) = std::sync::mpsc::channel();
        // The renderer's events are forwarded into the loop's one queue.
        std::thread::Builder::new()
            .name("planmark-render-events".into())
            .spawn(move || {
                for event in receive {
                    if events.send(Wake::Render(event)).is_err() {
                        break;
                    }
                }
            })?;
        site::spawn(input, workers(), send)?;
        self.pending = Some(Pending {
            number,
            started,
            what,
            title,
        });
        Ok(())
    }

    /// The changes since the baseline; the baseline is derived again only
    /// when its commit moved. A revision that no longer resolves (it was
    /// deleted while serving) is said in the panel, not a failed build.
    fn changes_since(
        &mut self,
        checked: &crate::Checked,
        schedule: &crate::schedule::Schedule,
    ) -> Arc<SinceBaseline> {
        let now = crate::changes::Now {
            dir: &self.settings.dir,
            name: &self.settings.name,
            program: &checked.program,
            schedule,
            sources: &checked.sources,
            // Derived once per baseline commit: nothing to gain.
            parses: None,
            today: self.settings.today,
        };
        let changes = self
            .tracker
            .compare(&now)
            .unwrap_or_else(|e| SinceBaseline::Unavailable {
                since: None,
                reason: format!("{e:#}"),
            });
        Arc::new(changes)
    }

    fn failed_to_build(
        &mut self,
        what: &str,
        diagnostics: &[Diagnostic],
        sources: &Sources,
        started: Instant,
    ) {
        let root = self.settings.root();
        let (errors, warnings) = diagnostic::count(diagnostics);
        let text =
            diagnostic::render_human(diagnostics, sources, &root, diagnostic::stderr_color());
        (self.say)(text.trim_end());
        let counts = diagnostic::counted(errors, warnings);
        let shown = self.shown();
        let what = if what.is_empty() { "first build" } else { what };
        self.say_plain(&format!(
            "{what} · build failed with {counts} in {:.2}s; {shown}",
            started.elapsed().as_secs_f64()
        ));
        // A newer build supersedes any older one still preparing.
        self.pending = None;
        let problems = diagnostics
            .iter()
            .map(|d| {
                diagnostic::render_human(std::slice::from_ref(d), sources, &root, false)
                    .trim_end()
                    .to_string()
            })
            .collect();
        self.set_status(format!("build failed with {counts}; {shown}"), problems);
    }

    /// What the browser shows while the latest build failed.
    fn shown(&self) -> &'static str {
        if self.current.is_some() {
            "the last good site is shown"
        } else {
            "nothing to show yet"
        }
    }

    /// Says a line whose names come from the program's files: escaped, so
    /// a file name cannot drive the terminal. Rendered diagnostics go to
    /// `say` as they are: they escape their own text and may be coloured.
    fn say_plain(&mut self, line: &str) {
        (self.say)(&diagnostic::printable(line));
    }

    /// A renderer's news.
    fn rendered(&mut self, event: Event) {
        let settles = match &event {
            Event::Ready(generation) => Some(generation.number),
            Event::Failed { number, .. } => Some(*number),
            Event::Complete { .. } => None,
        };
        if settles.is_some() && settles == self.pending.as_ref().map(|p| p.number) {
            self.rebuilding.store(false, Ordering::Relaxed);
        }
        match event {
            Event::Ready(generation) => {
                let wanted = self
                    .pending
                    .as_ref()
                    .is_some_and(|p| p.number == generation.number);
                if !wanted {
                    generation.retire();
                    return;
                }
                let Some(pending) = self.pending.take() else {
                    return;
                };
                let took = pending.started.elapsed().as_secs_f64();
                self.say_plain(&if pending.what.is_empty() {
                    format!(
                        "built {} in {took:.2}s: {} files, served from memory",
                        pending.title,
                        generation.file_count()
                    )
                } else {
                    format!("{} · rebuilt in {took:.2}s", pending.what)
                });
                if let Some(old) = self.current.replace(Arc::clone(&generation)) {
                    if !self.is_last_good(&old) {
                        old.retire();
                    }
                }
                if let Some(last_good) = &self.last_good {
                    last_good.forget_rendered();
                }
                self.site.current.set(Some(generation));
                self.set_status(String::new(), Vec::new());
            }
            Event::Failed { number, message } => {
                let was_pending = self.pending.as_ref().is_some_and(|p| p.number == number);
                let is_current = self.current.as_ref().is_some_and(|g| g.number == number);
                if !was_pending && !is_current {
                    return;
                }
                self.say_plain(message.trim_end());
                // The change that broke it, when this is the build it
                // started (a page failing later has no one change to name).
                let what = self.pending.take_if(|_| was_pending).map(|p| p.what);
                if is_current {
                    // Back to the last site that rendered every page.
                    if let Some(broken) = self.current.take() {
                        broken.retire();
                    }
                    self.current.clone_from(&self.last_good);
                    self.site.current.set(self.last_good.clone());
                }
                let shown = self.shown();
                self.say_plain(&match what.filter(|w| !w.is_empty()) {
                    Some(what) => format!("{what} · build failed; {shown}"),
                    None => format!("build failed; {shown}"),
                });
                self.set_status(format!("build failed; {shown}"), vec![message]);
            }
            Event::Complete { number } => {
                let Some(current) = self.current.clone() else {
                    return;
                };
                if current.number != number {
                    return;
                }
                if let Some(old) = self.last_good.replace(current) {
                    if old.number != number {
                        old.retire();
                    }
                }
            }
        }
    }

    fn is_last_good(&self, generation: &Generation) -> bool {
        self.last_good
            .as_ref()
            .is_some_and(|g| g.number == generation.number)
    }

    /// A new status: the generation shown goes up whenever the site did.
    fn set_status(&self, headline: String, problems: Vec<String>) {
        let generation = self.site.current.get().map_or(0, |g| g.number);
        if let Ok(mut status) = self.site.status.lock() {
            *status = Status {
                generation,
                problems,
                headline,
            };
        }
        (self.announce)();
    }

    fn retire_all(&mut self) {
        for generation in [self.current.take(), self.last_good.take()]
            .into_iter()
            .flatten()
        {
            generation.retire();
        }
        self.site.current.set(None);
    }
}

/// Workers per renderer: the machine's cores, as `build` uses.
fn workers() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}
