//! Staff accounts, sign-in links, sessions and the back-office queues.

use serde::Deserialize;

use worker::Result;

use super::{int, text, Store};
use crate::domain::staff::{parse_role, Staff};

#[derive(Deserialize)]
struct StaffRow {
    id: i64,
    email: String,
    name: String,
    role: String,
    body_id: Option<i64>,
    scope: Option<String>,
}

impl StaffRow {
    fn into_staff(self) -> Option<Staff> {
        let scope = self
            .scope
            .unwrap_or_default()
            .split(',')
            .filter_map(|s| s.trim().parse().ok())
            .collect();
        Some(Staff {
            id: self.id,
            email: self.email,
            name: self.name,
            role: parse_role(&self.role)?,
            body_id: self.body_id,
            scope,
        })
    }
}

const STAFF_COLUMNS: &str = "s.id, s.email, s.name, s.role, s.body_id,
    (SELECT group_concat(body_id) FROM staff_bodies b WHERE b.staff_id = s.id) AS scope";

/// One line of a back-office queue.
impl Store {
    /// Staff accounts matching `condition` (over `staff s`, with its own ORDER BY and LIMIT).
    pub(super) async fn staff_where(
        &self,
        condition: &str,
        args: &[wasm_bindgen::JsValue],
    ) -> Result<Vec<Staff>> {
        let rows = self
            .db
            .prepare(format!("SELECT {STAFF_COLUMNS} FROM staff s WHERE {condition}"))
            .bind(args)?
            .all()
            .await?
            .results::<StaffRow>()?;
        Ok(rows.into_iter().filter_map(StaffRow::into_staff).collect())
    }

    pub async fn active_staff_by_email(&self, email: &str) -> Result<Option<Staff>> {
        let row = self
            .db
            .prepare(format!(
                "SELECT {STAFF_COLUMNS} FROM staff s WHERE s.email = ?1 AND s.active = 1"
            ))
            .bind(&[text(email)])?
            .first::<StaffRow>(None)
            .await?;
        Ok(row.and_then(StaffRow::into_staff))
    }

    pub async fn save_sign_in_token(
        &self,
        hash: &str,
        staff_id: i64,
        expires_at: i64,
    ) -> Result<()> {
        self.db
            .prepare(
                "INSERT INTO sign_in_tokens (token_hash, staff_id, expires_at) VALUES (?1, ?2, ?3)",
            )
            .bind(&[text(hash), int(staff_id), int(expires_at)])?
            .run()
            .await?;
        Ok(())
    }

    /// Uses a sign-in link: once, before it expires, for an active account.
    /// Uses a sign-in link: the staff member's id and address, when the link is unused, in time
    /// and its account active.
    pub async fn consume_sign_in_token(
        &self,
        hash: &str,
        now: i64,
    ) -> Result<Option<(i64, String)>> {
        #[derive(Deserialize)]
        struct Row {
            staff_id: i64,
            email: String,
        }
        let row = self
            .db
            .prepare(
                "UPDATE sign_in_tokens SET used_at = ?2 WHERE token_hash = ?1 AND used_at IS NULL AND expires_at > ?2
                   AND staff_id IN (SELECT id FROM staff WHERE active = 1)
                 RETURNING staff_id, (SELECT email FROM staff WHERE id = staff_id) AS email",
            )
            .bind(&[text(hash), int(now)])?
            .first::<Row>(None)
            .await?;
        Ok(row.map(|r| (r.staff_id, r.email)))
    }

    pub async fn create_staff_session(
        &self,
        hash: &str,
        staff_id: i64,
        now: i64,
        expires_at: i64,
    ) -> Result<()> {
        self.db
            .prepare("INSERT INTO staff_sessions (token_hash, staff_id, created_at, last_seen_at, expires_at) VALUES (?1, ?2, ?3, ?3, ?4)")
            .bind(&[text(hash), int(staff_id), int(now), int(expires_at)])?
            .run()
            .await?;
        Ok(())
    }

    /// The staff member of a live session (not revoked, not past its absolute expiry, used within
    /// the idle timeout), touching it.
    pub async fn staff_for_session(
        &self,
        hash: &str,
        now: i64,
        idle_ms: i64,
    ) -> Result<Option<Staff>> {
        #[derive(Deserialize)]
        struct Row {
            staff_id: i64,
        }
        let live = self
            .db
            .prepare(
                "UPDATE staff_sessions SET last_seen_at = ?2 WHERE token_hash = ?1 AND revoked_at IS NULL
                   AND expires_at > ?2 AND last_seen_at > ?2 - ?3 RETURNING staff_id",
            )
            .bind(&[text(hash), int(now), int(idle_ms)])?
            .first::<Row>(None)
            .await?;
        let Some(live) = live else { return Ok(None) };
        let row = self
            .db
            .prepare(format!(
                "SELECT {STAFF_COLUMNS} FROM staff s WHERE s.id = ?1 AND s.active = 1"
            ))
            .bind(&[int(live.staff_id)])?
            .first::<StaffRow>(None)
            .await?;
        Ok(row.and_then(StaffRow::into_staff))
    }

    pub async fn revoke_session(&self, hash: &str, now: i64) -> Result<()> {
        self.db
            .prepare("UPDATE staff_sessions SET revoked_at = ?2 WHERE token_hash = ?1")
            .bind(&[text(hash), int(now)])?
            .run()
            .await?;
        Ok(())
    }

    pub async fn revoke_all_sessions(&self, staff_id: i64, now: i64) -> Result<()> {
        self.db.prepare("UPDATE staff_sessions SET revoked_at = ?2 WHERE staff_id = ?1 AND revoked_at IS NULL").bind(&[int(staff_id), int(now)])?.run().await?;
        Ok(())
    }

    /// A queue: requests in the given stages, oldest first, within the staff member's bodies.
    /// Every event of a request, internal notes included, with who did it (for staff).
    pub async fn staff_history(&self, request_id: i64) -> Result<Vec<StaffEvent>> {
        self.db
            .prepare(
                "SELECT e.at, e.event, e.actor_role, s.name AS actor_name, e.note, e.visible_to_citizen * e.note_visible AS visible
                 FROM request_events e LEFT JOIN staff s ON s.id = e.actor_id WHERE e.request_id = ?1 ORDER BY e.at, e.id",
            )
            .bind(&[int(request_id)])?
            .all()
            .await?
            .results::<StaffEvent>()
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct StaffEvent {
    pub at: i64,
    pub event: String,
    pub actor_role: String,
    pub actor_name: Option<String>,
    pub note: Option<String>,
    pub visible: i64,
}
