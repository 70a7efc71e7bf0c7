//! SMS text in the GSM 03.38 7-bit alphabet: 160 characters fit one message. Characters outside it
//! are transliterated on purpose (ê → e, ç → c, œ → oe), never dropped silently.

/// The GSM 7-bit default alphabet (one septet each).
const BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ ÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// The extension table: two septets each (escape + character).
const EXTENDED: &str = "^{}\\[~]|€\u{c}";

pub const SINGLE_SMS: usize = 160;

/// Rewrites `text` into characters GSM-7 can carry.
pub fn to_gsm7(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if BASIC.contains(c) || EXTENDED.contains(c) {
            out.push(c);
            continue;
        }
        let replacement = match c {
            'á' | 'â' | 'ã' | 'ā' => "a",
            'Á' | 'Â' | 'Ã' | 'À' => "A",
            'ê' | 'ë' | 'ē' => "e",
            'Ê' | 'Ë' | 'È' => "E",
            'í' | 'î' | 'ï' => "i",
            'Í' | 'Î' | 'Ï' | 'Ì' => "I",
            'ó' | 'ô' | 'õ' => "o",
            'Ó' | 'Ô' | 'Õ' | 'Ò' => "O",
            'ú' | 'û' => "u",
            'Ú' | 'Û' | 'Ù' => "U",
            'ç' => "c",
            'ÿ' | 'ý' => "y",
            'Ÿ' | 'Ý' => "Y",
            'œ' => "oe",
            'Œ' => "OE",
            '’' | '‘' | 'ʼ' | '`' | '´' => "'",
            '«' | '»' | '“' | '”' => "\"",
            '–' | '—' => "-",
            '…' => "...",
            '\u{a0}' | '\u{202f}' | '\t' => " ",
            _ => "?",
        };
        out.push_str(replacement);
    }
    out
}

/// Length in septets (extension characters count twice), for text already in GSM-7.
pub fn septets(text: &str) -> usize {
    text.chars().map(|c| if EXTENDED.contains(c) { 2 } else { 1 }).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_what_gsm_has_and_transliterates_the_rest() {
        assert_eq!(to_gsm7("Votre réclamation à Abidjan"), "Votre réclamation à Abidjan");
        assert_eq!(to_gsm7("Miliê : ça fête l’œuvre «ici»"), "Milie : ca fete l'oeuvre \"ici\"");
        assert_eq!(to_gsm7("Côte d'Ivoire"), "Cote d'Ivoire");
        assert_eq!(to_gsm7("emoji 🙂"), "emoji ?");
    }

    #[test]
    fn counts_extension_characters_twice() {
        assert_eq!(septets("abc"), 3);
        assert_eq!(septets("10 €"), 5);
        assert_eq!(septets("[x]"), 5);
    }
}
