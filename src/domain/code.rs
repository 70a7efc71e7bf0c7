//! The 8-digit request code a citizen receives and uses to follow the request.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RequestCode(u32);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidCode;

const MIN: u32 = 10_000_000;
const MAX: u32 = 99_999_999;

impl RequestCode {
    /// A code from 32 bits of a cryptographic source (the caller's): never sequential, never
    /// derived from time or row ids. Uniform over the 90 million codes by rejection: `None` for
    /// the 1.5 % of draws that would bias it (draw again). No leading zero, so the code survives
    /// spreadsheets and being read aloud.
    pub fn from_random(bits: u32) -> Option<RequestCode> {
        const SPAN: u32 = MAX - MIN + 1;
        const LIMIT: u32 = (u32::MAX / SPAN) * SPAN;
        (bits < LIMIT).then(|| RequestCode(MIN + bits % SPAN))
    }

    /// Accepts the code as people type it: spaces and dashes between digits are ignored.
    pub fn parse(input: &str) -> Result<RequestCode, InvalidCode> {
        let digits: String =
            input.chars().filter(|c| !matches!(c, ' ' | '-' | '.' | '\u{a0}')).collect();
        if digits.len() != 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(InvalidCode);
        }
        let n: u32 = digits.parse().map_err(|_| InvalidCode)?;
        if (MIN..=MAX).contains(&n) {
            Ok(RequestCode(n))
        } else {
            Err(InvalidCode)
        }
    }
}

impl fmt::Display for RequestCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:08}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn generated_codes_are_eight_digits_and_parse_back() {
        use rand::RngExt;
        let mut rng = rand::rng();
        let mut seen = HashSet::new();
        let mut draws = 0;
        while draws < 100_000 {
            let Some(code) = RequestCode::from_random(rng.random()) else { continue };
            draws += 1;
            let text = code.to_string();
            assert_eq!(text.len(), 8);
            assert!(!text.starts_with('0'));
            assert_eq!(RequestCode::parse(&text), Ok(code));
            seen.insert(code);
        }
        // 100 000 draws from 90 million values: collisions are rare (≈ 55 expected at most).
        assert!(seen.len() > 99_800, "{} distinct", seen.len());
    }

    #[test]
    fn random_bits_cover_the_whole_range_without_bias() {
        assert_eq!(RequestCode::from_random(0).unwrap().to_string(), "10000000");
        assert_eq!(RequestCode::from_random(89_999_999).unwrap().to_string(), "99999999");
        assert_eq!(RequestCode::from_random(90_000_000).unwrap().to_string(), "10000000");
        // The top of the u32 range would favour the low codes: rejected.
        assert_eq!(RequestCode::from_random(u32::MAX), None);
        assert!(RequestCode::from_random(4_229_999_999).is_some());
        assert_eq!(RequestCode::from_random(4_230_000_000), None);
    }

    #[test]
    fn parse_accepts_typed_forms_only() {
        assert_eq!(RequestCode::parse("4148 5845").unwrap().to_string(), "41485845");
        assert_eq!(RequestCode::parse(" 41-48-58-45 ").unwrap().to_string(), "41485845");
        for bad in
            ["", "1234567", "123456789", "0148584a", "01485845", "４１４８５８４５", "+1485845"]
        {
            assert_eq!(RequestCode::parse(bad), Err(InvalidCode), "{bad}");
        }
    }
}
