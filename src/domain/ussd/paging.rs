//! Lists and long texts cut into USSD screens: a list page holds at most eight items (numbered 1–8,
//! 9 is «Suite», 0 «Retour») and as many as fit its share of the screen; a long text is cut at a
//! word with «(suite)». Labels are GSM-7 and shortened once, when the item is made, so that the
//! pages are the same every time the same list is shown.

use std::ops::Range;

use crate::domain::gsm7::{cut_at_word, septets, to_gsm7};

/// Items on one page at most (1–8; 9 and 0 move between pages).
pub const PAGE_MAX: usize = 8;
/// The septets a page's lines («n label» and a line break each) may take: what a screen of 182
/// leaves once its title, «Choix invalide» and the navigation lines are written (the renderer's
/// test checks every title and footer against it).
pub const LIST_BUDGET: usize = 112;
/// A label's longest form; longer names are shortened at a word.
pub const LABEL_MAX: usize = 34;

/// One choice of a list: what it stands for, and its label as the handset shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub id: i64,
    pub label: String,
}

impl Item {
    pub fn new(id: i64, name: &str) -> Item {
        Item { id, label: short_label(name) }
    }
}

/// A name as a list shows it: GSM-7, one line, «Ministère de …» as «Min. …», at most
/// `LABEL_MAX` septets (cut at a word, with a final «.» when cut).
pub fn short_label(name: &str) -> String {
    let one_line = to_gsm7(name).split_whitespace().collect::<Vec<_>>().join(" ");
    let ministry = ["Ministere ", "Ministère ", "Ministry of "].iter().find_map(|p| {
        let rest = one_line.strip_prefix(p)?;
        let rest = ["de l'", "de la ", "des ", "du ", "de ", "d'", "the "]
            .iter()
            .find_map(|p| rest.strip_prefix(p))
            .unwrap_or(rest);
        Some(format!("Min. {rest}"))
    });
    let label = ministry.as_deref().unwrap_or(&one_line);
    let (cut, rest) = cut_at_word(label, LABEL_MAX - 1, "");
    if rest.is_empty() {
        return label.to_owned();
    }
    // Cut: without the little words a cut leaves dangling («… et du»), then a final «.».
    let mut words: Vec<&str> = cut.split(' ').collect();
    while words.len() > 1
        && words.last().is_some_and(|w| {
            let w = w.trim_end_matches([',', ';', ':']);
            DANGLING.contains(&w.to_lowercase().as_str()) || w.ends_with('\'') || w.is_empty()
        })
    {
        words.pop();
    }
    format!("{}.", words.join(" ").trim_end_matches([',', ';', ':']))
}

/// Words a shortened label does not end on.
const DANGLING: [&str; 16] = [
    "de", "du", "des", "la", "le", "les", "et", "à", "au", "aux", "en", "of", "and", "the", "for",
    "in",
];

/// The septets an item takes on a page: its number, a space, the label, a line break.
fn line_cost(number: usize, item: &Item) -> usize {
    number.to_string().len() + 1 + septets(&item.label) + 1
}

/// Where each page of `items` starts and ends: consecutive items, at most `PAGE_MAX` and
/// `LIST_BUDGET` septets a page, at least one. Empty for an empty list.
pub fn pages(items: &[Item]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < items.len() {
        let (mut end, mut used) = (start, 0);
        while end < items.len() && end - start < PAGE_MAX {
            let cost = line_cost(end - start + 1, &items[end]);
            if end > start && used + cost > LIST_BUDGET {
                break;
            }
            used += cost;
            end += 1;
        }
        out.push(start..end);
        start = end;
    }
    out
}

/// `text` (GSM-7) cut into pages of at most `budget` septets, each but the last ending with
/// `marker`; never an empty page, always progressing.
pub fn text_pages(text: &str, budget: usize, marker: &str) -> Vec<String> {
    let budget = budget.max(septets(marker) + 8);
    let mut out = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let (page, left) = cut_at_word(rest, budget, marker);
        if left.len() >= rest.len() {
            // Nothing fitted (cannot happen with the minimum budget): the rest on one page.
            out.push(rest.to_owned());
            break;
        }
        out.push(page);
        rest = left;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_gsm7_short_and_stable() {
        assert_eq!(short_label("Ministère de l'Éducation Nationale"), "Min. Éducation Nationale");
        assert_eq!(short_label("Ministère des Eaux et Forêts"), "Min. Eaux et Forets");
        let long =
            short_label("Ministère de l'Intégration Africaine et des Ivoiriens de l'Extérieur");
        assert!(septets(&long) <= LABEL_MAX, "{long}");
        assert!(long.starts_with("Min. Intégration Africaine") && long.ends_with('.'), "{long}");
        assert_eq!(short_label("  Cocody \n"), "Cocody");
        assert_eq!(short_label("Yopougon"), "Yopougon");
        assert_eq!(short_label(&"x".repeat(80)).len(), LABEL_MAX);
        assert_eq!(
            short_label("Ministère de l'Agriculture et du Développement Rural"),
            "Min. Agriculture."
        );
        assert_eq!(
            short_label("Garde des Sceaux, Ministère de la Justice et des Droits de l'Homme"),
            "Garde des Sceaux, Ministère."
        );
    }

    #[test]
    fn pages_hold_at_most_eight_items_within_the_budget() {
        let items: Vec<Item> = (1..=30).map(|i| Item::new(i, &format!("Commune {i}"))).collect();
        let p = pages(&items);
        assert_eq!(p[0], 0..8);
        assert_eq!(p.iter().map(|r| r.len()).sum::<usize>(), 30);
        let wide: Vec<Item> = (1..=10)
            .map(|i| Item::new(i, "Ministère de l'Intérieur et de la Sécurité publique"))
            .collect();
        for r in pages(&wide) {
            let cost: usize = r.clone().enumerate().map(|(n, i)| line_cost(n + 1, &wide[i])).sum();
            assert!(!r.is_empty() && r.len() <= PAGE_MAX && cost <= LIST_BUDGET, "{r:?} {cost}");
        }
        assert!(pages(&[]).is_empty());
    }

    #[test]
    fn long_texts_are_cut_at_words_with_the_marker() {
        let text = "Le guichet de l'etat civil rouvre lundi a 8 heures. ".repeat(10);
        let p = text_pages(&text, 100, " (suite)");
        assert!(p.len() > 3);
        for (i, page) in p.iter().enumerate() {
            assert!(septets(page) <= 100, "{page}");
            assert_eq!(page.ends_with(" (suite)"), i + 1 < p.len(), "{page}");
        }
        assert_eq!(text_pages("", 100, "+"), Vec::<String>::new());
        assert_eq!(text_pages("court", 100, "+"), vec!["court".to_owned()]);
        assert!(!text_pages(&"x".repeat(500), 1, "+").is_empty());
    }
}
