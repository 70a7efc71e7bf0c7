//! Recordings in chunks, pages and elements: WAV, OGG, WebM/Matroska.

use super::{ms, u16_be, u32_le};

// ---- WAV: the data chunk's size over the format's bytes per second.

pub(super) fn wav_ms(b: &[u8]) -> Option<u64> {
    let mut at = 12usize;
    let mut byte_rate = None;
    while at.checked_add(8)? <= b.len() {
        let size = u32_le(b, at + 4)? as usize;
        let data = at + 8;
        match &b[at..at + 4] {
            b"fmt " => byte_rate = Some(u32_le(b, data + 8)?),
            // A recorder that never went back to write the size (streaming) leaves 0 or ~0.
            b"data" => {
                let available = b.len() - data;
                let size = if size == 0 || size > available { available } else { size };
                return ms(size as u64, u64::from(byte_rate?));
            }
            _ => {}
        }
        at = data.checked_add(size)?.checked_add(size & 1)?;
    }
    None
}

// ---- OGG: the last granule position of the first stream, at 48 kHz (Opus) or the Vorbis rate.

pub(super) fn ogg_ms(b: &[u8]) -> Option<u64> {
    let mut at = 0usize;
    let mut serial = None;
    let mut rate = 0u64;
    let mut pre_skip = 0u64;
    let mut last = None;
    while b.get(at..at.saturating_add(4)) == Some(b"OggS") {
        // A page cut short ends the walk: what came before it counts.
        let Some((granule, page_serial, body, next)) = ogg_page(b, at) else { break };
        match serial {
            None => {
                // The first page opens the stream: its codec says the clock.
                if body.starts_with(b"OpusHead") {
                    rate = 48_000;
                    pre_skip = u64::from(u16::from_le_bytes(body.get(10..12)?.try_into().ok()?));
                } else if body.starts_with(b"\x01vorbis") {
                    rate = u64::from(u32_le(body, 12)?);
                } else {
                    return None;
                }
                serial = Some(page_serial);
            }
            Some(s) if s == page_serial && granule >= 0 => last = Some(granule as u64),
            _ => {}
        }
        at = next;
    }
    ms(last?.saturating_sub(pre_skip), rate)
}

/// A page at `at`: its granule position, its stream's serial number, its body and where the
/// next page starts.
fn ogg_page(b: &[u8], at: usize) -> Option<(i64, u32, &[u8], usize)> {
    let segments = usize::from(*b.get(at + 26)?);
    let table = b.get(at + 27..at + 27 + segments)?;
    let length: usize = table.iter().map(|s| usize::from(*s)).sum();
    let (start, end) = (at + 27 + segments, at + 27 + segments + length);
    let granule = i64::from_le_bytes(b.get(at + 6..at + 14)?.try_into().ok()?);
    Some((granule, u32_le(b, at + 14)?, b.get(start..end)?, end))
}

// ---- WebM / Matroska: the Duration in the segment's info, or else the last block's time (what
// browsers' recorders write: no Duration, clusters of unknown size). A video track refuses it.

const EBML_SEGMENT: u32 = 0x1853_8067;
const EBML_CLUSTER: u32 = 0x1F43_B675;
const EBML_INFO: u32 = 0x1549_A966;
const EBML_TRACKS: u32 = 0x1654_AE6B;
const EBML_TRACK_ENTRY: u32 = 0xAE;
const EBML_BLOCK_GROUP: u32 = 0xA0;

/// An EBML variable-length number at `at`: (value, its length). IDs keep their marker bits.
fn vint(b: &[u8], at: usize, keep_marker: bool) -> Option<(u64, usize)> {
    let first = *b.get(at)?;
    let len = first.leading_zeros() as usize + 1;
    if len > 8 {
        return None;
    }
    let mut value = if keep_marker { u64::from(first) } else { u64::from(first) & (0xFF >> len) };
    for i in 1..len {
        value = (value << 8) | u64::from(*b.get(at + i)?);
    }
    Some((value, len))
}

fn uint(data: &[u8]) -> u64 {
    data.iter().take(8).fold(0, |v, byte| (v << 8) | u64::from(*byte))
}

pub(super) fn webm_ms(b: &[u8]) -> Option<u64> {
    let (mut scale, mut duration, mut cluster, mut last_block) = (1_000_000u64, None, 0u64, None);
    let (mut audio, mut video, mut doc_ok) = (false, false, false);
    let mut at = 0usize;
    while at < b.len() {
        let (id, id_len) = vint(b, at, true)?;
        let (size, size_len) = vint(b, at + id_len, false)?;
        let data = at + id_len + size_len;
        let unknown = size == (1u64 << (7 * size_len)) - 1;
        match id as u32 {
            // Masters walked into: their children follow, whatever their size says.
            0x1A45_DFA3 | EBML_SEGMENT | EBML_CLUSTER | EBML_INFO | EBML_TRACKS
            | EBML_TRACK_ENTRY | EBML_BLOCK_GROUP => {
                at = data;
                continue;
            }
            _ if unknown => break,
            _ => {}
        }
        let end = data.checked_add(usize::try_from(size).ok()?)?;
        let Some(value) = b.get(data..end) else { break };
        match id as u32 {
            0x4282 => doc_ok = value == b"webm" || value == b"matroska",
            0x2A_D7B1 => scale = uint(value).max(1),
            0x4489 => {
                duration = match value.len() {
                    4 => Some(f64::from(f32::from_be_bytes(value.try_into().ok()?))),
                    8 => Some(f64::from_be_bytes(value.try_into().ok()?)),
                    _ => None,
                }
            }
            0x83 => match uint(value) {
                1 => video = true,
                2 => audio = true,
                _ => {}
            },
            0xE7 => cluster = uint(value),
            0xA3 | 0xA1 => {
                let (_, track_len) = vint(value, 0, false)?;
                let relative = i64::from(u16_be(value, track_len)? as i16);
                last_block = Some(cluster.saturating_add_signed(relative));
            }
            _ => {}
        }
        at = end;
    }
    if !doc_ok || !audio || video {
        return None;
    }
    let units = match duration {
        Some(d) if d.is_finite() && d > 0.0 && d < 1e15 => d as u64,
        _ => last_block?,
    };
    // Units of `scale` nanoseconds.
    Some((u128::from(units) * u128::from(scale) / 1_000_000) as u64)
}
