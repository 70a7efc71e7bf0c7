//! Rate-limit counters: fixed windows, counted atomically (one upsert returning the total).

use serde::Deserialize;
use worker::Result;

use super::*;

impl Store {
    pub async fn drop_rate_limits_before(&self, before: i64) -> Result<i64> {
        let result = self.db.prepare("DELETE FROM rate_limits WHERE window_start < ?1").bind(&[int(before)])?.run().await?;
        Ok(result.meta()?.and_then(|m| m.changes).unwrap_or(0) as i64)
    }

    /// Counts one hit in a fixed window and returns the window's total so far, this hit included
    /// (one atomic statement: parallel requests each see a distinct total).
    pub async fn rate_limit_hit(&self, bucket: &str, window_start: i64) -> Result<i64> {
        self.rate_limit_add(bucket, window_start, 1).await
    }

    /// Adds `amount` (a hit, or bytes) to a bucket's window and returns the new total.
    pub async fn rate_limit_add(&self, bucket: &str, window_start: i64, amount: i64) -> Result<i64> {
        self.db.prepare(RATE_LIMIT_ADD).bind(&[text(bucket), int(window_start), int(amount)])?.first::<Hits>(None).await.map(|r| r.map_or(amount, |r| r.hits))
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
pub(crate) const RATE_LIMIT_ADD: &str = "INSERT INTO rate_limits (bucket, window_start, hits) VALUES (?1, ?2, ?3)
     ON CONFLICT (bucket, window_start) DO UPDATE SET hits = hits + excluded.hits RETURNING hits";

#[derive(Deserialize)]
pub(crate) struct Hits {
    pub(crate) hits: i64,
}
