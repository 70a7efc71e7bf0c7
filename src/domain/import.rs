//! CSV imports by admins: the full list of bodies with their contacts, and places.
//! Every line is checked; a file with any bad line is refused whole, with the lines named.

use super::body::{parse_phones, slugify, BodyPhone};
use super::email::Email;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyLine {
    pub slug: String,
    pub name: String,
    pub phones: Vec<BodyPhone>,
    pub location: String,
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlaceLine {
    pub slug: String,
    pub kind: &'static str,
    pub name: String,
    /// The slug of the region or district it belongs to.
    pub parent: Option<String>,
    /// Where it is, when the file says (optional `latitude`, `longitude` columns).
    pub position: Option<super::geo::Position>,
}

/// A problem on one line (1 = the header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: u64,
    pub message: String,
}

const MAX_LINES: usize = 5_000;

fn reader(data: &str) -> csv::Reader<&[u8]> {
    // Excel in French exports with «;»; take whichever the header uses.
    let header = data.lines().next().unwrap_or("");
    let delimiter =
        if header.matches(';').count() > header.matches(',').count() { b';' } else { b',' };
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(data.trim_start_matches('\u{feff}').as_bytes())
}

/// A cell as text for pages: trimmed, without control or invisible formatting characters.
fn clean_cell(cell: &str) -> String {
    cell.chars()
        .filter(|c| !c.is_control() && !super::text::is_invisible_format(*c))
        .collect::<String>()
        .trim()
        .to_owned()
}

fn column(headers: &csv::StringRecord, names: &[&str]) -> Option<usize> {
    headers.iter().position(|h| names.iter().any(|n| super::text::fold(h) == *n))
}

/// `nom;telephones;localisation;email` (email optional; phones separated by «/»).
pub fn bodies(data: &str) -> Result<Vec<BodyLine>, Vec<LineError>> {
    let mut rdr = reader(data);
    let headers =
        rdr.headers().map_err(|e| vec![LineError { line: 1, message: e.to_string() }])?.clone();
    let (Some(name_col), Some(phones_col), Some(location_col)) = (
        column(&headers, &["nom", "name", "organisme"]),
        column(&headers, &["telephones", "telephone", "phones", "contacts"]),
        column(&headers, &["localisation", "location", "adresse"]),
    ) else {
        return Err(vec![LineError {
            line: 1,
            message: "colonnes attendues : nom, telephones, localisation (et email)".into(),
        }]);
    };
    let email_col = column(&headers, &["email", "courriel"]);
    let mut lines = Vec::new();
    let mut errors = Vec::new();
    for (i, record) in rdr.records().enumerate() {
        let line = i as u64 + 2;
        if i >= MAX_LINES {
            errors.push(LineError { line, message: format!("au plus {MAX_LINES} lignes") });
            break;
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(LineError { line, message: e.to_string() });
                continue;
            }
        };
        let get = |c: usize| clean_cell(record.get(c).unwrap_or(""));
        let name = get(name_col);
        // The name gives the body its key (slug): it needs at least one letter or digit.
        if slugify(&name).is_empty() || name.chars().count() > 200 {
            errors.push(LineError {
                line,
                message: "nom manquant, sans lettre ni chiffre, ou trop long".into(),
            });
            continue;
        }
        let phones = match parse_phones(&get(phones_col)) {
            Ok(p) => p,
            Err(bad) => {
                errors.push(LineError { line, message: format!("numéro illisible : {bad}") });
                continue;
            }
        };
        let email = match email_col.map(get).filter(|e| !e.is_empty()) {
            Some(e) => match Email::parse(&e) {
                Ok(e) => Some(e.as_str().to_owned()),
                Err(_) => {
                    errors.push(LineError {
                        line,
                        message: format!("adresse électronique invalide : {e}"),
                    });
                    continue;
                }
            },
            None => None,
        };
        lines.push(BodyLine {
            slug: slugify(&name),
            name,
            phones,
            location: get(location_col),
            email,
        });
    }
    if errors.is_empty() {
        Ok(lines)
    } else {
        Err(errors)
    }
}

/// `type;nom;rattachement[;latitude;longitude]` where type is district, region, commune,
/// sous_prefecture or localite (a town or village), rattachement names the region (or district) a place belongs to, and the
/// coordinates (decimal degrees, «5.36» or «5,36») are optional — both or neither.
pub fn places(data: &str) -> Result<Vec<PlaceLine>, Vec<LineError>> {
    let mut rdr = reader(data);
    let headers =
        rdr.headers().map_err(|e| vec![LineError { line: 1, message: e.to_string() }])?.clone();
    let (Some(kind_col), Some(name_col)) =
        (column(&headers, &["type", "kind"]), column(&headers, &["nom", "name"]))
    else {
        return Err(vec![LineError {
            line: 1,
            message: "colonnes attendues : type, nom, rattachement".into(),
        }]);
    };
    let parent_col = column(&headers, &["rattachement", "parent", "region"]);
    let (lat_col, lon_col) =
        (column(&headers, &["latitude", "lat"]), column(&headers, &["longitude", "lon", "long"]));
    let mut lines = Vec::new();
    let mut errors = Vec::new();
    for (i, record) in rdr.records().enumerate() {
        let line = i as u64 + 2;
        let Ok(record) = record else {
            errors.push(LineError { line, message: "ligne illisible".into() });
            continue;
        };
        let get = |c: usize| clean_cell(record.get(c).unwrap_or(""));
        let kind = match super::text::fold(&get(kind_col)).replace(['-', ' '], "_").as_str() {
            "district" => "district",
            "region" => "region",
            "commune" => "commune",
            "sous_prefecture" | "s/prefecture" => "sous_prefecture",
            "localite" => "localite",
            other => {
                errors.push(LineError { line, message: format!("type inconnu : {other}") });
                continue;
            }
        };
        let name = get(name_col);
        if slugify(&name).is_empty() || name.chars().count() > 120 {
            errors.push(LineError {
                line,
                message: "nom manquant, sans lettre ni chiffre, ou trop long".into(),
            });
            continue;
        }
        let parent = parent_col.map(get).filter(|p| !slugify(p).is_empty());
        if kind != "district" && parent.is_none() {
            errors.push(LineError { line, message: "rattachement manquant".into() });
            continue;
        }
        let prefix = match kind {
            "district" => "district",
            "region" => "region",
            "localite" => "localite",
            _ => "commune",
        };
        let parent_slug = parent.map(|p| {
            // The parent is named; regions and districts are keyed as in the seed.
            let s = slugify(&p);
            let district = s
                .strip_prefix("district-autonome-d-")
                .or_else(|| s.strip_prefix("district-autonome-de-"))
                .or_else(|| s.strip_prefix("district-"));
            match district {
                Some(d) => format!("district-{d}"),
                None if kind == "region" => format!("district-{s}"),
                None => format!("region-{s}"),
            }
        });
        let decimal = |c: Option<usize>| c.map(|c| get(c).replace(',', ".")).unwrap_or_default();
        let position = match super::geo::Position::parse(&decimal(lat_col), &decimal(lon_col)) {
            Ok(p) => p,
            Err(_) => {
                errors.push(LineError { line, message: "coordonnées illisibles : latitude et longitude en degrés décimaux, les deux ou aucune".into() });
                continue;
            }
        };
        lines.push(PlaceLine {
            slug: format!("{prefix}-{}", slugify(&name)),
            kind,
            name,
            parent: parent_slug,
            position,
        });
    }
    if errors.is_empty() {
        Ok(lines)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_without_a_letter_or_digit_are_refused_and_cells_are_cleaned() {
        // Found by the fuzzer: such names all had the empty slug and overwrote each other.
        let errors =
            bodies("nom;telephones;localisation\n  ;20210534;Plateau\n\u{1F600};;\n\"...\";;\n")
                .unwrap_err();
        assert_eq!(errors.iter().map(|e| e.line).collect::<Vec<_>>(), vec![2, 3, 4]);
        let lines = bodies(
            "nom;telephones;localisation\nMinistère\u{202E} des Mines\u{0007};;Plateau\u{200B}\n",
        )
        .unwrap();
        assert_eq!(
            (lines[0].name.as_str(), lines[0].location.as_str()),
            ("Ministère des Mines", "Plateau")
        );
        assert!(places("type;nom;rattachement\ncommune;!!;Abidjan\n").is_err());
    }

    #[test]
    fn bodies_with_semicolons_and_a_bom() {
        let data = "\u{feff}Nom;Téléphones;Localisation;Email\nMinistère de la Santé;20 21 08 71 / 20210871;Plateau, Tour C;contact@sante.gouv.ci\n\"Ministère du Commerce; de l'Industrie\";2720224050;Plateau;\n";
        let lines = bodies(data).unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].slug, "ministere-de-la-sante");
        assert_eq!(lines[0].phones[0].e164, "+2252720210871");
        assert_eq!(lines[0].email.as_deref(), Some("contact@sante.gouv.ci"));
        assert_eq!(lines[1].name, "Ministère du Commerce; de l'Industrie");
        assert_eq!(lines[1].phones[0].e164, "+2252720224050");
    }

    #[test]
    fn a_bad_line_refuses_the_file_and_is_named() {
        let data = "nom,telephones,localisation\nA,20211100,X\n,20211100,Y\nB,abc,Z\n";
        let errors = bodies(data).unwrap_err();
        assert_eq!(errors.iter().map(|e| e.line).collect::<Vec<_>>(), [3, 4]);
        assert!(bodies("foo,bar\n1,2\n").is_err(), "missing columns");
    }

    #[test]
    fn places_need_a_type_and_a_parent() {
        let data = "type;nom;rattachement\nsous-préfecture;Ahouanou;Grands-Ponts\nregion;Nouvelle Région;Lagunes\nville;X;Y\ncommune;Z;\n";
        let errors = places(data).unwrap_err();
        assert_eq!(errors.iter().map(|e| e.line).collect::<Vec<_>>(), [4, 5]);
        let ok = places("type;nom;rattachement\nsous-préfecture;Ahouanou;Grands-Ponts\nregion;Nouvelle Région;Lagunes\n").unwrap();
        assert_eq!(
            ok[0],
            PlaceLine {
                slug: "commune-ahouanou".into(),
                kind: "sous_prefecture",
                name: "Ahouanou".into(),
                parent: Some("region-grands-ponts".into()),
                position: None
            }
        );
        assert_eq!(ok[1].parent.as_deref(), Some("district-lagunes"));
        let abidjan =
            places("type;nom;rattachement\ncommune;Brofodoumé;District autonome d'Abidjan\n")
                .unwrap();
        assert_eq!(abidjan[0].parent.as_deref(), Some("district-abidjan"));
        let village =
            places("type;nom;rattachement\nLocalité;Songon-Dagbé;District autonome d'Abidjan\n")
                .unwrap();
        assert_eq!(
            (village[0].slug.as_str(), village[0].kind),
            ("localite-songon-dagbe", "localite")
        );
    }

    #[test]
    fn places_may_carry_their_coordinates() {
        let ok = places("type;nom;rattachement;latitude;longitude\nsous-préfecture;Ahouanou;Grands-Ponts;5,2167;-4,9667\ncommune;Sans;Lagunes;;\n").unwrap();
        assert_eq!(
            ok[0].position,
            Some(crate::domain::geo::Position { lat: 5.2167, lon: -4.9667 })
        );
        assert_eq!(ok[1].position, None);
        let errors = places("type;nom;rattachement;latitude;longitude\ncommune;A;Lagunes;5.3;\ncommune;B;Lagunes;95;1\ncommune;C;Lagunes;x;y\n").unwrap_err();
        assert_eq!(errors.iter().map(|e| e.line).collect::<Vec<_>>(), [2, 3, 4]);
    }
}
