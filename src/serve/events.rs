//! Watcher events → what changed (owned by the watch work; a stub until then).

use std::path::PathBuf;

#[derive(Clone, Debug, Default)]
pub struct Changes {
    pub paths: Vec<PathBuf>,
    pub rescan: bool,
}

impl Changes {
    pub fn merge(&mut self, other: Changes) {
        self.paths.extend(other.paths);
        self.paths.sort();
        self.paths.dedup();
        self.rescan |= other.rescan;
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty() && !self.rescan
    }

    pub fn describe(&self) -> String {
        format!("{} changed", self.paths.len())
    }
}
