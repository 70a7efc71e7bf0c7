//! What the supervisor's dashboard reads: the daily rollups of a period (the public statistics'
//! `stats_facts`, never `requests`) and, for «today», three counts over the open stages' index.

use serde::Deserialize;
use worker::Result;

use super::{int, json_array, text, Store};
use crate::domain::stats::Fact;
use crate::domain::time::parse_day;

/// The open requests of a scope now.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Live {
    pub open: Option<i64>,
    pub late: Option<i64>,
    pub held: Option<i64>,
}

/// The dimensions the dashboard reads.
const DIMENSIONS: &str =
    "'received', 'on_time', 'taken', 'treatment_days', 'verdict', 'reopened', 'stage'";

impl Store {
    /// (day, fact) of the period for the bodies asked (`None`: all), summed over bodies.
    pub async fn dashboard_facts(
        &self,
        from_day: &str,
        to_day: &str,
        bodies: Option<&[i64]>,
    ) -> Result<Vec<(i64, Fact)>> {
        #[derive(Deserialize)]
        struct Row {
            day: String,
            dimension: String,
            value: String,
            count: i64,
        }
        let rows = self
            .db
            .prepare(format!(
                "SELECT day, dimension, value, sum(count) AS count FROM stats_facts
                 WHERE day BETWEEN ?1 AND ?2 AND dimension IN ({DIMENSIONS})
                   AND (?3 IS NULL OR body_id IN (SELECT value FROM json_each(?3)))
                 GROUP BY day, dimension, value"
            ))
            .bind(&[
                text(from_day),
                text(to_day),
                bodies.map_or(wasm_bindgen::JsValue::NULL, json_array),
            ])?
            .all()
            .await?
            .results::<Row>()?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                let day = parse_day(&r.day)?;
                Some((day, Fact { dimension: r.dimension, value: r.value, count: r.count }))
            })
            .collect())
    }

    /// Open, late (deadline passed at `now`) and held requests of the bodies asked, now.
    pub async fn dashboard_live(&self, bodies: Option<&[i64]>, now: i64) -> Result<Live> {
        Ok(self
            .db
            .prepare(
                "SELECT count(*) AS open, coalesce(sum(r.due_at < ?1), 0) AS late,
                   coalesce(sum(r.assignee_id IS NOT NULL AND r.stage IN ('in_treatment', 'forwarded')), 0) AS held
                 FROM requests r
                 WHERE r.stage IN ('awaiting_triage', 'returned', 'in_treatment', 'forwarded', 'treated')
                   AND (?2 IS NULL OR r.body_id IN (SELECT value FROM json_each(?2)))",
            )
            .bind(&[int(now), bodies.map_or(wasm_bindgen::JsValue::NULL, json_array)])?
            .first::<Live>(None)
            .await?
            .unwrap_or_default())
    }
}
