//! The pure side of public-page caching (see `app::cache`): lifetimes, cache keys, ETags.

use sha2::{Digest, Sha256};

use crate::i18n::Lang;

/// How long a public page may be reused: by browsers (max-age) and by the edge (s-maxage).
#[derive(Debug, Clone, Copy)]
pub enum Ttl {
    /// Directory pages that admins change (purged on change, short everywhere else).
    Short,
    /// Statistics: the rollups change once a day.
    Hourly,
    /// The guide, about, informations: change with a deployment.
    Daily,
}

impl Ttl {
    pub fn header(self) -> &'static str {
        match self {
            Ttl::Short => "public, max-age=60, s-maxage=300, stale-while-revalidate=60",
            Ttl::Hourly => "public, max-age=300, s-maxage=3600, stale-while-revalidate=300",
            Ttl::Daily => "public, max-age=3600, s-maxage=86400, stale-while-revalidate=3600",
        }
    }
}

/// The edge-cache key of a page: its path and query (without `lang`) in the language chosen.
pub fn key(path: &str, query: &str, lang: Lang) -> String {
    format!("https://cache.milie.internal/{}{path}?{query}", lang.code())
}

/// A strong ETag from the body's SHA-256.
pub fn etag_of(body: &[u8]) -> String {
    let hash: String = Sha256::digest(body).iter().take(12).map(|b| format!("{b:02x}")).collect();
    format!("\"{hash}\"")
}

/// Whether `If-None-Match` names this version (weak comparison, lists, `*`).
pub fn etag_matches(if_none_match: Option<&str>, etag: &str) -> bool {
    if_none_match.is_some_and(|v| {
        v.split(',').any(|t| t.trim().trim_start_matches("W/") == etag || t.trim() == "*")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etags_match_strong_weak_and_lists() {
        let etag = etag_of(b"page");
        assert!(etag.starts_with('"') && etag.ends_with('"') && etag.len() == 26);
        assert_ne!(etag, etag_of(b"page 2"));
        assert!(etag_matches(Some(&etag), &etag));
        assert!(etag_matches(Some(&format!("W/{etag}")), &etag));
        assert!(etag_matches(Some(&format!("\"x\", {etag}")), &etag));
        assert!(etag_matches(Some("*"), &etag));
        assert!(!etag_matches(Some("\"other\""), &etag));
        assert!(!etag_matches(None, &etag));
    }

    #[test]
    fn keys_carry_the_language_and_every_lifetime_is_public() {
        assert_eq!(key("/guide", "", Lang::En), "https://cache.milie.internal/en/guide?");
        assert_ne!(key("/guide", "", Lang::Fr), key("/guide", "", Lang::En));
        for ttl in [Ttl::Short, Ttl::Hourly, Ttl::Daily] {
            assert!(ttl.header().starts_with("public, max-age="));
        }
    }
}
