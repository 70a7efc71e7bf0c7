//! A ZIP archive written as it goes (PKWARE APPNOTE 6.3.x, «stored» entries, no compression):
//! an entry whose bytes are all known is written whole; one that arrives in pieces (a sheet read
//! from D1 a page at a time) gets a local header flagged «sizes follow» (bit 3), its bytes, then a
//! data descriptor. The central directory comes last. Names are UTF-8 (bit 11). No ZIP64: an
//! archive stays under 4 GiB (a 100 000-row sheet is about 60 MB).

/// CRC-32 (IEEE 802.3, reflected, as ZIP uses it), table computed at compile time.
const CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 == 1 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
};

/// A running CRC-32.
#[derive(Debug, Clone, Copy)]
pub struct Crc(u32);

impl Default for Crc {
    fn default() -> Crc {
        Crc(0xFFFF_FFFF)
    }
}

impl Crc {
    pub fn update(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = CRC_TABLE[((self.0 ^ u32::from(*b)) & 0xFF) as usize] ^ (self.0 >> 8);
        }
    }
    pub fn value(self) -> u32 {
        !self.0
    }
}

pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = Crc::default();
    crc.update(bytes);
    crc.value()
}

/// MS-DOS time and date of `ms` (UTC; the archive's entries all carry the time it was made).
pub fn dos_time(ms: i64) -> (u16, u16) {
    let days = ms.div_euclid(86_400_000);
    let secs = ms.div_euclid(1000).rem_euclid(86_400);
    let (y, m, d) = super::super::time::civil(days);
    let year = (y - 1980).clamp(0, 127) as u16;
    let time =
        ((secs / 3600) as u16) << 11 | (((secs / 60) % 60) as u16) << 5 | ((secs % 60) / 2) as u16;
    (time, year << 9 | (m as u16) << 5 | d as u16)
}

struct Central {
    name: String,
    crc: u32,
    size: u32,
    offset: u32,
    streamed: bool,
}

/// An archive being written: each call returns the bytes to send next.
pub struct ZipWriter {
    offset: u64,
    entries: Vec<Central>,
    open: Option<(String, Crc, u64, u64)>,
    time: (u16, u16),
}

const VERSION: u16 = 20;
const UTF8: u16 = 1 << 11;
const SIZES_FOLLOW: u16 = 1 << 3;

fn le16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}
fn le32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

impl ZipWriter {
    /// An archive whose entries carry the time `ms`.
    pub fn new(ms: i64) -> ZipWriter {
        ZipWriter { offset: 0, entries: Vec::new(), open: None, time: dos_time(ms) }
    }

    fn local_header(&self, name: &str, crc: u32, size: u32, streamed: bool) -> Vec<u8> {
        let mut out = Vec::with_capacity(30 + name.len());
        le32(&mut out, 0x0403_4B50);
        le16(&mut out, VERSION);
        le16(&mut out, UTF8 | if streamed { SIZES_FOLLOW } else { 0 });
        le16(&mut out, 0); // stored
        le16(&mut out, self.time.0);
        le16(&mut out, self.time.1);
        le32(&mut out, crc);
        le32(&mut out, size);
        le32(&mut out, size);
        le16(&mut out, name.len() as u16);
        le16(&mut out, 0);
        out.extend_from_slice(name.as_bytes());
        out
    }

    /// A whole entry: its header and its bytes.
    pub fn entry(&mut self, name: &str, data: &[u8]) -> Vec<u8> {
        let (crc, size) = (crc32(data), data.len() as u32);
        let mut out = self.local_header(name, crc, size, false);
        out.extend_from_slice(data);
        self.entries.push(Central {
            name: name.to_owned(),
            crc,
            size,
            offset: self.offset as u32,
            streamed: false,
        });
        self.offset += out.len() as u64;
        out
    }

    /// Opens an entry whose bytes follow in pieces (`piece`), closed by `close`.
    pub fn begin(&mut self, name: &str) -> Vec<u8> {
        let out = self.local_header(name, 0, 0, true);
        self.open = Some((name.to_owned(), Crc::default(), 0, self.offset));
        self.offset += out.len() as u64;
        out
    }

    /// Counts a piece of the open entry; the same bytes go out unchanged.
    pub fn piece(&mut self, bytes: &[u8]) {
        if let Some((_, crc, size, _)) = &mut self.open {
            crc.update(bytes);
            *size += bytes.len() as u64;
            self.offset += bytes.len() as u64;
        }
    }

    /// Closes the open entry: its data descriptor.
    pub fn close(&mut self) -> Vec<u8> {
        let Some((name, crc, size, offset)) = self.open.take() else { return Vec::new() };
        let mut out = Vec::with_capacity(16);
        le32(&mut out, 0x0807_4B50);
        le32(&mut out, crc.value());
        le32(&mut out, size as u32);
        le32(&mut out, size as u32);
        self.entries.push(Central {
            name,
            crc: crc.value(),
            size: size as u32,
            offset: offset as u32,
            streamed: true,
        });
        self.offset += out.len() as u64;
        out
    }

    /// The central directory and its end record: the archive's last bytes.
    pub fn finish(mut self) -> Vec<u8> {
        let mut out = self.close();
        let start = self.offset as u32;
        let mut directory = Vec::new();
        for e in &self.entries {
            le32(&mut directory, 0x0201_4B50);
            le16(&mut directory, VERSION);
            le16(&mut directory, VERSION);
            le16(&mut directory, UTF8 | if e.streamed { SIZES_FOLLOW } else { 0 });
            le16(&mut directory, 0);
            le16(&mut directory, self.time.0);
            le16(&mut directory, self.time.1);
            le32(&mut directory, e.crc);
            le32(&mut directory, e.size);
            le32(&mut directory, e.size);
            le16(&mut directory, e.name.len() as u16);
            le16(&mut directory, 0); // extra
            le16(&mut directory, 0); // comment
            le16(&mut directory, 0); // disk
            le16(&mut directory, 0); // internal attributes
            le32(&mut directory, 0); // external attributes
            le32(&mut directory, e.offset);
            directory.extend_from_slice(e.name.as_bytes());
        }
        let size = directory.len() as u32;
        le32(&mut directory, 0x0605_4B50);
        le16(&mut directory, 0);
        le16(&mut directory, 0);
        le16(&mut directory, self.entries.len() as u16);
        le16(&mut directory, self.entries.len() as u16);
        le32(&mut directory, size);
        le32(&mut directory, start);
        le16(&mut directory, 0);
        out.extend(directory);
        out
    }
}

/// Reads a stored archive back (for the tests here and the writers'): each entry's name and bytes,
/// checked against its CRC. None when anything does not add up.
#[cfg(test)]
pub fn read(archive: &[u8]) -> Option<Vec<(String, Vec<u8>)>> {
    let u16_at = |i: usize| Some(u16::from_le_bytes(archive.get(i..i + 2)?.try_into().ok()?));
    let u32_at = |i: usize| Some(u32::from_le_bytes(archive.get(i..i + 4)?.try_into().ok()?));
    let end = archive.len().checked_sub(22)?;
    if u32_at(end)? != 0x0605_4B50 {
        return None;
    }
    let (count, mut at) = (u16_at(end + 10)? as usize, u32_at(end + 16)? as usize);
    let mut out = Vec::new();
    for _ in 0..count {
        if u32_at(at)? != 0x0201_4B50 {
            return None;
        }
        let (crc, size) = (u32_at(at + 16)?, u32_at(at + 20)? as usize);
        let name_len = u16_at(at + 28)? as usize;
        let offset = u32_at(at + 42)? as usize;
        let name = String::from_utf8(archive.get(at + 46..at + 46 + name_len)?.to_vec()).ok()?;
        let local_name = u16_at(offset + 26)? as usize + u16_at(offset + 28)? as usize;
        let data = archive.get(offset + 30 + local_name..offset + 30 + local_name + size)?.to_vec();
        if crc32(&data) != crc || u32_at(offset)? != 0x0403_4B50 {
            return None;
        }
        out.push((name, data));
        at += 46 + name_len;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
        let mut pieces = Crc::default();
        pieces.update(b"1234");
        pieces.update(b"56789");
        assert_eq!(pieces.value(), 0xCBF4_3926);
    }

    #[test]
    fn whole_and_streamed_entries_read_back() {
        let mut zip = ZipWriter::new(1_767_225_600_000); // 2026-01-01
        let mut bytes = zip.entry("lisez-moi.txt", "Données — été".as_bytes());
        bytes.extend(zip.begin("fichiers/feuille.xml"));
        for piece in ["<a>", "é", "</a>"] {
            zip.piece(piece.as_bytes());
            bytes.extend(piece.as_bytes());
        }
        bytes.extend(zip.close());
        bytes.extend(zip.entry("vide.txt", b""));
        bytes.extend(zip.finish());
        let entries = read(&bytes).expect("a valid archive");
        let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["lisez-moi.txt", "fichiers/feuille.xml", "vide.txt"]);
        assert_eq!(String::from_utf8(entries[1].1.clone()).unwrap(), "<a>é</a>");
        assert_eq!(String::from_utf8(entries[0].1.clone()).unwrap(), "Données — été");
    }

    #[test]
    fn dos_times_count_from_1980() {
        // 2026-05-17 13:45:30 UTC
        let (time, date) = dos_time(1_779_025_530_000);
        assert_eq!((date >> 9, (date >> 5) & 15, date & 31), (46, 5, 17));
        assert_eq!((time >> 11, (time >> 5) & 63, (time & 31) * 2), (13, 45, 30));
    }
}
