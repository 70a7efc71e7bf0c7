//! CSV imports by admins: the directory of bodies (in the shape of bodies.csv) and the places (in
//! the shape of their export), each a full list. A file is read whole and every line checked; any
//! bad line refuses the file, each named. A good file becomes a plan — what will be added,
//! changed, closed — that the admin previews, then confirms; exports write the same shape, so
//! exporting then importing plans nothing.

pub mod bodies;
pub mod places;
mod places_plan;
#[cfg(test)]
mod tests;

use super::text::{fold, is_invisible_format};

/// A problem on one line (1 = the header), named in the preview (`i18n::import` words it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: u64,
    pub problem: Problem,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Bytes that are not UTF-8 (a spreadsheet's «CSV» in Windows-1252).
    NotUtf8,
    Empty,
    TooLarge,
    TooManyLines(usize),
    /// Columns the header must have, by their export names.
    MissingColumns(Vec<&'static str>),
    /// A header naming the same column twice.
    DuplicateColumn(String),
    /// A line with another number of cells than the header.
    Cells {
        found: usize,
        expected: usize,
    },
    Unreadable,
    NameMissing,
    TooLong(&'static str),
    /// The same name (or slug, or P-code) as an earlier line.
    Duplicate {
        what: &'static str,
        value: String,
        first_line: u64,
    },
    Phone(String),
    Email(String),
    Website(String),
    Date(String),
    SourceMissing,
    UnknownId(String),
    /// Two lines for the one body or place already there.
    SameEntry {
        first_line: u64,
    },
    Kind(String),
    PcodeFormat(String),
    PcodeNotHere(String),
    PcodeTaken {
        pcode: String,
        by: String,
    },
    /// A child's P-code that does not start with its parent's.
    PcodeOutside {
        pcode: String,
        parent: String,
    },
    /// A P-code named as a parent that no line of the file carries.
    UnknownPcode(String),
    UnknownParent(String),
    AmbiguousParent(String),
    ParentMissing,
    /// A parent of a kind this kind cannot belong to.
    ParentKind {
        kind: &'static str,
        parent: &'static str,
    },
    Position,
    Point(String),
    PointWithoutPosition,
}

impl LineError {
    pub fn new(line: u64, problem: Problem) -> LineError {
        LineError { line, problem }
    }
}

/// Largest file read (the places' export is about 600 KB).
pub const MAX_BYTES: usize = 1_800_000;
pub const MAX_LINES: usize = 20_000;

/// The file's text, without a byte-order mark; each line that is not UTF-8 named.
pub fn decode(bytes: &[u8]) -> Result<String, Vec<LineError>> {
    if bytes.len() > MAX_BYTES {
        return Err(vec![LineError::new(1, Problem::TooLarge)]);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) if text.trim().is_empty() => Err(vec![LineError::new(1, Problem::Empty)]),
        Ok(text) => Ok(text.trim_start_matches('\u{feff}').to_owned()),
        Err(_) => Err(bytes
            .split(|b| *b == b'\n')
            .enumerate()
            .filter(|(_, line)| std::str::from_utf8(line).is_err())
            .take(200)
            .map(|(i, _)| LineError::new(i as u64 + 1, Problem::NotUtf8))
            .collect()),
    }
}

/// A cell as text: trimmed, without control or invisible formatting characters, and without
/// the apostrophe an export put before a cell a spreadsheet would read as a formula.
pub(crate) fn clean_cell(cell: &str) -> String {
    let clean: String = cell
        .chars()
        .map(|c| if matches!(c, '\n' | '\r' | '\t') { ' ' } else { c })
        .filter(|c| !c.is_control() && !is_invisible_format(*c))
        .collect();
    let clean = clean.trim();
    match clean.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest.to_owned(),
        _ => clean.to_owned(),
    }
}

/// A header cell as compared: folded, «_», «-» and spaces alike.
fn header_key(cell: &str) -> String {
    fold(&clean_cell(cell))
        .split([' ', '_', '-'])
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

/// A CSV read whole: the columns found (by canonical name), every good record with its line, and
/// the lines that could not be read as records.
pub(crate) struct Sheet {
    columns: Vec<(&'static str, usize)>,
    pub rows: Vec<(u64, Vec<String>)>,
    pub errors: Vec<LineError>,
}

impl Sheet {
    /// Reads `data` («;» or «,», whichever the header uses more). `known` maps each canonical
    /// column to the header spellings accepted; `required` must all be there (else the header is
    /// the one bad line).
    pub fn read(
        data: &str,
        known: &[(&'static str, &[&str])],
        required: &[&'static str],
    ) -> Result<Sheet, Vec<LineError>> {
        let header = data.lines().next().unwrap_or("");
        let delimiter =
            if header.matches(';').count() > header.matches(',').count() { b';' } else { b',' };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(false)
            .from_reader(data.as_bytes());
        let mut records = reader.records();
        let head = match records.next() {
            Some(Ok(h)) => h,
            _ => return Err(vec![LineError::new(1, Problem::Unreadable)]),
        };
        let mut columns = Vec::new();
        for (i, cell) in head.iter().enumerate() {
            let key = header_key(cell);
            if let Some((name, _)) = known.iter().find(|(name, spellings)| {
                *name == key || spellings.iter().any(|s| header_key(s) == key)
            }) {
                if columns.iter().any(|(n, _)| n == name) {
                    return Err(vec![LineError::new(
                        1,
                        Problem::DuplicateColumn(clean_cell(cell)),
                    )]);
                }
                columns.push((*name, i));
            }
        }
        let missing: Vec<&'static str> =
            required.iter().copied().filter(|r| !columns.iter().any(|(n, _)| n == r)).collect();
        if !missing.is_empty() {
            return Err(vec![LineError::new(1, Problem::MissingColumns(missing))]);
        }
        let expected = head.len();
        let mut rows = Vec::new();
        let mut errors = Vec::new();
        for record in records {
            let (line, cells) = match record {
                Ok(r) => {
                    let line = r.position().map_or(0, |p| p.line());
                    (line, r)
                }
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    errors.push(LineError::new(line, Problem::Unreadable));
                    continue;
                }
            };
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            if rows.len() >= MAX_LINES {
                errors.push(LineError::new(line, Problem::TooManyLines(MAX_LINES)));
                break;
            }
            if cells.len() != expected {
                errors.push(LineError::new(line, Problem::Cells { found: cells.len(), expected }));
                continue;
            }
            rows.push((line, cells.iter().map(clean_cell).collect()));
        }
        Ok(Sheet { columns, rows, errors })
    }

    pub fn has(&self, column: &str) -> bool {
        self.columns.iter().any(|(n, _)| *n == column)
    }

    /// The cell of `column` in `row` (empty when the file has no such column).
    pub fn cell<'r>(&self, row: &'r [String], column: &str) -> &'r str {
        self.columns
            .iter()
            .find(|(n, _)| *n == column)
            .and_then(|(_, i)| row.get(*i))
            .map_or("", String::as_str)
    }
}

/// Writes a CSV line the way the open data does (`text::csv_line`: no cell a spreadsheet would
/// read as a formula).
pub(crate) fn line(cells: &[&str]) -> String {
    super::text::csv_line(cells)
}
