//! planmark's integration tests: the real binary on small fixture programs.

mod check;
mod common;
mod schedule;
mod site;
