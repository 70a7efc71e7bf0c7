//! Text helpers shared by search and display.

/// Invisible formatting characters (Unicode category Cf): bidirectional overrides and isolates
/// (which make «facture\u{202E}fdp.exe» read as «facture exe.pdf»), zero-width characters, the BOM.
/// Free text and file names drop them: they are never needed to write a réclamation.
pub fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

/// Folds a string for accent- and case-insensitive matching of French text:
/// «Éducation» and «education» fold to the same key. Only the letters French
/// (and the bodies' names) use are mapped; anything else is kept lowercased.
pub fn fold(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.chars() {
        match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => {
                out.push('a')
            }
            'ç' | 'Ç' => out.push('c'),
            'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => out.push('e'),
            'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => out.push('i'),
            'ñ' | 'Ñ' => out.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' => out.push('o'),
            'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => out.push('u'),
            'ý' | 'ÿ' | 'Ý' | 'Ÿ' => out.push('y'),
            'œ' | 'Œ' => out.push_str("oe"),
            'æ' | 'Æ' => out.push_str("ae"),
            // Typographic apostrophes and dashes match their keyboard forms.
            '’' | 'ʼ' | '‘' => out.push('\''),
            '–' | '—' => out.push('-'),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// True when every word of `query` occurs in `haystack`, both folded.
/// Word order does not matter: «justice ministère» finds «Ministère de la Justice».
pub fn matches_all_words(haystack: &str, query: &str) -> bool {
    let hay = fold(haystack);
    fold(query).split_whitespace().all(|w| hay.contains(w))
}

/// A spreadsheet cell that cannot become a formula: text beginning with `=`, `+`, `-`, `@`, a tab
/// or a carriage return gets a leading apostrophe (OWASP's CSV injection advice). Numbers stay
/// as they are, so a negative count would still read as one.
pub fn csv_cell(value: &str) -> std::borrow::Cow<'_, str> {
    let risky = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && value.parse::<f64>().is_err() {
        std::borrow::Cow::Owned(format!("'{value}"))
    } else {
        std::borrow::Cow::Borrowed(value)
    }
}

/// One CSV record as the open data files write it: each value made safe by `csv_cell`, quoted
/// (quotes doubled) when it holds a comma, a quote or a line break, joined by commas, ended by `\n`.
/// The same bytes as the csv crate's writer (checked in the tests) without carrying it.
pub fn csv_line(values: &[&str]) -> String {
    let mut line = String::new();
    for (i, value) in values.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        let cell = csv_cell(value);
        if cell.contains([',', '"', '\n', '\r']) {
            line.push('"');
            line.push_str(&cell.replace('"', "\"\""));
            line.push('"');
        } else {
            line.push_str(&cell);
        }
    }
    line.push('\n');
    line
}

#[cfg(test)]
mod tests {
    #[test]
    fn csv_lines_as_the_csv_crate_writes_them() {
        use super::{csv_cell, csv_line};
        let records: &[&[&str]] = &[
            &["organisme", "nom", "dimension", "valeur", "libelle", "effectif"],
            &[
                "sante",
                "Ministère de la Santé, de l'Hygiène",
                "theme",
                "a\"b",
                "ligne\nsuivante",
                "12",
            ],
            &["x", "", "=1+2", "-3", "retour\r", "\"entre\""],
        ];
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut ours = String::new();
        for r in records {
            w.write_record(r.iter().map(|v| csv_cell(v).into_owned())).unwrap();
            ours.push_str(&csv_line(r));
        }
        assert_eq!(ours, String::from_utf8(w.into_inner().unwrap()).unwrap());
    }

    #[test]
    fn csv_cells_never_start_a_formula() {
        use super::csv_cell;
        for (input, out) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+A1*2", "'+A1*2"),
            ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tTAB", "'\tTAB"),
            ("Ministère de la Santé", "Ministère de la Santé"),
            ("12", "12"),
            ("-3", "-3"),
            ("", ""),
        ] {
            assert_eq!(csv_cell(input), out, "{input}");
        }
    }

    use super::*;

    #[test]
    fn invisible_format_characters() {
        for c in ['\u{202E}', '\u{200B}', '\u{2066}', '\u{FEFF}', '\u{200F}'] {
            assert!(is_invisible_format(c), "{c:?}");
        }
        for c in ['a', 'é', ' ', '\u{0627}', '-', '\u{00A0}'] {
            assert!(!is_invisible_format(c), "{c:?}");
        }
    }

    #[test]
    fn folds_accents_and_case() {
        assert_eq!(fold("Éducation Nationale"), "education nationale");
        assert_eq!(fold("Eaux et Forêts"), "eaux et forets");
        assert_eq!(fold("Œuvre"), "oeuvre");
        assert_eq!(fold("l’Etat"), "l'etat");
    }

    #[test]
    fn matches_words_in_any_order_and_ignores_accents() {
        let name = "Garde des Sceaux, Ministère de la Justice et des Droits de l'Homme";
        assert!(matches_all_words(name, "justice ministere"));
        assert!(matches_all_words(name, "  JUSTICE  "));
        assert!(!matches_all_words(name, "justice defense"));
        // An empty query matches everything (no filter).
        assert!(matches_all_words(name, "   "));
    }
}
