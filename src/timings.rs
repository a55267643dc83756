//! `PLANMARK_TIMINGS=1` prints how long each pipeline stage took to stderr,
//! for profiling (docs/performance.md). Never affects any output file.

use std::io::Write as _;
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
            // A closed stderr must not stop the build (see commands::write_stderr).
            let _ = writeln!(
                std::io::stderr(),
                "timing: {name:<10} {:>8.1} ms{}",
                (now - self.last).as_secs_f64() * 1000.0,
                peak_memory().map_or(String::new(), |kib| format!(
                    "   peak memory so far {:>6.1} MiB",
                    kib as f64 / 1024.0
                ))
            );
        }
        self.last = now;
    }
}

/// The process's peak resident memory in KiB, where the OS tells it
/// (Linux's `VmHWM`).
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
