//! The USSD and SMS channels (issue #30): sessions and the language of each number (by the
//! number's hash, never the number), and what a handset may read of its own requests.

use serde::Deserialize;
use worker::{D1Result, Result};

use super::rate_limits::Counted;
use super::{int, opt_text, text, Store};
use crate::domain::code::RequestCode;
use crate::domain::nature::Nature;
use crate::domain::stage::Stage;

/// A number's stored USSD session.
#[derive(Debug, Clone, Deserialize)]
pub struct UssdRow {
    pub session_key: String,
    /// `domain::ussd::Session` as JSON.
    pub state: String,
    /// The gateway's text last answered, and the answer it got.
    pub seen: String,
    pub answer: String,
    pub updated_at: i64,
}

/// What one USSD screen reads first, in one round trip: the counters (this callback counted),
/// the number's session and its language.
pub struct UssdRead {
    pub counts: Vec<i64>,
    pub row: Option<UssdRow>,
    pub lang: Option<String>,
}

/// One of a number's requests, as its handset sees it.
#[derive(Debug, Clone, Deserialize)]
pub struct HandsetRequest {
    pub id: i64,
    pub code: String,
    pub nature: Nature,
    pub body_name: String,
    pub stage: Stage,
    pub treated_at: Option<i64>,
    /// The body's answer (the last treatment's note), when there is one.
    pub answer: Option<String>,
}

const HANDSET_REQUEST: &str =
    "SELECT r.id, r.code, r.nature, b.name AS body_name, r.stage, r.treated_at,
       (SELECT CASE WHEN e.note_visible = 1 THEN e.note END FROM request_events e
        WHERE e.request_id = r.id AND e.event = 'treated' AND e.visible_to_citizen = 1
        ORDER BY e.at DESC, e.id DESC LIMIT 1) AS answer
     FROM requests r JOIN bodies b ON b.id = r.body_id";

#[derive(Deserialize)]
struct Lang {
    lang: String,
}

impl Store {
    /// Counts this callback in `buckets` and reads the number's session and language, together.
    pub async fn ussd_read(
        &self,
        number_key: &str,
        buckets: &[String],
        window_start: i64,
    ) -> Result<UssdRead> {
        let statements = vec![
            self.count_hits(buckets, window_start)?,
            self.db
                .prepare("SELECT session_key, state, seen, answer, updated_at FROM ussd_sessions WHERE number_key = ?1")
                .bind(&[text(number_key)])?,
            self.db
                .prepare("SELECT lang FROM channel_numbers WHERE number_key = ?1")
                .bind(&[text(number_key)])?,
        ];
        let [counted, row, lang] = <[D1Result; 3]>::try_from(self.db.batch(statements).await?)
            .map_err(|_| worker::Error::RustError("ussd batch".into()))?;
        Ok(UssdRead {
            counts: Counted::totals(buckets, &counted.results::<Counted>()?),
            row: row.results::<UssdRow>()?.into_iter().next(),
            lang: lang.results::<Lang>()?.into_iter().next().map(|l| l.lang),
        })
    }

    /// Stores the session as answered (and the number's language when it was chosen), together.
    #[allow(clippy::too_many_arguments)]
    pub async fn ussd_write(
        &self,
        number_key: &str,
        session_key: &str,
        state: &str,
        seen: &str,
        answer: &str,
        now: i64,
        chosen_lang: Option<&str>,
    ) -> Result<()> {
        let mut statements = vec![self
            .db
            .prepare(
                "INSERT INTO ussd_sessions (number_key, session_key, state, seen, answer, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (number_key) DO UPDATE SET session_key = excluded.session_key, state = excluded.state,
                   seen = excluded.seen, answer = excluded.answer, updated_at = excluded.updated_at",
            )
            .bind(&[text(number_key), text(session_key), text(state), text(seen), text(answer), int(now)])?];
        if let Some(lang) = chosen_lang {
            statements.push(self.number_lang_statement(number_key, lang, now)?);
        }
        self.run_batch(statements).await
    }

    fn number_lang_statement(&self, number_key: &str, lang: &str, now: i64) -> Result<super::Stmt> {
        self.db
            .prepare(
                "INSERT INTO channel_numbers (number_key, lang, updated_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (number_key) DO UPDATE SET lang = excluded.lang, updated_at = excluded.updated_at",
            )
            .bind(&[text(number_key), text(lang), int(now)])
    }

    /// Counts an inbound SMS in `buckets` and reads the number's language, together.
    pub async fn sms_read(
        &self,
        number_key: &str,
        buckets: &[String],
        window_start: i64,
    ) -> Result<(Vec<i64>, Option<String>)> {
        let statements = vec![
            self.count_hits(buckets, window_start)?,
            self.db
                .prepare("SELECT lang FROM channel_numbers WHERE number_key = ?1")
                .bind(&[text(number_key)])?,
        ];
        let [counted, lang] = <[D1Result; 2]>::try_from(self.db.batch(statements).await?)
            .map_err(|_| worker::Error::RustError("sms batch".into()))?;
        Ok((
            Counted::totals(buckets, &counted.results::<Counted>()?),
            lang.results::<Lang>()?.into_iter().next().map(|l| l.lang),
        ))
    }

    /// Sessions last answered before `before`: over, and past the time they are offered again.
    pub async fn drop_ussd_sessions_before(&self, before: i64) -> Result<i64> {
        let result = self
            .db
            .prepare("DELETE FROM ussd_sessions WHERE updated_at < ?1")
            .bind(&[int(before)])?
            .run()
            .await?;
        Ok(result.meta()?.and_then(|m| m.changes).unwrap_or(0) as i64)
    }

    /// The number's last `limit` requests, newest first.
    pub async fn handset_requests(&self, phone: &str, limit: i64) -> Result<Vec<HandsetRequest>> {
        self.db
            .prepare(format!(
                "{HANDSET_REQUEST} WHERE r.phone = ?1 AND r.phone <> '' ORDER BY r.created_at DESC, r.id DESC LIMIT ?2"
            ))
            .bind(&[text(phone), int(limit)])?
            .all()
            .await?
            .results::<HandsetRequest>()
    }

    /// One request by its id, if it is this number's.
    pub async fn handset_request(&self, id: i64, phone: &str) -> Result<Option<HandsetRequest>> {
        self.db
            .prepare(format!(
                "{HANDSET_REQUEST} WHERE r.id = ?1 AND r.phone = ?2 AND r.phone <> ''"
            ))
            .bind(&[int(id), text(phone)])?
            .first::<HandsetRequest>(None)
            .await
    }

    /// One request by its code, if it is this number's: a wrong code and another number's read
    /// the same row count, nothing.
    pub async fn handset_request_by_code(
        &self,
        code: RequestCode,
        phone: Option<&str>,
    ) -> Result<Option<HandsetRequest>> {
        self.db
            .prepare(format!(
                "{HANDSET_REQUEST} WHERE r.code = ?1 AND (?2 IS NULL OR (r.phone = ?2 AND r.phone <> ''))"
            ))
            .bind(&[text(&code.to_string()), opt_text(phone)])?
            .first::<HandsetRequest>(None)
            .await
    }

    /// The number's requests awaiting its verdict (two at most: one is the answer, two ask which).
    pub async fn awaiting_verdict_of(&self, phone: &str) -> Result<Vec<HandsetRequest>> {
        // `+r.stage`: the number's index leads; left to itself SQLite walked every treated
        // request (0.17 s at a million, on a USSD screen).
        self.db
            .prepare(format!(
                "{HANDSET_REQUEST} WHERE r.phone = ?1 AND r.phone <> '' AND +r.stage = 'treated' ORDER BY r.treated_at DESC LIMIT 2"
            ))
            .bind(&[text(phone)])?
            .all()
            .await?
            .results::<HandsetRequest>()
    }
}
