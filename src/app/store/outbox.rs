//! The transactional outbox and the delivery log.

use serde::Deserialize;
use worker::Result;

use super::{int, json_array, text, Store};
use crate::domain::notification::Template;

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
    /// Until when a consumer holds the row (ms), while it is `sending`.
    #[serde(default)]
    pub claimed_until: Option<i64>,
    /// The request the notification is about, if any: its code and holder (email, else mobile;
    /// `domain::contact::holder`) sign the tracking link.
    pub request_code: Option<String>,
    pub request_holder: Option<String>,
    /// What staff mails show of the request, read when they are rendered (never stored twice).
    pub request_nature: Option<String>,
    pub request_body: Option<String>,
    pub request_message: Option<String>,
}

/// Where an outbox row's values come from. Each is an SQL expression — a parameter, a column
/// of the statement's source, a literal — except the template, which is typed: a template that
/// does not exist cannot be queued.
pub(super) struct OutboxColumns<'a> {
    pub key: &'a str,
    pub request: &'a str,
    pub channel: &'a str,
    pub recipient: &'a str,
    pub template: Template,
    pub lang: &'a str,
    pub payload: &'a str,
    pub created_at: &'a str,
}

/// The one statement that writes outbox rows, from `source` (`FROM … WHERE …`, or just a
/// `WHERE` condition; SQLite needs a WHERE before ON CONFLICT): a key already used writes
/// nothing, and the ids written come back (`RETURNING id`: the batch's caller queues them).
pub(super) fn insert_outbox_sql(c: &OutboxColumns<'_>, source: &str) -> String {
    format!(
        "INSERT INTO outbox (idempotency_key, request_id, channel, recipient, template, lang, payload, created_at)
         SELECT {}, {}, {}, {}, '{}', {}, {}, {} {source}
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
        c.key,
        c.request,
        c.channel,
        c.recipient,
        c.template.slug(),
        c.lang,
        c.payload,
        c.created_at
    )
}

/// A message a change writes with itself (the citizen's mail or SMS about it).
pub struct Message {
    pub key: String,
    pub channel: &'static str,
    pub recipient: String,
    pub template: Template,
    pub lang: String,
    pub payload: String,
}

impl Store {
    /// A notification not tied to one request (forgotten codes, sign-in links); returns its id.
    #[allow(clippy::too_many_arguments)]
    pub async fn insert_outbox(
        &self,
        key: &str,
        channel: &str,
        recipient: &str,
        template: Template,
        lang: &str,
        payload: &str,
        now: i64,
    ) -> Result<i64> {
        self.insert_outbox_once(key, None, channel, recipient, template, lang, payload, now)
            .await?
            .ok_or_else(|| worker::Error::RustError(format!("outbox key {key} already used")))
    }

    /// Writes a notification unless one with the same key exists (a job run twice sends nothing
    /// twice); returns the new row's id.
    #[allow(clippy::too_many_arguments)]
    pub async fn insert_outbox_once(
        &self,
        key: &str,
        request_id: Option<i64>,
        channel: &str,
        recipient: &str,
        template: Template,
        lang: &str,
        payload: &str,
        now: i64,
    ) -> Result<Option<i64>> {
        #[derive(Deserialize)]
        struct Row {
            id: i64,
        }
        let columns = OutboxColumns {
            key: "?1",
            request: "?2",
            channel: "?3",
            recipient: "?4",
            template,
            lang: "?5",
            payload: "?6",
            created_at: "?7",
        };
        let row = self
            .db
            .prepare(insert_outbox_sql(&columns, "WHERE true"))
            .bind(&[
                text(key),
                request_id.map_or(wasm_bindgen::JsValue::NULL, int),
                text(channel),
                text(recipient),
                text(lang),
                text(payload),
                int(now),
            ])?
            .first::<Row>(None)
            .await?;
        Ok(row.map(|r| r.id))
    }

    /// Rows the sweeper must (re)send: still pending a minute on (never reached the queue, or wait
    /// in a long one: re-sent once, then marked enqueued), enqueued or set back for a retry
    /// `stuck_ms` ago and never delivered (the queue lost them), or claimed by a consumer that
    /// died (lease long past).
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
                   OR (status = 'enqueued' AND coalesce(enqueued_at, created_at) < ?1 - ?3)
                   OR (status = 'sending' AND claimed_until < ?1 - min(?3, 600000))
                 ORDER BY created_at LIMIT ?2",
            )
            .bind(&[int(now), int(limit), int(stuck_ms)])?
            .all()
            .await?
            .results::<Row>()?;
        Ok(rows.into_iter().map(|r| r.id).collect())
    }

    /// Rows the sweeper re-sent: trusted to the queue from now on (a live claim is left alone).
    pub async fn mark_enqueued(&self, ids: &[i64], now: i64) -> Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        self.db
            .prepare(
                "UPDATE outbox SET status = 'enqueued', enqueued_at = ?2, claimed_until = NULL
                 WHERE id IN (SELECT value FROM json_each(?1))
                   AND (status IN ('pending', 'enqueued') OR (status = 'sending' AND claimed_until < ?2))",
            )
            .bind(&[json_array(ids), int(now)])?
            .run()
            .await?;
        Ok(())
    }

    /// A row the queue gave up on (dead-letter queue): failed, visible to admins, once a provider
    /// was tried at least once. A row already
    /// finished keeps its own outcome (a provider's refusal is not rewritten as the queue's), and
    /// a row a consumer still holds is left to it: that consumer records what happened.
    pub async fn give_up_outbox(&self, id: i64, reason: &str, now: i64) -> Result<()> {
        const GIVEN_UP: &str =
            "(status IN ('pending', 'enqueued') OR (status = 'sending' AND claimed_until < ?2))";
        self.run_batch(vec![
            // An attempt left open by a consumer that died is closed, as the next claim would.
            self.db
                .prepare(format!(
                    "UPDATE delivery_attempts SET status = 'temporary_failure', error = '{}', finished_at = ?2
                     WHERE status = 'sending' AND outbox_id = (SELECT id FROM outbox WHERE id = ?1 AND {GIVEN_UP})",
                    super::delivery::INTERRUPTED
                ))
                .bind(&[int(id), int(now)])?,
            self.db
                .prepare(format!("UPDATE outbox SET status = 'failed', last_error = ?3, claimed_until = NULL WHERE id = ?1 AND attempts > 0 AND {GIVEN_UP}"))
                .bind(&[int(id), int(now), text(reason)])?,
            // Never tried (every delivery found the database failing): not a failure of the
            // message. It goes back to the sweeper, which re-sends it after the stuck delay.
            self.db
                .prepare("UPDATE outbox SET status = 'enqueued', enqueued_at = ?2 WHERE id = ?1 AND attempts = 0 AND status IN ('pending', 'enqueued')")
                .bind(&[int(id), int(now)])?,
        ])
        .await
    }

    /// A provider's access token while valid, with when it expires (ms).
    pub async fn provider_token(&self, provider: &str, now: i64) -> Result<Option<(String, i64)>> {
        #[derive(Deserialize)]
        struct Row {
            token: String,
            expires_at: i64,
        }
        let row = self
            .db
            .prepare("SELECT token, expires_at FROM provider_tokens WHERE provider = ?1 AND expires_at > ?2")
            .bind(&[text(provider), int(now)])?
            .first::<Row>(None)
            .await?;
        Ok(row.map(|r| (r.token, r.expires_at)))
    }

    pub async fn save_provider_token(
        &self,
        provider: &str,
        token: &str,
        expires_at: i64,
    ) -> Result<()> {
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
        self.db
            .prepare("DELETE FROM provider_tokens WHERE provider = ?1")
            .bind(&[text(provider)])?
            .run()
            .await?;
        Ok(())
    }
}
