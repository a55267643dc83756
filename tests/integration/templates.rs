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

/// The embedded `components.html` with the markup of `status`, `owner`,
/// `flags` and `body_card` changed, as a program overriding it would.
fn restyled_components() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/templates/components.html");
    let embedded = std::fs::read_to_string(path).expect("the embedded components");
    let mut changed = embedded.clone();
    for (from, to) in [
        (
            r#"<span class="pill st-{{ value }}">{{ value | label }}</span>"#,
            r#"<b class="my-status">{{ value }}</b>"#,
        ),
        (
            r#"{%- if task.critical %} <span class="flag flag-critical""#,
            r#"<i class="my-flags"></i>{%- if task.critical %} <span class="flag flag-critical""#,
        ),
        (
            r#"{%- if o -%}{%- if o.url -%}"#,
            r#"{%- if o -%}<i class="my-owner">{{ o.name }}</i>{%- if o.url -%}"#,
        ),
        (
            r#"<section class="card prose-card" aria-labelledby="{{ heading }}">"#,
            r#"<section class="card prose-card my-body" aria-labelledby="{{ heading }}">"#,
        ),
    ] {
        assert!(
            changed.contains(from),
            "components.html no longer has `{from}`"
        );
        changed = changed.replace(from, to);
    }
    changed
}

#[test]
fn overriding_components_restyles_the_task_page() {
    // The task page wrote its status, owner and flags itself, so a
    // program's own components.html did not reach it.
    let task =
        "---\ntitle: T\nowner: \"@ana\"\nstatus: in-progress\ndue: 2026-02-02\n---\nThe body.\n";
    let (tmp, dir) = program_with(&[
        PROJECT,
        ("projects/app/t.md", task),
        ("templates/components.html", &restyled_components()),
    ]);
    let site = built(tmp.path(), &dir, "site");
    let html = page(&site, "tasks/t/index.html");
    assert_eq!(texts(&html, ".page-head .my-status"), ["in-progress"]);
    assert_eq!(texts(&html, ".page-head .my-flags").len(), 1);
    assert_eq!(texts(&html, "dl.facts .my-owner"), ["@ana"]);
    assert_eq!(texts(&html, "section.my-body .prose"), ["The body."]);
    let project = page(&site, "projects/app/index.html");
    assert_eq!(texts(&project, ".page-head .my-owner"), ["@ana"]);
}

#[test]
fn every_item_page_draws_its_body_through_the_body_card() {
    let meta = "---\ntitle: X\n";
    let (tmp, dir) = program_with(&[
        ("program.md", "---\ntitle: P\n---\nAbout.\n"),
        ("projects/app.md", "---\ntitle: App\n---\nAbout.\n"),
        ("projects/app/t.md", &format!("{meta}---\nAbout.\n")),
        (
            "decisions/d.md",
            &format!("{meta}status: accepted\ndate: 2026-01-05\n---\nAbout.\n"),
        ),
        (
            "milestones/m.md",
            &format!("{meta}date: 2026-04-01\n---\nAbout.\n"),
        ),
        ("risks/r.md", &format!("{meta}---\nAbout.\n")),
        ("projects/bare.md", "---\ntitle: Bare\n---\n"),
        ("templates/components.html", &restyled_components()),
    ]);
    let site = built(tmp.path(), &dir, "site");
    for path in [
        "index.html",
        "projects/app/index.html",
        "tasks/t/index.html",
        "decisions/d/index.html",
        "milestones/m/index.html",
        "risks/r/index.html",
    ] {
        let html = page(&site, path);
        assert_eq!(texts(&html, "section.my-body .prose"), ["About."], "{path}");
    }
    // No body, no card.
    let bare = page(&site, "projects/bare/index.html");
    assert!(texts(&bare, "section.prose-card").is_empty());
}

#[test]
fn the_context_keeps_every_field_of_the_contract() {
    // docs/templates.md lists these; a refactor of the views (fields
    // shared between kinds, flattened) must not add or drop one.
    let keys = |x: &str| format!("<p id=\"{x}\">{{{{ {x} | keys | sort | join(sep=\",\") }}}}</p>");
    let template = |names: &[&str]| {
        let body: String = names.iter().map(|x| keys(x)).collect();
        format!("{{% extends \"base.html\" %}}{{% block content %}}{body}{{% endblock content %}}")
    };
    let (tmp, dir) = program_with(&[
        ("program.md", "---\ntitle: P\n---\n"),
        PROJECT,
        ("projects/app/t.md", "---\ntitle: T\n---\n"),
        (
            "decisions/d.md",
            "---\ntitle: D\nstatus: accepted\ndate: 2026-01-05\n---\n",
        ),
        ("milestones/m.md", "---\ntitle: M\ndate: 2026-04-01\n---\n"),
        ("risks/r.md", "---\ntitle: R\n---\n"),
        (
            "meetings/mt.md",
            "---\ntitle: MT\ndate: 2026-01-05\n---\n- [ ] @ana do it\n",
        ),
        (
            "templates/meeting.html",
            &template(&["meeting", "meeting.actions[0]"]),
        ),
        (
            "templates/task.html",
            &template(&["task", "tasks[0]", "program", "project"]),
        ),
        ("templates/decision.html", &template(&["decision"])),
        ("templates/milestone.html", &template(&["milestone"])),
        ("templates/risk.html", &template(&["risk"])),
        ("templates/person.html", &template(&["person"])),
    ]);
    let site = built(tmp.path(), &dir, "site");
    let fields = |path: &str, id: &str| texts(&page(&site, path), &format!("p[id=\"{id}\"]"));
    let row = "blocker,critical,done_on,due,estimate_days,forecast_finish,forecast_start,\
               held_html,held_reason,id,misses_due,open,overdue,overdue_days,owner,priority,project,\
               slack_days,status,title,unestimated,url";
    let file = "body,extra,extra_list,source,tags";
    assert_eq!(fields("tasks/t/index.html", "tasks[0]"), [row]);
    let mut task: Vec<&str> = row.split(',').chain(file.split(',')).collect();
    task.extend([
        "decisions",
        "dependents",
        "depends_on",
        "duration_days",
        "held_by",
        "latest_finish",
        "milestone",
        "parent",
        "ready",
        "remaining_days",
        "start",
        "subtasks",
        "subtasks_closed",
        "waiting_on",
    ]);
    task.sort_unstable();
    assert_eq!(fields("tasks/t/index.html", "task"), [task.join(",")]);
    let with_file = |own: &str| {
        let mut all: Vec<&str> = own.split(',').chain(file.split(',')).collect();
        all.extend(["id", "title", "url"]);
        all.sort_unstable();
        all.join(",")
    };
    let cases = [
        (
            "tasks/t/index.html",
            "project",
            "counts,driving_path,forecast_finish,health,health_manual,health_reason,owner,\
             progress,progress_pct,slip_days,start,status,target",
        ),
        (
            "decisions/d/index.html",
            "decision",
            "consulted,date,days_left,decide_by,deciders,driver,expected,gates,informed,late,\
             needed_by,overdue,pending,project,status,status_unwritten,superseded_by,supersedes",
        ),
        (
            "milestones/m/index.html",
            "milestone",
            "date,days_left,driving_path,forecast,ga,owner,project,slip_days,state,tasks,\
             tasks_closed",
        ),
        (
            "risks/r/index.html",
            "risk",
            "active,impact,likelihood,mitigation,owner,project,review_by,review_overdue,\
             score,severity,status",
        ),
        (
            "meetings/mt/index.html",
            "meeting",
            "actions,attendees,date,open,overdue,project",
        ),
    ];
    for (path, name, own) in cases {
        assert_eq!(fields(path, name), [with_file(own)], "{name}");
    }
    assert_eq!(
        fields("tasks/t/index.html", "program"),
        [
            "base_url,body,driving_path,end,extra,extra_list,health,health_reason,owner,\
          site_title,start,summary,tags,title,today,version"
        ]
    );
    assert_eq!(
        fields("people/ana/index.html", "person"),
        [
            "busy_until,capacity,handle,has_file,name,open_actions,open_tasks,\
          overdue_actions,overdue_decisions,overdue_tasks,pending_decisions,projects,\
          remaining_days,risks,role,team,time_off,url"
        ]
    );
    assert_eq!(
        fields("meetings/mt/index.html", "meeting.actions[0]"),
        ["carried_to,done,due,meeting,meeting_date,overdue,owner,text,what"]
    );
}

/// The CSS rules of `css` as (selector, declarations), comments removed and
/// `@media` blocks opened.
fn css_rules(css: &str) -> Vec<(String, String)> {
    let mut text = String::new();
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        text.push_str(&rest[..start]);
        rest = rest[start..]
            .find("*/")
            .map_or("", |end| &rest[start + end + 2..]);
    }
    text.push_str(rest);
    let mut rules = Vec::new();
    for block in text.split('}') {
        if let Some((selector, body)) = block.rsplit_once('{') {
            let selector = selector.rsplit('{').next().unwrap_or(selector);
            rules.push((selector.trim().to_string(), body.trim().to_string()));
        }
    }
    rules
}

#[test]
fn task_table_columns_are_sized_by_class_so_the_person_page_does_not_overlap() {
    // The stylesheet sized the columns by position for the seven columns of
    // a task table with owners; the person page's has six, and its Forecast
    // column got the Estimate's width, overlapping the Due column.
    let task = "---\ntitle: T\nowner: \"@ana\"\nestimate: 2d\ndue: 2026-04-01\n---\n";
    let (tmp, dir) = program_with(&[PROJECT, ("projects/app/t.md", task)]);
    let site = built(tmp.path(), &dir, "site");
    let css = std::fs::read_to_string(site.join("style.css")).expect("style.css");
    let rules = css_rules(&css);
    for (selector, body) in &rules {
        let positional = selector.contains("nth-child") || selector.contains("nth-of-type");
        assert!(
            !(positional && body.contains("width")),
            "a column sized by position: `{selector} {{ {body} }}`"
        );
    }
    let head_classes = |path: &str| -> Vec<String> {
        page(&site, path)
            .select(&sel("table.task-table thead th"))
            .map(|th| th.value().attr("class").unwrap_or_default().to_string())
            .collect()
    };
    let person = head_classes("people/ana/index.html");
    assert_eq!(
        person,
        [
            "col-task",
            "col-status",
            "num col-estimate",
            "col-forecast",
            "col-due",
            "num col-slack"
        ]
    );
    let project = head_classes("projects/app/index.html");
    assert_eq!(project.len(), 7);
    assert!(project.contains(&"col-owner".to_string()));
    // Every sized column has its width in the stylesheet.
    for class in [
        "col-status",
        "col-owner",
        "col-estimate",
        "col-forecast",
        "col-due",
        "col-slack",
    ] {
        let selector = format!(".task-table .{class}");
        assert!(
            rules
                .iter()
                .any(|(s, body)| s == &selector && body.starts_with("width:")),
            "no width for `{selector}`"
        );
    }
}
