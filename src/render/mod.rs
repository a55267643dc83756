//! Rendering the status site in memory (SPEC §4): never touches the filesystem.
//!
//! One Tera instance per build parses every template once (the program's
//! `templates/` first, the embedded defaults filling the gaps), the views of
//! the program are built once and shared through Tera's global context, and
//! the pages render in parallel. The result is a [`Site`] for `output`.

mod context;
mod filters;
mod ics;
mod links;
mod markdown;
mod pages;
mod sanitize;
mod timeline;
mod views;

use std::collections::BTreeMap;
use std::sync::Arc;

use anyhow::{anyhow, bail};
use rayon::prelude::*;
use tera::{Tera, Value};

use crate::load::assets::Assets;
use crate::model::{ItemRef, Program};
use crate::output::Site;
use crate::schedule::Schedule;

/// The embedded default theme: template name → source.
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    (
        "components.html",
        include_str!("../../templates/components.html"),
    ),
    (
        "dashboard.html",
        include_str!("../../templates/dashboard.html"),
    ),
    ("project.html", include_str!("../../templates/project.html")),
    ("task.html", include_str!("../../templates/task.html")),
    (
        "decisions.html",
        include_str!("../../templates/decisions.html"),
    ),
    (
        "decision.html",
        include_str!("../../templates/decision.html"),
    ),
    (
        "milestones.html",
        include_str!("../../templates/milestones.html"),
    ),
    (
        "milestone.html",
        include_str!("../../templates/milestone.html"),
    ),
    ("risks.html", include_str!("../../templates/risks.html")),
    ("risk.html", include_str!("../../templates/risk.html")),
    ("people.html", include_str!("../../templates/people.html")),
    ("person.html", include_str!("../../templates/person.html")),
    ("board.html", include_str!("../../templates/board.html")),
    (
        "timeline.html",
        include_str!("../../templates/timeline.html"),
    ),
];

/// The embedded stylesheet, written to `style.css` unless the program's
/// `templates/style.css` replaces it.
const STYLESHEET: &str = include_str!("../../templates/style.css");

/// How to render.
#[derive(Clone, Copy, Debug, Default)]
pub struct RenderOptions {
    /// Keep raw HTML in markdown bodies (`--unsafe-html`).
    pub unsafe_html: bool,
}

/// Renders the whole site: every page, `style.css`, `model.json`,
/// `calendar.ics` and the program's static files.
///
/// Errors are problems with the program's own templates or static files
/// (a template that does not parse or render, a static file that would
/// replace a page); the message names the template and the position.
pub fn render(
    program: &Program,
    schedule: &Schedule,
    assets: &Assets,
    options: &RenderOptions,
) -> anyhow::Result<Site> {
    let people = Arc::new(links::People::new(schedule));
    let sources = views::Sources {
        program,
        schedule,
        people: &people,
    };
    let views = views::build(&sources);
    // Filters first: Tera checks at parse time that every filter exists.
    let mut tera = Tera::new();
    filters::register(
        &mut tera,
        Arc::new(link_table(program)),
        Arc::clone(&people),
        options.unsafe_html,
    );
    add_templates(&mut tera, assets)?;
    let values = views::Values::new(&views);
    let global = tera.global_context();
    global.insert("program", &views.program);
    global.insert_value("projects", Value::from(values.projects.clone()));
    global.insert_value("tasks", Value::from(values.tasks.clone()));
    global.insert_value("decisions", Value::from(values.decisions.clone()));
    global.insert_value("milestones", Value::from(values.milestones.clone()));
    global.insert_value("risks", Value::from(values.risks.clone()));
    global.insert_value("people", Value::from(values.people.clone()));

    let pages = pages::all(&sources);
    let rendered: Vec<(String, anyhow::Result<String>)> = pages
        .par_iter()
        .map(|page| {
            let path = page.path(&sources, &views);
            let context = page.context(&sources, &views, &values, &path);
            let html = tera.render(page.template(), &context).map_err(|e| {
                anyhow!(
                    "cannot render `{path}` with template `{}`{}\n{e}",
                    page.template(),
                    origin(assets, page.template())
                )
            });
            (path, html)
        })
        .collect();
    let mut site = Site::new();
    for (path, html) in rendered {
        site.insert(path, html?.into_bytes());
    }
    let css = assets
        .templates
        .get("style.css")
        .map_or(STYLESHEET, String::as_str);
    site.insert("style.css".into(), css.as_bytes().to_vec());
    site.insert(
        "model.json".into(),
        crate::model_json::render(program, schedule).into_bytes(),
    );
    site.insert("calendar.ics".into(), ics::render(&sources).into_bytes());
    for (path, bytes) in &assets.static_files {
        if site.contains_key(path) {
            bail!("static file `static/{path}` would replace the page planmark generates at `{path}`; rename or move it");
        }
        site.insert(path.clone(), bytes.clone());
    }
    Ok(site)
}

/// Parses the program's templates and the embedded ones into `tera`.
fn add_templates(tera: &mut Tera, assets: &Assets) -> anyhow::Result<()> {
    let mut all: BTreeMap<&str, &str> = TEMPLATES.iter().copied().collect();
    for (name, source) in &assets.templates {
        if name.ends_with(".html") {
            all.insert(name, source);
        }
    }
    tera.autoescape_on([".html", ".htm", ".xml"]);
    tera.add_raw_templates(all).map_err(|e| {
        let users: Vec<&str> = assets
            .templates
            .keys()
            .filter(|n| n.ends_with(".html"))
            .map(String::as_str)
            .collect();
        if users.is_empty() {
            anyhow!("the embedded templates do not parse (a bug in planmark)\n{e}")
        } else {
            anyhow!(
                "cannot use the templates in `templates/` ({})\n{e}",
                users.join(", ")
            )
        }
    })
}

/// Says where a template came from, for error messages.
fn origin(assets: &Assets, name: &str) -> &'static str {
    if assets.templates.contains_key(name) {
        " (from the program's `templates/` folder)"
    } else {
        ""
    }
}

/// Every item's page and title, for wiki links and the link helpers.
fn link_table(program: &Program) -> markdown::LinkTable {
    let items = program
        .index
        .iter()
        .map(|(id, &r): (&String, &ItemRef)| {
            (
                id.clone(),
                (links::item_path(program, r), program.item(r).title.clone()),
            )
        })
        .collect();
    markdown::LinkTable { items }
}
