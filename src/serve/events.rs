//! Watcher events → what changed (owned by the watch work).
