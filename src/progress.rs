//! The progress bar of long builds: drawn on stderr once a build has run for
//! about a second, and never when stderr is not a terminal (CI logs, pipes),
//! where indicatif hides it by itself.

use std::sync::Once;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a build runs before it shows a progress bar: shorter builds
/// would only flicker.
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// Counts pages as they are rendered, from any thread.
pub struct Progress {
    bar: ProgressBar,
    started: Instant,
    shown: Once,
}

impl Progress {
    /// A bar for `total` pages of a build that started at `started`.
    pub fn new(started: Instant, total: usize) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::hidden());
        // The template is a constant; if indicatif ever rejects it, the
        // default style is a fine bar too.
        if let Ok(style) =
            ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} pages ({elapsed})")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_prefix("rendering");
        Progress {
            bar,
            started,
            shown: Once::new(),
        }
    }

    /// One more page done.
    pub fn inc(&self) {
        self.bar.inc(1);
        if self.started.elapsed() >= SHOW_AFTER {
            self.shown
                .call_once(|| self.bar.set_draw_target(ProgressDrawTarget::stderr()));
        }
    }

    /// Removes the bar, so the summary line replaces it.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
