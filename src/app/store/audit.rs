//! The audit trail: records written (alone, or in the batch of the change they record), read by
//! the journal a page at a time with its filters, and purged past the retention setting. Nothing
//! here updates a record; the only DELETE is the purge, which the table's trigger would refuse for
//! anything younger than the retention (migration 0026).

use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::Result;

use super::Stmt;

use super::{int, opt_int, opt_text, text, Store};
use crate::domain::audit::{Entry, DEFAULT_RETENTION_DAYS, MIN_RETENTION_DAYS, RETENTION_SETTING};

/// What the journal is narrowed to (all optional; kept in its URL).
#[derive(Debug, Clone, Default)]
pub struct JournalFilter {
    pub staff_id: Option<i64>,
    pub request_code: Option<String>,
    pub action: Option<String>,
    /// From this instant (ms, included) and before that one (excluded).
    pub from: Option<i64>,
    pub until: Option<i64>,
}

/// One record as the journal shows it.
#[derive(Debug, Clone, Deserialize)]
pub struct JournalLine {
    pub id: i64,
    pub at: i64,
    pub staff_name: Option<String>,
    pub staff_email: Option<String>,
    pub action: String,
    pub target: String,
    pub detail: Option<String>,
    pub ip: Option<String>,
    pub request_code: Option<String>,
}

/// The retention in days, as the purge and the trigger read it (the setting, or the default;
/// never under the floor).
fn retention_sql() -> String {
    format!(
        "max({MIN_RETENTION_DAYS}, coalesce((SELECT CAST(value AS INTEGER) FROM settings WHERE key = '{RETENTION_SETTING}'), {DEFAULT_RETENTION_DAYS}))"
    )
}

impl Store {
    /// The statement that writes one record, for a batch.
    pub(super) fn audit_statement(&self, e: &Entry, ip: &str, now: i64) -> Result<Stmt> {
        self.db
            .prepare(
                "INSERT INTO audit_log (at, staff_id, action, target, detail, ip, request_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .bind(&[
                int(now),
                int(e.staff_id),
                text(&e.action.slug()),
                text(&e.target),
                opt_text(e.detail.as_deref()),
                text(ip),
                opt_int(e.request_id),
            ])
    }

    /// Writes one record now, from the client this store serves.
    pub async fn record(&self, e: &Entry, now: i64) -> Result<()> {
        self.audit_statement(e, self.client(), now)?.run().await?;
        Ok(())
    }

    /// One page of the journal, newest first, before record `before` (a cursor: the last id of
    /// the previous page); `limit` rows.
    pub async fn journal(
        &self,
        f: &JournalFilter,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<JournalLine>> {
        let mut args: Vec<JsValue> = Vec::new();
        let mut sql = String::from(
            "SELECT a.id, a.at, s.name AS staff_name, s.email AS staff_email, a.action, a.target, a.detail, a.ip,
               r.code AS request_code
             FROM audit_log a LEFT JOIN staff s ON s.id = a.staff_id LEFT JOIN requests r ON r.id = a.request_id WHERE 1",
        );
        let mut push = |cond: &str, v: JsValue, args: &mut Vec<JsValue>| {
            args.push(v);
            sql.push_str(&cond.replace('?', &format!("?{}", args.len())));
        };
        if let Some(id) = f.staff_id {
            push(" AND a.staff_id = ?", int(id), &mut args);
        }
        if let Some(code) = &f.request_code {
            push(
                " AND a.request_id = (SELECT id FROM requests WHERE code = ?)",
                text(code),
                &mut args,
            );
        }
        if let Some(action) = &f.action {
            push(" AND a.action = ?", text(action), &mut args);
        }
        if let Some(from) = f.from {
            push(" AND a.at >= ?", int(from), &mut args);
        }
        if let Some(until) = f.until {
            push(" AND a.at < ?", int(until), &mut args);
        }
        if let Some(before) = before {
            push(" AND a.id < ?", int(before), &mut args);
        }
        args.push(int(limit));
        sql.push_str(&format!(" ORDER BY a.id DESC LIMIT ?{}", args.len()));
        self.db.prepare(sql).bind(&args)?.all().await?.results::<JournalLine>()
    }

    /// Deletes up to `limit` records older than the retention (the job's clock, but never past
    /// the database's own: the trigger measures with it). Returns how many.
    pub async fn purge_audit(&self, now: i64, limit: i64) -> Result<i64> {
        let result = self
            .db
            .prepare(format!(
                // Oldest first by `at` (its index): in id order, a log with nothing old
                // enough was read to its end to find so.
                "DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log
                   WHERE at < min(?1, unixepoch() * 1000) - 86400000 * {} ORDER BY at LIMIT ?2)",
                retention_sql()
            ))
            .bind(&[int(now), int(limit)])?
            .run()
            .await?;
        Ok(result.meta()?.and_then(|m| m.changes).map_or(0, |n| n as i64))
    }

    /// The retention setting in days.
    pub async fn audit_retention(&self) -> Result<i64> {
        Ok(self
            .setting_number(RETENTION_SETTING)
            .await?
            .unwrap_or(DEFAULT_RETENTION_DAYS)
            .max(MIN_RETENTION_DAYS))
    }

    pub async fn set_audit_retention(&self, days: i64) -> Result<()> {
        self.db
            .prepare("INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(&[text(RETENTION_SETTING), text(&days.to_string())])?
            .run()
            .await?;
        Ok(())
    }

    /// Everyone who appears in the journal's person filter: every account, by name.
    pub async fn staff_names(&self) -> Result<Vec<(i64, String)>> {
        #[derive(Deserialize)]
        struct Row {
            id: i64,
            name: String,
            email: String,
        }
        let rows = self
            .db
            .prepare("SELECT id, name, email FROM staff ORDER BY name, id")
            .all()
            .await?
            .results::<Row>()?;
        Ok(rows.into_iter().map(|r| (r.id, format!("{} ({})", r.name, r.email))).collect())
    }
}
