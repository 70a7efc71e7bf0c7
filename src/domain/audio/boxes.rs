//! Recordings in ISO boxes: MP4, M4A, 3GP.

use super::{ms, u32_be, u64_be};

// ---- MP4 / M4A / 3GP: sound tracks only; the movie header's duration, or the fragments' sums.

fn boxes(b: &[u8]) -> impl Iterator<Item = ([u8; 4], &[u8])> {
    let mut at = 0usize;
    std::iter::from_fn(move || {
        let size = u32_be(b, at)? as u64;
        let kind: [u8; 4] = b.get(at + 4..at + 8)?.try_into().ok()?;
        let (header, size) = match size {
            0 => (8, (b.len() - at) as u64),
            1 => (16, u64_be(b, at + 8)?),
            n => (8, n),
        };
        let end = at.checked_add(usize::try_from(size).ok()?)?.min(b.len());
        let body = b.get(at + header..end)?;
        if size < header as u64 {
            return None;
        }
        at = end;
        Some((kind, body))
    })
}

fn child<'a>(b: &'a [u8], kind: &[u8; 4]) -> Option<&'a [u8]> {
    boxes(b).find(|(k, _)| k == kind).map(|(_, body)| body)
}

/// A full box's (version, timescale, duration) for `mvhd` and `mdhd`, which share the layout.
fn header_times(body: &[u8]) -> Option<(u64, u64)> {
    match body.first()? {
        0 => Some((u64::from(u32_be(body, 12)?), u64::from(u32_be(body, 16)?))),
        1 => Some((u64::from(u32_be(body, 20)?), u64_be(body, 24)?)),
        _ => None,
    }
}

pub(super) fn mp4_ms(b: &[u8]) -> Option<u64> {
    let moov = child(b, b"moov")?;
    let (mut sound, mut other, mut track_scale) = (false, false, 0u64);
    for (_, trak) in boxes(moov).filter(|(k, _)| k == b"trak") {
        let mdia = child(trak, b"mdia")?;
        match child(mdia, b"hdlr")?.get(8..12)? {
            b"soun" => sound = true,
            b"meta" | b"hint" => {}
            _ => other = true,
        }
        if track_scale == 0 {
            track_scale = child(mdia, b"mdhd").and_then(header_times).map_or(0, |(s, _)| s);
        }
    }
    if !sound || other {
        return None;
    }
    let (scale, duration) = header_times(child(moov, b"mvhd")?)?;
    if duration > 0 && duration != u64::from(u32::MAX) && duration != u64::MAX {
        return ms(duration, scale);
    }
    // A recording written in fragments (as browsers do): the fragments' declared length, or the
    // sum of their samples' durations at the track's clock.
    if let Some(mehd) = child(moov, b"mvex").and_then(|mvex| child(mvex, b"mehd")) {
        let length =
            if mehd.first() == Some(&1) { u64_be(mehd, 4)? } else { u64::from(u32_be(mehd, 4)?) };
        if length > 0 {
            return ms(length, scale);
        }
    }
    let default = child(moov, b"mvex").and_then(|m| child(m, b"trex")).and_then(|t| u32_be(t, 12));
    let mut ticks = 0u64;
    for (_, moof) in boxes(b).filter(|(k, _)| k == b"moof") {
        for (_, traf) in boxes(moof).filter(|(k, _)| k == b"traf") {
            ticks = ticks.saturating_add(fragment_ticks(traf, default)?);
        }
    }
    (ticks > 0).then_some(())?;
    ms(ticks, track_scale)
}

fn fragment_ticks(traf: &[u8], trex_default: Option<u32>) -> Option<u64> {
    let tfhd = child(traf, b"tfhd")?;
    let flags = u32_be(tfhd, 0)? & 0x00FF_FFFF;
    // tfhd: version/flags, track id, then the optional fields in the flags' order.
    let mut at = 8;
    for (flag, width) in [(0x01, 8), (0x02, 4)] {
        if flags & flag != 0 {
            at += width;
        }
    }
    let default = if flags & 0x08 != 0 { u32_be(tfhd, at) } else { trex_default };
    let mut ticks = 0u64;
    for (_, trun) in boxes(traf).filter(|(k, _)| k == b"trun") {
        let flags = u32_be(trun, 0)? & 0x00FF_FFFF;
        let count = u32_be(trun, 4)?;
        let mut at =
            8 + if flags & 0x01 != 0 { 4 } else { 0 } + if flags & 0x04 != 0 { 4 } else { 0 };
        if flags & 0x100 == 0 {
            ticks = ticks.saturating_add(u64::from(default?) * u64::from(count));
            continue;
        }
        let width = 4 * [0x100, 0x200, 0x400, 0x800].iter().filter(|f| flags & **f != 0).count();
        for _ in 0..count.min(1_000_000) {
            ticks = ticks.saturating_add(u64::from(u32_be(trun, at)?));
            at += width;
        }
    }
    Some(ticks)
}
