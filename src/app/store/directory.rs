//! The directory the forms and the API read: active bodies with their contacts, their themes, the places.

use serde::Deserialize;
use worker::Result;

use super::*;
use crate::domain::body::{Body, BodyPhone};
use crate::domain::directory::{PlaceOption, ThemeOption};
use crate::domain::lang::Lang;
use crate::domain::submission::{PlaceChoice, Submission};
use crate::domain::text::fold;

impl Store {
    /// All active bodies. The directory is small (tens of bodies), so search and paging
    /// happen in Rust, where accent-insensitive matching is exact.
    pub async fn active_bodies(&self) -> Result<Vec<Body>> {
        let rows = self.db.prepare("SELECT id, slug, name, phones, location, email FROM bodies WHERE active = 1").all().await?.results::<BodyRow>()?;
        rows.into_iter().map(BodyRow::into_body).collect()
    }

    pub async fn body(&self, id: i64) -> Result<Option<Body>> {
        let row = self
            .db
            .prepare("SELECT id, slug, name, phones, location, email FROM bodies WHERE id = ?1 AND active = 1")
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
        Ok(rows.into_iter().map(|r| ThemeOption { id: r.id, category: r.category, label: r.label }).collect())
    }

    /// Communes and sous-préfectures, each with the region (or autonomous district) it is listed under.
    pub async fn places(&self) -> Result<Vec<PlaceOption>> {
        #[derive(Deserialize)]
        struct Row {
            id: i64,
            name: String,
            parent: String,
            in_region: i64,
        }
        let rows = self
            .db
            .prepare(
                "SELECT p.id, p.name, g.name AS parent, g.kind = 'region' AS in_region
                 FROM places p JOIN places g ON g.id = p.parent_id
                 WHERE p.active = 1 AND p.kind IN ('commune', 'sous_prefecture')",
            )
            .all()
            .await?
            .results::<Row>()?;
        let mut rows = rows;
        // Autonomous districts first, then regions; places alphabetically, accents folded
        // (SQLite's ORDER BY would put «Béré» after «Bounkani»).
        rows.sort_by_cached_key(|r| (r.in_region, fold(&r.parent), fold(&r.name)));
        Ok(rows.into_iter().map(|r| PlaceOption { id: r.id, name: r.name, group: r.parent }).collect())
    }

    /// Whether the body, theme and place a submission names exist and go together.
    pub async fn check_refs(&self, s: &Submission) -> Result<RefCheck> {
        let place_id = match s.place {
            Some(PlaceChoice::Place(id)) => Some(id),
            _ => None,
        };
        #[derive(Deserialize)]
        struct Row {
            body: i64,
            theme: i64,
            place: i64,
        }
        let row = self
            .db
            .prepare(
                "SELECT
                   (SELECT count(*) FROM bodies WHERE id = ?1 AND active = 1) AS body,
                   (?2 IS NULL OR EXISTS (SELECT 1 FROM themes t WHERE t.id = ?2 AND t.active = 1 AND
                      (t.body_id = ?1 OR (t.body_id IS NULL AND NOT EXISTS
                        (SELECT 1 FROM themes o WHERE o.body_id = ?1 AND o.active = 1))))) AS theme,
                   (?3 IS NULL OR EXISTS (SELECT 1 FROM places WHERE id = ?3 AND active = 1
                      AND kind IN ('commune', 'sous_prefecture'))) AS place",
            )
            .bind(&[int(s.body_id), opt_int(s.theme_id), opt_int(place_id)])?
            .first::<Row>(None)
            .await?
            .ok_or_else(|| worker::Error::RustError("check_refs returned no row".into()))?;
        Ok(RefCheck { body: row.body > 0, theme: row.theme > 0, place: row.place > 0 })
    }
}

#[derive(Deserialize)]
struct BodyRow {
    id: i64,
    slug: String,
    name: String,
    phones: String,
    location: String,
    email: Option<String>,
}

impl BodyRow {
    fn into_body(self) -> Result<Body> {
        let phones: Vec<BodyPhone> = serde_json::from_str(&self.phones).map_err(|e| worker::Error::RustError(format!("body {} phones: {e}", self.id)))?;
        Ok(Body { id: self.id, slug: self.slug, name: self.name, phones, location: self.location, email: self.email.filter(|e| !e.is_empty()) })
    }
}

pub struct RefCheck {
    pub body: bool,
    pub theme: bool,
    pub place: bool,
}
