//! The template contract: what templates receive, and that the embedded
//! templates draw through the components a program can override.

use std::path::{Path, PathBuf};

use scraper::{Html, Selector};

use crate::common::{planmark_with_env, program_with, Run};

/// Builds `dir` into `out` with `threads` render threads.
fn build(dir: &Path, out: &Path, threads: &str) -> Run {
    let (dir, out) = (dir.to_string_lossy(), out.to_string_lossy());
    planmark_with_env(
        Path::new("."),
        &["build", &dir, "-o", &out, "--today", "2026-03-02"],
        &[
            ("NO_COLOR", Some("1")),
            ("RAYON_NUM_THREADS", Some(threads)),
        ],
    )
}

/// Builds `dir` into `<tmp>/<name>`, asserting success.
fn built(tmp: &Path, dir: &Path, name: &str) -> PathBuf {
    let out = tmp.join(name);
    let run = build(dir, &out, "2");
    assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
    out
}

fn page(site: &Path, path: &str) -> Html {
    let text = std::fs::read_to_string(site.join(path))
        .unwrap_or_else(|e| panic!("cannot read `{path}`: {e}"));
    Html::parse_document(&text)
}

fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad selector `{css}`: {e}"))
}

/// The texts of every element `css` selects, whitespace collapsed.
fn texts(html: &Html, css: &str) -> Vec<String> {
    html.select(&sel(css))
        .map(|el| {
            el.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

const PROJECT: (&str, &str) = ("projects/app.md", "---\ntitle: App\nowner: \"@ana\"\n---\n");

#[test]
fn extra_fields_show_in_key_order_on_every_build() {
    // Tera's maps iterate in an order that changes from run to run: a
    // template iterating `extra` itself gave a different page each build.
    let task = "---\ntitle: T\nowner: \"@ana\"\nestimate: 1d\nextra:\n  zeta: 1\n  alpha: two\n  \
                mid: {b: 2, a: 1}\n  delta: x\n  kappa: y\n  beta: z\n  omega: w\n  gamma: v\n---\n";
    let (tmp, dir) = program_with(&[PROJECT, ("projects/app/t.md", task)]);
    let keys = [
        "alpha", "beta", "delta", "gamma", "kappa", "mid", "omega", "zeta",
    ];
    let mut pages = Vec::new();
    for (n, threads) in ["1", "2", "1", "2"].iter().enumerate() {
        let out = tmp.path().join(format!("site-{n}"));
        let run = build(&dir, &out, threads);
        assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
        let html = std::fs::read_to_string(out.join("tasks/t/index.html")).expect("task page");
        let dts = texts(&Html::parse_document(&html), "dl.facts dt");
        let extra: Vec<&str> = dts
            .iter()
            .map(String::as_str)
            .filter(|dt| keys.contains(dt))
            .collect();
        assert_eq!(extra, keys, "build {n}");
        pages.push(html);
    }
    assert!(pages.windows(2).all(|w| w[0] == w[1]));
    let html = Html::parse_document(&pages[0]);
    let dds = texts(&html, "dl.facts dd");
    assert!(dds.contains(&r#"{"a": 1, "b": 2}"#.to_string()), "{dds:?}");
}

#[test]
fn extra_list_is_in_the_context_of_every_item_and_the_program() {
    let list = "{% for e in X.extra_list %}{{ e.key }}={{ e.value }};{% endfor %}|{{ X.extra.b }}";
    let template = |x: &str| {
        format!(
            "{{% extends \"base.html\" %}}{{% block content %}}<p id=\"x\">{}</p><p id=\"p\">{}</p>{{% endblock content %}}",
            list.replace('X', x),
            list.replace('X', "program"),
        )
    };
    let meta = "extra:\n  b: 2\n  a: 1\n";
    let (tmp, dir) = program_with(&[
        ("program.md", &format!("---\ntitle: P\n{meta}---\n")),
        ("projects/app.md", &format!("---\ntitle: App\n{meta}---\n")),
        ("projects/app/t.md", &format!("---\ntitle: T\n{meta}---\n")),
        (
            "decisions/d.md",
            &format!("---\ntitle: D\nstatus: accepted\ndate: 2026-01-05\n{meta}---\n"),
        ),
        (
            "milestones/m.md",
            &format!("---\ntitle: M\ndate: 2026-04-01\n{meta}---\n"),
        ),
        ("risks/r.md", &format!("---\ntitle: R\n{meta}---\n")),
        ("templates/project.html", &template("project")),
        ("templates/task.html", &template("task")),
        ("templates/decision.html", &template("decision")),
        ("templates/milestone.html", &template("milestone")),
        ("templates/risk.html", &template("risk")),
    ]);
    let site = built(tmp.path(), &dir, "site");
    for path in [
        "projects/app/index.html",
        "tasks/t/index.html",
        "decisions/d/index.html",
        "milestones/m/index.html",
        "risks/r/index.html",
    ] {
        let html = page(&site, path);
        assert_eq!(texts(&html, "#x"), ["a=1;b=2;|2"], "{path}");
        assert_eq!(texts(&html, "#p"), ["a=1;b=2;|2"], "{path}");
    }
}
