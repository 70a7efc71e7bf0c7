//! Every active place with its parents: districts, régions (and the autonomous districts acting as
//! régions, as OCHA has them), départements, communes, sous-préfectures, towns and villages. Kept
//! in the isolate's memory; what the form lists, the API gives and a position is matched against.

use std::ops::Deref;

use serde::Serialize;

use super::directory::{PlaceKind, PlaceOption};
use super::text::fold;

/// What a place's coordinates are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Point {
    /// The seat (chef-lieu), a populated place GeoNames records.
    Seat,
    /// The centroid of the place's polygon (no seat known).
    Centroid,
}

impl Point {
    pub fn as_str(self) -> &'static str {
        match self {
            Point::Seat => "seat",
            Point::Centroid => "centroid",
        }
    }

    pub fn parse(s: &str) -> Option<Point> {
        [Point::Seat, Point::Centroid].into_iter().find(|p| p.as_str() == s)
    }
}

/// The places, those one can choose first (communes and sous-préfectures in the form's order, then
/// towns and villages by name), the others after them.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    all: Vec<PlaceOption>,
    choosable: usize,
    /// (id, position in `all`), sorted by id.
    index: Vec<(i64, usize)>,
}

/// Ancestors are followed at most this far (the deepest chain is locality → sous-préfecture →
/// département → région → district); a cycle an import could make never loops.
const DEPTH: usize = 6;

impl Gazetteer {
    /// From the places as stored (`group` is computed here: the région and département a commune
    /// or sous-préfecture is listed under, the parent of any other place).
    pub fn new(places: Vec<PlaceOption>) -> Gazetteer {
        let mut g = Gazetteer { index: index(&places), all: places, choosable: 0 };
        let keys: Vec<(u8, u8, String, String, u8, String)> =
            g.all.iter().map(|p| g.order(p)).collect();
        let groups: Vec<String> = g.all.iter().map(|p| g.group_of(p)).collect();
        let mut places: Vec<(_, PlaceOption)> = keys.into_iter().zip(g.all.drain(..)).collect();
        for ((_, p), group) in places.iter_mut().zip(groups) {
            p.group = group;
        }
        places.sort_by(|a, b| a.0.cmp(&b.0));
        g.all = places.into_iter().map(|(_, p)| p).collect();
        g.choosable = g.all.iter().take_while(|p| p.kind.is_choosable()).count();
        g.index = index(&g.all);
        g
    }

    /// Sort key: choosable first; communes and sous-préfectures by région (autonomous districts
    /// first), département, kind, name; localities by name then parent; the rest by kind and name.
    fn order(&self, p: &PlaceOption) -> (u8, u8, String, String, u8, String) {
        let rank = |k: PlaceKind| k as u8;
        match p.kind {
            PlaceKind::Commune | PlaceKind::SousPrefecture => {
                let region = self.region(p);
                let dept = self.ancestor(p, PlaceKind::Departement);
                (
                    0,
                    u8::from(region.is_some_and(|r| r.kind == PlaceKind::Region)),
                    region.map_or_else(String::new, |r| fold(&r.name)),
                    dept.map_or_else(String::new, |d| fold(&d.name)),
                    rank(p.kind),
                    fold(&p.name),
                )
            }
            PlaceKind::Locality => {
                let parent = p.parent.and_then(|id| self.by_id(id)).map(|q| fold(&q.name));
                (1, 0, fold(&p.name), parent.unwrap_or_default(), 0, String::new())
            }
            kind => (2, rank(kind), fold(&p.name), String::new(), 0, String::new()),
        }
    }

    fn group_of(&self, p: &PlaceOption) -> String {
        match p.kind {
            PlaceKind::Commune | PlaceKind::SousPrefecture => {
                let region = self.region(p).map(|r| r.name.as_str());
                match (region, self.ancestor(p, PlaceKind::Departement)) {
                    (Some(r), Some(d)) => format!("{r} — {}", d.name),
                    (Some(r), None) => r.to_owned(),
                    (None, _) => self.parent(p).map(|q| q.name.clone()).unwrap_or_default(),
                }
            }
            _ => self.parent(p).map(|q| q.name.clone()).unwrap_or_default(),
        }
    }

    pub fn by_id(&self, id: i64) -> Option<&PlaceOption> {
        let at = self.index.binary_search_by_key(&id, |&(id, _)| id).ok()?;
        Some(&self.all[self.index[at].1])
    }

    /// Every place, those one cannot choose included.
    pub fn all(&self) -> &[PlaceOption] {
        &self.all
    }

    pub fn parent(&self, p: &PlaceOption) -> Option<&PlaceOption> {
        p.parent.and_then(|id| self.by_id(id))
    }

    /// The place's parents, nearest first.
    pub fn parents(&self, p: &PlaceOption) -> Vec<&PlaceOption> {
        let mut out: Vec<&PlaceOption> = Vec::new();
        let mut at = self.parent(p);
        while let Some(q) = at {
            if out.len() == DEPTH || q.id == p.id || out.iter().any(|o| o.id == q.id) {
                break;
            }
            out.push(q);
            at = self.parent(q);
        }
        out
    }

    pub fn ancestor(&self, p: &PlaceOption, kind: PlaceKind) -> Option<&PlaceOption> {
        self.parents(p).into_iter().find(|q| q.kind == kind)
    }

    /// The région above a place, or the autonomous district that acts as one (it has an OCHA
    /// P-code; the other districts group régions).
    pub fn region(&self, p: &PlaceOption) -> Option<&PlaceOption> {
        self.parents(p).into_iter().find(|q| {
            q.kind == PlaceKind::Region || (q.kind == PlaceKind::District && q.pcode.is_some())
        })
    }

    /// What the API gives of a place: its kind, P-code, point and parents.
    pub fn view<'a>(&'a self, p: &'a PlaceOption) -> PlaceView<'a> {
        let parents = self.parents(p);
        let named =
            |kind: PlaceKind| parents.iter().find(|q| q.kind == kind).map(|q| q.name.as_str());
        PlaceView {
            id: p.id,
            name: &p.name,
            kind: p.kind.as_str(),
            pcode: p.pcode.as_deref(),
            lat: p.lat,
            lon: p.lon,
            point: p.point.map(Point::as_str),
            sous_prefecture: named(PlaceKind::SousPrefecture),
            departement: named(PlaceKind::Departement),
            region: self.region(p).map(|r| r.name.as_str()),
            district: named(PlaceKind::District),
            parents: parents
                .iter()
                .map(|q| ParentView {
                    id: q.id,
                    name: &q.name,
                    kind: q.kind.as_str(),
                    pcode: q.pcode.as_deref(),
                })
                .collect(),
        }
    }
}

fn index(places: &[PlaceOption]) -> Vec<(i64, usize)> {
    let mut index: Vec<(i64, usize)> = places.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
    index.sort_unstable();
    index
}

/// The places one can choose in a form (communes, sous-préfectures, towns and villages).
impl Deref for Gazetteer {
    type Target = [PlaceOption];

    fn deref(&self) -> &[PlaceOption] {
        &self.all[..self.choosable]
    }
}

#[derive(Debug, Serialize)]
pub struct PlaceView<'a> {
    pub id: i64,
    pub name: &'a str,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub pcode: Option<&'a str>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub point: Option<&'static str>,
    pub sous_prefecture: Option<&'a str>,
    pub departement: Option<&'a str>,
    pub region: Option<&'a str>,
    pub district: Option<&'a str>,
    pub parents: Vec<ParentView<'a>>,
}

#[derive(Debug, Serialize)]
pub struct ParentView<'a> {
    pub id: i64,
    pub name: &'a str,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub pcode: Option<&'a str>,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn place(id: i64, kind: PlaceKind, name: &str, parent: Option<i64>) -> PlaceOption {
        PlaceOption {
            id,
            name: name.into(),
            kind,
            parent,
            pcode: None,
            group: String::new(),
            lat: None,
            lon: None,
            point: None,
        }
    }

    /// Gbêkê (a région of the Vallée du Bandama) and the autonomous district of Abidjan.
    pub fn sample() -> Gazetteer {
        use PlaceKind::*;
        let coded = |mut p: PlaceOption, code: &str| {
            p.pcode = Some(code.into());
            p
        };
        Gazetteer::new(vec![
            place(1, District, "Vallée du Bandama", None),
            coded(place(2, Region, "Gbêkê", Some(1)), "CI11"),
            coded(place(3, Departement, "Bouaké", Some(2)), "CI1103"),
            coded(place(4, SousPrefecture, "Bouaké", Some(3)), "CI110301"),
            place(5, Commune, "Bouaké", Some(3)),
            coded(place(6, SousPrefecture, "Brobo", Some(3)), "CI110302"),
            place(7, Locality, "Allokokro", Some(4)),
            coded(place(10, District, "District autonome d'Abidjan", None), "CI01"),
            coded(place(11, Departement, "Abidjan", Some(10)), "CI0101"),
            place(12, Commune, "Cocody", Some(11)),
            coded(place(13, SousPrefecture, "Anyama", Some(11)), "CI010102"),
            place(14, Locality, "Akouédo", Some(11)),
            coded(place(15, Departement, "Béoumi", Some(2)), "CI1101"),
            place(16, Commune, "Béoumi", Some(15)),
        ])
    }

    #[test]
    fn the_form_lists_communes_and_sous_prefectures_by_region_and_departement() {
        let g = sample();
        let listed: Vec<(&str, &str, PlaceKind)> =
            g.iter().map(|p| (p.name.as_str(), p.group.as_str(), p.kind)).collect();
        use PlaceKind::*;
        assert_eq!(
            listed,
            [
                ("Cocody", "District autonome d'Abidjan — Abidjan", Commune),
                ("Anyama", "District autonome d'Abidjan — Abidjan", SousPrefecture),
                ("Béoumi", "Gbêkê — Béoumi", Commune),
                ("Bouaké", "Gbêkê — Bouaké", Commune),
                ("Bouaké", "Gbêkê — Bouaké", SousPrefecture),
                ("Brobo", "Gbêkê — Bouaké", SousPrefecture),
                ("Akouédo", "Abidjan", Locality),
                ("Allokokro", "Bouaké", Locality),
            ]
        );
        assert_eq!(g.all().len(), 14, "the others follow");
        assert!(g.all()[8..].iter().all(|p| !p.kind.is_choosable()));
    }

    #[test]
    fn parents_nearest_first_and_the_region_an_autonomous_district_acts_as() {
        let g = sample();
        let village = g.by_id(7).unwrap();
        let names: Vec<&str> = g.parents(village).iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Bouaké", "Bouaké", "Gbêkê", "Vallée du Bandama"]);
        assert_eq!(g.region(village).map(|r| r.id), Some(2));
        assert_eq!(
            g.region(g.by_id(12).unwrap()).map(|r| r.id),
            Some(10),
            "Abidjan acts as a région"
        );
        let v = g.view(village);
        assert_eq!(
            (v.sous_prefecture, v.departement, v.region, v.district),
            (Some("Bouaké"), Some("Bouaké"), Some("Gbêkê"), Some("Vallée du Bandama"))
        );
        let json = serde_json::to_value(g.view(g.by_id(4).unwrap())).unwrap();
        assert_eq!(json["type"], "sous_prefecture");
        assert_eq!(json["pcode"], "CI110301");
        assert_eq!(json["parents"][0]["pcode"], "CI1103");
        assert_eq!(json["sous_prefecture"], serde_json::Value::Null);
    }

    #[test]
    fn a_cycle_never_loops() {
        use PlaceKind::*;
        let g = Gazetteer::new(vec![
            place(1, Region, "A", Some(2)),
            place(2, Departement, "B", Some(1)),
            place(3, Commune, "C", Some(2)),
        ]);
        assert_eq!(g.parents(g.by_id(3).unwrap()).len(), 2);
        assert_eq!(g.by_id(3).unwrap().group, "A — B");
        assert!(g.by_id(99).is_none());
        assert_eq!(Point::parse("seat"), Some(Point::Seat));
        assert_eq!(Point::parse(Point::Centroid.as_str()), Some(Point::Centroid));
        assert_eq!(Point::parse("Seat"), None);
    }
}
