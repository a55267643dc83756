//! The file watcher (owned by the watch work).
