//! HTTP `Range: bytes=…` requests (RFC 9110 §14), for media served in pieces.

/// What to send for a `Range` header over a resource of `size` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ByteRange {
    /// No range, one we do not serve (several ranges, other units) or malformed: the whole body (200).
    Whole,
    /// Bytes `start..=end` (206).
    Part { start: u64, end: u64 },
    /// A range wholly past the end (416).
    Unsatisfiable,
}

pub fn parse(header: Option<&str>, size: u64) -> ByteRange {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return ByteRange::Whole;
    };
    if spec.contains(',') {
        return ByteRange::Whole;
    }
    let Some((first, last)) = spec.trim().split_once('-') else { return ByteRange::Whole };
    let number = |s: &str| -> Option<u64> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
    };
    match (first.trim(), last.trim()) {
        // The last `n` bytes.
        ("", n) => match number(n) {
            Some(0) => ByteRange::Unsatisfiable,
            Some(_) if size == 0 => ByteRange::Unsatisfiable,
            Some(n) => ByteRange::Part { start: size.saturating_sub(n), end: size - 1 },
            None => ByteRange::Whole,
        },
        (a, b) => match (number(a), if b.is_empty() { Some(None) } else { number(b).map(Some) }) {
            (Some(start), Some(end)) => {
                if end.is_some_and(|e| e < start) {
                    ByteRange::Whole
                } else if start >= size {
                    ByteRange::Unsatisfiable
                } else {
                    ByteRange::Part { start, end: end.map_or(size - 1, |e| e.min(size - 1)) }
                }
            }
            _ => ByteRange::Whole,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_as_players_send_them() {
        assert_eq!(parse(None, 1000), ByteRange::Whole);
        assert_eq!(parse(Some("bytes=0-"), 1000), ByteRange::Part { start: 0, end: 999 });
        assert_eq!(parse(Some("bytes=100-199"), 1000), ByteRange::Part { start: 100, end: 199 });
        assert_eq!(parse(Some("bytes=900-5000"), 1000), ByteRange::Part { start: 900, end: 999 });
        assert_eq!(parse(Some("bytes=-100"), 1000), ByteRange::Part { start: 900, end: 999 });
        assert_eq!(parse(Some("bytes=-5000"), 1000), ByteRange::Part { start: 0, end: 999 });
        assert_eq!(parse(Some("bytes=1000-"), 1000), ByteRange::Unsatisfiable);
        assert_eq!(parse(Some("bytes=-0"), 1000), ByteRange::Unsatisfiable);
    }

    #[test]
    fn what_we_do_not_serve_gets_the_whole_body() {
        for h in [
            "bytes=0-1,5-6",
            "items=0-5",
            "bytes=5-1",
            "bytes=a-b",
            "bytes=",
            "bytes=-",
            "bytes=+1-2",
            "bytes=1",
        ] {
            assert_eq!(parse(Some(h), 1000), ByteRange::Whole, "{h}");
        }
    }
}
