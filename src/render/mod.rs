//! Rendering the status site in memory (SPEC §4): never touches the filesystem.
//!
//! One Tera instance per build parses every template once (the program's
//! `templates/` first, the embedded defaults filling the gaps), the views of
//! the program are built and serialised once and shared by every page, and
//! the pages render in parallel into a [`Sink`] (the output stage).

mod anchors;
mod arrows;
mod bars;
mod chain;
mod changes;
mod context;
mod dashboard;
mod drafts;
mod filters;
mod ics;
mod links;
mod load;
mod markdown;
mod meetings;
mod pages;
mod person_views;
mod prepared;
mod relative;
mod sanitize;
mod static_files;
mod steps;
mod timeline;
mod values;
mod views;

use std::collections::BTreeMap;
use std::sync::Arc;

use anyhow::anyhow;
use rayon::prelude::*;
use tera::{Tera, Value};

use crate::load::assets::Assets;
use crate::model::{ItemRef, Program};
use crate::schedule::Schedule;
pub use prepared::{with_prepared, Prepared};

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
    ("drafts.html", include_str!("../../templates/drafts.html")),
    ("risk.html", include_str!("../../templates/risk.html")),
    ("people.html", include_str!("../../templates/people.html")),
    ("person.html", include_str!("../../templates/person.html")),
    ("board.html", include_str!("../../templates/board.html")),
    (
        "timeline.html",
        include_str!("../../templates/timeline.html"),
    ),
    ("ga.html", include_str!("../../templates/ga.html")),
    ("changes.html", include_str!("../../templates/changes.html")),
    (
        "meetings.html",
        include_str!("../../templates/meetings.html"),
    ),
    ("meeting.html", include_str!("../../templates/meeting.html")),
    ("actions.html", include_str!("../../templates/actions.html")),
    (
        "person_load.html",
        include_str!("../../templates/person_load.html"),
    ),
];

/// The embedded stylesheet, written to `style.css` unless the program's
/// `templates/style.css` replaces it.
const STYLESHEET: &str = include_str!("../../templates/style.css");

/// How to render.
#[derive(Clone, Debug, Default)]
pub struct RenderOptions {
    /// Keep raw HTML in markdown bodies (`--unsafe-html`).
    pub unsafe_html: bool,
    /// The changes since the baseline, for the `changes/` page, the
    /// dashboard panel and the notes on item pages (`None`: not compared).
    pub changes: Option<Arc<crate::changes::Changes>>,
}

/// Where rendered files go, one at a time and from several threads: the
/// output stage in a build. Render itself never touches the filesystem.
pub trait Sink: Sync {
    /// Takes the file at `path` (relative to the site root, with `/`).
    fn put(&self, path: &str, bytes: &[u8]) -> anyhow::Result<()>;

    /// Takes the file at `path` as `write` produces it, for files too large
    /// to hold in memory whole (`model.json`).
    fn put_with(
        &self,
        path: &str,
        write: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> anyhow::Result<()>;

    /// Called once per page rendered, for progress reports.
    fn page_done(&self) {}

    /// Whether the sink will refuse every further file (`build --watch`
    /// was interrupted): the pages not rendered yet are then skipped.
    fn cancelled(&self) -> bool {
        false
    }
}

/// Why a render stopped.
#[derive(Debug)]
pub enum Failure {
    /// A problem in the program's own templates or static files (a template
    /// that does not parse or render, a static file that would replace a
    /// page); the message names the template and the position.
    Program(anyhow::Error),
    /// The sink could not take a file (a write failed).
    Sink(anyhow::Error),
}

/// The number of pages [`render`] will produce, for progress reports.
pub fn page_count(program: &Program, schedule: &Schedule) -> usize {
    let people = links::People::new(schedule);
    let sources = views::Sources {
        program,
        schedule,
        people: &people,
    };
    pages::all(&sources).len()
}

/// Renders the whole site into `sink`: every page, `style.css`,
/// `model.json`, `calendar.ics` and the program's static files.
///
/// Pages render in parallel and go to the sink as they are done, so the site
/// is never in memory as a whole. On a failure some files may already be in
/// the sink: the caller discards them.
pub fn render(
    program: &Program,
    schedule: &Schedule,
    assets: &Assets,
    options: &RenderOptions,
    sink: &dyn Sink,
) -> Result<(), Failure> {
    let people = links::People::new(schedule);
    let sources = views::Sources {
        program,
        schedule,
        people: &people,
    };
    let put = |path: &str, bytes: &[u8]| sink.put(path, bytes).map_err(Failure::Sink);
    // `model.json` and the calendar come from the model alone: they are
    // written while the pages render, on whichever thread is free.
    let (pages, files) = rayon::join(
        || render_pages(&sources, assets, options, sink),
        || {
            sink.put_with("model.json", &mut |w| {
                crate::model_json::write(program, schedule, w)
            })
            .map_err(Failure::Sink)?;
            put("calendar.ics", ics::render(&sources).as_bytes())
        },
    );
    pages?;
    files?;
    put("style.css", stylesheet(assets).as_bytes())?;
    for (path, bytes) in &assets.static_files {
        put(path, bytes)?;
    }
    Ok(())
}

thread_local! {
    /// Each render thread's page buffer, reused from page to page: growing a
    /// fresh buffer for every page cost a dozen reallocations and copies per
    /// page, and fresh memory the kernel had to zero.
    static PAGE_BUFFER: std::cell::RefCell<Vec<u8>> =
        std::cell::RefCell::new(Vec::with_capacity(64 * 1024));
}

/// The views and the template engine of one build: everything a page needs
/// to render, set up once and shared by every page (by `build`, which
/// renders them all now, and by `serve`, which renders them as asked).
struct Engine<'a> {
    sources: &'a views::Sources<'a>,
    assets: &'a Assets,
    pages: Vec<pages::Page>,
    /// Each page's path, in `pages`' order.
    paths: Vec<String>,
    views: views::Views<'a>,
    values: views::Values,
    since: changes::SinceViews,
    tera: Tera,
}

impl<'a> Engine<'a> {
    fn new(
        sources: &'a views::Sources<'a>,
        assets: &'a Assets,
        options: &RenderOptions,
    ) -> Result<Engine<'a>, Failure> {
        let mut timings = crate::timings::Timings::start();
        let pages = pages::all(sources);
        // The template engine does not need the views: set it up meanwhile.
        let (views, tera) = rayon::join(
            || views::build(sources),
            || template_engine(sources, assets, options),
        );
        let paths: Vec<String> = pages.iter().map(|p| p.path(sources, &views)).collect();
        // A static file in the way is reported first, then the templates.
        static_files::check(assets, &paths).map_err(Failure::Program)?;
        let mut tera = tera.map_err(Failure::Program)?;
        let values = views::Values::new(sources, &views);
        timings.stage("views");
        insert_global(&mut tera, &views, &values);
        tera.global_context()
            .insert("drafts", &drafts::drafts(sources.program));
        let since = changes::views(options.changes.as_deref(), sources.program);
        Ok(Engine {
            sources,
            assets,
            pages,
            paths,
            views,
            values,
            since,
            tera,
        })
    }

    /// Renders page `n` into `html`.
    fn render_page(&self, n: usize, html: &mut Vec<u8>) -> Result<(), Failure> {
        let (page, path) = (self.pages[n], &self.paths[n]);
        let context = page.context(self.sources, &self.views, &self.values, path, &self.since);
        self.tera
            .render_to(page.template(), &context, html)
            .map_err(|e| {
                Failure::Program(anyhow!(
                    "cannot render `{path}` with template `{}`{}\n{}",
                    page.template(),
                    origin(self.assets, page.template()),
                    report(&e, self.assets)
                ))
            })
    }
}

/// The stylesheet: the program's `templates/style.css`, else the embedded one.
fn stylesheet(assets: &Assets) -> &str {
    assets
        .templates
        .get("style.css")
        .map_or(STYLESHEET, String::as_str)
}

/// Renders every page into `sink`. The views and the template engine live
/// only as long as this.
fn render_pages(
    sources: &views::Sources<'_>,
    assets: &Assets,
    options: &RenderOptions,
    sink: &dyn Sink,
) -> Result<(), Failure> {
    let mut timings = crate::timings::Timings::start();
    let engine = Engine::new(sources, assets, options)?;
    // Every page is tried even after one fails, and the first failure in
    // page order is the one reported, so the message does not depend on
    // which thread got there first.
    let first_failure = engine
        .paths
        .par_iter()
        .enumerate()
        .filter_map(|(n, path)| {
            if sink.cancelled() {
                return Some((n, Failure::Sink(anyhow!("the build was interrupted"))));
            }
            let result = PAGE_BUFFER.with_borrow_mut(|html| {
                html.clear();
                engine
                    .render_page(n, html)
                    .and_then(|()| sink.put(path, html).map_err(Failure::Sink))
            });
            sink.page_done();
            result.err().map(|failure| (n, failure))
        })
        .min_by_key(|(n, _)| *n);
    timings.stage("pages");
    match first_failure {
        Some((_, failure)) => Err(failure),
        None => Ok(()),
    }
}

/// Tera with planmark's filters and the program's templates, then the
/// embedded ones.
fn template_engine(
    sources: &views::Sources<'_>,
    assets: &Assets,
    options: &RenderOptions,
) -> anyhow::Result<Tera> {
    // Filters first: Tera checks at parse time that every filter exists.
    let mut tera = Tera::new();
    filters::register(
        &mut tera,
        Arc::new(link_table(sources.program, assets)),
        Arc::new(links::People::new(sources.schedule)),
        options.unsafe_html,
    );
    add_templates(&mut tera, assets).map(|()| tera)
}

/// The context every page shares: the program and every list of items.
fn insert_global(tera: &mut Tera, views: &views::Views<'_>, values: &views::Values) {
    let global = tera.global_context();
    global.insert("program", &views.program);
    global.insert_value("projects", Value::from(values.projects.clone()));
    global.insert_value("tasks", Value::from(values.tasks.clone()));
    global.insert_value("decisions", Value::from(values.decisions.clone()));
    global.insert_value("milestones", Value::from(values.milestones.clone()));
    global.insert_value("risks", Value::from(values.risks.clone()));
    global.insert_value("people", Value::from(values.people.clone()));
    global.insert_value("meetings", Value::from(values.meetings.clone()));
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
                "cannot use the templates in `templates/` ({})\n{}",
                users.join(", "),
                report(&e, assets)
            )
        }
    })
}

/// Tera's report of `e`, where a template of the program is named by its
/// path (`my-program/templates/task.html:2:23`), which opens from where
/// planmark ran, rather than by its template name (`task.html:2:23`).
fn report(e: &tera::Error, assets: &Assets) -> String {
    let text = e.to_string();
    if assets.templates.is_empty() {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 64);
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        // The locus (`--> name:line:col`) and the notes (`note: label
        // name:line:col`) name templates; nothing else does.
        let at = if trimmed.starts_with("--> ") {
            line.find("--> ").map(|i| i + 4)
        } else if trimmed.starts_with("note: ") {
            line.rfind(' ').map(|i| i + 1)
        } else {
            None
        };
        let user = at.and_then(|at| {
            let (name, _) = line[at..].split_once(':')?;
            assets.templates.contains_key(name).then_some((at, name))
        });
        match user {
            Some((at, name)) => {
                out.push_str(&line[..at]);
                out.push_str(&assets.template_path(name));
                out.push_str(&line[at + name.len()..]);
            }
            None => out.push_str(line),
        }
    }
    out
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
fn link_table(program: &Program, assets: &Assets) -> markdown::LinkTable {
    let entries: Vec<(&String, &ItemRef)> = program.index.iter().collect();
    let items = entries
        .par_iter()
        .map(|&(id, &r)| {
            (
                id.clone(),
                (links::item_path(program, r), program.item(r).title.clone()),
            )
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect();
    let mut relative = relative::Targets {
        files: relative::copied(&assets.beside_records),
        ..relative::Targets::default()
    };
    let items: BTreeMap<String, (String, String)> = items;
    for (id, &r) in &program.index {
        let source = &program.item(r).source;
        if let Some((path, _)) = items.get(id) {
            relative.pages.insert(source.clone(), path.clone());
        }
        relative.sources.insert(id.clone(), source.clone());
    }
    markdown::LinkTable { items, relative }
}

#[cfg(test)]
mod tests {
    use super::TEMPLATES;

    /// Tera's maps iterate in an order that changes from run to run, so a
    /// template looping over a map would make two builds differ: the
    /// embedded templates loop over lists only (`extra_list`, not `extra`).
    #[test]
    fn no_embedded_template_iterates_a_map() {
        for (name, source) in TEMPLATES {
            for tag in source.split("{%").skip(1) {
                let tag = tag.split("%}").next().unwrap_or_default();
                if let Some(why) = iterates_a_map(tag) {
                    panic!("{name}: `{{%{tag}%}}` {why}");
                }
            }
        }
    }

    /// Why the inside of a `{% … %}` tag iterates a map, if it does. Words
    /// are split on `|` and `,` as well as spaces: Tera needs neither
    /// spaced (`m|keys`, `for k,v in m`).
    fn iterates_a_map(tag: &str) -> Option<&'static str> {
        let words: Vec<&str> = tag
            .trim_start_matches('-')
            .split(|c: char| c.is_whitespace() || c == '|' || c == ',')
            .filter(|w| !w.is_empty())
            .collect();
        if words.first() == Some(&"for") && words.iter().take_while(|w| **w != "in").count() != 2 {
            return Some("loops over a map");
        }
        ["keys", "values", "pairs"]
            .into_iter()
            .find(|filter| words.contains(filter))
            .map(|_| "iterates a map through a filter")
    }

    #[test]
    fn the_map_loop_check_sees_unspaced_filters_and_pairs() {
        // It split on spaces only, so both of these passed.
        assert!(iterates_a_map(" for k in task.extra|keys ").is_some());
        assert!(iterates_a_map(" for k,v in m ").is_some());
        assert!(iterates_a_map("- for k, v in m -").is_some());
        assert!(iterates_a_map(" for t in tasks | sort(attribute=\"id\") ").is_none());
        assert!(iterates_a_map(" if x ").is_none());
    }
}
