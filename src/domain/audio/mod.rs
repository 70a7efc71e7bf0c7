//! Voice notes: audio recognised by its bytes — Opus or Vorbis in OGG, WebM (what browsers
//! record), MP4/M4A/3GP (AAC, AMR), raw AAC (ADTS), AMR, MP3 and WAV — and its length read from
//! the container, never from a declared type or a file name. Every reader walks bounded
//! structures forward and gives up (None) on anything it cannot follow: no panic, no loop.

mod boxes;
mod chunks;
mod frames;

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
    } else if b.starts_with(b"ID3") || frames::mp3_frame(b, 0).is_some() {
        Some(AudioFormat::Mp3)
    } else if frames::adts_frame(b, 0).is_some() {
        Some(AudioFormat::Aac)
    } else {
        None
    }
}

/// Reads a recording: its format and length.
pub fn read(b: &[u8]) -> Result<Audio, AudioError> {
    let format = sniff(b).ok_or(AudioError::NotAudio)?;
    let duration_ms = match format {
        AudioFormat::Ogg => chunks::ogg_ms(b),
        AudioFormat::Webm => chunks::webm_ms(b),
        AudioFormat::Mp4 => boxes::mp4_ms(b),
        AudioFormat::Aac => frames::adts_ms(b),
        AudioFormat::Amr => frames::amr_ms(b),
        AudioFormat::Mp3 => frames::mp3_ms(b),
        AudioFormat::Wav => chunks::wav_ms(b),
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

#[cfg(test)]
pub(crate) mod tests;
