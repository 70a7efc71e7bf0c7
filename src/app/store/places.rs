//! Places one can name: the communes and sous-préfectures the form lists, and the localities
//! (towns and villages from GeoNames) found by typing or by position.

use serde::Deserialize;
use worker::Result;

use super::*;
use crate::domain::directory::{PlaceKind, PlaceOption};
use crate::domain::geo::Border;
use crate::domain::text::fold;

/// Every column a `PlaceOption` needs: the place, the region or district it is listed under, the
/// district above that region.
const SELECT: &str =
    "SELECT p.id, p.name, p.kind, g.name AS parent, g.kind = 'region' AS in_region,
        d.name AS district, p.lat, p.lon
 FROM places p JOIN places g ON g.id = p.parent_id LEFT JOIN places d ON d.id = g.parent_id";

#[derive(Deserialize)]
struct Row {
    id: i64,
    name: String,
    kind: String,
    parent: String,
    in_region: i64,
    district: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
}

/// Autonomous districts first, then regions; places alphabetically, accents folded (SQLite's
/// ORDER BY would put «Béré» after «Bounkani»).
fn sorted(mut rows: Vec<Row>) -> Vec<PlaceOption> {
    rows.sort_by_cached_key(|r| (r.in_region, fold(&r.parent), fold(&r.name)));
    rows.into_iter()
        .filter_map(|r| {
            let kind = PlaceKind::parse(&r.kind)?;
            Some(PlaceOption {
                id: r.id,
                name: r.name,
                group: r.parent,
                district: r.district,
                lat: r.lat,
                lon: r.lon,
                kind,
            })
        })
        .collect()
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

    /// Every place one can name, localities included, with the directory's version stamp read in
    /// the same batch (the caller keeps them in memory until the stamp moves).
    pub async fn all_places(&self) -> Result<(i64, Vec<PlaceOption>)> {
        #[derive(Deserialize)]
        struct Version {
            version: i64,
        }
        let sql = format!(
            "{SELECT} WHERE p.active = 1 AND p.kind IN ('commune', 'sous_prefecture', 'localite')"
        );
        let [version, places] = <[worker::D1Result; 2]>::try_from(
            self.db
                .batch(vec![self.db.prepare(super::directory::VERSION_SQL), self.db.prepare(sql)])
                .await?,
        )
        .map_err(|_| worker::Error::RustError("places batch".into()))?;
        let version = version.results::<Version>()?.first().map_or(0, |v| v.version);
        Ok((version, sorted(places.results::<Row>()?)))
    }
}
