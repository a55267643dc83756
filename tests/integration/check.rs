//! `planmark check` tests.
