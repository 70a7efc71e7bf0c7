//! The transactional outbox and the delivery log.

use serde::Deserialize;
use worker::Result;

use super::{int, text, Store};

/// An outbox row as the consumer needs it.
#[derive(Debug, Deserialize)]
pub struct OutboxRow {
    /// Present when read for a batch (`Store::claim_batch`).
    #[serde(default)]
    pub id: i64,
    pub idempotency_key: String,
    pub channel: String,
    pub recipient: String,
    pub template: String,
    pub lang: String,
    pub payload: String,
    pub status: String,
    /// The request the notification is about, if any: its code and holder (email, else mobile;
    /// `domain::contact::holder`) sign the tracking link.
    pub request_code: Option<String>,
    pub request_holder: Option<String>,
    /// What staff mails show of the request, read when they are rendered (never stored twice).
    pub request_nature: Option<String>,
    pub request_body: Option<String>,
    pub request_message: Option<String>,
}

impl Store {
    /// A notification not tied to one request (forgotten codes, sign-in links); returns its id.
    #[allow(clippy::too_many_arguments)]
    pub async fn insert_outbox(&self, key: &str, channel: &str, recipient: &str, template: &str, lang: &str, payload: &str, now: i64) -> Result<i64> {
        self.insert_outbox_once(key, None, channel, recipient, template, lang, payload, now)
            .await?
            .ok_or_else(|| worker::Error::RustError(format!("outbox key {key} already used")))
    }

    /// Rows the sweeper must (re)send: never enqueued after a minute, enqueued long ago without
    /// result, or held by a consumer whose claim expired.
    /// Rows to send again: never enqueued (a minute on), enqueued `stuck_ms` ago and never
    /// delivered (the queue lost them), or claimed by a consumer that died (lease long past).
    pub async fn outbox_to_sweep(&self, now: i64, stuck_ms: i64, limit: i64) -> Result<Vec<i64>> {
        #[derive(Deserialize)]
        struct Row {
            id: i64,
        }
        let rows = self
            .db
            .prepare(
                "SELECT id FROM outbox WHERE
                   (status = 'pending' AND created_at < ?1 - 60000)
                   OR (status = 'enqueued' AND enqueued_at < ?1 - ?3)
                   OR (status = 'sending' AND claimed_until < ?1 - min(?3, 600000))
                 ORDER BY created_at LIMIT ?2",
            )
            .bind(&[int(now), int(limit), int(stuck_ms)])?
            .all()
            .await?
            .results::<Row>()?;
        Ok(rows.into_iter().map(|r| r.id).collect())
    }

    pub async fn mark_enqueued(&self, ids: &[i64], now: i64) -> Result<()> {
        let statements = ids
            .iter()
            .map(|id| {
                self.db
                    .prepare("UPDATE outbox SET status = 'enqueued', enqueued_at = ?2 WHERE id = ?1 AND status IN ('pending', 'enqueued', 'sending')")
                    .bind(&[int(*id), int(now)])
            })
            .collect::<Result<Vec<_>>>()?;
        if statements.is_empty() {
            return Ok(());
        }
        self.run_batch(statements).await
    }

    /// A row the queue gave up on (dead-letter queue): failed, visible to admins.
    pub async fn give_up_outbox(&self, id: i64, reason: &str) -> Result<()> {
        self.db
            .prepare("UPDATE outbox SET status = 'failed', last_error = ?2, claimed_until = NULL WHERE id = ?1 AND status != 'sent'")
            .bind(&[int(id), text(reason)])?
            .run()
            .await?;
        Ok(())
    }

    pub async fn provider_token(&self, provider: &str, now: i64) -> Result<Option<String>> {
        #[derive(Deserialize)]
        struct Row {
            token: String,
        }
        let row = self
            .db
            .prepare("SELECT token FROM provider_tokens WHERE provider = ?1 AND expires_at > ?2")
            .bind(&[text(provider), int(now)])?
            .first::<Row>(None)
            .await?;
        Ok(row.map(|r| r.token))
    }

    pub async fn save_provider_token(&self, provider: &str, token: &str, expires_at: i64) -> Result<()> {
        self.db
            .prepare(
                "INSERT INTO provider_tokens (provider, token, expires_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (provider) DO UPDATE SET token = excluded.token, expires_at = excluded.expires_at",
            )
            .bind(&[text(provider), text(token), int(expires_at)])?
            .run()
            .await?;
        Ok(())
    }

    pub async fn forget_provider_token(&self, provider: &str) -> Result<()> {
        self.db.prepare("DELETE FROM provider_tokens WHERE provider = ?1").bind(&[text(provider)])?.run().await?;
        Ok(())
    }
}
