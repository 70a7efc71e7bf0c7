//! «Pièces jointes»: PDF, images and voice notes, recognised by their content, never by name or
//! declared type.

use crate::domain::audio::{self, AudioError, AudioFormat, MAX_VOICE_MS};
use crate::domain::directory::StagedFile;

pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;
pub const MAX_TOTAL_BYTES: usize = 20 * 1024 * 1024;
pub const MAX_FILES: usize = 10;
const MAX_NAME_CHARS: usize = 120;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachmentKind {
    Pdf,
    Jpeg,
    Png,
    Webp,
    /// A voice note (the formats of `domain::audio`).
    Audio(AudioFormat),
}

const KINDS: [AttachmentKind; 11] = [
    AttachmentKind::Pdf,
    AttachmentKind::Jpeg,
    AttachmentKind::Png,
    AttachmentKind::Webp,
    AttachmentKind::Audio(AudioFormat::Ogg),
    AttachmentKind::Audio(AudioFormat::Webm),
    AttachmentKind::Audio(AudioFormat::Mp4),
    AttachmentKind::Audio(AudioFormat::Aac),
    AttachmentKind::Audio(AudioFormat::Amr),
    AttachmentKind::Audio(AudioFormat::Mp3),
    AttachmentKind::Audio(AudioFormat::Wav),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttachmentError {
    Empty,
    TooLarge,
    /// Not a PDF, JPEG, PNG or WebP file, nor a recording.
    Unsupported,
    /// The content is one kind but the name claims another (a JPEG called «.pdf»).
    Mismatch,
    /// A recording longer than `MAX_VOICE_MS`.
    TooLong,
    /// A recording whose length cannot be read (damaged, cut short).
    Unreadable,
    /// Given as a voice note but not a recording.
    NotAudio,
}

impl AttachmentKind {
    /// Recognises the file by its magic bytes.
    pub fn sniff(bytes: &[u8]) -> Option<AttachmentKind> {
        if bytes.starts_with(b"%PDF-") {
            Some(AttachmentKind::Pdf)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(AttachmentKind::Jpeg)
        } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(AttachmentKind::Png)
        } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(AttachmentKind::Webp)
        } else {
            audio::sniff(bytes).map(AttachmentKind::Audio)
        }
    }

    pub fn is_audio(self) -> bool {
        matches!(self, AttachmentKind::Audio(_))
    }

    pub fn mime(self) -> &'static str {
        match self {
            AttachmentKind::Pdf => "application/pdf",
            AttachmentKind::Jpeg => "image/jpeg",
            AttachmentKind::Png => "image/png",
            AttachmentKind::Webp => "image/webp",
            AttachmentKind::Audio(format) => match format {
                AudioFormat::Ogg => "audio/ogg",
                AudioFormat::Webm => "audio/webm",
                AudioFormat::Mp4 => "audio/mp4",
                AudioFormat::Aac => "audio/aac",
                AudioFormat::Amr => "audio/amr",
                AudioFormat::Mp3 => "audio/mpeg",
                AudioFormat::Wav => "audio/wav",
            },
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            AttachmentKind::Pdf => "pdf",
            AttachmentKind::Jpeg => "jpeg",
            AttachmentKind::Png => "png",
            AttachmentKind::Webp => "webp",
            AttachmentKind::Audio(format) => match format {
                AudioFormat::Ogg => "ogg",
                AudioFormat::Webm => "weba",
                AudioFormat::Mp4 => "m4a",
                AudioFormat::Aac => "aac",
                AudioFormat::Amr => "amr",
                AudioFormat::Mp3 => "mp3",
                AudioFormat::Wav => "wav",
            },
        }
    }

    /// The extension a file of this kind is given when its name lacks it.
    pub fn extension(self) -> &'static str {
        match self {
            AttachmentKind::Pdf => "pdf",
            AttachmentKind::Jpeg => "jpg",
            AttachmentKind::Png => "png",
            AttachmentKind::Webp => "webp",
            AttachmentKind::Audio(AudioFormat::Webm) => "webm",
            AttachmentKind::Audio(_) => self.slug(),
        }
    }

    pub fn parse_slug(slug: &str) -> Option<AttachmentKind> {
        KINDS.into_iter().find(|k| k.slug() == slug)
    }

    /// The kind a file name's extension claims, if it is one we know.
    fn claimed_by(name: &str) -> Option<AttachmentKind> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "pdf" => Some(AttachmentKind::Pdf),
            "jpg" | "jpeg" | "jpe" | "jfif" => Some(AttachmentKind::Jpeg),
            "png" => Some(AttachmentKind::Png),
            "webp" => Some(AttachmentKind::Webp),
            "ogg" | "oga" | "opus" => Some(AttachmentKind::Audio(AudioFormat::Ogg)),
            "webm" | "weba" => Some(AttachmentKind::Audio(AudioFormat::Webm)),
            "m4a" | "mp4" | "3gp" | "3ga" | "m4b" => Some(AttachmentKind::Audio(AudioFormat::Mp4)),
            "aac" => Some(AttachmentKind::Audio(AudioFormat::Aac)),
            "amr" => Some(AttachmentKind::Audio(AudioFormat::Amr)),
            "mp3" => Some(AttachmentKind::Audio(AudioFormat::Mp3)),
            "wav" => Some(AttachmentKind::Audio(AudioFormat::Wav)),
            _ => None,
        }
    }
}

/// An uploaded file that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedFile {
    pub name: String,
    pub kind: AttachmentKind,
    pub size: usize,
    /// A recording's length.
    pub duration_ms: Option<u64>,
}

/// Checks one file: not empty, within the size limit, a supported kind by content, and not
/// named as another kind. `name` is what the browser sent; only a cleaned copy is kept.
pub fn check(name: &str, bytes: &[u8]) -> Result<CheckedFile, AttachmentError> {
    if bytes.is_empty() {
        return Err(AttachmentError::Empty);
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(AttachmentError::TooLarge);
    }
    let kind = AttachmentKind::sniff(bytes).ok_or(AttachmentError::Unsupported)?;
    // Recordings are often named after another container than theirs («.aac» holding MP4, «.mp4»
    // holding audio only): among recordings the content decides.
    let claimed = AttachmentKind::claimed_by(name);
    if claimed.is_some_and(|claimed| claimed != kind && !(claimed.is_audio() && kind.is_audio())) {
        return Err(AttachmentError::Mismatch);
    }
    let duration_ms = match kind {
        AttachmentKind::Audio(_) => match audio::read(bytes) {
            Ok(found) if found.duration_ms > MAX_VOICE_MS => return Err(AttachmentError::TooLong),
            Ok(found) => Some(found.duration_ms),
            Err(AudioError::NotAudio | AudioError::Unreadable) => {
                return Err(AttachmentError::Unreadable)
            }
        },
        _ => None,
    };
    // The name ends with the extension of what the file is, so no download can pose as another
    // kind («facture.exe» holding a PDF is kept as «facture.exe.pdf»).
    let mut name = clean_name(name);
    if !AttachmentKind::claimed_by(&name)
        .is_some_and(|c| c == kind || c.is_audio() && kind.is_audio())
    {
        name = format!(
            "{}.{}",
            name.chars().take(MAX_NAME_CHARS - 5).collect::<String>(),
            kind.extension()
        );
    }
    Ok(CheckedFile { name, kind, size: bytes.len(), duration_ms })
}

/// Checks a voice note: a file as `check` takes it, and a recording.
pub fn check_voice(name: &str, bytes: &[u8]) -> Result<CheckedFile, AttachmentError> {
    match check(name, bytes) {
        Ok(file) if !file.kind.is_audio() => Err(AttachmentError::NotAudio),
        Err(AttachmentError::Unsupported | AttachmentError::Mismatch) => {
            Err(AttachmentError::NotAudio)
        }
        other => other,
    }
}

/// A recording's length as the pages print it: «1 min 05 s», «42 s».
pub fn duration_label(ms: u64) -> String {
    let seconds = ms.div_ceil(1000);
    if seconds < 60 {
        format!("{seconds} s")
    } else {
        format!("{} min {:02} s", seconds / 60, seconds % 60)
    }
}

/// Whether an upload is a file its form has staged already (the same stored name and size): a
/// post sent again — the service worker's retry after an answer that never arrived, a form posted
/// again from the browser's history — carries its files again, and each is kept once.
pub fn already_staged(name: &str, bytes: &[u8], staged: &[StagedFile]) -> bool {
    staged.iter().any(|s| {
        s.size == bytes.len() as i64 && check(name, bytes).is_ok_and(|file| file.name == s.name)
    })
}

/// A display name safe for pages, mails and `Content-Disposition`: last path segment only,
/// no control characters or quotes, bounded length.
pub fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| {
            !c.is_control()
                && !crate::domain::text::is_invisible_format(*c)
                && !matches!(c, '"' | '<' | '>' | ';')
        })
        .take(MAX_NAME_CHARS)
        .collect();
    // No hidden-file or relative-looking names: leading dots and spaces go.
    let cleaned = cleaned.trim().trim_start_matches(['.', ' ']).to_owned();
    if cleaned.is_empty() {
        "fichier".to_owned()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PDF: &[u8] = b"%PDF-1.4\n1 0 obj\n";
    const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F'];
    const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];
    const WEBP: &[u8] = b"RIFF\x24\x00\x00\x00WEBPVP8 ";
    const EXE: &[u8] = b"MZ\x90\x00\x03\x00\x00\x00";

    #[test]
    fn names_end_with_what_the_file_is() {
        assert_eq!(check("facture\u{202E}fdp.exe", PDF).unwrap().name, "facturefdp.exe.pdf");
        assert_eq!(check("../../etc/passwd", PDF).unwrap().name, "passwd.pdf");
        assert_eq!(check("photo", JPEG).unwrap().name, "photo.jpg");
        assert_eq!(check("scan.PDF", PDF).unwrap().name, "scan.PDF");
        assert_eq!(check("", PNG).unwrap().name, "fichier.png");
        let long = "n".repeat(300);
        let named = check(&long, WEBP).unwrap().name;
        assert!(named.ends_with(".webp") && named.chars().count() <= MAX_NAME_CHARS);
    }

    #[test]
    fn recognises_each_kind_by_content() {
        assert_eq!(check("scan.pdf", PDF).unwrap().kind, AttachmentKind::Pdf);
        assert_eq!(check("photo.JPG", JPEG).unwrap().kind, AttachmentKind::Jpeg);
        assert_eq!(check("capture.png", PNG).unwrap().kind, AttachmentKind::Png);
        assert_eq!(check("image.webp", WEBP).unwrap().kind, AttachmentKind::Webp);
        // No extension, or one we do not know: the content decides.
        assert_eq!(check("IMG_2031", JPEG).unwrap().kind, AttachmentKind::Jpeg);
    }

    #[test]
    fn refuses_empty_oversized_foreign_and_lying_files() {
        assert_eq!(check("vide.pdf", b""), Err(AttachmentError::Empty));
        let mut big = PDF.to_vec();
        big.resize(MAX_FILE_BYTES + 1, b' ');
        assert_eq!(check("gros.pdf", &big), Err(AttachmentError::TooLarge));
        big.truncate(MAX_FILE_BYTES);
        assert!(check("juste.pdf", &big).is_ok(), "exactly 5 MB is allowed");
        assert_eq!(check("facture.pdf", EXE), Err(AttachmentError::Unsupported));
        assert_eq!(check("photo.pdf", JPEG), Err(AttachmentError::Mismatch));
        assert_eq!(check("doc.png", PDF), Err(AttachmentError::Mismatch));
        // A RIFF that is not WebP is not an image: here a sound without its data, named a picture.
        assert_eq!(
            check("riff.webp", b"RIFF\x24\x00\x00\x00WAVEfmt "),
            Err(AttachmentError::Mismatch)
        );
        assert_eq!(
            check("riff", b"RIFF\x24\x00\x00\x00WAVEfmt "),
            Err(AttachmentError::Unreadable)
        );
    }

    #[test]
    fn voice_notes_are_recordings_of_three_minutes_at_most() {
        let wav = crate::domain::audio::tests::wav;
        let note = check("note.wav", &wav(42)).unwrap();
        assert_eq!((note.kind.slug(), note.duration_ms), ("wav", Some(42_000)));
        assert_eq!(check_voice("appel", &wav(180)).unwrap().name, "appel.wav");
        assert_eq!(check_voice("long.wav", &wav(181)), Err(AttachmentError::TooLong));
        assert_eq!(check_voice("scan.pdf", PDF), Err(AttachmentError::NotAudio));
        assert_eq!(check_voice("photo.mp3", JPEG), Err(AttachmentError::NotAudio));
        assert_eq!(check_voice("virus.wav", EXE), Err(AttachmentError::NotAudio));
        assert_eq!(check_voice("cut.wav", &wav(1)[..40]), Err(AttachmentError::Unreadable));
        // Among recordings the content decides; a recording never poses as a document.
        assert_eq!(check("note.m4a", &wav(1)).unwrap().name, "note.m4a");
        assert_eq!(check("note.pdf", &wav(1)), Err(AttachmentError::Mismatch));
        assert!(check("scan.pdf", PDF).unwrap().duration_ms.is_none());
        for kind in KINDS {
            assert_eq!(AttachmentKind::parse_slug(kind.slug()), Some(kind));
        }
        assert_eq!(duration_label(42_000), "42 s");
        assert_eq!(duration_label(65_001), "1 min 06 s");
    }

    #[test]
    fn a_file_sent_again_with_its_form_is_known_by_stored_name_and_size() {
        let staged = |name: &str, size: usize| StagedFile {
            id: 1,
            name: name.into(),
            size: size as i64,
            audio: false,
        };
        let kept = [staged("photo.jpg", JPEG.len()), staged("scan.pdf", PDF.len())];
        assert!(already_staged("photo", JPEG, &kept), "the stored name, extension added");
        assert!(already_staged("C:\\scan.pdf", PDF, &kept));
        assert!(!already_staged("autre.pdf", PDF, &kept), "another name");
        assert!(!already_staged("photo.jpg", &[JPEG, b"x"].concat(), &kept), "another size");
        assert!(!already_staged("scan.pdf", EXE, &kept), "a file refused is never taken as kept");
        assert!(!already_staged("photo.jpg", JPEG, &[]));
    }

    #[test]
    fn names_are_cleaned_for_display() {
        assert_eq!(clean_name("C:\\Users\\awa\\reçu \"mars\".pdf"), "reçu mars.pdf");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("a\u{0}b\nc.pdf"), "abc.pdf");
        assert_eq!(clean_name("   "), "fichier");
        assert_eq!(clean_name("....facture.pdf"), "facture.pdf");
        assert_eq!(clean_name(".."), "fichier");
        assert_eq!(clean_name(&"x".repeat(300)).chars().count(), 120);
    }
}
