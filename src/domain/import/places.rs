//! The places as a CSV in the shape of their export: type, pcode, nom, slug, rattachement (the
//! parent's P-code, else its slug; a name is read too), latitude, longitude, point (seat or
//! centroid). A full list: the places it leaves out are closed. Parents are places of the file.

use std::collections::HashMap;

use super::{line, LineError, Problem, Sheet};
use crate::domain::body::slugify;
use crate::domain::directory::PlaceKind;
use crate::domain::gazetteer::Point;
use crate::domain::geo::Position;
use crate::domain::text::fold;

pub const COLUMNS: [&str; 8] =
    ["type", "pcode", "nom", "slug", "rattachement", "latitude", "longitude", "point"];

const SPELLINGS: [(&str, &[&str]); 8] = [
    ("type", &["kind"]),
    ("pcode", &["p-code", "code"]),
    ("nom", &["name"]),
    ("slug", &["cle"]),
    ("rattachement", &["parent", "region"]),
    ("latitude", &["lat"]),
    ("longitude", &["lon", "long"]),
    ("point", &["position"]),
];

#[derive(Debug, Clone, PartialEq)]
pub struct PlaceLine {
    pub line: u64,
    pub kind: PlaceKind,
    pub name: String,
    pub slug: Option<String>,
    pub pcode: Option<String>,
    /// The parent as the file names it: a P-code, a slug or a name.
    pub parent: Option<String>,
    pub position: Option<Position>,
    pub point: Option<Point>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlaceFile {
    pub columns: Vec<&'static str>,
    pub lines: Vec<PlaceLine>,
}

fn kind_of(cell: &str) -> Option<PlaceKind> {
    match fold(cell).replace(['-', ' ', '/'], "_").as_str() {
        "district" => Some(PlaceKind::District),
        "region" => Some(PlaceKind::Region),
        "departement" => Some(PlaceKind::Departement),
        "commune" => Some(PlaceKind::Commune),
        "sous_prefecture" | "s_prefecture" | "s_p" => Some(PlaceKind::SousPrefecture),
        "localite" | "ville" | "village" => Some(PlaceKind::Locality),
        _ => None,
    }
}

/// An OCHA P-code of Côte d'Ivoire: «CI» and 2 (ADM1), 4 (département) or 6 (sous-préfecture) digits.
fn pcode_digits(kind: PlaceKind) -> Option<usize> {
    match kind {
        PlaceKind::District | PlaceKind::Region => Some(2),
        PlaceKind::Departement => Some(4),
        PlaceKind::SousPrefecture => Some(6),
        PlaceKind::Commune | PlaceKind::Locality => None,
    }
}

pub fn looks_like_pcode(s: &str) -> bool {
    s.len() > 2 && s.starts_with("CI") && s[2..].bytes().all(|b| b.is_ascii_digit())
}

/// Reads a file: every line checked on its own (parents come with the plan).
pub fn parse(data: &str) -> Result<PlaceFile, Vec<LineError>> {
    let sheet = Sheet::read(data, &SPELLINGS, &["type", "nom"])?;
    let columns: Vec<&'static str> = COLUMNS.iter().copied().filter(|c| sheet.has(c)).collect();
    let mut lines = Vec::new();
    let mut errors = sheet.errors.clone();
    for (line, row) in &sheet.rows {
        match read_line(&sheet, row, *line) {
            Ok(l) => lines.push(l),
            Err(problem) => errors.push(LineError::new(*line, problem)),
        }
    }
    errors.sort_by_key(|e| e.line);
    if errors.is_empty() {
        Ok(PlaceFile { columns, lines })
    } else {
        Err(errors)
    }
}

fn read_line(sheet: &Sheet, row: &[String], line: u64) -> Result<PlaceLine, Problem> {
    let cell = |c: &str| sheet.cell(row, c).to_owned();
    let kind = kind_of(&cell("type")).ok_or_else(|| Problem::Kind(cell("type")))?;
    let name = cell("nom");
    if slugify(&name).is_empty() {
        return Err(Problem::NameMissing);
    }
    if name.chars().count() > 120 {
        return Err(Problem::TooLong("nom"));
    }
    let pcode = Some(cell("pcode").to_uppercase()).filter(|p| !p.is_empty());
    if let Some(p) = &pcode {
        match pcode_digits(kind) {
            None => return Err(Problem::PcodeNotHere(p.clone())),
            Some(n) if !(looks_like_pcode(p) && p.len() == 2 + n) => {
                return Err(Problem::PcodeFormat(p.clone()))
            }
            _ => {}
        }
    }
    let slug = Some(cell("slug")).filter(|s| !s.is_empty());
    if slug.as_ref().is_some_and(|s| s.len() > 120 || slugify(s) != *s) {
        return Err(Problem::Unreadable);
    }
    let parent = Some(cell("rattachement")).filter(|p| !p.is_empty());
    match (kind, &parent) {
        (PlaceKind::District, Some(_)) => {
            return Err(Problem::ParentKind { kind: "district", parent: "" })
        }
        (PlaceKind::District, None) => {}
        (_, None) => return Err(Problem::ParentMissing),
        _ => {}
    }
    let decimal = |c: &str| cell(c).replace(',', ".");
    let position = Position::parse(&decimal("latitude"), &decimal("longitude"))
        .map_err(|_| Problem::Position)?;
    let point = match cell("point").as_str() {
        "" => None,
        p => Some(match fold(p).as_str() {
            "seat" | "chef lieu" | "chef-lieu" | "siege" => Point::Seat,
            "centroid" | "centroide" => Point::Centroid,
            _ => return Err(Problem::Point(p.to_owned())),
        }),
    };
    if point.is_some() && position.is_none() {
        return Err(Problem::PointWithoutPosition);
    }
    Ok(PlaceLine { line, kind, name, slug, pcode, parent, position, point })
}

/// A place as the directory holds it (active or closed).
#[derive(Debug, Clone, PartialEq)]
pub struct Existing {
    pub id: i64,
    pub slug: String,
    pub kind: PlaceKind,
    pub name: String,
    pub parent: Option<i64>,
    pub pcode: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub point: Option<Point>,
    pub active: bool,
}

/// A place as confirming writes it: keyed by slug, its parent by slug.
#[derive(Debug, Clone, PartialEq)]
pub struct Write {
    pub slug: String,
    pub kind: PlaceKind,
    pub name: String,
    pub parent: Option<String>,
    pub pcode: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub point: Option<Point>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    pub added: Vec<Write>,
    /// (what is written, the name it has now, what changes, reopened)
    pub changed: Vec<(Write, String, Vec<&'static str>, bool)>,
    /// (slug, name, kind) of the active places the file leaves out.
    pub closed: Vec<(String, String, PlaceKind)>,
    pub unchanged: usize,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.closed.is_empty()
    }
}

pub use super::places_plan::plan;

/// Coordinates as the export writes them: the shortest decimal that reads back the same.
fn degrees(v: Option<f64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// The active places in the import's shape, parents before children.
pub fn export(places: &[Existing]) -> String {
    let by_id: HashMap<i64, &Existing> = places.iter().map(|e| (e.id, e)).collect();
    let mut active: Vec<&Existing> = places.iter().filter(|e| e.active).collect();
    let rank = |k: PlaceKind| match k {
        PlaceKind::District => 0,
        PlaceKind::Region => 1,
        PlaceKind::Departement => 2,
        PlaceKind::Commune => 3,
        PlaceKind::SousPrefecture => 4,
        PlaceKind::Locality => 5,
    };
    active.sort_by_key(|e| (rank(e.kind), e.pcode.clone(), e.slug.clone()));
    let mut out = String::from("\u{feff}");
    out.push_str(&line(&COLUMNS));
    for e in active {
        let parent = e
            .parent
            .and_then(|id| by_id.get(&id))
            .map_or(String::new(), |p| p.pcode.clone().unwrap_or_else(|| p.slug.clone()));
        let (lat, lon) = (degrees(e.lat), degrees(e.lon));
        out.push_str(&line(&[
            e.kind.as_str(),
            e.pcode.as_deref().unwrap_or(""),
            &e.name,
            &e.slug,
            &parent,
            &lat,
            &lon,
            e.point.map_or("", Point::as_str),
        ]));
    }
    out
}
