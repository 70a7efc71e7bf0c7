//! What a citizen's SMS to Miliê asks (issue #30): a keyword in any case, with or without accents,
//! in French or English, then a request code and what the keyword takes — `SUIVI <code>`,
//! `AVIS <code> 1|2|3`, `RELANCE <code> <raison>`, `CODES`, `AIDE` — or a bare `1`/`2`/`3`
//! answering the verdict SMS. Anything else is answered with the help. Pure: never panics, whatever
//! the text.

use super::code::RequestCode;
use super::lang::Lang;
use super::stage::Verdict;
use super::text::fold;

/// The longest SMS text read (ten concatenated parts); the rest is ignored.
pub const MAX_CHARS: usize = 1600;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `SUIVI <code>` (or a code alone): the request's stage, and its answer once treated.
    Track(Option<RequestCode>),
    /// `AVIS <code> 1|2|3`.
    Verdict { code: Option<RequestCode>, verdict: Option<Verdict> },
    /// `RELANCE <code> <raison>`: the reason as typed (accents kept), possibly empty.
    Reopen { code: Option<RequestCode>, reason: String },
    /// `CODES`: the codes of this number's requests, by SMS.
    Codes,
    /// `AIDE`, `HELP`, `?`, or a keyword it does not know.
    Help,
    /// A bare `1`, `2` or `3`: the verdict on this number's request awaiting one.
    BareVerdict(Verdict),
}

/// A command, and the language its keyword is in (None: the number's own, else French).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub command: Command,
    pub lang: Option<Lang>,
}

/// What an SMS answer says: the outbox row's `Payload::event`, worded when the SMS is rendered
/// (from the request as it stands then, for those about one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// The request's stage, and the body's answer once there is one.
    Status,
    VerdictGiven,
    /// The request awaits neither verdict nor reopening.
    NotAwaiting,
    /// A wrong code, or another number's: the same words.
    UnknownCode,
    ReasonRequired,
    VerdictRequired,
    /// A bare 1/2/3 while several requests await a verdict.
    Which,
    /// A bare 1/2/3 while none does.
    NoneAwaiting,
    NoCodes,
    Help,
    /// Past the number's hourly limit (sent once, when it is reached).
    Limited,
}

impl Answer {
    pub const ALL: [Answer; 11] = [
        Answer::Status,
        Answer::VerdictGiven,
        Answer::NotAwaiting,
        Answer::UnknownCode,
        Answer::ReasonRequired,
        Answer::VerdictRequired,
        Answer::Which,
        Answer::NoneAwaiting,
        Answer::NoCodes,
        Answer::Help,
        Answer::Limited,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Answer::Status => "status",
            Answer::VerdictGiven => "verdict_given",
            Answer::NotAwaiting => "not_awaiting",
            Answer::UnknownCode => "unknown_code",
            Answer::ReasonRequired => "reason_required",
            Answer::VerdictRequired => "verdict_required",
            Answer::Which => "which",
            Answer::NoneAwaiting => "none_awaiting",
            Answer::NoCodes => "no_codes",
            Answer::Help => "help",
            Answer::Limited => "limited",
        }
    }

    pub fn parse(slug: &str) -> Option<Answer> {
        Answer::ALL.into_iter().find(|a| a.slug() == slug)
    }

    /// Whether it names a request (the outbox row is then the request's).
    pub fn about_request(self) -> bool {
        matches!(
            self,
            Answer::Status
                | Answer::VerdictGiven
                | Answer::NotAwaiting
                | Answer::ReasonRequired
                | Answer::VerdictRequired
        )
    }
}

#[derive(Clone, Copy)]
enum Keyword {
    Track,
    Verdict,
    Reopen,
    Codes,
    Help,
}

/// Keywords as folded (lower case, no accents), with the language they say.
const KEYWORDS: [(&str, Keyword, Option<Lang>); 17] = [
    ("suivi", Keyword::Track, Some(Lang::Fr)),
    ("suivre", Keyword::Track, Some(Lang::Fr)),
    ("etat", Keyword::Track, Some(Lang::Fr)),
    ("track", Keyword::Track, Some(Lang::En)),
    ("status", Keyword::Track, Some(Lang::En)),
    ("avis", Keyword::Verdict, Some(Lang::Fr)),
    ("opinion", Keyword::Verdict, None),
    ("rate", Keyword::Verdict, Some(Lang::En)),
    ("relance", Keyword::Reopen, Some(Lang::Fr)),
    ("relancer", Keyword::Reopen, Some(Lang::Fr)),
    ("reopen", Keyword::Reopen, Some(Lang::En)),
    ("codes", Keyword::Codes, None),
    ("code", Keyword::Codes, None),
    ("aide", Keyword::Help, Some(Lang::Fr)),
    ("help", Keyword::Help, Some(Lang::En)),
    ("menu", Keyword::Help, None),
    ("info", Keyword::Help, None),
];

/// Separators people put between a keyword, a code and what follows.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, ':' | ',' | ';' | '.' | '-' | '#' | '/' | '\u{a0}')
}

/// Reads an SMS.
pub fn parse(text: &str) -> Parsed {
    let text: String = text.chars().take(MAX_CHARS).collect();
    let text = text.trim_start_matches(is_separator).trim_end();
    let bare = |command| Parsed { command, lang: None };
    match text.trim_matches(is_separator) {
        "1" => return bare(Command::BareVerdict(Verdict::Satisfied)),
        "2" => return bare(Command::BareVerdict(Verdict::PartlySatisfied)),
        "3" => return bare(Command::BareVerdict(Verdict::NotSatisfied)),
        "?" => return bare(Command::Help),
        _ => {}
    }
    // The keyword: the leading letters, folded.
    let word_end = text.find(|c: char| !c.is_alphabetic()).unwrap_or(text.len());
    let (word, rest) = text.split_at(word_end);
    let folded = fold(word).to_lowercase();
    let Some((_, keyword, lang)) = KEYWORDS.iter().find(|(k, _, _)| *k == folded) else {
        // A code alone asks where its request stands.
        return match code_at(text) {
            (Some(code), tail) if tail.trim_matches(is_separator).is_empty() => {
                bare(Command::Track(Some(code)))
            }
            _ => bare(Command::Help),
        };
    };
    let lang = *lang;
    let (code, tail) = code_at(rest);
    let command = match keyword {
        Keyword::Track => Command::Track(code),
        Keyword::Verdict => Command::Verdict { code, verdict: verdict_word(tail) },
        Keyword::Reopen => Command::Reopen {
            code,
            reason: tail.trim_start_matches(is_separator).trim_end().to_owned(),
        },
        Keyword::Codes => Command::Codes,
        Keyword::Help => Command::Help,
    };
    Parsed { command, lang }
}

/// The request code at the start of `text` (after separators): eight digits, which may be typed
/// in groups («1234 5678»); None when there are fewer, or more run on. With what follows it.
fn code_at(text: &str) -> (Option<RequestCode>, &str) {
    let text = text.trim_start_matches(is_separator);
    let mut digits = String::new();
    let mut end = 0;
    for (i, c) in text.char_indices() {
        if c.is_ascii_digit() {
            digits.push(c);
            end = i + 1;
            if digits.len() == 8 {
                break;
            }
        } else if matches!(c, ' ' | '-' | '.' | '\u{a0}') && !digits.is_empty() {
            continue;
        } else {
            break;
        }
    }
    if digits.is_empty() {
        return (None, text);
    }
    let tail = &text[end..];
    // A ninth digit straight after the eighth: not a code.
    if digits.len() < 8 || tail.starts_with(|c: char| c.is_ascii_digit()) {
        return (None, tail);
    }
    (RequestCode::parse(&digits).ok(), tail)
}

/// `1`, `2`, `3`, or the verdict in words, at the start of `text`.
fn verdict_word(text: &str) -> Option<Verdict> {
    let text = text.trim_start_matches(is_separator);
    let end = text.find(|c: char| is_separator(c)).unwrap_or(text.len());
    match fold(&text[..end]).to_lowercase().as_str() {
        "1" | "satisfait" | "satisfaite" | "satisfied" => Some(Verdict::Satisfied),
        "2" | "partiellement" | "partiel" | "partly" | "partially" => {
            Some(Verdict::PartlySatisfied)
        }
        "3" | "non" | "insatisfait" | "insatisfaite" | "not" | "unsatisfied" => {
            Some(Verdict::NotSatisfied)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code() -> Option<RequestCode> {
        RequestCode::parse("42568096").ok()
    }

    #[test]
    fn keywords_in_any_case_with_or_without_accents() {
        for text in [
            "SUIVI 42568096",
            "suivi 42568096",
            "Suivi:42568096",
            " suivi  4256 8096 ",
            "ÉTAT 42568096",
            "etat 42568096",
            "Suivre 42-56-80-96.",
        ] {
            assert_eq!(parse(text).command, Command::Track(code()), "{text}");
            assert_eq!(parse(text).lang, Some(Lang::Fr), "{text}");
        }
        assert_eq!(
            parse("TRACK 42568096"),
            Parsed { command: Command::Track(code()), lang: Some(Lang::En) }
        );
        assert_eq!(parse("42568096").command, Command::Track(code()), "a code alone");
        assert_eq!(parse("suivi").command, Command::Track(None));
        assert_eq!(parse("suivi 4256809").command, Command::Track(None), "seven digits");
        assert_eq!(parse("suivi 425680961").command, Command::Track(None), "nine digits");
        assert_eq!(parse("suivi 02568096").command, Command::Track(None), "not a code");
    }

    #[test]
    fn verdicts_by_keyword_or_bare_reply() {
        let v = |text: &str| parse(text).command;
        assert_eq!(
            v("AVIS 42568096 1"),
            Command::Verdict { code: code(), verdict: Some(Verdict::Satisfied) }
        );
        assert_eq!(
            v("avis 4256 8096 2"),
            Command::Verdict { code: code(), verdict: Some(Verdict::PartlySatisfied) }
        );
        assert_eq!(
            v("Avis: 42568096, 3"),
            Command::Verdict { code: code(), verdict: Some(Verdict::NotSatisfied) }
        );
        assert_eq!(
            v("avis 42568096 satisfait"),
            Command::Verdict { code: code(), verdict: Some(Verdict::Satisfied) }
        );
        assert_eq!(
            v("RATE 42568096 not"),
            Command::Verdict { code: code(), verdict: Some(Verdict::NotSatisfied) }
        );
        assert_eq!(v("avis 42568096 4"), Command::Verdict { code: code(), verdict: None });
        assert_eq!(v("avis 42568096"), Command::Verdict { code: code(), verdict: None });
        assert_eq!(v("avis 1"), Command::Verdict { code: None, verdict: None });
        assert_eq!(v("1"), Command::BareVerdict(Verdict::Satisfied));
        assert_eq!(v(" 2. "), Command::BareVerdict(Verdict::PartlySatisfied));
        assert_eq!(v("3"), Command::BareVerdict(Verdict::NotSatisfied));
        assert_eq!(v("4"), Command::Help);
        assert_eq!(parse("1").lang, None);
    }

    #[test]
    fn reopening_keeps_the_reason_as_typed() {
        assert_eq!(
            parse("RELANCE 42568096 Le guichet est toujours fermé.").command,
            Command::Reopen { code: code(), reason: "Le guichet est toujours fermé.".into() }
        );
        assert_eq!(
            parse("relancer 4256-8096 : rien n'a changé").command,
            Command::Reopen { code: code(), reason: "rien n'a changé".into() }
        );
        assert_eq!(
            parse("reopen 42568096").command,
            Command::Reopen { code: code(), reason: String::new() }
        );
        assert_eq!(parse("reopen 42568096").lang, Some(Lang::En));
        assert_eq!(
            parse("relance pas de code").command,
            Command::Reopen { code: None, reason: "pas de code".into() }
        );
    }

    #[test]
    fn codes_help_and_anything_else() {
        for (text, command) in [
            ("CODES", Command::Codes),
            ("codes", Command::Codes),
            ("Code", Command::Codes),
            ("AIDE", Command::Help),
            ("aïde", Command::Help),
            ("help", Command::Help),
            ("?", Command::Help),
            ("", Command::Help),
            ("bonjour le ministère", Command::Help),
            ("*#06#", Command::Help),
            ("🙂", Command::Help),
        ] {
            assert_eq!(parse(text).command, command, "{text:?}");
        }
        assert_eq!(parse("aide").lang, Some(Lang::Fr));
        assert_eq!(parse("HELP").lang, Some(Lang::En));
        assert_eq!(parse("codes").lang, None);
    }

    #[test]
    fn answers_read_back_their_slugs() {
        for a in Answer::ALL {
            assert_eq!(Answer::parse(a.slug()), Some(a));
        }
        assert_eq!(Answer::parse("nonsense"), None);
    }

    #[test]
    fn long_and_strange_texts_are_read_without_panicking() {
        let long = format!("relance 42568096 {}", "é".repeat(5000));
        match parse(&long).command {
            Command::Reopen { reason, .. } => assert!(reason.chars().count() < MAX_CHARS),
            other => panic!("{other:?}"),
        }
        for text in ["avis\u{a0}42568096\u{a0}2", "AVIS 42568096 2 merci", "suivi 4256 8096 9"] {
            let _ = parse(text);
        }
        assert_eq!(
            parse("avis\u{a0}42568096\u{a0}2").command,
            Command::Verdict { code: code(), verdict: Some(Verdict::PartlySatisfied) }
        );
    }
}
