//! What the scheduled jobs read and write: deadlines, reminders, auto-close, retention, rollups.

use serde::Deserialize;
use worker::Result;

use super::{int, json_array, text, Store};

/// A request whose current step is due soon or overdue.
#[derive(Debug, Clone, Deserialize)]
pub struct DueItem {
    pub code: String,
    pub body_id: i64,
    pub body_name: String,
    pub stage: String,
    pub due_at: i64,
    /// Twice the deadline, counted as the deadline is.
    pub escalate_at: i64,
}

/// A treated request still waiting for its citizen's verdict.
#[derive(Debug, Clone, Deserialize)]
pub struct AwaitingVerdict {
    pub id: i64,
    pub nature: String,
    pub body_name: String,
    pub email: String,
    pub phone: String,
    pub lang: String,
    pub version: i64,
    pub reminded: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Expired {
    pub id: i64,
}

impl Store {
    /// Requests in triage or treatment whose deadline falls before `until`, oldest deadline first.
    pub async fn due_requests(&self, until: i64, limit: i64) -> Result<Vec<DueItem>> {
        self.db
            .prepare(
                "SELECT r.code, r.body_id, b.name AS body_name, r.stage, r.due_at,
                        coalesce(r.escalate_at, r.due_at + CASE r.stage WHEN 'awaiting_triage' THEN b.triage_days ELSE b.treatment_days END * 86400000) AS escalate_at
                 FROM requests r JOIN bodies b ON b.id = r.body_id
                 WHERE r.stage IN ('awaiting_triage', 'in_treatment') AND r.due_at IS NOT NULL AND r.due_at < ?1
                 ORDER BY r.due_at LIMIT ?2",
            )
            .bind(&[int(until), int(limit)])?
            .all()
            .await?
            .results::<DueItem>()
    }

    /// Every active staff member who may receive digests.
    pub async fn active_staff(&self) -> Result<Vec<crate::domain::staff::Staff>> {
        #[derive(Deserialize)]
        struct Row {
            email: String,
        }
        let rows = self
            .db
            .prepare("SELECT email FROM staff WHERE active = 1 AND role IN ('analyst', 'focal_point', 'supervisor', 'admin') ORDER BY id")
            .all()
            .await?
            .results::<Row>()?;
        let mut staff = Vec::with_capacity(rows.len());
        for row in rows {
            staff.extend(self.active_staff_by_email(&row.email).await?);
        }
        Ok(staff)
    }

    /// Treated requests without a verdict since before `before`, with whether they were reminded.
    pub async fn awaiting_verdict(&self, before: i64, limit: i64) -> Result<Vec<AwaitingVerdict>> {
        self.db
            .prepare(
                "SELECT r.id, r.nature, b.name AS body_name, r.email, r.phone, r.lang, r.treated_at, r.version,
                        EXISTS (SELECT 1 FROM outbox o WHERE o.request_id = r.id AND o.template = 'verdict_reminder') AS reminded
                 FROM requests r JOIN bodies b ON b.id = r.body_id
                 WHERE r.stage = 'treated' AND r.treated_at < ?1 ORDER BY r.treated_at LIMIT ?2",
            )
            .bind(&[int(before), int(limit)])?
            .all()
            .await?
            .results::<AwaitingVerdict>()
    }

    /// When the reminder of a request went out (its first outbox row), if it did.
    pub async fn reminded_at(&self, request_id: i64) -> Result<Option<i64>> {
        #[derive(Deserialize)]
        struct Row {
            at: Option<i64>,
        }
        let row = self
            .db
            .prepare("SELECT min(created_at) AS at FROM outbox WHERE request_id = ?1 AND template = 'verdict_reminder'")
            .bind(&[int(request_id)])?
            .first::<Row>(None)
            .await?;
        Ok(row.and_then(|r| r.at))
    }

    /// Requests whose personal data is past retention and not yet erased: inactive since `before`,
    /// whatever their stage (closed, forwarded, but also sent back and abandoned, or stuck). A
    /// request's last activity is its last step or closure; internal notes do not postpone it.
    pub async fn expired_personal_data(&self, before: i64, limit: i64) -> Result<Vec<Expired>> {
        self.db
            .prepare(
                "SELECT id FROM (
                   SELECT r.id, max(coalesce(r.closed_at, 0), r.created_at,
                     coalesce((SELECT max(e.at) FROM request_events e WHERE e.request_id = r.id AND e.event <> 'note'), 0)) AS last_active
                   FROM requests r WHERE r.erased_at IS NULL)
                 WHERE last_active < ?1 ORDER BY last_active LIMIT ?2",
            )
            .bind(&[int(before), int(limit)])?
            .all()
            .await?
            .results::<Expired>()
    }

    /// Notifications tied to no request (forgotten codes, sign-in links, staff digests) created
    /// before `before`: they hold an address, so they go with their delivery log. Returns how many.
    pub async fn erase_old_unattached_outbox(&self, before: i64, dry_run: bool) -> Result<i64> {
        #[derive(Deserialize)]
        struct Count {
            n: i64,
        }
        let old = "SELECT id FROM outbox WHERE request_id IS NULL AND created_at < ?1";
        let count = self
            .db
            .prepare(format!("SELECT count(*) AS n FROM ({old})"))
            .bind(&[int(before)])?
            .first::<Count>(None)
            .await?
            .map_or(0, |c| c.n);
        if count > 0 && !dry_run {
            self.run_batch(vec![
                self.db
                    .prepare(format!("DELETE FROM delivery_attempts WHERE outbox_id IN ({old})"))
                    .bind(&[int(before)])?,
                self.db
                    .prepare("DELETE FROM outbox WHERE request_id IS NULL AND created_at < ?1")
                    .bind(&[int(before)])?,
            ])
            .await?;
        }
        Ok(count)
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

    /// Recomputes the rollups of the requests received on day `day` (ms at 00:00 UTC): cohorts by
    /// day of receipt, their later triage, treatment and verdict counted on that day. One batch,
    /// bounded by one day's requests (the job walks the window a day at a time).
    pub async fn recompute_rollups_of_day(&self, day: i64, now: i64) -> Result<()> {
        let cohort = "SELECT r.*, (SELECT min(e.at) FROM request_events e WHERE e.request_id = r.id AND e.event IN ('validated', 'forwarded')) AS triaged_at,
                        EXISTS (SELECT 1 FROM request_events e WHERE e.request_id = r.id AND e.event = 'reopened') AS was_reopened,
                        (SELECT min(e.at) FROM request_events e WHERE e.request_id = r.id AND e.event = 'forwarded') AS forwarded_at,
                        (SELECT min(e.at) FROM request_events e WHERE e.request_id = r.id AND e.event = 'taken_into_account') AS taken_at,
                        b.treatment_days AS body_treatment_days,
                        CASE WHEN p1.kind = 'departement' THEN p1.id WHEN p2.kind = 'departement' THEN p2.id
                             WHEN p3.kind = 'departement' THEN p3.id END AS dept_id,
                        CASE WHEN p1.kind = 'region' OR (p1.kind = 'district' AND p1.pcode IS NOT NULL) THEN p1.id
                             WHEN p2.kind = 'region' OR (p2.kind = 'district' AND p2.pcode IS NOT NULL) THEN p2.id
                             WHEN p3.kind = 'region' OR (p3.kind = 'district' AND p3.pcode IS NOT NULL) THEN p3.id
                             WHEN p4.kind = 'region' OR (p4.kind = 'district' AND p4.pcode IS NOT NULL) THEN p4.id END AS region_id
                      FROM requests r JOIN bodies b ON b.id = r.body_id
                        LEFT JOIN places p1 ON p1.id = r.place_id LEFT JOIN places p2 ON p2.id = p1.parent_id
                        LEFT JOIN places p3 ON p3.id = p2.parent_id LEFT JOIN places p4 ON p4.id = p3.parent_id
                      WHERE r.created_at >= ?1 AND r.created_at < ?1 + 86400000";
        // The région (or autonomous district) and département above a request's place: each
        // counted, with its share on time and its days of treatment («id:value»).
        let on_time = "CASE WHEN treated_at <= coalesce(treatment_due_at, coalesce(triaged_at, created_at) + body_treatment_days * 86400000) THEN 'yes' ELSE 'no' END";
        let days = "CAST((treated_at - coalesce(triaged_at, created_at)) / 86400000 AS TEXT)";
        let mut areas = Vec::new();
        for (level, id) in [("region", "region_id"), ("departement", "dept_id")] {
            areas.push((
                format!("'{level}'"),
                format!("CAST({id} AS TEXT)"),
                format!("{id} IS NOT NULL"),
            ));
            areas.push((
                format!("'{level}_on_time'"),
                format!("{id} || ':' || {on_time}"),
                format!("{id} IS NOT NULL AND treated_at IS NOT NULL"),
            ));
            areas.push((
                format!("'{level}_treatment_days'"),
                format!("{id} || ':' || {days}"),
                format!("{id} IS NOT NULL AND treated_at IS NOT NULL"),
            ));
        }
        let facts = [
            ("'received'", "'all'", "1"),
            ("'nature'", "nature", "1"),
            ("'stage'", "stage", "1"),
            ("'theme'", "coalesce(CAST(theme_id AS TEXT), 'none')", "1"),
            ("'place'", "CASE WHEN place_id IS NOT NULL THEN CAST(place_id AS TEXT) WHEN abroad_country IS NOT NULL THEN 'abroad' ELSE 'none' END", "1"),
            ("'verdict'", "CASE WHEN stage = 'closed_without_verdict' THEN 'without_verdict' ELSE verdict END", "verdict IS NOT NULL OR stage = 'closed_without_verdict'"),
            ("'triage_days'", "CAST((triaged_at - created_at) / 86400000 AS TEXT)", "triaged_at IS NOT NULL"),
            ("'treatment_days'", "CAST((treated_at - coalesce(triaged_at, created_at)) / 86400000 AS TEXT)", "treated_at IS NOT NULL"),
            (
                "'on_time'",
                "CASE WHEN treated_at <= coalesce(treatment_due_at, coalesce(triaged_at, created_at) + body_treatment_days * 86400000) THEN 'yes' ELSE 'no' END",
                "treated_at IS NOT NULL",
            ),
            ("'reopened'", "'yes'", "was_reopened"),
            ("'taken'", "CASE WHEN taken_at IS NOT NULL THEN 'yes' ELSE 'no' END", "forwarded_at IS NOT NULL"),
            ("'taken_days'", "CAST((taken_at - forwarded_at) / 86400000 AS TEXT)", "taken_at IS NOT NULL AND forwarded_at IS NOT NULL"),
        ];
        // One INSERT per dimension: D1 caps the terms of a compound SELECT.
        let mut statements = vec![self
            .db
            .prepare(
                "DELETE FROM stats_facts WHERE day = strftime('%Y-%m-%d', ?1 / 1000, 'unixepoch')",
            )
            .bind(&[int(day)])?];
        let areas = areas.iter().map(|(d, v, f)| (d.as_str(), v.as_str(), f.as_str()));
        for (dimension, value, filter) in facts.into_iter().chain(areas) {
            let insert = format!(
                "INSERT INTO stats_facts (day, body_id, dimension, value, count)
                 WITH cohort AS ({cohort})
                 SELECT strftime('%Y-%m-%d', ?1 / 1000, 'unixepoch'), body_id, {dimension}, {value} AS v, count(*)
                 FROM cohort WHERE {filter} GROUP BY body_id, v"
            );
            statements.push(self.db.prepare(insert).bind(&[int(day)])?);
        }
        statements.push(
            self.db
                .prepare("INSERT INTO settings (key, value) VALUES ('stats_computed_at', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
                .bind(&[text(&now.to_string())])?,
        );
        self.run_batch(statements).await
    }
}
