//! The screens of the USSD menu as data: which one, with what in it. Their words are the
//! catalogue's (`i18n::channels`) and their text the renderer's (`web::ussd`), which fits each in
//! 182 GSM-7 septets.

use super::paging::{self, Item};
use super::{Data, Facts, Need, Session, Step};
use crate::domain::nature::Nature;
use crate::domain::text_field::TextError;

/// The septets of the body's answer on one screen, before the renderer adds its title, «(suite)»
/// and the way back.
pub const ANSWER_BUDGET: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    Body,
    Region,
    Place,
    Theme,
    Mine,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    Language,
    /// An unfinished session of the number: resume it or start again.
    Resume,
    Main,
    Natures,
    /// A page of a list: its labels (numbered from 1), whether «9 Suite» goes on.
    List {
        kind: ListKind,
        items: Vec<String>,
        more: bool,
    },
    BodyNumber,
    /// The message, first part (`more`: a part to add to what is typed).
    Message {
        more: bool,
        nature: Option<Nature>,
    },
    /// Read back before sending.
    Confirm {
        nature: Nature,
        body: String,
        place: Option<String>,
        message: String,
    },
    Request(Facts),
    /// A page of the body's answer.
    Answer {
        text: String,
        page: usize,
        pages: usize,
    },
    Verdict,
    Reason,
}

/// How a session ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum End {
    /// Decided by the effect the adapter carries out (never shown).
    Pending,
    /// Registered: its nature and code (also sent by SMS).
    Submitted(Nature, String),
    /// The submission was refused (the directory changed under it): nothing was stored.
    Refused,
    /// Over the number's limit: minutes to wait.
    Limited(u32),
    VerdictGiven,
    Reopened,
    /// The request moved on meanwhile: nothing was changed.
    Conflict,
    CodesSent,
    Goodbye,
    /// The session waited too long; the number may dial again to resume.
    Expired,
    /// Something failed on Miliê's side.
    Unavailable,
}

/// What the gateway is answered: a screen that waits for input (`CON`), or the end (`END`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    Con {
        screen: Screen,
        /// The last input was not one of the choices: «Choix invalide».
        invalid: bool,
        /// What is wrong with the text typed (message, reason).
        problem: Option<TextError>,
    },
    End(End),
}

impl Reply {
    pub fn con(screen: Screen) -> Reply {
        Reply::Con { screen, invalid: false, problem: None }
    }

    pub fn end(end: End) -> Reply {
        Reply::End(end)
    }

    pub(super) fn invalid(self) -> Reply {
        match self {
            Reply::Con { screen, problem, .. } => Reply::Con { screen, invalid: true, problem },
            end => end,
        }
    }

    pub(super) fn with_problem(self, problem: TextError) -> Reply {
        match self {
            Reply::Con { screen, invalid, .. } => {
                Reply::Con { screen, invalid, problem: Some(problem) }
            }
            end => end,
        }
    }
}

/// The body's answer in pages of `ANSWER_BUDGET` (none when there is no answer).
pub fn answer_pages(facts: Option<&Facts>) -> Vec<String> {
    facts
        .and_then(|f| f.answer.as_deref())
        .map(|a| paging::text_pages(a, ANSWER_BUDGET, ""))
        .unwrap_or_default()
}

fn label_of(items: &[Item], id: Option<i64>) -> Option<String> {
    let id = id?;
    items.iter().find(|i| i.id == id).map(|i| i.label.clone())
}

/// The screen of the session's step.
pub(super) fn screen(s: &Session, data: &Data) -> Result<Screen, Need> {
    Ok(match s.step {
        Step::Language => Screen::Language,
        Step::Resume => Screen::Resume,
        // A finished session shows the main menu if it is ever shown again.
        Step::Main | Step::Done => Screen::Main,
        Step::Nature => Screen::Natures,
        Step::Body | Step::Region | Step::Place | Step::Theme | Step::Mine => {
            let (kind, items) = super::list(s, data)?;
            let pages = paging::pages(items);
            let page = pages.get(s.page).cloned().unwrap_or(0..0);
            Screen::List {
                kind,
                items: items[page].iter().map(|i| i.label.clone()).collect(),
                more: s.page + 1 < pages.len(),
            }
        }
        Step::BodyNumber => Screen::BodyNumber,
        Step::Message => Screen::Message { more: false, nature: s.draft.nature() },
        Step::MoreMessage => Screen::Message { more: true, nature: s.draft.nature() },
        Step::Confirm => {
            let bodies = data.bodies.as_deref().ok_or(Need::Bodies)?;
            let place = match s.draft.region {
                Some(region) if s.draft.place.is_some() => {
                    let places = data.places.as_deref().ok_or(Need::Places(region))?;
                    label_of(places, s.draft.place)
                }
                _ => None,
            };
            Screen::Confirm {
                nature: s.draft.nature().unwrap_or(Nature::Reclamation),
                body: label_of(bodies, s.draft.body).unwrap_or_default(),
                place,
                message: crate::domain::gsm7::to_gsm7(&s.draft.message),
            }
        }
        Step::Request => match super::facts(s, data)? {
            Some(f) => Screen::Request(f.clone()),
            None => Screen::List { kind: super::ListKind::Mine, items: Vec::new(), more: false },
        },
        Step::Answer => {
            let pages = answer_pages(super::facts(s, data)?);
            let page = s.page.min(pages.len().saturating_sub(1));
            Screen::Answer {
                text: pages.get(page).cloned().unwrap_or_default(),
                page: page + 1,
                pages: pages.len().max(1),
            }
        }
        Step::Verdict => Screen::Verdict,
        Step::Reason => Screen::Reason,
    })
}
