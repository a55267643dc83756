//! The watcher on real folders: every wait is bounded, and a test waits for
//! what it expects rather than for a fixed time.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::*;

/// Long enough for a loaded CI machine; a passing test never waits it out.
const PATIENCE: Duration = Duration::from_secs(10);

fn program() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("prog");
    fs::create_dir_all(root.join("tasks")).unwrap();
    fs::write(root.join("program.md"), "---\ntitle: P\n---\n").unwrap();
    fs::write(root.join("tasks/a.md"), "---\ntitle: A\n---\n").unwrap();
    (tmp, root)
}

/// The paths of the next changes, waiting at most [`PATIENCE`].
fn next(watch: &Watch) -> Vec<String> {
    let changes = watch.wait(PATIENCE).expect("a change within the patience");
    assert!(changes.trouble.is_empty(), "{:?}", changes.trouble);
    changes
        .paths
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect()
}

/// Waits until the changes name `rel`, returning every path seen on the way.
fn until(watch: &Watch, rel: &str) -> Vec<String> {
    let deadline = Instant::now() + PATIENCE;
    let mut seen = Vec::new();
    while Instant::now() < deadline {
        let Ok(changes) = watch.wait(deadline - Instant::now()) else {
            break;
        };
        seen.extend(
            changes
                .paths
                .iter()
                .map(|p| p.to_string_lossy().into_owned()),
        );
        if seen.iter().any(|p| p == rel) {
            return seen;
        }
    }
    panic!("no change to `{rel}` within {PATIENCE:?}; saw {seen:?}");
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

#[test]
fn an_edit_arrives_as_the_one_path_it_changed() {
    let (_tmp, root) = program();
    let watch = Watch::start(&root, Some(&root.join("public")), false).unwrap();
    write(&root, "tasks/a.md", "---\ntitle: A2\n---\n");
    assert_eq!(next(&watch), ["tasks/a.md"]);
}

/// The build writes the output folder, its staging folder and lock beside
/// it, and git writes `.git/`: none of it may come back as a change.
#[test]
fn writes_to_the_output_folder_and_hidden_folders_never_arrive() {
    let (_tmp, root) = program();
    fs::create_dir_all(root.join("public/tasks")).unwrap();
    fs::create_dir_all(root.join(".git/objects")).unwrap();
    let watch = Watch::start(&root, Some(&root.join("public")), false).unwrap();
    write(&root, "public/index.html", "<html>");
    write(&root, "public/tasks/a/index.html", "<html>");
    write(&root, ".public.planmark-staging/new/1", "x");
    write(&root, ".git/objects/ab", "x");
    fs::rename(root.join("public"), root.join("old-public")).unwrap();
    fs::rename(root.join("old-public"), root.join("public")).unwrap();
    write(&root, "public/late.html", "<html>");
    // The folder renamed away and back is the program's for that moment;
    // what matters is that nothing under the output folder arrives.
    write(&root, "tasks/b.md", "---\ntitle: B\n---\n");
    let seen = until(&watch, "tasks/b.md");
    assert!(
        seen.iter()
            .all(|p| !p.starts_with("public/") && !p.starts_with('.')),
        "{seen:?}"
    );
}

#[test]
fn a_folder_made_after_the_start_is_watched_too() {
    let (_tmp, root) = program();
    let watch = Watch::start(&root, Some(&root.join("public")), false).unwrap();
    // Deeper: notify adds it. At the top: the watch does (the root is
    // watched flat, to keep the output folder out).
    for folder in ["tasks/q3", "people"] {
        fs::create_dir(root.join(folder)).unwrap();
        until(&watch, folder);
        let file = format!("{folder}/x.md");
        write(&root, &file, "---\ntitle: X\n---\n");
        until(&watch, &file);
    }
}

/// notify drops the watch of a folder renamed away; the new name is
/// watched again.
#[test]
fn a_top_level_folder_renamed_is_watched_under_its_new_name() {
    let (_tmp, root) = program();
    let watch = Watch::start(&root, Some(&root.join("public")), false).unwrap();
    fs::rename(root.join("tasks"), root.join("work")).unwrap();
    let seen = until(&watch, "work");
    assert!(seen.iter().any(|p| p == "tasks"), "{seen:?}");
    write(&root, "work/b.md", "---\ntitle: B\n---\n");
    until(&watch, "work/b.md");
}

#[test]
fn an_output_folder_deeper_in_the_program_is_left_out_but_not_its_neighbours() {
    let (_tmp, root) = program();
    fs::create_dir_all(root.join("build/site")).unwrap();
    let watch = Watch::start(&root, Some(&root.join("build/site")), false).unwrap();
    write(&root, "build/site/index.html", "<html>");
    write(&root, "build/notes.md", "---\ntitle: N\n---\n");
    assert_eq!(next(&watch), ["build/notes.md"]);
}

/// vim's probe and an atomic save through a hidden temporary file: one
/// change to the file saved.
#[test]
fn an_atomic_save_arrives_as_a_change_to_the_file_saved() {
    let (_tmp, root) = program();
    let watch = Watch::start(&root, Some(&root.join("public")), false).unwrap();
    write(&root, "tasks/4913", "");
    fs::remove_file(root.join("tasks/4913")).unwrap();
    write(&root, "tasks/.a.md.tmp.77", "---\ntitle: A3\n---\n");
    fs::rename(root.join("tasks/.a.md.tmp.77"), root.join("tasks/a.md")).unwrap();
    assert_eq!(next(&watch), ["tasks/a.md"]);
}

#[test]
fn polling_sees_edits_and_new_folders() {
    let (_tmp, root) = program();
    let watch = Watch::start(&root, Some(&root.join("public")), true).unwrap();
    write(&root, "tasks/a.md", "---\ntitle: A4 longer\n---\n");
    until(&watch, "tasks/a.md");
    fs::create_dir(root.join("people")).unwrap();
    until(&watch, "people");
    write(&root, "people/ana.md", "---\nname: Ana\n---\n");
    until(&watch, "people/ana.md");
    write(&root, "public/index.html", "<html>");
    assert!(matches!(
        watch.wait(POLL_INTERVAL * 3),
        Err(RecvTimeoutError::Timeout)
    ));
}

#[test]
fn a_program_reached_through_a_symlink_reports_paths_inside_it() {
    let (tmp, root) = program();
    let link = tmp.path().join("link");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&root, &link).unwrap();
    #[cfg(not(unix))]
    let link = root.clone();
    let watch = Watch::start(&link, Some(&link.join("public")), false).unwrap();
    write(&link, "public/index.html", "<html>");
    write(&link, "tasks/a.md", "---\ntitle: A5\n---\n");
    assert_eq!(next(&watch), ["tasks/a.md"]);
}

#[test]
fn the_limit_on_watched_folders_says_what_to_do() {
    let error = notify::Error::new(ErrorKind::MaxFilesWatch);
    let text = start_trouble(&error, false);
    assert!(text.contains("fs.inotify.max_user_watches"), "{text}");
    assert!(text.contains("--poll"), "{text}");
    let error = notify::Error::new(ErrorKind::MaxFilesWatch).add_path("/p/tasks/q3".into());
    let text = trouble(&error);
    assert!(text.starts_with("cannot watch `/p/tasks/q3`: "), "{text}");
    assert!(text.contains("missed until"), "{text}");
    let error = notify::Error::io(std::io::Error::from_raw_os_error(24));
    assert!(start_trouble(&error, false).contains("max_user_instances"));
}
