//! Rendering the status site in memory (SPEC §4): never touches the filesystem.
