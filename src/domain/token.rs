//! Signed, expiring tokens: the tracking links in mails and the tracking session cookie.
//! HMAC-SHA-256 with a secret from the environment; rotating the secret revokes every token.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::code::RequestCode;

type HmacSha256 = Hmac<Sha256>;

/// Bytes of the MAC kept in a token (128 bits).
const MAC_LEN: usize = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    Malformed,
    Expired,
    BadSignature,
}

fn mac(
    secret: &[u8],
    purpose: &str,
    code: RequestCode,
    email: &str,
    expires: u32,
) -> [u8; MAC_LEN] {
    let mut m =
        <HmacSha256 as KeyInit>::new_from_slice(secret).expect("HMAC takes keys of any length");
    // Fields joined with a separator that cannot occur in them.
    m.update(format!("{purpose}\n{code}\n{}\n{expires}", email.to_ascii_lowercase()).as_bytes());
    let full = m.finalize().into_bytes();
    let mut out = [0u8; MAC_LEN];
    out.copy_from_slice(&full[..MAC_LEN]);
    out
}

/// A token for `purpose` ("link", "session") over the code, the email and an expiry (Unix seconds).
pub fn sign(secret: &[u8], purpose: &str, code: RequestCode, email: &str, expires: u32) -> String {
    let mut bytes = Vec::with_capacity(4 + MAC_LEN);
    bytes.extend_from_slice(&expires.to_be_bytes());
    bytes.extend_from_slice(&mac(secret, purpose, code, email, expires));
    super::base64::encode_url(bytes)
}

/// Checks a token against the request it claims to open, at `now` (Unix seconds).
pub fn verify(
    secret: &[u8],
    purpose: &str,
    code: RequestCode,
    email: &str,
    token: &str,
    now: u32,
) -> Result<(), TokenError> {
    let bytes = super::base64::decode_url(token.trim()).ok_or(TokenError::Malformed)?;
    if bytes.len() != 4 + MAC_LEN {
        return Err(TokenError::Malformed);
    }
    let expires = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
    let expected = mac(secret, purpose, code, email, expires);
    // Constant time: the comparison does not stop at the first differing byte.
    let diff = expected.iter().zip(&bytes[4..]).fold(0u8, |acc, (a, b)| acc | (a ^ b));
    if diff != 0 {
        return Err(TokenError::BadSignature);
    }
    if expires <= now {
        return Err(TokenError::Expired);
    }
    Ok(())
}

/// A token for `purpose` over any subject (a staff address, lower-cased) and an expiry (Unix
/// seconds): the same shape and checks as a request's, for things that are not requests.
pub fn sign_subject(secret: &[u8], purpose: &str, subject: &str, expires: u32) -> String {
    let mut bytes = Vec::with_capacity(4 + MAC_LEN);
    bytes.extend_from_slice(&expires.to_be_bytes());
    bytes.extend_from_slice(&subject_mac(secret, purpose, subject, expires));
    super::base64::encode_url(bytes)
}

/// Checks a `sign_subject` token for this purpose and subject at `now` (Unix seconds).
pub fn verify_subject(
    secret: &[u8],
    purpose: &str,
    subject: &str,
    token: &str,
    now: u32,
) -> Result<(), TokenError> {
    let bytes = super::base64::decode_url(token.trim()).ok_or(TokenError::Malformed)?;
    if bytes.len() != 4 + MAC_LEN {
        return Err(TokenError::Malformed);
    }
    let expires = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
    let expected = subject_mac(secret, purpose, subject, expires);
    let diff = expected.iter().zip(&bytes[4..]).fold(0u8, |acc, (a, b)| acc | (a ^ b));
    if diff != 0 {
        return Err(TokenError::BadSignature);
    }
    if expires <= now {
        return Err(TokenError::Expired);
    }
    Ok(())
}

fn subject_mac(secret: &[u8], purpose: &str, subject: &str, expires: u32) -> [u8; MAC_LEN] {
    let mut m =
        <HmacSha256 as KeyInit>::new_from_slice(secret).expect("HMAC takes keys of any length");
    // «subject» in the code's place: never a request code, so never a request's token.
    m.update(format!("{purpose}\nsubject\n{}\n{expires}", subject.to_lowercase()).as_bytes());
    let full = m.finalize().into_bytes();
    let mut out = [0u8; MAC_LEN];
    out.copy_from_slice(&full[..MAC_LEN]);
    out
}

/// A one-time secret derived from the key and a random reference: what the outbox stores is the
/// reference (useless without the worker's key), the database stores the secret's hash, and the
/// queue consumer derives the secret again when it renders the mail. 43 characters (256 bits).
pub fn derived_secret(secret: &[u8], purpose: &str, reference: &str) -> String {
    let mut m =
        <HmacSha256 as KeyInit>::new_from_slice(secret).expect("HMAC takes keys of any length");
    m.update(format!("derived\n{purpose}\n{reference}").as_bytes());
    super::base64::encode_url(m.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_secrets_depend_on_key_purpose_and_reference() {
        let a = derived_secret(SECRET, "sign-in", "ref-1");
        assert_eq!(a.len(), 43);
        assert_eq!(a, derived_secret(SECRET, "sign-in", "ref-1"));
        assert_ne!(a, derived_secret(SECRET, "sign-in", "ref-2"));
        assert_ne!(a, derived_secret(SECRET, "otp", "ref-1"));
        assert_ne!(a, derived_secret(b"another key of sixteen+", "sign-in", "ref-1"));
        assert!(!a.contains("ref-1"));
    }

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    #[test]
    fn a_subject_token_holds_for_its_purpose_and_subject_until_it_expires() {
        let t = sign_subject(SECRET, "staff-device", "Analyste@Milie.local", 2_000);
        assert_eq!(t.len(), 27);
        assert_eq!(
            verify_subject(SECRET, "staff-device", "analyste@milie.local", &t, 1_999),
            Ok(())
        );
        assert_eq!(
            verify_subject(SECRET, "staff-device", "analyste@milie.local", &t, 2_000),
            Err(TokenError::Expired)
        );
        assert_eq!(
            verify_subject(SECRET, "staff-device", "admin@milie.local", &t, 1),
            Err(TokenError::BadSignature)
        );
        assert_eq!(
            verify_subject(SECRET, "other", "analyste@milie.local", &t, 1),
            Err(TokenError::BadSignature)
        );
        assert_eq!(
            verify_subject(SECRET, "staff-device", "a", "not a token", 1),
            Err(TokenError::Malformed)
        );
        // Never a request's token, even for a subject that reads like a code.
        let as_link = sign(SECRET, "link", code("41485845"), "x@example.ci", 2_000);
        assert_eq!(
            verify_subject(SECRET, "link", "41485845", &as_link, 1),
            Err(TokenError::BadSignature)
        );
    }

    fn code(s: &str) -> RequestCode {
        RequestCode::parse(s).unwrap()
    }

    #[test]
    fn a_token_opens_its_request_until_it_expires() {
        let t = sign(SECRET, "link", code("41485845"), "Awa@Example.ci", 2_000);
        assert_eq!(t.len(), 27);
        assert_eq!(verify(SECRET, "link", code("41485845"), "awa@example.ci", &t, 1_999), Ok(()));
        assert_eq!(
            verify(SECRET, "link", code("41485845"), "awa@example.ci", &t, 2_000),
            Err(TokenError::Expired)
        );
    }

    #[test]
    fn anything_else_is_refused() {
        let t = sign(SECRET, "link", code("41485845"), "awa@example.ci", 2_000);
        assert_eq!(
            verify(SECRET, "link", code("41485846"), "awa@example.ci", &t, 1_000),
            Err(TokenError::BadSignature)
        );
        assert_eq!(
            verify(SECRET, "link", code("41485845"), "other@example.ci", &t, 1_000),
            Err(TokenError::BadSignature)
        );
        assert_eq!(
            verify(SECRET, "session", code("41485845"), "awa@example.ci", &t, 1_000),
            Err(TokenError::BadSignature)
        );
        assert_eq!(
            verify(b"another secret", "link", code("41485845"), "awa@example.ci", &t, 1_000),
            Err(TokenError::BadSignature)
        );
        // Every single-character change is caught.
        let alphabet: Vec<char> =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".chars().collect();
        for i in 0..t.len() {
            for c in &alphabet {
                let mut changed: Vec<char> = t.chars().collect();
                if changed[i] == *c {
                    continue;
                }
                changed[i] = *c;
                let changed: String = changed.into_iter().collect();
                assert!(
                    verify(SECRET, "link", code("41485845"), "awa@example.ci", &changed, 1_000)
                        .is_err(),
                    "{changed}"
                );
            }
        }
        for bad in ["", "abc", "!!!!", &format!("{t}A")] {
            assert_eq!(
                verify(SECRET, "link", code("41485845"), "awa@example.ci", bad, 1_000),
                Err(TokenError::Malformed)
            );
        }
    }
}
