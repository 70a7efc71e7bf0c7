//! What the citizen's tracking pages read and the changes they make.

use serde::Deserialize;
use worker::Result;

use super::rate_limits::Counted;
use super::{int, json_array, text, Store};
use crate::domain::code::RequestCode;
use crate::domain::lang::Lang;
use crate::domain::nature::Nature;
use crate::domain::stage::{Stage, Verdict};

/// A request as its citizen sees it.
#[derive(Debug, Clone, Deserialize)]
pub struct Tracked {
    pub id: i64,
    pub code: String,
    pub nature: Nature,
    pub body_id: i64,
    pub body_name: String,
    pub theme: Option<String>,
    pub place: Option<String>,
    pub abroad_country: Option<String>,
    pub abroad_city: Option<String>,
    pub stage: Stage,
    /// How it came in: web, api, phone, open311.
    pub channel: String,
    pub message: String,
    pub email: String,
    pub phone: String,
    /// «Prénoms Nom» when given.
    pub full_name: Option<String>,
    pub lang: String,
    pub created_at: i64,
    pub treated_at: Option<i64>,
    pub verdict: Option<Verdict>,
    pub verdict_comment: Option<String>,
    pub version: i64,
    /// The current step's deadline (stages 1 and 2).
    pub due_at: Option<i64>,
    /// When the request reached a final stage.
    pub closed_at: Option<i64>,
    /// 1 once an analyst clarified the verdict given since `closed_at`.
    pub examined: i64,
    /// What an Open311 partner sent (position, address), for staff only.
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub address: Option<String>,
    /// Who holds it within its body, and their name.
    #[serde(default)]
    pub assignee_id: Option<i64>,
    #[serde(default)]
    pub assignee_name: Option<String>,
    /// The main request it follows, once merged, and the stage it had before.
    #[serde(default)]
    pub merged_into: Option<i64>,
    #[serde(default)]
    pub stage_before_merge: Option<Stage>,
    /// Only in a lookup's read: the visible history and the files, as JSON (`LookupRead` has them parsed).
    #[serde(default)]
    history_json: Option<String>,
    #[serde(default)]
    files_json: Option<String>,
}

impl Tracked {
    /// What its links and sessions are signed with: the email, else the mobile.
    pub fn holder(&self) -> &str {
        crate::domain::contact::holder(&self.email, &self.phone)
    }
}

/// One visible event of a request's history.
#[derive(Debug, Clone, Deserialize)]
pub struct HistoryEvent {
    pub at: i64,
    pub event: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct FileRow {
    pub id: i64,
    pub file_name: String,
    pub kind: String,
    pub size: i64,
    pub r2_key: String,
    /// «citizen», or «staff» for a file the body attached to its answer.
    pub origin: String,
    /// A voice note's length.
    #[serde(default)]
    pub duration_ms: Option<i64>,
}

impl FileRow {
    pub fn kind_is_audio(&self) -> bool {
        crate::domain::attachment::AttachmentKind::parse_slug(&self.kind)
            .is_some_and(crate::domain::attachment::AttachmentKind::is_audio)
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct CodeListing {
    pub code: String,
    pub nature: String,
    pub body_name: String,
    pub created_at: i64,
}

/// What a tracking lookup reads, in one round trip: each counter after this attempt was counted
/// in it (atomically, before anything is answered), and the request with its visible history and files.
pub struct LookupRead {
    /// The totals of the buckets asked for, in the same order.
    pub counts: Vec<i64>,
    /// The latest one-time code of the request with the code asked, when asked for (`with_otp`).
    pub latest_code: Option<(i64, crate::domain::otp::Issued)>,
    pub tracked: Option<Tracked>,
    pub history: Vec<HistoryEvent>,
    pub files: Vec<FileRow>,
}

/// The request as its citizen sees it; with `extras`, its visible history and its files as two
/// more columns of JSON (`history_json`, `files_json`), so a lookup reads all in one statement.
fn tracked_sql(lang: Lang, extras: bool) -> String {
    let (category, label) = match lang {
        Lang::Fr => ("t.category_fr", "t.label_fr"),
        Lang::En => ("t.category_en", "t.label_en"),
    };
    // (A subquery in FROM cannot name `r`: it finds the request by its code again.)
    let extras = if extras {
        ",
                    (SELECT json_group_array(json_object('at', at, 'event', event, 'note', note)) FROM
                      (SELECT at, event, CASE WHEN note_visible = 1 THEN note END AS note FROM request_events
                       WHERE request_id = (SELECT id FROM requests WHERE code = ?1)
                       AND visible_to_citizen = 1 ORDER BY at, id)) AS history_json,
                    (SELECT json_group_array(json_object('id', id, 'file_name', file_name, 'kind', kind, 'size', size, 'r2_key', r2_key, 'origin', origin)) FROM
                      (SELECT id, file_name, kind, size, r2_key, origin, duration_ms FROM attachments WHERE request_id = (SELECT id FROM requests WHERE code = ?1)
                       ORDER BY id)) AS files_json"
    } else {
        ""
    };
    format!(
        "SELECT r.id, r.code, r.nature, r.body_id, b.name AS body_name,
                    CASE WHEN t.id IS NULL THEN NULL ELSE {category} || ' : ' || {label} END AS theme,
                    p.name AS place, r.abroad_country, r.abroad_city, r.stage, r.channel, r.message, r.email, r.phone,
                    nullif(trim(coalesce(r.first_names, '') || ' ' || coalesce(r.last_name, '')), '') AS full_name, r.lang,
                    r.created_at, r.treated_at, r.verdict, r.verdict_comment, r.version, r.due_at, r.closed_at,
                    EXISTS (SELECT 1 FROM request_events e WHERE e.request_id = r.id AND e.event = 'clarified' AND e.at >= r.closed_at) AS examined,
                    r.lat, r.lon, r.address, r.assignee_id, (SELECT name FROM staff WHERE id = r.assignee_id) AS assignee_name,
                    r.merged_into, r.stage_before_merge{extras}
             FROM requests r JOIN bodies b ON b.id = r.body_id
             LEFT JOIN themes t ON t.id = r.theme_id LEFT JOIN places p ON p.id = r.place_id
             WHERE r.code = ?1"
    )
}

const HISTORY_SQL: &str =
    "SELECT at, event, CASE WHEN note_visible = 1 THEN note END AS note FROM request_events
                           WHERE request_id = {id} AND visible_to_citizen = 1 ORDER BY at, id";
const FILES_SQL: &str = "SELECT id, file_name, kind, size, r2_key, origin, duration_ms FROM attachments WHERE request_id = {id} ORDER BY id";

impl Store {
    pub async fn tracked(&self, code: RequestCode, lang: Lang) -> Result<Option<Tracked>> {
        self.db
            .prepare(tracked_sql(lang, false))
            .bind(&[text(&code.to_string())])?
            .first::<Tracked>(None)
            .await
    }

    /// A request by its id, as its citizen sees it (the main request a follower follows).
    pub async fn tracked_by_id(&self, id: i64, lang: Lang) -> Result<Option<Tracked>> {
        self.db
            .prepare(tracked_sql(lang, false).replace("WHERE r.code = ?1", "WHERE r.id = ?1"))
            .bind(&[int(id)])?
            .first::<Tracked>(None)
            .await
    }

    /// A lookup as one D1 batch (one round trip; a batch is a transaction): every bucket counts
    /// this attempt first, in one upsert, then one statement reads the request with its visible
    /// history and its files (as JSON columns of the same row). Parallel guesses each see a distinct
    /// total, so no more than the limit of them are ever compared with the stored email.
    /// `refund`: the email asked for and each bucket's limit. When the code and that email match
    /// and no counter is over its limit, the same batch gives the counters back (the citizen's
    /// own lookups are not failures), so a successful lookup is still one round trip.
    pub async fn lookup_read(
        &self,
        code: RequestCode,
        lang: Lang,
        buckets: &[String],
        window_start: i64,
        refund: Option<(&str, &[i64])>,
        with_otp: bool,
    ) -> Result<LookupRead> {
        let code = text(&code.to_string());
        let mut statements = Vec::new();
        if !buckets.is_empty() {
            statements.push(self.count_hits(buckets, window_start)?);
        }
        if let (Some((email, limits)), false) = (refund, buckets.is_empty()) {
            let pairs: Vec<(&str, i64)> =
                buckets.iter().map(String::as_str).zip(limits.iter().copied()).collect();
            statements.push(
                self.db
                    .prepare(
                        "UPDATE rate_limits SET hits = max(hits - 1, 0)
                         WHERE window_start = ?1 AND bucket IN (SELECT value FROM json_each(?2))
                           AND EXISTS (SELECT 1 FROM requests WHERE code = ?3 AND email = ?4)
                           AND NOT EXISTS (SELECT 1 FROM rate_limits x JOIN json_each(?5) l ON x.bucket = json_extract(l.value, '$[0]')
                                           WHERE x.window_start = ?1 AND x.hits > json_extract(l.value, '$[1]'))",
                    )
                    .bind(&[int(window_start), json_array(buckets), code.clone(), text(email), json_array(&pairs)])?,
            );
        }
        if with_otp {
            statements.push(
                self.db
                    .prepare(Store::LATEST_CODE_BY_REQUEST_CODE)
                    .bind(std::slice::from_ref(&code))?,
            );
        }
        statements.push(self.db.prepare(tracked_sql(lang, true)).bind(&[code])?);
        let mut results = self.db.batch(statements).await?;
        let Some(tracked) = results.pop() else {
            return Err(worker::Error::RustError("lookup batch".into()));
        };
        let latest_code = match with_otp {
            true => results
                .pop()
                .ok_or_else(|| worker::Error::RustError("lookup batch".into()))?
                .results::<super::otp::IssuedRow>()?
                .into_iter()
                .next()
                .map(super::otp::IssuedRow::into_issued),
            false => None,
        };
        // Statements before the reads: the counting upsert, then the conditional refund if any.
        let counted = match results.into_iter().next() {
            Some(r) => r.results::<Counted>()?,
            None => Vec::new(),
        };
        let counts = Counted::totals(buckets, &counted);
        let Some(mut tracked) = tracked.results::<Tracked>()?.into_iter().next() else {
            return Ok(LookupRead {
                counts,
                latest_code,
                tracked: None,
                history: Vec::new(),
                files: Vec::new(),
            });
        };
        let json = |e: serde_json::Error| worker::Error::RustError(format!("lookup json: {e}"));
        let (history, files) = (
            tracked.history_json.take().unwrap_or_else(|| "[]".into()),
            tracked.files_json.take().unwrap_or_else(|| "[]".into()),
        );
        Ok(LookupRead {
            counts,
            latest_code,
            history: serde_json::from_str(&history).map_err(json)?,
            files: serde_json::from_str(&files).map_err(json)?,
            tracked: Some(tracked),
        })
    }

    /// The history the citizen may see, oldest first.
    pub async fn history(&self, request_id: i64) -> Result<Vec<HistoryEvent>> {
        self.db
            .prepare(HISTORY_SQL.replace("{id}", "?1"))
            .bind(&[int(request_id)])?
            .all()
            .await?
            .results::<HistoryEvent>()
    }

    pub async fn request_files(&self, request_id: i64) -> Result<Vec<FileRow>> {
        self.db
            .prepare(FILES_SQL.replace("{id}", "?1"))
            .bind(&[int(request_id)])?
            .all()
            .await?
            .results::<FileRow>()
    }

    pub async fn codes_for_email(&self, email: &str) -> Result<Vec<CodeListing>> {
        self.db
            .prepare(
                "SELECT r.code, r.nature, b.name AS body_name, r.created_at FROM requests r
                 JOIN bodies b ON b.id = r.body_id WHERE r.email = ?1 ORDER BY r.created_at DESC LIMIT 50",
            )
            .bind(&[text(email)])?
            .all()
            .await?
            .results::<CodeListing>()
    }
}
