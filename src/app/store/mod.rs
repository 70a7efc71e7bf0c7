//! The D1 store: every SQL statement the worker runs lives in this module (this file and its children).

mod admin;
mod alerts;
mod jobs;
mod open311;
mod outbox;
mod staff;
mod stats;
mod tracking;
pub use outbox::{Claim, OutboxRow};
pub use admin::BodyAdmin;
pub use jobs::DueItem;
pub use open311::{PublicRequest, ServiceRow};
pub use staff::QueueFilter;
pub use stats::{BodyFacts, StatsLabels};
pub use tracking::{Change, ChangeKind, LookupRead, Tracked};

use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1DatabaseSession, D1PreparedStatement, D1Result, Env, Result};

use crate::domain::attachment::CheckedFile;
use crate::domain::body::{Body, BodyPhone};
use crate::domain::text::fold;
use crate::domain::code::RequestCode;
use crate::domain::deadline::{DayCount, Deadline, Holidays};
use crate::domain::time::day_iso;
use crate::domain::nature::Nature;
use crate::domain::open311::PublicId;
use crate::domain::rate_limit::{self, Window};
use crate::domain::stage::{Channel, Stage};
use crate::domain::submission::{PlaceChoice, Submission};
use crate::domain::notice::Alert;
use crate::i18n::Lang;
use crate::web::submit::{PlaceOption, StagedFile, ThemeOption};

pub(super) fn text(s: &str) -> JsValue {
    JsValue::from_str(s)
}
/// D1 numbers cross as f64: exact for every id and timestamp we store (< 2^53).
pub(super) fn int(n: i64) -> JsValue {
    JsValue::from_f64(n as f64)
}
pub(super) fn opt_text(s: Option<&str>) -> JsValue {
    s.map_or(JsValue::NULL, text)
}
/// A list as one parameter, read in SQL with `IN (SELECT value FROM json_each(?n))`.
pub(super) fn json_array<T: serde::Serialize>(items: &[T]) -> JsValue {
    text(&serde_json::to_string(items).unwrap_or_else(|_| "[]".into()))
}
fn opt_int(n: Option<i64>) -> JsValue {
    n.map_or(JsValue::NULL, int)
}

pub struct Store {
    pub(super) db: Conn,
}

/// Which body's deadlines apply: a body's, or the one a request is with.
pub(super) enum BodyOf {
    Body(i64),
    Request(i64),
}

/// The database, or a D1 session over it (Sessions API: reads may be served by a nearby replica,
/// in an order consistent with the bookmark the session started from).
pub(super) enum Conn {
    Db(D1Database),
    Session(D1DatabaseSession),
}

impl Conn {
    pub(super) fn prepare<T: Into<String>>(&self, query: T) -> D1PreparedStatement {
        match self {
            Conn::Db(db) => db.prepare(query),
            Conn::Session(s) => s.prepare(query),
        }
    }

    pub(super) async fn batch(&self, statements: Vec<D1PreparedStatement>) -> Result<Vec<D1Result>> {
        match self {
            Conn::Db(db) => db.batch(statements).await,
            Conn::Session(s) => s.batch(statements).await,
        }
    }
}

/// A bookmark as D1 writes them (hex groups and dashes); anything else is ignored.
fn is_bookmark(s: &str) -> bool {
    !s.is_empty() && s.len() <= 200 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

#[derive(Deserialize)]
struct BodyRow {
    id: i64,
    slug: String,
    name: String,
    phones: String,
    location: String,
    email: Option<String>,
}

impl BodyRow {
    fn into_body(self) -> Result<Body> {
        let phones: Vec<BodyPhone> = serde_json::from_str(&self.phones)
            .map_err(|e| worker::Error::RustError(format!("body {} phones: {e}", self.id)))?;
        Ok(Body { id: self.id, slug: self.slug, name: self.name, phones, location: self.location, email: self.email.filter(|e| !e.is_empty()) })
    }
}

impl Store {
    pub fn new(env: &Env) -> Result<Store> {
        Ok(Store { db: Conn::Db(env.d1("DB")?) })
    }

    /// A store reading through a D1 session: from the citizen's last bookmark when there is one
    /// (so they always see their own latest write), else from whichever copy is nearest.
    pub fn session(env: &Env, bookmark: Option<&str>) -> Result<Store> {
        let start = bookmark.filter(|b| is_bookmark(b)).unwrap_or("first-unconstrained");
        Ok(Store { db: Conn::Session(env.d1("DB")?.with_session(Some(start))?) })
    }

    /// The session's latest bookmark, to carry to the next request.
    pub fn bookmark(&self) -> Option<String> {
        match &self.db {
            Conn::Session(s) => s.get_bookmark().ok().flatten().map(|b| b.to_string()).filter(|b| is_bookmark(b)),
            Conn::Db(_) => None,
        }
    }

    /// The deadline of the step a request enters: its body's triage or treatment days from `now`,
    /// in calendar or business days as the body counts them; none while the citizen has the hand
    /// or once the request is done.
    pub(super) async fn step_deadline(&self, body: BodyOf, stage: &str, now: i64) -> Result<Option<Deadline>> {
        #[derive(Deserialize)]
        struct Rule {
            days: i64,
            deadline_unit: String,
        }
        #[derive(Deserialize)]
        struct Day {
            day: String,
        }
        let days = match Stage::parse(stage) {
            Some(Stage::AwaitingTriage) => "triage_days",
            Some(Stage::InTreatment) => "treatment_days",
            _ => return Ok(None),
        };
        let (which, id) = match body {
            BodyOf::Body(id) => ("?1", id),
            BodyOf::Request(id) => ("(SELECT body_id FROM requests WHERE id = ?1)", id),
        };
        let results = self
            .db
            .batch(vec![
                self.db.prepare(format!("SELECT {days} AS days, deadline_unit FROM bodies WHERE id = {which}")).bind(&[int(id)])?,
                // Holidays from today on: the table holds a few a year, so this stays small.
                self.db.prepare("SELECT day FROM holidays WHERE day >= ?1 ORDER BY day").bind(&[text(&day_iso(now))])?,
            ])
            .await?;
        let [rule, holidays] = <[D1Result; 2]>::try_from(results).map_err(|_| worker::Error::RustError("deadline batch".into()))?;
        let Some(rule) = rule.results::<Rule>()?.into_iter().next() else { return Ok(None) };
        let count = DayCount::parse(&rule.deadline_unit).unwrap_or(DayCount::Calendar);
        let holidays = holidays.results::<Day>()?;
        let holidays = Holidays::from_days(holidays.iter().map(|d| d.day.as_str()));
        Ok(Some(Deadline::from(now, rule.days, count, &holidays)))
    }

    /// A numeric row of `settings`, if set.
    pub(super) async fn setting_number(&self, key: &str) -> Result<Option<i64>> {
        #[derive(Deserialize)]
        struct Row {
            value: String,
        }
        let row = self.db.prepare("SELECT value FROM settings WHERE key = ?1").bind(&[text(key)])?.first::<Row>(None).await?;
        Ok(row.and_then(|r| r.value.parse().ok()))
    }

    /// All active bodies. The directory is small (tens of bodies), so search and paging
    /// happen in Rust, where accent-insensitive matching is exact.
    pub async fn active_bodies(&self) -> Result<Vec<Body>> {
        let rows = self
            .db
            .prepare("SELECT id, slug, name, phones, location, email FROM bodies WHERE active = 1")
            .all()
            .await?
            .results::<BodyRow>()?;
        rows.into_iter().map(BodyRow::into_body).collect()
    }

    pub async fn body(&self, id: i64) -> Result<Option<Body>> {
        let row = self
            .db
            .prepare("SELECT id, slug, name, phones, location, email FROM bodies WHERE id = ?1 AND active = 1")
            .bind(&[int(id)])?
            .first::<BodyRow>(None)
            .await?;
        row.map(BodyRow::into_body).transpose()
    }

    /// Themes a request to this body can have: its own list, or the general one when it has none.
    pub async fn themes(&self, body_id: i64, lang: Lang) -> Result<Vec<ThemeOption>> {
        let (category, label) = match lang {
            Lang::Fr => ("category_fr", "label_fr"),
            Lang::En => ("category_en", "label_en"),
        };
        let sql = format!(
            "SELECT id, {category} AS category, {label} AS label FROM themes t
             WHERE active = 1 AND (body_id = ?1 OR (body_id IS NULL AND NOT EXISTS
               (SELECT 1 FROM themes o WHERE o.body_id = ?1 AND o.active = 1)))
             ORDER BY position, id"
        );
        #[derive(Deserialize)]
        struct Row {
            id: i64,
            category: String,
            label: String,
        }
        let rows = self.db.prepare(sql).bind(&[int(body_id)])?.all().await?.results::<Row>()?;
        Ok(rows.into_iter().map(|r| ThemeOption { id: r.id, category: r.category, label: r.label }).collect())
    }

    /// Communes and sous-préfectures, each with the region (or autonomous district) it is listed under.
    pub async fn places(&self) -> Result<Vec<PlaceOption>> {
        #[derive(Deserialize)]
        struct Row {
            id: i64,
            name: String,
            parent: String,
            in_region: i64,
        }
        let rows = self
            .db
            .prepare(
                "SELECT p.id, p.name, g.name AS parent, g.kind = 'region' AS in_region
                 FROM places p JOIN places g ON g.id = p.parent_id
                 WHERE p.active = 1 AND p.kind IN ('commune', 'sous_prefecture')",
            )
            .all()
            .await?
            .results::<Row>()?;
        let mut rows = rows;
        // Autonomous districts first, then regions; places alphabetically, accents folded
        // (SQLite's ORDER BY would put «Béré» after «Bounkani»).
        rows.sort_by_cached_key(|r| (r.in_region, fold(&r.parent), fold(&r.name)));
        Ok(rows.into_iter().map(|r| PlaceOption { id: r.id, name: r.name, group: r.parent }).collect())
    }

    /// Whether the body, theme and place a submission names exist and go together.
    pub async fn check_refs(&self, s: &Submission) -> Result<RefCheck> {
        let place_id = match s.place {
            Some(PlaceChoice::Place(id)) => Some(id),
            _ => None,
        };
        #[derive(Deserialize)]
        struct Row {
            body: i64,
            theme: i64,
            place: i64,
        }
        let row = self
            .db
            .prepare(
                "SELECT
                   (SELECT count(*) FROM bodies WHERE id = ?1 AND active = 1) AS body,
                   (?2 IS NULL OR EXISTS (SELECT 1 FROM themes t WHERE t.id = ?2 AND t.active = 1 AND
                      (t.body_id = ?1 OR (t.body_id IS NULL AND NOT EXISTS
                        (SELECT 1 FROM themes o WHERE o.body_id = ?1 AND o.active = 1))))) AS theme,
                   (?3 IS NULL OR EXISTS (SELECT 1 FROM places WHERE id = ?3 AND active = 1
                      AND kind IN ('commune', 'sous_prefecture'))) AS place",
            )
            .bind(&[int(s.body_id), opt_int(s.theme_id), opt_int(place_id)])?
            .first::<Row>(None)
            .await?
            .ok_or_else(|| worker::Error::RustError("check_refs returned no row".into()))?;
        Ok(RefCheck { body: row.body > 0, theme: row.theme > 0, place: row.place > 0 })
    }

    /// The request a form (or API idempotency key) already created, if any.
    pub async fn request_by_key(&self, key: &str) -> Result<Option<Registered>> {
        self.db
            .prepare("SELECT code, public_id, nature, email, created_at, idempotency_payload FROM requests WHERE idempotency_key = ?1")
            .bind(&[text(key)])?
            .first::<RegisteredRow>(None)
            .await?
            .map(RegisteredRow::into_registered)
            .transpose()
    }

    /// What the API answers about a request it registered.
    pub async fn request_summary(&self, code: RequestCode) -> Result<Option<RequestSummary>> {
        #[derive(Deserialize)]
        struct Row {
            nature: String,
            body_id: i64,
            body_name: String,
            created_at: i64,
        }
        let row = self
            .db
            .prepare(
                "SELECT r.nature, r.body_id, b.name AS body_name, r.created_at
                 FROM requests r JOIN bodies b ON b.id = r.body_id WHERE r.code = ?1",
            )
            .bind(&[text(&code.to_string())])?
            .first::<Row>(None)
            .await?;
        row.map(|r| {
            Ok(RequestSummary {
                nature: Nature::parse(&r.nature).map_err(|e| worker::Error::RustError(e.to_string()))?,
                body_id: r.body_id,
                body_name: r.body_name,
                created_at: r.created_at,
            })
        })
        .transpose()
    }

    /// Files uploaded with a form that has not become a request yet.
    pub async fn staged_files(&self, form_key: &str) -> Result<Vec<StagedFile>> {
        #[derive(Deserialize)]
        struct Row {
            id: i64,
            file_name: String,
            size: i64,
        }
        let rows = self
            .db
            .prepare("SELECT id, file_name, size FROM attachments WHERE form_key = ?1 AND request_id IS NULL ORDER BY id")
            .bind(&[text(form_key)])?
            .all()
            .await?
            .results::<Row>()?;
        Ok(rows.into_iter().map(|r| StagedFile { id: r.id, name: r.file_name, size: r.size }).collect())
    }

    /// Records files already in R2 as staged for this form (one batch: all or none).
    pub async fn stage_files(&self, form_key: &str, files: &[(String, CheckedFile)], now: i64) -> Result<()> {
        if files.is_empty() {
            return Ok(());
        }
        let statements = files
            .iter()
            .map(|(key, file)| self.insert_attachment(key, form_key, None, file, now))
            .collect::<Result<Vec<_>>>()?;
        self.run_batch(statements).await
    }

    /// Removes staged files the citizen took off the form (one statement); returns their R2 keys.
    pub async fn unstage(&self, form_key: &str, ids: &[i64]) -> Result<Vec<String>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        #[derive(Deserialize)]
        struct Row {
            r2_key: String,
        }
        let rows = self
            .db
            .prepare("DELETE FROM attachments WHERE form_key = ?2 AND request_id IS NULL AND id IN (SELECT value FROM json_each(?1)) RETURNING r2_key")
            .bind(&[json_array(ids), text(form_key)])?
            .all()
            .await?
            .results::<Row>()?;
        Ok(rows.into_iter().map(|r| r.r2_key).collect())
    }

    fn insert_attachment(
        &self,
        key: &str,
        form_key: &str,
        code: Option<RequestCode>,
        file: &CheckedFile,
        now: i64,
    ) -> Result<D1PreparedStatement> {
        self.db
            .prepare(
                "INSERT INTO attachments (r2_key, form_key, request_id, file_name, kind, size, created_at)
                 VALUES (?1, ?2, (SELECT id FROM requests WHERE code = ?3), ?4, ?5, ?6, ?7)",
            )
            .bind(&[
                text(key),
                text(form_key),
                opt_text(code.map(|c| c.to_string()).as_deref()),
                text(&file.name),
                text(file.kind.slug()),
                int(file.size as i64),
                int(now),
            ])
    }

    /// Writes the request, its attachments, its first history event and its notifications in one
    /// D1 batch: either all of it exists afterwards, or none of it.
    pub async fn create_request(&self, new: &NewRequest<'_>) -> Result<CreateOutcome> {
        let s = new.submission;
        let code = new.code.to_string();
        let (place_id, abroad_country, abroad_city) = match &s.place {
            Some(PlaceChoice::Place(id)) => (Some(*id), None, None),
            Some(PlaceChoice::Abroad { country, city }) => (None, Some(country.code), city.as_deref()),
            None => (None, None, None),
        };
        let request_id = "(SELECT id FROM requests WHERE code = ?1)";
        let deadline = self.step_deadline(BodyOf::Body(s.body_id), Stage::AwaitingTriage.slug(), new.now).await?;
        let mut statements = vec![self
            .db
            .prepare(
                "INSERT INTO requests (code, body_id, nature, theme_id, place_id, abroad_country, abroad_city, message,
                   last_name, first_names, country, phone, email, lang, channel, stage, idempotency_key, created_at, updated_at,
                   due_at, escalate_at, public_id, idempotency_payload)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?18, ?19, ?20, ?21, ?22)",
            )
            .bind(&[
                text(&code),
                int(s.body_id),
                text(s.nature.slug()),
                opt_int(s.theme_id),
                opt_int(place_id),
                opt_text(abroad_country),
                opt_text(abroad_city),
                text(s.message.as_str()),
                opt_text(s.last_name.as_ref().map(|n| n.as_str())),
                opt_text(s.first_names.as_ref().map(|n| n.as_str())),
                text(s.country.code),
                text(s.phone.e164()),
                text(s.email.as_str()),
                text(new.lang.code()),
                text(new.channel.slug()),
                text(Stage::AwaitingTriage.slug()),
                text(new.key),
                int(new.now),
                deadline.map_or(JsValue::NULL, |d| int(d.due_at)),
                deadline.map_or(JsValue::NULL, |d| int(d.escalate_at)),
                text(new.public_id.as_str()),
                opt_text(new.payload_hash),
            ])?];
        // Files staged with the web form join the request; files sent with an API call are recorded now.
        statements.push(
            self.db
                .prepare(format!(
                    "UPDATE attachments SET request_id = {request_id} WHERE form_key = ?2 AND request_id IS NULL"
                ))
                .bind(&[text(&code), text(new.key)])?,
        );
        for (key, file) in new.direct_files {
            statements.push(self.insert_attachment(key, new.key, Some(new.code), file, new.now)?);
        }
        statements.push(
            self.db
                .prepare(format!(
                    "INSERT INTO request_events (request_id, at, event, actor_role, actor_id, to_stage, note)
                     VALUES ({request_id}, ?2, 'submitted', ?3, ?4, ?5, ?6)"
                ))
                .bind(&[
                    text(&code),
                    int(new.now),
                    text(new.actor_role),
                    opt_int(new.actor_id),
                    text(Stage::AwaitingTriage.slug()),
                    opt_text(new.note),
                ])?,
        );
        // No code in the payload: the consumer reads it from the request when it renders.
        let payload = serde_json::json!({
            "nature": s.nature.slug(),
            "body": new.body_name,
        })
        .to_string();
        // The analysts hear of it (at once, or in their summary).
        statements.extend(self.alert_statements(request_id, text(&code), Alert::New, "0", new.now)?);
        // Every recipient is limited: each confirmation counts against its phone number or address
        // in the same transaction, and is queued only while that count is within the limit (the
        // request itself is always registered).
        let window = Window::hour(new.now).start;
        let mut counted = Vec::new();
        for (channel, recipient) in [("email", s.email.as_str()), ("sms", s.phone.e164())].into_iter().filter(|(c, _)| new.channels.contains(c)) {
            let bucket = rate_limit::bucket(if channel == "sms" { "confirm:phone" } else { "confirm:email" }, recipient);
            counted.push((channel, statements.len()));
            statements.push(self.db.prepare(RATE_LIMIT_ADD).bind(&[text(&bucket), int(window), int(1)])?);
            statements.push(
                self.db
                    .prepare(format!(
                        "INSERT INTO outbox (idempotency_key, request_id, channel, recipient, template, lang, payload, created_at)
                         SELECT ?2, {request_id}, ?3, ?4, 'request_registered', ?5, ?6, ?7
                         WHERE (SELECT hits FROM rate_limits WHERE bucket = ?8 AND window_start = ?9) <= ?10"
                    ))
                    .bind(&[
                        text(&code),
                        text(&format!("request_registered:{}:{channel}", new.public_id.as_str())),
                        text(channel),
                        text(recipient),
                        text(new.lang.code()),
                        text(&payload),
                        int(new.now),
                        text(&bucket),
                        int(window),
                        int(new.recipient_limit),
                    ])?,
            );
        }
        let results = match self.db.batch(statements).await {
            Ok(results) => results,
            Err(e) => return classify_create_error(e),
        };
        if let Some(error) = results.iter().find_map(|r| r.error()) {
            return classify_create_error(worker::Error::RustError(error));
        }
        let mut withheld = Vec::new();
        for (channel, index) in counted {
            let hits = results.get(index).and_then(|r| r.results::<Hits>().ok()).and_then(|h| h.first().map(|h| h.hits)).unwrap_or(0);
            if hits > new.recipient_limit {
                withheld.push(channel);
            }
        }
        Ok(CreateOutcome::Created { withheld })
    }

    /// Staged files (never submitted) created before `before`: (id, R2 key), oldest first.
    pub async fn expired_staged_files(&self, before: i64, limit: i64) -> Result<Vec<(i64, String)>> {
        #[derive(Deserialize)]
        struct Row {
            id: i64,
            r2_key: String,
        }
        let rows = self
            .db
            .prepare("SELECT id, r2_key FROM attachments WHERE request_id IS NULL AND created_at < ?1 ORDER BY created_at LIMIT ?2")
            .bind(&[int(before), int(limit)])?
            .all()
            .await?
            .results::<Row>()?;
        Ok(rows.into_iter().map(|r| (r.id, r.r2_key)).collect())
    }

    pub async fn delete_staged_files(&self, ids: &[i64]) -> Result<()> {
        let statements = ids
            .iter()
            .map(|id| self.db.prepare("DELETE FROM attachments WHERE id = ?1 AND request_id IS NULL").bind(&[int(*id)]))
            .collect::<Result<Vec<_>>>()?;
        self.run_batch(statements).await
    }

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

    pub(super) async fn run_batch(&self, statements: Vec<D1PreparedStatement>) -> Result<()> {
        for result in self.db.batch(statements).await? {
            if let Some(error) = result.error() {
                return Err(worker::Error::RustError(error));
            }
        }
        Ok(())
    }
}

/// A failed registration batch: a lost race on the idempotency key, a code (or public id)
/// already taken, or a real error.
fn classify_create_error(e: worker::Error) -> Result<CreateOutcome> {
    let message = e.to_string();
    if message.contains("requests.idempotency_key") {
        Ok(CreateOutcome::DuplicateKey)
    } else if message.contains("requests.code") || message.contains("requests.public_id") {
        Ok(CreateOutcome::CodeTaken)
    } else {
        Err(e)
    }
}

/// One counter upsert: `?1` bucket, `?2` window start, `?3` amount; returns the new total.
pub(super) const RATE_LIMIT_ADD: &str = "INSERT INTO rate_limits (bucket, window_start, hits) VALUES (?1, ?2, ?3)
     ON CONFLICT (bucket, window_start) DO UPDATE SET hits = hits + excluded.hits RETURNING hits";

#[derive(Deserialize)]
pub(super) struct Hits {
    pub hits: i64,
}

pub struct RequestSummary {
    pub nature: Nature,
    pub body_id: i64,
    pub body_name: String,
    pub created_at: i64,
}

pub struct RefCheck {
    pub body: bool,
    pub theme: bool,
    pub place: bool,
}

#[derive(Deserialize)]
struct RegisteredRow {
    code: String,
    public_id: Option<String>,
    nature: String,
    email: String,
    created_at: i64,
    idempotency_payload: Option<String>,
}

impl RegisteredRow {
    fn into_registered(self) -> Result<Registered> {
        let bad = |what: &str| worker::Error::RustError(format!("stored request has a bad {what}"));
        Ok(Registered {
            code: RequestCode::parse(&self.code).map_err(|_| bad("code"))?,
            public_id: self.public_id.unwrap_or_default(),
            nature: Nature::parse(&self.nature).map_err(|_| bad("nature"))?,
            email: self.email,
            created_at: self.created_at,
            payload_hash: self.idempotency_payload,
        })
    }
}

/// A request as its confirmation shows it.
pub struct Registered {
    pub code: RequestCode,
    /// The Open311 id.
    pub public_id: String,
    pub nature: Nature,
    pub email: String,
    pub created_at: i64,
    /// The hash of the payload an API idempotency key was first used with.
    pub payload_hash: Option<String>,
}

pub struct NewRequest<'a> {
    pub submission: &'a Submission,
    pub code: RequestCode,
    pub public_id: PublicId,
    /// Form key (web) or API idempotency key: a replay finds the request instead of making another.
    pub key: &'a str,
    pub channel: Channel,
    /// Who entered it: the citizen, or a phone operator (with the caller's consent noted).
    pub actor_role: &'a str,
    pub actor_id: Option<i64>,
    pub note: Option<&'a str>,
    pub lang: Lang,
    pub now: i64,
    pub body_name: &'a str,
    /// Files already in R2 that were not staged (API): (R2 key, file).
    pub direct_files: &'a [(String, CheckedFile)],
    /// The channels the confirmation goes out on (the administrators' setting).
    pub channels: &'a [&'static str],
    /// The hash of the API payload the idempotency key is bound to.
    pub payload_hash: Option<&'a str>,
    /// Confirmations one phone number or address may receive per hour, whatever the channel.
    pub recipient_limit: i64,
}

pub enum CreateOutcome {
    /// Registered; `withheld`: the channels whose confirmation was not queued because its
    /// recipient had already received the hourly maximum.
    Created { withheld: Vec<&'static str> },
    /// The random code was already taken: draw another and retry.
    CodeTaken,
    /// Another submission with the same key won the race: show its result.
    DuplicateKey,
}
