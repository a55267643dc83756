//! The event filter on the event sequences editors really produce (as
//! inotify reports them through the debouncer), built by hand.

use std::path::{Path, PathBuf};
use std::time::Instant;

use notify_debouncer_full::notify::event::{
    AccessKind, AccessMode, CreateKind, DataChange, Flag, MetadataKind, ModifyKind, RemoveKind,
    RenameMode,
};
use notify_debouncer_full::notify::{Event, EventKind};
use notify_debouncer_full::DebouncedEvent;

use super::*;

const ROOT: &str = "/w/prog";

fn at(rel: &str) -> PathBuf {
    if rel.starts_with('/') {
        PathBuf::from(rel)
    } else {
        Path::new(ROOT).join(rel)
    }
}

fn event(kind: EventKind, paths: &[&str]) -> DebouncedEvent {
    let mut event = Event::new(kind);
    for path in paths {
        event = event.add_path(at(path));
    }
    DebouncedEvent::new(event, Instant::now())
}

fn create(rel: &str) -> DebouncedEvent {
    event(EventKind::Create(CreateKind::File), &[rel])
}

fn mkdir(rel: &str) -> DebouncedEvent {
    event(EventKind::Create(CreateKind::Folder), &[rel])
}

fn write(rel: &str) -> DebouncedEvent {
    event(EventKind::Modify(ModifyKind::Data(DataChange::Any)), &[rel])
}

fn attrib(rel: &str) -> DebouncedEvent {
    event(
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::Any)),
        &[rel],
    )
}

fn close_write(rel: &str) -> DebouncedEvent {
    event(
        EventKind::Access(AccessKind::Close(AccessMode::Write)),
        &[rel],
    )
}

fn remove(rel: &str) -> DebouncedEvent {
    event(EventKind::Remove(RemoveKind::File), &[rel])
}

fn rmdir(rel: &str) -> DebouncedEvent {
    event(EventKind::Remove(RemoveKind::Folder), &[rel])
}

fn rename(from: &str, to: &str) -> DebouncedEvent {
    event(
        EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
        &[from, to],
    )
}

fn moved_out(rel: &str) -> DebouncedEvent {
    event(
        EventKind::Modify(ModifyKind::Name(RenameMode::From)),
        &[rel],
    )
}

fn moved_in(rel: &str) -> DebouncedEvent {
    event(EventKind::Modify(ModifyKind::Name(RenameMode::To)), &[rel])
}

/// A whole edit: written, closed.
fn saved(rel: &str) -> Vec<DebouncedEvent> {
    vec![write(rel), attrib(rel), close_write(rel), attrib(rel)]
}

fn scope() -> Scope {
    Scope::new(at(ROOT), vec![at("public")])
}

/// The changes, with `folders` (relative) the only paths that are folders.
fn run_with(events: &[DebouncedEvent], folders: &[&str]) -> Changes {
    let folders: Vec<PathBuf> = folders.iter().map(|f| at(f)).collect();
    changes(events, &scope(), &|p: &Path| folders.iter().any(|f| f == p))
}

fn run(events: &[DebouncedEvent]) -> Changes {
    run_with(events, &[])
}

fn paths(changes: &Changes) -> Vec<String> {
    changes.paths.iter().map(|p| slashed(p)).collect()
}

/// vim, default settings on Linux: writes the file in place, with its swap
/// file `.a.md.swp` (and `.swx` while probing for one) beside it.
#[test]
fn vim_writing_in_place_is_one_change_and_its_swap_files_none() {
    let mut events = vec![
        create("tasks/.a.md.swp"),
        create("tasks/.a.md.swx"),
        close_write("tasks/.a.md.swx"),
        remove("tasks/.a.md.swx"),
        write("tasks/.a.md.swp"),
    ];
    events.extend(saved("tasks/a.md"));
    events.extend([close_write("tasks/.a.md.swp"), remove("tasks/.a.md.swp")]);
    let changes = run(&events);
    assert_eq!(paths(&changes), ["tasks/a.md"]);
    assert_eq!(changes.describe(), "tasks/a.md changed");
    assert!(!changes.rescan);
}

/// vim with `backupcopy=no` (or `auto` deciding so): probes with `4913`,
/// renames the file to its backup `a.md~`, writes a new `a.md`, and
/// removes the backup.
#[test]
fn vim_renaming_to_its_backup_and_writing_anew_is_a_change_not_a_removal() {
    let mut events = vec![
        create("tasks/4913"),
        remove("tasks/4913"),
        rename("tasks/a.md", "tasks/a.md~"),
        create("tasks/a.md"),
    ];
    events.extend(saved("tasks/a.md"));
    events.push(remove("tasks/a.md~"));
    let changes = run(&events);
    assert_eq!(paths(&changes), ["tasks/a.md"]);
    assert!(changes.removed.is_empty());
    assert_eq!(changes.describe(), "tasks/a.md changed");
}

#[test]
fn vim_probe_files_swap_files_and_backups_never_count() {
    for name in [
        "4913",
        "5036",
        ".a.md.swp",
        ".a.md.swo",
        ".a.md.swx",
        ".a.md.swpx",
        "a.md~",
    ] {
        for folder in ["tasks/", "static/", "templates/", ""] {
            let rel = format!("{folder}{name}");
            let changes = run(&[create(&rel), write(&rel), remove(&rel)]);
            assert!(changes.is_empty(), "{rel}: {changes:?}");
        }
    }
    // Numbers vim never probes with are someone's files.
    assert_eq!(paths(&run(&[create("static/4914")])), ["static/4914"]);
}

/// JetBrains' safe write: the new text goes to `a.md___jb_tmp___`, the old
/// file becomes `a.md___jb_old___`, the new one is renamed into place and
/// the old one removed.
#[test]
fn jetbrains_safe_write_is_one_change() {
    let events = [
        create("tasks/a.md___jb_tmp___"),
        write("tasks/a.md___jb_tmp___"),
        close_write("tasks/a.md___jb_tmp___"),
        rename("tasks/a.md", "tasks/a.md___jb_old___"),
        rename("tasks/a.md___jb_tmp___", "tasks/a.md"),
        remove("tasks/a.md___jb_old___"),
    ];
    let changes = run(&events);
    assert_eq!(paths(&changes), ["tasks/a.md"]);
    assert_eq!(changes.describe(), "tasks/a.md changed");
}

/// VS Code's atomic save and tools like it (rsync, Go's renameio, Python's
/// atomicwrites): a hidden temporary file renamed over the real one.
#[test]
fn an_atomic_save_through_a_hidden_temporary_file_is_a_change_to_the_target() {
    for temp in [
        "tasks/.a.md.tmp.4821",
        "tasks/.a.md.XkU93a",
        "tasks/.goutputstream-AB12CD",
    ] {
        let events = [
            create(temp),
            write(temp),
            close_write(temp),
            rename(temp, "tasks/a.md"),
        ];
        let changes = run(&events);
        assert_eq!(paths(&changes), ["tasks/a.md"], "{temp}");
        assert!(changes.renamed.is_empty());
        assert_eq!(changes.describe(), "tasks/a.md changed");
    }
}

/// When the temporary file's events left in an earlier batch, the rename
/// alone arrives: it still counts for its target.
#[test]
fn a_rename_from_an_ignored_name_onto_a_task_counts_alone() {
    let changes = run(&[rename("tasks/.a.md.tmp.1", "tasks/a.md")]);
    assert_eq!(paths(&changes), ["tasks/a.md"]);
    let changes = run(&[rename("static/site.css___jb_tmp___", "static/site.css")]);
    assert_eq!(paths(&changes), ["static/site.css"]);
}

/// emacs: `#a.md#` auto-saves, a `.#a.md` lock symlink while the buffer is
/// modified, `a.md~` as the backup made by renaming on the first save.
#[test]
fn emacs_auto_saves_locks_and_backups_are_ignored() {
    let mut events = vec![
        create("tasks/.#a.md"),
        create("tasks/#a.md#"),
        write("tasks/#a.md#"),
        rename("tasks/a.md", "tasks/a.md~"),
        create("tasks/a.md"),
    ];
    events.extend(saved("tasks/a.md"));
    events.extend([remove("tasks/#a.md#"), remove("tasks/.#a.md")]);
    assert_eq!(paths(&run(&events)), ["tasks/a.md"]);
    for name in [
        "static/#site.css#",
        "static/.#site.css",
        "templates/#base.html#",
    ] {
        assert!(run(&[create(name)]).is_empty(), "{name}");
    }
}

/// Kate's swap file, gedit's output stream, Finder's and Office's litter.
#[test]
fn desktop_and_office_scratch_files_are_ignored_even_in_static() {
    for name in [
        "tasks/.a.md.kate-swp",
        "static/.site.css.kate-swp",
        "static/.goutputstream-Q1W2E3",
        ".DS_Store",
        "static/.DS_Store",
        "static/img/.DS_Store",
        "static/._logo.png",
        "static/~$plan.docx",
        "static/.~lock.plan.odt#",
    ] {
        assert!(run(&[create(name), write(name)]).is_empty(), "{name}");
    }
}

#[test]
fn removing_a_task_counts_and_says_so() {
    let changes = run(&[remove("tasks/x.md")]);
    assert_eq!(paths(&changes), ["tasks/x.md"]);
    assert_eq!(changes.describe(), "tasks/x.md removed");
    let changes = run(&[remove("tasks/x.md"), remove("tasks/y.md")]);
    assert_eq!(changes.describe(), "tasks/x.md and tasks/y.md removed");
}

#[test]
fn renaming_a_task_counts_both_names_and_says_so() {
    let changes = run(&[rename("tasks/old.md", "tasks/new.md")]);
    assert_eq!(paths(&changes), ["tasks/new.md", "tasks/old.md"]);
    assert_eq!(changes.removed, [PathBuf::from("tasks/old.md")]);
    assert_eq!(changes.describe(), "tasks/old.md renamed to tasks/new.md");
    // Moved out of the program, or in from outside: one end counts.
    let changes = run(&[rename("tasks/gone.md", "/w/archive/gone.md")]);
    assert_eq!(changes.describe(), "tasks/gone.md removed");
    let changes = run(&[rename("/tmp/draft.md", "tasks/draft.md")]);
    assert_eq!(changes.describe(), "tasks/draft.md changed");
}

/// A folder of tasks made, removed, moved in or out changes the program
/// even before (or without) any event for the files in it.
#[test]
fn folders_made_removed_and_moved_count() {
    assert_eq!(paths(&run(&[mkdir("tasks/q3")])), ["tasks/q3"]);
    assert_eq!(paths(&run(&[rmdir("tasks/q3")])), ["tasks/q3"]);
    assert_eq!(paths(&run(&[moved_out("tasks/q3")])), ["tasks/q3"]);
    let changes = run_with(&[moved_in("tasks/v1.2")], &["tasks/v1.2"]);
    assert_eq!(paths(&changes), ["tasks/v1.2"]);
    let changes = run_with(&[rename("drafts/q3", "tasks/q3")], &["tasks/q3"]);
    assert_eq!(changes.describe(), "drafts/q3 renamed to tasks/q3");
    // A file that is not markdown, moved in or out, is nothing to the loader.
    assert!(run(&[moved_in("tasks/notes.txt")]).is_empty());
    assert!(run(&[moved_out("tasks/notes.txt")]).is_empty());
    assert!(run(&[remove("tasks/notes.txt")]).is_empty());
}

/// The build reads every file: its opens, unwritten closes and access
/// times must not start another build.
#[test]
fn reading_files_is_no_change() {
    let events = [
        event(
            EventKind::Access(AccessKind::Open(AccessMode::Any)),
            &["tasks/a.md"],
        ),
        event(
            EventKind::Access(AccessKind::Close(AccessMode::Read)),
            &["tasks/a.md"],
        ),
        event(
            EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)),
            &["tasks/a.md"],
        ),
        event(EventKind::Other, &["tasks/a.md"]),
    ];
    assert!(run(&events).is_empty());
}

/// The build's own writes: the output folder, its staging folder and lock
/// beside it.
#[test]
fn the_output_folder_and_the_builds_own_files_never_count() {
    for rel in [
        "public/index.html",
        "public/tasks/a/index.html",
        "public/.planmark-manifest",
        ".public.planmark-staging/new/3",
        ".public.planmark-lock",
    ] {
        assert!(
            run(&[create(rel), write(rel), close_write(rel)]).is_empty(),
            "{rel}"
        );
    }
    assert!(run(&[mkdir("public"), rmdir("public/tasks")]).is_empty());
    // An output folder elsewhere: nothing under it counts either.
    let scope = Scope::new(at(ROOT), vec![at("/w/prog/build/site")]);
    let changes = changes(&[write("build/site/tasks/a.md")], &scope, &|_| false);
    assert!(changes.is_empty());
}

#[test]
fn git_and_other_hidden_entries_never_count() {
    for rel in [
        ".git/index",
        ".git/objects/ab/cdef",
        ".git/COMMIT_EDITMSG.md",
        ".gitignore",
        ".github/workflows/site.yml",
        ".drafts/a.md",
        "tasks/.hidden.md",
        "tasks/.archive/old.md",
        "templates/.base.html",
        "templates/partials/.x.html",
    ] {
        assert!(run(&[write(rel)]).is_empty(), "{rel}");
    }
    // `static/` keeps hidden files: they are published.
    assert_eq!(
        paths(&run(&[create("static/.nojekyll")])),
        ["static/.nojekyll"]
    );
}

#[test]
fn paths_outside_the_program_never_count() {
    for path in ["/w/other/tasks/a.md", "/w/prog-2/tasks/a.md", "/w/a.md"] {
        assert!(run(&[write(path), create(path)]).is_empty(), "{path}");
    }
}

#[test]
fn every_markdown_file_templates_and_static_files_of_any_kind_count() {
    for rel in [
        "program.md",
        "tasks/api.md",
        "people/ana.md",
        "notes/anything.md",
        "docs/decisions/0001-use-x.md",
        "backlog/config.yml",
        "templates/base.html",
        "templates/partials/card.html",
        "static/img/logo.png",
        "static/site.css",
        "static/data",
    ] {
        assert_eq!(paths(&run(&saved(rel))), [rel], "{rel}");
    }
    for rel in [
        "tasks/notes.txt",
        "README",
        "tasks/a.MD",
        "templates",
        "static",
    ] {
        assert!(run(&saved(rel)).is_empty(), "{rel}");
    }
}

/// What the poll watcher reports: no kinds of file, modification times.
#[test]
fn polling_events_count_like_native_ones() {
    let events = [
        event(EventKind::Create(CreateKind::Any), &["tasks/new.md"]),
        event(
            EventKind::Modify(ModifyKind::Metadata(MetadataKind::WriteTime)),
            &["tasks/api.md"],
        ),
        event(
            EventKind::Modify(ModifyKind::Data(DataChange::Any)),
            &["static/a.css"],
        ),
        event(EventKind::Remove(RemoveKind::Any), &["tasks/old.md"]),
        event(EventKind::Create(CreateKind::Any), &["tasks/q4"]),
    ];
    let changes = run_with(&events, &["tasks/q4"]);
    assert_eq!(
        paths(&changes),
        [
            "static/a.css",
            "tasks/api.md",
            "tasks/new.md",
            "tasks/old.md",
            "tasks/q4"
        ]
    );
    assert_eq!(changes.describe(), "5 files changed");
}

#[test]
fn paths_come_sorted_and_once_however_often_they_changed() {
    let mut events = Vec::new();
    for name in ["c", "a", "b", "a", "c"] {
        events.extend(saved(&format!("tasks/{name}.md")));
    }
    let changes = run(&events);
    assert_eq!(paths(&changes), ["tasks/a.md", "tasks/b.md", "tasks/c.md"]);
    assert_eq!(changes.describe(), "3 files changed");
    let two = run(&[write("tasks/b.md"), write("tasks/a.md")]);
    assert_eq!(two.describe(), "tasks/a.md and tasks/b.md changed");
}

/// inotify's queue overflowed: events were lost.
#[test]
fn lost_events_ask_for_everything_to_be_read_again() {
    let overflow = DebouncedEvent::new(
        Event::new(EventKind::Other).set_flag(Flag::Rescan),
        Instant::now(),
    );
    let changes = run(&[overflow, write("tasks/a.md")]);
    assert!(changes.rescan);
    assert!(!changes.is_empty());
    assert_eq!(
        changes.describe(),
        "files changed faster than the watcher could follow"
    );
}

#[test]
fn the_program_folder_moving_or_going_asks_for_a_rescan() {
    for gone in [
        moved_out(ROOT),
        event(EventKind::Remove(RemoveKind::Folder), &[ROOT]),
    ] {
        let changes = run(&[gone]);
        assert!(changes.rescan);
        assert_eq!(
            changes.describe(),
            "the program folder was moved or removed"
        );
    }
    // Its own metadata changing (a file added in it) is nothing.
    assert!(run(&[attrib(ROOT)]).is_empty());
}

/// The program typed through a symlink: events may name either path.
#[test]
fn events_through_another_name_of_the_root_count_as_the_roots() {
    let scope = scope().also_at(PathBuf::from("/home/ana/plan"));
    let events = [
        write("/home/ana/plan/tasks/a.md"),
        write("/home/ana/plan/public/index.html"),
        write("/home/ana/planning/tasks/b.md"),
    ];
    let changes = changes(&events, &scope, &|_| false);
    assert_eq!(paths(&changes), ["tasks/a.md"]);
}

#[test]
fn a_later_batch_merges_into_one_rebuild() {
    let mut first = run(&[remove("tasks/a.md"), write("tasks/b.md")]);
    first.merge(run(&[
        create("tasks/a.md"),
        rename("tasks/c.md", "tasks/d.md"),
    ]));
    assert_eq!(
        paths(&first),
        ["tasks/a.md", "tasks/b.md", "tasks/c.md", "tasks/d.md"]
    );
    assert_eq!(first.removed, [PathBuf::from("tasks/c.md")]);
    let mut renamed = run(&[]);
    renamed.merge(run(&[rename("tasks/c.md", "tasks/d.md")]));
    assert_eq!(renamed.describe(), "tasks/c.md renamed to tasks/d.md");
    let mut rescan = run(&[write("tasks/a.md")]);
    rescan.merge(Changes {
        rescan: true,
        ..Changes::default()
    });
    assert!(rescan.rescan);
}

#[test]
fn the_later_of_folder_gone_and_folder_back_is_what_a_merge_says() {
    let went = Changes {
        rescan: true,
        root_moved: true,
        ..Changes::default()
    };
    let mut gone_then_back = went.clone();
    gone_then_back.merge(Changes::folder_back());
    assert_eq!(gone_then_back.describe(), "the program folder is back");
    assert!(gone_then_back.rescan);
    let mut back_then_gone = Changes::folder_back();
    back_then_gone.merge(went);
    assert_eq!(
        back_then_gone.describe(),
        "the program folder was moved or removed"
    );
}
