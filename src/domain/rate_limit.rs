//! Rate limits: fixed one-hour windows, and the names of the buckets they count in.
//!
//! A bucket never holds raw outside input. The value it counts (an email, a phone number, a
//! request code, a client address) is validated and normalised by the caller, then hashed here:
//! every bucket name has the same short length whatever was sent, and reading the table reveals
//! no address or code.

use std::net::IpAddr;

use sha2::{Digest, Sha256};

pub const HOUR_MS: i64 = 3_600_000;
pub const DAY_MS: i64 = 24 * HOUR_MS;

/// The clock hour a moment falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start: i64,
}

impl Window {
    pub fn hour(now: i64) -> Window {
        Window { start: now - now.rem_euclid(HOUR_MS) }
    }

    /// The UTC day a moment falls in (for the few daily caps; every other window is an hour).
    pub fn day(now: i64) -> Window {
        Window { start: now - now.rem_euclid(DAY_MS) }
    }

    /// Whole minutes until the window ends (at least one), as a refusal tells people.
    pub fn minutes_left(self, now: i64) -> u32 {
        ((self.start + HOUR_MS - now) as f64 / 60_000.0).ceil().max(1.0) as u32
    }

    /// Seconds until the window ends (at least one), for `Retry-After`.
    pub fn seconds_left(self, now: i64) -> u32 {
        ((self.start + HOUR_MS - now) / 1000).max(1) as u32
    }
}

/// `kind:` followed by 32 hex digits of SHA-256 over the (already normalised) value.
pub fn bucket(kind: &'static str, value: &str) -> String {
    let digest = Sha256::digest(value.as_bytes());
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("{kind}:{hex}")
}

/// A bucket over two values at once (an email seen from one client address, say).
pub fn pair_bucket(kind: &'static str, a: &str, b: &str) -> String {
    // The separator cannot occur in either normalised value.
    bucket(kind, &format!("{a}\n{b}"))
}

/// The client a per-client limit counts: an IPv4 address as it is, an IPv6 address by its /64
/// (one subscriber usually holds a whole /64, so counting single addresses would be no limit).
/// Anything that is not an address (no `CF-Connecting-IP` locally) is one client, «unknown».
pub fn client_key(ip: &str) -> String {
    match ip.trim().parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => v4.to_string(),
        Ok(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        Err(_) => "unknown".to_owned(),
    }
}

/// What a set of counters says once each has counted this attempt.
pub fn over_any(counts: &[(i64, i64)]) -> bool {
    counts.iter().any(|(hits, limit)| hits > limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_clock_hours() {
        let now = 1_796_000_000_123; // 2026-11-30T00:53:20.123Z
        let w = Window::hour(now);
        assert_eq!(w.start, 1_795_996_800_000);
        assert_eq!(w.minutes_left(now), 7);
        assert_eq!(w.seconds_left(now), 399);
        assert_eq!(Window::hour(w.start), w);
        assert_eq!(w.minutes_left(w.start + HOUR_MS - 1), 1);
        assert_eq!(w.seconds_left(w.start + HOUR_MS), 1);
    }

    #[test]
    fn buckets_hash_what_they_count() {
        let huge = "a".repeat(1_500_000);
        for value in ["awa@example.ci", huge.as_str(), "", "12345678"] {
            let b = bucket("track:email", value);
            assert_eq!(b.len(), "track:email:".len() + 32);
            assert!(!b.contains(value) || value.is_empty());
        }
        assert_eq!(bucket("k", "x"), bucket("k", "x"));
        assert_ne!(bucket("k", "x"), bucket("k", "y"));
        assert_ne!(bucket("k", "x"), bucket("l", "x"));
        assert_ne!(pair_bucket("k", "a", "bc"), pair_bucket("k", "ab", "c"));
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_64() {
        assert_eq!(client_key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(
            client_key("2001:db8:1:2:ffff:ffff:ffff:ffff"),
            client_key("2001:0db8:0001:0002::9")
        );
        assert_ne!(client_key("2001:db8:1:2::1"), client_key("2001:db8:1:3::1"));
        assert_eq!(client_key("198.51.100.7"), "198.51.100.7");
        assert_eq!(client_key("::ffff:198.51.100.7"), "198.51.100.7");
        assert_eq!(client_key(" 198.51.100.7 "), "198.51.100.7");
        for junk in ["unknown", "", "1.2.3", "<script>", "2001:db8::1::2"] {
            assert_eq!(client_key(junk), "unknown", "{junk}");
        }
    }

    #[test]
    fn any_counter_over_its_limit_refuses() {
        assert!(!over_any(&[(10, 10), (1, 50)]));
        assert!(over_any(&[(11, 10), (1, 50)]));
        assert!(over_any(&[(1, 10), (51, 50)]));
        assert!(!over_any(&[]));
    }
}
