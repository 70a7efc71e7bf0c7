//! What the submission form offers and keeps: the themes of a body, the places, the files
//! already staged. Plain values the store reads and the views show.

/// One theme of the list, as the form shows it.
#[derive(Debug, Clone)]
pub struct ThemeOption {
    pub id: i64,
    pub category: String,
    pub label: String,
}

/// A place of Côte d'Ivoire, as the directory keeps it (`gazetteer::Gazetteer` gives its parents).
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceOption {
    pub id: i64,
    pub name: String,
    pub kind: PlaceKind,
    pub parent: Option<i64>,
    /// The OCHA P-code (régions, the autonomous districts, départements, sous-préfectures).
    pub pcode: Option<String>,
    /// What a form groups it under: «région — département» for a commune or sous-préfecture, the
    /// parent's name for any other place (computed by the gazetteer).
    pub group: String,
    /// Decimal degrees, when the public source gives them.
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// Whether the coordinates are a seat or a centroid, when known.
    pub point: Option<super::gazetteer::Point>,
}

/// What a place is. The first three are chosen in forms; the others group them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlaceKind {
    Commune = 0,
    SousPrefecture = 1,
    /// A town or village (GeoNames): found by typing or by position, never listed whole in the
    /// form nor matched inside a free address.
    Locality = 2,
    District = 3,
    Region = 4,
    Departement = 5,
}

impl PlaceKind {
    pub const ALL: [PlaceKind; 6] = [
        PlaceKind::District,
        PlaceKind::Region,
        PlaceKind::Departement,
        PlaceKind::Commune,
        PlaceKind::SousPrefecture,
        PlaceKind::Locality,
    ];

    /// The `places.kind` column's value (and the API's `type`).
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::Commune => "commune",
            PlaceKind::SousPrefecture => "sous_prefecture",
            PlaceKind::Locality => "localite",
            PlaceKind::District => "district",
            PlaceKind::Region => "region",
            PlaceKind::Departement => "departement",
        }
    }

    pub fn parse(s: &str) -> Option<PlaceKind> {
        PlaceKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether a request can name it (districts, régions and départements only group places).
    pub fn is_choosable(self) -> bool {
        matches!(self, PlaceKind::Commune | PlaceKind::SousPrefecture | PlaceKind::Locality)
    }
}

/// The places whose name contains `q` (accents, case and punctuation aside), those that start with
/// it first, of one kind if given (else those one can choose), at most `limit`. An empty `q` keeps
/// them all.
pub fn find_places<'a>(
    places: &'a [PlaceOption],
    q: &str,
    kind: Option<PlaceKind>,
    limit: usize,
) -> Vec<&'a PlaceOption> {
    let q = super::text::fold(q.trim());
    let mut found: Vec<(bool, &PlaceOption)> = places
        .iter()
        .filter(|p| kind.map_or(p.kind.is_choosable(), |k| p.kind == k))
        .filter_map(|p| {
            if q.is_empty() { Some(0) } else { super::text::fold(&p.name).find(&q) }
                .map(|at| (at > 0, p))
        })
        .collect();
    // Stable: within each half, the order given (by region, then name).
    found.sort_by_key(|(inside, _)| *inside);
    found.into_iter().take(limit).map(|(_, p)| p).collect()
}

/// A file already uploaded with this form (kept across review and error pages).
#[derive(Debug, Clone)]
pub struct StagedFile {
    pub id: i64,
    pub name: String,
    pub size: i64,
    /// A voice note: the written message becomes optional.
    pub audio: bool,
}

impl StagedFile {
    pub fn size_label(&self) -> String {
        size_label(self.size)
    }
}

/// A size as the forms print it: «1,5 Mo», «12 Ko».
pub fn size_label(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        // Tenths of a megabyte, rounded half up, in integers (no float formatting in the worker).
        let tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024);
        format!("{},{} Mo", tenths / 10, tenths % 10)
    } else {
        format!("{} Ko", (bytes + 1023) / 1024)
    }
}

#[cfg(test)]
#[test]
fn size_labels() {
    assert_eq!(size_label(1), "1 Ko");
    assert_eq!(size_label(1024 * 1024), "1,0 Mo");
    assert_eq!(size_label(1024 * 1024 * 3 / 2), "1,5 Mo");
    assert_eq!(size_label(20 * 1024 * 1024 - 1), "20,0 Mo");
    assert_eq!(size_label(1024 * 1024 + 104_857), "1,1 Mo");
}

use super::deadline::{DayCount, Deadline, Holidays};

/// What a submission's ids are checked against: the active bodies (with their names), the
/// active themes (with their body, or none for the general list), the places one can choose, and
/// the channels citizens are notified by. Read from D1 as a whole and kept between requests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RefIndex {
    pub bodies: Vec<(i64, String)>,
    /// (theme id, body id; `None` for the general list used by bodies without their own).
    pub themes: Vec<(i64, Option<i64>)>,
    pub places: Vec<i64>,
    pub channels: Vec<&'static str>,
    /// Each active body's triage deadline: (body id, days, how they are counted).
    pub triage: Vec<(i64, i64, DayCount)>,
    /// Public holidays from yesterday on (`YYYY-MM-DD`).
    pub holidays: Vec<String>,
}

/// Whether a submission's references exist and fit together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefCheck {
    pub body: bool,
    pub theme: bool,
    pub place: bool,
}

impl RefIndex {
    /// When the analyst's step of a new request to this body is due.
    pub fn triage_deadline(&self, body_id: i64, now: i64) -> Option<Deadline> {
        let (_, days, count) = self.triage.iter().find(|(b, _, _)| *b == body_id)?;
        Some(Deadline::from(
            now,
            *days,
            *count,
            &Holidays::from_days(self.holidays.iter().map(String::as_str)),
        ))
    }

    pub fn body_name(&self, id: i64) -> Option<&str> {
        self.bodies.iter().find(|(b, _)| *b == id).map(|(_, name)| name.as_str())
    }

    /// The body must be active; a theme must be the body's own, or a general one when the body
    /// has none of its own; a place must be a commune or sous-préfecture still offered.
    pub fn check(&self, body_id: i64, theme_id: Option<i64>, place_id: Option<i64>) -> RefCheck {
        let own_themes = self.themes.iter().any(|(_, b)| *b == Some(body_id));
        let theme = theme_id.is_none_or(|id| {
            self.themes.iter().any(|(t, b)| {
                *t == id && if own_themes { *b == Some(body_id) } else { b.is_none() }
            })
        });
        RefCheck {
            body: self.body_name(body_id).is_some(),
            theme,
            place: place_id.is_none_or(|id| self.places.contains(&id)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(id: i64, name: &str, kind: PlaceKind) -> PlaceOption {
        crate::domain::gazetteer::tests::place(id, kind, name, None)
    }

    #[test]
    fn places_are_found_by_part_of_their_name_those_that_start_with_it_first() {
        let places = [
            place(1, "Man", PlaceKind::Commune),
            place(2, "Zyogouiné", PlaceKind::Locality),
            place(3, "Bangolo", PlaceKind::Commune),
            place(4, "Gouiné", PlaceKind::Locality),
            place(5, "Gouessesso", PlaceKind::Locality),
        ];
        let ids = |found: Vec<&PlaceOption>| found.iter().map(|p| p.id).collect::<Vec<_>>();
        assert_eq!(ids(find_places(&places, " GOUINE ", None, 10)), [4, 2]);
        assert_eq!(ids(find_places(&places, "gou", Some(PlaceKind::Locality), 10)), [4, 5, 2]);
        assert_eq!(ids(find_places(&places, "gou", None, 2)), [4, 5]);
        assert_eq!(ids(find_places(&places, "", Some(PlaceKind::Commune), 10)), [1, 3]);
        assert!(find_places(&places, "abidjan", None, 10).is_empty());
        // Départements and the like only when asked for.
        let mut with_dept = places.to_vec();
        with_dept.push(place(6, "Gouiné-Ouest", PlaceKind::Departement));
        assert_eq!(ids(find_places(&with_dept, "gouine", None, 10)), [4, 2]);
        assert_eq!(ids(find_places(&with_dept, "gouine", Some(PlaceKind::Departement), 10)), [6]);
    }

    #[test]
    fn place_kinds_read_back_what_they_write() {
        for kind in PlaceKind::ALL {
            assert_eq!(PlaceKind::parse(kind.as_str()), Some(kind));
        }
        // Districts, régions and départements group places; they are never chosen.
        let chosen: Vec<_> = PlaceKind::ALL.into_iter().filter(|k| k.is_choosable()).collect();
        assert_eq!(chosen, [PlaceKind::Commune, PlaceKind::SousPrefecture, PlaceKind::Locality]);
        assert_eq!(PlaceKind::parse("Localite"), None);
        assert_eq!(PlaceKind::parse("sous-prefecture"), None);
    }

    fn index() -> RefIndex {
        RefIndex {
            bodies: vec![(1, "Ministère A".into()), (2, "Ministère B".into())],
            themes: vec![(10, None), (11, None), (20, Some(2))],
            places: vec![100, 101],
            channels: vec!["email", "sms"],
            triage: vec![(1, 15, DayCount::Calendar)],
            holidays: Vec::new(),
        }
    }

    #[test]
    fn references_fit_the_body_and_its_themes() {
        let i = index();
        assert_eq!(
            i.check(1, Some(10), Some(100)),
            RefCheck { body: true, theme: true, place: true }
        );
        assert_eq!(i.check(1, None, None), RefCheck { body: true, theme: true, place: true });
        // Body 2 has its own list: the general themes are not its, its own are.
        assert!(!i.check(2, Some(10), None).theme);
        assert!(i.check(2, Some(20), None).theme);
        assert!(!i.check(1, Some(20), None).theme, "another body's theme");
        assert!(!i.check(3, None, None).body, "unknown or inactive body");
        assert!(!i.check(1, None, Some(999)).place);
        assert_eq!(i.body_name(2), Some("Ministère B"));
        let day = 24 * 3600 * 1000;
        assert_eq!(i.triage_deadline(1, 0).map(|d| d.due_at), Some(15 * day));
        assert_eq!(i.triage_deadline(2, 0), None);
    }
}
