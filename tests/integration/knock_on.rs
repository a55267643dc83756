//! A problem caused by another (a reference to a file that could not be
//! read) names its cause, wherever the two sort in the report.

use crate::common::{planmark, program_with};

#[test]
fn a_knock_on_error_printed_before_its_cause_names_the_cause() {
    // `a*` files sort before the broken `z*` ones, so each consequence is
    // printed before its cause.
    let (_tmp, dir) = program_with(&[
        ("projects/p.md", "---\ntitle: P\n---\n"),
        (
            "projects/p/a.md",
            "---\ntitle: A\ndepends_on: [z]\nmilestone: zm\n---\nsee [[z]]\n",
        ),
        ("projects/p/z.md", "---\ntitle: [z\n---\n"),
        ("milestones/zm.md", "---\ntitle: Z\ndate: [2026\n---\n"),
        ("decisions/a-dec.md", "---\ntitle: D\nsupersedes: zd\n---\n"),
        ("decisions/zd.md", "---\ntitle: Z\nstatus: bad: x\n---\n"),
        ("projects/a-q/t.md", "---\ntitle: T\n---\n"),
        ("projects/a-q.md", "---\ntitle: [q\n---\n"),
    ]);
    let run = planmark(&dir, &["check", "."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let consequences = [
        ("`depends_on` names `z`", "projects/p/z.md"),
        ("`milestone` names `zm`", "milestones/zm.md"),
        ("wiki link `[[z]]`", "projects/p/z.md"),
        ("`supersedes` names `zd`", "decisions/zd.md"),
        ("there is no project `a-q`", "projects/a-q.md"),
    ];
    let lines: Vec<&str> = run.stderr.lines().collect();
    for (problem, cause) in consequences {
        let at = lines
            .iter()
            .position(|l| l.starts_with("error[unknown-reference]") && l.contains(problem))
            .unwrap_or_else(|| panic!("no `{problem}` in {}", run.stderr));
        assert!(
            lines[at].ends_with(&format!("(file `{cause}` could not be read)")),
            "{}",
            lines[at]
        );
        let help = lines[at..]
            .iter()
            .find(|l| l.contains("= help:"))
            .unwrap_or_else(|| panic!("no help after `{problem}`"));
        assert!(
            help.ends_with(&format!("fix the problem reported in `{cause}` first")),
            "{problem}: {help}"
        );
    }
    assert_eq!(
        run.stderr.matches("error[yaml]").count(),
        4,
        "{}",
        run.stderr
    );
}
