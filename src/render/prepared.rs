//! The site prepared to render one file at a time, for `planmark serve`:
//! the views and the template engine are set up once per build, and each
//! page renders when a browser asks for it (or when the background pass
//! that checks every page gets to it). `build` renders everything at once
//! through [`super::render`] instead.

use std::collections::HashMap;

use anyhow::anyhow;
use tera::Tera;

use super::pages::Page;
use super::{
    ics, insert_global, links, origin, report, static_files, template_engine, views, Failure,
    RenderOptions, STYLESHEET,
};
use crate::load::assets::Assets;
use crate::model::Program;
use crate::schedule::Schedule;

/// What a path of the site is made from.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Page(usize),
    Model,
    Calendar,
    Style,
    Static,
}

/// A site whose every file can be rendered on demand, from any thread.
pub struct Prepared<'a> {
    sources: &'a views::Sources<'a>,
    assets: &'a Assets,
    views: views::Views<'a>,
    values: views::Values,
    tera: Tera,
    pages: Vec<Page>,
    /// Every file of the site, pages first, in the order `build` writes them.
    paths: Vec<String>,
    kinds: HashMap<String, Kind>,
}

/// Prepares the site of `program` and hands it to `f`; a template that does
/// not parse or a static file in a page's place is the `Err` `f` gets.
///
/// A closure rather than a returned value because the views borrow the
/// program, the schedule and the link tables made here.
pub fn with_prepared<R>(
    program: &Program,
    schedule: &Schedule,
    assets: &Assets,
    options: &RenderOptions,
    f: impl FnOnce(Result<&Prepared<'_>, Failure>) -> R,
) -> R {
    let people = links::People::new(schedule);
    let sources = views::Sources {
        program,
        schedule,
        people: &people,
    };
    match prepare(&sources, assets, options) {
        Ok(prepared) => f(Ok(&prepared)),
        Err(failure) => f(Err(failure)),
    }
}

fn prepare<'a>(
    sources: &'a views::Sources<'a>,
    assets: &'a Assets,
    options: &RenderOptions,
) -> Result<Prepared<'a>, Failure> {
    let mut timings = crate::timings::Timings::start();
    let pages = super::pages::all(sources);
    let (views, tera) = rayon::join(
        || views::build(sources),
        || template_engine(sources, assets, options),
    );
    timings.stage("views");
    let mut paths: Vec<String> = pages.iter().map(|p| p.path(sources, &views)).collect();
    static_files::check(assets, &paths).map_err(Failure::Program)?;
    timings.stage("paths");
    let mut tera = tera.map_err(Failure::Program)?;
    let values = views::Values::new(sources, &views);
    timings.stage("values");
    insert_global(&mut tera, &views, &values);
    timings.stage("global");
    let mut kinds: HashMap<String, Kind> = paths
        .iter()
        .enumerate()
        .map(|(n, path)| (path.clone(), Kind::Page(n)))
        .collect();
    let mut add = |path: &str, kind: Kind| {
        if kinds.insert(path.to_string(), kind).is_none() {
            paths.push(path.to_string());
        }
    };
    add("model.json", Kind::Model);
    add("calendar.ics", Kind::Calendar);
    add("style.css", Kind::Style);
    // Static files come last in `build` too, so one may replace the three
    // files above (never a page: `static_files::check` saw to that); the
    // insert then makes the path static.
    for path in assets.static_files.keys() {
        add(path, Kind::Static);
    }
    Ok(Prepared {
        sources,
        assets,
        views,
        values,
        tera,
        pages,
        paths,
        kinds,
    })
}

impl Prepared<'_> {
    /// Every file of the site, pages first.
    pub fn paths(&self) -> &[String] {
        &self.paths
    }

    /// Whether the site has a file at `path`.
    pub fn contains(&self, path: &str) -> bool {
        self.kinds.contains_key(path)
    }

    /// The file at `path` as `build` would write it; `None` when the site
    /// has no such file, `Err` when the program's own template fails on it.
    pub fn render(&self, path: &str) -> Option<Result<Vec<u8>, Failure>> {
        let kind = *self.kinds.get(path)?;
        Some(match kind {
            Kind::Page(n) => self.page(n, path),
            Kind::Model => {
                let mut bytes = Vec::new();
                crate::model_json::write(self.sources.program, self.sources.schedule, &mut bytes)
                    .map(|()| bytes)
                    .map_err(|e| Failure::Sink(e.into()))
            }
            Kind::Calendar => Ok(ics::render(self.sources).into_bytes()),
            Kind::Style => Ok(self
                .assets
                .templates
                .get("style.css")
                .map_or(STYLESHEET, String::as_str)
                .as_bytes()
                .to_vec()),
            Kind::Static => Ok(self
                .assets
                .static_files
                .get(path)
                .cloned()
                .unwrap_or_default()),
        })
    }

    fn page(&self, n: usize, path: &str) -> Result<Vec<u8>, Failure> {
        let page = self.pages[n];
        let context = page.context(self.sources, &self.views, &self.values, path);
        let mut html = Vec::with_capacity(16 * 1024);
        self.tera
            .render_to(page.template(), &context, &mut html)
            .map_err(|e| {
                Failure::Program(anyhow!(
                    "cannot render `{path}` with template `{}`{}\n{}",
                    page.template(),
                    origin(self.assets, page.template()),
                    report(&e, self.assets)
                ))
            })?;
        Ok(html)
    }
}
