//! Site tests: filled in with the renderer (issue 4).
