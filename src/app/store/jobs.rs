//! What the daily jobs read and write, a slice at a time, each from an index on what is due:
//! deadlines and escalations, verdict reminders and closures, retention, housekeeping. (The
//! statistics' slices are `rollups`'s; where each job stands, `job_runs`'s.)

use serde::Deserialize;
use worker::Result;

use super::{insert_outbox_sql, int, json_array, OutboxColumns, Store};
use crate::domain::notification::Template;
use crate::domain::staff::Staff;

/// A request whose current step is due soon or overdue, as a digest lists it.
#[derive(Debug, Clone, Deserialize)]
pub struct DueItem {
    pub code: String,
    pub body_name: String,
    /// None for an escalated request whose step has no deadline any more (a reopening, say).
    pub due_at: Option<i64>,
}

/// Which of a staff member's requests a digest lists.
pub enum DueFor<'a> {
    /// Waiting for triage, in the analyst's bodies (all when `scope` is empty), due before `until`.
    Triage { scope: &'a [i64], until: i64 },
    /// In treatment at the focal point's body, due before `until`.
    Treatment { body_id: i64, until: i64 },
    /// In triage or treatment anywhere, past twice their deadline at `now`.
    Escalated { now: i64 },
}

/// Lines a digest shows at most; the rest are counted, up to `DIGEST_COUNT_CAP`.
pub const DIGEST_LINES: i64 = 50;
pub const DIGEST_COUNT_CAP: i64 = 1000;

/// A treated request due for its verdict reminder.
#[derive(Debug, Clone, Deserialize)]
pub struct ToRemind {
    pub id: i64,
    pub nature: String,
    pub body_name: String,
    pub email: String,
    pub phone: String,
    pub lang: String,
    pub treated_at: i64,
}

/// A reminded request due to be closed «sans avis».
#[derive(Debug, Clone, Deserialize)]
pub struct ToClose {
    pub id: i64,
    pub nature: String,
    pub version: i64,
}

/// One outbox row of a set written by one statement.
#[derive(Debug, serde::Serialize)]
pub struct OutboxLine {
    pub key: String,
    pub request: i64,
    pub channel: &'static str,
    pub recipient: String,
    pub lang: String,
    pub payload: String,
}

/// Where a digest's lines are: one range of an index in the digest's order (over `r`), or one
/// such range per key of a list (over `y`, the key `s.value`: the analyst's bodies, the two
/// stages) — each read only to its first lines, so nothing sorts or walks every overdue request
/// (one range mixing bodies or stages took 0.7 s at a million requests, per digest).
enum Ranges {
    One(&'static str),
    PerKey { keys: &'static str, range: &'static str },
}

impl DueFor<'_> {
    /// The ranges, their arguments (from `?1`) and the column the digest is in order of.
    fn ranges(&self) -> (Ranges, Vec<wasm_bindgen::JsValue>, &'static str) {
        match self {
            DueFor::Triage { scope: [], until } => (
                Ranges::One("r.stage = 'awaiting_triage' AND r.due_at < ?1"),
                vec![int(*until)],
                "due_at",
            ),
            DueFor::Triage { scope, until } => (
                Ranges::PerKey {
                    keys: "?2",
                    range: "y.stage = 'awaiting_triage' AND y.body_id = s.value AND y.due_at < ?1",
                },
                vec![int(*until), json_array(scope)],
                "due_at",
            ),
            DueFor::Treatment { body_id, until } => (
                Ranges::One("r.stage = 'in_treatment' AND r.body_id = ?2 AND r.due_at < ?1"),
                vec![int(*until), int(*body_id)],
                "due_at",
            ),
            DueFor::Escalated { now } => (
                Ranges::PerKey {
                    keys: "'[\"awaiting_triage\", \"in_treatment\"]'",
                    range: "y.stage = s.value AND y.escalate_at < ?1",
                },
                vec![int(*now)],
                "escalate_at",
            ),
        }
    }
}

impl Store {
    /// Active staff who may get a digest, after `after` (their id) in id order: a slice of them.
    pub async fn digest_staff_after(&self, after: i64, limit: i64) -> Result<Vec<Staff>> {
        self.staff_where(
            "s.active = 1 AND s.role IN ('analyst', 'focal_point', 'supervisor', 'admin') AND s.id > ?1
             ORDER BY s.id LIMIT ?2",
            &[int(after), int(limit)],
        )
        .await
    }

    /// A digest's lines (the `DIGEST_LINES` oldest deadlines) and how many there are in all,
    /// counted up to `DIGEST_COUNT_CAP` + 1: two bounded reads of an index, whatever the backlog.
    pub async fn due_for(&self, due: &DueFor<'_>) -> Result<(Vec<DueItem>, i64)> {
        let (ranges, args, order) = due.ranges();
        let cap = DIGEST_COUNT_CAP + 1;
        let (lines_sql, count_sql) = match ranges {
            Ranges::One(range) => (
                format!(
                    "SELECT r.code, b.name AS body_name, r.due_at FROM requests r JOIN bodies b ON b.id = r.body_id
                     WHERE {range} ORDER BY r.{order} LIMIT {DIGEST_LINES}"
                ),
                format!("SELECT count(*) AS n FROM (SELECT 1 FROM requests r WHERE {range} LIMIT {cap})"),
            ),
            Ranges::PerKey { keys, range } => (
                format!(
                    "SELECT r.code, b.name AS body_name, r.due_at FROM json_each({keys}) s
                     CROSS JOIN requests r ON r.id IN
                       (SELECT y.id FROM requests y WHERE {range} ORDER BY y.{order} LIMIT {DIGEST_LINES})
                     JOIN bodies b ON b.id = r.body_id ORDER BY r.{order} LIMIT {DIGEST_LINES}"
                ),
                format!(
                    "SELECT count(*) AS n FROM (SELECT 1 FROM json_each({keys}) s CROSS JOIN requests y ON {range} LIMIT {cap})"
                ),
            ),
        };
        let lines = self.db.prepare(lines_sql).bind(&args)?.all().await?.results::<DueItem>()?;
        if (lines.len() as i64) < DIGEST_LINES {
            let n = lines.len() as i64;
            return Ok((lines, n));
        }
        #[derive(Deserialize)]
        struct Count {
            n: i64,
        }
        let total =
            self.db.prepare(count_sql).bind(&args)?.first::<Count>(None).await?.map_or(0, |c| c.n);
        Ok((lines, total))
    }

    /// Treated requests whose answer is older than `before` and not yet reminded, oldest first.
    pub async fn to_remind(&self, before: i64, limit: i64) -> Result<Vec<ToRemind>> {
        self.db
            .prepare(
                "SELECT r.id, r.nature, b.name AS body_name, r.email, r.phone, r.lang, r.treated_at
                 FROM requests r JOIN bodies b ON b.id = r.body_id
                 WHERE r.stage = 'treated' AND r.verdict_reminded_at IS NULL AND r.treated_at < ?1
                 ORDER BY r.treated_at LIMIT ?2",
            )
            .bind(&[int(before), int(limit)])?
            .all()
            .await?
            .results::<ToRemind>()
    }

    /// Writes the reminders (one statement for every row) and marks their requests reminded at
    /// `at`, in one batch: a request answered by its citizen meanwhile gets neither, and a slice
    /// repeated writes nothing twice (the rows' keys). Returns the rows written.
    pub async fn write_reminders(
        &self,
        ids: &[i64],
        lines: &[OutboxLine],
        at: i64,
    ) -> Result<Vec<i64>> {
        let row = |field: &str| format!("json_extract(j.value, '$.{field}')");
        let statements = vec![
            self.db
                .prepare(insert_outbox_sql(
                    &OutboxColumns {
                        key: &row("key"),
                        request: "r.id",
                        channel: &row("channel"),
                        recipient: &row("recipient"),
                        template: Template::VerdictReminder,
                        lang: &row("lang"),
                        payload: &row("payload"),
                        created_at: "?2",
                    },
                    // CROSS JOIN keeps the list outside: joined the other way, SQLite walked
                    // every treated request for each line (10 s at a million requests).
                    "FROM json_each(?1) j CROSS JOIN requests r ON r.id = json_extract(j.value, '$.request')
                     WHERE r.stage = 'treated' AND r.verdict_reminded_at IS NULL",
                ))
                .bind(&[json_array(lines), int(at)])?,
            // `+stage`: the ids lead, not the stage index (which walked every treated request).
            self.db
                .prepare(
                    "UPDATE requests SET verdict_reminded_at = ?2
                     WHERE id IN (SELECT value FROM json_each(?1)) AND +stage = 'treated' AND verdict_reminded_at IS NULL",
                )
                .bind(&[json_array(ids), int(at)])?,
        ];
        Ok(super::returned_ids(&self.db.batch(statements).await?))
    }

    /// Treated requests reminded before `before` and still without a verdict, oldest reminder first.
    pub async fn to_close(&self, before: i64, limit: i64) -> Result<Vec<ToClose>> {
        self.db
            .prepare(
                // Named: left to itself SQLite took the stage index and sorted every treated
                // request (a quarter of a second at a million, growing with history).
                "SELECT id, nature, version FROM requests INDEXED BY requests_verdict_due
                 WHERE stage = 'treated' AND verdict_reminded_at < ?1
                 ORDER BY verdict_reminded_at LIMIT ?2",
            )
            .bind(&[int(before), int(limit)])?
            .all()
            .await?
            .results::<ToClose>()
    }

    /// Requests whose personal data is past retention and not yet erased: inactive since `before`
    /// (their last step other than a note, or their closure), whatever their stage; oldest first.
    pub async fn expired_personal_data(&self, before: i64, limit: i64) -> Result<Vec<i64>> {
        #[derive(Deserialize)]
        struct Row {
            id: i64,
        }
        let rows = self
            .db
            .prepare(
                "SELECT id FROM requests WHERE erased_at IS NULL AND coalesce(last_active_at, created_at) < ?1
                 ORDER BY coalesce(last_active_at, created_at) LIMIT ?2",
            )
            .bind(&[int(before), int(limit)])?
            .all()
            .await?
            .results::<Row>()?;
        Ok(rows.into_iter().map(|r| r.id).collect())
    }

    /// The R2 keys of these requests' attachments.
    pub async fn attachment_keys(&self, request_ids: &[i64]) -> Result<Vec<String>> {
        #[derive(Deserialize)]
        struct Row {
            r2_key: String,
        }
        let rows = self
            .db
            .prepare("SELECT r2_key FROM attachments WHERE request_id IN (SELECT value FROM json_each(?1))")
            .bind(&[json_array(request_ids)])?
            .all()
            .await?
            .results::<Row>()?;
        Ok(rows.into_iter().map(|r| r.r2_key).collect())
    }

    /// Irreversibly erases the citizen's data of these requests, keeping the facts statistics use
    /// (body, nature, theme, place, stage, dates, verdict, channel). One batch.
    pub async fn erase_personal_data(&self, request_ids: &[i64], now: i64) -> Result<()> {
        let ids = json_array(request_ids);
        let within = "(SELECT value FROM json_each(?1))";
        let statements = vec![
            self.db
                .prepare(format!(
                    "UPDATE requests SET last_name = NULL, first_names = NULL, email = '', phone = '', message = '',
                       verdict_comment = NULL, abroad_city = NULL, idempotency_key = NULL, lat = NULL, lon = NULL, address = NULL,
                       erased_at = ?2 WHERE id IN {within}"
                ))
                .bind(&[ids.clone(), int(now)])?,
            self.db.prepare(format!("DELETE FROM request_versions WHERE request_id IN {within}")).bind(std::slice::from_ref(&ids))?,
            self.db.prepare(format!("UPDATE request_events SET note = NULL WHERE request_id IN {within}")).bind(std::slice::from_ref(&ids))?,
            self.db.prepare(format!("UPDATE outbox SET recipient = '', payload = '{{}}' WHERE request_id IN {within}")).bind(std::slice::from_ref(&ids))?,
            self.db.prepare(format!("DELETE FROM tracking_otps WHERE request_id IN {within}")).bind(std::slice::from_ref(&ids))?,
            self.db.prepare(format!("DELETE FROM attachments WHERE request_id IN {within}")).bind(&[ids])?,
        ];
        self.run_batch(statements).await
    }

    /// How many notifications tied to no request were created before `before` (up to `cap`): what
    /// a dry run of the retention reports.
    pub async fn old_unattached_outbox(&self, before: i64, cap: i64) -> Result<i64> {
        #[derive(Deserialize)]
        struct Count {
            n: i64,
        }
        Ok(self
            .db
            .prepare("SELECT count(*) AS n FROM (SELECT 1 FROM outbox WHERE request_id IS NULL AND created_at < ?1 LIMIT ?2)")
            .bind(&[int(before), int(cap)])?
            .first::<Count>(None)
            .await?
            .map_or(0, |c| c.n))
    }

    /// One slice of housekeeping, one batch: up to `limit` of each — rate-limit windows started
    /// before `windows_before`, tracking codes expired before `codes_before`, and (unless
    /// `keep_outbox`) notifications tied to no request created before `outbox_before`, with their
    /// delivery log and the summaries' notices they carried (they hold an address). Returns how many of each went.
    pub async fn housekeeping_slice(
        &self,
        windows_before: i64,
        codes_before: i64,
        outbox_before: Option<i64>,
        limit: i64,
    ) -> Result<[usize; 3]> {
        let old_outbox = "SELECT id FROM outbox WHERE request_id IS NULL AND created_at < ?1 ORDER BY created_at, id LIMIT ?2";
        let mut statements = vec![
            self.db
                .prepare(
                    "DELETE FROM rate_limits WHERE rowid IN
                       (SELECT rowid FROM rate_limits WHERE window_start < ?1 LIMIT ?2) RETURNING 1 AS gone",
                )
                .bind(&[int(windows_before), int(limit)])?,
            self.db
                .prepare(
                    "DELETE FROM tracking_otps WHERE id IN
                       (SELECT id FROM tracking_otps WHERE expires_at < ?1 LIMIT ?2) RETURNING 1 AS gone",
                )
                .bind(&[int(codes_before), int(limit)])?,
        ];
        if let Some(before) = outbox_before {
            let args = [int(before), int(limit)];
            statements.push(
                self.db
                    .prepare(format!(
                        "DELETE FROM delivery_attempts WHERE outbox_id IN ({old_outbox})"
                    ))
                    .bind(&args)?,
            );
            statements.push(
                self.db
                    .prepare(format!("DELETE FROM staff_notices WHERE outbox_id IN ({old_outbox})"))
                    .bind(&args)?,
            );
            statements.push(
                self.db
                    .prepare(format!(
                        "DELETE FROM outbox WHERE id IN ({old_outbox}) RETURNING 1 AS gone"
                    ))
                    .bind(&args)?,
            );
        }
        #[derive(Deserialize)]
        struct Gone {
            #[allow(dead_code)]
            gone: i64,
        }
        let results = self.db.batch(statements).await?;
        let count =
            |i: usize| results.get(i).map_or(0, |r| r.results::<Gone>().map_or(0, |g| g.len()));
        let outbox = if outbox_before.is_some() { count(4) } else { 0 };
        Ok([count(0), count(1), outbox])
    }
}
