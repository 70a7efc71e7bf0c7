//! The directory the forms and the API read: active bodies with their contacts, their themes, the places.

use serde::Deserialize;
use worker::{D1Result, Result};

use super::*;
use crate::domain::body::{Body, BodyPhone};
use crate::domain::deadline::DayCount;
use crate::domain::directory::{RefIndex, ThemeOption};
use crate::domain::lang::Lang;

impl Store {
    /// All active bodies. The directory is small (tens of bodies), so search and paging
    /// happen in Rust, where accent-insensitive matching is exact.
    pub async fn active_bodies(&self) -> Result<Vec<Body>> {
        let rows = self
            .db
            .prepare(format!("SELECT {BODY_COLUMNS} FROM bodies WHERE active = 1"))
            .all()
            .await?
            .results::<BodyRow>()?;
        rows.into_iter().map(BodyRow::into_body).collect()
    }

    pub async fn body(&self, id: i64) -> Result<Option<Body>> {
        let row = self
            .db
            .prepare(format!("SELECT {BODY_COLUMNS} FROM bodies WHERE id = ?1 AND active = 1"))
            .bind(&[int(id)])?
            .first::<BodyRow>(None)
            .await?;
        row.map(BodyRow::into_body).transpose()
    }

    /// Themes a request to this body can have: its own list, or the general one when it has none.
    pub async fn themes(&self, body_id: i64, lang: Lang) -> Result<Vec<ThemeOption>> {
        let (category, label) = match lang {
            Lang::Fr => ("category_fr", "label_fr"),
            Lang::En => ("category_en", "label_en"),
        };
        let sql = format!(
            "SELECT id, {category} AS category, {label} AS label FROM themes t
             WHERE active = 1 AND (body_id = ?1 OR (body_id IS NULL AND NOT EXISTS
               (SELECT 1 FROM themes o WHERE o.body_id = ?1 AND o.active = 1)))
             ORDER BY position, id"
        );
        #[derive(Deserialize)]
        struct Row {
            id: i64,
            category: String,
            label: String,
        }
        let rows = self.db.prepare(sql).bind(&[int(body_id)])?.all().await?.results::<Row>()?;
        Ok(rows
            .into_iter()
            .map(|r| ThemeOption { id: r.id, category: r.category, label: r.label })
            .collect())
    }

    /// Whether the body, theme and place a submission names exist and go together.
    /// Everything submissions are checked against, with its version stamp, in one round trip.
    pub async fn ref_index(&self) -> Result<(i64, RefIndex)> {
        #[derive(Deserialize)]
        struct Version {
            version: i64,
        }
        #[derive(Deserialize)]
        struct Body {
            id: i64,
            name: String,
            triage_days: i64,
            deadline_unit: String,
        }
        #[derive(Deserialize)]
        struct Day {
            day: String,
        }
        #[derive(Deserialize)]
        struct Theme {
            id: i64,
            body_id: Option<i64>,
        }
        #[derive(Deserialize)]
        struct Place {
            id: i64,
        }
        let statements = vec![
            self.db.prepare(VERSION_SQL),
            self.db.prepare("SELECT id, name, triage_days, deadline_unit FROM bodies WHERE active = 1"),
            self.db.prepare("SELECT id, body_id FROM themes WHERE active = 1"),
            self.db.prepare("SELECT id FROM places WHERE active = 1 AND kind IN ('commune', 'sous_prefecture', 'localite')"),
            self.db.prepare("SELECT key, value FROM settings WHERE key IN ('notify_email', 'notify_sms')"),
            self.db.prepare("SELECT day FROM holidays WHERE day >= date('now', '-1 day') ORDER BY day"),
        ];
        let [version, bodies, themes, places, settings, holidays] =
            <[D1Result; 6]>::try_from(self.db.batch(statements).await?)
                .map_err(|_| worker::Error::RustError("directory batch".into()))?;
        let bodies = bodies.results::<Body>()?;
        let version = version.results::<Version>()?.first().map_or(0, |v| v.version);
        let index = RefIndex {
            triage: bodies
                .iter()
                .map(|b| {
                    (
                        b.id,
                        b.triage_days,
                        DayCount::parse(&b.deadline_unit).unwrap_or(DayCount::Calendar),
                    )
                })
                .collect(),
            bodies: bodies.into_iter().map(|b| (b.id, b.name)).collect(),
            holidays: holidays.results::<Day>()?.into_iter().map(|d| d.day).collect(),
            themes: themes.results::<Theme>()?.into_iter().map(|t| (t.id, t.body_id)).collect(),
            places: places.results::<Place>()?.into_iter().map(|p| p.id).collect(),
            channels: channels_of(&settings.results::<SettingRow>()?),
        };
        Ok((version, index))
    }

    pub async fn directory_version(&self) -> Result<i64> {
        #[derive(Deserialize)]
        struct Version {
            version: i64,
        }
        Ok(self.db.prepare(VERSION_SQL).first::<Version>(None).await?.map_or(0, |v| v.version))
    }

    /// Counts one hit in a rate-limit window and reads the directory's version stamp, together.
    pub async fn rate_limit_hit_and_version(
        &self,
        bucket: &str,
        window_start: i64,
    ) -> Result<(i64, i64)> {
        #[derive(Deserialize)]
        struct Version {
            version: i64,
        }
        let statements = vec![
            self.db.prepare(super::RATE_LIMIT_ADD).bind(&[
                text(bucket),
                int(window_start),
                int(1),
            ])?,
            self.db.prepare(VERSION_SQL),
        ];
        let [hits, version] = <[D1Result; 2]>::try_from(self.db.batch(statements).await?)
            .map_err(|_| worker::Error::RustError("rate-limit batch".into()))?;
        let hits = hits.results::<super::Hits>()?.first().map_or(1, |h| h.hits);
        Ok((hits, version.results::<Version>()?.first().map_or(0, |v| v.version)))
    }
}

impl Store {
    /// A bucket's count in a window (this request's not included: a refused batch took it back)
    /// and the directory's version, read together after a registering batch's guard refused it.
    pub async fn rate_limit_and_version(
        &self,
        bucket: &str,
        window_start: i64,
    ) -> Result<(i64, i64)> {
        #[derive(Deserialize)]
        struct Row {
            hits: i64,
            version: i64,
        }
        let row = self
            .db
            .prepare(
                "SELECT coalesce((SELECT hits FROM rate_limits WHERE bucket = ?1 AND window_start = ?2), 0) AS hits,
                        coalesce((SELECT version FROM directory_version WHERE id = 1), 0) AS version",
            )
            .bind(&[text(bucket), int(window_start)])?
            .first::<Row>(None)
            .await?;
        Ok(row.map_or((0, 0), |r| (r.hits, r.version)))
    }
}

pub(super) const VERSION_SQL: &str = "SELECT version FROM directory_version WHERE id = 1";

#[derive(Deserialize)]
pub(super) struct SettingRow {
    key: String,
    value: String,
}

/// The channels citizens are notified by: each on unless its setting says "0".
pub(super) fn channels_of(rows: &[SettingRow]) -> Vec<&'static str> {
    let on = |key: &str| rows.iter().find(|r| r.key == key).is_none_or(|r| r.value == "1");
    [("email", on("notify_email")), ("sms", on("notify_sms"))]
        .into_iter()
        .filter(|(_, on)| *on)
        .map(|(c, _)| c)
        .collect()
}

const BODY_COLUMNS: &str =
    "id, slug, name, phones, location, email, acronym, website, former_names,
    government, kind, holder, source, source_date, confidence, contacts_source";

#[derive(Deserialize)]
struct BodyRow {
    id: i64,
    slug: String,
    name: String,
    phones: String,
    location: String,
    email: Option<String>,
    acronym: String,
    website: String,
    former_names: String,
    government: String,
    kind: String,
    holder: String,
    source: String,
    source_date: String,
    confidence: String,
    contacts_source: String,
}

impl BodyRow {
    fn into_body(self) -> Result<Body> {
        let phones: Vec<BodyPhone> = serde_json::from_str(&self.phones)
            .map_err(|e| worker::Error::RustError(format!("body {} phones: {e}", self.id)))?;
        Ok(Body {
            id: self.id,
            slug: self.slug,
            name: self.name,
            phones,
            location: self.location,
            email: self.email.filter(|e| !e.is_empty()),
            acronym: self.acronym,
            website: self.website,
            formerly: serde_json::from_str(&self.former_names).unwrap_or_default(),
            government: self.government,
            kind: self.kind,
            holder: self.holder,
            source: self.source,
            source_date: self.source_date,
            confidence: self.confidence,
            contacts_source: self.contacts_source,
        })
    }
}
