//! Timestamps are milliseconds since the Unix epoch (UTC, which is also Abidjan's time).

/// Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
pub fn civil(days: i64) -> (i64, u32, u32) {
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

/// `2026-11-29T08:05:00+00:00`: ISO 8601 with an explicit offset, as Open311 clients expect.
pub fn iso8601_offset(ms: i64) -> String {
    format!("{}+00:00", &iso8601(ms)[..19])
}

/// An ISO 8601 date-time (`2026-11-29T08:05:00Z`, `…T08:05:00.250+01:00`, `…T08:05-0500`) or a
/// date alone (midnight UTC), as milliseconds since the epoch.
pub fn parse_datetime(s: &str) -> Option<i64> {
    let s = s.trim();
    // Every valid form is ASCII; anything else is refused before any slicing by byte offset
    // (a multi-byte character in the offset once split a char boundary and panicked the isolate).
    if !s.is_ascii() {
        return None;
    }
    let day = parse_day(s.get(..10)?)?;
    let rest = &s[10..];
    if rest.is_empty() {
        return Some(day * 86_400_000);
    }
    let rest = rest.strip_prefix('T').or_else(|| rest.strip_prefix(' '))?;
    let two = |t: &str| -> Option<i64> {
        (t.len() == 2 && t.bytes().all(|b| b.is_ascii_digit())).then(|| t.parse().ok()).flatten()
    };
    let (h, m) = (two(rest.get(..2)?)?, two(rest.get(3..5)?)?);
    if rest.as_bytes()[2] != b':' || h > 23 || m > 59 {
        return None;
    }
    let mut rest = &rest[5..];
    let mut secs = 0;
    let mut millis = 0;
    if let Some(r) = rest.strip_prefix(':') {
        secs = two(r.get(..2)?)?;
        if secs > 59 {
            return None;
        }
        rest = &r[2..];
        if let Some(r) = rest.strip_prefix('.') {
            let digits = r.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return None;
            }
            millis = format!("{:0<3}", &r[..digits.min(3)]).parse::<i64>().ok()?;
            rest = &r[digits..];
        }
    }
    let offset_minutes = match rest {
        "" | "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let r = &rest[1..];
            let (oh, om) = match r.len() {
                5 if r.as_bytes()[2] == b':' => (two(&r[..2])?, two(&r[3..])?),
                4 => (two(&r[..2])?, two(&r[2..])?),
                2 => (two(r)?, 0),
                _ => return None,
            };
            if oh > 23 || om > 59 {
                return None;
            }
            sign * (oh * 60 + om)
        }
    };
    Some(day * 86_400_000 + ((h * 60 + m - offset_minutes) * 60 + secs) * 1000 + millis)
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
    fn parses_iso_datetimes_with_offsets() {
        let t = 1_796_000_000_000; // 2026-11-30T00:53:20Z
        assert_eq!(parse_datetime("2026-11-30T00:53:20Z"), Some(t));
        assert_eq!(parse_datetime("2026-11-30T00:53:20+00:00"), Some(t));
        assert_eq!(parse_datetime("2026-11-30T01:53:20+01:00"), Some(t));
        assert_eq!(parse_datetime("2026-11-29T19:53:20-0500"), Some(t));
        assert_eq!(parse_datetime("2026-11-30T00:53:20.5Z"), Some(t + 500));
        assert_eq!(parse_datetime("2026-11-30T00:53Z"), Some(t - 20_000));
        assert_eq!(parse_datetime("2026-11-30"), Some(t - (53 * 60 + 20) * 1000));
        assert_eq!(parse_datetime(&iso8601_offset(t)), Some(t));
        assert_eq!(iso8601_offset(t), "2026-11-30T00:53:20+00:00");
        // Multi-byte characters where the parser slices by byte (found by the security review).
        for bad in [
            "2026-11-30T00:53+1é2",
            "2026-11-30T00:53+é2",
            "2026-11-30T00:53:2é",
            "2026-11-30T00:53:20.5é",
            "2026-11-30Té0:00",
            "2026-11-3é",
        ] {
            assert_eq!(parse_datetime(bad), None, "{bad}");
        }
        for bad in [
            "2026-11-30T24:00:00Z",
            "2026-11-30T00:60Z",
            "2026-11-30T00:53:20+0",
            "2026-11-30X",
            "2026-02-30",
            "hier",
            "2026-11-30T00:53:20.Z",
            "2026-11-30T0:53Z",
        ] {
            assert_eq!(parse_datetime(bad), None, "{bad}");
        }
    }

    #[test]
    fn parses_days_and_refuses_impossible_ones() {
        assert_eq!(parse_day("1970-01-01"), Some(0));
        assert_eq!(parse_day("2026-11-29"), Some(1_796_000_000_123 / 86_400_000 - 1));
        assert_eq!(parse_day("2000-02-29"), Some(951_782_400_000 / 86_400_000));
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "2026-04-31",
            "2026-00-10",
            "26-11-29",
            "2026/11/29",
            "2026-11-2x",
            "+026-11-29",
            "",
        ] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
        for d in (-1000..40_000).step_by(37) {
            assert_eq!(parse_day(&day_iso(d * 86_400_000)), Some(d).filter(|d| *d >= 0));
        }
    }
}
