//! A minimal XLSX workbook (ECMA-376 SpreadsheetML, transitional), one sheet, written as it goes:
//! the fixed parts first, then the sheet's rows page by page inside a streamed ZIP entry. Text is
//! an inline string (`t="inlineStr"`), numbers are numbers; no cell is ever a formula (`<f>`), so
//! nothing a citizen typed is evaluated. The header row is bold and frozen.

use super::zip::ZipWriter;
use super::Cell;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;

const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;

const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs></styleSheet>"#;

/// Text as XML character data: escaped, and without the characters XML 1.0 forbids (control
/// characters other than tab and line breaks, U+FFFE, U+FFFF).
pub fn xml_text(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

/// The column's letters: 0 → A, 25 → Z, 26 → AA.
pub fn column(mut i: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// The workbook being written: the ZIP around it and the next row's number.
pub struct SheetWriter {
    zip: ZipWriter,
    next_row: usize,
}

impl SheetWriter {
    /// The fixed parts, and the sheet's opening up to its first row.
    pub fn start(sheet: &str, columns: usize, now: i64) -> (SheetWriter, Vec<u8>) {
        let mut zip = ZipWriter::new(now);
        let mut out = zip.entry("[Content_Types].xml", CONTENT_TYPES.as_bytes());
        out.extend(zip.entry("_rels/.rels", ROOT_RELS.as_bytes()));
        let mut name = String::new();
        // A sheet's name: at most 31 characters, none of []:*?/\.
        let clean: String = sheet.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
        xml_text(&mut name, if clean.is_empty() { "Export" } else { &clean });
        let workbook = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>"#
        );
        out.extend(zip.entry("xl/workbook.xml", workbook.as_bytes()));
        out.extend(zip.entry("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes()));
        out.extend(zip.entry("xl/styles.xml", STYLES.as_bytes()));
        out.extend(zip.begin("xl/worksheets/sheet1.xml"));
        let head = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><cols><col min="1" max="{}" width="18" customWidth="1"/></cols><sheetData>"#,
            columns.max(1)
        );
        zip.piece(head.as_bytes());
        out.extend(head.into_bytes());
        (SheetWriter { zip, next_row: 1 }, out)
    }

    /// The rows' XML (the first row written is the header, in bold).
    pub fn rows(&mut self, rows: &[Vec<Cell>]) -> Vec<u8> {
        let mut xml = String::new();
        for row in rows {
            let r = self.next_row;
            let style = if r == 1 { r#" s="1""# } else { "" };
            xml.push_str(&format!(r#"<row r="{r}">"#));
            for (i, cell) in row.iter().enumerate() {
                let at = format!("{}{r}", column(i));
                match cell {
                    Cell::Empty => {}
                    Cell::Number(n) => {
                        xml.push_str(&format!(r#"<c r="{at}"{style}><v>{n}</v></c>"#))
                    }
                    Cell::Text(s) => {
                        xml.push_str(&format!(
                            r#"<c r="{at}"{style} t="inlineStr"><is><t xml:space="preserve">"#
                        ));
                        // Excel keeps at most 32 767 characters in a cell.
                        let cut: String = s.chars().take(32_767).collect();
                        xml_text(&mut xml, &cut);
                        xml.push_str("</t></is></c>");
                    }
                }
            }
            xml.push_str("</row>");
            self.next_row += 1;
        }
        self.zip.piece(xml.as_bytes());
        xml.into_bytes()
    }

    /// The sheet's end, its data descriptor and the archive's directory.
    pub fn finish(mut self) -> Vec<u8> {
        let tail = b"</sheetData></worksheet>";
        self.zip.piece(tail);
        let mut out = tail.to_vec();
        out.extend(self.zip.finish());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::zip::read;
    use super::super::{write_all, Format};
    use super::*;

    #[test]
    fn columns_are_lettered_like_excel() {
        assert_eq!(column(0), "A");
        assert_eq!(column(25), "Z");
        assert_eq!(column(26), "AA");
        assert_eq!(column(27), "AB");
        assert_eq!(column(701), "ZZ");
        assert_eq!(column(702), "AAA");
    }

    #[test]
    fn text_is_escaped_and_never_a_formula() {
        let mut out = String::new();
        xml_text(&mut out, "a<b>&\"c\"\u{1}\u{FFFF}\té");
        assert_eq!(out, "a&lt;b&gt;&amp;&quot;c&quot;\té");
        let rows = vec![vec![
            Cell::from("=1+2"),
            Cell::Number(42),
            Cell::Empty,
            Cell::from("Côte d'Ivoire"),
        ]];
        let bytes = write_all(Format::Xlsx, "À trier", &["Code", "N", "Vide", "Pays"], &rows, 0);
        let entries = read(&bytes).expect("a valid archive");
        let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "[Content_Types].xml",
                "_rels/.rels",
                "xl/workbook.xml",
                "xl/_rels/workbook.xml.rels",
                "xl/styles.xml",
                "xl/worksheets/sheet1.xml"
            ]
        );
        let sheet = String::from_utf8(entries[5].1.clone()).unwrap();
        assert!(
            sheet.contains(
                r#"<c r="A2" t="inlineStr"><is><t xml:space="preserve">=1+2</t></is></c>"#
            ),
            "{sheet}"
        );
        assert!(sheet.contains(r#"<c r="B2"><v>42</v></c>"#));
        assert!(sheet.contains(r#"<c r="A1" s="1" t="inlineStr">"#), "the header is bold");
        assert!(sheet.contains("Côte d'Ivoire") && !sheet.contains("<f>"));
        assert!(sheet.ends_with("</sheetData></worksheet>"));
        let workbook = String::from_utf8(entries[2].1.clone()).unwrap();
        assert!(workbook.contains(r#"<sheet name="À trier" sheetId="1""#));
    }
}
