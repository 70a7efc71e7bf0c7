//! The queue consumer's reads and writes for a whole batch of notifications at once: one round
//! trip to claim them and read what they need, one to record how each attempt went.

use serde::Deserialize;
use worker::{D1Result, Result};

use super::*;

/// The error of an attempt whose outcome was never recorded (closed by the row's next claim).
pub const INTERRUPTED: &str = "interrupted: the outcome was never recorded";

/// A notification this consumer holds for one attempt.
pub struct Claimed {
    pub id: i64,
    /// The attempt number (1 for the first).
    pub attempt: i64,
    pub row: OutboxRow,
    /// A provider already accepted it on an earlier attempt whose result was recorded: never again.
    pub delivered: Option<String>,
}

pub struct Claims {
    pub mine: Vec<Claimed>,
    /// Held by another consumer right now: the row and when its hold ends (ms).
    pub busy: Vec<(i64, i64)>,
}

/// One finished attempt.
pub struct Attempt<'a> {
    pub outbox_id: i64,
    pub attempt: i64,
    /// delivered, temporary_failure or permanent_failure.
    pub status: &'a str,
    pub provider_id: Option<&'a str>,
    pub error: Option<&'a str>,
}

impl Store {
    /// Takes every row of `ids` that is free (not finished, not held), in one batch with the rows'
    /// contents and their delivery log. The attempt is recorded here, before any provider is
    /// called (`sending`), so an attempt whose outcome never gets written — a consumer that timed
    /// out or died, a write that failed — still shows in the log: the next claim of the row closes
    /// it as a temporary failure whose outcome is unknown. A row a provider already accepted gets
    /// no new attempt (it is only marked sent).
    pub async fn claim_batch(&self, ids: &[i64], now: i64, hold_ms: i64) -> Result<Claims> {
        #[derive(Deserialize)]
        struct Taken {
            id: i64,
            attempts: i64,
        }
        #[derive(Deserialize)]
        struct Delivered {
            outbox_id: i64,
            provider_id: Option<String>,
        }
        let list = json_array(ids);
        // What a row must be for this consumer to take it (the same test in the first two statements).
        const FREE: &str =
            "(status IN ('pending', 'enqueued') OR (status = 'sending' AND claimed_until < ?2))";
        let statements = vec![
            self.db
                .prepare(format!(
                    "UPDATE delivery_attempts SET status = 'temporary_failure', error = '{INTERRUPTED}', finished_at = ?2
                     WHERE status = 'sending' AND outbox_id IN (SELECT id FROM outbox WHERE id IN (SELECT value FROM json_each(?1)) AND {FREE})"
                ))
                .bind(&[list.clone(), int(now)])?,
            self.db
                .prepare(format!(
                    "UPDATE outbox SET status = 'sending', attempts = attempts + 1, claimed_until = ?2 + ?3
                     WHERE id IN (SELECT value FROM json_each(?1)) AND {FREE}
                     RETURNING id, attempts"
                ))
                .bind(&[list.clone(), int(now), int(hold_ms)])?,
            self.db
                .prepare(
                    "INSERT INTO delivery_attempts (outbox_id, attempt, provider, status, started_at)
                     SELECT o.id, o.attempts, CASE o.channel WHEN 'sms' THEN 'orange_sms' ELSE 'mail_api' END, 'sending', ?2
                     FROM outbox o WHERE o.id IN (SELECT value FROM json_each(?1)) AND o.status = 'sending' AND o.claimed_until = ?2 + ?3
                       AND NOT EXISTS (SELECT 1 FROM delivery_attempts d WHERE d.outbox_id = o.id AND (d.status = 'delivered' OR d.attempt = o.attempts))",
                )
                .bind(&[list.clone(), int(now), int(hold_ms)])?,
            self.db
                .prepare(
                    "SELECT o.id, o.idempotency_key, o.channel, o.recipient, o.template, o.lang, o.payload, o.status, o.claimed_until,
                            r.code AS request_code, CASE WHEN r.email <> '' THEN r.email ELSE r.phone END AS request_holder, r.nature AS request_nature,
                            b.name AS request_body, r.message AS request_message
                     FROM outbox o LEFT JOIN requests r ON r.id = o.request_id LEFT JOIN bodies b ON b.id = r.body_id
                     WHERE o.id IN (SELECT value FROM json_each(?1))",
                )
                .bind(std::slice::from_ref(&list))?,
            self.db
                .prepare("SELECT outbox_id, provider_id FROM delivery_attempts WHERE status = 'delivered' AND outbox_id IN (SELECT value FROM json_each(?1))")
                .bind(&[list])?,
        ];
        let [_, taken, _, rows, delivered] =
            <[D1Result; 5]>::try_from(self.db.batch(statements).await?)
                .map_err(|_| worker::Error::RustError("claim batch".into()))?;
        let taken = taken.results::<Taken>()?;
        let delivered = delivered.results::<Delivered>()?;
        let mut claims = Claims { mine: Vec::new(), busy: Vec::new() };
        for row in rows.results::<OutboxRow>()? {
            match taken.iter().find(|t| t.id == row.id) {
                Some(t) => claims.mine.push(Claimed {
                    id: row.id,
                    attempt: t.attempts,
                    delivered: delivered
                        .iter()
                        .find(|d| d.outbox_id == row.id)
                        .map(|d| d.provider_id.clone().unwrap_or_default()),
                    row,
                }),
                None if row.status == "sending" => {
                    claims.busy.push((row.id, row.claimed_until.unwrap_or(now)))
                }
                None => {}
            }
        }
        Ok(claims)
    }

    /// Records how every attempt went and moves each row on, in one batch: delivered → sent;
    /// temporary failure → back to enqueued (the queue retries); permanent failure → failed. The
    /// attempt rows were written by the claim; a row delivered on an earlier attempt has none to
    /// close and is only marked sent.
    pub async fn finish_batch(&self, attempts: &[Attempt<'_>], now: i64) -> Result<()> {
        let mut statements = Vec::with_capacity(attempts.len() * 2);
        for a in attempts {
            let row_status = match a.status {
                "delivered" => "sent",
                "permanent_failure" => "failed",
                _ => "enqueued",
            };
            statements.push(
                self.db
                    .prepare(
                        "UPDATE delivery_attempts SET status = ?3, provider_id = ?4, error = ?5, finished_at = ?6
                         WHERE outbox_id = ?1 AND attempt = ?2 AND status = 'sending'",
                    )
                    .bind(&[int(a.outbox_id), int(a.attempt), text(a.status), opt_text(a.provider_id), opt_text(a.error), int(now)])?,
            );
            statements.push(
                self.db
                    .prepare(
                        "UPDATE outbox SET status = ?2, provider_id = coalesce(?3, provider_id), last_error = ?4,
                           sent_at = CASE WHEN ?2 = 'sent' THEN ?5 ELSE sent_at END,
                           enqueued_at = CASE WHEN ?2 = 'enqueued' THEN ?5 ELSE enqueued_at END, claimed_until = NULL
                         WHERE id = ?1 AND status = 'sending' AND attempts = ?6",
                    )
                    .bind(&[int(a.outbox_id), text(row_status), opt_text(a.provider_id), opt_text(a.error), int(now), int(a.attempt)])?,
            );
        }
        if statements.is_empty() {
            return Ok(());
        }
        self.run_batch(statements).await
    }
}
