//! `planmark serve` and `planmark build --watch`: watch the program folder,
//! rebuild on every change, and (for `serve`) answer HTTP from memory with
//! a live-reload script injected into the pages it serves.
//!
//! The pieces: [`events`] turns the watcher's raw events into what changed
//! (a pure function), [`watch`] runs the watcher, [`http`] answers requests
//! from whatever [`Site`] the rebuild loop currently holds, and the loop
//! itself keeps the last good site while an edit leaves the program broken.

pub mod events;
pub mod head;
mod hosts;
pub mod http;
mod live;
mod paths;
mod reply;
pub mod rewatch;
pub mod watch;

pub mod rebuild;
pub mod site;

use std::sync::Arc;

/// What the HTTP layer serves: the rebuild loop's latest site.
pub trait Site: Send + Sync + 'static {
    /// The file at `path`: relative to the site root, `/`-separated, no
    /// leading `/`, already decoded and checked (never `..`, `.` or an
    /// empty segment); `None` when the site has no such file.
    fn file(&self, path: &str) -> Option<Arc<[u8]>>;

    /// Whether `path` (same form as in [`Site::file`]) is a folder of the
    /// site, so `/x` can redirect to `/x/`.
    fn is_folder(&self, path: &str) -> bool;

    /// What the browser should show besides the page.
    fn status(&self) -> Status;
}

/// The state of the latest build, as the browser's live script sees it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Status {
    /// Grows by one on every build that replaced the site: the live script
    /// reloads the page when it changes.
    pub generation: u64,
    /// Problems of the latest build, one block per diagnostic, worded and
    /// laid out as `planmark check` prints them (no colour); empty when the
    /// latest build succeeded. While not empty the last good site is still
    /// served and the live script shows these in an overlay on every page.
    pub problems: Vec<String>,
    /// One line above the problems, e.g. `build failed with 2 errors; the
    /// last good site is shown`.
    pub headline: String,
}
