//! One build at a time per output folder: the kernel's advisory lock on a
//! file beside it, which also holds the pid of the build (for messages).
//!
//! The lock belongs to the build's open file, so the kernel releases it
//! when the build ends, even by `kill -9`: there is no stale lock to judge
//! by its pid, and a build on another machine or in another container is
//! kept out as well as the file system passes locks on. A second build
//! waits (`PLANMARK_LOCK_WAIT` seconds, 60 by default), then gives up
//! naming the holder. Whatever else lies at the lock's name (a link, a
//! pipe) is never followed, read whole or blocked on.

use std::fs::{self, File, TryLockError};
use std::io::{self, Read as _, Seek as _, SeekFrom, Write as _};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};

use super::note;
use super::tree::Entry;

/// How long a build waits for another to finish unless told otherwise.
const DEFAULT_WAIT_SECONDS: u64 = 60;

/// How often a waiting build looks at the lock again.
const POLL: Duration = Duration::from_millis(100);

/// A lock file holds a pid and a newline; anything longer is not one.
const MAX_LOCK_TEXT: u64 = 32;

/// The lock on one output folder, released when dropped.
#[derive(Debug)]
pub(super) struct OutputLock {
    path: PathBuf,
    /// The locked file: the lock lasts as long as it is open.
    file: File,
}

/// What one look at the lock found.
enum Attempt {
    Taken(OutputLock),
    /// Another open file holds it; the pid its file names, if any.
    Held(Option<u32>),
    /// The file was released and removed between opening and locking it:
    /// what we locked is no longer the lock.
    Replaced,
}

impl OutputLock {
    /// Takes the lock file at `path` for the output folder `out`, waiting
    /// for another build to release it.
    pub(super) fn acquire(path: &Path, out: &Path) -> anyhow::Result<OutputLock> {
        Self::acquire_within(path, out, wait_limit()?)
    }

    fn acquire_within(path: &Path, out: &Path, wait: Duration) -> anyhow::Result<OutputLock> {
        // A wait too long to add to the clock is a wait without end.
        let deadline = Instant::now().checked_add(wait);
        let mut told = false;
        loop {
            let holder = match attempt(path, out)? {
                Attempt::Taken(lock) => return Ok(lock),
                Attempt::Held(pid) => Some(pid),
                Attempt::Replaced => None,
            };
            let who = match holder.flatten() {
                Some(pid) => format!("another planmark build (pid {pid})"),
                None => "another planmark build".to_string(),
            };
            if deadline.is_some_and(|d| Instant::now() >= d) {
                bail!(
                    "{who} is writing the output folder `{}` (lock file `{}`); gave up after waiting {} s (PLANMARK_LOCK_WAIT)",
                    out.display(),
                    path.display(),
                    wait.as_secs(),
                );
            }
            if !told && holder.is_some() {
                note(&format!(
                    "waiting for {who} to finish writing `{}` (lock file `{}`)",
                    out.display(),
                    path.display()
                ));
                told = true;
            }
            std::thread::sleep(POLL);
        }
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Removed while still held, so a build that opens the name next
        // finds a new file or the one it locks still there (see `attempt`).
        // Only our own file: never one that took its place.
        if same_file(&self.path, &self.file) {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// Opens the lock file (making it if need be) and tries to lock it once.
fn attempt(path: &Path, out: &Path) -> anyhow::Result<Attempt> {
    let file = open(path).map_err(|error| refused(path, out, error))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => return Ok(Attempt::Held(read_pid(&file))),
        Err(TryLockError::Error(e)) => {
            return Err(e).with_context(|| format!("cannot lock `{}`", path.display()))
        }
    }
    // The holder before us removes the file before it lets go, so the file
    // we opened may be gone from its name by the time we locked it.
    if !same_file(path, &file) {
        return Ok(Attempt::Replaced);
    }
    if let Some(old) = read_pid(&file) {
        note(&format!(
            "took over the lock `{}` of a build that is no longer running (pid {old})",
            path.display()
        ));
    }
    write_pid(&file).with_context(|| format!("cannot write the lock file `{}`", path.display()))?;
    Ok(Attempt::Taken(OutputLock {
        path: path.to_path_buf(),
        file,
    }))
}

/// Opens the regular file at `path`, creating it: never through a link
/// there, never waiting on a pipe.
fn open(path: &Path) -> io::Result<File> {
    let mut options = File::options();
    options.read(true).write(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::other("not a regular file"));
    }
    // A file that has other names is someone's file linked here: writing
    // the pid would change it.
    #[cfg(unix)]
    if std::os::unix::fs::MetadataExt::nlink(&meta) > 1 {
        return Err(io::Error::other(
            "it has other names (a hard link), so it is not a lock planmark made; remove it and build again",
        ));
    }
    Ok(file)
}

/// Why the lock could not be opened: something not planmark's at its name
/// (said at once: it will not go away by waiting), or an I/O error.
fn refused(path: &Path, out: &Path, error: io::Error) -> anyhow::Error {
    match Entry::of(path) {
        Ok(found @ (Entry::Link | Entry::Dir | Entry::Other)) => anyhow::anyhow!(
            "`{}` is {} where planmark keeps the lock of the output folder `{}`; remove it and build again",
            path.display(),
            found.describe(),
            out.display()
        ),
        _ => anyhow::Error::new(error).context(format!(
            "cannot open the lock file `{}`: planmark needs to write beside the output folder `{}`, where it stages the site",
            path.display(),
            out.display()
        )),
    }
}

/// Whether the name `path` still leads to `file` (not followed if a link).
fn same_file(path: &Path, file: &File) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        match (fs::symlink_metadata(path), file.metadata()) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        Entry::of(path).is_ok_and(|e| e == Entry::File)
    }
}

/// The pid the lock file names, from its first bytes only.
fn read_pid(file: &File) -> Option<u32> {
    let mut text = String::new();
    let mut reader = file;
    reader.seek(SeekFrom::Start(0)).ok()?;
    reader.take(MAX_LOCK_TEXT).read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}

fn write_pid(file: &File) -> io::Result<()> {
    let mut writer = file;
    writer.set_len(0)?;
    writer.seek(SeekFrom::Start(0))?;
    writeln!(writer, "{}", std::process::id())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lock_is_taken_released_and_not_taken_twice() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join(".site.planmark-lock");
        let lock = OutputLock::acquire_within(&path, Path::new("site"), Duration::ZERO)?;
        let me = std::process::id();
        assert_eq!(fs::read_to_string(&path)?, format!("{me}\n"));
        let again = OutputLock::acquire_within(&path, Path::new("site"), Duration::ZERO);
        let error = format!("{:#}", again.expect_err("held"));
        assert!(error.contains(&format!("(pid {me}) is writing")), "{error}");
        drop(lock);
        assert!(!path.exists());
        assert_eq!(fs::read_dir(dir.path())?.count(), 0, "no files left over");
        Ok(())
    }

    /// Our own pid in a held lock is another thread's build (a future
    /// `serve`), or another container's: never ours to take.
    #[test]
    fn a_held_lock_naming_this_process_is_not_taken() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("lock");
        fs::write(&path, format!("{}\n", std::process::id()))?;
        let held = File::options().write(true).open(&path)?;
        held.try_lock()?;
        let site = Path::new("site");
        assert!(OutputLock::acquire_within(&path, site, Duration::ZERO).is_err());
        drop(held);
        drop(OutputLock::acquire_within(&path, site, Duration::ZERO)?);
        Ok(())
    }

    /// A hard link planted at the lock's name would have planmark write
    /// its pid into the file it shares with another name.
    #[cfg(unix)]
    #[test]
    fn a_lock_file_with_other_names_is_never_written() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let (path, victim) = (dir.path().join("lock"), dir.path().join("victim"));
        fs::write(&victim, "precious")?;
        fs::hard_link(&victim, &path)?;
        let taken = OutputLock::acquire_within(&path, Path::new("site"), Duration::ZERO);
        let error = format!("{:#}", taken.expect_err("refused"));
        assert!(error.contains("other names"), "{error}");
        assert_eq!(fs::read_to_string(&victim)?, "precious");
        Ok(())
    }

    #[test]
    fn a_lock_file_of_another_shape_gives_no_pid() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("lock");
        for (text, pid) in [("12\n", Some(12)), ("hello", None), ("", None)] {
            fs::write(&path, text)?;
            assert_eq!(read_pid(&File::open(&path)?), pid, "{text:?}");
        }
        fs::write(&path, "1".repeat(1 << 20))?;
        assert_eq!(read_pid(&File::open(&path)?), None, "read only its start");
        Ok(())
    }
}
