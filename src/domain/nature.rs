//! The nature of a citizen's request, as the guide's menu offers it.

use std::fmt;

/// Read from storage by its slug (`serde(try_from)`): a row never carries an unparsed nature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(try_from = "String")]
pub enum Nature {
    Reclamation,
    Observation,
    Suggestion,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownNature(pub String);

impl fmt::Display for UnknownNature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown nature {:?}", self.0)
    }
}

impl Nature {
    /// In the order of the guide's «SOUMETTRE UNE REQUETE» menu.
    pub const ALL: [Nature; 3] = [Nature::Reclamation, Nature::Observation, Nature::Suggestion];

    /// Stable identifier used in URLs, forms, the database and the API.
    pub fn slug(self) -> &'static str {
        match self {
            Nature::Reclamation => "reclamation",
            Nature::Observation => "observation",
            Nature::Suggestion => "suggestion",
        }
    }

    pub fn parse(input: &str) -> Result<Nature, UnknownNature> {
        let key = super::text::fold(input.trim());
        Nature::ALL.into_iter().find(|n| n.slug() == key).ok_or(UnknownNature(input.to_owned()))
    }
}

impl TryFrom<String> for Nature {
    type Error = String;
    fn try_from(slug: String) -> Result<Nature, String> {
        Nature::parse(&slug).map_err(|_| format!("unknown nature {slug:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_slugs_and_printed_names() {
        assert_eq!(Nature::parse("reclamation"), Ok(Nature::Reclamation));
        assert_eq!(Nature::parse("Réclamation"), Ok(Nature::Reclamation));
        assert_eq!(Nature::parse(" SUGGESTION "), Ok(Nature::Suggestion));
        assert_eq!(Nature::parse("observation"), Ok(Nature::Observation));
    }

    #[test]
    fn rejects_anything_else() {
        for bad in ["", "plainte", "reclamations", "1"] {
            assert!(Nature::parse(bad).is_err(), "{bad:?} must be rejected");
        }
    }

    #[test]
    fn slug_round_trips() {
        for n in Nature::ALL {
            assert_eq!(Nature::parse(n.slug()), Ok(n));
        }
    }
}
