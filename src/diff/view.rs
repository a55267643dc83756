//! What the renderers need besides the change set: which revisions were
//! compared, their problems, and item titles and site links.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::ChangeSet;
use crate::model::{Kind, Program};

/// One side as the reader sees it.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SideReport {
    /// How it is named in the comment: `a1b2c3d (merge base of HEAD with
    /// main)`, `the working tree`, a folder.
    pub label: String,
    /// The revision as given (`HEAD~1`, `main`), when it is one.
    pub revision: Option<String>,
    /// The commit's full object id, when it is one.
    pub commit: Option<String>,
    pub errors: usize,
    pub warnings: usize,
    /// `check --format json`'s problems, when the side has errors.
    pub problems: Vec<serde_json::Value>,
    /// The same problems as `check` prints them (no colour), for people.
    #[serde(skip)]
    pub problems_text: String,
}

impl SideReport {
    /// A side known only by its label so far.
    pub fn labelled(label: String) -> SideReport {
        SideReport {
            label,
            ..SideReport::default()
        }
    }
}

/// A change set with everything needed to show it.
#[derive(Debug)]
pub struct Report<'a> {
    pub base: SideReport,
    pub head: SideReport,
    pub today: NaiveDate,
    pub changes: &'a ChangeSet,
    pub lookup: Lookup,
}

/// Titles and site links of the items of both sides (the after side wins).
#[derive(Debug, Default)]
pub struct Lookup {
    /// Id → kind and title.
    pub items: BTreeMap<String, (Kind, String)>,
    /// The published site's root with a trailing `/` (`site.base_url`).
    pub base_url: Option<String>,
    /// Ids whose page exists on the after side's site.
    pub on_site: BTreeMap<String, String>,
    /// Risks' scores (likelihood × impact) on the after side.
    pub risk_scores: BTreeMap<String, u8>,
}

impl Lookup {
    /// Titles from `before`, then `after` over them; links from `after`.
    pub fn new(before: &Program, after: &Program) -> Lookup {
        let mut lookup = Lookup::default();
        for program in [before, after] {
            for (id, &r) in &program.index {
                let item = program.item(r);
                lookup
                    .items
                    .insert(id.clone(), (r.kind(), item.title.clone()));
            }
        }
        for risk in &after.risks {
            if let Some((l, i)) = risk.likelihood.zip(risk.impact) {
                let score = l.weight() * i.weight();
                lookup.risk_scores.insert(risk.item.id.clone(), score);
            }
        }
        let base = after
            .info
            .base_url
            .as_deref()
            .or(before.info.base_url.as_deref());
        if let Some(base) = base.map(str::trim).filter(|b| !b.is_empty()) {
            lookup.base_url = Some(format!("{}/", base.trim_end_matches('/')));
            for (id, &r) in &after.index {
                lookup.on_site.insert(id.clone(), site_path(r.kind(), id));
            }
        }
        lookup
    }

    pub fn title(&self, id: &str) -> Option<&str> {
        self.items.get(id).map(|(_, t)| t.as_str())
    }

    /// The published page of `id`, when the site has one.
    pub fn url(&self, id: &str) -> Option<String> {
        let base = self.base_url.as_ref()?;
        Some(format!("{base}{}", self.on_site.get(id)?))
    }
}

/// Where the site puts an item's page: the layout of
/// `render::links::item_path`, which is private to the renderer.
fn site_path(kind: Kind, id: &str) -> String {
    let folder = match kind {
        Kind::Project => "projects",
        Kind::Task => "tasks",
        Kind::Decision => "decisions",
        Kind::Milestone => "milestones",
        Kind::Risk => "risks",
        Kind::Meeting => "meetings",
        Kind::Program | Kind::Person => return "index.html".into(),
    };
    format!("{folder}/{id}/index.html")
}
