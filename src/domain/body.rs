//! A public body («organisme public») and its contacts.

use serde::{Deserialize, Serialize};

/// One phone number: as printed for people, the number to dial (E.164, or a short national number
/// such as the emergency 180 or a toll-free 800 800 11) for `tel:` links and the API, and what it
/// is for when the source says («numéro vert», «centre d'appel»).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BodyPhone {
    pub display: String,
    pub e164: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl BodyPhone {
    /// The number as dialled today: an Ivorian number in its 10-digit national form, by pairs
    /// («27 20 21 26 74»); a short national number as printed; any other in E.164.
    pub fn dialled(&self) -> String {
        match self.e164.strip_prefix("+225") {
            Some(national)
                if national.len() == 10 && national.bytes().all(|b| b.is_ascii_digit()) =>
            {
                pairs(national)
            }
            _ if !self.e164.starts_with('+') => self.display.clone(),
            _ => self.e164.clone(),
        }
    }

    /// The number as the 2019 guide printed it, by pairs, when it differs from today's (the
    /// historical operator's fixed lines, «20 21 26 74» before 2021).
    pub fn as_printed(&self) -> Option<String> {
        let digits: String = self.display.chars().filter(char::is_ascii_digit).collect();
        (digits.len() == 8 && digits.starts_with('2') && pairs(&digits) != self.dialled())
            .then(|| pairs(&digits))
    }

    /// As a CSV cell writes it: the number as printed, its note in parentheses.
    pub fn written(&self) -> String {
        match self.note.as_str() {
            "" => self.display.clone(),
            note => format!("{} ({note})", self.display),
        }
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

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Body {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub phones: Vec<BodyPhone>,
    pub location: String,
    /// The body's own address, where known.
    pub email: Option<String>,
    pub acronym: String,
    /// Its website as the source writes it («www.cnps.ci»), blank when none is known.
    pub website: String,
    /// The names it was known by («anciennement …»): a search by any finds it.
    pub formerly: Vec<String>,
    /// The government it is part of (`YYYY-MM-DD`), blank for other bodies.
    pub government: String,
    pub kind: String,
    pub holder: String,
    /// The page its entry comes from, that page's date as given (blank when undated), how sure
    /// its title is, and where its contacts come from when not from that page.
    pub source: String,
    pub source_date: String,
    pub confidence: String,
    pub contacts_source: String,
}

impl Body {
    /// Whether a citizen has any way to reach it from the directory.
    pub fn has_contact(&self) -> bool {
        !self.phones.is_empty() || self.email.is_some() || !self.website.is_empty()
    }

    /// Its website as a link (`https://` added when the source gives a bare host).
    pub fn website_href(&self) -> Option<String> {
        match self.website.as_str() {
            "" => None,
            w if w.starts_with("https://") || w.starts_with("http://") => Some(w.to_owned()),
            w => Some(format!("https://{w}")),
        }
    }
}

/// Sorts bodies for the directory: alphabetical on folded names so «Éducation» sits among the E's.
pub fn sort_for_directory(bodies: &mut [Body]) {
    bodies.sort_by_cached_key(|b| super::text::fold(&b.name));
}

/// Keeps the bodies whose name, acronym, location or a former name matches every word of the
/// query (a renamed ministry is found by its old name too).
pub fn search(bodies: Vec<Body>, query: &str) -> Vec<Body> {
    bodies
        .into_iter()
        .filter(|b| {
            let hay = format!("{} {} {} {}", b.name, b.acronym, b.location, b.formerly.join(" "));
            super::text::matches_all_words(&hay, query)
        })
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
            location: location.into(),
            ..Body::default()
        }
    }

    #[test]
    fn phones_as_dialled_today_and_as_the_guide_printed_them() {
        let p = parse_phone("20212674").unwrap();
        assert_eq!(p.dialled(), "27 20 21 26 74");
        assert_eq!(p.as_printed().as_deref(), Some("20 21 26 74"));
        let today = parse_phone("2720212674").unwrap();
        assert_eq!(today.as_printed(), None);
        let abroad = parse_phone("+33 6 12 34 56 78").unwrap();
        assert_eq!(abroad.dialled(), "+33612345678");
        let green = parse_phone("800 800 11 (numéro vert)").unwrap();
        assert_eq!((green.dialled(), green.as_printed()), ("800 800 11".to_owned(), None));
        assert_eq!(green.written(), "800 800 11 (numéro vert)");
    }

    #[test]
    fn a_renamed_body_is_found_by_either_name_and_its_acronym() {
        let mut b = body("Ministère des Finances et du Budget", "Plateau");
        b.formerly = vec!["Ministère du budget et du Portefeuille de l'Etat".into()];
        b.acronym = "MFB".into();
        for q in ["finances budget", "portefeuille etat", "mfb"] {
            assert_eq!(search(vec![b.clone()], q).len(), 1, "{q}");
        }
        assert!(search(vec![b.clone()], "santé").is_empty());
        assert!(!b.has_contact());
        b.website = "www.gouv.ci".into();
        assert_eq!(b.website_href().as_deref(), Some("https://www.gouv.ci"));
        assert!(b.has_contact());
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

/// A phone number as an admin types or imports it, with what to dial: 10-digit Ivorian numbers
/// as they are (with or without +225), 8-digit pre-2021 fixed lines (2x xx xx xx) with the 27
/// prefix, toll-free «800 …» numbers and 3–4-digit short numbers (180, 1340) as printed, other
/// countries' numbers from their «+». A note in parentheses after it is kept («(numéro vert)»).
pub fn parse_phone(printed: &str) -> Option<BodyPhone> {
    let printed = printed.trim();
    let (number, note) = match printed.split_once('(') {
        Some((number, rest)) => {
            let note = rest.strip_suffix(')').filter(|n| !n.contains(['(', ')']))?;
            (number.trim(), note.trim())
        }
        None => (printed, ""),
    };
    let plain = number.chars().all(|c| c.is_ascii_digit() || " .-+".contains(c));
    let plus = number.starts_with('+') && !number[1..].contains('+');
    if !plain || number.is_empty() || (number.contains('+') && !plus) || note.chars().count() > 60 {
        return None;
    }
    let digits: String = number.chars().filter(|c| c.is_ascii_digit()).collect();
    let dial = match (plus, digits.len()) {
        (true, 13) if digits.starts_with("225") => format!("+{digits}"),
        (true, _) if digits.starts_with("225") => return None,
        (true, 8..=15) => format!("+{digits}"),
        (false, 10) => format!("+225{digits}"),
        (false, 8) if digits.starts_with('2') => format!("+22527{digits}"),
        (false, 8) if digits.starts_with("800") => digits,
        (false, 3..=4) => digits,
        _ => return None,
    };
    Some(BodyPhone { display: number.to_owned(), e164: dial, note: note.to_owned() })
}

/// Phones separated by «/», «;» or «,» outside parentheses, as the guide prints them («20211100 /
/// 20315000») and bodies.csv writes them («180; +225 27 22 47 87 00»). Err names the first item
/// that is not a number.
pub fn parse_phones(printed: &str) -> Result<Vec<BodyPhone>, String> {
    let mut items = vec![String::new()];
    let mut depth = 0i32;
    for c in printed.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if depth == 0 && matches!(c, '/' | ';' | ',') {
            items.push(String::new());
        } else if let Some(last) = items.last_mut() {
            last.push(c);
        }
    }
    items
        .iter()
        .map(|p| p.trim())
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
        assert_eq!(parse_phone("+225 27 20 22 55 00").unwrap().e164, "+2252720225500");
        assert_eq!(parse_phone("180").unwrap().e164, "180");
        let call = parse_phone("1340 (centre d'appel)").unwrap();
        assert_eq!(
            (call.display.as_str(), call.e164.as_str(), call.note.as_str()),
            ("1340", "1340", "centre d'appel")
        );
        for bad in [
            "12345",
            "+225 27 20",
            "plateforme Signalis",
            "07 07 12 34 5x",
            "20211100 (note",
            "20211100 (a) (b)",
            "+33 +6",
            "90 80 70 60",
            "",
            "()",
        ] {
            assert!(parse_phone(bad).is_none(), "{bad:?}");
        }
        let list = parse_phones("180; +225 27 22 47 87 00").unwrap();
        assert_eq!(list.len(), 2);
        let noted = parse_phones("800 800 11 (numéro vert; gratuit) / 20211100").unwrap();
        assert_eq!(noted[0].note, "numéro vert; gratuit");
        assert_eq!(
            parse_phones("800 800 11 (numéro vert); plateforme Signalis"),
            Err("plateforme Signalis".to_owned())
        );
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
