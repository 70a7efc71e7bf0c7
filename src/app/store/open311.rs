//! What the Open311 API reads: services (body × theme), requests as public facts only (never a
//! name, an address, a phone number, a message or a note), and the partners' API keys.

use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::Result;

use super::{int, json_array, text, Store};
use crate::domain::lang::Lang;
use crate::domain::open311::{RequestQuery, ServiceCode, MAX_RESULTS, MAX_UPDATES};

/// One service: a body and one of its themes (theme 0: «other», for requests without a theme).
#[derive(Debug, Clone, Deserialize)]
pub struct ServiceRow {
    pub body_id: i64,
    pub body_name: String,
    /// The body's slug: its Open311 `jurisdiction_id`.
    pub body_slug: String,
    pub theme_id: i64,
    pub category: Option<String>,
    pub label: Option<String>,
}

/// A request as Open311 may show it to anyone.
#[derive(Debug, Clone, Deserialize)]
pub struct PublicRequest {
    /// The request's Open311 id (never its tracking code).
    pub public_id: String,
    pub stage: String,
    pub body_id: i64,
    pub body_name: String,
    pub theme_id: Option<i64>,
    pub theme: Option<String>,
    pub place: Option<String>,
    /// The place's own coordinates (never the position a partner sent).
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub due_at: Option<i64>,
    /// For the partner key that submitted it only: what it sent — the citizen's words, its first
    /// media link, the position it gave (others read NULL).
    pub sent_description: Option<String>,
    pub sent_media_url: Option<String>,
    pub sent_lat: Option<f64>,
    pub sent_lon: Option<f64>,
}

/// One event of a request's history, as an Open311 update shows it: what happened and the stage
/// it left the request at, nothing else.
#[derive(Debug, Clone, Deserialize)]
pub struct UpdateRow {
    pub public_id: String,
    /// The update's message, for the partner key that submitted the request only, when the
    /// citizen sees it too (the body's answer, the analyst's reply); NULL for everyone else.
    pub note: Option<String>,
    /// Its rank among the events the citizen sees (`open311::update_id`).
    pub ordinal: i64,
    pub at: i64,
    pub event: String,
    pub to_stage: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ApiKey {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// A filter list, NULL (no filter) when empty.
fn json_list(items: &[String]) -> JsValue {
    if items.is_empty() {
        JsValue::NULL
    } else {
        json_array(items)
    }
}

fn label_columns(lang: Lang) -> (&'static str, &'static str) {
    match lang {
        Lang::Fr => ("category_fr", "label_fr"),
        Lang::En => ("category_en", "label_en"),
    }
}

impl Store {
    /// Every active body with its themes (its own, or the general list when it has none), and
    /// theme 0 for anything else; `only` narrows to one service.
    /// `jurisdiction`: one body's services (by slug).
    pub async fn open311_services(
        &self,
        lang: Lang,
        only: Option<ServiceCode>,
        jurisdiction: Option<&str>,
    ) -> Result<Vec<ServiceRow>> {
        let (category, label) = label_columns(lang);
        let sql = format!(
            "SELECT body_id, body_name, body_slug, theme_id, category, label FROM (
               SELECT b.id AS body_id, b.name AS body_name, b.slug AS body_slug, t.id AS theme_id, t.{category} AS category, t.{label} AS label,
                      t.position AS position, b.name AS sort_name
               FROM bodies b JOIN themes t ON t.active = 1 AND (t.body_id = b.id OR (t.body_id IS NULL
                 AND NOT EXISTS (SELECT 1 FROM themes o WHERE o.body_id = b.id AND o.active = 1)))
               WHERE b.active = 1
               UNION ALL
               SELECT b.id, b.name, b.slug, 0, NULL, NULL, 1e9, b.name FROM bodies b WHERE b.active = 1)
             WHERE (?1 IS NULL OR (body_id = ?1 AND theme_id = ?2)) AND (?3 IS NULL OR body_slug = ?3)
             ORDER BY sort_name, position, theme_id"
        );
        let (body, theme) =
            only.map_or((JsValue::NULL, JsValue::NULL), |c| (int(c.body_id), int(c.theme_id)));
        self.db
            .prepare(sql)
            .bind(&[body, theme, jurisdiction.map_or(JsValue::NULL, text)])?
            .all()
            .await?
            .results::<ServiceRow>()
    }

    /// Requests by public id (whatever their body now: ids override every filter), or received
    /// in a window (newest first, at most `MAX_RESULTS`) and filtered, `jurisdictions` by the
    /// body they are with now.
    pub async fn open311_requests(
        &self,
        query: &RequestQuery,
        lang: Lang,
        reader: Option<i64>,
    ) -> Result<Vec<PublicRequest>> {
        let (category, label) = label_columns(lang);
        let select = format!(
            "SELECT r.public_id, r.stage, r.body_id, b.name AS body_name, r.theme_id,
                    CASE WHEN t.id IS NULL THEN NULL ELSE t.{category} || ' : ' || t.{label} END AS theme,
                    p.name AS place, p.lat, p.lon, r.created_at, r.updated_at, r.due_at,
                    CASE WHEN r.api_key_id = ?9 THEN r.message END AS sent_description,
                    CASE WHEN r.api_key_id = ?9 THEN (SELECT l.url FROM request_links l WHERE l.request_id = r.id ORDER BY l.position LIMIT 1) END AS sent_media_url,
                    CASE WHEN r.api_key_id = ?9 THEN r.lat END AS sent_lat,
                    CASE WHEN r.api_key_id = ?9 THEN r.lon END AS sent_lon
             FROM requests r JOIN bodies b ON b.id = r.body_id
             LEFT JOIN themes t ON t.id = r.theme_id LEFT JOIN places p ON p.id = r.place_id"
        );
        let statement = match query {
            RequestQuery::Ids(ids) => {
                let ids: Vec<String> = ids.iter().map(|i| i.as_str().to_owned()).collect();
                self.db
                    .prepare(format!("{select} WHERE r.public_id IN (SELECT value FROM json_each(?1)) ORDER BY r.created_at DESC"))
                    .bind(&[json_list(&ids), JsValue::NULL, JsValue::NULL, JsValue::NULL, JsValue::NULL, JsValue::NULL, JsValue::NULL, JsValue::NULL, reader.map_or(JsValue::NULL, int)])?
            }
            RequestQuery::Filter { jurisdictions, service_codes, start, end, statuses } => {
                let codes: Vec<String> = service_codes.iter().map(ServiceCode::to_string).collect();
                let statuses: Vec<String> = statuses.iter().map(|s| (*s).to_owned()).collect();
                // The status rule is `open311::status_of`'s.
                self.db
                    .prepare(format!(
                        "{select} WHERE r.created_at BETWEEN ?1 AND ?2
                           AND (?3 IS NULL OR (r.body_id || '-' || coalesce(r.theme_id, 0)) IN (SELECT value FROM json_each(?3)))
                           AND (?4 IS NULL OR (CASE WHEN r.stage IN ('treated', 'closed', 'closed_without_verdict', 'forwarded', 'taken_into_account')
                                THEN 'closed' ELSE 'open' END) IN (SELECT value FROM json_each(?4)))
                           AND (?6 IS NULL OR b.slug IN (SELECT value FROM json_each(?6)))
                         ORDER BY r.created_at DESC LIMIT ?5"
                    ))
                    .bind(&[
                        int(*start),
                        int(*end),
                        json_list(&codes),
                        json_list(&statuses),
                        int(MAX_RESULTS),
                        json_list(jurisdictions),
                        JsValue::NULL,
                        JsValue::NULL,
                        reader.map_or(JsValue::NULL, int),
                    ])?
            }
        };
        statement.all().await?.results::<PublicRequest>()
    }

    /// The events of requests' histories their citizens see, made in [`from`, `until`) — never
    /// a staff-only event, never a note, a name or a contact; the submission itself left out —
    /// oldest first, at most `MAX_UPDATES` (index `request_events_at`). `jurisdictions`: requests
    /// that are or ever were with one of these bodies (`request_bodies`), so that a request
    /// reassigned away still reaches the partner of the body it was sent to.
    pub async fn open311_updates(
        &self,
        from: i64,
        until: i64,
        jurisdictions: &[String],
        reader: Option<i64>,
    ) -> Result<Vec<UpdateRow>> {
        self.db
            .prepare(
                "SELECT r.public_id, e.at, e.event, e.to_stage,
                        CASE WHEN r.api_key_id = ?5 AND e.note_visible = 1 THEN e.note END AS note,
                        (SELECT count(*) FROM request_events x WHERE x.request_id = e.request_id
                           AND x.visible_to_citizen = 1 AND x.id <= e.id) AS ordinal
                 FROM request_events e JOIN requests r ON r.id = e.request_id
                 WHERE e.visible_to_citizen = 1 AND e.at >= ?1 AND e.at < ?2
                   AND e.event <> 'submitted' AND e.to_stage IS NOT NULL AND r.public_id IS NOT NULL
                   AND (?3 IS NULL OR EXISTS (SELECT 1 FROM request_bodies rb WHERE rb.request_id = e.request_id
                         AND rb.body_id IN (SELECT id FROM bodies WHERE slug IN (SELECT value FROM json_each(?3)))))
                 ORDER BY e.at, e.id LIMIT ?4",
            )
            .bind(&[
                int(from),
                int(until),
                json_list(jurisdictions),
                int(MAX_UPDATES),
                reader.map_or(JsValue::NULL, int),
            ])?
            .all()
            .await?
            .results::<UpdateRow>()
    }

    /// The live key with this hash, marked as used now (one statement).
    pub async fn api_key_by_hash(&self, hash: &str, now: i64) -> Result<Option<ApiKey>> {
        self.db
            .prepare(
                "UPDATE api_keys SET last_used_at = ?2 WHERE key_hash = ?1 AND revoked_at IS NULL
                 RETURNING id, name, prefix, created_at, last_used_at, revoked_at",
            )
            .bind(&[text(hash), int(now)])?
            .first::<ApiKey>(None)
            .await
    }

    pub async fn api_keys(&self) -> Result<Vec<ApiKey>> {
        self.db
            .prepare("SELECT id, name, prefix, created_at, last_used_at, revoked_at FROM api_keys ORDER BY revoked_at IS NOT NULL, created_at DESC")
            .all()
            .await?
            .results::<ApiKey>()
    }

    pub async fn create_api_key(
        &self,
        name: &str,
        hash: &str,
        prefix: &str,
        staff_id: i64,
        now: i64,
    ) -> Result<()> {
        self.db
            .prepare("INSERT INTO api_keys (name, key_hash, prefix, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5)")
            .bind(&[text(name), text(hash), text(prefix), int(staff_id), int(now)])?
            .run()
            .await?;
        Ok(())
    }

    /// Ok(false) when there was no live key with this id.
    pub async fn revoke_api_key(&self, id: i64, now: i64) -> Result<bool> {
        let result = self
            .db
            .prepare("UPDATE api_keys SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL")
            .bind(&[int(id), int(now)])?
            .run()
            .await?;
        Ok(result.meta()?.and_then(|m| m.changes).unwrap_or(0) > 0)
    }
}
