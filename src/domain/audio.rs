//! Voice notes: audio recognised by its bytes — Opus or Vorbis in OGG, WebM (what browsers
//! record), MP4/M4A/3GP (AAC, AMR), raw AAC (ADTS), AMR, MP3 and WAV — and its length read from
//! the container, never from a declared type or a file name. Every reader walks bounded
//! structures forward and gives up (None) on anything it cannot follow: no panic, no loop.

/// The longest voice note kept (the issue's «≤ 3 minutes»).
pub const MAX_VOICE_MS: u64 = 180_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AudioFormat {
    Ogg,
    Webm,
    Mp4,
    Aac,
    Amr,
    Mp3,
    Wav,
}

/// What the bytes hold, when they are a recording this module can read, and its length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Audio {
    pub format: AudioFormat,
    pub duration_ms: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AudioError {
    /// Not a recording in any format read here (a video is not a voice note either).
    NotAudio,
    /// A recording whose length cannot be read: damaged or cut short.
    Unreadable,
}

/// The container's format by its first bytes; None for anything else.
pub fn sniff(b: &[u8]) -> Option<AudioFormat> {
    if b.starts_with(b"OggS") {
        Some(AudioFormat::Ogg)
    } else if b.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
        Some(AudioFormat::Webm)
    } else if b.len() >= 12 && &b[4..8] == b"ftyp" {
        Some(AudioFormat::Mp4)
    } else if b.starts_with(b"#!AMR") {
        Some(AudioFormat::Amr)
    } else if b.len() >= 12 && &b[0..4] == b"RIFF" && &b[8..12] == b"WAVE" {
        Some(AudioFormat::Wav)
    } else if b.starts_with(b"ID3") || mp3_frame(b, 0).is_some() {
        Some(AudioFormat::Mp3)
    } else if adts_frame(b, 0).is_some() {
        Some(AudioFormat::Aac)
    } else {
        None
    }
}

/// Reads a recording: its format and length.
pub fn read(b: &[u8]) -> Result<Audio, AudioError> {
    let format = sniff(b).ok_or(AudioError::NotAudio)?;
    let duration_ms = match format {
        AudioFormat::Ogg => ogg_ms(b),
        AudioFormat::Webm => webm_ms(b),
        AudioFormat::Mp4 => mp4_ms(b),
        AudioFormat::Aac => adts_ms(b),
        AudioFormat::Amr => amr_ms(b),
        AudioFormat::Mp3 => mp3_ms(b),
        AudioFormat::Wav => wav_ms(b),
    }
    .ok_or(AudioError::Unreadable)?;
    Ok(Audio { format, duration_ms })
}

fn u16_be(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at.checked_add(2)?)?.try_into().ok()?))
}
fn u32_be(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at.checked_add(4)?)?.try_into().ok()?))
}
fn u64_be(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_be_bytes(b.get(at..at.checked_add(8)?)?.try_into().ok()?))
}
fn u32_le(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at.checked_add(4)?)?.try_into().ok()?))
}

/// `units` of `1/per_second` seconds in milliseconds, without overflow.
fn ms(units: u64, per_second: u64) -> Option<u64> {
    (per_second > 0).then(|| (u128::from(units) * 1000 / u128::from(per_second)) as u64)
}

// ---- WAV: the data chunk's size over the format's bytes per second.

fn wav_ms(b: &[u8]) -> Option<u64> {
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

fn ogg_ms(b: &[u8]) -> Option<u64> {
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

fn webm_ms(b: &[u8]) -> Option<u64> {
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

fn mp4_ms(b: &[u8]) -> Option<u64> {
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

// ---- AMR: 20 ms a frame, each frame's size from its header byte.

const AMR_NB_BYTES: [u8; 16] = [12, 13, 15, 17, 19, 20, 26, 31, 5, 0, 0, 0, 0, 0, 0, 0];
const AMR_WB_BYTES: [u8; 16] = [17, 23, 32, 36, 40, 46, 50, 58, 60, 5, 0, 0, 0, 0, 0, 0];

fn amr_ms(b: &[u8]) -> Option<u64> {
    let (mut at, sizes, reserved) = if b.starts_with(b"#!AMR-WB\n") {
        (9, &AMR_WB_BYTES, 10..14)
    } else if b.starts_with(b"#!AMR\n") {
        (6, &AMR_NB_BYTES, 9..15)
    } else {
        return None;
    };
    let mut frames = 0u64;
    while let Some(header) = b.get(at) {
        let kind = usize::from((header >> 3) & 0x0F);
        if reserved.contains(&kind) {
            break;
        }
        at += 1 + usize::from(sizes[kind]);
        if at > b.len() {
            break;
        }
        frames += 1;
    }
    (frames > 0).then_some(frames * 20)
}

// ---- MP3: frames walked one by one (the ID3 tag skipped); ADTS (raw AAC) the same way.

/// (frame length in bytes, samples, sample rate) of the frame whose header is at the offset.
type FrameReader = fn(&[u8], usize) -> Option<(usize, u64, u64)>;

/// (frame length, samples, sample rate) of an MPEG audio frame header at `at`.
fn mp3_frame(b: &[u8], at: usize) -> Option<(usize, u64, u64)> {
    let h = b.get(at..at + 4)?;
    if h[0] != 0xFF || h[1] & 0xE0 != 0xE0 {
        return None;
    }
    let version = (h[1] >> 3) & 3; // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
    let layer = (h[1] >> 1) & 3; // 3: I, 2: II, 1: III
    let (bitrate_index, rate_index) = (usize::from(h[2] >> 4), usize::from((h[2] >> 2) & 3));
    if version == 1 || layer == 0 || bitrate_index == 0 || bitrate_index == 15 || rate_index == 3 {
        return None;
    }
    const RATES: [[u64; 3]; 3] =
        [[11_025, 12_000, 8_000], [22_050, 24_000, 16_000], [44_100, 48_000, 32_000]];
    let rate = RATES[match version {
        3 => 2,
        2 => 1,
        _ => 0,
    }][rate_index];
    const KBPS: [[u64; 14]; 5] = [
        [32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
        [32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
        [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
        [32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
        [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    ];
    let table = match (version == 3, layer) {
        (true, 3) => 0,
        (true, 2) => 1,
        (true, _) => 2,
        (false, 3) => 3,
        (false, _) => 4,
    };
    let bps = KBPS[table][bitrate_index - 1] * 1000;
    let padding = u64::from((h[2] >> 1) & 1);
    let (length, samples) = match (layer, version == 3) {
        (3, _) => ((12 * bps / rate + padding) * 4, 384),
        (1, false) => (72 * bps / rate + padding, 576),
        _ => (144 * bps / rate + padding, 1152),
    };
    Some((length as usize, samples, rate))
}

fn mp3_ms(b: &[u8]) -> Option<u64> {
    let mut at = 0usize;
    if b.starts_with(b"ID3") {
        let h = b.get(..10)?;
        let size = h[6..10].iter().fold(0usize, |v, byte| (v << 7) | usize::from(byte & 0x7F));
        at = 10 + size + if h[5] & 0x10 != 0 { 10 } else { 0 };
    }
    frames_ms(b, at, mp3_frame)
}

fn adts_frame(b: &[u8], at: usize) -> Option<(usize, u64, u64)> {
    let h = b.get(at..at + 7)?;
    if h[0] != 0xFF || h[1] & 0xF6 != 0xF0 {
        return None;
    }
    const RATES: [u64; 13] = [
        96_000, 88_200, 64_000, 48_000, 44_100, 32_000, 24_000, 22_050, 16_000, 12_000, 11_025,
        8_000, 7_350,
    ];
    let rate = *RATES.get(usize::from((h[2] >> 2) & 0x0F))?;
    let length = (usize::from(h[3] & 3) << 11) | (usize::from(h[4]) << 3) | usize::from(h[5] >> 5);
    (length >= 7).then_some((length, 1024 * (u64::from(h[6] & 3) + 1), rate))
}

fn adts_ms(b: &[u8]) -> Option<u64> {
    frames_ms(b, 0, adts_frame)
}

/// Frames from `at` while each header reads; the first must be followed by a second (or the end),
/// so a stray pair of bytes is not taken for sound.
fn frames_ms(b: &[u8], mut at: usize, frame: FrameReader) -> Option<u64> {
    let mut micros = 0u64;
    let mut frames = 0u32;
    while let Some((length, samples, rate)) = frame(b, at) {
        if length == 0 || at + length > b.len() {
            break;
        }
        at += length;
        frames += 1;
        micros += samples * 1_000_000 / rate;
    }
    (frames >= 2 || (frames == 1 && at == b.len())).then_some(micros / 1000)
}

#[cfg(test)]
#[path = "audio_tests.rs"]
pub(crate) mod tests;
