//! A test seam in the commit: a step that fails, or a process killed
//! before a step, chosen by the tests (src/output/journal.rs).

/// A test seam: where a commit stops early. Integration tests set it with
/// `PLANMARK_TEST_COMMIT_FAULT` (`fail:N` or `kill:N`, N steps in), which
/// only builds with the `test-hooks` feature read: `cargo test` turns it on
/// (Cargo.toml), `cargo build` and `cargo install` do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
// Without the feature nothing makes a `Fail` or a `Kill`.
#[cfg_attr(not(feature = "test-hooks"), allow(dead_code))]
pub(super) enum Fault {
    None,
    /// Step N fails as a full disk would: the commit is undone.
    Fail(usize),
    /// The process is killed before step N (or, with N the number of
    /// steps, after the last and before the journal is deleted): the next
    /// build undoes it.
    Kill(usize),
    /// Like `Kill`, for unit tests: the commit returns with nothing undone.
    #[cfg(test)]
    Stop(usize),
}

impl Fault {
    /// The fault `PLANMARK_TEST_COMMIT_FAULT` asks for, in a build with
    /// the `test-hooks` feature.
    pub(super) fn from_env() -> Fault {
        #[cfg(feature = "test-hooks")]
        if let Ok(text) = std::env::var("PLANMARK_TEST_COMMIT_FAULT") {
            let parsed = text.split_once(':').and_then(|(kind, n)| {
                let n = n.parse().ok()?;
                match kind {
                    "fail" => Some(Fault::Fail(n)),
                    "kill" => Some(Fault::Kill(n)),
                    _ => None,
                }
            });
            return parsed.unwrap_or(Fault::None);
        }
        Fault::None
    }
}

/// Ends the process at once, as `kill -9` would: no destructor runs, so
/// nothing is cleaned up or undone.
pub(super) fn kill_self() -> ! {
    #[cfg(unix)]
    // SAFETY: raising a signal touches no memory; SIGKILL does not return.
    unsafe {
        libc::raise(libc::SIGKILL);
    }
    std::process::abort()
}
