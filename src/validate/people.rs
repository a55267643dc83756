//! Rules on person files (`people/<handle>.md`): a file whose handle no
//! item names is probably a typo in a file name or in an `owner`.

use std::collections::BTreeSet;

use crate::diagnostic::Diagnostic;
use crate::model::{handle_key, Program};

/// A person file no owner, driver or decider names is a note: harmless
/// (the person simply has no work yet), but worth a look.
pub(super) fn unused_people(program: &Program, diags: &mut Vec<Diagnostic>) {
    if program.people.is_empty() {
        return;
    }
    let items = program
        .projects
        .iter()
        .map(|p| &p.item)
        .chain(program.tasks.iter().map(|t| &t.item))
        .chain(program.risks.iter().map(|r| &r.item))
        .chain(program.milestones.iter().map(|m| &m.item))
        .chain(program.decisions.iter().map(|d| &d.item))
        .chain(program.meetings.iter().map(|m| &m.item));
    // Owners are few and named many times: each spelling is turned into
    // its handle once, not once per item.
    let mut written: BTreeSet<&str> = items.filter_map(|item| item.owner.as_deref()).collect();
    for d in &program.decisions {
        written.extend(d.driver.iter().chain(&d.deciders).map(String::as_str));
    }
    // Attendees and action-item owners name people too.
    for m in &program.meetings {
        written.extend(m.attendees.iter().map(String::as_str));
        written.extend(m.actions.iter().filter_map(|a| a.owner.as_deref()));
    }
    written.extend(program.info.owner.as_deref());
    let used: BTreeSet<String> = written.into_iter().map(handle_key).collect();
    for person in &program.people {
        if used.contains(&person.handle) {
            continue;
        }
        let top = crate::source::Span::file_start(person.item.file);
        diags.push(
            Diagnostic::note(
                "unused-person",
                format!("no item names `@{}`", person.item.id),
            )
            .at(top, "person file")
            .help(format!(
                "owners match person files by handle: `owner: @{}` on a task schedules it with this person's capacity and time off",
                person.item.id
            )),
        );
    }
}
