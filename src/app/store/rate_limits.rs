//! Rate-limit counters: fixed windows, counted atomically (one upsert returning the total).

use serde::Deserialize;
use worker::Result;

use super::*;

impl Store {
    /// Adds `amount` (a hit, or bytes) to a bucket's window and returns the new total.
    pub async fn rate_limit_add(
        &self,
        bucket: &str,
        window_start: i64,
        amount: i64,
    ) -> Result<i64> {
        self.db
            .prepare(RATE_LIMIT_ADD)
            .bind(&[text(bucket), int(window_start), int(amount)])?
            .first::<Hits>(None)
            .await
            .map(|r| r.map_or(amount, |r| r.hits))
    }

    /// Counts one hit in each bucket (one statement) and returns each total, this hit included.
    pub async fn rate_limit_count(
        &self,
        buckets: &[String],
        window_start: i64,
    ) -> Result<Vec<i64>> {
        let counted = self.count_hits(buckets, window_start)?.all().await?.results::<Counted>()?;
        Ok(Counted::totals(buckets, &counted))
    }

    /// The statement that counts one hit in each bucket, returning `bucket, hits` rows (to run
    /// alone or first in a batch).
    pub(super) fn count_hits(&self, buckets: &[String], window_start: i64) -> Result<Stmt> {
        let mut args = vec![int(window_start)];
        let values: Vec<String> = buckets
            .iter()
            .map(|b| {
                args.push(text(b));
                format!("(?{}, ?1, 1)", args.len())
            })
            .collect();
        self.db
            .prepare(format!(
                "INSERT INTO rate_limits (bucket, window_start, hits) VALUES {}
                 ON CONFLICT (bucket, window_start) DO UPDATE SET hits = hits + excluded.hits RETURNING bucket, hits",
                values.join(", ")
            ))
            .bind(&args)
    }

    /// Takes back one hit from each bucket (an attempt that turned out to be legitimate).
    pub async fn rate_limit_refund(&self, buckets: &[String], window_start: i64) -> Result<()> {
        self.db
            .prepare("UPDATE rate_limits SET hits = max(hits - 1, 0) WHERE window_start = ?2 AND bucket IN (SELECT value FROM json_each(?1))")
            .bind(&[json_array(buckets), int(window_start)])?
            .run()
            .await?;
        Ok(())
    }
}

/// One counter upsert: `?1` bucket, `?2` window start, `?3` amount; returns the new total.
pub(crate) const RATE_LIMIT_ADD: &str =
    "INSERT INTO rate_limits (bucket, window_start, hits) VALUES (?1, ?2, ?3)
     ON CONFLICT (bucket, window_start) DO UPDATE SET hits = hits + excluded.hits RETURNING hits";

/// A row of `count_hits`.
#[derive(Deserialize)]
pub(super) struct Counted {
    bucket: String,
    hits: i64,
}

impl Counted {
    /// Each bucket's total, in the order asked.
    pub(super) fn totals(buckets: &[String], counted: &[Counted]) -> Vec<i64> {
        buckets
            .iter()
            .map(|b| counted.iter().find(|c| &c.bucket == b).map_or(1, |c| c.hits))
            .collect()
    }
}

#[derive(Deserialize)]
pub(crate) struct Hits {
    pub(crate) hits: i64,
}
