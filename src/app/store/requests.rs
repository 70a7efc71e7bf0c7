//! Registering a request: its row, files, first history event, notifications and staff alerts in one batch; replays by key.

use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::Result;

use super::*;
use crate::domain::attachment::CheckedFile;
use crate::domain::code::RequestCode;
use crate::domain::constraint::{on_constraint, Constraint};
use crate::domain::deadline::Deadline;
use crate::domain::lang::Lang;
use crate::domain::nature::Nature;
use crate::domain::notice::Alert;
use crate::domain::notification::Template;
use crate::domain::open311::PublicId;
use crate::domain::rate_limit::{self, Window};
use crate::domain::stage::{Channel, Role, Stage};
use crate::domain::submission::{PlaceChoice, Submission};

impl Store {
    /// The request a form (or API idempotency key) already created, if any.
    pub async fn request_by_key(&self, key: &str) -> Result<Option<Registered>> {
        self.db
            .prepare("SELECT code, public_id, nature, email, phone, created_at, idempotency_payload FROM requests WHERE idempotency_key = ?1")
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
                nature: Nature::parse(&r.nature)
                    .map_err(|e| worker::Error::RustError(e.to_string()))?,
                body_id: r.body_id,
                body_name: r.body_name,
                created_at: r.created_at,
            })
        })
        .transpose()
    }

    /// Writes the request, its attachments, its first history event and its notifications in one
    /// D1 batch: either all of it exists afterwards, or none of it.
    pub async fn create_request(&self, new: &NewRequest<'_>) -> Result<CreateOutcome> {
        let s = new.submission;
        let code = new.code.to_string();
        let (place_id, abroad_country, abroad_city) = match &s.place {
            Some(PlaceChoice::Place(id)) => (Some(*id), None, None),
            Some(PlaceChoice::Abroad { country, city }) => {
                (None, Some(country.code), city.as_deref())
            }
            None => (None, None, None),
        };
        let request_id = "(SELECT id FROM requests WHERE code = ?1)";
        let deadline = new.deadline;
        let origin = new.origin;
        let mut statements = Vec::new();
        if let Some(q) = &new.quota {
            statements.push(self.db.prepare(RATE_LIMIT_ADD).bind(&[
                text(q.bucket),
                int(q.window_start),
                int(1),
            ])?);
            statements.push(
                self.db
                    .prepare(
                        "INSERT INTO batch_guard (ok) SELECT (SELECT hits FROM rate_limits WHERE bucket = ?1 AND window_start = ?2) <= ?3
                           AND (SELECT version FROM directory_version WHERE id = 1) = ?4",
                    )
                    .bind(&[text(q.bucket), int(q.window_start), int(q.limit), int(q.version)])?,
            );
        }
        statements.push(
            self.db
                .prepare(
                    "INSERT INTO requests (code, body_id, nature, theme_id, place_id, abroad_country, abroad_city, message,
                   last_name, first_names, country, phone, email, lang, channel, stage, idempotency_key, created_at, updated_at,
                   due_at, escalate_at, public_id, idempotency_payload, lat, lon, address, api_key_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26)",
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
                    text(s.contact.phone_column()),
                    text(s.contact.email_column()),
                    text(new.lang.code()),
                    text(origin.channel.slug()),
                    text(Stage::AwaitingTriage.slug()),
                    text(origin.key),
                    int(new.now),
                    deadline.map_or(JsValue::NULL, |d| int(d.due_at)),
                    deadline.map_or(JsValue::NULL, |d| int(d.escalate_at)),
                    text(new.public_id.as_str()),
                    opt_text(origin.payload_hash),
                    origin.position.map_or(JsValue::NULL, |p| JsValue::from_f64(p.lat)),
                    origin.position.map_or(JsValue::NULL, |p| JsValue::from_f64(p.lon)),
                    opt_text(origin.address),
                    opt_int(origin.api_key_id),
                ])?,
        );
        for (position, url) in origin.links.iter().enumerate() {
            statements.push(
                self.db
                    .prepare(format!(
                        "INSERT INTO request_links (request_id, position, url) VALUES ({request_id}, ?2, ?3)"
                    ))
                    .bind(&[text(&code), int(position as i64), text(url)])?,
            );
        }
        // Files staged with the web form join the request; files sent with an API call are recorded now.
        statements.push(
            self.db
                .prepare(format!("UPDATE attachments SET request_id = {request_id} WHERE form_key = ?2 AND request_id IS NULL"))
                .bind(&[text(&code), text(origin.key)])?,
        );
        for (key, file) in origin.direct_files {
            statements.push(self.insert_attachment(
                key,
                origin.key,
                Some(new.code),
                file,
                new.now,
            )?);
        }
        statements.push(
            self.db
                .prepare(format!(
                    "INSERT INTO request_events (request_id, at, event, actor_role, actor_id, to_stage, note)
                     VALUES ({request_id}, ?2, 'submitted', ?3, ?4, ?5, ?6)"
                ))
                .bind(&[text(&code), int(new.now), text(origin.actor_role.slug()), opt_int(origin.actor_id), text(Stage::AwaitingTriage.slug()), opt_text(origin.note)])?,
        );
        // No code in the payload: the consumer reads it from the request when it renders.
        let payload = serde_json::json!({
            "nature": s.nature.slug(),
            "body": new.body_name,
        })
        .to_string();
        // The analysts hear of it (at once, or in their summary).
        statements.extend(self.alert_statements(
            request_id,
            text(&code),
            Alert::New,
            "0",
            new.now,
        )?);
        // Every recipient is limited: each confirmation counts against its phone number or address
        // in the same transaction, and is queued only while that count is within the limit (the
        // request itself is always registered).
        let window = Window::hour(new.now).start;
        let mut counted = Vec::new();
        for (channel, recipient) in s.contact.recipients(new.channels) {
            let bucket = rate_limit::bucket(
                if channel == "sms" { "confirm:phone" } else { "confirm:email" },
                recipient,
            );
            counted.push((channel, statements.len()));
            statements.push(self.db.prepare(RATE_LIMIT_ADD).bind(&[
                text(&bucket),
                int(window),
                int(1),
            ])?);
            statements.push(
                self.db
                    .prepare(insert_outbox_sql(
                        &OutboxColumns {
                            key: "?2",
                            request: request_id,
                            channel: "?3",
                            recipient: "?4",
                            template: Template::RequestRegistered,
                            lang: "?5",
                            payload: "?6",
                            created_at: "?7",
                        },
                        "WHERE (SELECT hits FROM rate_limits WHERE bucket = ?8 AND window_start = ?9) <= ?10",
                    ))
                    .bind(&[
                        text(&code),
                        text(&format!(
                            "{}:{}:{channel}",
                            Template::RequestRegistered.slug(),
                            new.public_id.as_str()
                        )),
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
        if new.quota.is_some() {
            statements.push(self.db.prepare("DELETE FROM batch_guard"));
        }
        let guarded = new.quota.is_some();
        let results = match self.db.batch(statements).await {
            Ok(results) => results,
            Err(e) => return classify_create_error(e, guarded),
        };
        if let Some(error) = results.iter().find_map(|r| r.error()) {
            return classify_create_error(worker::Error::RustError(error), guarded);
        }
        let mut withheld = Vec::new();
        for (channel, index) in counted {
            let hits = results
                .get(index)
                .and_then(|r| r.results::<Hits>().ok())
                .and_then(|h| h.first().map(|h| h.hits))
                .unwrap_or(0);
            if hits > new.recipient_limit {
                withheld.push(channel);
            }
        }
        // The outbox rows the batch wrote (confirmations, staff alerts): put on the queue next,
        // without reading them back.
        Ok(CreateOutcome::Created { withheld, outbox: super::returned_ids(&results) })
    }
}

/// A failed registration batch: its allowance's guard, a lost race on the idempotency key, a code
/// (or public id) already taken, or a real error.
fn classify_create_error(e: worker::Error, guarded: bool) -> Result<CreateOutcome> {
    match on_constraint(&e.to_string()) {
        Some(Constraint::Guard) if guarded => Ok(CreateOutcome::Refused),
        Some(Constraint::RequestKey) => Ok(CreateOutcome::DuplicateKey),
        Some(Constraint::RequestCode) => Ok(CreateOutcome::CodeTaken),
        _ => Err(e),
    }
}

pub struct RequestSummary {
    pub nature: Nature,
    pub body_id: i64,
    pub body_name: String,
    pub created_at: i64,
}

#[derive(Deserialize)]
struct RegisteredRow {
    code: String,
    public_id: Option<String>,
    nature: String,
    email: String,
    phone: String,
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
            phone: self.phone,
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
    /// «» when the citizen gave none (either may be missing, never both).
    pub email: String,
    pub phone: String,
    pub created_at: i64,
    /// The hash of the payload an API idempotency key was first used with.
    pub payload_hash: Option<String>,
}

/// Where a request comes from, as the intake door knows it: written with the request as it is.
pub struct Origin<'a> {
    /// Form key (web) or scoped idempotency key: a replay finds the request instead of making another.
    pub key: &'a str,
    pub channel: Channel,
    /// Who entered it: the citizen (or partner), or a phone operator (with the caller's consent noted).
    pub actor_role: Role,
    pub actor_id: Option<i64>,
    pub note: Option<&'a str>,
    /// The hash of the payload a caller's idempotency key is bound to.
    pub payload_hash: Option<&'a str>,
    /// Where the partner says the problem is (Open311 `lat`/`long`, `address_string`), kept for staff.
    pub position: Option<crate::domain::geo::Position>,
    pub address: Option<&'a str>,
    /// Files already in R2 that were not staged (API, Open311): (R2 key, file).
    pub direct_files: &'a [(String, CheckedFile)],
    /// The partner key that submitted it: what the partner sent comes back to that key only.
    pub api_key_id: Option<i64>,
    /// Links the partner sent (media), in order.
    pub links: &'a [String],
    /// The language the citizen's messages go out in.
    pub lang: Lang,
}

/// One registering batch: the checked submission and what the directory says of it (borrowed as
/// they are), where it comes from, and the fresh code it is tried under.
pub struct NewRequest<'a> {
    pub submission: &'a Submission,
    pub body_name: &'a str,
    /// The channels the confirmation goes out on (the administrators' setting).
    pub channels: &'a [&'static str],
    /// When the analyst's step is due (from the directory the submission was checked against).
    pub deadline: Option<Deadline>,
    pub origin: &'a Origin<'a>,
    pub code: RequestCode,
    pub public_id: &'a PublicId,
    pub lang: Lang,
    pub now: i64,
    /// Confirmations one phone number or address may receive per hour, whatever the channel.
    pub recipient_limit: i64,
    /// The hourly allowance the submission counts against, inside the registering batch.
    pub quota: Option<QuotaGuard<'a>>,
}

/// A count in the registering batch and its guard: over `limit`, or with the directory no longer
/// at `version` (the one the submission was checked against), the whole batch is undone.
#[derive(Clone, Copy)]
pub struct QuotaGuard<'a> {
    pub bucket: &'a str,
    pub window_start: i64,
    pub limit: i64,
    pub version: i64,
}

pub enum CreateOutcome {
    /// Registered; `withheld`: the channels whose confirmation was not queued because its
    /// recipient had already received the hourly maximum.
    Created { withheld: Vec<&'static str>, outbox: Vec<i64> },
    /// The random code was already taken: draw another and retry.
    CodeTaken,
    /// Another submission with the same key won the race: show its result.
    DuplicateKey,
    /// The quota's guard undid the batch: over the allowance, or the directory moved.
    Refused,
}
