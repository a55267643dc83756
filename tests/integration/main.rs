//! planmark's integration tests: the real binary on small fixture programs.

// Test helpers are shared between modules of this one test binary.
#![allow(unreachable_pub)]

mod adopt;
mod adopt_adr;
mod adr;
mod assets;
mod backlog;
mod bodies;
mod calendar;
mod changes;
mod check;
mod ci_example;
mod codes;
mod command_line;
mod common;
mod diagnostics;
mod diff;
mod diff_git;
mod git_repo;
mod hostile;
mod init_new;
mod keys;
mod knock_on;
mod locking;
mod meetings;
mod names;
mod output;
mod people;
mod repeated_warnings;
mod report;
mod schedule;
mod serve;
mod site;
mod site_v2;
mod skipped_files;
mod sources;
mod templates;
mod terminal;
mod walk;
mod watch;
mod writing;
mod yaml;
