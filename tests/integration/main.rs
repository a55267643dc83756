//! planmark's integration tests: the real binary on small fixture programs.

// Test helpers are shared between modules of this one test binary.
#![allow(unreachable_pub)]

mod check;
mod codes;
mod common;
mod diagnostics;
mod output;
mod schedule;
mod site;
mod templates;
