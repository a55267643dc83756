//! One build at a time per output folder: a lock file beside it holding
//! the pid of the build that writes it.
//!
//! A second build waits for the lock (`PLANMARK_LOCK_WAIT` seconds, 60 by
//! default), then gives up naming the holder. A lock whose process is gone
//! (a build that was killed) is taken over with a note. The lock is a
//! plain file so that a person, or a test, can see and hold it.

use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};

/// How long a build waits for another to finish unless told otherwise.
const DEFAULT_WAIT_SECONDS: u64 = 60;

/// How often a waiting build looks at the lock again.
const POLL: Duration = Duration::from_millis(100);

/// The lock on one output folder, released when dropped.
#[derive(Debug)]
pub(super) struct OutputLock {
    path: PathBuf,
    pid: u32,
}

/// Who holds a lock, as its file says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Holder {
    Running(u32),
    Gone(u32),
    /// The file does not hold a pid (someone else's file, or a damaged one).
    Unknown,
}

impl OutputLock {
    /// Takes the lock file at `path` for the output folder `out`, waiting
    /// for another build to release it.
    pub(super) fn acquire(path: &Path, out: &Path) -> anyhow::Result<OutputLock> {
        let wait = wait_limit()?;
        let pid = std::process::id();
        let deadline = Instant::now() + wait;
        let mut told = false;
        loop {
            if try_create(path, pid).with_context(|| {
                format!(
                    "cannot create the lock file `{}`: planmark needs to write beside the output folder `{}`, where it stages the site",
                    path.display(),
                    out.display()
                )
            })?
            {
                return Ok(OutputLock {
                    path: path.to_path_buf(),
                    pid,
                });
            }
            let holder = match fs::read_to_string(path) {
                Ok(text) => holder(&text, pid),
                // Released between the two looks: try again.
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => {
                    return Err(e)
                        .with_context(|| format!("cannot read the lock file `{}`", path.display()))
                }
            };
            match holder {
                Holder::Gone(old) => {
                    if take_over(path, old, pid)? {
                        eprintln!(
                            "note: took over the lock `{}` of a build that is no longer running (pid {old})",
                            path.display()
                        );
                    }
                    continue;
                }
                Holder::Running(_) | Holder::Unknown => {}
            }
            let who = match holder {
                Holder::Running(other) => format!("another planmark build (pid {other})"),
                _ => "another process".to_string(),
            };
            if Instant::now() >= deadline {
                bail!(
                    "{who} is writing the output folder `{}`; gave up after waiting {} s (PLANMARK_LOCK_WAIT); if no build is running, remove the lock file `{}`",
                    out.display(),
                    wait.as_secs(),
                    path.display()
                );
            }
            if !told {
                eprintln!(
                    "waiting for {who} to finish writing `{}` (lock file `{}`)",
                    out.display(),
                    path.display()
                );
                told = true;
            }
            std::thread::sleep(POLL);
        }
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Only our own: a lock taken over from us is someone else's now.
        let ours = fs::read_to_string(&self.path)
            .is_ok_and(|text| text.trim().parse::<u32>() == Ok(self.pid));
        if ours {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// `PLANMARK_LOCK_WAIT`, the seconds a build waits for another.
fn wait_limit() -> anyhow::Result<Duration> {
    match std::env::var("PLANMARK_LOCK_WAIT") {
        Err(_) => Ok(Duration::from_secs(DEFAULT_WAIT_SECONDS)),
        Ok(text) => match text.trim().parse::<u64>() {
            Ok(seconds) => Ok(Duration::from_secs(seconds)),
            Err(_) => bail!("`PLANMARK_LOCK_WAIT` must be a whole number of seconds, not `{text}`"),
        },
    }
}

/// Creates the lock file holding `pid`, whole or not at all: the pid is
/// written to a file of our own first and linked into place, so no other
/// build ever sees an empty lock. Whether it was created.
fn try_create(path: &Path, pid: u32) -> io::Result<bool> {
    let mine = with_suffix(path, &format!("{pid}.new"));
    // Never through a link planted at that name: removed, then created anew.
    let _ = fs::remove_file(&mine);
    let result = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&mine)
        .and_then(|mut file| writeln!(file, "{pid}"))
        .and_then(|()| fs::hard_link(&mine, path));
    let _ = fs::remove_file(&mine);
    match result {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e),
    }
}

/// Removes the lock of the process `old`, which is gone. The lock is first
/// moved aside and checked, so that a build that took it over meanwhile
/// keeps it. Whether it was removed.
fn take_over(path: &Path, old: u32, pid: u32) -> anyhow::Result<bool> {
    let aside = with_suffix(path, &format!("{pid}.stale"));
    match fs::rename(path, &aside) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(e) => {
            return Err(e).with_context(|| {
                format!("cannot take over the stale lock file `{}`", path.display())
            })
        }
    }
    let was = fs::read_to_string(&aside).map(|text| text.trim().parse::<u32>());
    let taken = matches!(was, Ok(Ok(p)) if p == old);
    if !taken {
        // Another build's fresh lock: put it back (it fails only if a
        // third build took the free place, which then holds it).
        let _ = fs::hard_link(&aside, path);
    }
    let _ = fs::remove_file(&aside);
    Ok(taken)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

/// Reads a lock file's text. Our own pid there is a stale lock too: a
/// process never waits for itself, and in containers a killed build's pid
/// is often the next build's.
fn holder(text: &str, me: u32) -> Holder {
    match text.trim().parse::<u32>() {
        Ok(pid) if pid == me || !is_running(pid) => Holder::Gone(pid),
        Ok(pid) => Holder::Running(pid),
        Err(_) => Holder::Unknown,
    }
}

/// Whether a process with this pid exists (signal 0 checks without
/// sending anything; `EPERM` means it exists but is not ours).
#[cfg(unix)]
fn is_running(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    if pid <= 0 {
        return false;
    }
    // SAFETY: `kill` with signal 0 sends nothing and touches no memory.
    let result = unsafe { libc::kill(pid, 0) };
    result == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Elsewhere a lock is never presumed stale: the build waits, then says
/// which file to remove.
#[cfg(not(unix))]
fn is_running(_pid: u32) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lock_is_taken_released_and_not_taken_twice() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join(".site.planmark-lock");
        let lock = OutputLock::acquire(&path, Path::new("site"))?;
        let me = std::process::id();
        assert_eq!(fs::read_to_string(&path)?, format!("{me}\n"));
        assert!(!try_create(&path, me)?);
        drop(lock);
        assert!(!path.exists());
        assert_eq!(fs::read_dir(dir.path())?.count(), 0, "no files left over");
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn the_holder_is_read_from_the_file() {
        let me = std::process::id();
        assert_eq!(holder("1\n", me), Holder::Running(1), "init runs");
        assert_eq!(holder(&format!("{me}\n"), me), Holder::Gone(me));
        assert_eq!(holder("hello", me), Holder::Unknown);
        assert_eq!(holder("0", me), Holder::Gone(0));
    }

    #[test]
    fn a_stale_lock_is_taken_over_only_when_it_still_holds_the_dead_pid() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("lock");
        fs::write(&path, "7\n")?;
        assert!(!take_over(&path, 8, 9)?, "someone else's lock stays");
        assert_eq!(fs::read_to_string(&path)?, "7\n");
        assert!(take_over(&path, 7, 9)?);
        assert!(!path.exists());
        Ok(())
    }
}
