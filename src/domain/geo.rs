//! Positions: the place nearest to a point, for Open311's `lat`/`long` and the form's «Utiliser ma
//! position». A point outside Côte d'Ivoire's border is abroad, never matched to a border village.

use super::area::Territory;
use super::directory::{PlaceKind, PlaceOption};
use super::gazetteer::Gazetteer;

/// A position in decimal degrees (WGS 84), both finite and in range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Position {
    pub lat: f64,
    pub lon: f64,
}

impl Position {
    /// `lat` and `long` as clients send them («5.3599», « -4.0083 »); none when either is blank.
    pub fn parse(lat: &str, lon: &str) -> Result<Option<Position>, PositionError> {
        let (lat, lon) = (lat.trim(), lon.trim());
        if lat.is_empty() && lon.is_empty() {
            return Ok(None);
        }
        let number = |s: &str| s.parse::<f64>().ok().filter(|v| v.is_finite() && s.len() <= 32);
        match (number(lat), number(lon)) {
            (Some(lat), Some(lon))
                if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) =>
            {
                Ok(Some(Position { lat, lon }))
            }
            _ => Err(PositionError),
        }
    }

    /// Great-circle distance in kilometres.
    pub fn km_to(&self, other: Position) -> f64 {
        let (la1, la2) = (self.lat.to_radians(), other.lat.to_radians());
        let (dla, dlo) = ((other.lat - self.lat).to_radians(), (other.lon - self.lon).to_radians());
        let h = (dla / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlo / 2.0).sin().powi(2);
        12_742.0 * h.sqrt().min(1.0).asin()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PositionError;

/// Côte d'Ivoire's extent (its bounding box, with a little margin for the coast).
const LAT: (f64, f64) = (4.3, 10.8);
const LON: (f64, f64) = (-8.7, -2.4);
/// No place further than this is «the nearest». Without a border to test against, it is what tells
/// a point in a neighbouring country (the bounding box holds parts of Ghana, Guinea, Liberia, Mali
/// and Burkina Faso) — roughly: near the border it would still pick a village across it.
pub const MAX_KM: f64 = 60.0;
/// Bounds of the ring's size: a border is a ring, and the seeded one has a few thousand vertices.
const RING: (usize, usize) = (4, 100_000);

/// Côte d'Ivoire's border: one closed ring of vertices (land border and territorial sea), as the
/// seed stores it («lon lat» pairs separated by commas, as in WKT).
#[derive(Debug, Clone, PartialEq)]
pub struct Border {
    /// (lon, lat) vertices; the last joins the first.
    ring: Vec<(f64, f64)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BorderError;

impl Border {
    /// «lon lat, lon lat, …» (line breaks allowed); every vertex in range, at least four of them,
    /// a repeated closing vertex dropped.
    pub fn parse(text: &str) -> Result<Border, BorderError> {
        let mut ring = Border::parse_vertices(text).ok_or(BorderError)?;
        if ring.len() > 1 && ring.first() == ring.last() {
            ring.pop();
        }
        if !(RING.0..=RING.1).contains(&ring.len()) {
            return Err(BorderError);
        }
        Ok(Border { ring })
    }

    /// «lon lat, lon lat, …» as (lon, lat) pairs, every one in range; none if any is not.
    pub fn parse_vertices(text: &str) -> Option<Vec<(f64, f64)>> {
        let vertex = |pair: &str| {
            let mut numbers =
                pair.split_whitespace().map(|n| n.parse::<f64>().ok().filter(|v| v.is_finite()));
            match (numbers.next().flatten(), numbers.next().flatten(), numbers.next()) {
                (Some(lon), Some(lat), None)
                    if (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat) =>
                {
                    Some((lon, lat))
                }
                _ => None,
            }
        };
        text.split(',').map(vertex).collect()
    }

    /// Whether `p` lies inside the ring (even–odd rule; a point exactly on an edge may go either
    /// way, which at the seeded ring's precision is a matter of metres).
    pub fn contains(&self, p: Position) -> bool {
        let mut inside = false;
        let mut j = self.ring.len() - 1;
        for (i, &(xi, yi)) in self.ring.iter().enumerate() {
            let (xj, yj) = self.ring[j];
            if (yi > p.lat) != (yj > p.lat) && p.lon < (xj - xi) * (p.lat - yi) / (yj - yi) + xi {
                inside = !inside;
            }
            j = i;
        }
        inside
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Located<'a> {
    Place(&'a PlaceOption, f64),
    /// Outside Côte d'Ivoire: the form offers «À l'étranger», Open311 keeps no place.
    Abroad,
}

/// Where `p` is: abroad outside the border (or, without one, outside the bounding box); inside
/// a sous-préfecture's polygon, the nearest town or village inside that polygon (else the
/// sous-préfecture itself); inside the urban communes of Abidjan, the nearest commune; elsewhere (between polygons, or none seeded) the nearest place with
/// coordinates, abroad when none is within `MAX_KM`.
pub fn nearest<'a>(places: &'a Gazetteer, territory: &Territory, p: Position) -> Located<'a> {
    if !(LAT.0..=LAT.1).contains(&p.lat)
        || !(LON.0..=LON.1).contains(&p.lon)
        || territory.border.as_deref().is_some_and(|b| !b.contains(p))
    {
        return Located::Abroad;
    }
    let closest = |candidates: &mut dyn Iterator<Item = (&'a PlaceOption, Position)>| {
        candidates.map(|(c, at)| (c, p.km_to(at))).min_by(|a, b| a.1.total_cmp(&b.1))
    };
    let positioned = |c: &'a PlaceOption| Some((c, Position { lat: c.lat?, lon: c.lon? }));
    if let Some(area) = territory.area_at(p) {
        // In the urban communes of Abidjan (an area of its département), the communes are the
        // places: not a village or a city-wide point among them.
        let own = places.by_id(area.place_id);
        let villages = own.is_none_or(|q| q.kind == PlaceKind::SousPrefecture);
        let mut inside = places
            .iter()
            .filter(|c| c.kind == PlaceKind::Commune || (villages && c.kind == PlaceKind::Locality))
            .filter_map(positioned)
            .filter(|(_, at)| area.contains(*at));
        if let Some((place, km)) = closest(&mut inside) {
            return Located::Place(place, km);
        }
        if let Some((place, at)) = own.filter(|q| q.kind.is_choosable()).and_then(positioned) {
            return Located::Place(place, p.km_to(at));
        }
    }
    closest(&mut places.iter().filter_map(positioned))
        .filter(|(_, km)| *km <= MAX_KM)
        .map_or(Located::Abroad, |(place, km)| Located::Place(place, km))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::directory::PlaceKind;

    fn place(id: i64, name: &str, lat: f64, lon: f64) -> PlaceOption {
        let mut p = crate::domain::gazetteer::tests::place(id, PlaceKind::Commune, name, None);
        (p.lat, p.lon) = (Some(lat), Some(lon));
        p
    }

    fn places() -> Gazetteer {
        Gazetteer::new(vec![
            place(1, "Abobo", 5.41613, -4.0159),
            place(2, "Bouaké", 7.69385, -5.03031),
            place(3, "Korhogo", 9.45803, -5.62961),
            crate::domain::gazetteer::tests::place(4, PlaceKind::Commune, "Sans position", None),
        ])
    }

    fn plain() -> Territory {
        Territory::default()
    }

    fn bordered(border: Border) -> Territory {
        Territory { border: Some(std::rc::Rc::new(border)), areas: None }
    }

    #[test]
    fn positions_as_clients_send_them() {
        assert_eq!(
            Position::parse(" 5.3599 ", "-4.0083"),
            Ok(Some(Position { lat: 5.3599, lon: -4.0083 }))
        );
        assert_eq!(Position::parse("", " "), Ok(None));
        for (lat, lon) in [
            ("5.3", ""),
            ("", "-4"),
            ("91", "0"),
            ("0", "181"),
            ("NaN", "1"),
            ("inf", "1"),
            ("5,3", "-4"),
            ("x", "y"),
        ] {
            assert_eq!(Position::parse(lat, lon), Err(PositionError), "{lat} {lon}");
        }
    }

    #[test]
    fn distances_are_great_circle_kilometres() {
        let abobo = Position { lat: 5.41613, lon: -4.0159 };
        let bouake = Position { lat: 7.69385, lon: -5.03031 };
        let km = abobo.km_to(bouake);
        assert!((270.0..285.0).contains(&km), "{km}");
        assert_eq!(abobo.km_to(abobo), 0.0);
    }

    #[test]
    fn the_nearest_place_with_coordinates() {
        let list = places();
        match nearest(&list, &plain(), Position { lat: 7.7, lon: -5.0 }) {
            Located::Place(p, km) => assert_eq!((p.id, km < 5.0), (2, true)),
            other => panic!("{other:?}"),
        }
        match nearest(&list, &plain(), Position { lat: 5.36, lon: -4.0 }) {
            Located::Place(p, _) => assert_eq!(p.name, "Abobo"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn outside_cote_d_ivoire_is_abroad_never_a_border_commune() {
        let list = places();
        assert_eq!(
            nearest(&list, &plain(), Position { lat: 48.85, lon: 2.35 }),
            Located::Abroad,
            "Paris"
        );
        assert_eq!(
            nearest(&list, &plain(), Position { lat: 5.6037, lon: -0.187 }),
            Located::Abroad,
            "Accra"
        );
        // Inside the box but far from every place (here: Ghana, east of Bouna): abroad too.
        assert_eq!(nearest(&list, &plain(), Position { lat: 9.0, lon: -2.5 }), Located::Abroad);
        assert_eq!(
            nearest(&Gazetteer::default(), &plain(), Position { lat: 7.7, lon: -5.0 }),
            Located::Abroad
        );
    }

    #[test]
    fn inside_a_polygon_the_nearest_town_inside_it_never_one_across_the_line() {
        use crate::domain::area::{Area, Areas};
        use crate::domain::gazetteer::tests::place as bare;
        let at = |mut p: PlaceOption, lat: f64, lon: f64| {
            (p.lat, p.lon) = (Some(lat), Some(lon));
            p
        };
        // Two sous-préfectures side by side (west: −6…−5, east: −5…−4, 6…7 N), a third north
        // of them without a village, and a village of each: the east's just across the line.
        let g = Gazetteer::new(vec![
            at(bare(1, PlaceKind::SousPrefecture, "Ouest", None), 6.5, -5.5),
            at(bare(2, PlaceKind::Locality, "Village Ouest", Some(1)), 6.5, -5.8),
            at(bare(3, PlaceKind::Locality, "Village Est", Some(4)), 6.5, -4.95),
            at(bare(4, PlaceKind::SousPrefecture, "Est", None), 6.5, -4.5),
            at(bare(5, PlaceKind::SousPrefecture, "Nord", None), 7.5, -5.0),
        ]);
        let area = |code: &str, id: i64, ring: &str| Area::new(code, code, id, ring).unwrap();
        let territory = Territory {
            border: None,
            areas: Some(std::rc::Rc::new(Areas::new(vec![
                area("W", 1, "-6 6, -5 6, -5 7, -6 7"),
                area("E", 4, "-5 6, -4 6, -4 7, -5 7"),
                area("N", 5, "-6 7, -4 7, -4 8, -6 8"),
            ]))),
        };
        let name = |lat, lon| match nearest(&g, &territory, Position { lat, lon }) {
            Located::Place(p, _) => p.name.clone(),
            Located::Abroad => "abroad".into(),
        };
        assert_eq!(name(6.5, -5.05), "Village Ouest", "Village Est is nearer, across the line");
        assert_eq!(name(6.5, -4.9), "Village Est");
        assert_eq!(name(7.6, -5.1), "Nord", "no village inside: the sous-préfecture itself");
        // Outside every polygon: the distance rule, as before.
        assert_eq!(name(5.99, -4.95), "Village Est");
        assert_eq!(territory.area_at(Position { lat: 6.5, lon: -5.05 }).unwrap().pcode, "W");
    }

    /// The ring of schema/seed/08_border.sql, as the worker reads it from D1.
    fn seeded_border() -> Border {
        let sql = include_str!("../../schema/seed/08_border.sql");
        let values = &sql[sql.find("VALUES (1, '").expect("an INSERT") + "VALUES (1, '".len()..];
        let ring = values.split('\'').nth(2).expect("source, then ring");
        Border::parse(ring).expect("the seeded border parses")
    }

    /// Every seeded place with coordinates: (slug, lat, lon) from the two seeds that hold them.
    fn seeded_positions() -> Vec<(String, f64, f64)> {
        let rows = |sql: &'static str, kind: &'static str| {
            sql.lines().filter(move |l| l.trim_start().starts_with(kind)).map(|l| {
                let row =
                    l.trim().trim_end_matches(',').trim_start_matches('(').trim_end_matches(')');
                let fields: Vec<&str> = row.split(", ").collect();
                (fields[0].trim_matches('\'').to_owned(), fields)
            })
        };
        let number = |s: &str| s.parse::<f64>().expect("a coordinate");
        let communes =
            rows(include_str!("../../schema/seed/06_place_coordinates.sql"), "('commune-")
                .map(|(slug, f)| (slug, number(f[1]), number(f[2])));
        let localities = rows(include_str!("../../schema/seed/07_localities.sql"), "('localite-")
            .map(|(slug, f)| {
                let n = f.len();
                (slug, number(f[n - 2]), number(f[n - 1]))
            });
        communes.chain(localities).collect()
    }

    #[test]
    fn borders_as_the_seed_stores_them() {
        let square = Border::parse("0 0, 1 0,\n1 1, 0 1, 0 0").unwrap();
        assert_eq!(square.ring.len(), 4, "the closing vertex is dropped");
        assert!(square.contains(Position { lat: 0.5, lon: 0.5 }));
        assert!(!square.contains(Position { lat: 1.5, lon: 0.5 }));
        for bad in [
            "",
            "0 0, 1 0, 1 1",
            "0 0, 1 0, 1 1, x 1",
            "0 0, 1 0, 1 1, 0",
            "0 0, 1 0, 1 1, 0 1 2",
            "0 0, 1 0, 1 1, 200 1",
            "0 0, 1 0, 1 1, 0 NaN",
            "0 0,, 1 1, 0 1",
        ] {
            assert_eq!(Border::parse(bad), Err(BorderError), "{bad:?}");
        }
        // A concave ring (a «C» opening east): its mouth is outside.
        let c = Border::parse("0 0, 3 0, 3 1, 1 1, 1 2, 3 2, 3 3, 0 3").unwrap();
        assert!(
            c.contains(Position { lat: 0.5, lon: 2.0 })
                && c.contains(Position { lat: 1.5, lon: 0.5 })
        );
        assert!(!c.contains(Position { lat: 1.5, lon: 2.0 }));
    }

    #[test]
    fn near_the_border_abroad_is_abroad_and_the_country_is_the_country() {
        let border = seeded_border();
        let list = places();
        // Each a kilometre or more from the border (the seed is simplified to about 220 m).
        for (name, lat, lon) in [
            ("Elubo, Ghana", 5.2833, -2.7667),
            ("Harper, Liberia", 4.375, -7.717),
            ("Zwedru, Liberia", 6.0667, -8.1281),
            ("Niangoloko, Burkina Faso", 10.2794, -4.922),
            ("Bole, Ghana", 9.0312, -2.4855),
        ] {
            let p = Position { lat, lon };
            assert!(!border.contains(p), "{name}");
            assert_eq!(nearest(&list, &bordered(border.clone()), p), Located::Abroad, "{name}");
        }
        for (name, lat, lon) in [
            ("Noé", 5.2667, -2.8),
            ("Tiapoum", 5.1397, -3.0211),
            ("Danané", 7.2596, -8.155),
            ("Ouangolodougou", 9.9681, -5.1511),
            ("Bouna", 9.2695, -3.0009),
            ("Abobo", 5.41613, -4.0159),
        ] {
            assert!(border.contains(Position { lat, lon }), "{name}");
        }
        // Without the border, the old rule would have put Elubo (Ghana) in an Ivorian village.
        let noe = Gazetteer::new(vec![place(9, "Noé", 5.2667, -2.8)]);
        assert!(matches!(
            nearest(&noe, &plain(), Position { lat: 5.2833, lon: -2.7667 }),
            Located::Place(..)
        ));
        assert_eq!(
            nearest(&noe, &bordered(border), Position { lat: 5.2833, lon: -2.7667 }),
            Located::Abroad
        );
    }

    #[test]
    fn every_seeded_place_lies_inside_the_seeded_border_but_one() {
        let border = seeded_border();
        let places = seeded_positions();
        assert!(places.len() > 5_000, "{}", places.len());
        let outside: Vec<&str> = places
            .iter()
            .filter(|(_, lat, lon)| !border.contains(Position { lat: *lat, lon: *lon }))
            .map(|(slug, ..)| slug.as_str())
            .collect();
        // A village GeoNames puts half a kilometre past the border OpenStreetMap draws (named in the seed).
        assert_eq!(outside, ["localite-2597372"]);
    }
}
