//! A caller's idempotency key (the `Idempotency-Key` header of the JSON API and Open311), parsed
//! once; the key as stored (scoped to its caller and hashed); and the digest of the payload it was
//! first used with, so a replay is recognised only for the very same submission.

use sha2::{Digest, Sha256};

use super::submission::RawSubmission;

/// At most 100 visible ASCII characters, as the API documents.
pub const MAX_LEN: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyError;

impl std::fmt::Display for KeyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Idempotency-Key: at most {MAX_LEN} visible ASCII characters")
    }
}

impl IdempotencyKey {
    /// The header as sent: absent or blank is no key (Ok(None)); anything else must be 1 to 100
    /// visible ASCII characters once trimmed.
    pub fn parse(header: Option<&str>) -> Result<Option<IdempotencyKey>, KeyError> {
        let Some(key) = header.map(str::trim).filter(|k| !k.is_empty()) else { return Ok(None) };
        if key.len() > MAX_LEN || !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(KeyError);
        }
        Ok(Some(IdempotencyKey(key.to_owned())))
    }

    /// The key as stored: the channel, then a hash of the caller's scope (a partner key, or the
    /// client address) and the key, so one caller's key never finds another's request and no
    /// raw header is kept.
    pub fn scoped(&self, channel: &str, scope: &str) -> String {
        format!("{channel}:{}", hex(Sha256::digest(format!("{scope}\n{}", self.0).as_bytes())))
    }
}

/// The digest a caller's key is bound to: every text field, every file (name and content) and
/// whatever else the way in takes (`extra`: Open311's media links and position), in order.
pub fn payload_digest<'a>(
    raw: &RawSubmission,
    files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
    extra: &str,
) -> String {
    let mut canonical = String::new();
    for value in [
        &raw.body,
        &raw.nature,
        &raw.place,
        &raw.abroad_country,
        &raw.abroad_city,
        &raw.theme,
        &raw.message,
        &raw.last_name,
        &raw.first_names,
        &raw.country,
        &raw.phone,
        &raw.email,
    ] {
        canonical.push_str(value);
        canonical.push('\u{0}');
    }
    canonical.push_str(if raw.terms { "1" } else { "0" });
    for (name, bytes) in files {
        canonical.push('\u{0}');
        canonical.push_str(name);
        canonical.push('\u{0}');
        canonical.push_str(&hex(Sha256::digest(bytes)));
    }
    if !extra.is_empty() {
        canonical.push('\u{1}');
        canonical.push_str(extra);
    }
    hex(Sha256::digest(canonical.as_bytes()))
}

fn hex(digest: impl AsRef<[u8]>) -> String {
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_one_to_a_hundred_visible_ascii_characters() {
        assert_eq!(IdempotencyKey::parse(None), Ok(None));
        assert_eq!(IdempotencyKey::parse(Some("   ")), Ok(None));
        assert_eq!(IdempotencyKey::parse(Some(" abc-123 ")).unwrap().unwrap().0, "abc-123");
        assert!(IdempotencyKey::parse(Some(&"a".repeat(100))).unwrap().is_some());
        assert_eq!(IdempotencyKey::parse(Some(&"a".repeat(101))), Err(KeyError));
        for bad in ["a b", "clé", "a\tb", "\u{0}"] {
            assert_eq!(IdempotencyKey::parse(Some(bad)), Err(KeyError), "{bad:?}");
        }
    }

    #[test]
    fn a_stored_key_belongs_to_its_caller_and_keeps_nothing_of_the_header() {
        let key = IdempotencyKey::parse(Some("commande-42")).unwrap().unwrap();
        let a = key.scoped("api", "key:1");
        assert!(a.starts_with("api:") && a.len() == 4 + 64);
        assert!(!a.contains("commande"));
        assert_ne!(a, key.scoped("api", "key:2"), "another caller, another key");
        assert_ne!(a, key.scoped("open311", "key:1"), "another way in, another key");
        assert_eq!(a, key.scoped("api", "key:1"));
    }

    #[test]
    fn the_payload_digest_changes_with_any_field_file_or_extra() {
        let raw =
            RawSubmission { message: "Un message.".into(), terms: true, ..Default::default() };
        let base = payload_digest(&raw, [], "");
        assert_eq!(base, payload_digest(&raw, [], ""));
        let other = RawSubmission { email: "a@example.ci".into(), ..raw.clone() };
        assert_ne!(base, payload_digest(&other, [], ""));
        assert_ne!(base, payload_digest(&raw, [("a.pdf", &b"%PDF"[..])], ""));
        assert_ne!(
            payload_digest(&raw, [("a.pdf", &b"%PDF"[..])], ""),
            payload_digest(&raw, [("a.pdf", &b"%PDF-"[..])], "")
        );
        assert_ne!(base, payload_digest(&raw, [], "https://example.org/photo.jpg"));
    }
}
