//! One-time codes for tracking by code + mobile (`domain::otp`): issued with their SMS in one
//! batch, judged against a keyed digest, spent atomically.

use serde::Deserialize;
use worker::Result;

use super::rate_limits::RATE_LIMIT_ADD;
use super::*;
use crate::domain::code::RequestCode;
use crate::domain::notification::Template;
use crate::domain::otp::{Issued, MAX_TRIES, VALID_MS};
use crate::domain::rate_limit::{self, Window};

/// The request a code names, with what the mobile path compares and sends to.
#[derive(Debug, Clone, Deserialize)]
pub struct CodeHolder {
    pub id: i64,
    pub phone: String,
    pub lang: String,
}

#[derive(Deserialize)]
pub(super) struct IssuedRow {
    id: i64,
    reference: String,
    digest: String,
    expires_at: i64,
    tries: i64,
    used_at: Option<i64>,
}

impl IssuedRow {
    pub(super) fn into_issued(self) -> (i64, Issued) {
        let issued = Issued {
            reference: self.reference,
            digest: self.digest,
            expires_at: self.expires_at,
            tries: self.tries,
            used: self.used_at.is_some(),
        };
        (self.id, issued)
    }
}

impl Store {
    pub async fn code_holder(&self, code: RequestCode) -> Result<Option<CodeHolder>> {
        self.db
            .prepare("SELECT id, phone, lang FROM requests WHERE code = ?1")
            .bind(&[text(&code.to_string())])?
            .first::<CodeHolder>(None)
            .await
    }

    /// Records a code (its digest) and queues its SMS in one batch. The SMS counts against the
    /// number's hourly limit; the code and its SMS exist only within it. Returns the outbox id
    /// when queued.
    #[allow(clippy::too_many_arguments)]
    pub async fn issue_tracking_code(
        &self,
        holder: &CodeHolder,
        reference: &str,
        digest: &str,
        now: i64,
        sms_per_hour: i64,
    ) -> Result<Option<i64>> {
        let window = Window::hour(now).start;
        let bucket = rate_limit::bucket("otp:phone", &holder.phone);
        let payload = serde_json::json!({ "secret_ref": reference }).to_string();
        // Counted first; the code and its SMS only within the number's cap: a code nobody
        // receives is never stored, so asking again past the cap makes nothing to guess.
        let within = "(SELECT hits FROM rate_limits WHERE bucket = ?1 AND window_start = ?2) <= ?3";
        let statements = vec![
            self.db.prepare(RATE_LIMIT_ADD).bind(&[text(&bucket), int(window), int(1)])?,
            self.db
                .prepare(format!(
                    "INSERT INTO tracking_otps (request_id, reference, digest, created_at, expires_at)
                     SELECT ?4, ?5, ?6, ?7, ?8 WHERE {within}"
                ))
                .bind(&[
                    text(&bucket),
                    int(window),
                    int(sms_per_hour),
                    int(holder.id),
                    text(reference),
                    text(digest),
                    int(now),
                    int(now + VALID_MS),
                ])?,
            self.db
                .prepare(insert_outbox_sql(
                    &OutboxColumns {
                        key: "?4",
                        request: "?5",
                        channel: "'sms'",
                        recipient: "?6",
                        template: Template::TrackingCode,
                        lang: "?7",
                        payload: "?8",
                        created_at: "?9",
                    },
                    &format!("WHERE {within}"),
                ))
                .bind(&[
                    text(&bucket),
                    int(window),
                    int(sms_per_hour),
                    text(&format!("{}:{reference}", Template::TrackingCode.slug())),
                    int(holder.id),
                    text(&holder.phone),
                    text(&holder.lang),
                    text(&payload),
                    int(now),
                ])?,
        ];
        let results = self.db.batch(statements).await?;
        #[derive(Deserialize)]
        struct Id {
            id: i64,
        }
        Ok(results
            .last()
            .and_then(|r| r.results::<Id>().ok())
            .and_then(|ids| ids.first().map(|i| i.id)))
    }

    /// The statement reading the latest code of the request with this code (`?1`), for a lookup
    /// batch: the same read whether or not the request exists.
    pub(super) const LATEST_CODE_BY_REQUEST_CODE: &'static str =
        "SELECT id, reference, digest, expires_at, tries, used_at FROM tracking_otps
         WHERE request_id = (SELECT id FROM requests WHERE code = ?1) ORDER BY created_at DESC, id DESC LIMIT 1";

    /// A wrong code: one try spent (never beyond the maximum).
    pub async fn spend_tracking_try(&self, id: i64) -> Result<()> {
        self.db
            .prepare("UPDATE tracking_otps SET tries = tries + 1 WHERE id = ?1 AND tries < ?2")
            .bind(&[int(id), int(MAX_TRIES)])?
            .run()
            .await?;
        Ok(())
    }

    /// The right code: spent now, if nobody spent it first (two tabs, a replay). True when this
    /// call spent it.
    pub async fn use_tracking_code(&self, id: i64, now: i64) -> Result<bool> {
        #[derive(Deserialize)]
        struct Id {
            #[allow(dead_code)]
            id: i64,
        }
        let spent = self
            .db
            .prepare("UPDATE tracking_otps SET used_at = ?2 WHERE id = ?1 AND used_at IS NULL AND tries < ?3 AND expires_at > ?2 RETURNING id")
            .bind(&[int(id), int(now), int(MAX_TRIES)])?
            .first::<Id>(None)
            .await?;
        Ok(spent.is_some())
    }

    /// «Code oublié ?» by SMS: the codes of a mobile's requests, newest first.
    pub async fn codes_for_phone(&self, phone: &str) -> Result<Vec<String>> {
        #[derive(Deserialize)]
        struct Row {
            code: String,
        }
        let rows = self
            .db
            .prepare("SELECT code FROM requests WHERE phone = ?1 AND phone <> '' ORDER BY created_at DESC LIMIT 50")
            .bind(&[text(phone)])?
            .all()
            .await?
            .results::<Row>()?;
        Ok(rows.into_iter().map(|r| r.code).collect())
    }
}
