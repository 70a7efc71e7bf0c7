//! A public body («organisme public») and its contacts.

use serde::{Deserialize, Serialize};

/// One phone number: as printed for people, and in E.164 for `tel:` links and the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BodyPhone {
    pub display: String,
    pub e164: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Body {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub phones: Vec<BodyPhone>,
    pub location: String,
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
        Body { id: 1, slug: name.to_lowercase(), name: name.into(), phones: vec![], location: location.into() }
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
