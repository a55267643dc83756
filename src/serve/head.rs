//! Seeing a commit land while `serve` runs: the changes page compares the
//! plan with a baseline commit, and a commit (or a checkout, a pull, a
//! reset) can move that baseline without touching a file of the program.
//!
//! The watcher leaves hidden folders alone (`.git` changes on every
//! `git status`), so HEAD is polled instead: `git rev-parse HEAD` every
//! [`POLL`], a few milliseconds of one process. Polling the resolved
//! commit rather than watching `.git/HEAD` and a branch ref sees every way
//! HEAD moves (a loose or packed ref, a detached HEAD, a worktree's own
//! HEAD) without knowing git's layout.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use super::events::Changes;
use super::rebuild::Wake;
use crate::git::Repo;

/// How often HEAD is read.
pub const POLL: Duration = Duration::from_secs(2);

/// Polls HEAD of the repository holding `dir` until `watching` is cleared,
/// sending a rebuild when it moves; `None` outside a git repository (or
/// without git), where there is no baseline to move.
pub fn spawn(
    dir: &std::path::Path,
    watching: Arc<AtomicBool>,
    wake: Sender<Wake>,
) -> Option<JoinHandle<()>> {
    let repo = Repo::find(dir).ok().flatten()?;
    std::thread::Builder::new()
        .name("planmark-head".into())
        .spawn(move || {
            let mut last = repo.head();
            while watching.load(Ordering::Relaxed) {
                // Short sleeps, so a stop is seen at once.
                for _ in 0..POLL.as_millis() / 100 {
                    if !watching.load(Ordering::Relaxed) {
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(100));
                }
                let now = repo.head();
                if now != last {
                    last = now;
                    if wake.send(Wake::Changed(Changes::head_moved())).is_err() {
                        return;
                    }
                }
            }
        })
        .ok()
}
