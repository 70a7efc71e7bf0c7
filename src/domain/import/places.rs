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

fn fits(kind: PlaceKind, parent: PlaceKind, parent_pcode: bool) -> bool {
    use PlaceKind::*;
    match kind {
        District => false,
        Region => parent == District,
        Departement => parent == Region || (parent == District && parent_pcode),
        SousPrefecture => parent == Departement,
        Commune => matches!(parent, Departement | Region | District),
        Locality => parent != Locality,
    }
}

fn prefix(kind: PlaceKind) -> &'static str {
    match kind {
        PlaceKind::SousPrefecture => "sous-prefecture",
        k => k.as_str(),
    }
}

/// Compares a file with the directory. Each line is the place its slug, else its P-code, else
/// its kind, name and parent name; the others are added (with a new slug). Parents are lines of
/// the file, named by P-code, slug or (older files) name.
pub fn plan(file: &PlaceFile, existing: &[Existing]) -> Result<Plan, Vec<LineError>> {
    let mut errors = Vec::new();
    let by_slug: HashMap<&str, &Existing> = existing.iter().map(|e| (e.slug.as_str(), e)).collect();
    let by_pcode: HashMap<&str, &Existing> =
        existing.iter().filter_map(|e| Some((e.pcode.as_deref()?, e))).collect();
    let by_id: HashMap<i64, &Existing> = existing.iter().map(|e| (e.id, e)).collect();
    // Lines by P-code and slug, duplicates named.
    let mut line_pcode: HashMap<&str, usize> = HashMap::new();
    let mut line_slug: HashMap<&str, usize> = HashMap::new();
    let mut line_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, l) in file.lines.iter().enumerate() {
        for (what, key, map) in [
            ("pcode", l.pcode.as_deref(), &mut line_pcode),
            ("slug", l.slug.as_deref(), &mut line_slug),
        ] {
            if let Some(key) = key {
                if let Some(first) = map.insert(key, i) {
                    let first_line = file.lines[first].line;
                    errors.push(LineError::new(
                        l.line,
                        Problem::Duplicate { what, value: key.to_owned(), first_line },
                    ));
                }
            }
        }
        line_name.entry(fold(&l.name)).or_default().push(i);
    }
    // Each line's parent: a line of the file.
    let mut parents: Vec<Option<usize>> = vec![None; file.lines.len()];
    for (i, l) in file.lines.iter().enumerate() {
        let Some(reference) = l.parent.as_deref() else { continue };
        let found = if looks_like_pcode(reference) {
            line_pcode.get(reference).copied().ok_or(Problem::UnknownPcode(reference.to_owned()))
        } else if let Some(&j) = line_slug.get(reference) {
            Ok(j)
        } else {
            let named: Vec<usize> = line_name
                .get(&fold(reference))
                .into_iter()
                .flatten()
                .copied()
                .filter(|&j| j != i)
                .collect();
            let fitting =
                |&j: &usize| fits(l.kind, file.lines[j].kind, file.lines[j].pcode.is_some());
            let mut candidates: Vec<usize> = named.iter().copied().filter(fitting).collect();
            if candidates.is_empty() {
                // Named, but of a kind it cannot belong to: said as such below.
                candidates.extend(named.first());
            }
            // The slug of a place already there that the file carries without its slug column.
            let slugged = by_slug.get(reference).and_then(|e| {
                file.lines.iter().position(|o| o.pcode.is_some() && o.pcode == e.pcode)
            });
            match (candidates.as_slice(), slugged) {
                ([j], _) => Ok(*j),
                ([], Some(j)) => Ok(j),
                ([], None) => Err(Problem::UnknownParent(reference.to_owned())),
                _ => Err(Problem::AmbiguousParent(reference.to_owned())),
            }
        };
        match found {
            Ok(j) => {
                let p = &file.lines[j];
                if !fits(l.kind, p.kind, p.pcode.is_some()) {
                    errors.push(LineError::new(
                        l.line,
                        Problem::ParentKind { kind: l.kind.as_str(), parent: p.kind.as_str() },
                    ));
                } else if let (Some(c), Some(pp)) = (&l.pcode, &p.pcode) {
                    if !c.starts_with(pp.as_str()) {
                        errors.push(LineError::new(
                            l.line,
                            Problem::PcodeOutside { pcode: c.clone(), parent: pp.clone() },
                        ));
                    }
                }
                parents[i] = Some(j);
            }
            Err(problem) => errors.push(LineError::new(l.line, problem)),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // Which place each line is, parents before children (lines name parents of any rank).
    let mut slugs: Vec<Option<String>> = vec![None; file.lines.len()];
    let mut matched: HashMap<i64, u64> = HashMap::new();
    let mut taken: std::collections::HashSet<String> =
        existing.iter().map(|e| e.slug.clone()).collect();
    let mut order: Vec<usize> = (0..file.lines.len()).collect();
    order.sort_by_key(|&i| depth(&parents, i));
    let mut found: Vec<Option<&Existing>> = vec![None; file.lines.len()];
    let by_name: HashMap<(PlaceKind, String, Option<&str>), &Existing> = existing
        .iter()
        .map(|e| {
            let parent = e.parent.and_then(|id| by_id.get(&id)).map(|p| p.slug.as_str());
            ((e.kind, fold(&e.name), parent), e)
        })
        .collect();
    for &i in &order {
        let l = &file.lines[i];
        let parent_slug = parents[i].and_then(|j| slugs[j].clone());
        let current = l
            .slug
            .as_deref()
            .and_then(|s| by_slug.get(s).copied())
            .or_else(|| l.pcode.as_deref().and_then(|p| by_pcode.get(p).copied()))
            .or_else(|| by_name.get(&(l.kind, fold(&l.name), parent_slug.as_deref())).copied());
        if let Some(e) = current {
            if let Some(first) = matched.insert(e.id, l.line) {
                errors.push(LineError::new(l.line, Problem::SameEntry { first_line: first }));
                continue;
            }
            if let (Some(p), Some(other)) =
                (&l.pcode, l.pcode.as_deref().and_then(|p| by_pcode.get(p)))
            {
                if other.id != e.id {
                    errors.push(LineError::new(
                        l.line,
                        Problem::PcodeTaken { pcode: p.clone(), by: other.name.clone() },
                    ));
                    continue;
                }
            }
            slugs[i] = Some(e.slug.clone());
            found[i] = Some(e);
        } else {
            if let Some(p) = l.pcode.as_deref().filter(|p| by_pcode.contains_key(p)) {
                errors.push(LineError::new(
                    l.line,
                    Problem::PcodeTaken { pcode: p.to_owned(), by: by_pcode[p].name.clone() },
                ));
                continue;
            }
            let base = l
                .slug
                .clone()
                .unwrap_or_else(|| format!("{}-{}", prefix(l.kind), slugify(&l.name)));
            let mut slug = base.clone();
            let mut n = 1;
            while taken.contains(&slug) {
                n += 1;
                slug = format!("{base}-{n}");
            }
            taken.insert(slug.clone());
            slugs[i] = Some(slug);
        }
    }
    // The same name twice under one parent.
    let mut seen: HashMap<(PlaceKind, String, Option<String>), u64> = HashMap::new();
    for (i, l) in file.lines.iter().enumerate() {
        if errors.iter().any(|e| e.line == l.line) {
            continue;
        }
        let key = (l.kind, fold(&l.name), parents[i].and_then(|j| slugs[j].clone()));
        if let Some(first) = seen.insert(key, l.line) {
            errors.push(LineError::new(
                l.line,
                Problem::Duplicate { what: "name", value: l.name.clone(), first_line: first },
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let has = |c: &str| file.columns.contains(&c);
    let mut plan = Plan::default();
    for (i, l) in file.lines.iter().enumerate() {
        let slug = slugs[i].clone().unwrap_or_default();
        let parent = parents[i].and_then(|j| slugs[j].clone());
        match found[i] {
            None => plan.added.push(Write {
                slug,
                kind: l.kind,
                name: l.name.clone(),
                parent,
                pcode: l.pcode.clone(),
                lat: l.position.map(|p| p.lat),
                lon: l.position.map(|p| p.lon),
                point: l.point,
            }),
            Some(e) => {
                let keep_position = !has("latitude");
                let write = Write {
                    slug,
                    kind: l.kind,
                    name: l.name.clone(),
                    parent,
                    pcode: if has("pcode") { l.pcode.clone() } else { e.pcode.clone() },
                    lat: if keep_position { e.lat } else { l.position.map(|p| p.lat) },
                    lon: if keep_position { e.lon } else { l.position.map(|p| p.lon) },
                    point: if has("point") { l.point } else { e.point },
                };
                let before_parent = e.parent.and_then(|id| by_id.get(&id)).map(|p| p.slug.clone());
                let mut fields = Vec::new();
                for (field, differs) in [
                    ("type", write.kind != e.kind),
                    ("nom", write.name != e.name),
                    ("rattachement", write.parent != before_parent),
                    ("pcode", write.pcode != e.pcode),
                    ("position", write.lat != e.lat || write.lon != e.lon),
                    ("point", write.point != e.point),
                ] {
                    if differs {
                        fields.push(field);
                    }
                }
                if fields.is_empty() && e.active {
                    plan.unchanged += 1;
                } else {
                    plan.changed.push((write, e.name.clone(), fields, !e.active));
                }
            }
        }
    }
    plan.closed = existing
        .iter()
        .filter(|e| e.active && !matched.contains_key(&e.id))
        .map(|e| (e.slug.clone(), e.name.clone(), e.kind))
        .collect();
    Ok(plan)
}

/// How many parents a line has in the file (a cycle counts as deep, and is caught by the kinds).
fn depth(parents: &[Option<usize>], mut i: usize) -> usize {
    let mut n = 0;
    while let Some(j) = parents[i] {
        n += 1;
        if n > 8 {
            break;
        }
        i = j;
    }
    n
}

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
