//! Staff accounts, sign-in links, sessions and the back-office queues.

use serde::Deserialize;

use crate::domain::nature::Nature;
use crate::domain::stage::{Stage, Verdict};
use worker::Result;

use super::{int, json_array, text, Store};
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
        let scope = self.scope.unwrap_or_default().split(',').filter_map(|s| s.trim().parse().ok()).collect();
        Some(Staff { id: self.id, email: self.email, name: self.name, role: parse_role(&self.role)?, body_id: self.body_id, scope })
    }
}

const STAFF_COLUMNS: &str = "s.id, s.email, s.name, s.role, s.body_id,
    (SELECT group_concat(body_id) FROM staff_bodies b WHERE b.staff_id = s.id) AS scope";

/// One line of a back-office queue.
#[derive(Debug, Clone, Deserialize)]
pub struct QueueLine {
    pub code: String,
    pub nature: Nature,
    pub stage: Stage,
    pub body_name: String,
    pub channel: String,
    pub created_at: i64,
    pub verdict: Option<Verdict>,
    pub due_at: Option<i64>,
    /// The first 160 characters of the message.
    pub excerpt: String,
    pub theme: Option<String>,
    pub place: Option<String>,
}

pub struct QueueFilter<'a> {
    /// Stages listed.
    pub stages: &'a [&'a str],
    /// `None`: every body.
    pub bodies: Option<&'a [i64]>,
    pub nature: Option<&'a str>,
    pub body: Option<i64>,
    pub code: Option<&'a str>,
    pub channel: Option<&'a str>,
    /// Only requests received before this instant (the «older than N days» filter).
    pub received_before: Option<i64>,
    /// Only stage-2 requests whose focal point asked for a reassignment since it reached them.
    pub reassign_requested: bool,
    /// Newest first (the body's «Transmises»), instead of oldest update first.
    pub newest_first: bool,
}

impl Store {
    pub async fn active_staff_by_email(&self, email: &str) -> Result<Option<Staff>> {
        let row = self
            .db
            .prepare(format!("SELECT {STAFF_COLUMNS} FROM staff s WHERE s.email = ?1 AND s.active = 1"))
            .bind(&[text(email)])?
            .first::<StaffRow>(None)
            .await?;
        Ok(row.and_then(StaffRow::into_staff))
    }

    pub async fn save_sign_in_token(&self, hash: &str, staff_id: i64, expires_at: i64) -> Result<()> {
        self.db
            .prepare("INSERT INTO sign_in_tokens (token_hash, staff_id, expires_at) VALUES (?1, ?2, ?3)")
            .bind(&[text(hash), int(staff_id), int(expires_at)])?
            .run()
            .await?;
        Ok(())
    }

    /// Uses a sign-in link: once, before it expires, for an active account.
    pub async fn consume_sign_in_token(&self, hash: &str, now: i64) -> Result<Option<i64>> {
        #[derive(Deserialize)]
        struct Row {
            staff_id: i64,
        }
        let row = self
            .db
            .prepare(
                "UPDATE sign_in_tokens SET used_at = ?2 WHERE token_hash = ?1 AND used_at IS NULL AND expires_at > ?2
                   AND staff_id IN (SELECT id FROM staff WHERE active = 1) RETURNING staff_id",
            )
            .bind(&[text(hash), int(now)])?
            .first::<Row>(None)
            .await?;
        Ok(row.map(|r| r.staff_id))
    }

    pub async fn create_staff_session(&self, hash: &str, staff_id: i64, now: i64, expires_at: i64) -> Result<()> {
        self.db
            .prepare("INSERT INTO staff_sessions (token_hash, staff_id, created_at, last_seen_at, expires_at) VALUES (?1, ?2, ?3, ?3, ?4)")
            .bind(&[text(hash), int(staff_id), int(now), int(expires_at)])?
            .run()
            .await?;
        Ok(())
    }

    /// The staff member of a live session (not revoked, not past its absolute expiry, used within
    /// the idle timeout), touching it.
    pub async fn staff_for_session(&self, hash: &str, now: i64, idle_ms: i64) -> Result<Option<Staff>> {
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
            .prepare(format!("SELECT {STAFF_COLUMNS} FROM staff s WHERE s.id = ?1 AND s.active = 1"))
            .bind(&[int(live.staff_id)])?
            .first::<StaffRow>(None)
            .await?;
        Ok(row.and_then(StaffRow::into_staff))
    }

    pub async fn revoke_session(&self, hash: &str, now: i64) -> Result<()> {
        self.db.prepare("UPDATE staff_sessions SET revoked_at = ?2 WHERE token_hash = ?1").bind(&[text(hash), int(now)])?.run().await?;
        Ok(())
    }

    pub async fn revoke_all_sessions(&self, staff_id: i64, now: i64) -> Result<()> {
        self.db.prepare("UPDATE staff_sessions SET revoked_at = ?2 WHERE staff_id = ?1 AND revoked_at IS NULL").bind(&[int(staff_id), int(now)])?.run().await?;
        Ok(())
    }

    /// A queue: requests in the given stages, oldest first, within the staff member's bodies.
    pub async fn queue(&self, f: &QueueFilter<'_>) -> Result<Vec<QueueLine>> {
        let mut sql = String::from(
            "SELECT r.code, r.nature, r.stage, b.name AS body_name, r.channel, r.created_at, r.verdict, r.due_at,
                    substr(r.message, 1, 160) AS excerpt, t.category_fr || ' : ' || t.label_fr AS theme, p.name AS place
             FROM requests r JOIN bodies b ON b.id = r.body_id
             LEFT JOIN themes t ON t.id = r.theme_id LEFT JOIN places p ON p.id = r.place_id
             WHERE r.stage IN (SELECT value FROM json_each(?1))",
        );
        let mut args = vec![json_array(f.stages)];
        if let Some(bodies) = f.bodies {
            args.push(json_array(bodies));
            sql.push_str(&format!(" AND r.body_id IN (SELECT value FROM json_each(?{}))", args.len()));
        }
        if let Some(nature) = f.nature {
            args.push(text(nature));
            sql.push_str(&format!(" AND r.nature = ?{}", args.len()));
        }
        if let Some(body) = f.body {
            args.push(int(body));
            sql.push_str(&format!(" AND r.body_id = ?{}", args.len()));
        }
        if let Some(code) = f.code {
            args.push(text(code));
            sql.push_str(&format!(" AND r.code = ?{}", args.len()));
        }
        if let Some(channel) = f.channel {
            args.push(text(channel));
            sql.push_str(&format!(" AND r.channel = ?{}", args.len()));
        }
        if let Some(before) = f.received_before {
            args.push(int(before));
            sql.push_str(&format!(" AND r.created_at < ?{}", args.len()));
        }
        if f.reassign_requested {
            sql.push_str(
                " AND EXISTS (SELECT 1 FROM request_events e WHERE e.request_id = r.id AND e.event = 'reassign_requested'
                   AND e.at >= (SELECT max(x.at) FROM request_events x WHERE x.request_id = r.id
                                AND x.event IN ('validated', 'reassigned', 'reopened', 'returned_to_body')))",
            );
        }
        sql.push_str(if f.newest_first { " ORDER BY r.created_at DESC LIMIT 200" } else { " ORDER BY r.updated_at LIMIT 200" });
        self.db.prepare(sql).bind(&args)?.all().await?.results::<QueueLine>()
    }

    /// Every event of a request, internal notes included, with who did it (for staff).
    pub async fn staff_history(&self, request_id: i64) -> Result<Vec<StaffEvent>> {
        self.db
            .prepare(
                "SELECT e.at, e.event, e.actor_role, s.name AS actor_name, e.note, e.visible_to_citizen AS visible
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
