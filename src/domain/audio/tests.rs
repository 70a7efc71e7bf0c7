use super::*;
use proptest::prelude::*;

/// A PCM WAV of `seconds` at 8 kHz, 8-bit mono (8 000 bytes a second).
pub fn wav(seconds: u32) -> Vec<u8> {
    let data = 8_000 * seconds;
    let mut b = b"RIFF".to_vec();
    b.extend((36 + data).to_le_bytes());
    b.extend(b"WAVEfmt ");
    b.extend(16u32.to_le_bytes());
    b.extend(1u16.to_le_bytes()); // PCM
    b.extend(1u16.to_le_bytes()); // mono
    b.extend(8_000u32.to_le_bytes());
    b.extend(8_000u32.to_le_bytes()); // bytes a second
    b.extend(1u16.to_le_bytes());
    b.extend(8u16.to_le_bytes());
    b.extend(b"data");
    b.extend(data.to_le_bytes());
    b.resize(b.len() + data as usize, 0x80);
    b
}

fn ogg_page(serial: u32, granule: i64, body: &[u8]) -> Vec<u8> {
    let mut p = b"OggS\0\0".to_vec();
    p.extend(granule.to_le_bytes());
    p.extend(serial.to_le_bytes());
    p.extend([0; 8]); // sequence, checksum
    let mut table = vec![255u8; body.len() / 255];
    table.push((body.len() % 255) as u8);
    p.push(table.len() as u8);
    p.extend(table);
    p.extend(body);
    p
}

fn opus(seconds: i64) -> Vec<u8> {
    let mut head = b"OpusHead\x01\x01".to_vec();
    head.extend(312u16.to_le_bytes());
    head.extend(48_000u32.to_le_bytes());
    let mut b = ogg_page(7, 0, &head);
    b.extend(ogg_page(7, 0, b"OpusTags"));
    b.extend(ogg_page(7, 312 + 48_000 * seconds / 2, &[1; 300]));
    b.extend(ogg_page(7, 312 + 48_000 * seconds, &[1; 300]));
    b
}

fn ebml(id: &[u8], body: &[u8]) -> Vec<u8> {
    let mut e = id.to_vec();
    e.push(0x01); // an 8-byte size
    e.extend((body.len() as u64).to_be_bytes()[1..].iter());
    e.extend(body);
    e
}

/// What a browser's recorder writes: a segment and clusters of unknown size, no Duration.
fn webm(seconds: u64, track_type: u8) -> Vec<u8> {
    let mut b = ebml(&[0x1A, 0x45, 0xDF, 0xA3], &ebml(&[0x42, 0x82], b"webm"));
    b.extend([0x18, 0x53, 0x80, 0x67, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);
    b.extend(ebml(&[0x15, 0x49, 0xA9, 0x66], &ebml(&[0x2A, 0xD7, 0xB1], &[0x0F, 0x42, 0x40])));
    let entry =
        [ebml(&[0xD7], &[1]), ebml(&[0x83], &[track_type]), ebml(&[0x86], b"A_OPUS")].concat();
    b.extend(ebml(&[0x16, 0x54, 0xAE, 0x6B], &ebml(&[0xAE], &entry)));
    for second in 0..seconds {
        b.extend([0x1F, 0x43, 0xB6, 0x75, 0xFF]);
        b.extend(ebml(&[0xE7], &(second * 1000).to_be_bytes()));
        for relative in [0i16, 500, 980] {
            let mut block = vec![0x81];
            block.extend(relative.to_be_bytes());
            block.extend([0x80, 1, 2, 3]);
            b.extend(ebml(&[0xA3], &block));
        }
    }
    b
}

fn mp4_box(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut b = ((body.len() + 8) as u32).to_be_bytes().to_vec();
    b.extend(kind);
    b.extend(body);
    b
}

fn m4a(seconds: u32, handler: &[u8; 4]) -> Vec<u8> {
    let mut mvhd = vec![0; 12];
    mvhd.extend(1000u32.to_be_bytes());
    mvhd.extend((seconds * 1000).to_be_bytes());
    mvhd.resize(100, 0);
    let hdlr = [&[0u8; 8][..], handler, &[0; 12]].concat();
    let trak = mp4_box(b"trak", &mp4_box(b"mdia", &mp4_box(b"hdlr", &hdlr)));
    let moov = mp4_box(b"moov", &[mp4_box(b"mvhd", &mvhd), trak].concat());
    [mp4_box(b"ftyp", b"M4A \0\0\0\0isom"), mp4_box(b"mdat", &[0; 64]), moov].concat()
}

fn mp3(frames: usize) -> Vec<u8> {
    // MPEG-1 layer III, 128 kb/s, 44.1 kHz, no padding: 417 bytes, 1152 samples a frame.
    let mut b = b"ID3\x04\0\0\0\0\0\x05hello".to_vec();
    for _ in 0..frames {
        b.extend([0xFF, 0xFB, 0x90, 0x00]);
        b.resize(b.len() + 413, 0);
    }
    b
}

#[test]
fn reads_the_length_of_each_format() {
    let at = |b: &[u8]| read(b).map(|a| (a.format, a.duration_ms));
    assert_eq!(at(&wav(3)), Ok((AudioFormat::Wav, 3_000)));
    assert_eq!(at(&opus(10)), Ok((AudioFormat::Ogg, 10_000)));
    assert_eq!(at(&webm(4, 2)), Ok((AudioFormat::Webm, 3_980)));
    assert_eq!(at(&m4a(42, b"soun")), Ok((AudioFormat::Mp4, 42_000)));
    // 100 frames of 1152 samples at 44.1 kHz: 2.612 s.
    assert_eq!(at(&mp3(100)), Ok((AudioFormat::Mp3, 2_612)));
    let mut amr = b"#!AMR\n".to_vec();
    for _ in 0..250 {
        amr.push(0x3C); // 12.2 kb/s: 31 bytes after the header byte
        amr.extend([0; 31]);
    }
    assert_eq!(at(&amr), Ok((AudioFormat::Amr, 5_000)));
    let mut adts = Vec::new();
    for _ in 0..47 {
        // 48 kHz (index 3), one block of 1024 samples, 20-byte frames.
        adts.extend([0xFF, 0xF1, 0x4C, 0x80, 0x02, 0x9F, 0xFC]);
        adts.extend([0; 13]);
    }
    assert_eq!(at(&adts), Ok((AudioFormat::Aac, 1_002)));
}

#[test]
fn a_webm_with_its_duration_reads_it() {
    let mut b = ebml(&[0x1A, 0x45, 0xDF, 0xA3], &ebml(&[0x42, 0x82], b"webm"));
    let info = [
        ebml(&[0x2A, 0xD7, 0xB1], &[0x0F, 0x42, 0x40]),
        ebml(&[0x44, 0x89], &125_500f64.to_be_bytes()),
    ]
    .concat();
    let tracks = ebml(&[0x16, 0x54, 0xAE, 0x6B], &ebml(&[0xAE], &ebml(&[0x83], &[2])));
    let segment = [ebml(&[0x15, 0x49, 0xA9, 0x66], &info), tracks].concat();
    b.extend(ebml(&[0x18, 0x53, 0x80, 0x67], &segment));
    assert_eq!(read(&b).map(|a| a.duration_ms), Ok(125_500));
}

#[test]
fn videos_and_other_files_are_not_voice_notes() {
    assert_eq!(read(&webm(2, 1)), Err(AudioError::Unreadable), "a WebM video");
    assert_eq!(read(&m4a(2, b"vide")), Err(AudioError::Unreadable), "an MP4 video");
    assert_eq!(read(b"%PDF-1.4"), Err(AudioError::NotAudio));
    assert_eq!(read(b""), Err(AudioError::NotAudio));
    assert_eq!(read(b"RIFF\x24\0\0\0WEBPVP8 "), Err(AudioError::NotAudio));
    // Theora in OGG is a video.
    assert_eq!(read(&ogg_page(1, 0, b"\x80theora")), Err(AudioError::Unreadable));
}

#[test]
fn damaged_recordings_are_unreadable() {
    let whole = opus(10);
    assert_eq!(read(&whole[..60]), Err(AudioError::Unreadable), "only the header pages");
    assert_eq!(read(&[0xFF, 0xFB, 0x90, 0x00, 1, 2]), Err(AudioError::Unreadable), "one cut frame");
    assert_eq!(read(b"#!AMR\n"), Err(AudioError::Unreadable));
    assert_eq!(read(&wav(1)[..40]), Err(AudioError::Unreadable), "no data chunk");
    // A cut MP3 keeps the frames before the cut.
    let cut = mp3(10);
    assert_eq!(read(&cut[..cut.len() - 100]).map(|a| a.duration_ms), Ok(235));
}

#[test]
fn a_wav_written_while_streaming_counts_what_is_there() {
    let mut b = wav(2);
    b[40..44].copy_from_slice(&u32::MAX.to_le_bytes());
    assert_eq!(read(&b).map(|a| a.duration_ms), Ok(2_000));
}

proptest! {
    #[test]
    fn never_panics_on_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = read(&bytes);
    }

    #[test]
    fn never_panics_on_damaged_recordings(cut in 0usize..4000, flip in 0usize..4000, byte in any::<u8>()) {
        for mut b in [opus(3), webm(3, 2), m4a(3, b"soun"), mp3(8), wav(1)] {
            let at = flip % b.len();
            b[at] = byte;
            b.truncate(cut % (b.len() + 1));
            let _ = read(&b);
        }
    }
}
