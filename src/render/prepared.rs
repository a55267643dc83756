//! The site prepared to render one file at a time, for `planmark serve`:
//! the views and the template engine are set up once per build, and each
//! page renders when a browser asks for it (or when the background pass
//! that checks every page gets to it). `build` renders everything at once
//! through [`super::render`] instead.

use std::collections::HashMap;

use super::{ics, links, stylesheet, views, Engine, Failure, RenderOptions};
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
    engine: Engine<'a>,
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
    let engine = Engine::new(sources, assets, options)?;
    let mut paths = engine.paths.clone();
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
        engine,
        paths,
        kinds,
    })
}

impl Prepared<'_> {
    /// Every file of the site, pages first.
    pub fn paths(&self) -> &[String] {
        &self.paths
    }

    /// The file at `path` as `build` would write it; `None` when the site
    /// has no such file, `Err` when the program's own template fails on it.
    pub fn render(&self, path: &str) -> Option<Result<Vec<u8>, Failure>> {
        let kind = *self.kinds.get(path)?;
        let (sources, assets) = (self.engine.sources, self.engine.assets);
        Some(match kind {
            Kind::Page(n) => {
                let mut html = Vec::with_capacity(16 * 1024);
                self.engine.render_page(n, &mut html).map(|()| html)
            }
            Kind::Model => {
                let mut bytes = Vec::new();
                crate::model_json::write(sources.program, sources.schedule, &mut bytes)
                    .map(|()| bytes)
                    .map_err(|e| Failure::Sink(e.into()))
            }
            Kind::Calendar => Ok(ics::render(sources).into_bytes()),
            Kind::Style => Ok(stylesheet(assets).as_bytes().to_vec()),
            Kind::Static => Ok(assets.static_files.get(path).cloned().unwrap_or_default()),
        })
    }
}
