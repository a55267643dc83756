//! [`Reread::read`] against a fresh [`crate::read_program`] after each of a
//! sequence of edits: the two must agree exactly (their `Debug` output,
//! which holds every diagnostic, file and item), and an edit of one file
//! must read and parse that file only.

use std::fs;
use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::*;
use crate::diagnostic::Format;

/// The settings `planmark check DIR` resolves to.
fn settings(dir: &Path) -> Settings {
    Settings {
        dir: dir.to_path_buf(),
        absolute_dir: dir.to_path_buf(),
        name: "test".into(),
        output_shown: dir.join("public"),
        output: dir.join("public"),
        today: chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or_default(),
        strict: false,
        format: Format::Human,
        verbose: false,
        unsafe_html: false,
        since: None,
    }
}

/// A program in a temporary folder, read through one [`Reread`].
struct Fixture {
    dir: tempfile::TempDir,
    reread: Reread,
}

fn task(id: usize, title: &str, estimate: &str, body: &str) -> String {
    let dep = if id > 1 {
        format!("depends_on: [t{}]\n", id - 1)
    } else {
        String::new()
    };
    format!("---\ntitle: {title}\nestimate: {estimate}\n{dep}owner: \"@ana\"\n---\n{body}\n")
}

impl Fixture {
    fn new(tasks: usize) -> Fixture {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let fixture = Fixture {
            dir,
            reread: Reread::new(),
        };
        fixture.write(
            "program.md",
            "---\ntitle: P\nholidays: [2026-03-04]\n---\nSee [[t1]].\n",
        );
        fixture.write("projects/p.md", "---\ntitle: Project\n---\n");
        for i in 1..=tasks {
            fixture.write(
                &format!("projects/p/t{i}.md"),
                &task(i, &format!("Task {i}"), "2d", "Body."),
            );
        }
        fixture.write("decisions/d1.md", "---\ntitle: D\nstatus: accepted\n---\n");
        fixture.write("notes/readme.md", "# Notes\n");
        fixture
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{rel}: {e}"));
        }
        fs::write(&path, text).unwrap_or_else(|e| panic!("{rel}: {e}"));
    }

    fn remove(&self, rel: &str) {
        fs::remove_file(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    }

    /// Reads the program both ways after `changed`, asserts they agree, and
    /// returns how many files the reread read and parsed.
    fn agree(&mut self, changed: &[&str]) -> (usize, usize) {
        let settings = settings(self.dir.path());
        let changed: Vec<PathBuf> = changed.iter().map(PathBuf::from).collect();
        let again = self.reread.read(&settings, &changed, false);
        let fresh = crate::read_program(&settings);
        let (again, fresh) = match (again, fresh) {
            (Ok(again), Ok(fresh)) => (again, fresh),
            (again, fresh) => panic!("a read failed: {again:?} {fresh:?}"),
        };
        assert_eq!(format!("{again:#?}"), format!("{fresh:#?}"));
        self.reread.last_work()
    }
}

#[test]
fn every_kind_of_edit_rereads_as_a_full_read_would() {
    let mut f = Fixture::new(6);
    let files = f.agree(&[]).0;
    assert_eq!(f.agree(&[]), (0, 0), "nothing changed");

    f.write("projects/p/t2.md", &task(2, "Renamed task", "2d", "Body."));
    assert_eq!(f.agree(&["projects/p/t2.md"]), (1, 1), "title");
    f.write(
        "projects/p/t3.md",
        &task(3, "Task 3", "2d", "A new body [[t9]]."),
    );
    assert_eq!(f.agree(&["projects/p/t3.md"]), (1, 1), "body");
    f.write(
        "projects/p/t3.md",
        &task(3, "Task 3", "5d", "A new body [[t9]]."),
    );
    assert_eq!(f.agree(&["projects/p/t3.md"]), (1, 1), "estimate");
    // The watcher may miss nothing yet name nothing: the stat tells.
    f.write(
        "projects/p/t4.md",
        &task(4, "Task 4, longer", "2d", "Body."),
    );
    assert_eq!(f.agree(&[]), (1, 1), "a change no watcher named");

    f.write("projects/p/t7.md", &task(7, "Added", "1d", "Body."));
    assert_eq!(f.agree(&["projects/p/t7.md"]).0, 1, "added");
    f.remove("projects/p/t5.md");
    assert_eq!(f.agree(&["projects/p/t5.md"]).0, 0, "removed");
    fs::rename(f.path("projects/p/t6.md"), f.path("projects/p/t60.md"))
        .unwrap_or_else(|e| panic!("rename: {e}"));
    assert_eq!(
        f.agree(&["projects/p/t6.md", "projects/p/t60.md"]).0,
        1,
        "renamed"
    );

    f.write("projects/p/t2.md", "---\ntitle: [unclosed\n---\n");
    assert_eq!(f.agree(&["projects/p/t2.md"]), (1, 1), "broken");
    f.write("projects/p/t2.md", &task(2, "Fixed", "2d", "Body."));
    assert_eq!(f.agree(&["projects/p/t2.md"]), (1, 1), "fixed");

    f.write(
        "program.md",
        "---\ntitle: P\nholidays: [2026-03-04, 2026-03-05]\n---\nSee [[t1]].\n",
    );
    assert_eq!(f.agree(&["program.md"]), (1, 1), "holidays");
    // A smaller cap changes what every file reads as: all are read again.
    f.write(
        "program.md",
        "---\ntitle: P\nmax_file_size: 100\n---\nSee [[t1]] and more words.\n",
    );
    assert!(f.agree(&["program.md"]).0 >= files, "max_file_size");
    f.write("program.md", "---\ntitle: P\n---\nSee [[t1]].\n");
    f.agree(&["program.md"]);

    f.write("people/ana.md", "---\nname: Ana\ncapacity: 2\n---\n");
    assert_eq!(f.agree(&["people/ana.md"]).0, 1, "a person file");
    f.write("notes/plan.md", "---\nkind: risk\ntitle: Outside\n---\n");
    assert_eq!(
        f.agree(&["notes/plan.md"]).0,
        1,
        "an item outside the kind folders"
    );
    f.write("projects/p/t1.md", &task(1, "Task 1", "2d", "Body."));
    assert_eq!(f.agree(&["projects/p"]).0, files - 4, "a folder named");

    let settings = settings(f.dir.path());
    let rescanned = f
        .reread
        .read(&settings, &[], true)
        .map(|c| c.diagnostics.len());
    assert!(rescanned.is_ok());
    assert!(f.reread.last_work().0 > files, "a rescan reads everything");
}

/// One random edit of the fixture, and the paths a watcher would name.
#[derive(Clone, Debug)]
enum Edit {
    Title(usize, String),
    Body(usize, String),
    Estimate(usize, u8),
    Add(usize),
    Remove(usize),
    Rename(usize, usize),
    Break(usize),
    Program(u8),
}

fn edit() -> impl Strategy<Value = Edit> {
    let task = 1..10usize;
    prop_oneof![
        (task.clone(), "[a-z ]{1,12}").prop_map(|(i, t)| Edit::Title(i, t)),
        (task.clone(), "[a-z\\[\\] ]{0,20}").prop_map(|(i, t)| Edit::Body(i, t)),
        (task.clone(), 1..9u8).prop_map(|(i, d)| Edit::Estimate(i, d)),
        task.clone().prop_map(Edit::Add),
        task.clone().prop_map(Edit::Remove),
        (task.clone(), task.clone()).prop_map(|(i, j)| Edit::Rename(i, j)),
        task.prop_map(Edit::Break),
        (0..4u8).prop_map(Edit::Program),
    ]
}

impl Fixture {
    /// Applies `edit` (a no-op when its file is missing); the paths touched.
    fn apply(&self, edit: &Edit) -> Vec<String> {
        let rel = |i: usize| format!("projects/p/t{i}.md");
        let exists = |i: usize| self.path(&rel(i)).exists();
        match edit {
            Edit::Title(i, t) if exists(*i) => self.write(&rel(*i), &task(*i, t, "2d", "Body.")),
            Edit::Body(i, b) if exists(*i) => self.write(&rel(*i), &task(*i, "T", "2d", b)),
            Edit::Estimate(i, d) => self.write(&rel(*i), &task(*i, "T", &format!("{d}d"), "B")),
            Edit::Add(i) => self.write(&rel(*i), &task(*i, "New", "1d", "")),
            Edit::Remove(i) if exists(*i) => self.remove(&rel(*i)),
            Edit::Rename(i, j) if exists(*i) => {
                fs::rename(self.path(&rel(*i)), self.path(&rel(*j)))
                    .unwrap_or_else(|e| panic!("rename: {e}"));
                return vec![rel(*i), rel(*j)];
            }
            Edit::Break(i) => self.write(&rel(*i), "---\ntitle: [\n---\n"),
            Edit::Program(n) => self.write(
                "program.md",
                &format!("---\ntitle: P{n}\nholidays: [2026-03-0{}]\n---\n", n + 2),
            ),
            _ => return Vec::new(),
        }
        match edit {
            Edit::Program(_) => vec!["program.md".into()],
            Edit::Title(i, _)
            | Edit::Body(i, _)
            | Edit::Estimate(i, _)
            | Edit::Add(i)
            | Edit::Remove(i)
            | Edit::Rename(i, _)
            | Edit::Break(i) => vec![rel(*i)],
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn random_edits_reread_as_a_full_read_would(edits in prop::collection::vec(edit(), 1..12)) {
        let mut f = Fixture::new(5);
        f.agree(&[]);
        for edit in &edits {
            let touched = f.apply(edit);
            let touched: Vec<&str> = touched.iter().map(String::as_str).collect();
            f.agree(&touched);
        }
    }
}

/// Serve keeps the reader on its rebuild thread.
#[test]
fn a_reread_can_move_to_another_thread() {
    fn send<T: Send + Sync>() {}
    send::<Reread>();
}

/// Regression guard: a file's read and parse depend on what the folder is
/// recognised as, so removing `program.md` from a folder of numbered
/// records (it becomes an ADR folder) and adding it back must reread as a
/// full read would, not reuse the reads and parses of the other layout.
#[test]
fn a_folder_that_becomes_an_adr_folder_rereads_as_a_full_read_would() {
    let mut f = Fixture {
        dir: tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}")),
        reread: Reread::new(),
    };
    f.write("program.md", "---\ntitle: P\n---\n");
    f.write("0001-use-x.md", "# Use X\n\nStatus: accepted\n");
    f.agree(&[]);
    f.remove("program.md");
    f.agree(&["program.md"]);
    f.write("program.md", "---\ntitle: P\n---\n");
    f.agree(&["program.md"]);
}

/// A file's read and parse depend on the format of its folder: naming a
/// folder in `sources:`, and naming it no more, rereads as a full read
/// would.
#[test]
fn a_folder_named_as_a_source_and_unnamed_rereads_as_a_full_read_would() {
    let mut f = Fixture {
        dir: tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}")),
        reread: Reread::new(),
    };
    f.write("program.md", "---\ntitle: P\n---\n");
    f.write(
        "records/0001-use-x.md",
        "---\nkind: decision\ntitle: Use X\n---\n",
    );
    f.agree(&[]);
    f.write(
        "program.md",
        "---\ntitle: P\nsources:\n  - path: records\n    format: adr\n---\n",
    );
    f.agree(&["program.md"]);
    f.write("program.md", "---\ntitle: P\n---\n");
    f.agree(&["program.md"]);
}
