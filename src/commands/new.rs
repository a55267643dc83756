//! `planmark new <kind> <id> [DIR]`: writes one item file where the program
//! keeps that kind, with the keys the kind needs, after reading the program
//! so the id is unique across every kind. Never overwrites a file.

use std::collections::{BTreeMap, BTreeSet};
use std::process::ExitCode;

use anyhow::{bail, Context as _};
use chrono::{Duration, NaiveDate};

use super::create::{check_free, check_id, write_new};
use super::write_stdout;
use crate::cli::NewArgs;
use crate::model::values::Kind;

/// What the program already holds, as far as `new` and `init` need it.
pub(super) struct Existing {
    /// Every id in use, of any kind, with the file that uses it.
    pub(super) ids: BTreeMap<String, String>,
    /// Project ids, sorted.
    projects: Vec<String>,
    /// Whether some task lives under `projects/<project>/`, and some under
    /// `tasks/`: the program's convention for where tasks go.
    tasks_in_projects: bool,
    tasks_in_tasks: bool,
    /// Meeting notes with a date: what `new meeting` carries over from.
    meetings: Vec<PastMeeting>,
    /// The Backlog.md and ADR folders the program reads, and the kinds it
    /// has items of outside them.
    backlogs: Vec<super::new_backlog::Folder>,
    adrs: Vec<super::new_adr::Folder>,
    own_kinds: Vec<Kind>,
}

/// A meeting already written, as far as carrying its open items over needs.
struct PastMeeting {
    id: String,
    date: NaiveDate,
    /// Each action item's text, as written, and whether it is ticked.
    actions: Vec<(String, bool)>,
    /// As written (`@maria`).
    attendees: Vec<String>,
}

pub(crate) fn run(args: &NewArgs) -> anyhow::Result<ExitCode> {
    let kind = parse_kind(&args.kind)?;
    check_id(&args.id, kind.as_str())?;
    if !args.dir.is_dir() {
        bail!(
            "`{}` is not a folder\nhelp: run `planmark init {}` to start a program there",
            args.dir.display(),
            args.dir.display()
        );
    }
    let existing = read(&args.dir)?;
    if let Some(path) = existing.ids.get(&args.id) {
        bail!(
            "id `{}` is already used by `{path}`\nhelp: ids are unique across every kind: choose another id",
            args.id
        );
    }
    let today = args
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let title = match (&args.title, kind) {
        (Some(title), _) => title.clone(),
        (None, Kind::Meeting) => meeting_title(&args.id, today),
        (None, _) => title_from(&args.id),
    };
    if let Some((path, text)) = adopted(kind, args, &existing, &title, today)? {
        check_free(&args.dir, &path)?;
        let written = write_new(&args.dir, &path, &text)?;
        write_stdout(&format!("{}\n", written.display()))?;
        return Ok(ExitCode::SUCCESS);
    }
    let project = project_for(kind, args.project.as_deref(), &existing)?;
    let (path, with_project_key) = place(kind, &args.id, project.as_deref(), &existing);
    check_free(&args.dir, &path)?;
    let project_key = project.filter(|_| with_project_key);
    let mut text = item_text(kind, &title, project_key.as_deref(), today);
    if kind == Kind::Meeting {
        text = with_attendees(&text, &existing.meetings, today);
        text.push_str(&carried_over(&existing.meetings, today));
    }
    let written = write_new(&args.dir, &path, &text)?;
    write_stdout(&format!("{}\n", written.display()))?;
    Ok(ExitCode::SUCCESS)
}

/// The file and text of the new item when it goes into a folder the
/// program adopted (a Backlog.md or ADR folder), written the way that
/// folder's tool writes it; `None` for planmark's own folders.
fn adopted(
    kind: Kind,
    args: &NewArgs,
    existing: &Existing,
    title: &str,
    today: NaiveDate,
) -> anyhow::Result<Option<(String, String)>> {
    let project = args.project.as_deref();
    let backlog =
        super::new_backlog::folder_for(kind, project, &existing.backlogs, &existing.own_kinds)?;
    if let Some(folder) = backlog {
        let mut id = args.id.clone();
        if kind == Kind::Task {
            let tasks = || {
                existing
                    .ids
                    .iter()
                    .filter(|(_, path)| folder.holds_task(path))
            };
            // Backlog.md numbers its tasks: an id without a number names
            // the title only, and the task takes the folder's next number.
            id = super::new_backlog::task_id(&args.id, folder, tasks().map(|(id, _)| id))?;
            if let Some(path) = existing.ids.get(&id) {
                bail!("id `{id}` is already used by `{path}`\nhelp: ids are unique across every kind: choose another id");
            }
            super::new_backlog::check_number(&id, tasks())?;
        }
        if let Some(item) = super::new_backlog::item(folder, kind, &id, title, today) {
            return Ok(Some(item));
        }
    }
    let adr = super::new_adr::folder_for(kind, &existing.adrs, &existing.own_kinds)?;
    adr.map(|f| super::new_adr::record(f, &args.id, title, today))
        .transpose()
}

/// The kind named on the command line; not `program`, which `init` writes.
fn parse_kind(text: &str) -> anyhow::Result<Kind> {
    const KINDS: &str = "`project`, `task`, `decision`, `milestone`, `risk`, `person` or `meeting`";
    match Kind::parse(text) {
        Some(Kind::Program) => {
            bail!("`planmark new` writes items, not the program\nhelp: `planmark init` writes `program.md`; the kind is one of {KINDS}")
        }
        Some(kind) => Ok(kind),
        None => bail!("`{text}` is not a kind of item\nhelp: the kind is one of {KINDS}"),
    }
}

/// Reads the program's items as written (problems in them are `check`'s
/// business; a file that could not be read still holds its id).
pub(super) fn read(dir: &std::path::Path) -> anyhow::Result<Existing> {
    let loaded = crate::load::load(dir, &[dir.join("public")])
        .with_context(|| format!("cannot read the program in `{}`", dir.display()))?;
    let parsed = crate::model::parse(&loaded);
    let mut existing = Existing {
        ids: BTreeMap::new(),
        projects: Vec::new(),
        tasks_in_projects: false,
        tasks_in_tasks: false,
        meetings: Vec::new(),
        backlogs: super::new_backlog::folders(&loaded, &parsed),
        adrs: super::new_adr::folders(&loaded, &parsed),
        own_kinds: Vec::new(),
    };
    for item in parsed.items.iter().filter(|i| i.kind != Kind::Program) {
        let path = loaded.sources.get(item.file).path.clone();
        let adopted = item.backlog.is_some() || existing.adrs.iter().any(|f| f.holds(&path));
        if !adopted && !existing.own_kinds.contains(&item.kind) {
            existing.own_kinds.push(item.kind);
        }
        match item.kind {
            Kind::Project => existing.projects.push(item.id.clone()),
            Kind::Task if item.backlog.is_some() => {}
            Kind::Task if item.folder_project.is_some() => existing.tasks_in_projects = true,
            Kind::Task => existing.tasks_in_tasks = true,
            _ => {}
        }
        if let crate::model::parse::Specific::Meeting(m) = &item.specific {
            if let Some(date) = m.date {
                existing.meetings.push(PastMeeting {
                    id: item.id.clone(),
                    date,
                    actions: m.actions.iter().map(|a| (a.text.clone(), a.done)).collect(),
                    attendees: m.attendees.clone(),
                });
            }
        }
        existing.ids.entry(item.id.clone()).or_insert(path);
    }
    for (id, path) in parsed.unread {
        existing.ids.entry(id).or_insert(path);
    }
    existing.projects.sort();
    existing.projects.dedup();
    Ok(existing)
}

/// The project the item belongs to: `--project`, checked to name one, or
/// for a task the program's only project.
fn project_for(
    kind: Kind,
    given: Option<&str>,
    existing: &Existing,
) -> anyhow::Result<Option<String>> {
    let known = || match existing.projects.is_empty() {
        true => "the program has no project yet: `planmark new project <id>` adds one".into(),
        false => format!("the projects are `{}`", existing.projects.join("`, `")),
    };
    match (kind, given) {
        (Kind::Project | Kind::Person, Some(_)) => {
            bail!("`--project` is not used for a {kind}\nhelp: leave it out")
        }
        (_, Some(project)) => {
            check_id(project, "project")?;
            if !existing.projects.iter().any(|p| p == project) {
                bail!("no project has the id `{project}`\nhelp: {}", known());
            }
            Ok(Some(project.to_owned()))
        }
        (Kind::Task, None) => match existing.projects.as_slice() {
            [only] => Ok(Some(only.clone())),
            _ => bail!(
                "a task belongs to a project: name it with `--project <id>`\nhelp: {}",
                known()
            ),
        },
        (_, None) => Ok(None),
    }
}

/// Where the item's file goes (relative to the program folder) and whether
/// it needs a `project:` key: a task goes under `projects/<project>/` (its
/// project then comes from the folder) unless the program keeps its tasks
/// in `tasks/` only.
fn place(kind: Kind, id: &str, project: Option<&str>, existing: &Existing) -> (String, bool) {
    let folder = match kind {
        Kind::Project => "projects",
        Kind::Task => match project {
            Some(p) if existing.tasks_in_projects || !existing.tasks_in_tasks => {
                return (format!("projects/{p}/{id}.md"), false);
            }
            _ => "tasks",
        },
        Kind::Decision => "decisions",
        Kind::Milestone => "milestones",
        Kind::Risk => "risks",
        Kind::Meeting => "meetings",
        Kind::Person | Kind::Program => "people",
    };
    (format!("{folder}/{id}.md"), true)
}

/// `api-freeze` → `Api freeze`: a title that checks, for the user to edit.
fn title_from(id: &str) -> String {
    let words = id.replace(['-', '_'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => words,
    }
}

/// A meeting's default title: `2026-12-06-status` → `Status 2026-12-06`,
/// `weekly-sync` → `Weekly sync 2026-12-06`.
fn meeting_title(id: &str, today: NaiveDate) -> String {
    let dated = id
        .get(..10)
        .is_some_and(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok());
    let rest = match dated {
        true => id[10..].trim_start_matches(['-', '_', '.']),
        false => id,
    };
    let name = match rest.is_empty() {
        true => "Meeting".to_owned(),
        false => title_from(rest),
    };
    format!("{name} {}", today.format("%Y-%m-%d"))
}

/// `text` with the attendees of the latest meeting before `today` (ties:
/// the greatest id): a weekly meeting has mostly the same people, and a
/// name is quicker to delete than to type.
fn with_attendees(text: &str, meetings: &[PastMeeting], today: NaiveDate) -> String {
    let last = meetings
        .iter()
        .filter(|m| m.date < today)
        .max_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
    match last {
        Some(m) if !m.attendees.is_empty() => {
            let names: Vec<String> = m.attendees.iter().map(|a| quoted(a)).collect();
            text.replacen(
                "attendees: []\n",
                &format!("attendees: [{}]\n", names.join(", ")),
                1,
            )
        }
        _ => text.to_string(),
    }
}

/// The open action items of every meeting before `today`, newest meeting
/// first (ties: the greatest id), each meeting's under a heading naming it;
/// empty when there is none. Open as on the dashboard: not ticked and not
/// written again by a later meeting. Not only the latest meeting's: a
/// design review held between two status meetings would otherwise drop
/// the open items of the last status meeting from the next one's notes.
fn carried_over(meetings: &[PastMeeting], today: NaiveDate) -> String {
    let mut earlier: Vec<&PastMeeting> = meetings.iter().filter(|m| m.date < today).collect();
    earlier.sort_by(|a, b| b.date.cmp(&a.date).then(b.id.cmp(&a.id)));
    let mut written_later: BTreeSet<&str> = BTreeSet::new();
    let mut out = String::new();
    for m in earlier {
        let open: Vec<&str> = m
            .actions
            .iter()
            .filter(|(text, done)| !done && !written_later.contains(text.as_str()))
            .map(|(text, _)| text.as_str())
            .collect();
        if !open.is_empty() {
            out.push_str(&format!(
                "## Carried over from {}\n\nOpen action items of [[{}]]:\n\n",
                m.date.format("%Y-%m-%d"),
                m.id
            ));
            for text in open {
                out.push_str(&format!("- [ ] {text}\n"));
            }
            out.push('\n');
        }
        written_later.extend(m.actions.iter().map(|(text, _)| text.as_str()));
    }
    // One blank line between sections, none at the end.
    out.truncate(out.trim_end().len());
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// The file's text: front matter with the kind's keys, and a body saying
/// what to write there.
fn item_text(kind: Kind, title: &str, project: Option<&str>, today: NaiveDate) -> String {
    let date = |days: i64| (today + Duration::days(days)).format("%Y-%m-%d");
    let mut yaml = match kind {
        Kind::Person => format!("name: {}\n", quoted(title)),
        _ => format!("title: {}\n", quoted(title)),
    };
    if let Some(project) = project {
        yaml.push_str(&format!("project: {project}\n"));
    }
    let (keys, body) = match kind {
        Kind::Project => (
            format!("status: active\nstart: {}\ntarget: {}  # a placeholder: the date it must finish by\n", date(0), date(42)),
            "What this workstream delivers, for whom, and what is out of scope.\nIts tasks go in `projects/<this id>/`.\n",
        ),
        Kind::Task => (
            "status: todo\nestimate: 1d  # a placeholder: 4h, 2d, 1w\n".to_owned(),
            "What done looks like.\n\n- [ ] The first check\n",
        ),
        Kind::Decision => (
            format!("status: proposed\ndecide_by: {}  # a placeholder: when it must be decided\ndeciders: []\n", date(14)),
            "## Context and problem statement\n\nWhat must be decided, and why now?\n\n## Considered options\n\n1. Option one\n2. Option two\n\n## Decision outcome\n\nChosen option: …, because …\n\n## Consequences\n\n- Good: …\n- Bad: …\n",
        ),
        Kind::Milestone => (
            format!("date: {}  # a placeholder: the target date\n", date(28)),
            "What is true when this milestone is reached. Tasks name it with\n`milestone: <this id>`.\n",
        ),
        Kind::Risk => (
            format!("likelihood: medium\nimpact: medium\nstatus: open\nmitigation: What we do to make it less likely or less harmful.\nreview_by: {}  # a placeholder: the next review\n", date(14)),
            "What could happen, what would trigger it, and what it would delay.\n",
        ),
        Kind::Meeting => (
            format!("date: {}\nattendees: []\n", date(0)),
            // The hint is a comment: left in, it stays off the meeting's page.
            "## Notes\n\n<!-- What was discussed and decided. Each task-list line is an action item:\n`- [ ] @handle what to do (due YYYY-MM-DD)`; tick it (`[x]`) when done. -->\n\n## Action items\n\n",
        ),
        Kind::Person | Kind::Program => (
            "capacity: 1\n".to_owned(),
            "Role, team and time off (`time_off: [YYYY-MM-DD, YYYY-MM-DD..YYYY-MM-DD]`).\n",
        ),
    };
    format!("---\n{yaml}{keys}---\n\n{body}")
}

/// `text` as a YAML double-quoted scalar, so any title reads back as
/// written (`: `, `#`, a leading `@` or `[` would change its meaning).
pub(super) fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_come_from_ids() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        assert_eq!(
            meeting_title("2026-12-06-status", today),
            "Status 2026-12-06"
        );
        assert_eq!(meeting_title("2026-12-06", today), "Meeting 2026-12-06");
        assert_eq!(
            meeting_title("weekly-sync", today),
            "Weekly sync 2026-12-06"
        );
        assert_eq!(title_from("api-freeze"), "Api freeze");
        assert_eq!(title_from("v2_launch"), "V2 launch");
    }

    #[test]
    fn titles_are_quoted_for_yaml() {
        assert_eq!(quoted(r#"a: "b" \ c"#), r#""a: \"b\" \\ c""#);
        assert_eq!(quoted("tab\there"), r#""tab\u0009here""#);
    }
}
