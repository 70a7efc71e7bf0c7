//! Telling staff of new work, through the same outbox as citizens: the statements a change adds to
//! its own batch (one mail per focal point or analyst who wants them at once, a notice for those
//! on a summary cadence, the body's own mailbox when it has no active focal point), and the
//! summaries the five-minute cron gathers.

use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::Result;

use super::Stmt;

use super::{insert_outbox_sql, int, text, OutboxColumns, Store};
use crate::domain::notice::{Alert, Cadence};
use crate::domain::notification::Template;

/// Who a kind of alert goes to, as SQL over `staff s` and `requests r`, with the role's default
/// cadence. A request someone holds concerns its holder only; one given to a person, that person.
/// Nobody away (`away_until` past `?3`, the change's time) hears of new work.
fn audience(alert: Alert) -> &'static str {
    if alert.for_analysts() {
        "s.role = 'analyst' AND (NOT EXISTS (SELECT 1 FROM staff_bodies x WHERE x.staff_id = s.id)
           OR EXISTS (SELECT 1 FROM staff_bodies x WHERE x.staff_id = s.id AND x.body_id = r.body_id))"
    } else if alert == Alert::Assigned {
        "s.id = r.assignee_id AND s.role = 'focal_point'"
    } else {
        "s.role = 'focal_point' AND s.body_id = r.body_id AND (r.assignee_id IS NULL OR r.assignee_id = s.id)
           AND coalesce(s.away_until, 0) <= ?3"
    }
}

/// A pending summary: the staff member, their cadence and the outbox row to write.
#[derive(Debug, Deserialize)]
pub struct DueSummary {
    pub staff_id: i64,
    pub email: String,
}

/// One line of a summary, read when the mail is rendered.
#[derive(Debug, Deserialize)]
pub struct SummaryLine {
    pub code: String,
    pub nature: String,
    pub body_name: String,
    pub alert: String,
}

impl Store {
    /// The statements that tell staff of `alert` on a request (`request` is an SQL expression for its
    /// id, with `?1` bound to `request_ref`); `occurrence` makes the mails' keys unique per change.
    pub(super) fn alert_statements(
        &self,
        request: &str,
        request_ref: JsValue,
        alert: Alert,
        occurrence: &str,
        now: i64,
    ) -> Result<Vec<Stmt>> {
        let who = audience(alert);
        // The cadence rule is the domain's (`Cadence::default_for`), in SQL.
        let pref = Cadence::effective_sql("s.notify_pref", "s.role");
        let payload = serde_json::json!({ "event": alert.slug() }).to_string();
        let args =
            [request_ref.clone(), text(alert.slug()), int(now), text(occurrence), text(&payload)];
        let notice_args = [request_ref, text(alert.slug()), int(now)];
        let mut statements = vec![
            self.db
                .prepare(insert_outbox_sql(
                    &OutboxColumns {
                        key: &format!("'{}:' || ?2 || ':' || r.id || ':' || ?4 || ':' || s.id", Template::StaffAlert.slug()),
                        request: "r.id",
                        channel: "'email'",
                        recipient: "s.email",
                        template: Template::StaffAlert,
                        lang: "'fr'",
                        payload: "?5",
                        created_at: "?3",
                    },
                    &format!(
                        "FROM requests r JOIN staff s ON s.active = 1 AND {who}
                         WHERE r.id = {request} AND {pref} = 'immediate'"
                    ),
                ))
                .bind(&args)?,
            self.db
                .prepare(format!(
                    "INSERT INTO staff_notices (staff_id, request_id, alert, created_at)
                     SELECT s.id, r.id, ?2, ?3 FROM requests r JOIN staff s ON s.active = 1 AND {who}
                     WHERE r.id = {request} AND {pref} IN ('hourly', 'daily')
                       AND NOT EXISTS (SELECT 1 FROM staff_notices n WHERE n.staff_id = s.id AND n.request_id = r.id
                                         AND n.alert = ?2 AND n.outbox_id IS NULL)"
                ))
                .bind(&notice_args)?,
        ];
        if !alert.for_analysts() && alert != Alert::Assigned {
            // No one to treat it: the body's own address hears of it (never the citizen's contact
            // details: the consumer renders the nature, the theme and the message only).
            statements.push(
                self.db
                    .prepare(insert_outbox_sql(
                        &OutboxColumns {
                            key: &format!("'{}:' || ?2 || ':' || r.id || ':' || ?4", Template::BodyAlert.slug()),
                            request: "r.id",
                            channel: "'email'",
                            recipient: "b.email",
                            template: Template::BodyAlert,
                            lang: "'fr'",
                            payload: "?5",
                            created_at: "?3",
                        },
                        &format!(
                            "FROM requests r JOIN bodies b ON b.id = r.body_id
                             WHERE r.id = {request} AND coalesce(b.email, '') <> ''
                               AND NOT EXISTS (SELECT 1 FROM staff s WHERE s.active = 1 AND s.role = 'focal_point' AND s.body_id = b.id)"
                        ),
                    ))
                    .bind(&args)?,
            );
        }
        Ok(statements)
    }

    /// The statements that tell the analysts of every request still in hand whose body an import
    /// closed (`bodies`: their ids as one JSON parameter), each as an alert of its own, in the
    /// import's batch; `occurrence` makes the mails' keys unique per import.
    pub(super) fn closed_body_statements(
        &self,
        bodies: JsValue,
        occurrence: &str,
        now: i64,
    ) -> Result<Vec<Stmt>> {
        let alert = Alert::BodyClosed;
        let who = audience(alert);
        let pref = Cadence::effective_sql("s.notify_pref", "s.role");
        let payload = serde_json::json!({ "event": alert.slug() }).to_string();
        let which = "r.body_id IN (SELECT value FROM json_each(?1))
            AND r.stage NOT IN ('taken_into_account', 'closed', 'closed_without_verdict')";
        Ok(vec![
            self.db
                .prepare(insert_outbox_sql(
                    &OutboxColumns {
                        key: &format!("'{}:' || ?2 || ':' || r.id || ':' || ?4 || ':' || s.id", Template::StaffAlert.slug()),
                        request: "r.id",
                        channel: "'email'",
                        recipient: "s.email",
                        template: Template::StaffAlert,
                        lang: "'fr'",
                        payload: "?5",
                        created_at: "?3",
                    },
                    &format!(
                        "FROM requests r JOIN staff s ON s.active = 1 AND {who}
                         WHERE {which} AND {pref} = 'immediate'"
                    ),
                ))
                .bind(&[bodies.clone(), text(alert.slug()), int(now), text(occurrence), text(&payload)])?,
            self.db
                .prepare(format!(
                    "INSERT INTO staff_notices (staff_id, request_id, alert, created_at)
                     SELECT s.id, r.id, ?2, ?3 FROM requests r JOIN staff s ON s.active = 1 AND {who}
                     WHERE {which} AND {pref} IN ('hourly', 'daily')"
                ))
                .bind(&[bodies, text(alert.slug()), int(now)])?,
        ])
    }

    /// Staff whose summary is due at `now`: notices waiting, and the cadence's period gone by
    /// since their last summary (an hour, or a day). Someone who switched to «each request» gets
    /// what was still waiting at once; someone who chose «nothing» gets nothing.
    pub async fn due_summaries(&self, now: i64, limit: i64) -> Result<Vec<DueSummary>> {
        self.db
            .prepare(format!(
                "SELECT staff_id, email FROM (
                   SELECT DISTINCT s.id AS staff_id, s.email, s.last_summary_at, {} AS pref
                   FROM staff s JOIN staff_notices n ON n.staff_id = s.id AND n.outbox_id IS NULL
                   WHERE s.active = 1)
                 WHERE pref <> 'none'
                   AND coalesce(last_summary_at, 0) <= ?1 - CASE pref WHEN 'daily' THEN 86400000 WHEN 'hourly' THEN 3600000 ELSE 0 END
                 LIMIT ?2",
                Cadence::effective_sql("s.notify_pref", "s.role")
            ))
            .bind(&[int(now), int(limit)])?
            .all()
            .await?
            .results::<DueSummary>()
    }

    /// Writes one summary: its outbox row (nothing in the payload: the lines are read when it is
    /// rendered), the notices it carries, and the time it left. One batch; the key carries the
    /// period so a rerun of the cron writes it once.
    pub async fn write_summary(
        &self,
        staff_id: i64,
        email: &str,
        period: i64,
        now: i64,
    ) -> Result<Option<i64>> {
        #[derive(Deserialize)]
        struct Id {
            id: i64,
        }
        let key = format!("{}:{staff_id}:{period}", Template::StaffSummary.slug());
        let results = self
            .db
            .batch(vec![
                self.db
                    .prepare(insert_outbox_sql(
                        &OutboxColumns {
                            key: "?1",
                            request: "NULL",
                            channel: "'email'",
                            recipient: "?2",
                            template: Template::StaffSummary,
                            lang: "'fr'",
                            payload: "'{}'",
                            created_at: "?3",
                        },
                        "WHERE true",
                    ))
                    .bind(&[text(&key), text(email), int(now)])?,
                self.db
                    .prepare(
                        "UPDATE staff_notices SET outbox_id = (SELECT id FROM outbox WHERE idempotency_key = ?2)
                         WHERE staff_id = ?1 AND outbox_id IS NULL",
                    )
                    .bind(&[int(staff_id), text(&key)])?,
                self.db.prepare("UPDATE staff SET last_summary_at = ?2 WHERE id = ?1").bind(&[int(staff_id), int(now)])?,
            ])
            .await?;
        Ok(results
            .into_iter()
            .next()
            .and_then(|r| r.results::<Id>().ok())
            .and_then(|ids| ids.first().map(|i| i.id)))
    }

    /// The lines of a summary mail, oldest first.
    pub async fn summary_lines(&self, outbox_id: i64) -> Result<Vec<SummaryLine>> {
        self.db
            .prepare(
                "SELECT r.code, r.nature, b.name AS body_name, n.alert FROM staff_notices n
                 JOIN requests r ON r.id = n.request_id JOIN bodies b ON b.id = r.body_id
                 WHERE n.outbox_id = ?1 ORDER BY n.created_at, n.id LIMIT 200",
            )
            .bind(&[int(outbox_id)])?
            .all()
            .await?
            .results::<SummaryLine>()
    }

    /// A staff member's cadence (their choice, or their role's default).
    pub async fn notify_pref(&self, staff_id: i64) -> Result<Option<String>> {
        #[derive(Deserialize)]
        struct Row {
            pref: String,
        }
        Ok(self
            .db
            .prepare(format!(
                "SELECT {} AS pref FROM staff WHERE id = ?1",
                Cadence::effective_sql("notify_pref", "role")
            ))
            .bind(&[int(staff_id)])?
            .first::<Row>(None)
            .await?
            .map(|r| r.pref))
    }

    pub async fn set_notify_pref(&self, staff_id: i64, pref: &str) -> Result<()> {
        self.db
            .prepare("UPDATE staff SET notify_pref = ?2 WHERE id = ?1")
            .bind(&[int(staff_id), text(pref)])?
            .run()
            .await?;
        Ok(())
    }
}
