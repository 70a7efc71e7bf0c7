//! The 8-digit request code a citizen receives and uses to follow the request.

use std::fmt;

use rand::{CryptoRng, Rng, RngExt};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RequestCode(u32);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidCode;

const MIN: u32 = 10_000_000;
const MAX: u32 = 99_999_999;

impl RequestCode {
    /// A fresh code from a cryptographic generator: never sequential, never derived from time or row ids.
    /// No leading zero, so the code survives spreadsheets and being read aloud.
    pub fn generate<R: Rng + CryptoRng + ?Sized>(rng: &mut R) -> RequestCode {
        RequestCode(rng.random_range(MIN..=MAX))
    }

    /// Accepts the code as people type it: spaces and dashes between digits are ignored.
    pub fn parse(input: &str) -> Result<RequestCode, InvalidCode> {
        let digits: String = input.chars().filter(|c| !matches!(c, ' ' | '-' | '.' | '\u{a0}')).collect();
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
        let mut rng = rand::rng();
        let mut seen = HashSet::new();
        for _ in 0..100_000 {
            let code = RequestCode::generate(&mut rng);
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
    fn parse_accepts_typed_forms_only() {
        assert_eq!(RequestCode::parse("4148 5845").unwrap().to_string(), "41485845");
        assert_eq!(RequestCode::parse(" 41-48-58-45 ").unwrap().to_string(), "41485845");
        for bad in ["", "1234567", "123456789", "0148584a", "01485845", "４１４８５８４５", "+1485845"] {
            assert_eq!(RequestCode::parse(bad), Err(InvalidCode), "{bad}");
        }
    }
}
