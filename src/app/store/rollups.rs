//! The statistics' rollups (`stats_facts`: per day of receipt and body, how many requests fall
//! under each dimension and value), kept by re-counting only the requests that changed.
//!
//! Triggers mark a request in `stats_dirty` whenever a change can move one of its figures
//! (migration 0040). Each slice takes the first marked requests, takes their old rows
//! (`request_facts`) off the figures, writes their new rows and adds those — one batch, so a slice
//! is done entirely or not at all: a slice repeated after a lost answer finds other requests
//! marked, and never counts one twice. Its cost is the slice's requests, whatever the history.

use serde::Deserialize;
use worker::Result;

use super::{int, text, Store};

/// The requests a slice re-counts: the first `?1` marked. Every statement of the slice's batch
/// reads the same set (nothing in the batch marks or unmarks one before its last statement).
const MARKED: &str = "SELECT request_id FROM stats_dirty ORDER BY request_id LIMIT ?1";

/// Each marked request with what its figures need: when it was triaged, reopened, forwarded and
/// taken into account, its body's treatment days, and the département and région above its place.
fn cohort() -> String {
    format!(
        "SELECT r.*, (SELECT min(e.at) FROM request_events e WHERE e.request_id = r.id AND e.event IN ('validated', 'forwarded')) AS triaged_at,
           EXISTS (SELECT 1 FROM request_events e WHERE e.request_id = r.id AND e.event = 'reopened') AS was_reopened,
           (SELECT min(e.at) FROM request_events e WHERE e.request_id = r.id AND e.event = 'forwarded') AS forwarded_at,
           (SELECT min(e.at) FROM request_events e WHERE e.request_id = r.id AND e.event = 'taken_into_account') AS taken_at,
           b.treatment_days AS body_treatment_days,
           CASE WHEN p1.kind = 'departement' THEN p1.id WHEN p2.kind = 'departement' THEN p2.id
                WHEN p3.kind = 'departement' THEN p3.id END AS dept_id,
           CASE WHEN p1.kind = 'region' OR (p1.kind = 'district' AND p1.pcode IS NOT NULL) THEN p1.id
                WHEN p2.kind = 'region' OR (p2.kind = 'district' AND p2.pcode IS NOT NULL) THEN p2.id
                WHEN p3.kind = 'region' OR (p3.kind = 'district' AND p3.pcode IS NOT NULL) THEN p3.id
                WHEN p4.kind = 'region' OR (p4.kind = 'district' AND p4.pcode IS NOT NULL) THEN p4.id END AS region_id
         FROM requests r JOIN bodies b ON b.id = r.body_id
           LEFT JOIN places p1 ON p1.id = r.place_id LEFT JOIN places p2 ON p2.id = p1.parent_id
           LEFT JOIN places p3 ON p3.id = p2.parent_id LEFT JOIN places p4 ON p4.id = p3.parent_id
         WHERE r.id IN ({MARKED})"
    )
}

/// Every dimension: its name, its value for a request of the cohort, and when it applies.
fn dimensions() -> Vec<(String, String, String)> {
    let on_time = "CASE WHEN treated_at <= coalesce(treatment_due_at, coalesce(triaged_at, created_at) + body_treatment_days * 86400000) THEN 'yes' ELSE 'no' END";
    let days = "CAST((treated_at - coalesce(triaged_at, created_at)) / 86400000 AS TEXT)";
    let mut all: Vec<(String, String, String)> = [
        ("received", "'all'", "1"),
        ("nature", "nature", "1"),
        ("stage", "stage", "1"),
        ("theme", "coalesce(CAST(theme_id AS TEXT), 'none')", "1"),
        ("place", "CASE WHEN place_id IS NOT NULL THEN CAST(place_id AS TEXT) WHEN abroad_country IS NOT NULL THEN 'abroad' ELSE 'none' END", "1"),
        ("verdict", "CASE WHEN stage = 'closed_without_verdict' THEN 'without_verdict' ELSE verdict END", "verdict IS NOT NULL OR stage = 'closed_without_verdict'"),
        ("triage_days", "CAST((triaged_at - created_at) / 86400000 AS TEXT)", "triaged_at IS NOT NULL"),
        ("treatment_days", days, "treated_at IS NOT NULL"),
        ("on_time", on_time, "treated_at IS NOT NULL"),
        ("reopened", "'yes'", "was_reopened"),
        ("taken", "CASE WHEN taken_at IS NOT NULL THEN 'yes' ELSE 'no' END", "forwarded_at IS NOT NULL"),
        ("taken_days", "CAST((taken_at - forwarded_at) / 86400000 AS TEXT)", "taken_at IS NOT NULL AND forwarded_at IS NOT NULL"),
    ]
    .into_iter()
    .map(|(d, v, f)| (d.to_owned(), v.to_owned(), f.to_owned()))
    .collect();
    // The région (or autonomous district) and département above a request's place: each
    // counted, with its share on time and its days of treatment («id:value»).
    for (level, id) in [("region", "region_id"), ("departement", "dept_id")] {
        all.push((level.to_owned(), format!("CAST({id} AS TEXT)"), format!("{id} IS NOT NULL")));
        all.push((
            format!("{level}_on_time"),
            format!("{id} || ':' || {on_time}"),
            format!("{id} IS NOT NULL AND treated_at IS NOT NULL"),
        ));
        all.push((
            format!("{level}_treatment_days"),
            format!("{id} || ':' || {days}"),
            format!("{id} IS NOT NULL AND treated_at IS NOT NULL"),
        ));
    }
    all
}

/// Adds the marked requests' rows of `request_facts` to the figures, `sign` times.
fn fold_facts(sign: &str) -> String {
    format!(
        "INSERT INTO stats_facts (day, body_id, dimension, value, count)
         SELECT day, body_id, dimension, value, {sign} count(*) FROM request_facts
         WHERE request_id IN ({MARKED}) GROUP BY day, body_id, dimension, value
         ON CONFLICT (day, body_id, dimension, value) DO UPDATE SET count = stats_facts.count + excluded.count"
    )
}

impl Store {
    /// Re-counts up to `limit` changed requests (one batch); returns how many it took, so the job
    /// knows whether any are left.
    pub async fn recount_changed(&self, limit: i64, now: i64) -> Result<usize> {
        let at = [int(limit)];
        let mut statements = vec![
            self.db.prepare(fold_facts("-")).bind(&at)?,
            self.db
                .prepare(format!("DELETE FROM request_facts WHERE request_id IN ({MARKED})"))
                .bind(&at)?,
        ];
        // One INSERT per dimension: D1 caps the terms of a compound SELECT.
        let cohort = cohort();
        for (dimension, value, filter) in dimensions() {
            statements.push(
                self.db
                    .prepare(format!(
                        "INSERT INTO request_facts (request_id, dimension, value, day, body_id)
                         WITH cohort AS ({cohort})
                         SELECT id, '{dimension}', {value}, strftime('%Y-%m-%d', created_at / 1000, 'unixepoch'), body_id
                         FROM cohort WHERE ({filter}) AND {value} IS NOT NULL"
                    ))
                    .bind(&at)?,
            );
        }
        statements.push(self.db.prepare(fold_facts("")).bind(&at)?);
        statements.push(self.db.prepare("DELETE FROM stats_facts WHERE count <= 0"));
        let unmark = statements.len();
        statements.push(
            self.db
                .prepare(format!(
                    "DELETE FROM stats_dirty WHERE request_id IN ({MARKED}) RETURNING request_id"
                ))
                .bind(&at)?,
        );
        statements.push(
            self.db
                .prepare("INSERT INTO settings (key, value) VALUES ('stats_computed_at', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
                .bind(&[text(&now.to_string())])?,
        );
        #[derive(Deserialize)]
        struct Unmarked {
            #[allow(dead_code)]
            request_id: i64,
        }
        let results = self.db.batch(statements).await?;
        Ok(results.get(unmark).map_or(0, |r| r.results::<Unmarked>().map_or(0, |u| u.len())))
    }
}
