//! The one-time code a citizen without email receives by SMS to open a request: six digits,
//! valid ten minutes, five tries, used once. Neither the outbox nor the database ever holds it:
//! the outbox holds a random reference, the queue consumer derives the code from the worker's key
//! and that reference when it renders the SMS, and the database keeps only a keyed digest.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

pub const DIGITS: usize = 6;
pub const VALID_MS: i64 = 10 * 60 * 1000;
/// Wrong tries after which the code is void.
pub const MAX_TRIES: i64 = 5;
/// Codes one number may receive per hour (each SMS costs money). A code is stored only when its
/// SMS leaves: asking again past this cap makes no new code to guess.
pub const CODES_PER_HOUR: i64 = 5;
/// Guesses (codes typed) counted per number and per request across all their codes, whatever
/// the client: new codes bring no new guesses.
pub const GUESSES_PER_HOUR: i64 = 2 * MAX_TRIES;
pub const GUESSES_PER_DAY: i64 = 4 * MAX_TRIES;

/// The chance that someone holding a request's code and number, but not the phone, opens it by
/// guessing within a day: each guess is right with probability 10⁻⁶ at best (a fresh code for
/// each guess), and at most `GUESSES_PER_DAY` are compared.
pub fn guessing_bound_per_day() -> f64 {
    GUESSES_PER_DAY as f64 / 10f64.powi(DIGITS as i32)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Otp(String);

impl Otp {
    /// Six digits, spaces allowed between them («123 456»).
    pub fn parse(input: &str) -> Option<Otp> {
        let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        (digits.len() == DIGITS && digits.bytes().all(|b| b.is_ascii_digit()))
            .then_some(Otp(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn hmac(secret: &[u8], message: &str) -> [u8; 32] {
    let mut m =
        <Hmac<Sha256> as KeyInit>::new_from_slice(secret).expect("HMAC takes keys of any length");
    m.update(message.as_bytes());
    m.finalize().into_bytes().into()
}

/// The code of a reference, under the worker's key (what the SMS carries).
pub fn derive(secret: &[u8], reference: &str) -> Otp {
    let h = hmac(secret, &format!("tracking-otp\n{reference}"));
    // 2^32 mod 10^6 leaves a bias below 0.03 %: no digit string is noticeably likelier.
    let n = u32::from_be_bytes([h[0], h[1], h[2], h[3]]) % 1_000_000;
    Otp(format!("{n:06}"))
}

/// What the database keeps: keyed, since a plain hash of six digits is reversed by trying them all.
pub fn digest(secret: &[u8], reference: &str, otp: &Otp) -> String {
    super::base64::encode_url(hmac(secret, &format!("tracking-otp-digest\n{reference}\n{}", otp.0)))
}

/// What a code is judged against when the request and the number do not belong together: void,
/// so nothing opens, judged at the same cost as a real one.
pub const NOTHING_ISSUED: Issued = Issued {
    reference: String::new(),
    digest: String::new(),
    expires_at: i64::MAX,
    tries: 0,
    used: false,
};

/// A code as issued, read back to judge an attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    pub reference: String,
    pub digest: String,
    pub expires_at: i64,
    pub tries: i64,
    pub used: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Judgement {
    /// The right code, in time: the request opens and the code is spent.
    Open,
    /// A wrong code: one try spent.
    Wrong,
    /// Expired, used or out of tries: refused without spending anything.
    Void,
}

/// Judges an attempt. The citizen hears the same refusal for `Wrong` and `Void`.
pub fn judge(secret: &[u8], issued: &Issued, given: &Otp, now: i64) -> Judgement {
    if issued.used || issued.tries >= MAX_TRIES || issued.expires_at <= now {
        return Judgement::Void;
    }
    let expected = digest(secret, &issued.reference, given);
    // Constant time: the comparison does not stop at the first differing byte.
    let same = expected.len() == issued.digest.len()
        && expected.bytes().zip(issued.digest.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
    if same {
        Judgement::Open
    } else {
        Judgement::Wrong
    }
}

#[cfg(test)]
mod budget_tests {
    use super::*;

    #[test]
    fn the_guessing_budget_is_what_security_md_states() {
        // SECURITY.md: «at most 20 codes compared per number and day: 2 × 10⁻⁵».
        assert_eq!(GUESSES_PER_DAY, 20);
        assert_eq!(GUESSES_PER_HOUR, 10);
        assert!((guessing_bound_per_day() - 2e-5).abs() < 1e-12);
        // A code's own tries never exceed what the number may guess in an hour.
        const { assert!(MAX_TRIES <= GUESSES_PER_HOUR && GUESSES_PER_HOUR <= GUESSES_PER_DAY) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";

    fn issued(reference: &str, now: i64) -> Issued {
        let otp = derive(KEY, reference);
        Issued {
            reference: reference.into(),
            digest: digest(KEY, reference, &otp),
            expires_at: now + VALID_MS,
            tries: 0,
            used: false,
        }
    }

    #[test]
    fn six_digits_typed_any_way() {
        assert_eq!(Otp::parse(" 123 456 ").map(|o| o.0), Some("123456".into()));
        for bad in ["", "12345", "1234567", "12a456", "１２３４５６"] {
            assert_eq!(Otp::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_code_is_six_digits_that_depend_on_key_and_reference() {
        let a = derive(KEY, "ref-1");
        assert_eq!(a.as_str().len(), 6);
        assert!(a.as_str().bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(a, derive(KEY, "ref-1"));
        let others: Vec<Otp> = (0..50).map(|i| derive(KEY, &format!("ref-{i}"))).collect();
        assert!(others.iter().filter(|o| **o == a).count() <= 2, "references give different codes");
        assert_ne!(derive(b"another key of sixteen+", "ref-1"), a);
        assert!(
            !digest(KEY, "ref-1", &a).contains(a.as_str()),
            "the digest does not show the code"
        );
    }

    #[test]
    fn the_right_code_in_time_opens_once() {
        let now = 1_000_000;
        let i = issued("r", now);
        let right = derive(KEY, "r");
        assert_eq!(judge(KEY, &i, &right, now + VALID_MS - 1), Judgement::Open);
        assert_eq!(judge(KEY, &i, &right, now + VALID_MS), Judgement::Void, "expired");
        assert_eq!(
            judge(KEY, &Issued { used: true, ..i.clone() }, &right, now),
            Judgement::Void,
            "reused"
        );
        assert_eq!(
            judge(KEY, &Issued { tries: MAX_TRIES, ..i.clone() }, &right, now),
            Judgement::Void,
            "out of tries"
        );
        assert_eq!(
            judge(KEY, &Issued { tries: MAX_TRIES - 1, ..i }, &right, now),
            Judgement::Open,
            "the fifth try still counts"
        );
    }

    #[test]
    fn a_wrong_code_spends_a_try() {
        let now = 0;
        let i = issued("r", now);
        let right = derive(KEY, "r");
        let wrong =
            Otp::parse(if right.as_str() == "000000" { "000001" } else { "000000" }).unwrap();
        assert_eq!(judge(KEY, &i, &wrong, now), Judgement::Wrong);
        assert_eq!(
            judge(b"another key of sixteen+", &i, &right, now),
            Judgement::Wrong,
            "the digest is keyed"
        );
    }
}
