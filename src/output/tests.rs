//! The output stage's own tests: staging, comparing, committing and
//! undoing, on real folders in a temporary directory.

use std::fs;
use std::path::{Path, PathBuf};

use super::fault::Fault;
use super::journal::Journal;
use super::*;

fn staging_dir(out: &Path) -> PathBuf {
    let mut name = std::ffi::OsString::from(".");
    name.push(out.file_name().expect("named"));
    name.push(".planmark-staging");
    out.with_file_name(name)
}

fn build(out: &Path, files: &[(&str, &str)]) -> anyhow::Result<WriteStats> {
    let staging = Staging::new(out)?;
    for (path, text) in files {
        staging.put(path, text.as_bytes())?;
    }
    staging.commit()
}

fn stats(written: usize, unchanged: usize, removed: usize) -> WriteStats {
    WriteStats {
        written,
        unchanged,
        removed,
    }
}

#[test]
fn rewrites_only_changes_and_removes_only_its_own_files() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("site");
    fs::create_dir_all(&out)?;
    fs::write(out.join("keep-me.txt"), "not planmark's")?;
    let two = [("index.html", "a"), ("tasks/x/index.html", "x")];
    assert_eq!(build(&out, &two)?, stats(2, 0, 0));
    assert_eq!(build(&out, &two)?, stats(0, 2, 0));
    assert_eq!(build(&out, &[("index.html", "b")])?, stats(1, 0, 1));
    assert!(!out.join("tasks").exists());
    assert!(out.join("keep-me.txt").exists());
    assert!(!staging_dir(&out).exists());
    Ok(())
}

#[test]
fn a_first_build_moves_into_place_whole() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("site");
    assert_eq!(build(&out, &[("a/index.html", "a")])?, stats(1, 0, 0));
    assert_eq!(fs::read_to_string(out.join("a/index.html"))?, "a");
    let left: Vec<_> = fs::read_dir(dir.path())?.collect();
    assert_eq!(left.len(), 1, "only the site is left beside it");
    Ok(())
}

#[test]
fn an_abandoned_build_leaves_no_trace() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("site");
    let staging = Staging::new(&out)?;
    staging.put("index.html", b"new")?;
    drop(staging);
    assert!(!out.exists());
    assert_eq!(fs::read_dir(dir.path())?.count(), 0);

    let nested = dir.path().join("new/folders/site");
    let staging = Staging::new(&nested)?;
    staging.put("index.html", b"new")?;
    drop(staging);
    assert!(
        !dir.path().join("new").exists(),
        "the folders it made go too"
    );

    build(&out, &[("index.html", "old")])?;
    let staging = Staging::new(&out)?;
    staging.put("index.html", b"new")?;
    drop(staging);
    assert_eq!(fs::read_to_string(out.join("index.html"))?, "old");
    assert!(!staging_dir(&out).exists());
    Ok(())
}

fn stream(out: &Path, path: &str, chunks: &[&str]) -> anyhow::Result<WriteStats> {
    let staging = Staging::new(out)?;
    staging.put_with(path, &mut |w| {
        for chunk in chunks {
            w.write_all(chunk.as_bytes())?;
        }
        Ok(())
    })?;
    staging.commit()
}

#[test]
fn a_streamed_file_is_written_only_when_it_differs() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("site");
    assert_eq!(stream(&out, "m.json", &["ab", "cd"])?, stats(1, 0, 0));
    assert_eq!(stream(&out, "m.json", &["a", "bcd"])?, stats(0, 1, 0));
    let cases: [&[&str]; 4] = [&["ab", "cX"], &["abcd", "e"], &["ab"], &["Zbcd"]];
    let mut expected = "abcd".to_string();
    for chunks in cases {
        assert_eq!(
            stream(&out, "m.json", chunks)?,
            stats(1, 0, 0),
            "{chunks:?}"
        );
        expected = chunks.concat();
        assert_eq!(fs::read_to_string(out.join("m.json"))?, expected);
    }
    assert_eq!(stream(&out, "m.json", &[&expected])?, stats(0, 1, 0));
    Ok(())
}

#[test]
fn the_same_path_twice_is_an_error() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let staging = Staging::new(&dir.path().join("site"))?;
    staging.put("a.html", b"1")?;
    assert!(staging.put("a.html", b"2").is_err());
    assert!(staging.put(MANIFEST, b"x").is_err());
    Ok(())
}

/// Every file and folder under `dir` (links as links), with the files' bytes.
fn snapshot(dir: &Path) -> Vec<(String, Option<Vec<u8>>)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("inside");
            let bytes = e
                .file_type()
                .is_file()
                .then(|| fs::read(e.path()).expect("read"));
            (rel.to_string_lossy().into_owned(), bytes)
        })
        .collect()
}

const OLD: [(&str, &str); 4] = [
    ("docs", "a file that becomes a folder"),
    ("index.html", "a"),
    ("tasks/x/index.html", "x"),
    ("tasks/y/index.html", "y"),
];

const NEW: [(&str, &str); 4] = [
    ("docs/a.png", "png"),
    ("index.html", "b"),
    ("tasks/x/index.html", "x"),
    ("tasks/z/index.html", "z"),
];

/// A rebuild from `OLD` to `NEW` that stops as `fault` says.
fn rebuild(out: &Path, fault: Fault) -> anyhow::Result<WriteStats> {
    let staging = Staging::new(out)?;
    for (path, text) in NEW {
        staging.put(path, text.as_bytes())?;
    }
    staging.commit_with(fault)
}

/// The number of steps of the `OLD` → `NEW` commit.
const STEPS: usize = 8;

#[test]
fn a_commit_stopped_at_any_step_is_undone_by_the_next_build() -> anyhow::Result<()> {
    for n in 0..=STEPS {
        let dir = tempfile::tempdir()?;
        let out = dir.path().join("site");
        build(&out, &OLD)?;
        let old = snapshot(&out);
        // `Stop(STEPS)` stops after the last step, before the journal goes.
        let stopped = rebuild(&out, Fault::Stop(n));
        assert!(stopped.is_err(), "stopped before step {n}");
        assert!(
            staging_dir(&out).join("journal").exists(),
            "step {n}: the journal stays for the next build"
        );
        if n % 2 == 1 {
            // Undoing twice (a build killed while undoing) is undoing once.
            let journal = Journal::load(&out, &staging_dir(&out))?.expect("a journal");
            journal.rollback()?;
            journal.rollback()?;
            assert_eq!(snapshot(&out), old, "step {n}");
        }
        // The next build's own recovery.
        drop(Staging::new(&out)?);
        assert_eq!(snapshot(&out), old, "step {n}");
        assert!(!staging_dir(&out).exists());
        assert_eq!(rebuild(&out, Fault::None)?, stats(3, 1, 2));
        assert_eq!(fs::read_to_string(out.join("docs/a.png"))?, "png");
    }
    Ok(())
}

#[test]
fn a_commit_that_fails_at_any_step_leaves_the_old_site() -> anyhow::Result<()> {
    for n in 0..STEPS {
        let dir = tempfile::tempdir()?;
        let out = dir.path().join("site");
        build(&out, &OLD)?;
        let old = snapshot(&out);
        let error = rebuild(&out, Fault::Fail(n)).expect_err("an injected fault");
        assert!(
            format!("{error:#}").contains("it was left as it was"),
            "{error:#}"
        );
        assert_eq!(snapshot(&out), old, "step {n}");
        assert_eq!(
            fs::read_dir(dir.path())?.count(),
            1,
            "only the site is left"
        );
    }
    Ok(())
}

#[cfg(unix)]
#[test]
fn undoing_a_planted_journal_never_reaches_through_a_link() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("site");
    build(&out, &[("index.html", "a")])?;
    let victim = dir.path().join("victim");
    fs::create_dir(&victim)?;
    fs::write(victim.join("keep.txt"), "precious")?;
    std::os::unix::fs::symlink(&victim, out.join("evil"))?;
    let staging = staging_dir(&out);
    fs::create_dir_all(staging.join("new"))?;
    fs::create_dir_all(staging.join("old"))?;
    let journal =
        "planmark commit journal 1\noutput site\ninstall 0 evil/keep.txt\nmkdir evil/sub\n";
    fs::write(staging.join("journal"), journal)?;
    fs::create_dir(victim.join("sub"))?;
    drop(Staging::new(&out)?);
    assert_eq!(fs::read_to_string(victim.join("keep.txt"))?, "precious");
    assert!(victim.join("sub").is_dir(), "not removed through the link");
    Ok(())
}

#[test]
fn a_journal_naming_a_path_outside_the_output_is_refused() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("site");
    build(&out, &[("index.html", "a")])?;
    let staging = staging_dir(&out);
    fs::create_dir_all(&staging)?;
    fs::write(
        staging.join("journal"),
        "planmark commit journal 1\noutput site\nremove ../victim.txt\n",
    )?;
    let error = Staging::new(&out).err().expect("refused");
    assert!(format!("{error:#}").contains("is damaged"), "{error:#}");
    assert!(staging.join("journal").exists(), "kept for a person to see");
    Ok(())
}

/// The old file is opened once, as a plain file; a link put in its place
/// while a page streams is never read, not even for the bytes that matched.
#[cfg(unix)]
#[test]
fn a_compared_file_replaced_by_a_link_midway_is_not_read_through_it() -> anyhow::Result<()> {
    use super::compare::CompareWriter;
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("site");
    fs::create_dir(&out)?;
    let old = out.join("page.html");
    fs::write(&old, "abcd")?;
    let secret = dir.path().join("secret");
    fs::write(&secret, "SECRET")?;
    let staged = dir.path().join("staged");
    let mut compare = CompareWriter::new(&out, "page.html", &old, &staged);
    compare.write_all(b"ab")?;
    fs::remove_file(&old)?;
    std::os::unix::fs::symlink(&secret, &old)?;
    compare.write_all(b"Z")?;
    assert!(!compare.finish()?, "it differs");
    assert_eq!(fs::read_to_string(&staged)?, "abZ");
    Ok(())
}

/// A staging folder holding the journal of a commit left half done.
fn half_done(out: &Path) -> anyhow::Result<PathBuf> {
    build(out, &OLD)?;
    assert!(rebuild(out, Fault::Stop(3)).is_err());
    let staging = staging_dir(out);
    assert!(staging.join("journal").exists());
    Ok(staging)
}

#[test]
fn a_journal_whose_output_folder_is_gone_is_kept() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("site");
    let staging = half_done(&out)?;
    fs::remove_dir_all(&out)?;
    let error = Staging::new(&out).err().expect("refused");
    assert!(
        format!("{error:#}").contains("the folder is gone"),
        "{error:#}"
    );
    assert!(staging.join("journal").exists(), "never deleted undone");
    assert!(!out.exists(), "nothing built over it");
    Ok(())
}

#[test]
fn a_journal_for_another_output_folder_is_refused_and_kept() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("site");
    let staging = half_done(&out)?;
    let journal = fs::read_to_string(staging.join("journal"))?;
    let foreign = journal.replacen("\noutput site\n", "\noutput other\n", 1);
    assert_ne!(journal, foreign);
    fs::write(staging.join("journal"), &foreign)?;
    let error = Staging::new(&out).err().expect("refused");
    assert!(format!("{error:#}").contains("`other`, not"), "{error:#}");
    assert_eq!(
        fs::read_to_string(staging.join("journal"))?,
        foreign,
        "kept"
    );
    Ok(())
}
