//! The USSD menu's screens as the gateway shows them: `CON …` (waits for an answer) or `END …`,
//! each at most 182 GSM-7 septets, accents the handset cannot show written without them
//! (`domain::gsm7`), texts too long for the screen cut at a word with «(suite)».

use crate::domain::gsm7::{cut_at_word, septets, to_gsm7};
use crate::domain::text_field::TextError;
use crate::domain::ussd::{paging, End, ListKind, Reply, Screen, SCREEN_MAX};
use crate::i18n::channels::{stage_words, ChannelTexts};
use crate::i18n::Lang;

/// The answer to the gateway: `CON ` or `END ` and the screen.
pub fn render(reply: &Reply, lang: Lang, short_code: &str) -> String {
    match reply {
        Reply::Con { .. } => format!("CON {}", screen_text(reply, lang)),
        Reply::End(end) => format!("END {}", end_text(end, lang, short_code)),
    }
}

/// A continuing screen's text (≤ 182 septets), with «Choix invalide» or the text's problem first.
pub fn screen_text(reply: &Reply, lang: Lang) -> String {
    let Reply::Con { screen, invalid, problem } = reply else { return String::new() };
    let t = ChannelTexts::get(lang);
    let mut head = String::new();
    if *invalid {
        head.push_str(t.invalid);
        head.push('\n');
    }
    match problem {
        Some(TextError::TooLong { .. }) => head.push_str(t.too_long),
        Some(_) => head.push_str(t.too_short),
        None => {}
    }
    if problem.is_some() {
        head.push('\n');
    }
    let head = to_gsm7(&head);
    let body = body(screen, lang, SCREEN_MAX.saturating_sub(septets(&head)));
    fit(&format!("{head}{body}"))
}

/// At most a screen, whatever happened above (cut at a word: never expected, always safe).
fn fit(text: &str) -> String {
    let text = to_gsm7(text);
    if septets(&text) <= SCREEN_MAX {
        return text;
    }
    cut_at_word(&text, SCREEN_MAX, "").0
}

fn capitalised(nature: crate::domain::nature::Nature, lang: Lang) -> &'static str {
    lang.texts().nature(nature)
}

/// The screen itself, within `room` septets.
fn body(screen: &Screen, lang: Lang, room: usize) -> String {
    let t = ChannelTexts::get(lang);
    match screen {
        Screen::Language => t.language.to_owned(),
        Screen::Resume => t.resume.to_owned(),
        Screen::Main => t.main.to_owned(),
        Screen::Natures => t.natures.to_owned(),
        Screen::List { kind, items, more } => {
            let title = match kind {
                ListKind::Body => t.title_body,
                ListKind::Region => t.title_region,
                ListKind::Place => t.title_place,
                ListKind::Theme => t.title_theme,
                ListKind::Mine => t.title_mine,
            };
            let mut lines = vec![title.to_owned()];
            if items.is_empty() && *kind == ListKind::Mine {
                lines = vec![t.no_requests.to_owned()];
            }
            lines.extend(items.iter().enumerate().map(|(i, label)| format!("{} {label}", i + 1)));
            if *more {
                lines.push(t.more.to_owned());
            }
            if *kind == ListKind::Body {
                lines.push(t.by_number.to_owned());
            }
            lines.push(t.back.to_owned());
            lines.join("\n")
        }
        Screen::BodyNumber => t.body_number.to_owned(),
        Screen::Message { more: true, .. } => t.message_more.to_owned(),
        Screen::Message { more: false, nature } => {
            let nature = nature.map_or("", |n| capitalised(n, lang)).to_lowercase();
            t.message.replace("{nature}", &nature)
        }
        Screen::Confirm { nature, body, place, message } => {
            let mut head = t
                .confirm_head
                .replace("{Nature}", capitalised(*nature, lang))
                .replace("{body}", body);
            if let Some(place) = place {
                head.push_str(&t.confirm_place.replace("{place}", place));
            }
            let head = to_gsm7(&head);
            let choices = to_gsm7(t.confirm_choices);
            // What is left for the message, between quotes, each part on its line.
            let left = room.saturating_sub(septets(&head) + septets(&choices) + 4);
            let (excerpt, _) = cut_at_word(&to_gsm7(message), left, &to_gsm7(t.suite));
            format!("{head}\n\"{excerpt}\"\n{choices}")
        }
        Screen::Request(f) => {
            let mut lines = vec![
                format!("{} {}", f.code, capitalised(f.nature, lang)),
                paging::short_label(&f.body),
                stage_words(lang, f.stage).to_owned(),
            ];
            if f.answer.is_some() {
                lines.push(t.request_choices_answer.to_owned());
            }
            if f.awaits_verdict() {
                lines.push(t.request_choices_verdict.to_owned());
            }
            lines.push(t.back.to_owned());
            lines.join("\n")
        }
        Screen::Answer { text, page, pages } => {
            let title = t
                .answer_title
                .replace("{page}", &page.to_string())
                .replace("{pages}", &pages.to_string());
            let mut lines = vec![title];
            if page < pages {
                lines.push(format!("{text}{}", t.suite));
                lines.push(t.more.to_owned());
            } else {
                lines.push(text.clone());
            }
            lines.push(t.back.to_owned());
            lines.join("\n")
        }
        Screen::Verdict => t.verdict.to_owned(),
        Screen::Reason => t.reason.to_owned(),
    }
}

/// The last screen's text.
pub fn end_text(end: &End, lang: Lang, short_code: &str) -> String {
    let t = ChannelTexts::get(lang);
    let text = match end {
        End::Pending | End::Unavailable => t.unavailable.to_owned(),
        End::Submitted(nature, code) => t
            .submitted
            .replace("{nature}", &capitalised(*nature, lang).to_lowercase())
            .replace("{code}", code),
        End::Refused => t.refused.replace("{short}", short_code),
        End::Limited(minutes) => t.limited.replace("{minutes}", &minutes.to_string()),
        End::VerdictGiven => t.verdict_given.to_owned(),
        End::Reopened => t.reopened.to_owned(),
        End::Conflict => t.conflict.to_owned(),
        End::CodesSent => t.codes_sent.to_owned(),
        End::Goodbye => t.goodbye.to_owned(),
        End::Expired => t.expired.replace("{short}", short_code),
    };
    fit(&text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::nature::Nature;
    use crate::domain::stage::Stage;
    use crate::domain::ussd::{paging::LABEL_MAX, Facts};

    fn worst_screens() -> Vec<Screen> {
        let label = "M".repeat(LABEL_MAX);
        let mut screens = vec![
            Screen::Language,
            Screen::Resume,
            Screen::Main,
            Screen::Natures,
            Screen::BodyNumber,
            Screen::Message { more: false, nature: Some(Nature::Observation) },
            Screen::Message { more: true, nature: None },
            Screen::Confirm {
                nature: Nature::Reclamation,
                body: label.clone(),
                place: Some(label.clone()),
                message: "Le guichet est fermé depuis lundi ".repeat(100),
            },
            Screen::Answer {
                text: "x".repeat(crate::domain::ussd::ANSWER_BUDGET),
                page: 11,
                pages: 12,
            },
            Screen::Verdict,
            Screen::Reason,
        ];
        for kind in
            [ListKind::Body, ListKind::Region, ListKind::Place, ListKind::Theme, ListKind::Mine]
        {
            // The fullest page the pager makes: as many labels as fit its budget.
            let items: Vec<paging::Item> = (0..20).map(|i| paging::Item::new(i, &label)).collect();
            let first = paging::pages(&items)[0].clone();
            let short: Vec<paging::Item> = (0..20).map(|i| paging::Item::new(i, "Abc")).collect();
            let eight = paging::pages(&short)[0].clone();
            screens.push(Screen::List {
                kind,
                items: items[first].iter().map(|i| i.label.clone()).collect(),
                more: true,
            });
            screens.push(Screen::List {
                kind,
                items: short[eight].iter().map(|i| i.label.clone()).collect(),
                more: true,
            });
            screens.push(Screen::List { kind, items: Vec::new(), more: false });
        }
        for stage in Stage::ALL {
            screens.push(Screen::Request(Facts {
                code: "42568096".into(),
                nature: Nature::Reclamation,
                body: "Ministère de l'Intégration Africaine et des Ivoiriens de l'Extérieur".into(),
                stage,
                treated_at: Some(0),
                answer: Some("ok".into()),
            }));
        }
        screens
    }

    #[test]
    fn every_screen_fits_182_gsm7_septets_in_both_languages_even_invalid() {
        for lang in [Lang::Fr, Lang::En] {
            for screen in worst_screens() {
                for (invalid, problem) in
                    [(false, None), (true, None), (false, Some(TextError::TooShort { min: 10 }))]
                {
                    let reply =
                        Reply::Con { screen: screen.clone(), invalid, problem: problem.clone() };
                    let text = screen_text(&reply, lang);
                    assert!(
                        septets(&text) <= SCREEN_MAX,
                        "{lang:?} {screen:?}: {} septets\n{text}",
                        septets(&text)
                    );
                    assert_eq!(text, to_gsm7(&text), "GSM-7");
                    assert!(!text.contains('{'), "{text}");
                    assert!(render(&reply, lang, "*123#").starts_with("CON "));
                }
            }
            for end in [
                End::Submitted(Nature::Observation, "42568096".into()),
                End::Refused,
                End::Limited(60),
                End::VerdictGiven,
                End::Reopened,
                End::Conflict,
                End::CodesSent,
                End::Goodbye,
                End::Expired,
                End::Unavailable,
            ] {
                let text = render(&Reply::End(end.clone()), lang, "*123*456#");
                assert!(text.starts_with("END ") && septets(&text[4..]) <= SCREEN_MAX, "{text}");
                assert!(!text.contains('{'), "{text}");
            }
        }
    }

    #[test]
    fn screens_read_as_the_guide_says() {
        let main = screen_text(&Reply::con(Screen::Main), Lang::Fr);
        assert!(main.starts_with("Milie - Portail du citoyen\n1 Soumettre une requete"), "{main}");
        let invalid = screen_text(
            &Reply::Con { screen: Screen::Natures, invalid: true, problem: None },
            Lang::Fr,
        );
        assert!(
            invalid.starts_with("Choix invalide.\nType de requete :\n1 Réclamation"),
            "{invalid}"
        );
        let list = screen_text(
            &Reply::con(Screen::List {
                kind: ListKind::Body,
                items: vec!["Min. Éducation".into()],
                more: true,
            }),
            Lang::Fr,
        );
        assert_eq!(list, "Organisme :\n1 Min. Éducation\n9 Suite\n00 Par son numéro\n0 Retour");
        let confirm = screen_text(
            &Reply::con(Screen::Confirm {
                nature: Nature::Reclamation,
                body: "Min. Éducation".into(),
                place: Some("Cocody".into()),
                message: "mot ".repeat(80),
            }),
            Lang::Fr,
        );
        assert!(confirm.contains("mot (suite)\"\n1 Envoyer"), "{confirm}");
        assert!(septets(&confirm) <= SCREEN_MAX);
    }
}
