//! Exports of the back office (queues, search results, the dashboard, the audit trail) as CSV or
//! XLSX, written a page of rows at a time so that a 100 000-row export is streamed from D1 and
//! never held whole: `Writer::start` gives the first bytes (header row), `rows` the bytes of each
//! page, `finish` the last. CSV is UTF-8 with a BOM (Excel then reads the accents), `;`-separated
//! as French Excel expects, CRLF, every text cell neutralised against formulas
//! (`text::csv_cell`). XLSX is a minimal SpreadsheetML workbook (ECMA-376) in a stored ZIP: every
//! value is an inline string or a number, never a formula.

pub mod xlsx;
pub mod zip;

use super::text::csv_cell;

/// Rows read from D1 per page of an export: a 100 000-row export is 40 pages (one statement each).
pub const PAGE_ROWS: i64 = 2500;

/// One value of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(i64),
    Empty,
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}
impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }
}
impl From<Option<String>> for Cell {
    fn from(s: Option<String>) -> Cell {
        s.map_or(Cell::Empty, Cell::Text)
    }
}
impl From<i64> for Cell {
    fn from(n: i64) -> Cell {
        Cell::Number(n)
    }
}

/// The two formats, as `?format=` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    }
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// A CSV field: neutralised, quoted when it holds `;`, a quote or a line break.
fn csv_field(out: &mut String, cell: &Cell) {
    match cell {
        Cell::Empty => {}
        Cell::Number(n) => out.push_str(&n.to_string()),
        Cell::Text(s) => {
            let safe = csv_cell(s);
            if safe.contains([';', '"', '\n', '\r']) {
                out.push('"');
                out.push_str(&safe.replace('"', "\"\""));
                out.push('"');
            } else {
                out.push_str(&safe);
            }
        }
    }
}

fn csv_row(out: &mut String, cells: &[Cell]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        csv_field(out, cell);
    }
    out.push_str("\r\n");
}

/// An export being written.
pub enum Writer {
    Csv,
    Xlsx(xlsx::SheetWriter),
}

impl Writer {
    /// The writer and the first bytes: the BOM and header (CSV), or the workbook's fixed parts and
    /// the sheet's start with its header row (XLSX). `now` dates the archive's entries.
    pub fn start(format: Format, sheet: &str, headers: &[&str], now: i64) -> (Writer, Vec<u8>) {
        let cells: Vec<Cell> = headers.iter().map(|h| Cell::from(*h)).collect();
        match format {
            Format::Csv => {
                let mut out = String::from('\u{FEFF}');
                csv_row(&mut out, &cells);
                (Writer::Csv, out.into_bytes())
            }
            Format::Xlsx => {
                let (mut w, mut bytes) = xlsx::SheetWriter::start(sheet, headers.len(), now);
                bytes.extend(w.rows(std::slice::from_ref(&cells)));
                (Writer::Xlsx(w), bytes)
            }
        }
    }

    /// The bytes of a page of rows.
    pub fn rows(&mut self, rows: &[Vec<Cell>]) -> Vec<u8> {
        match self {
            Writer::Csv => {
                let mut out = String::new();
                for row in rows {
                    csv_row(&mut out, row);
                }
                out.into_bytes()
            }
            Writer::Xlsx(w) => w.rows(rows),
        }
    }

    /// The last bytes.
    pub fn finish(self) -> Vec<u8> {
        match self {
            Writer::Csv => Vec::new(),
            Writer::Xlsx(w) => w.finish(),
        }
    }
}

/// A whole small export at once (the dashboard's table).
pub fn write_all(
    format: Format,
    sheet: &str,
    headers: &[&str],
    rows: &[Vec<Cell>],
    now: i64,
) -> Vec<u8> {
    let (mut w, mut out) = Writer::start(format, sheet, headers, now);
    out.extend(w.rows(rows));
    out.extend(w.finish());
    out
}

/// `milie-<what>-<YYYY-MM-DD>.<ext>`: what the download is saved as.
pub fn file_name(what: &str, now: i64, format: Format) -> String {
    format!("milie-{what}-{}.{}", super::time::day_iso(now), format.extension())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_is_excel_french_with_a_bom_and_no_formula() {
        let rows = vec![
            vec![
                Cell::from("=HYPERLINK(\"http://x\")"),
                Cell::from("Éducation; «été»"),
                Cell::Number(-3),
            ],
            vec![Cell::from("+225 07"), Cell::Empty, Cell::from("ligne 1\nligne 2")],
        ];
        let bytes = write_all(Format::Csv, "x", &["Code", "Organisme", "N"], &rows, 0);
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.starts_with('\u{FEFF}'));
        let lines: Vec<&str> = text.trim_start_matches('\u{FEFF}').split("\r\n").collect();
        assert_eq!(lines[0], "Code;Organisme;N");
        assert_eq!(lines[1], "\"'=HYPERLINK(\"\"http://x\"\")\";\"Éducation; «été»\";-3");
        assert_eq!(lines[2], "'+225 07;;\"ligne 1\nligne 2\"");
        assert_eq!(lines[3], "");
    }

    #[test]
    fn pages_join_into_one_file() {
        let (mut w, mut out) = Writer::start(Format::Csv, "x", &["a"], 0);
        out.extend(w.rows(&[vec![Cell::from("1")]]));
        out.extend(w.rows(&[vec![Cell::from("2")], vec![Cell::from("3")]]));
        out.extend(w.finish());
        assert_eq!(String::from_utf8(out).unwrap(), "\u{FEFF}a\r\n1\r\n2\r\n3\r\n");
        assert_eq!(Format::parse("xlsx"), Some(Format::Xlsx));
        assert_eq!(Format::parse("pdf"), None);
        assert_eq!(file_name("a-trier", 0, Format::Csv), "milie-a-trier-1970-01-01.csv");
    }
}
