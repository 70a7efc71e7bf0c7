//! Timestamps are milliseconds since the Unix epoch (UTC, which is also Abidjan's time).

/// Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Days since 1970-01-01 of a civil date (the inverse of `civil`).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from(if m > 2 { m - 3 } else { m + 9 });
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A calendar day written `YYYY-MM-DD`, as days since 1970-01-01; None unless it is a real date.
pub fn parse_day(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = &s[r];
        part.bytes().all(|c| c.is_ascii_digit()).then(|| part.parse().ok()).flatten()
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&m) || d == 0 || y < 1970 {
        return None;
    }
    let days = days_from_civil(i64::from(y), m, d);
    // 31 February and friends come back as another date.
    (civil(days) == (i64::from(y), m, d)).then_some(days)
}

/// `2026-11-29`, the day of a timestamp.
pub fn day_iso(ms: i64) -> String {
    iso8601(ms)[..10].to_owned()
}

/// `2026-11-29T08:05:00Z`
pub fn iso8601(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (y, m, d) = civil(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", s / 3600, s / 60 % 60, s % 60)
}

/// `29/11/2026`, as the guide prints dates.
pub fn date_fr(ms: i64) -> String {
    let (y, m, d) = civil(ms.div_euclid(1000).div_euclid(86_400));
    format!("{d}/{m}/{y}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(1_549_238_400_000), "2019-02-04T00:00:00Z");
        assert_eq!(iso8601(1_796_000_000_123), "2026-11-30T00:53:20Z");
        assert_eq!(date_fr(1_549_152_000_000), "3/2/2019");
        assert_eq!(iso8601(951_782_400_000), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn parses_days_and_refuses_impossible_ones() {
        assert_eq!(parse_day("1970-01-01"), Some(0));
        assert_eq!(parse_day("2026-11-29"), Some(1_796_000_000_123 / 86_400_000 - 1));
        assert_eq!(parse_day("2000-02-29"), Some(951_782_400_000 / 86_400_000));
        for bad in ["2026-02-29", "2026-13-01", "2026-04-31", "2026-00-10", "26-11-29", "2026/11/29", "2026-11-2x", "+026-11-29", ""] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
        for d in (-1000..40_000).step_by(37) {
            assert_eq!(parse_day(&day_iso(d * 86_400_000)), Some(d).filter(|d| *d >= 0));
        }
    }
}
