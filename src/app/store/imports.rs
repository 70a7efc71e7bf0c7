//! The directory's imports: what they are compared with (every body, every place, with the
//! directory's version), the file kept between preview and confirmation, and the confirmation
//! itself — one batch, guarded by the version the preview was made against, holding the version
//! triggers while it writes so that the version moves once.

use serde::Deserialize;
use serde_json::json;
use wasm_bindgen::JsValue;
use worker::Result;

use super::Stmt;

use super::{int, text, Store};
use crate::domain::audit::{Action, Entry};
use crate::domain::body::BodyPhone;
use crate::domain::directory::PlaceKind;
use crate::domain::gazetteer::Point;
use crate::domain::import::bodies::{self, BodyRecord};
use crate::domain::import::places;

/// A file waiting for its confirmation this long (ms).
const KEPT_MS: i64 = 3_600_000;

#[derive(Deserialize)]
struct Version {
    version: i64,
}

#[derive(Deserialize)]
struct BodyRow {
    id: i64,
    slug: String,
    active: i64,
    name: String,
    acronym: String,
    kind: String,
    holder: String,
    website: String,
    phones: String,
    email: Option<String>,
    location: String,
    source: String,
    source_date: String,
    evidence: String,
    confidence: String,
    former_names: String,
    government: String,
    contacts_source: String,
}

#[derive(Deserialize)]
struct PlaceRow {
    id: i64,
    slug: String,
    kind: String,
    name: String,
    parent_id: Option<i64>,
    pcode: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    point: Option<String>,
    active: i64,
}

/// What confirming wrote: the outbox rows to hand to the queue, or `None` when the directory had
/// moved since the preview (nothing written).
pub type Applied = Option<Vec<i64>>;

impl Store {
    /// Every body, active or closed, with the directory's version: one batch.
    pub async fn bodies_for_import(&self) -> Result<(i64, Vec<bodies::Existing>)> {
        let [version, rows] = self
            .pair(
                "SELECT id, slug, active, name, acronym, kind, holder, website, phones, email, location, source,
                   source_date, evidence, confidence, former_names, government, contacts_source FROM bodies ORDER BY id",
            )
            .await?;
        let version = version.results::<Version>()?.first().map_or(0, |v| v.version);
        let list = rows
            .results::<BodyRow>()?
            .into_iter()
            .map(|r| bodies::Existing {
                id: r.id,
                slug: r.slug,
                active: r.active == 1,
                record: BodyRecord {
                    name: r.name,
                    acronym: r.acronym,
                    kind: r.kind,
                    holder: r.holder,
                    website: r.website,
                    phones: serde_json::from_str::<Vec<BodyPhone>>(&r.phones).unwrap_or_default(),
                    email: r.email.filter(|e| !e.is_empty()),
                    address: r.location,
                    source: r.source,
                    source_date: r.source_date,
                    evidence: r.evidence,
                    confidence: r.confidence,
                    formerly: serde_json::from_str(&r.former_names).unwrap_or_default(),
                    government: r.government,
                    contacts_source: r.contacts_source,
                },
            })
            .collect();
        Ok((version, list))
    }

    /// Every place, active or closed, with the directory's version: one batch.
    pub async fn places_for_import(&self) -> Result<(i64, Vec<places::Existing>)> {
        let [version, rows] = self
            .pair("SELECT id, slug, kind, name, parent_id, pcode, lat, lon, point, active FROM places ORDER BY id")
            .await?;
        let version = version.results::<Version>()?.first().map_or(0, |v| v.version);
        let list = rows
            .results::<PlaceRow>()?
            .into_iter()
            .filter_map(|r| {
                Some(places::Existing {
                    id: r.id,
                    kind: PlaceKind::parse(&r.kind)?,
                    slug: r.slug,
                    name: r.name,
                    parent: r.parent_id,
                    pcode: r.pcode,
                    lat: r.lat,
                    lon: r.lon,
                    point: r.point.as_deref().and_then(Point::parse),
                    active: r.active == 1,
                })
            })
            .collect();
        Ok((version, list))
    }

    async fn pair(&self, sql: &str) -> Result<[worker::D1Result; 2]> {
        let results = self
            .db
            .batch(vec![self.db.prepare(super::directory::VERSION_SQL), self.db.prepare(sql)])
            .await?;
        <[worker::D1Result; 2]>::try_from(results)
            .map_err(|_| worker::Error::RustError("import read batch".into()))
    }

    /// Keeps a file for its confirmation (and forgets those older than an hour); its id.
    pub async fn stage_import(
        &self,
        kind: &str,
        staff_id: i64,
        version: i64,
        content: &str,
        now: i64,
    ) -> Result<i64> {
        #[derive(Deserialize)]
        struct Id {
            id: i64,
        }
        let results = self
            .db
            .batch(vec![
                self.db
                    .prepare("DELETE FROM directory_imports WHERE created_at < ?1")
                    .bind(&[int(now - KEPT_MS)])?,
                self.db
                    .prepare(
                        "INSERT INTO directory_imports (kind, staff_id, version, content, created_at)
                         VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
                    )
                    .bind(&[text(kind), int(staff_id), int(version), text(content), int(now)])?,
            ])
            .await?;
        results
            .get(1)
            .and_then(|r| r.results::<Id>().ok())
            .and_then(|ids| ids.first().map(|i| i.id))
            .ok_or_else(|| worker::Error::RustError("staging an import".into()))
    }

    /// A file this admin staged within the hour.
    pub async fn staged_import(
        &self,
        id: i64,
        kind: &str,
        staff_id: i64,
        now: i64,
    ) -> Result<Option<String>> {
        let row = self
            .db
            .prepare(
                "SELECT content AS value FROM directory_imports
                 WHERE id = ?1 AND kind = ?2 AND staff_id = ?3 AND created_at >= ?4",
            )
            .bind(&[int(id), text(kind), int(staff_id), int(now - KEPT_MS)])?
            .first::<super::TextValue>(None)
            .await?;
        Ok(row.map(|r| r.value))
    }

    /// The statements around an import's own: first the guard (the version the preview was made
    /// against, the triggers held), last the version moved once, the audit row, the file forgotten.
    fn import_batch(
        &self,
        version: i64,
        own: Vec<Stmt>,
        audit: (i64, Action, &str, &str, i64),
        staged: i64,
    ) -> Result<Vec<Stmt>> {
        let (staff_id, action, target, detail, now) = audit;
        let mut statements = vec![
            self.db
                .prepare("UPDATE directory_version SET held = 1 WHERE id = 1 AND version = ?1 AND held = 0")
                .bind(&[int(version)])?,
            self.db.prepare("INSERT INTO batch_guard (ok) VALUES (changes())"),
        ];
        statements.extend(own);
        statements.extend([
            self.db.prepare(
                "UPDATE directory_version SET held = 0, version = version + 1 WHERE id = 1",
            ),
            self.db.prepare("DELETE FROM batch_guard"),
            self.audit_statement(
                &Entry::new(staff_id, action, target).detail(detail),
                self.client(),
                now,
            )?,
            self.db.prepare("DELETE FROM directory_imports WHERE id = ?1").bind(&[int(staged)])?,
        ]);
        Ok(statements)
    }

    async fn run_import(&self, statements: Vec<Stmt>) -> Result<Applied> {
        let results = match self.db.batch(statements).await {
            Ok(results) => results,
            Err(e) if e.to_string().contains("CHECK constraint failed") => return Ok(None),
            Err(e) => return Err(e),
        };
        match results.iter().find_map(|r| r.error()) {
            Some(e) if e.contains("CHECK constraint failed") => Ok(None),
            Some(e) => Err(worker::Error::RustError(e)),
            None => Ok(Some(super::returned_ids(&results))),
        }
    }

    /// Confirms a bodies' import: added, changed (reopened), closed — and the analysts told of
    /// every request still in hand with a closed body. One batch.
    pub async fn apply_bodies(
        &self,
        plan: &bodies::Plan,
        version: i64,
        staged: i64,
        audit: (i64, &str, i64),
    ) -> Result<Applied> {
        let (staff_id, detail, now) = audit;
        let record = |slug: &str, id: i64, r: &BodyRecord| {
            json!({
                "id": id, "slug": slug, "name": r.name, "acronym": r.acronym, "kind": r.kind, "holder": r.holder,
                "website": r.website, "phones": serde_json::to_string(&r.phones).unwrap_or_else(|_| "[]".into()),
                "email": r.email, "location": r.address, "source": r.source, "source_date": r.source_date,
                "evidence": r.evidence, "confidence": r.confidence, "government": r.government,
                "former_names": serde_json::to_string(&r.formerly).unwrap_or_else(|_| "[]".into()),
                "contacts_source": r.contacts_source,
            })
        };
        let added: Vec<_> = plan.added.iter().map(|(slug, r)| record(slug, 0, r)).collect();
        let changed: Vec<_> = plan.changed.iter().map(|c| record("", c.id, &c.record)).collect();
        let closed: Vec<i64> = plan.closed.iter().map(|(id, _)| *id).collect();
        let columns = "name, acronym, kind, holder, website, phones, email, location, source, source_date, evidence, confidence, government, former_names, contacts_source";
        let values = columns
            .split(", ")
            .map(|c| format!("json_extract(value, '$.{c}')"))
            .collect::<Vec<_>>()
            .join(", ");
        let sets =
            columns.split(", ").map(|c| format!("{c} = v.{c}")).collect::<Vec<_>>().join(", ");
        let mut own = vec![
            self.db
                .prepare(format!(
                    "INSERT INTO bodies (slug, {columns}, updated_at)
                     SELECT json_extract(value, '$.slug'), {values}, ?2 FROM json_each(?1)"
                ))
                .bind(&[text(&serde_json::to_string(&added)?), int(now)])?,
            self.db
                .prepare(format!(
                    "UPDATE bodies SET {sets}, active = 1, updated_at = ?2
                     FROM (SELECT json_extract(value, '$.id') AS id, {values_as} FROM json_each(?1)) v
                     WHERE bodies.id = v.id",
                    values_as = columns
                        .split(", ")
                        .map(|c| format!("json_extract(value, '$.{c}') AS {c}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
                .bind(&[text(&serde_json::to_string(&changed)?), int(now)])?,
            self.db
                .prepare("UPDATE bodies SET active = 0, updated_at = ?2 WHERE id IN (SELECT value FROM json_each(?1))")
                .bind(&[super::json_array(&closed), int(now)])?,
        ];
        own.extend(self.closed_body_statements(
            super::json_array(&closed),
            &format!("import-{staged}"),
            now,
        )?);
        let statements = self.import_batch(
            version,
            own,
            (staff_id, Action::BodyImport, "bodies", detail, now),
            staged,
        )?;
        self.run_import(statements).await
    }

    /// Confirms a places' import: added, changed (reopened), parents set (new places included),
    /// closed. One batch.
    pub async fn apply_places(
        &self,
        plan: &places::Plan,
        version: i64,
        staged: i64,
        audit: (i64, &str, i64),
    ) -> Result<Applied> {
        let (staff_id, detail, now) = audit;
        let row = |w: &places::Write| {
            json!({
                "slug": w.slug, "kind": w.kind.as_str(), "name": w.name, "parent": w.parent, "pcode": w.pcode,
                "lat": w.lat, "lon": w.lon, "point": w.point.map(Point::as_str),
            })
        };
        let added: Vec<_> = plan.added.iter().map(row).collect();
        let changed: Vec<_> = plan.changed.iter().map(|(w, ..)| row(w)).collect();
        let every: Vec<_> = added.iter().chain(&changed).cloned().collect();
        let closed: Vec<&str> = plan.closed.iter().map(|(slug, ..)| slug.as_str()).collect();
        let field = |c: &str| format!("json_extract(value, '$.{c}') AS {c}");
        let v = ["slug", "kind", "name", "pcode", "lat", "lon", "point"].map(field).join(", ");
        let json = |items: &[serde_json::Value]| -> Result<JsValue> {
            Ok(text(&serde_json::to_string(items)?))
        };
        let own = vec![
            // P-codes that move between places are freed first (they are unique).
            self.db
                .prepare(
                    "UPDATE places SET pcode = NULL WHERE slug IN (SELECT json_extract(value, '$.slug') FROM json_each(?1))
                     AND pcode IS NOT (SELECT json_extract(value, '$.pcode') FROM json_each(?1) WHERE json_extract(value, '$.slug') = places.slug)",
                )
                .bind(&[json(&changed)?])?,
            self.db
                .prepare(format!(
                    "INSERT INTO places (slug, kind, name, pcode, lat, lon, point)
                     SELECT slug, kind, name, pcode, lat, lon, point FROM (SELECT {v} FROM json_each(?1))"
                ))
                .bind(&[json(&added)?])?,
            self.db
                .prepare(format!(
                    "UPDATE places SET kind = v.kind, name = v.name, pcode = v.pcode, lat = v.lat, lon = v.lon,
                       point = v.point, active = 1
                     FROM (SELECT {v} FROM json_each(?1)) v WHERE places.slug = v.slug"
                ))
                .bind(&[json(&changed)?])?,
            self.db
                .prepare(
                    "UPDATE places SET parent_id = p.id
                     FROM (SELECT json_extract(value, '$.slug') AS slug, json_extract(value, '$.parent') AS parent FROM json_each(?1)) v
                     LEFT JOIN places p ON p.slug = v.parent
                     WHERE places.slug = v.slug AND places.parent_id IS NOT p.id",
                )
                .bind(&[json(&every)?])?,
            self.db
                .prepare("UPDATE places SET active = 0 WHERE slug IN (SELECT value FROM json_each(?1))")
                .bind(&[super::json_array(&closed)])?,
        ];
        let statements = self.import_batch(
            version,
            own,
            (staff_id, Action::PlaceImport, "places", detail, now),
            staged,
        )?;
        self.run_import(statements).await
    }
}
