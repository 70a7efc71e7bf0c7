//! Countries for the «Pays» field: dial code and mobile-number rules (from libphonenumber's
//! metadata, generated into `countries_data.rs` by `scripts/gen_countries.py`).

use super::lang::Lang;

pub use super::countries_data::COUNTRIES;

#[derive(Debug, PartialEq, Eq)]
pub struct Country {
    /// ISO 3166-1 alpha-2.
    pub code: &'static str,
    pub name_fr: &'static str,
    pub name_en: &'static str,
    pub dial: u16,
    /// The national trunk digit people type before a national number ("0" in France), if any.
    pub trunk: Option<u8>,
    /// Bit n set: a mobile national number can have n digits.
    pub mobile_lengths: u16,
    /// Bit n set: a mobile national number can start with the two digits of n (00–99).
    pub mobile_starts: u128,
}

/// Côte d'Ivoire, preselected in the form.
pub const DEFAULT_COUNTRY: &str = "CI";

impl Country {
    pub fn all() -> &'static [Country] {
        COUNTRIES
    }

    pub fn find(code: &str) -> Option<&'static Country> {
        let code = code.trim();
        COUNTRIES.iter().find(|c| c.code.eq_ignore_ascii_case(code))
    }

    pub fn name(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Fr => self.name_fr,
            Lang::En => self.name_en,
        }
    }

    /// Mobile number lengths, shortest first.
    pub fn lengths(&self) -> impl Iterator<Item = usize> + '_ {
        (0..16).filter(move |n| self.mobile_lengths & (1 << n) != 0)
    }

    pub fn accepts_length(&self, len: usize) -> bool {
        len < 16 && self.mobile_lengths & (1 << len) != 0
    }

    pub fn accepts_start(&self, national: &str) -> bool {
        national
            .get(..2)
            .and_then(|s| s.parse::<u32>().ok())
            .is_some_and(|n| self.mobile_starts & (1u128 << n) != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_country_has_a_sane_entry() {
        assert!(COUNTRIES.len() > 200, "every country available");
        for c in COUNTRIES {
            assert_eq!(c.code.len(), 2, "{}", c.code);
            assert!(c.dial > 0 && c.dial < 1000, "{}", c.code);
            assert!(c.lengths().count() > 0, "{}", c.code);
            assert!(c.mobile_starts != 0, "{}", c.code);
            assert!(!c.name_fr.is_empty() && !c.name_en.is_empty(), "{}", c.code);
        }
    }

    #[test]
    fn cote_d_ivoire_mobiles_are_ten_digits_starting_01_05_07() {
        let ci = Country::find("ci").unwrap();
        assert_eq!((ci.dial, ci.name_fr), (225, "Côte d'Ivoire"));
        assert_eq!(ci.lengths().collect::<Vec<_>>(), [10]);
        for start in ["01", "05", "07"] {
            assert!(ci.accepts_start(&format!("{start}00000000")), "{start}");
        }
        for start in ["27", "21", "02", "08"] {
            assert!(!ci.accepts_start(&format!("{start}00000000")), "{start}");
        }
    }
}
