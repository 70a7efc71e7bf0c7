//! What the citizen's tracking pages read and the changes they make.

use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{D1PreparedStatement, Result};

use super::rate_limits::Counted;
use super::{int, json_array, opt_text, text, Store};
use crate::domain::code::RequestCode;
use crate::domain::constraint::{on_constraint, Constraint};
use crate::domain::deadline::Deadline;
use crate::domain::lang::Lang;
use crate::domain::nature::Nature;
use crate::domain::notice::Alert;
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
}

#[derive(Debug, Clone, Deserialize)]
pub struct CodeListing {
    pub code: String,
    pub nature: String,
    pub body_name: String,
    pub created_at: i64,
}

/// A change to a request (by its citizen or by staff), applied only to the version they saw.
pub struct Change<'a> {
    pub request_id: i64,
    pub version: i64,
    pub now: i64,
    pub event: &'a str,
    pub to_stage: &'a str,
    pub actor_role: &'a str,
    pub actor_id: Option<i64>,
    pub note: Option<&'a str>,
    /// False for staff's internal notes.
    pub visible: bool,
    /// Whether the citizen sees the note with the row (`ActionRule::message_to_citizen`).
    pub note_visible: bool,
    pub kind: ChangeKind<'a>,
    /// The citizen's messages about the change, written in the same batch.
    pub notifications: Vec<super::Message>,
    /// The staff to tell, written in the same batch (focal points, analysts, or the body's mailbox).
    pub alert: Option<Alert>,
    /// Files staff staged under this form key join the request with the change (the official letter).
    pub staff_files: Option<&'a str>,
}

pub enum ChangeKind<'a> {
    /// New wording of the message; staged files of `form_key` join the request. Successive
    /// edits within one window (the hour starting at `window_start`) keep one earlier version,
    /// one history row and one alert.
    Edit {
        message: &'a str,
        form_key: &'a str,
        window_start: i64,
    },
    Verdict {
        verdict: &'a str,
        comment: Option<&'a str>,
    },
    Reopen,
    /// A stage change by staff; `treated` stamps the treatment date.
    Move {
        treated: bool,
    },
    /// To another body (the stage stays).
    Reassign {
        body_id: i64,
    },
    /// Only a history row (internal note, clarification).
    Note,
    /// To a final stage (an observation or suggestion taken into account): closed now.
    Close,
}

/// Sets the deadline of the step a request enters (computed by `Store::step_deadline`) from
/// parameters `{due}` and `{escalate}`; the treatment deadline is kept for the statistics.
fn set_due(stage: &str, due: &str, escalate: &str) -> String {
    format!(
        "due_at = {due}, escalate_at = {escalate},
         treatment_due_at = CASE WHEN {stage} = 'in_treatment' THEN {due} ELSE treatment_due_at END"
    )
}

fn opt_ms(d: Option<Deadline>, f: fn(Deadline) -> i64) -> JsValue {
    d.map_or(JsValue::NULL, |d| int(f(d)))
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
                      (SELECT id, file_name, kind, size, r2_key, origin FROM attachments WHERE request_id = (SELECT id FROM requests WHERE code = ?1)
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
                    r.lat, r.lon, r.address{extras}
             FROM requests r JOIN bodies b ON b.id = r.body_id
             LEFT JOIN themes t ON t.id = r.theme_id LEFT JOIN places p ON p.id = r.place_id
             WHERE r.code = ?1"
    )
}

const HISTORY_SQL: &str =
    "SELECT at, event, CASE WHEN note_visible = 1 THEN note END AS note FROM request_events
                           WHERE request_id = {id} AND visible_to_citizen = 1 ORDER BY at, id";
const FILES_SQL: &str = "SELECT id, file_name, kind, size, r2_key, origin FROM attachments WHERE request_id = {id} ORDER BY id";

impl Store {
    pub async fn tracked(&self, code: RequestCode, lang: Lang) -> Result<Option<Tracked>> {
        self.db
            .prepare(tracked_sql(lang, false))
            .bind(&[text(&code.to_string())])?
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

    /// Writes the change, its history event and its notifications in one batch: the outbox rows
    /// it wrote (to put on the queue), or None when the request moved on since the page was loaded.
    pub async fn apply_change(&self, c: &Change<'_>) -> Result<Option<Vec<i64>>> {
        let deadline = match c.kind {
            ChangeKind::Edit { .. } | ChangeKind::Reopen | ChangeKind::Move { .. } => {
                self.step_deadline(c.request_id, c.to_stage, c.now).await?
            }
            _ => None,
        };
        let (due, escalate) = (opt_ms(deadline, |d| d.due_at), opt_ms(deadline, |d| d.escalate_at));
        let mut statements: Vec<D1PreparedStatement> = Vec::new();
        match &c.kind {
            ChangeKind::Edit { message, window_start, .. } => {
                // The wording before the window's first edit is what is kept.
                statements.push(
                    self.db
                        .prepare(
                            "INSERT INTO request_versions (request_id, message, replaced_at) SELECT id, message, ?2 FROM requests
                             WHERE id = ?1 AND version = ?3
                               AND NOT EXISTS (SELECT 1 FROM request_versions v WHERE v.request_id = ?1 AND v.replaced_at >= ?4)",
                        )
                        .bind(&[int(c.request_id), int(c.now), int(c.version), int(*window_start)])?,
                );
                statements.push(
                    self.db
                        .prepare(format!(
                            "UPDATE requests SET message = ?2, stage = ?3, updated_at = ?4, version = version + 1, {} WHERE id = ?1 AND version = ?5",
                            set_due("?3", "?6", "?7")
                        ))
                        .bind(&[int(c.request_id), text(message), text(c.to_stage), int(c.now), int(c.version), due, escalate])?,
                );
            }
            ChangeKind::Verdict { verdict, comment } => statements.push(
                self.db
                    .prepare(
                        "UPDATE requests SET stage = ?2, verdict = ?3, verdict_comment = ?4, closed_at = ?5, updated_at = ?5,
                           due_at = NULL, escalate_at = NULL, version = version + 1 WHERE id = ?1 AND version = ?6",
                    )
                    .bind(&[int(c.request_id), text(c.to_stage), text(verdict), opt_text(*comment), int(c.now), int(c.version)])?,
            ),
            ChangeKind::Reopen => statements.push(
                self.db
                    .prepare(format!(
                        "UPDATE requests SET stage = ?2, treated_at = NULL, updated_at = ?3, version = version + 1, {} WHERE id = ?1 AND version = ?4",
                        set_due("?2", "?5", "?6")
                    ))
                    .bind(&[int(c.request_id), text(c.to_stage), int(c.now), int(c.version), due, escalate])?,
            ),
            ChangeKind::Move { treated } => statements.push(
                self.db
                    .prepare(format!(
                        "UPDATE requests SET stage = ?2, updated_at = ?3, version = version + 1,
                           treated_at = CASE WHEN ?5 THEN ?3 ELSE treated_at END,
                           verdict = CASE WHEN ?2 = 'in_treatment' THEN NULL ELSE verdict END, {} WHERE id = ?1 AND version = ?4",
                        set_due("?2", "?6", "?7")
                    ))
                    .bind(&[int(c.request_id), text(c.to_stage), int(c.now), int(c.version), JsValue::from_bool(*treated), due, escalate])?,
            ),
            ChangeKind::Reassign { body_id } => statements.push(
                self.db.prepare("UPDATE requests SET body_id = ?2, updated_at = ?3, version = version + 1 WHERE id = ?1 AND version = ?4").bind(&[
                    int(c.request_id),
                    int(*body_id),
                    int(c.now),
                    int(c.version),
                ])?,
            ),
            ChangeKind::Note => {
                statements.push(self.db.prepare("UPDATE requests SET updated_at = ?2, version = version + 1 WHERE id = ?1 AND version = ?3").bind(&[
                    int(c.request_id),
                    int(c.now),
                    int(c.version),
                ])?)
            }
            ChangeKind::Close => statements.push(
                self.db
                    .prepare(
                        "UPDATE requests SET stage = ?2, closed_at = ?3, updated_at = ?3, due_at = NULL, escalate_at = NULL,
                           version = version + 1 WHERE id = ?1 AND version = ?4",
                    )
                    .bind(&[int(c.request_id), text(c.to_stage), int(c.now), int(c.version)])?,
            ),
        }
        statements.push(self.db.prepare("INSERT INTO batch_guard (ok) VALUES (changes())"));
        if let ChangeKind::Edit { form_key, .. } = &c.kind {
            statements.push(
                self.db
                    .prepare("UPDATE attachments SET request_id = ?1 WHERE form_key = ?2 AND request_id IS NULL")
                    .bind(&[int(c.request_id), text(form_key)])?,
            );
        }
        if let Some(form_key) = c.staff_files {
            statements.push(
                self.db
                    .prepare("UPDATE attachments SET request_id = ?1, origin = 'staff' WHERE form_key = ?2 AND request_id IS NULL")
                    .bind(&[int(c.request_id), text(form_key)])?,
            );
        }
        // One history row per edit window: a later edit in it moves that row's time.
        let edit_window = match c.kind {
            ChangeKind::Edit { window_start, .. } => Some(window_start),
            _ => None,
        };
        if let Some(start) = edit_window {
            statements.push(
                self.db
                    .prepare(
                        "UPDATE request_events SET at = ?2 WHERE request_id = ?1 AND event = ?3 AND at >= ?4
                           AND id = (SELECT max(id) FROM request_events WHERE request_id = ?1)",
                    )
                    .bind(&[int(c.request_id), int(c.now), text(c.event), int(start)])?,
            );
        }
        statements.push(
            self.db
                .prepare(
                    "INSERT INTO request_events (request_id, at, event, actor_role, actor_id, to_stage, note, visible_to_citizen, note_visible)
                     SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?10
                     WHERE ?9 IS NULL OR NOT EXISTS (SELECT 1 FROM request_events WHERE request_id = ?1 AND event = ?3 AND at = ?2
                       AND id = (SELECT max(id) FROM request_events WHERE request_id = ?1))",
                )
                .bind(&[
                    int(c.request_id),
                    int(c.now),
                    text(c.event),
                    text(c.actor_role),
                    c.actor_id.map_or(JsValue::NULL, int),
                    text(c.to_stage),
                    opt_text(c.note),
                    int(i64::from(c.visible)),
                    edit_window.map_or(JsValue::NULL, int),
                    int(i64::from(c.note_visible)),
                ])?,
        );
        for m in &c.notifications {
            let columns = super::OutboxColumns {
                key: "?1",
                request: "?2",
                channel: "?3",
                recipient: "?4",
                template: m.template,
                lang: "?5",
                payload: "?6",
                created_at: "?7",
            };
            statements.push(
                self.db.prepare(super::insert_outbox_sql(&columns, "WHERE true")).bind(&[
                    text(&m.key),
                    int(c.request_id),
                    text(m.channel),
                    text(&m.recipient),
                    text(&m.lang),
                    text(&m.payload),
                    int(c.now),
                ])?,
            );
        }
        if let Some(alert) = c.alert {
            // Successive edits in one window are one occurrence: staff hear of them once.
            let occurrence = edit_window
                .map_or_else(|| c.version.to_string(), |start| format!("window-{start}"));
            statements.extend(self.alert_statements(
                "?1",
                int(c.request_id),
                alert,
                &occurrence,
                c.now,
            )?);
        }
        statements.push(self.db.prepare("DELETE FROM batch_guard"));
        let results = match self.db.batch(statements).await {
            Ok(results) => results,
            Err(e) if on_constraint(&e.to_string()) == Some(Constraint::Guard) => return Ok(None),
            Err(e) => return Err(e),
        };
        match results.iter().find_map(|r| r.error()) {
            Some(e) if on_constraint(&e) == Some(Constraint::Guard) => Ok(None),
            Some(e) => Err(worker::Error::RustError(e)),
            None => Ok(Some(super::returned_ids(&results))),
        }
    }
}
