//! What administrators manage: staff, bodies and their themes and deadlines, places, failed notifications.

use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::Result;

use super::{int, opt_text, text, Store};
use crate::domain::body::BodyPhone;
use crate::domain::deadline::DayCount;
use crate::domain::import::bodies::BodyRecord;

#[derive(Debug, Clone, Deserialize)]
pub struct StaffListing {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: String,
    pub body_name: Option<String>,
    pub active: i64,
    #[serde(default)]
    pub body_id: Option<i64>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct BodyAdmin {
    pub id: i64,
    pub name: String,
    pub phones: String,
    pub location: String,
    pub email: Option<String>,
    pub triage_days: i64,
    pub treatment_days: i64,
    pub deadline_unit: String,
    pub active: i64,
    /// Active focal points: none means the body's own address is the only way to reach it.
    pub focal_points: i64,
    pub acronym: String,
    pub kind: String,
    pub holder: String,
    pub website: String,
    pub source: String,
    pub source_date: String,
    pub evidence: String,
    pub confidence: String,
    pub former_names: String,
    pub government: String,
    pub contacts_source: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Holiday {
    pub day: String,
    pub label: String,
}

const BODY_ADMIN_COLUMNS: &str = "b.id, b.name, b.phones, b.location, b.email, b.triage_days, b.treatment_days, b.deadline_unit, b.active,
    (SELECT count(*) FROM staff s WHERE s.active = 1 AND s.role = 'focal_point' AND s.body_id = b.id) AS focal_points,
    b.acronym, b.kind, b.holder, b.website, b.source, b.source_date, b.evidence, b.confidence, b.former_names, b.government,
    b.contacts_source";

impl BodyAdmin {
    pub fn phones_display(&self) -> String {
        serde_json::from_str::<Vec<BodyPhone>>(&self.phones)
            .map(|p| p.into_iter().map(|p| p.display).collect::<Vec<_>>().join(" / "))
            .unwrap_or_default()
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct ThemeAdmin {
    pub id: i64,
    pub category_fr: String,
    pub label_fr: String,
    pub category_en: String,
    pub label_en: String,
    pub active: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct FailedNotification {
    pub id: i64,
    pub channel: String,
    pub template: String,
    pub recipient: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub code: Option<String>,
}

fn phones_json(phones: &[BodyPhone]) -> String {
    serde_json::to_string(phones).unwrap_or_else(|_| "[]".into())
}

impl Store {
    pub async fn list_staff(&self) -> Result<Vec<StaffListing>> {
        self.db
            .prepare("SELECT s.id, s.email, s.name, s.role, b.name AS body_name, s.active, s.body_id FROM staff s LEFT JOIN bodies b ON b.id = s.body_id ORDER BY s.active DESC, s.name")
            .all()
            .await?
            .results::<StaffListing>()
    }

    /// Creates an account; `Ok(false)` when the address already has one.
    pub async fn create_staff(
        &self,
        email: &str,
        name: &str,
        role: &str,
        body_id: Option<i64>,
    ) -> Result<bool> {
        let inserted = self
            .db
            .prepare("INSERT INTO staff (email, name, role, body_id) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (email) DO NOTHING RETURNING id")
            .bind(&[text(email), text(name), text(role), body_id.map_or(JsValue::NULL, int)])?
            .first::<serde_json::Value>(None)
            .await?;
        Ok(inserted.is_some())
    }

    /// A new role (and body: a focal point's, or a supervisor's when they have one).
    pub async fn set_staff_role(&self, id: i64, role: &str, body_id: Option<i64>) -> Result<()> {
        self.db
            .prepare("UPDATE staff SET role = ?2, body_id = ?3 WHERE id = ?1")
            .bind(&[int(id), text(role), body_id.map_or(JsValue::NULL, int)])?
            .run()
            .await?;
        Ok(())
    }

    /// Deactivating an account also ends its sessions.
    pub async fn set_staff_active(&self, id: i64, active: bool, now: i64) -> Result<()> {
        let mut statements = vec![self
            .db
            .prepare("UPDATE staff SET active = ?2 WHERE id = ?1")
            .bind(&[int(id), int(i64::from(active))])?];
        if !active {
            statements
                .push(self.db.prepare("UPDATE staff_sessions SET revoked_at = ?2 WHERE staff_id = ?1 AND revoked_at IS NULL").bind(&[int(id), int(now)])?);
            // Unused sign-in and invitation links die with the account: reactivating it later
            // must not bring an old link back to life (a new sign-in asks for a new one).
            statements.push(
                self.db
                    .prepare("UPDATE sign_in_tokens SET used_at = ?2 WHERE staff_id = ?1 AND used_at IS NULL")
                    .bind(&[int(id), int(now)])?,
            );
        }
        self.run_batch(statements).await
    }

    pub async fn list_bodies_admin(&self) -> Result<Vec<BodyAdmin>> {
        self.db
            .prepare(format!(
                "SELECT {BODY_ADMIN_COLUMNS} FROM bodies b ORDER BY b.active DESC, b.name"
            ))
            .all()
            .await?
            .results::<BodyAdmin>()
    }

    pub async fn body_admin(&self, id: i64) -> Result<Option<BodyAdmin>> {
        self.db
            .prepare(format!("SELECT {BODY_ADMIN_COLUMNS} FROM bodies b WHERE b.id = ?1"))
            .bind(&[int(id)])?
            .first::<BodyAdmin>(None)
            .await
    }

    /// Adds one body (the form of Administration › Organismes), or updates the one of that slug;
    /// without a source of its own, the administration is its source, dated today.
    pub async fn add_body(&self, slug: &str, r: &BodyRecord, today: &str, now: i64) -> Result<()> {
        self.db
            .prepare(
                "INSERT INTO bodies (slug, name, phones, location, email, source, source_date, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'Administration Miliê', ?6, ?7)
                 ON CONFLICT (slug) DO UPDATE SET name = excluded.name, phones = excluded.phones,
                   location = excluded.location, email = coalesce(excluded.email, bodies.email), active = 1,
                   updated_at = excluded.updated_at",
            )
            .bind(&[
                text(slug),
                text(&r.name),
                text(&phones_json(&r.phones)),
                text(&r.address),
                opt_text(r.email.as_deref()),
                text(today),
                int(now),
            ])?
            .run()
            .await?;
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn update_body(
        &self,
        id: i64,
        name: &str,
        phones: &[BodyPhone],
        location: &str,
        email: Option<&str>,
        deadlines: (i64, i64, DayCount),
        active: bool,
        now: i64,
    ) -> Result<()> {
        let (triage_days, treatment_days, count) = deadlines;
        self.db
            .prepare(
                "UPDATE bodies SET name = ?2, phones = ?3, location = ?4, email = ?5, triage_days = ?6, treatment_days = ?7,
                   active = ?8, updated_at = ?9, deadline_unit = ?10 WHERE id = ?1",
            )
            .bind(&[
                int(id),
                text(name),
                text(&phones_json(phones)),
                text(location),
                opt_text(email),
                int(triage_days),
                int(treatment_days),
                int(i64::from(active)),
                int(now),
                text(count.slug()),
            ])?
            .run()
            .await?;
        Ok(())
    }

    /// Public holidays from `from_day` (`YYYY-MM-DD`) on.
    pub async fn holidays_from(&self, from_day: &str) -> Result<Vec<Holiday>> {
        self.db
            .prepare("SELECT day, label FROM holidays WHERE day >= ?1 ORDER BY day")
            .bind(&[text(from_day)])?
            .all()
            .await?
            .results::<Holiday>()
    }

    pub async fn set_holiday(&self, day: &str, label: &str) -> Result<()> {
        self.db
            .prepare("INSERT INTO holidays (day, label) VALUES (?1, ?2) ON CONFLICT (day) DO UPDATE SET label = excluded.label")
            .bind(&[text(day), text(label)])?
            .run()
            .await?;
        Ok(())
    }

    pub async fn remove_holiday(&self, day: &str) -> Result<()> {
        self.db.prepare("DELETE FROM holidays WHERE day = ?1").bind(&[text(day)])?.run().await?;
        Ok(())
    }

    pub async fn body_themes_admin(&self, body_id: i64) -> Result<Vec<ThemeAdmin>> {
        self.db
            .prepare("SELECT id, category_fr, label_fr, category_en, label_en, active FROM themes WHERE body_id = ?1 ORDER BY position, id")
            .bind(&[int(body_id)])?
            .all()
            .await?
            .results::<ThemeAdmin>()
    }

    pub async fn add_theme(
        &self,
        body_id: i64,
        slug: &str,
        fr: (&str, &str),
        en: (&str, &str),
    ) -> Result<()> {
        self.db
            .prepare(
                "INSERT INTO themes (slug, body_id, category_fr, label_fr, category_en, label_en, position)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, (SELECT coalesce(max(position), 0) + 10 FROM themes WHERE body_id = ?2))
                 ON CONFLICT (coalesce(body_id, 0), slug) DO UPDATE SET category_fr = excluded.category_fr, label_fr = excluded.label_fr,
                   category_en = excluded.category_en, label_en = excluded.label_en, active = 1",
            )
            .bind(&[text(slug), int(body_id), text(fr.0), text(fr.1), text(en.0), text(en.1)])?
            .run()
            .await?;
        Ok(())
    }

    pub async fn set_theme_active(&self, id: i64, body_id: i64, active: bool) -> Result<()> {
        self.db
            .prepare("UPDATE themes SET active = ?3 WHERE id = ?1 AND body_id = ?2")
            .bind(&[int(id), int(body_id), int(i64::from(active))])?
            .run()
            .await?;
        Ok(())
    }

    /// Active places by kind.
    pub async fn place_counts(&self) -> Result<Vec<(String, i64)>> {
        #[derive(Deserialize)]
        struct Row {
            kind: String,
            n: i64,
        }
        let rows = self
            .db
            .prepare("SELECT kind, count(*) AS n FROM places WHERE active = 1 GROUP BY kind")
            .all()
            .await?
            .results::<Row>()?;
        Ok(rows.into_iter().map(|r| (r.kind, r.n)).collect())
    }

    pub async fn failed_notifications(&self) -> Result<Vec<FailedNotification>> {
        self.db
            .prepare(
                "SELECT o.id, o.channel, o.template, o.recipient, o.attempts, o.last_error, o.created_at, r.code
                 FROM outbox o LEFT JOIN requests r ON r.id = o.request_id WHERE o.status = 'failed' ORDER BY o.created_at DESC LIMIT 200",
            )
            .all()
            .await?
            .results::<FailedNotification>()
    }

    /// Puts a failed notification back in line; `false` if it was not failed.
    pub async fn retry_notification(&self, id: i64) -> Result<bool> {
        let row = self
            .db
            .prepare("UPDATE outbox SET status = 'pending', claimed_until = NULL, last_error = NULL WHERE id = ?1 AND status = 'failed' RETURNING id")
            .bind(&[int(id)])?
            .first::<serde_json::Value>(None)
            .await?;
        Ok(row.is_some())
    }

    /// The channels notifications to citizens go out on (admins may turn one off).
    pub async fn citizen_channels(&self) -> Result<Vec<&'static str>> {
        let rows = self
            .db
            .prepare("SELECT key, value FROM settings WHERE key IN ('notify_email', 'notify_sms')")
            .all()
            .await?
            .results::<super::directory::SettingRow>()?;
        Ok(super::directory::channels_of(&rows))
    }

    pub async fn set_citizen_channels(&self, email: bool, sms: bool) -> Result<()> {
        let set = |key: &str, on: bool| {
            self.db
                .prepare("INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
                .bind(&[text(key), text(if on { "1" } else { "0" })])
        };
        self.run_batch(vec![set("notify_email", email)?, set("notify_sms", sms)?]).await
    }

    /// A test clock for the scheduled jobs (see `jobs::clock`): the time it was set to and, when
    /// the test wrote it, the real time it was set at (from which it moves on).
    pub async fn clock_override(&self) -> Result<Option<(i64, Option<i64>)>> {
        #[derive(serde::Deserialize)]
        struct Row {
            clock: Option<String>,
            set_at: Option<String>,
        }
        let row = self
            .db
            .prepare(
                "SELECT (SELECT value FROM settings WHERE key = 'clock') AS clock,
                        (SELECT value FROM settings WHERE key = 'clock_set_at') AS set_at",
            )
            .first::<Row>(None)
            .await?;
        let number = |v: Option<String>| v.and_then(|v| v.parse::<i64>().ok());
        Ok(row.and_then(|r| number(r.clock).map(|clock| (clock, number(r.set_at)))))
    }

    /// Records an administration action (from the client this store serves).
    pub async fn audit(
        &self,
        staff_id: i64,
        action: crate::domain::audit::Action,
        target: &str,
        detail: Option<&str>,
        now: i64,
    ) -> Result<()> {
        let mut entry = crate::domain::audit::Entry::new(staff_id, action, target);
        entry.detail = detail.map(str::to_owned);
        self.record(&entry, now).await
    }
}
