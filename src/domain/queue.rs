//! The staff workspace's queues: each says what is to be done next, for whom, and how it sorts;
//! and the search box's query, parsed once.

use super::code::RequestCode;
use super::stage::{Role, Stage};

/// One list of the workspace, named by what the person has to do with its requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queue {
    /// Supervisors and admins: everything still open in their scope, late first.
    Open,
    /// Stage 1: waiting for an analyst.
    ToTriage,
    /// Sent back for reformulation: waiting for the citizen, not for staff.
    AwaitingCitizen,
    /// A verdict other than «satisfait», not yet clarified or returned to the body.
    Verdicts,
    /// Stage 2, the focal point asked for another body.
    Reassignments,
    /// Stage 2, first time with the body.
    ToTreat,
    /// Stage 2 again: the citizen reopened the request after an answer.
    Reopened,
    /// Observations and suggestions passed on to the body.
    Forwarded,
    /// Answered or taken into account, with the verdict once given.
    Answered,
    /// «Mes dossiers»: what this person holds, still with the body.
    Mine,
}

/// A condition beyond the stage that a queue's requests meet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    None,
    /// The last time the request entered stage 2 was the citizen's «relancer».
    Reopened,
    NotReopened,
    VerdictToExamine,
    ReassignRequested,
    /// Held by the person looking (`Scope::me`).
    HeldByMe,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// Earliest deadline first (so the late ones lead); requests without one last.
    Due,
    /// Oldest received first.
    Age,
    /// Last changed first.
    Update,
}

impl Sort {
    pub const ALL: [Sort; 3] = [Sort::Due, Sort::Age, Sort::Update];

    pub fn slug(self) -> &'static str {
        match self {
            Sort::Due => "echeance",
            Sort::Age => "anciennete",
            Sort::Update => "maj",
        }
    }

    pub fn parse(slug: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|s| s.slug() == slug)
    }
}

const OPEN: [Stage; 5] =
    [Stage::AwaitingTriage, Stage::Returned, Stage::InTreatment, Stage::Forwarded, Stage::Treated];
const ANSWERED: [Stage; 4] =
    [Stage::Treated, Stage::Closed, Stage::ClosedWithoutVerdict, Stage::TakenIntoAccount];

impl Queue {
    pub const ALL: [Queue; 10] = [
        Queue::Open,
        Queue::ToTriage,
        Queue::AwaitingCitizen,
        Queue::Verdicts,
        Queue::Reassignments,
        Queue::ToTreat,
        Queue::Reopened,
        Queue::Forwarded,
        Queue::Answered,
        Queue::Mine,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Queue::Open => "en-cours",
            Queue::ToTriage => "a-trier",
            Queue::AwaitingCitizen => "a-reformuler",
            Queue::Verdicts => "avis",
            Queue::Reassignments => "reaffectations",
            Queue::ToTreat => "a-traiter",
            Queue::Reopened => "relancees",
            Queue::Forwarded => "transmises",
            Queue::Answered => "traitees",
            Queue::Mine => "mes-dossiers",
        }
    }

    pub fn parse(slug: &str) -> Option<Queue> {
        Queue::ALL.into_iter().find(|q| q.slug() == slug)
    }

    /// The queues a role works from, the first being where their day starts.
    pub fn for_role(role: Role) -> &'static [Queue] {
        match role {
            Role::Analyst => &[
                Queue::ToTriage,
                Queue::Verdicts,
                Queue::Reassignments,
                Queue::Reopened,
                Queue::AwaitingCitizen,
            ],
            Role::FocalPoint => {
                &[Queue::ToTreat, Queue::Mine, Queue::Reopened, Queue::Forwarded, Queue::Answered]
            }
            Role::Supervisor | Role::Admin => &[
                Queue::Open,
                Queue::ToTriage,
                Queue::AwaitingCitizen,
                Queue::Verdicts,
                Queue::Reassignments,
                Queue::ToTreat,
                Queue::Reopened,
                Queue::Forwarded,
                Queue::Answered,
            ],
            Role::PhoneOperator | Role::Citizen | Role::System => &[],
        }
    }

    pub fn stages(self) -> &'static [Stage] {
        match self {
            Queue::Open => &OPEN,
            Queue::ToTriage => &[Stage::AwaitingTriage],
            Queue::AwaitingCitizen => &[Stage::Returned],
            Queue::Verdicts => &[Stage::Closed],
            Queue::Reassignments | Queue::ToTreat | Queue::Reopened => &[Stage::InTreatment],
            Queue::Forwarded => &[Stage::Forwarded],
            Queue::Answered => &ANSWERED,
            Queue::Mine => &[Stage::InTreatment, Stage::Forwarded],
        }
    }

    pub fn condition(self) -> Condition {
        match self {
            Queue::Verdicts => Condition::VerdictToExamine,
            Queue::Reassignments => Condition::ReassignRequested,
            Queue::ToTreat => Condition::NotReopened,
            Queue::Reopened => Condition::Reopened,
            Queue::Mine => Condition::HeldByMe,
            Queue::Open
            | Queue::ToTriage
            | Queue::AwaitingCitizen
            | Queue::Forwarded
            | Queue::Answered => Condition::None,
        }
    }

    /// Work with a deadline sorts by it; what is read rather than worked, newest first.
    pub fn default_sort(self) -> Sort {
        match self {
            Queue::Forwarded | Queue::Answered | Queue::Verdicts => Sort::Update,
            _ => Sort::Due,
        }
    }

    /// Rows carry a checkbox: the bulk actions (forward, reassign) make sense here.
    pub fn bulk(self) -> bool {
        matches!(self, Queue::ToTriage | Queue::Reassignments)
    }
}

/// Rows per page of a queue or of search results.
pub const PER_PAGE: i64 = 25;

/// What the staff search box asked for: an exact request code, or words that must all appear
/// (in the message, or the citizen's name, email or phone for those allowed to see them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    pub code: Option<RequestCode>,
    /// At most 6 words, each 2 to 40 characters, lower-cased.
    pub words: Vec<String>,
}

impl SearchQuery {
    pub const MAX_CHARS: usize = 200;

    /// None when nothing searchable is left (empty, too long, or only one-letter words).
    pub fn parse(raw: &str) -> Option<SearchQuery> {
        let raw = raw.trim();
        if raw.is_empty() || raw.chars().count() > Self::MAX_CHARS {
            return None;
        }
        if let Ok(code) = RequestCode::parse(raw) {
            return Some(SearchQuery { code: Some(code), words: Vec::new() });
        }
        // «07 01 02 03 04» is one phone number, not five words.
        if let Some(digits) = phone_digits(raw) {
            return Some(SearchQuery { code: None, words: vec![digits] });
        }
        let words: Vec<String> = raw
            .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '"'))
            .map(|w| w.trim_matches(|c: char| c.is_ascii_punctuation() && c != '@' && c != '+'))
            .filter(|w| w.chars().count() >= 2)
            .map(|w| w.chars().take(40).collect::<String>().to_lowercase())
            .take(6)
            .collect();
        (!words.is_empty()).then_some(SearchQuery { code: None, words })
    }
}

/// A `LIKE` pattern matching `word` anywhere, with `\` as the escape character.
pub fn like_pattern(word: &str) -> String {
    let mut out = String::with_capacity(word.len() + 2);
    out.push('%');
    for c in word.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// The digits of a word that looks like a phone number (6 or more digits), to match stored numbers
/// whatever the spacing or the country prefix typed.
pub fn phone_digits(word: &str) -> Option<String> {
    let digits: String = word.chars().filter(char::is_ascii_digit).collect();
    let only_phone_chars =
        word.chars().all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '.' | '-'));
    (only_phone_chars && digits.len() >= 6).then_some(digits)
}

/// «en retard de N j»: whole days past the deadline (0 when not late).
pub fn days_late(due_at: i64, now: i64) -> i64 {
    if now <= due_at {
        0
    } else {
        let day = 24 * 3600 * 1000;
        (now - due_at + day - 1) / day
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_queue_reads_back_and_every_working_role_has_queues() {
        for q in Queue::ALL {
            assert_eq!(Queue::parse(q.slug()), Some(q));
            assert!(!q.stages().is_empty());
        }
        assert_eq!(Queue::parse("tout-et-rien"), None);
        for role in [Role::Analyst, Role::FocalPoint, Role::Supervisor, Role::Admin] {
            assert!(!Queue::for_role(role).is_empty(), "{role:?}");
        }
        assert!(Queue::for_role(Role::PhoneOperator).is_empty());
        for s in Sort::ALL {
            assert_eq!(Sort::parse(s.slug()), Some(s));
        }
    }

    #[test]
    fn a_focal_point_never_gets_triage_and_an_analyst_never_treats() {
        let focal = Queue::for_role(Role::FocalPoint);
        assert!(!focal.contains(&Queue::ToTriage) && focal.contains(&Queue::Answered));
        let analyst = Queue::for_role(Role::Analyst);
        assert!(!analyst.contains(&Queue::ToTreat) && analyst.contains(&Queue::Verdicts));
        // The three stage-2 queues split stage 2 between them by condition.
        assert_eq!(Queue::ToTreat.condition(), Condition::NotReopened);
        assert_eq!(Queue::Reopened.condition(), Condition::Reopened);
        assert_eq!(Queue::ToTreat.default_sort(), Sort::Due);
        assert!(Queue::ToTriage.bulk() && !Queue::Answered.bulk());
    }

    #[test]
    fn search_takes_a_code_or_words() {
        assert_eq!(SearchQuery::parse(" 12345678 ").unwrap().code.unwrap().to_string(), "12345678");
        let q = SearchQuery::parse("Route   d'Adzopé, «nids» de poule a").unwrap();
        assert_eq!(q.code, None);
        assert_eq!(q.words, vec!["route", "d'adzopé", "«nids»", "de", "poule"]);
        assert_eq!(SearchQuery::parse("  "), None);
        assert_eq!(SearchQuery::parse("a b c"), None);
        assert_eq!(SearchQuery::parse(&"x".repeat(201)), None);
        assert_eq!(
            SearchQuery::parse("un deux trois quatre cinq six sept").unwrap().words.len(),
            6
        );
        assert_eq!(
            SearchQuery::parse("awa.kone@example.ci").unwrap().words,
            vec!["awa.kone@example.ci"]
        );
        assert_eq!(SearchQuery::parse("07 01 02 03 04").unwrap().words, vec!["0701020304"]);
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_pattern("100%_x\\"), "%100\\%\\_x\\\\%");
        assert_eq!(phone_digits("07.07.12.34"), Some("07071234".into()));
        assert_eq!(phone_digits("+225"), None);
        assert_eq!(phone_digits("route"), None);
    }

    #[test]
    fn lateness_counts_started_days() {
        let day = 24 * 3600 * 1000;
        assert_eq!(days_late(10 * day, 9 * day), 0);
        assert_eq!(days_late(10 * day, 10 * day + 1), 1);
        assert_eq!(days_late(10 * day, 12 * day), 2);
    }
}
