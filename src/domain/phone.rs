//! «Téléphone portable»: a mobile number of the chosen country, kept in E.164.

use super::countries::Country;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MobilePhone(String);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhoneError {
    Empty,
    /// Something other than digits, spaces, dots, dashes, parentheses or a leading +.
    NotDigits,
    /// Starts with another country's dial code than the country chosen.
    OtherCountry,
    /// Wrong number of digits; the lengths the country uses.
    Length {
        min: usize,
        max: usize,
    },
    /// An 8-digit Ivorian number from before the 2021 renumbering.
    OldIvorianNumber,
    /// Well formed but not a mobile number of that country (a fixed line, say).
    NotMobile,
}

impl MobilePhone {
    /// Accepts what people type: «07 07 12 34 56», «+225 0707123456», «00225…», «06 12 34 56 78» for France.
    pub fn parse(country: &Country, input: &str) -> Result<MobilePhone, PhoneError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(PhoneError::Empty);
        }
        let (international, rest) = match trimmed.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => match trimmed.strip_prefix("00") {
                Some(rest) if rest.len() > 10 => (true, rest),
                _ => (false, trimmed),
            },
        };
        let mut digits = String::with_capacity(rest.len());
        for c in rest.chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '.' | '-' | '(' | ')' | '\u{a0}' => {}
                _ => return Err(PhoneError::NotDigits),
            }
        }
        let dial = country.dial.to_string();
        let mut national: &str = &digits;
        if international {
            national = national.strip_prefix(dial.as_str()).ok_or(PhoneError::OtherCountry)?;
        }
        // A trunk digit typed before the national number: «06…» in France is «6…».
        if let Some(trunk) = country.trunk {
            if national.as_bytes().first() == Some(&trunk)
                && country.accepts_length(national.len() - 1)
            {
                national = &national[1..];
            }
        }
        if !country.accepts_length(national.len()) {
            if country.code == "CI" && national.len() == 8 {
                return Err(PhoneError::OldIvorianNumber);
            }
            let mut lengths = country.lengths();
            let min = lengths.next().unwrap_or(0);
            let max = lengths.last().unwrap_or(min);
            return Err(PhoneError::Length { min, max });
        }
        if !country.accepts_start(national) {
            return Err(PhoneError::NotMobile);
        }
        Ok(MobilePhone(format!("+{dial}{national}")))
    }

    pub fn e164(&self) -> &str {
        &self.0
    }

    /// A number typed without choosing a country (tracking by SMS, Open311): international
    /// («+33…», «0033…») by its dial code, otherwise Ivorian.
    pub fn parse_any(input: &str) -> Result<MobilePhone, PhoneError> {
        MobilePhone::parse_with_country(input).map(|(_, p)| p)
    }

    /// `parse_any`, with the country whose rules the number follows.
    pub fn parse_with_country(input: &str) -> Result<(&'static Country, MobilePhone), PhoneError> {
        let trimmed = input.trim();
        let international = trimmed.strip_prefix('+').or_else(|| trimmed.strip_prefix("00"));
        let Some(rest) = international else {
            let ci = Country::find("CI").ok_or(PhoneError::OtherCountry)?;
            return MobilePhone::parse(ci, trimmed).map(|p| (ci, p));
        };
        let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
        let mut last = Err(PhoneError::OtherCountry);
        // Dial codes are prefix-free (ITU E.164), so at most one country's rules apply; several
        // countries can share one (+1, +7), hence trying each.
        for country in Country::all().iter().filter(|c| digits.starts_with(&c.dial.to_string())) {
            match MobilePhone::parse(country, trimmed) {
                Ok(p) => return Ok((country, p)),
                Err(e) => last = Err(e),
            }
        }
        last
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ci() -> &'static Country {
        Country::find("CI").unwrap()
    }

    #[test]
    fn ivorian_mobiles_in_every_usual_spelling() {
        for input in [
            "0707123456",
            "07 07 12 34 56",
            "07.07.12.34.56",
            "+225 07 07 12 34 56",
            "002250707123456",
            "+2250707123456",
        ] {
            assert_eq!(
                MobilePhone::parse(ci(), input).map(|p| p.e164().to_owned()),
                Ok("+2250707123456".into()),
                "{input}"
            );
        }
        assert_eq!(MobilePhone::parse(ci(), "0102030405").unwrap().e164(), "+2250102030405");
        assert_eq!(MobilePhone::parse(ci(), "05 55 55 55 55").unwrap().e164(), "+2250555555555");
    }

    #[test]
    fn ivorian_errors_say_what_is_wrong() {
        assert_eq!(MobilePhone::parse(ci(), "  "), Err(PhoneError::Empty));
        assert_eq!(MobilePhone::parse(ci(), "07 12 34 56"), Err(PhoneError::OldIvorianNumber));
        assert_eq!(
            MobilePhone::parse(ci(), "070712345"),
            Err(PhoneError::Length { min: 10, max: 10 })
        );
        assert_eq!(
            MobilePhone::parse(ci(), "2720212674"),
            Err(PhoneError::NotMobile),
            "fixed line"
        );
        assert_eq!(MobilePhone::parse(ci(), "07O7123456"), Err(PhoneError::NotDigits));
        assert_eq!(MobilePhone::parse(ci(), "+33612345678"), Err(PhoneError::OtherCountry));
    }

    #[test]
    fn without_a_country_ivorian_unless_international() {
        assert_eq!(MobilePhone::parse_any("07 07 12 34 56").unwrap().e164(), "+2250707123456");
        assert_eq!(MobilePhone::parse_any("+33 6 12 34 56 78").unwrap().e164(), "+33612345678");
        assert_eq!(MobilePhone::parse_any("0033612345678").unwrap().e164(), "+33612345678");
        assert_eq!(MobilePhone::parse_any("+1 201 555 0123").unwrap().e164(), "+12015550123");
        assert_eq!(MobilePhone::parse_any("+33 1 44 55 66 77"), Err(PhoneError::NotMobile));
        assert_eq!(MobilePhone::parse_any("+999 1234"), Err(PhoneError::OtherCountry));
        assert_eq!(MobilePhone::parse_any(""), Err(PhoneError::Empty));
        assert_eq!(MobilePhone::parse_any("+"), Err(PhoneError::OtherCountry));
    }

    #[test]
    fn diaspora_numbers_use_their_country_rules() {
        let fr = Country::find("FR").unwrap();
        assert_eq!(MobilePhone::parse(fr, "06 12 34 56 78").unwrap().e164(), "+33612345678");
        assert_eq!(MobilePhone::parse(fr, "+33 6 12 34 56 78").unwrap().e164(), "+33612345678");
        assert_eq!(MobilePhone::parse(fr, "01 44 55 66 77"), Err(PhoneError::NotMobile));
        let bf = Country::find("BF").unwrap();
        assert_eq!(MobilePhone::parse(bf, "70 12 34 56").unwrap().e164(), "+22670123456");
        let us = Country::find("US").unwrap();
        assert_eq!(MobilePhone::parse(us, "(201) 555-0123").unwrap().e164(), "+12015550123");
    }

    #[test]
    fn never_panics_and_only_accepts_e164_digits() {
        // A cheap property test: every accepted value is + and 8–15 digits, whatever the input.
        let alphabet = ['0', '1', '5', '7', '9', ' ', '+', '-', '(', 'é', 'x'];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 18) as usize;
            let s: String = (0..len)
                .map(|i| alphabet[((seed >> (i * 3)) % alphabet.len() as u64) as usize])
                .collect();
            for country in [ci(), Country::find("FR").unwrap(), Country::find("US").unwrap()] {
                if let Ok(p) = MobilePhone::parse(country, &s) {
                    let e = p.e164();
                    assert!(
                        e.starts_with('+') && e[1..].bytes().all(|b| b.is_ascii_digit()),
                        "{s:?} → {e}"
                    );
                    assert!((9..=16).contains(&e.len()), "{s:?} → {e}");
                }
            }
        }
    }
}
