//! Positions: the place nearest to a point, for Open311's `lat`/`long` and the form's «Utiliser ma
//! position». A point outside Côte d'Ivoire is abroad, never matched to a border commune.

use super::directory::PlaceOption;

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
            (Some(lat), Some(lon)) if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) => Ok(Some(Position { lat, lon })),
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
/// No place further than this is «the nearest»: a point that far from every listed place is in a
/// neighbouring country (the bounding box holds parts of Ghana, Guinea, Liberia, Mali, Burkina Faso).
pub const MAX_KM: f64 = 60.0;

#[derive(Debug, Clone, PartialEq)]
pub enum Located<'a> {
    Place(&'a PlaceOption, f64),
    /// Outside Côte d'Ivoire: the form offers «À l'étranger», Open311 keeps no place.
    Abroad,
}

/// The listed place nearest to `p` (only places with coordinates count).
pub fn nearest(places: &[PlaceOption], p: Position) -> Located<'_> {
    if !(LAT.0..=LAT.1).contains(&p.lat) || !(LON.0..=LON.1).contains(&p.lon) {
        return Located::Abroad;
    }
    places
        .iter()
        .filter_map(|place| Some((place, p.km_to(Position { lat: place.lat?, lon: place.lon? }))))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .filter(|(_, km)| *km <= MAX_KM)
        .map_or(Located::Abroad, |(place, km)| Located::Place(place, km))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::directory::PlaceKind;

    fn place(id: i64, name: &str, lat: f64, lon: f64) -> PlaceOption {
        PlaceOption { id, name: name.into(), group: String::new(), district: None, lat: Some(lat), lon: Some(lon), kind: PlaceKind::Commune }
    }

    fn places() -> Vec<PlaceOption> {
        vec![
            place(1, "Abobo", 5.41613, -4.0159),
            place(2, "Bouaké", 7.69385, -5.03031),
            place(3, "Korhogo", 9.45803, -5.62961),
            PlaceOption { id: 4, name: "Sans position".into(), group: String::new(), district: None, lat: None, lon: None, kind: PlaceKind::Commune },
        ]
    }

    #[test]
    fn positions_as_clients_send_them() {
        assert_eq!(Position::parse(" 5.3599 ", "-4.0083"), Ok(Some(Position { lat: 5.3599, lon: -4.0083 })));
        assert_eq!(Position::parse("", " "), Ok(None));
        for (lat, lon) in [("5.3", ""), ("", "-4"), ("91", "0"), ("0", "181"), ("NaN", "1"), ("inf", "1"), ("5,3", "-4"), ("x", "y")] {
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
        match nearest(&list, Position { lat: 7.7, lon: -5.0 }) {
            Located::Place(p, km) => assert_eq!((p.id, km < 5.0), (2, true)),
            other => panic!("{other:?}"),
        }
        match nearest(&list, Position { lat: 5.36, lon: -4.0 }) {
            Located::Place(p, _) => assert_eq!(p.name, "Abobo"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn outside_cote_d_ivoire_is_abroad_never_a_border_commune() {
        let list = places();
        assert_eq!(nearest(&list, Position { lat: 48.85, lon: 2.35 }), Located::Abroad, "Paris");
        assert_eq!(nearest(&list, Position { lat: 5.6037, lon: -0.187 }), Located::Abroad, "Accra");
        // Inside the box but far from every place (here: Ghana, east of Bouna): abroad too.
        assert_eq!(nearest(&list, Position { lat: 9.0, lon: -2.5 }), Located::Abroad);
        assert_eq!(nearest(&[], Position { lat: 7.7, lon: -5.0 }), Located::Abroad);
    }
}
