//! Recordings as a run of frames: AMR, MP3, raw AAC (ADTS).

// ---- AMR: 20 ms a frame, each frame's size from its header byte.

const AMR_NB_BYTES: [u8; 16] = [12, 13, 15, 17, 19, 20, 26, 31, 5, 0, 0, 0, 0, 0, 0, 0];
const AMR_WB_BYTES: [u8; 16] = [17, 23, 32, 36, 40, 46, 50, 58, 60, 5, 0, 0, 0, 0, 0, 0];

pub(super) fn amr_ms(b: &[u8]) -> Option<u64> {
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
pub(super) fn mp3_frame(b: &[u8], at: usize) -> Option<(usize, u64, u64)> {
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

pub(super) fn mp3_ms(b: &[u8]) -> Option<u64> {
    let mut at = 0usize;
    if b.starts_with(b"ID3") {
        let h = b.get(..10)?;
        let size = h[6..10].iter().fold(0usize, |v, byte| (v << 7) | usize::from(byte & 0x7F));
        at = 10 + size + if h[5] & 0x10 != 0 { 10 } else { 0 };
    }
    frames_ms(b, at, mp3_frame)
}

pub(super) fn adts_frame(b: &[u8], at: usize) -> Option<(usize, u64, u64)> {
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

pub(super) fn adts_ms(b: &[u8]) -> Option<u64> {
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
