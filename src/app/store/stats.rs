//! What the statistics page and the open data read: the rollups and the labels of their values.

use std::collections::HashMap;

use serde::Deserialize;
use worker::Result;

use super::{text, Store};
use crate::domain::lang::Lang;
use crate::domain::stats::Fact;

/// Rollup facts of one body, summed over a period.
pub struct BodyFacts {
    pub body_id: i64,
    pub facts: Vec<Fact>,
}

#[derive(Deserialize)]
struct FactRow {
    body_id: i64,
    dimension: String,
    value: String,
    count: i64,
}

#[derive(Deserialize)]
struct Setting {
    value: String,
}

#[derive(Deserialize)]
struct Label {
    id: i64,
    label: String,
}

/// Names of every body (active or not: past requests keep their body), themes and places.
pub struct StatsLabels {
    pub bodies: Vec<(i64, String, String)>,
    pub themes: HashMap<String, String>,
    pub places: HashMap<String, String>,
    /// The régions (and autonomous districts) and départements: (name, P-code) by id.
    pub areas: HashMap<String, (String, String)>,
    /// When the rollups were last recomputed (ms), if ever.
    pub computed_at: Option<i64>,
}

impl Store {
    /// Facts of the days `from_day..=to_day` (`YYYY-MM-DD`), per body. Reads only the rollups:
    /// its size is bounded by bodies × dimension values, not by the number of requests.
    pub async fn stats_facts(&self, from_day: &str, to_day: &str) -> Result<Vec<BodyFacts>> {
        let rows = self
            .db
            .prepare(
                "SELECT body_id, dimension, value, sum(count) AS count FROM stats_facts
                 WHERE day BETWEEN ?1 AND ?2 GROUP BY body_id, dimension, value ORDER BY body_id",
            )
            .bind(&[text(from_day), text(to_day)])?
            .all()
            .await?
            .results::<FactRow>()?;
        let mut out: Vec<BodyFacts> = Vec::new();
        for r in rows {
            let fact = Fact { dimension: r.dimension, value: r.value, count: r.count };
            match out.last_mut() {
                Some(last) if last.body_id == r.body_id => last.facts.push(fact),
                _ => out.push(BodyFacts { body_id: r.body_id, facts: vec![fact] }),
            }
        }
        Ok(out)
    }

    /// The names behind the facts' values, and when the facts were computed: one batch.
    pub async fn stats_labels(&self, lang: Lang) -> Result<StatsLabels> {
        #[derive(Deserialize)]
        struct BodyName {
            id: i64,
            slug: String,
            name: String,
        }
        let (category, label) = match lang {
            Lang::Fr => ("category_fr", "label_fr"),
            Lang::En => ("category_en", "label_en"),
        };
        let results = self
            .db
            .batch(vec![
                self.db.prepare("SELECT id, slug, name FROM bodies ORDER BY name"),
                self.db.prepare(format!("SELECT id, {category} || ' : ' || {label} AS label FROM themes")),
                // Thousands of places exist; only those some figure names need a label.
                self.db.prepare(
                    "SELECT id, name AS label FROM places
                     WHERE id IN (SELECT CAST(value AS INTEGER) FROM stats_facts WHERE dimension = 'place' AND value GLOB '[0-9]*')",
                ),
                self.db.prepare("SELECT value FROM settings WHERE key = 'stats_computed_at'"),
                self.db.prepare(
                    "SELECT id, name AS label, coalesce(pcode, '') AS pcode FROM places
                     WHERE kind IN ('region', 'departement') OR (kind = 'district' AND pcode IS NOT NULL)",
                ),
            ])
            .await?;
        let mut results = results.into_iter();
        let mut next =
            || results.next().ok_or_else(|| worker::Error::RustError("stats labels batch".into()));
        let bodies =
            next()?.results::<BodyName>()?.into_iter().map(|b| (b.id, b.slug, b.name)).collect();
        let themes =
            next()?.results::<Label>()?.into_iter().map(|l| (l.id.to_string(), l.label)).collect();
        let places =
            next()?.results::<Label>()?.into_iter().map(|l| (l.id.to_string(), l.label)).collect();
        let computed_at = next()?.results::<Setting>()?.first().and_then(|r| r.value.parse().ok());
        #[derive(Deserialize)]
        struct Area {
            id: i64,
            label: String,
            pcode: String,
        }
        let areas = next()?
            .results::<Area>()?
            .into_iter()
            .map(|a| (a.id.to_string(), (a.label, a.pcode)))
            .collect();
        Ok(StatsLabels { bodies, themes, places, areas, computed_at })
    }
}
