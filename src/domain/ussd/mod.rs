//! The USSD menu (issue #30) as a state machine: the session's stored step, and the handset's new
//! input (read from the gateway's `*`-joined text by [`input::read`]), give the next step and the
//! screen to show. Pure: the lists it pages (bodies, régions, places, themes, the number's
//! requests) are handed in as [`Data`]; when one is missing it says which ([`Need`]) and is asked
//! again once it is there. What it decides to do — submit, give a verdict, reopen, send the codes —
//! is an [`Effect`] the adapter carries out through the intake door and the citizen's changes.
//!
//! Submit: nature → body (paged, or `00` and its number) → région → commune or sous-préfecture →
//! theme → message (one or more screens) → read back and confirm. My requests: the number's last
//! five → one of them (its stage, the answer in screens, the verdict, the reopening).

pub mod input;
pub mod paging;
mod screens;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use super::lang::Lang;
use super::nature::Nature;
use super::stage::{Stage, Verdict};
use super::text_field::{Message, TextError, MESSAGE_MAX_CHARS};
pub use paging::Item;
pub use screens::{End, ListKind, Reply, Screen, ANSWER_BUDGET};

/// A screen's longest text in GSM-7 septets (the «CON »/«END » prefix aside).
pub const SCREEN_MAX: usize = 182;
/// A session without a new screen for this long is over (the gateways give up sooner).
pub const IDLE_MS: i64 = 3 * 60_000;
/// A dropped session is offered again to its number dialling within this long of its last step.
pub const RESUME_MS: i64 = 10 * 60_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Language,
    Resume,
    Main,
    Nature,
    Body,
    BodyNumber,
    Region,
    Place,
    Theme,
    Message,
    MoreMessage,
    Confirm,
    Mine,
    Request,
    Answer,
    Verdict,
    Reason,
    /// Ended: any further text gets the last screen again.
    Done,
}

/// What a submission has gathered so far.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    /// The nature's slug.
    pub nature: Option<String>,
    pub body: Option<i64>,
    /// The région (or autonomous district) chosen: its place in the list of régions (1…).
    pub region: Option<i64>,
    pub place: Option<i64>,
    pub theme: Option<i64>,
    pub message: String,
}

impl Draft {
    pub fn nature(&self) -> Option<Nature> {
        self.nature.as_deref().and_then(|n| Nature::parse(n).ok())
    }
}

/// A session as stored between two screens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// `fr` or `en`, once chosen (or remembered for the number).
    pub lang: Option<String>,
    pub step: Step,
    /// The page of the list or text shown.
    pub page: usize,
    pub draft: Draft,
    /// The request chosen under «Mes requêtes».
    pub request: Option<i64>,
    /// Where «Reprendre» leads.
    pub resume: Option<Step>,
    /// The submission's key: a retried confirmation finds the request it made.
    pub key: String,
}

impl Session {
    /// A new session: the main menu in the number's language, or the choice of language first;
    /// or the offer to resume `dropped` (the number's unfinished session, still recent).
    pub fn start(lang: Option<Lang>, dropped: Option<Session>, key: String) -> Session {
        // Resumed, it keeps its submission's key.
        if let Some(d) = dropped.filter(Session::resumable) {
            return Session { step: Step::Resume, resume: Some(d.step), page: 0, ..d };
        }
        Session {
            lang: lang.map(|l| l.code().to_owned()),
            step: if lang.is_some() { Step::Main } else { Step::Language },
            page: 0,
            draft: Draft::default(),
            request: None,
            resume: None,
            key,
        }
    }

    pub fn lang(&self) -> Lang {
        self.lang.as_deref().and_then(Lang::parse).unwrap_or(Lang::Fr)
    }

    /// Worth offering again: a submission under way, or a request being judged.
    pub fn resumable(&self) -> bool {
        !matches!(self.step, Step::Language | Step::Resume | Step::Main | Step::Done)
    }

    fn at(&self, step: Step) -> Session {
        Session { step, page: 0, ..self.clone() }
    }
}

/// The request chosen, as its screens show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub code: String,
    pub nature: Nature,
    pub body: String,
    pub stage: Stage,
    /// When the body answered (stage 3).
    pub treated_at: Option<i64>,
    /// The body's answer, GSM-7.
    pub answer: Option<String>,
}

impl Facts {
    /// Whether the citizen may judge the answer or reopen (stage 3, awaiting the verdict).
    pub fn awaits_verdict(&self) -> bool {
        self.stage == Stage::Treated
    }
}

/// The lists the menus page, as the adapter read them (labels in the session's language).
#[derive(Debug, Clone, Default)]
pub struct Data {
    pub bodies: Option<Vec<Item>>,
    /// Régions and autonomous districts (`id`: its place in the list, from 1), then «Autre lieu»
    /// (`id` 0: no place).
    pub regions: Option<Vec<Item>>,
    /// The communes and sous-préfectures of the draft's région.
    pub places: Option<Vec<Item>>,
    /// The themes of the draft's body, then «Autre» (`id` 0: no theme).
    pub themes: Option<Vec<Item>>,
    /// The number's last five requests (`id`: the request's; label: code and stage in words).
    pub mine: Option<Vec<Item>>,
    /// The request chosen (None inside: not this number's, or gone).
    pub request: Option<Option<Facts>>,
}

/// A list the machine needs to go on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Need {
    Bodies,
    Regions,
    Places(i64),
    Themes(i64),
    Mine,
    Request(i64),
}

/// What the adapter carries out; the screen after it says how it went ([`End`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Submit,
    Verdict(Verdict),
    Reopen(String),
    SendCodes,
}

/// One turn: the session to store, what to show (unless an effect decides it), the effect.
#[derive(Debug, Clone, PartialEq)]
pub struct Turn {
    pub session: Session,
    pub reply: Reply,
    pub effect: Option<Effect>,
}

/// The list a list step pages, from `data` (or what it needs).
fn list<'a>(s: &Session, data: &'a Data) -> Result<(ListKind, &'a [Item]), Need> {
    let need = |v: &'a Option<Vec<Item>>, n: Need| v.as_deref().ok_or(n);
    Ok(match s.step {
        Step::Body => (ListKind::Body, need(&data.bodies, Need::Bodies)?),
        Step::Region => (ListKind::Region, need(&data.regions, Need::Regions)?),
        Step::Place => {
            let region = s.draft.region.unwrap_or_default();
            (ListKind::Place, need(&data.places, Need::Places(region))?)
        }
        Step::Mine => (ListKind::Mine, need(&data.mine, Need::Mine)?),
        _ => {
            let body = s.draft.body.unwrap_or_default();
            (ListKind::Theme, need(&data.themes, Need::Themes(body))?)
        }
    })
}

fn facts<'a>(s: &Session, data: &'a Data) -> Result<Option<&'a Facts>, Need> {
    let id = s.request.unwrap_or_default();
    data.request.as_ref().map(Option::as_ref).ok_or(Need::Request(id))
}

/// The next turn: `input` typed at the session's step.
pub fn advance(s: &Session, input: &str, data: &Data) -> Result<Turn, Need> {
    let choice = input.trim();
    let go = |next: Session| -> Result<Turn, Need> {
        let reply = show(&next, data)?;
        Ok(Turn { session: next, reply, effect: None })
    };
    let invalid = || -> Result<Turn, Need> {
        Ok(Turn { session: s.clone(), reply: show(s, data)?.invalid(), effect: None })
    };
    let effect = |e: Effect| Turn {
        session: s.at(Step::Done),
        reply: Reply::end(End::Pending),
        effect: Some(e),
    };
    match s.step {
        Step::Language => match choice {
            "1" | "2" => {
                let lang = if choice == "1" { Lang::Fr } else { Lang::En };
                go(Session { lang: Some(lang.code().to_owned()), ..s.at(Step::Main) })
            }
            _ => invalid(),
        },
        Step::Resume => match choice {
            "1" => go(s.at(s.resume.unwrap_or(Step::Main))),
            "2" => go(Session { draft: Draft::default(), request: None, ..s.at(Step::Main) }),
            _ => invalid(),
        },
        Step::Main => match choice {
            "1" => go(Session { draft: Draft::default(), ..s.at(Step::Nature) }),
            "2" => go(s.at(Step::Mine)),
            "3" => Ok(effect(Effect::SendCodes)),
            "4" => go(s.at(Step::Language)),
            "0" => Ok(Turn {
                session: s.at(Step::Done),
                reply: Reply::end(End::Goodbye),
                effect: None,
            }),
            _ => invalid(),
        },
        Step::Nature => match choice {
            "0" => go(s.at(Step::Main)),
            "1" | "2" | "3" => {
                let nature = Nature::ALL[choice.as_bytes()[0] as usize - b'1' as usize];
                let draft = Draft { nature: Some(nature.slug().to_owned()), ..s.draft.clone() };
                go(Session { draft, ..s.at(Step::Body) })
            }
            _ => invalid(),
        },
        Step::Body | Step::Region | Step::Place | Step::Theme | Step::Mine => {
            let (kind, items) = list(s, data)?;
            let pages = paging::pages(items);
            let page = pages.get(s.page).cloned().unwrap_or(0..0);
            let back = match kind {
                ListKind::Body => Step::Nature,
                ListKind::Region => Step::Body,
                ListKind::Place => Step::Region,
                ListKind::Theme => Step::Place,
                ListKind::Mine => Step::Main,
            };
            match choice {
                "0" if s.page > 0 => go(Session { page: s.page - 1, ..s.clone() }),
                "0" => go(s.at(back)),
                "9" if s.page + 1 < pages.len() => go(Session { page: s.page + 1, ..s.clone() }),
                "00" if kind == ListKind::Body => go(s.at(Step::BodyNumber)),
                _ => match choice.parse::<usize>().ok().filter(|n| (1..=page.len()).contains(n)) {
                    Some(n) => go(chosen(s, kind, &items[page.start + n - 1])),
                    None => invalid(),
                },
            }
        }
        Step::BodyNumber => {
            let bodies = data.bodies.as_deref().ok_or(Need::Bodies)?;
            match choice {
                "0" => go(s.at(Step::Body)),
                _ => {
                    match choice.parse::<i64>().ok().and_then(|n| bodies.iter().find(|b| b.id == n))
                    {
                        Some(body) => go(chosen(s, ListKind::Body, body)),
                        None => invalid(),
                    }
                }
            }
        }
        Step::Message | Step::MoreMessage => {
            let back = if s.step == Step::Message { Step::Theme } else { Step::Confirm };
            if choice == "0" || choice.is_empty() {
                return if choice.is_empty() { invalid() } else { go(s.at(back)) };
            }
            let joined = format!("{} {}", s.draft.message, input.trim()).trim().to_owned();
            let draft = Draft { message: joined, ..s.draft.clone() };
            match Message::parse(&draft.message) {
                Ok(_) => go(Session { draft, ..s.at(Step::Confirm) }),
                Err(TextError::TooLong { .. }) => Ok(Turn {
                    session: s.clone(),
                    reply: show(s, data)?
                        .with_problem(TextError::TooLong { max: MESSAGE_MAX_CHARS }),
                    effect: None,
                }),
                // Too short so far: kept, and more asked for.
                Err(problem) => {
                    let next = Session { draft, ..s.at(Step::Message) };
                    Ok(Turn {
                        reply: show(&next, data)?.with_problem(problem),
                        session: next,
                        effect: None,
                    })
                }
            }
        }
        Step::Confirm => match choice {
            "1" => Ok(effect(Effect::Submit)),
            "2" => go(s.at(Step::MoreMessage)),
            "0" => go(Session { draft: Draft::default(), ..s.at(Step::Main) }),
            _ => invalid(),
        },
        Step::Request => {
            let Some(f) = facts(s, data)? else { return go(s.at(Step::Mine)) };
            match choice {
                "0" => go(Session { request: None, ..s.at(Step::Mine) }),
                "1" if f.answer.is_some() => go(s.at(Step::Answer)),
                "2" if f.awaits_verdict() => go(s.at(Step::Verdict)),
                "3" if f.awaits_verdict() => go(s.at(Step::Reason)),
                _ => invalid(),
            }
        }
        Step::Answer => {
            let pages = screens::answer_pages(facts(s, data)?);
            match choice {
                "9" if s.page + 1 < pages.len() => go(Session { page: s.page + 1, ..s.clone() }),
                "0" if s.page > 0 => go(Session { page: s.page - 1, ..s.clone() }),
                "0" => go(s.at(Step::Request)),
                _ => invalid(),
            }
        }
        Step::Verdict => match choice {
            "0" => go(s.at(Step::Request)),
            "1" | "2" | "3" => Ok(effect(Effect::Verdict(
                Verdict::ALL[choice.as_bytes()[0] as usize - b'1' as usize],
            ))),
            _ => invalid(),
        },
        Step::Reason => match (choice, Message::parse(input)) {
            ("0", _) => go(s.at(Step::Request)),
            (_, Ok(reason)) => Ok(effect(Effect::Reopen(reason.as_str().to_owned()))),
            (_, Err(problem)) => Ok(Turn {
                session: s.clone(),
                reply: show(s, data)?.with_problem(problem),
                effect: None,
            }),
        },
        Step::Done => {
            Ok(Turn { session: s.clone(), reply: Reply::end(End::Goodbye), effect: None })
        }
    }
}

/// The draft once an item of a list is chosen, at the step after it.
fn chosen(s: &Session, kind: ListKind, item: &Item) -> Session {
    let mut draft = s.draft.clone();
    let next = match kind {
        ListKind::Body => {
            draft.body = Some(item.id);
            draft.theme = None;
            Step::Region
        }
        // The last item of the régions is «Autre lieu»: no place.
        ListKind::Region if item.id == 0 => {
            draft.region = None;
            draft.place = None;
            Step::Theme
        }
        ListKind::Region => {
            draft.region = Some(item.id);
            draft.place = None;
            Step::Place
        }
        ListKind::Place => {
            draft.place = Some(item.id);
            Step::Theme
        }
        ListKind::Theme => {
            draft.theme = Some(item.id).filter(|id| *id > 0);
            draft.message.clear();
            Step::Message
        }
        ListKind::Mine => return Session { request: Some(item.id), ..s.at(Step::Request) },
    };
    Session { draft, ..s.at(next) }
}

/// The screen of the session's step (what a resumed or repeated session shows).
pub fn show(s: &Session, data: &Data) -> Result<Reply, Need> {
    screens::screen(s, data).map(Reply::con)
}
