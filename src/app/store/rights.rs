//! Citizens' rights of access and erasure: the requests of a contact once a code and that contact
//! are proven to belong together, everything held about them, and their erasure (personal data
//! gone, the anonymous request kept for the statistics).

use serde::Deserialize;
use serde_json::Value;
use worker::Result;

use super::{json_array, text, Store};
use crate::domain::rights::{Held, Holder};
use crate::domain::stage::Stage;

/// A request of the contact.
#[derive(Debug, Clone, Deserialize)]
pub struct ContactRequest {
    pub id: i64,
    pub code: String,
    pub created_at: i64,
    pub stage: Stage,
    pub erased_at: Option<i64>,
}

/// An attachment to put in the archive (its R2 key stays out of the archive's tables).
#[derive(Debug, Clone, Deserialize)]
pub struct HeldFile {
    pub id: i64,
    pub code: String,
    pub file_name: String,
    pub r2_key: String,
}

const WITHIN: &str = "(SELECT value FROM json_each(?1))";

impl Store {
    /// The contact's requests, when request `code` was made with that contact (else None: the
    /// same answer whether the code exists or not).
    pub async fn contact_requests(
        &self,
        code: &str,
        holder: &Holder,
    ) -> Result<Option<Vec<ContactRequest>>> {
        let (column, value) = holder.column();
        let results = self
            .db
            .batch(vec![
                self.db
                    .prepare(format!("SELECT 1 AS hits FROM requests WHERE code = ?1 AND {column} = ?2 AND {column} <> ''"))
                    .bind(&[text(code), text(value)])?,
                self.db
                    .prepare(format!(
                        "SELECT id, code, created_at, stage, erased_at FROM requests WHERE {column} = ?1 AND {column} <> ''
                         ORDER BY created_at, id LIMIT 1000"
                    ))
                    .bind(&[text(value)])?,
            ])
            .await?;
        let [check, list] = <[worker::D1Result; 2]>::try_from(results)
            .map_err(|_| worker::Error::RustError("rights batch".into()))?;
        if check.results::<super::Hits>()?.is_empty() {
            return Ok(None);
        }
        Ok(Some(list.results::<ContactRequest>()?))
    }

    /// Everything held about these requests, in one batch: the requests themselves, their
    /// history (notes the citizen was shown; staff's internal notes are the body's work, not the
    /// citizen's data), earlier wordings, links, messages sent, attachments.
    pub async fn held(&self, ids: &[i64]) -> Result<(Held, Vec<HeldFile>)> {
        let q = |sql: String| self.db.prepare(sql).bind(&[json_array(ids)]);
        let results = self
            .db
            .batch(vec![
                q(format!(
                    "SELECT r.code, r.nature, b.name AS organisme, t.category_fr || ' : ' || t.label_fr AS theme, p.name AS lieu,
                       r.abroad_country AS pays_etranger, r.abroad_city AS ville_etranger, r.address AS adresse, r.lat, r.lon,
                       r.message, r.first_names AS prenoms, r.last_name AS nom, r.email, r.phone AS mobile, r.country AS pays,
                       r.lang AS langue, r.channel AS canal, r.stage AS etape, r.created_at AS recue_le, r.treated_at AS traitee_le,
                       r.closed_at AS close_le, r.verdict AS avis, r.verdict_comment AS commentaire_avis
                     FROM requests r JOIN bodies b ON b.id = r.body_id LEFT JOIN themes t ON t.id = r.theme_id
                     LEFT JOIN places p ON p.id = r.place_id WHERE r.id IN {WITHIN} ORDER BY r.created_at, r.id"
                ))?,
                q(format!(
                    "SELECT r.code, e.at AS le, e.event AS evenement, e.to_stage AS etape,
                       CASE WHEN e.visible_to_citizen = 1 AND e.note_visible = 1 THEN e.note END AS message
                     FROM request_events e JOIN requests r ON r.id = e.request_id
                     WHERE e.request_id IN {WITHIN} AND e.visible_to_citizen = 1 ORDER BY e.request_id, e.at, e.id"
                ))?,
                q(format!(
                    "SELECT r.code, v.message, v.replaced_at AS remplace_le FROM request_versions v JOIN requests r ON r.id = v.request_id
                     WHERE v.request_id IN {WITHIN} ORDER BY v.request_id, v.id"
                ))?,
                q(format!(
                    "SELECT r.code, l.url FROM request_links l JOIN requests r ON r.id = l.request_id
                     WHERE l.request_id IN {WITHIN} ORDER BY l.request_id, l.position"
                ))?,
                q(format!(
                    "SELECT r.code, o.created_at AS le, o.channel AS canal, o.recipient AS destinataire, o.template AS modele,
                       o.status AS etat, o.sent_at AS envoye_le FROM outbox o JOIN requests r ON r.id = o.request_id
                     WHERE o.request_id IN {WITHIN} AND o.template NOT IN ('staff_alert', 'body_alert') ORDER BY o.request_id, o.id"
                ))?,
                q(format!(
                    "SELECT r.code, a.id, a.file_name, a.kind, a.size, a.origin, a.created_at, a.r2_key
                     FROM attachments a JOIN requests r ON r.id = a.request_id WHERE a.request_id IN {WITHIN} ORDER BY a.request_id, a.id"
                ))?,
            ])
            .await?;
        let [requests, history, versions, links, messages, files] =
            <[worker::D1Result; 6]>::try_from(results)
                .map_err(|_| worker::Error::RustError("held batch".into()))?;
        let files_held = files.results::<HeldFile>()?;
        let mut files = files.results::<Value>()?;
        for f in &mut files {
            if let Value::Object(map) = f {
                map.remove("r2_key");
            }
        }
        let held = Held {
            requests: requests.results::<Value>()?,
            history: history.results::<Value>()?,
            versions: versions.results::<Value>()?,
            links: links.results::<Value>()?,
            messages: messages.results::<Value>()?,
            files,
        };
        Ok((held, files_held))
    }

    /// Erases what the retention job erases, and the request's links and delivery errors too
    /// (a provider's error may quote the address). One batch besides `erase_personal_data`'s.
    pub async fn erase_contact_data(&self, ids: &[i64], now: i64) -> Result<()> {
        self.erase_personal_data(ids, now).await?;
        let within = json_array(ids);
        self.run_batch(vec![
            self.db
                .prepare(format!("DELETE FROM request_links WHERE request_id IN {WITHIN}"))
                .bind(std::slice::from_ref(&within))?,
            self.db
                .prepare(format!(
                    "UPDATE delivery_attempts SET error = NULL, provider_id = NULL
                     WHERE outbox_id IN (SELECT id FROM outbox WHERE request_id IN {WITHIN})"
                ))
                .bind(std::slice::from_ref(&within))?,
            self.db
                .prepare(format!(
                    "UPDATE outbox SET last_error = NULL, provider_id = NULL WHERE request_id IN {WITHIN}"
                ))
                .bind(&[within])?,
        ])
        .await?;
        Ok(())
    }
}
