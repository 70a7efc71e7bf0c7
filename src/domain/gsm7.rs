//! Text in the GSM 03.38 7-bit alphabet, as SMS and USSD screens carry it: 160 characters fit one
//! SMS, 182 one USSD screen. Characters outside it are transliterated on purpose (ê → e, ç → c,
//! œ → oe), never dropped silently, and the same way everywhere.

/// The GSM 7-bit default alphabet (one septet each).
const BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ ÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// The extension table: two septets each (escape + character).
const EXTENDED: &str = "^{}\\[~]|€\u{c}";

pub const SINGLE_SMS: usize = 160;
/// Two concatenated parts (each loses 7 septets to its header): the longest answer Miliê sends.
pub const TWO_PARTS: usize = 2 * 153;

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

/// `text` cut at a word so that it and `marker` (« (suite)») fit `max` septets: the head, and
/// what is left (empty when all of it fits, then without the marker). A single word longer than
/// the room is cut inside it. Never splits a character.
pub fn cut_at_word<'a>(text: &'a str, max: usize, marker: &str) -> (String, &'a str) {
    let text = text.trim();
    if septets(text) <= max {
        return (text.to_owned(), "");
    }
    let room = max.saturating_sub(septets(marker));
    let (mut used, mut end, mut last_space) = (0, 0, None);
    for (i, c) in text.char_indices() {
        let width = if EXTENDED.contains(c) { 2 } else { 1 };
        if used + width > room {
            break;
        }
        used += width;
        end = i + c.len_utf8();
        if c.is_whitespace() {
            last_space = Some(i);
        }
    }
    let cut = match last_space {
        Some(space) if space > 0 => space,
        _ => end,
    };
    let head = text[..cut].trim_end();
    (format!("{head}{marker}"), text[cut..].trim_start())
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
    fn cuts_at_a_word_with_its_marker() {
        assert_eq!(cut_at_word("court", 10, " (suite)"), ("court".to_owned(), ""));
        let (head, rest) = cut_at_word("le guichet est ferme depuis lundi", 20, " (suite)");
        assert_eq!((head.as_str(), rest), ("le guichet (suite)", "est ferme depuis lundi"));
        assert!(septets(&head) <= 20);
        let (head, rest) = cut_at_word("abcdefghijklmnop", 12, "+");
        assert_eq!((head.as_str(), rest), ("abcdefghijk+", "lmnop"));
        for text in ["é è [x] {y} ~ €", "un deux trois quatre cinq six sept", "€€€€€€€€€€"]
        {
            for max in 3..30 {
                let (head, rest) = cut_at_word(text, max, "+");
                assert!(septets(&head) <= max.max(septets("+")), "{text:?} {max}: {head:?}");
                assert!(text.contains(rest));
            }
        }
    }

    #[test]
    fn counts_extension_characters_twice() {
        assert_eq!(septets("abc"), 3);
        assert_eq!(septets("10 €"), 5);
        assert_eq!(septets("[x]"), 5);
    }
}
