//! Places one can name, with their parents (districts, régions, départements), and what tells
//! where a position is: the border and the sous-préfectures' polygons.

use serde::Deserialize;
use worker::Result;

use super::*;
use crate::domain::area::{Area, Areas};
use crate::domain::directory::{PlaceKind, PlaceOption};
use crate::domain::gazetteer::{Gazetteer, Point};
use crate::domain::geo::Border;

#[derive(Deserialize)]
struct Row {
    id: i64,
    name: String,
    kind: String,
    parent_id: Option<i64>,
    lat: Option<f64>,
    lon: Option<f64>,
    point: Option<String>,
    pcode: Option<String>,
}

impl Store {
    /// Côte d'Ivoire's border (the seeded ring), none when the table is empty or its ring does not
    /// parse — callers then fall back to the bounding box and the distance rule.
    pub async fn border(&self) -> Result<Option<Border>> {
        let row = self
            .db
            .prepare("SELECT ring AS value FROM border WHERE id = 1")
            .first::<super::TextValue>(None)
            .await?;
        Ok(row.and_then(|r| Border::parse(&r.value).ok()))
    }

    /// The polygons (a ring that does not parse is left out, and counted).
    pub async fn areas(&self) -> Result<(Areas, usize)> {
        #[derive(Deserialize)]
        struct AreaRow {
            pcode: String,
            name: String,
            place_id: i64,
            ring: String,
        }
        let rows = self
            .db
            .prepare("SELECT pcode, name, place_id, ring FROM place_areas ORDER BY pcode")
            .all()
            .await?
            .results::<AreaRow>()?;
        let total = rows.len();
        let areas: Vec<Area> = rows
            .into_iter()
            .filter_map(|r| Area::new(&r.pcode, &r.name, r.place_id, &r.ring).ok())
            .collect();
        let bad = total - areas.len();
        Ok((Areas::new(areas), bad))
    }

    /// Every active place with its parents, with the directory's version stamp read in the same
    /// batch (the caller keeps them in memory until the stamp moves).
    pub async fn all_places(&self) -> Result<(i64, Gazetteer)> {
        #[derive(Deserialize)]
        struct Version {
            version: i64,
        }
        let sql =
            "SELECT id, name, kind, parent_id, lat, lon, point, pcode FROM places WHERE active = 1";
        let [version, places] = <[worker::D1Result; 2]>::try_from(
            self.db
                .batch(vec![self.db.prepare(super::directory::VERSION_SQL), self.db.prepare(sql)])
                .await?,
        )
        .map_err(|_| worker::Error::RustError("places batch".into()))?;
        let version = version.results::<Version>()?.first().map_or(0, |v| v.version);
        let places = places
            .results::<Row>()?
            .into_iter()
            .filter_map(|r| {
                Some(PlaceOption {
                    id: r.id,
                    kind: PlaceKind::parse(&r.kind)?,
                    name: r.name,
                    parent: r.parent_id,
                    pcode: r.pcode,
                    group: String::new(),
                    lat: r.lat,
                    lon: r.lon,
                    point: r.point.as_deref().and_then(Point::parse),
                })
            })
            .collect();
        Ok((version, Gazetteer::new(places)))
    }
}
