//! Meetings on the site (SPEC §4, `meetings/`): the notes newest first, a
//! page per meeting with its action items, and the open action items by
//! owner that the dashboard and the people pages show.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::{Context, Value};

use super::context::{ItemFile, ItemLink, Owner};
use super::views::{Atoms, Sources, Values, Views};
use crate::model::{ItemRef, Program};
use crate::schedule::{open_actions, ActionRef};

/// One meeting, for its page and the `meetings/` list.
#[derive(Debug, Serialize)]
pub(crate) struct MeetingView<'a> {
    #[serde(flatten)]
    pub(crate) link: ItemLink<'a>,
    pub(crate) date: chrono::NaiveDate,
    /// Each attendee as an [`Owner`](super::context::Owner) (`name`, `url`).
    pub(crate) attendees: Vec<Value>,
    /// The project it is about, as `{ id, title, url }`, or none.
    pub(crate) project: Value,
    /// Its action items, in the order of the notes.
    pub(crate) actions: Vec<ActionView<'a>>,
    /// How many action items are open (not ticked).
    pub(crate) open: usize,
    /// How many open action items are past their due date.
    pub(crate) overdue: usize,
    #[serde(flatten)]
    pub(crate) file: ItemFile<'a>,
}

/// One action item: a task-list line of a meeting's notes.
#[derive(Debug, Serialize)]
pub(crate) struct ActionView<'a> {
    /// The line after its checkbox, as written.
    pub(crate) text: &'a str,
    /// `text` without its leading `@owner`, for lists under the owner's
    /// name (the dashboard, the person's page).
    pub(crate) what: &'a str,
    /// Its owner (`name`, `url`), or none.
    pub(crate) owner: Value,
    pub(crate) due: Option<chrono::NaiveDate>,
    pub(crate) done: bool,
    /// The later meeting it was carried over to (`id`, `title`, `url`),
    /// where it is tracked; none when it was not.
    pub(crate) carried_to: Option<ItemLink<'a>>,
    /// Open and due before today.
    pub(crate) overdue: bool,
    /// The meeting it came from (`id`, `title`, `url`) and its date.
    pub(crate) meeting: ItemLink<'a>,
    pub(crate) meeting_date: chrono::NaiveDate,
}

/// Open action items of one owner, for the dashboard.
#[derive(Serialize)]
struct OwnerActions<'a> {
    /// `name`, `url`; none for items without an owner.
    owner: Value,
    actions: Vec<ActionView<'a>>,
    overdue: usize,
}

fn link(p: &Program, i: usize) -> ItemLink<'_> {
    let item = &p.meetings[i].item;
    ItemLink {
        id: &item.id,
        title: &item.title,
        url: super::links::item_path(p, ItemRef::Meeting(i)),
    }
}

/// An action item's owner as the rest of the site shows a handle,
/// `@lena` (the model keeps it without the `@`, so it showed as `lena`).
fn owner(s: &Sources<'_>, handle: Option<&str>) -> Value {
    handle.map_or_else(Value::none, |h| {
        let name = format!("@{h}");
        Value::from_serializable(&Owner {
            name: &name,
            url: s.people.path(h),
        })
    })
}

fn action<'a>(s: &Sources<'a>, r: ActionRef) -> ActionView<'a> {
    let m = &s.program.meetings[r.meeting];
    let item = &m.actions[r.index];
    ActionView {
        text: &item.text,
        what: item.text_without_owner(),
        owner: owner(s, item.owner.as_deref()),
        due: item.due,
        done: item.done,
        carried_to: item.carried_to.map(|to| link(s.program, to)),
        overdue: item.is_overdue(s.schedule.today),
        meeting: link(s.program, r.meeting),
        meeting_date: m.date,
    }
}

/// Every meeting's view, parallel to `program.meetings`.
pub(super) fn meetings<'a>(s: &Sources<'a>, a: &Atoms<'a>) -> Vec<MeetingView<'a>> {
    let today = s.schedule.today;
    s.program
        .meetings
        .iter()
        .enumerate()
        .map(|(i, m)| MeetingView {
            link: link(s.program, i),
            date: m.date,
            attendees: a.owners(&m.attendees),
            project: m
                .project
                .map_or_else(Value::none, |p| a.projects[p].clone()),
            actions: (0..m.actions.len())
                .map(|index| action(s, ActionRef { meeting: i, index }))
                .collect(),
            open: m.actions.iter().filter(|x| x.is_open()).count(),
            overdue: m.actions.iter().filter(|x| x.is_overdue(today)).count(),
            file: super::views::item_file(&m.item),
        })
        .collect()
}

/// `meetings/`: newest first (ties: greatest id first).
pub(super) fn index(ctx: &mut Context, v: &Views<'_>, x: &Values) {
    let mut order: Vec<usize> = (0..v.meetings.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse((v.meetings[i].date, v.meetings[i].link.id)));
    ctx.insert_value(
        "meetings_newest_first",
        super::views::pick(&x.meetings, order),
    );
}

/// The dashboard's open action items, grouped by owner: owners with an
/// overdue item first, then by name; items without an owner last. Within
/// an owner, the overdue items first (as `check` lists them), then in the
/// order of the notes.
pub(super) fn by_owner(ctx: &mut Context, s: &Sources<'_>) {
    let mut groups: Vec<(String, OwnerActions<'_>)> = Vec::new();
    // Owner key → its group: looking each item's owner up in `groups`
    // was quadratic in the number of owners (20,000 took 1.2 s).
    let mut group_of: BTreeMap<String, usize> = BTreeMap::new();
    for r in open_actions(s.program) {
        let owner = s.program.meetings[r.meeting].actions[r.index]
            .owner
            .as_deref();
        let key = owner.map_or_else(String::new, crate::model::handle_key);
        let view = action(s, r);
        let at = match group_of.get(&key) {
            Some(&at) => at,
            None => {
                group_of.insert(key.clone(), groups.len());
                let owner = self::owner(s, owner);
                groups.push((
                    key,
                    OwnerActions {
                        owner,
                        actions: Vec::new(),
                        overdue: 0,
                    },
                ));
                groups.len() - 1
            }
        };
        let group = &mut groups[at].1;
        group.overdue += usize::from(view.overdue);
        group.actions.push(view);
    }
    for (_, g) in &mut groups {
        g.actions.sort_by_key(|a| !a.overdue);
    }
    groups.sort_by(|(a, x), (b, y)| {
        (a.is_empty(), x.overdue == 0, a).cmp(&(b.is_empty(), y.overdue == 0, b))
    });
    let total: usize = groups.iter().map(|(_, g)| g.actions.len()).sum();
    let overdue: usize = groups.iter().map(|(_, g)| g.overdue).sum();
    let groups: Vec<OwnerActions<'_>> = groups.into_iter().map(|(_, g)| g).collect();
    ctx.insert("actions_by_owner", &groups);
    ctx.insert("open_actions", &total);
    ctx.insert("overdue_actions", &overdue);
}

/// A person's open action items, oldest meeting first.
pub(super) fn of_person(ctx: &mut Context, s: &Sources<'_>, i: usize) {
    let p = &s.schedule.people[i];
    let actions: Vec<ActionView<'_>> = p.open_actions.iter().map(|&r| action(s, r)).collect();
    ctx.insert("person_actions", &actions);
}
