//! The polygons a position is looked up in: one per sous-préfecture (OCHA COD-AB, simplified by
//! `scripts/data/sous_prefectures.py`), and the areas of a département that are no sous-préfecture
//! (the urban communes of Abidjan, a national park). Read from D1 once per isolate.

use std::rc::Rc;

use super::geo::{Border, Position};

/// Vertices of one area, all rings together (a ring alone is a polygon; rings inside others are
/// holes: the even–odd rule counts them all).
const VERTICES: (usize, usize) = (3, 50_000);
const RINGS: usize = 64;

/// One polygon and the place it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    pub pcode: String,
    pub name: String,
    pub place_id: i64,
    /// (west, south, east, north)
    bbox: (f64, f64, f64, f64),
    rings: Vec<Vec<(f64, f64)>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AreaError;

/// «lon lat, lon lat, …» rings separated by «;» (line breaks allowed): every vertex in range, at
/// least three distinct ones per ring, a repeated closing vertex dropped.
pub fn parse_rings(text: &str) -> Result<Vec<Vec<(f64, f64)>>, AreaError> {
    let mut rings = Vec::new();
    let mut total = 0;
    for part in text.split(';') {
        let mut ring = Border::parse_vertices(part).ok_or(AreaError)?;
        if ring.len() > 1 && ring.first() == ring.last() {
            ring.pop();
        }
        let distinct = ring.iter().enumerate().filter(|(i, v)| !ring[..*i].contains(v)).count();
        total += ring.len();
        if distinct < 3 || total > VERTICES.1 || rings.len() >= RINGS {
            return Err(AreaError);
        }
        rings.push(ring);
    }
    Ok(rings)
}

impl Area {
    pub fn new(pcode: &str, name: &str, place_id: i64, ring: &str) -> Result<Area, AreaError> {
        let rings = parse_rings(ring)?;
        let mut bbox = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for &(x, y) in rings.iter().flatten() {
            bbox = (bbox.0.min(x), bbox.1.min(y), bbox.2.max(x), bbox.3.max(y));
        }
        Ok(Area { pcode: pcode.to_owned(), name: name.to_owned(), place_id, bbox, rings })
    }

    /// Whether `p` lies inside (even–odd over every ring, as the seed's generator tests it; a
    /// point exactly on an edge may go either way).
    pub fn contains(&self, p: Position) -> bool {
        let (w, s, e, n) = self.bbox;
        if p.lon < w || p.lon > e || p.lat < s || p.lat > n {
            return false;
        }
        let mut inside = false;
        for ring in &self.rings {
            let mut j = ring.len() - 1;
            for (i, &(xi, yi)) in ring.iter().enumerate() {
                let (xj, yj) = ring[j];
                if (yi > p.lat) != (yj > p.lat) && p.lon < (xj - xi) * (p.lat - yi) / (yj - yi) + xi
                {
                    inside = !inside;
                }
                j = i;
            }
        }
        inside
    }

    pub fn vertices(&self) -> usize {
        self.rings.iter().map(Vec::len).sum()
    }
}

/// Every area, looked up by bounding box first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Areas {
    list: Vec<Area>,
}

impl Areas {
    pub fn new(list: Vec<Area>) -> Areas {
        Areas { list }
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The area that contains `p` (the seeded areas do not overlap: the first found).
    pub fn containing(&self, p: Position) -> Option<&Area> {
        self.list.iter().find(|a| a.contains(p))
    }
}

/// What tells where a position is: Côte d'Ivoire's border and the polygons inside it, each read
/// once per isolate (none when not seeded: the bounding box and the distance rule then decide).
#[derive(Debug, Clone, Default)]
pub struct Territory {
    pub border: Option<Rc<Border>>,
    pub areas: Option<Rc<Areas>>,
}

impl Territory {
    pub fn area_at(&self, p: Position) -> Option<&Area> {
        self.areas.as_deref().and_then(|a| a.containing(p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rings_as_the_seed_stores_them() {
        let square = Area::new("CI010102", "Carré", 7, "0 0, 1 0,\n1 1, 0 1, 0 0").unwrap();
        assert_eq!(square.vertices(), 4, "the closing vertex is dropped");
        assert!(square.contains(Position { lat: 0.5, lon: 0.5 }));
        assert!(!square.contains(Position { lat: 1.5, lon: 0.5 }));
        assert!(!square.contains(Position { lat: 0.5, lon: -0.1 }), "outside the box");
        // Two rings: a square with a hole, and an island.
        let holed =
            Area::new("X", "X", 1, "0 0, 4 0, 4 4, 0 4; 1 1, 3 1, 3 3, 1 3; 10 10, 11 10, 11 11")
                .unwrap();
        assert!(holed.contains(Position { lat: 0.5, lon: 0.5 }));
        assert!(!holed.contains(Position { lat: 2.0, lon: 2.0 }), "in the hole");
        assert!(holed.contains(Position { lat: 10.2, lon: 10.5 }), "on the island");
        for bad in [
            "",
            ";",
            "0 0, 1 0",
            "0 0, 1 0, 0 0, 1 0",
            "0 0, 1 0, 1 1; 0 0",
            "0 0, 1 0, x 1",
            "0 0, 1 0, 1 1 1",
            "0 0, 1 0, 1 200",
            "0 0, 1 0, NaN 1",
        ] {
            assert_eq!(parse_rings(bad), Err(AreaError), "{bad:?}");
        }
    }

    #[test]
    fn areas_are_found_by_box_then_polygon() {
        let areas = Areas::new(vec![
            Area::new("A", "A", 1, "0 0, 2 0, 2 2, 0 2").unwrap(),
            // An L beside it: its box holds (1.5, 3.5) but the L does not.
            Area::new("B", "B", 2, "2 0, 4 0, 4 1, 3 1, 3 4, 2 4").unwrap(),
        ]);
        let at = |lon, lat| areas.containing(Position { lat, lon }).map(|a| a.pcode.as_str());
        assert_eq!(at(1.0, 1.0), Some("A"));
        assert_eq!(at(3.5, 0.5), Some("B"));
        assert_eq!(at(3.5, 3.5), None, "in B's box, outside the L");
        assert_eq!(at(-1.0, 1.0), None);
        assert_eq!(areas.len(), 2);
        let territory = Territory { border: None, areas: Some(Rc::new(areas)) };
        assert_eq!(territory.area_at(Position { lat: 1.0, lon: 1.0 }).map(|a| a.place_id), Some(1));
        assert!(Territory::default().area_at(Position { lat: 1.0, lon: 1.0 }).is_none());
    }
}
