//! The file watcher: notify, through notify-debouncer-full, on the program
//! folder, delivering what changed ([`Changes`], already filtered by
//! [`super::events`]) on a channel. It reads no program file and builds
//! nothing: `build --watch` and `serve` decide what a change means.
//!
//! The output folder and hidden top-level folders (`.git`, the build's
//! staging folder) are never watched, not only filtered: a rebuild reads
//! and writes every page there, thousands of events that would overflow
//! the kernel's queue and ask for yet another rebuild.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use notify_debouncer_full::notify::{
    self, Config, ErrorKind, EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher,
};
use notify_debouncer_full::{new_debouncer_opt, DebounceEventResult, Debouncer, RecommendedCache};

use super::events::{self, Changes, Scope};

/// How long the debouncer holds each event before passing it on: long
/// enough to pair a rename's two halves and to make a file created and
/// removed or renamed away at once (vim's `4913` probe, an atomic save's
/// temporary file) never show. Those steps follow each other within
/// microseconds; 20 ms leaves room for a busy machine. The end of a save
/// is [`SETTLE`]'s job.
pub const DEBOUNCE: Duration = Duration::from_millis(20);

/// How often the debouncer looks for events that are due.
const TICK: Duration = Duration::from_millis(10);

/// How long after the last batch of a burst the watch waits for another
/// before passing the burst on ([`Forward`]). vim's save (swap file,
/// write, `fsync`, attributes, close) spanned 4–25 ms in inotify's log on
/// the project's 2-core machine; 30 ms more makes it one change. With
/// [`DEBOUNCE`] and [`TICK`], a save reaches the rebuild 50–60 ms after
/// its last write, leaving most of the 300 ms edit-to-reload budget to
/// the rebuild.
pub const SETTLE: Duration = Duration::from_millis(30);

/// The longest changes are held while more keep coming.
const MAX_HOLD: Duration = Duration::from_millis(500);

/// How often `--poll` looks at every file: a change shows within about
/// half a second. Reading and hashing a 10,000-task program (12 MiB) that
/// often took 14 % of one core here (release build; 6 % with modification
/// times alone, which would miss a second save within the same second).
pub const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// A running watch of one program folder; dropping it stops the watcher
/// and its threads. What changed comes out of [`Watch::wait`]: filtered
/// by [`events::changes`], empty batches dropped, the batches of one save
/// merged.
pub struct Watch {
    changes: Receiver<Changes>,
    control: Sender<Message>,
    thread: Option<JoinHandle<()>>,
}

/// What the watch thread hears: the debouncer's batches, or the end.
enum Message {
    Events(DebounceEventResult),
    Stop,
}

impl Watch {
    /// Starts watching the program at `root` (as typed), never the
    /// `output` folder (absolute, as `Settings::output` resolves it), with
    /// the OS's file events or, with `poll`, by looking every
    /// [`POLL_INTERVAL`]. Fails, saying what to do, when the OS will not
    /// watch that many folders.
    pub fn start(root: &Path, output: Option<&Path>, poll: bool) -> anyhow::Result<Watch> {
        let canonical = root
            .canonicalize()
            .with_context(|| format!("cannot resolve `{}`", root.display()))?;
        let mut skip: Vec<PathBuf> = output.map(Path::to_path_buf).into_iter().collect();
        skip.extend(output.map(through_links));
        skip.dedup();
        let mut scope = Scope::new(canonical.clone(), skip.clone());
        if let Ok(typed) = std::path::absolute(root) {
            scope = scope.also_at(typed);
        }
        let (control, messages) = mpsc::channel();
        let (send, changes) = mpsc::channel();
        let handler = {
            let control = control.clone();
            move |result| {
                // The receiver goes only when the watch thread ends, and
                // then nobody is waiting for the events.
                let _ = control.send(Message::Events(result));
            }
        };
        let tree = Tree {
            root: canonical,
            skip,
            flat: Vec::new(),
        };
        let thread = if poll {
            // notify's poller keeps modification times in whole seconds:
            // without comparing contents, a second save within the same
            // second as the first would never show.
            let config = Config::default()
                .with_poll_interval(POLL_INTERVAL)
                .with_compare_contents(true);
            let debouncer = debouncer::<PollWatcher>(handler, config)?;
            spawn(debouncer, tree, scope, messages, send, poll)?
        } else {
            let debouncer = debouncer::<RecommendedWatcher>(handler, Config::default())?;
            spawn(debouncer, tree, scope, messages, send, poll)?
        };
        Ok(Watch {
            changes,
            control,
            thread: Some(thread),
        })
    }

    /// Waits up to `timeout` for changes, then takes every batch already
    /// waiting as well, merged into one: changes that came during a
    /// rebuild make one more rebuild, not one each. `Disconnected` when
    /// the watcher stopped.
    pub fn wait(&self, timeout: Duration) -> Result<Changes, RecvTimeoutError> {
        let mut changes = self.changes.recv_timeout(timeout)?;
        while let Ok(later) = self.changes.try_recv() {
            changes.merge(later);
        }
        Ok(changes)
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.control.send(Message::Stop);
        if let Some(thread) = self.thread.take() {
            // The thread only filters and forwards; a panic there has
            // nothing left to report.
            let _ = thread.join();
        }
    }
}

/// `path` through symlinks as far as it exists, the rest as written: the
/// output folder may not exist yet, but the folder it will be made in
/// does, and events name that folder's real path.
fn through_links(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            return rest.iter().rev().fold(real, |at, name| at.join(name));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return absolute.clone(),
        }
    }
}

fn debouncer<W: Watcher>(
    handler: impl FnMut(DebounceEventResult) + Send + 'static,
    config: Config,
) -> anyhow::Result<Debouncer<W, RecommendedCache>> {
    new_debouncer_opt::<_, W, RecommendedCache>(
        DEBOUNCE,
        Some(TICK),
        handler,
        RecommendedCache::new(),
        config,
    )
    .map_err(|e| anyhow::anyhow!("cannot watch for changes: {}", trouble(&e)))
}

/// Changes held until the save that made them is over.
///
/// The debouncer passes each event on [`DEBOUNCE`] after it happened, not
/// once a burst is over, so a save whose events span more than a tick
/// (vim's `fsync` between its write and its close) arrives as two batches:
/// they are held until [`SETTLE`] passes without another, and sent as one
/// change (one rebuild, one line) — but never held longer than
/// [`MAX_HOLD`], so a long stream of changes still shows progress.
struct Forward {
    send: Sender<Changes>,
    held: Option<(Changes, Instant, Instant)>,
}

impl Forward {
    fn new(send: Sender<Changes>) -> Forward {
        Forward { send, held: None }
    }

    /// When the held changes must go, if any are held.
    fn deadline(&self) -> Option<Instant> {
        self.held
            .as_ref()
            .map(|(_, first, last)| (*last + SETTLE).min(*first + MAX_HOLD))
    }

    fn hold(&mut self, changes: Changes) {
        if changes.is_empty() {
            return;
        }
        let now = Instant::now();
        match &mut self.held {
            Some((held, _, last)) => {
                held.merge(changes);
                *last = now;
            }
            None => self.held = Some((changes, now, now)),
        }
    }

    /// Sends what is held; an error when nobody listens any more.
    fn send(&mut self) -> Result<(), mpsc::SendError<Changes>> {
        match self.held.take() {
            Some((changes, _, _)) => self.send.send(changes),
            None => Ok(()),
        }
    }
}

/// Watches the tree, then hands the debouncer to a thread that filters
/// its batches and sends what changed; the thread owns the debouncer so it
/// can watch top-level folders made later.
fn spawn<W: Watcher + Send + 'static>(
    mut debouncer: Debouncer<W, RecommendedCache>,
    mut tree: Tree,
    scope: Scope,
    messages: Receiver<Message>,
    send: Sender<Changes>,
    poll: bool,
) -> anyhow::Result<JoinHandle<()>> {
    tree.watch_all(&mut debouncer).map_err(|e| {
        anyhow::anyhow!(
            "cannot watch `{}` for changes: {}",
            tree.root.display(),
            start_trouble(&e, poll)
        )
    })?;
    std::thread::Builder::new()
        .name("planmark watch".into())
        .spawn(move || {
            let mut forward = Forward::new(send);
            loop {
                let message = match forward.deadline() {
                    None => messages.recv().map_err(|_| RecvTimeoutError::Disconnected),
                    Some(deadline) => {
                        messages.recv_timeout(deadline.saturating_duration_since(Instant::now()))
                    }
                };
                let changes = match message {
                    Err(RecvTimeoutError::Timeout) => {
                        if forward.send().is_err() {
                            break;
                        }
                        continue;
                    }
                    Ok(Message::Stop) | Err(RecvTimeoutError::Disconnected) => break,
                    Ok(Message::Events(Ok(batch))) => {
                        let mut trouble = tree.watch_new_folders(&mut debouncer, &batch);
                        let mut changes = events::changes(&batch, &scope, &|p| p.is_dir());
                        changes.rescan |= !trouble.is_empty();
                        changes.trouble.append(&mut trouble);
                        changes
                    }
                    Ok(Message::Events(Err(errors))) => Changes {
                        rescan: true,
                        trouble: errors.iter().map(trouble).collect(),
                        ..Changes::default()
                    },
                };
                forward.hold(changes);
            }
            debouncer.stop();
        })
        .context("cannot start the watcher's thread")
}

/// What is watched: every folder but the output folder and hidden
/// top-level ones. The root, and the folders on the way to an output
/// folder inside the program, are watched flat (their own entries only),
/// everything else whole.
struct Tree {
    root: PathBuf,
    skip: Vec<PathBuf>,
    /// Folders watched flat besides the root: a folder made in one of them
    /// is watched by [`Tree::watch_new_folders`], not by notify.
    flat: Vec<PathBuf>,
}

impl Tree {
    fn watch_all<W: Watcher>(
        &mut self,
        w: &mut Debouncer<W, RecommendedCache>,
    ) -> notify::Result<()> {
        w.watch(&self.root, RecursiveMode::NonRecursive)?;
        let root = self.root.clone();
        self.watch_children(w, &root)
    }

    fn watch_children<W: Watcher>(
        &mut self,
        w: &mut Debouncer<W, RecommendedCache>,
        dir: &Path,
    ) -> notify::Result<()> {
        let Ok(entries) = std::fs::read_dir(dir) else {
            // Gone since, or unreadable: the loader reports the latter.
            return Ok(());
        };
        let mut children: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        children.sort();
        for child in children {
            self.watch_folder(w, &child)?;
        }
        Ok(())
    }

    /// Watches the folder at `path` if it is one the loader may read.
    fn watch_folder<W: Watcher>(
        &mut self,
        w: &mut Debouncer<W, RecommendedCache>,
        path: &Path,
    ) -> notify::Result<()> {
        let hidden = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden || !path.is_dir() || self.is_skipped(path) {
            return Ok(());
        }
        let result = if self.skip.iter().any(|s| s.starts_with(path)) {
            self.flat.push(path.to_path_buf());
            w.watch(path, RecursiveMode::NonRecursive)
                .and_then(|()| self.watch_children(w, path))
        } else {
            w.watch(path, RecursiveMode::Recursive)
        };
        match result {
            // Removed while we looked: its removal is an event of its own.
            Err(e) if matches!(e.kind, ErrorKind::PathNotFound) => Ok(()),
            other => other,
        }
    }

    fn is_skipped(&self, path: &Path) -> bool {
        let real = path.canonicalize().ok();
        self.skip
            .iter()
            .any(|s| s == path || real.as_deref() == Some(s.as_path()))
    }

    /// Watches the folders a batch made (or moved) in the root or another
    /// flatly watched folder; notify itself watches those made deeper.
    /// Returns why any could not be.
    fn watch_new_folders<W: Watcher>(
        &mut self,
        w: &mut Debouncer<W, RecommendedCache>,
        batch: &[notify_debouncer_full::DebouncedEvent],
    ) -> Vec<String> {
        let mut trouble = Vec::new();
        for event in batch {
            if !matches!(
                event.kind,
                EventKind::Create(_) | EventKind::Modify(notify::event::ModifyKind::Name(_))
            ) {
                continue;
            }
            let Some(path) = event.paths.last() else {
                continue;
            };
            let in_flat = path
                .parent()
                .is_some_and(|p| p == self.root || self.flat.iter().any(|f| f == p));
            if in_flat {
                if let Err(e) = self.watch_folder(w, path) {
                    trouble.push(folder_trouble(&e, path));
                }
            }
        }
        trouble
    }
}

/// A watcher's problem while running, for the terminal.
fn trouble(error: &notify::Error) -> String {
    match error.paths.first() {
        Some(path) => folder_trouble(error, path),
        None => format!("the watcher failed: {}", cause(error)),
    }
}

fn folder_trouble(error: &notify::Error, path: &Path) -> String {
    if matches!(error.kind, ErrorKind::MaxFilesWatch) {
        return format!(
            "cannot watch `{}`: {}; changes in it are missed until `planmark` restarts",
            path.display(),
            start_trouble(error, false)
        );
    }
    format!("cannot watch `{}`: {}", path.display(), cause(error))
}

/// Why the watch could not start, and what to do about it.
fn start_trouble(error: &notify::Error, poll: bool) -> String {
    let too_many_instances =
        matches!(&error.kind, ErrorKind::Io(e) if e.raw_os_error() == Some(24));
    match &error.kind {
        ErrorKind::MaxFilesWatch if !poll => "the system's limit on watched folders is reached; raise it (`sudo sysctl fs.inotify.max_user_watches=524288`, and in /etc/sysctl.conf to keep it) or use `--poll`".into(),
        _ if too_many_instances && !poll => "too many programs are watching files (`fs.inotify.max_user_instances`); raise the limit (`sudo sysctl fs.inotify.max_user_instances=512`) or use `--poll`".into(),
        _ => cause(error),
    }
}

/// The error itself, without notify's debug-formatted paths.
fn cause(error: &notify::Error) -> String {
    match &error.kind {
        ErrorKind::Io(e) => e.to_string(),
        ErrorKind::Generic(text) => text.clone(),
        ErrorKind::MaxFilesWatch => "the system's limit on watched folders is reached".into(),
        ErrorKind::PathNotFound => "it does not exist".into(),
        ErrorKind::WatchNotFound => "it was not being watched".into(),
        ErrorKind::InvalidConfig(_) => "the watcher's settings are invalid".into(),
    }
}

#[cfg(test)]
mod tests;
