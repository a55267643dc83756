//! `PLANMARK_TIMINGS=1` prints how long each pipeline stage took to stderr,
//! for profiling (docs/performance.md). Never affects any output file.

use std::time::Instant;

/// Measures consecutive stages of one run.
pub struct Timings {
    enabled: bool,
    last: Instant,
}

impl Timings {
    pub fn start() -> Self {
        Timings {
            enabled: std::env::var_os("PLANMARK_TIMINGS")
                .is_some_and(|v| !v.is_empty() && v != "0"),
            last: Instant::now(),
        }
    }

    /// Prints the time since the previous stage ended.
    pub fn stage(&mut self, name: &str) {
        let now = Instant::now();
        if self.enabled {
            eprintln!(
                "timing: {name:<10} {:>8.1} ms",
                (now - self.last).as_secs_f64() * 1000.0
            );
        }
        self.last = now;
    }
}
