//! Possible duplicates offered at triage: open requests of the same body that are about the same
//! place — same theme and place, or within 500 m when both have a position — and whose messages
//! share their words. The score is the word overlap (Jaccard) of the two messages' significant
//! words, accents and case ignored, in whole percent.

use std::collections::BTreeSet;

use super::geo::Position;
use super::text::fold;

/// Two positions closer than this are «the same place».
pub const NEAR_METRES: f64 = 500.0;
/// Below this score a request of the same place is not offered.
pub const MIN_SCORE: u8 = 30;
/// At most this many are offered, best first.
pub const MAX_OFFERED: usize = 20;
/// How many candidates of the same place the store reads at most (newest first).
pub const MAX_CANDIDATES: i64 = 200;
/// Half a side of the square the store reads positions in (degrees of latitude in 500 m, rounded
/// up); the exact distance is `Position::km_to`'s.
pub const BOX_DEGREES: f64 = 0.0046;

/// Words that say nothing about the problem (French and English), dropped before comparing.
const STOP: [&str; 58] = [
    "les", "des", "une", "que", "qui", "est", "sont", "pour", "par", "dans", "sur", "avec", "pas",
    "plus", "tres", "mais", "nous", "vous", "ils", "elle", "elles", "leur", "leurs", "cette",
    "ces", "son", "ses", "aux", "ont", "depuis", "tout", "tous", "fait", "etre", "avoir", "the",
    "and", "for", "with", "this", "that", "are", "was", "from", "our", "has", "have", "not",
    "there", "nos", "notre", "votre", "vos", "mon", "mes", "car", "donc", "comme",
];

/// The significant words of a message: folded (accents, case), split on anything that is not a
/// letter or digit, three characters or more, stop words dropped.
pub fn words(message: &str) -> BTreeSet<String> {
    fold(message)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3 && !STOP.contains(w))
        .map(str::to_owned)
        .collect()
}

/// The word overlap of two sets of words, in whole percent (0 when either is empty).
pub fn score(a: &BTreeSet<String>, b: &BTreeSet<String>) -> u8 {
    let union = a.union(b).count();
    if union == 0 {
        return 0;
    }
    let shared = a.intersection(b).count();
    ((shared * 100 + union / 2) / union) as u8
}

/// A request of the same body the store found, with what the rules compare.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate<T> {
    pub item: T,
    pub message: String,
    /// Same theme and same place (or same place abroad) as the request triaged.
    pub same_place: bool,
    pub position: Option<Position>,
}

/// A candidate offered: its score and, when both have a position, the distance in metres.
#[derive(Debug, Clone, PartialEq)]
pub struct Offered<T> {
    pub item: T,
    pub score: u8,
    pub metres: Option<u32>,
}

/// The candidates worth offering for a request with `message` at `position`: about the same
/// place (same theme and place, or within 500 m), with a score of at least `MIN_SCORE`; best
/// first, at most `MAX_OFFERED`.
pub fn offer<T>(
    message: &str,
    position: Option<Position>,
    candidates: Vec<Candidate<T>>,
) -> Vec<Offered<T>> {
    let mine = words(message);
    let mut out: Vec<Offered<T>> = candidates
        .into_iter()
        .filter_map(|c| {
            let metres = position.zip(c.position).map(|(a, b)| a.km_to(b) * 1000.0);
            let near = metres.is_some_and(|m| m <= NEAR_METRES);
            if !(c.same_place || near) {
                return None;
            }
            let score = score(&mine, &words(&c.message));
            (score >= MIN_SCORE).then(|| Offered {
                item: c.item,
                score,
                metres: metres.map(|m| m.round() as u32),
            })
        })
        .collect();
    // Best score first; the store's order (newest first) among equals.
    out.sort_by_key(|o| std::cmp::Reverse(o.score));
    out.truncate(MAX_OFFERED);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(lat: f64, lon: f64) -> Option<Position> {
        Some(Position { lat, lon })
    }

    #[test]
    fn words_ignore_accents_case_and_filler() {
        let w = words("Un NID de poule énorme, sur la route de l'École — depuis 3 semaines !");
        let expected: BTreeSet<String> =
            ["nid", "poule", "enorme", "route", "ecole", "semaines"].map(String::from).into();
        assert_eq!(w, expected);
        assert_eq!(
            words("Éducation"),
            words("education"),
            "accents and case never make two words differ"
        );
    }

    #[test]
    fn the_score_is_the_word_overlap() {
        let a = words("Nid de poule énorme devant l'école de Bingerville");
        let b = words("Un énorme nid de poule devant l'ECOLE de bingerville, numéro 7");
        assert!(score(&a, &b) >= 70, "{}", score(&a, &b));
        let c = words("Les enseignants ne sont pas payés depuis trois mois");
        assert!(score(&a, &c) < MIN_SCORE);
        assert_eq!(score(&a, &a), 100);
        assert_eq!(score(&BTreeSet::new(), &a), 0);
    }

    #[test]
    fn only_the_same_place_or_within_500_metres_is_offered_best_first() {
        let message = "Nid de poule énorme devant l'école de Bingerville";
        let candidate = |item: u32, message: &str, same_place: bool, position| Candidate {
            item,
            message: message.into(),
            same_place,
            position,
        };
        let offered = offer(
            message,
            at(5.3500, -3.8900),
            vec![
                candidate(1, "Nid de poule devant l'école de Bingerville", true, None),
                candidate(
                    2,
                    "Nid de poule énorme devant l'école de Bingerville !",
                    false,
                    at(5.3530, -3.8900),
                ),
                candidate(
                    3,
                    "Nid de poule énorme devant l'école de Bingerville",
                    false,
                    at(5.3600, -3.8900),
                ),
                candidate(4, "Les salaires des enseignants", true, None),
            ],
        );
        let items: Vec<u32> = offered.iter().map(|o| o.item).collect();
        // 2 is 334 m away, 3 is 1.1 km away (not the same place), 4 shares no words.
        assert_eq!(items, vec![2, 1]);
        assert_eq!(offered[0].score, 100);
        assert!(
            offered[0].metres.is_some_and(|m| (320..350).contains(&m)),
            "{:?}",
            offered[0].metres
        );
        assert_eq!(offered[1].metres, None);
        // 0.0046 degrees of latitude is at least 500 m.
        assert!(
            Position { lat: 0.0, lon: 0.0 }.km_to(Position { lat: BOX_DEGREES, lon: 0.0 }) * 1000.0
                > NEAR_METRES
        );
    }

    #[test]
    fn twelve_near_identical_reports_are_all_offered() {
        let base =
            "Le pont de Yopougon Kouté est effondré depuis la crue, les voitures ne passent plus";
        let candidates: Vec<Candidate<usize>> = (1..12)
            .map(|i| Candidate {
                item: i,
                message: format!("{base} (signalement {i})"),
                same_place: true,
                position: None,
            })
            .collect();
        assert_eq!(offer(base, None, candidates).len(), 11);
    }
}
