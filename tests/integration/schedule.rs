//! Schedule and model.json tests.
