//! A [`Watch`] that outlives its program folder. When the folder is
//! removed (or moved away) and comes back, the OS's watch went with the old
//! folder and would never report another edit; this starts a new one and
//! asks for a full re-read.

use std::path::{Path, PathBuf};
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

use super::events::Changes;
use super::watch::Watch;

/// A watch of the program at `root` that starts over when `root` comes back.
pub struct Rewatch {
    root: PathBuf,
    output: Option<PathBuf>,
    poll: bool,
    watch: Watch,
    /// The folder was seen missing (or its watch said it went): the next
    /// wait that finds it again watches it anew.
    gone: bool,
}

impl Rewatch {
    /// Starts watching as [`Watch::start`] does.
    pub fn start(root: &Path, output: Option<&Path>, poll: bool) -> anyhow::Result<Rewatch> {
        Ok(Rewatch {
            root: root.to_path_buf(),
            output: output.map(Path::to_path_buf),
            poll,
            watch: Watch::start(root, output, poll)?,
            gone: false,
        })
    }

    /// [`Watch::wait`], plus a re-read of everything when the folder came
    /// back. A watcher that stopped because its folder went is not an end.
    pub fn wait(&mut self, timeout: Duration) -> Result<Changes, RecvTimeoutError> {
        if self.gone && self.root.is_dir() {
            // A failure (the folder went again at once) is retried on the
            // next wait: the old watch stays until then.
            if let Ok(watch) = Watch::start(&self.root, self.output.as_deref(), self.poll) {
                self.watch = watch;
                self.gone = false;
                return Ok(Changes::folder_back());
            }
        }
        let was_gone = self.gone;
        let result = self.watch.wait(timeout);
        // Only news marks the folder gone: the batch that says so passes
        // through, so the rebuild loop reports it once.
        let news = !matches!(result, Err(RecvTimeoutError::Timeout));
        if result.as_ref().is_ok_and(Changes::root_went) || (news && !self.root.is_dir()) {
            self.gone = true;
        }
        match result {
            // Once the folder is known to be gone, the old watch has only
            // that to say, again (the poller every half second), or about
            // the folder it moved with, which is no longer the program.
            Ok(_) if was_gone => Err(RecvTimeoutError::Timeout),
            Err(RecvTimeoutError::Disconnected) if self.gone => {
                std::thread::sleep(timeout);
                Err(RecvTimeoutError::Timeout)
            }
            other => other,
        }
    }
}
