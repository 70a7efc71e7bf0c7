//! Randomness and comparisons for tokens and keys.

/// `n` bytes from the platform CSPRNG, base64url without padding.
pub fn random_token(n: usize) -> worker::Result<String> {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).map_err(|e| worker::Error::RustError(format!("getrandom: {e}")))?;
    Ok(crate::domain::base64::encode_url(bytes))
}

/// A token we issued: base64url of 16 bytes (22 characters).
pub fn is_form_token(s: &str) -> bool {
    s.len() == 22 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Equality that takes the same time wherever the strings differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// SHA-256 in hex: how high-entropy secrets (sign-in links, sessions, API keys) are stored.
pub fn sha256_hex(secret: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(secret.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}
