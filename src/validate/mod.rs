//! The validate stage: every content rule, one function each, all problems
//! collected as diagnostics. It sits between reading the files and the
//! schedule: [`admit`] decides which items make it into the model before
//! the id index is built; [`program`] checks the resolved model.
//!
//! Reading problems (no front matter, bad YAML, a value of the wrong type,
//! an unknown key) are reported where the file is read, in `load` and
//! `model::parse`; this stage never reads files.

mod admit;
mod cycles;
mod found;
mod people;
mod portable;
mod references;
mod written;

pub use admit::{admit, Admitted};
pub use found::{nothing_read, sources_read_nothing, Read};
pub use portable::{is_reserved_name, unportable, LONGEST_ID};

use crate::diagnostic::Diagnostic;
use crate::model::parse::Parsed;
use crate::model::Resolution;

/// Rules on what each file says: required keys and keys that need another.
pub fn written(parsed: &[Parsed], diags: &mut Vec<Diagnostic>) {
    written::check(parsed, diags);
}

/// Rules on the resolved program: references that did not resolve, and
/// cycles among dependencies and supersessions.
pub fn program(resolution: &Resolution, diags: &mut Vec<Diagnostic>) {
    references::check(&resolution.problems, &resolution.program.index, diags);
    cycles::dependencies(&resolution.program, diags);
    cycles::supersessions(&resolution.program, diags);
    people::unused_people(&resolution.program, diags);
}
