//! A public body («organisme public») and its contacts.

use serde::{Deserialize, Serialize};

/// One phone number: as printed for people, and in E.164 for `tel:` links and the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BodyPhone {
    pub display: String,
    pub e164: String,
}

impl BodyPhone {
    /// The number as dialled today: an Ivorian number in its 10-digit national form, by pairs
    /// («27 20 21 26 74»); any other in E.164.
    pub fn dialled(&self) -> String {
        match self.e164.strip_prefix("+225") {
            Some(national)
                if national.len() == 10 && national.bytes().all(|b| b.is_ascii_digit()) =>
            {
                pairs(national)
            }
            _ => self.e164.clone(),
        }
    }

    /// The number as the 2019 guide printed it, by pairs, when it differs from today's.
    pub fn as_printed(&self) -> Option<String> {
        let digits: String = self.display.chars().filter(char::is_ascii_digit).collect();
        (digits.len() == 8 && pairs(&digits) != self.dialled()).then(|| pairs(&digits))
    }
}

fn pairs(digits: &str) -> String {
    digits
        .as_bytes()
        .chunks(2)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Body {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub phones: Vec<BodyPhone>,
    pub location: String,
    /// The body's own address, where known.
    pub email: Option<String>,
}

/// Sorts bodies for the directory: alphabetical on folded names so «Éducation» sits among the E's.
pub fn sort_for_directory(bodies: &mut [Body]) {
    bodies.sort_by_cached_key(|b| super::text::fold(&b.name));
}

/// Keeps the bodies whose name or location matches every word of the query.
pub fn search(bodies: Vec<Body>, query: &str) -> Vec<Body> {
    bodies
        .into_iter()
        .filter(|b| super::text::matches_all_words(&format!("{} {}", b.name, b.location), query))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(name: &str, location: &str) -> Body {
        Body {
            id: 1,
            slug: name.to_lowercase(),
            name: name.into(),
            phones: vec![],
            location: location.into(),
            email: None,
        }
    }

    #[test]
    fn phones_as_dialled_today_and_as_the_guide_printed_them() {
        let p = BodyPhone { display: "20212674".into(), e164: "+2252720212674".into() };
        assert_eq!(p.dialled(), "27 20 21 26 74");
        assert_eq!(p.as_printed().as_deref(), Some("20 21 26 74"));
        let today = BodyPhone { display: "2720212674".into(), e164: "+2252720212674".into() };
        assert_eq!(today.as_printed(), None);
        let abroad = BodyPhone { display: "0612345678".into(), e164: "+33612345678".into() };
        assert_eq!(abroad.dialled(), "+33612345678");
    }

    #[test]
    fn directory_order_ignores_accents() {
        let mut list = vec![body("Ministère des Eaux", ""), body("École", ""), body("Défense", "")];
        sort_for_directory(&mut list);
        let names: Vec<_> = list.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names, ["Défense", "École", "Ministère des Eaux"]);
    }

    #[test]
    fn search_by_name_or_location() {
        let list = vec![
            body("Ministère des Eaux et Forêts", "Plateau, Tour D"),
            body("Ministère de la Défense", "Plateau, Etat Major"),
        ];
        assert_eq!(search(list.clone(), "forets").len(), 1);
        assert_eq!(search(list.clone(), "etat major")[0].name, "Ministère de la Défense");
        assert_eq!(search(list.clone(), "plateau").len(), 2);
        assert!(search(list, "santé").is_empty());
    }
}

/// A phone number as an admin types or imports it, with the number to dial: 10-digit Ivorian
/// numbers as they are, 8-digit pre-2021 fixed lines (2x xx xx xx) with the 27 prefix.
pub fn parse_phone(printed: &str) -> Option<BodyPhone> {
    let display = printed.trim().to_owned();
    let digits: String = display.chars().filter(|c| c.is_ascii_digit()).collect();
    let national = digits
        .strip_prefix("225")
        .filter(|d| d.len() == 10 && display.starts_with('+'))
        .unwrap_or(&digits);
    let e164 = match national.len() {
        10 => format!("+225{national}"),
        8 if national.starts_with('2') => format!("+22527{national}"),
        _ => return None,
    };
    Some(BodyPhone { display, e164 })
}

/// Phones separated by «/», «;» or «,», as the guide prints them («20211100 / 20315000»).
pub fn parse_phones(printed: &str) -> Result<Vec<BodyPhone>, String> {
    printed
        .split(['/', ';', ','])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| parse_phone(p).ok_or_else(|| p.to_owned()))
        .collect()
}

/// A URL- and database-friendly key from a name: «Ministère de l'Éducation» → «ministere-de-l-education».
pub fn slugify(name: &str) -> String {
    let folded = super::text::fold(name);
    let mut slug = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').chars().take(80).collect()
}

#[cfg(test)]
mod admin_tests {
    use super::*;

    #[test]
    fn phones_as_printed_and_to_dial() {
        assert_eq!(parse_phone("20211100").unwrap().e164, "+2252720211100");
        assert_eq!(parse_phone("27 20 21 11 00").unwrap().e164, "+2252720211100");
        assert_eq!(parse_phone("+225 07 07 12 34 56").unwrap().e164, "+2250707123456");
        assert!(parse_phone("12345").is_none());
        let list = parse_phones("20211100 / 20315000").unwrap();
        assert_eq!(
            list.iter().map(|p| p.display.as_str()).collect::<Vec<_>>(),
            ["20211100", "20315000"]
        );
        assert_eq!(parse_phones("20211100 / abc"), Err("abc".to_owned()));
        assert_eq!(parse_phones("  ").unwrap(), vec![]);
    }

    #[test]
    fn slugs() {
        assert_eq!(
            slugify("Ministère de l'Éducation Nationale"),
            "ministere-de-l-education-nationale"
        );
        assert_eq!(slugify("  Santé & Hygiène  "), "sante-hygiene");
    }
}
