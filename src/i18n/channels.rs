//! The words of the USSD menu and of the SMS answers (issue #30), French and English side by side.
//! Written with the accents people expect; the renderer writes them in GSM-7 (`domain::gsm7`:
//! é, è, à kept, ê, â, ô, ç… without their accent), the same way on every screen and SMS.
//! `{…}` are filled by `web::ussd` and the answers' gathering.

use crate::domain::gsm7::{cut_at_word, septets, to_gsm7, SINGLE_SMS, TWO_PARTS};
use crate::domain::nature::Nature;
use crate::domain::sms_command::Answer;
use crate::domain::stage::Stage;
use crate::i18n::Lang;

/// What an answer about a request says of it, read when the SMS is rendered.
pub struct AnswerFacts<'a> {
    pub nature: Nature,
    pub stage: Stage,
    /// The body's answer, when there is one.
    pub answer: Option<&'a str>,
}

/// An SMS answer's text (GSM-7): one message, or two parts for a request's status with the body's
/// answer (cut at a word to fit). `code`: the request's; `short`: the USSD short code; `minutes`:
/// the wait of a limit.
pub fn sms_answer(
    lang: Lang,
    answer: Answer,
    code: &str,
    facts: Option<&AnswerFacts<'_>>,
    short: &str,
    minutes: &str,
) -> String {
    let t = ChannelTexts::get(lang);
    let stage = facts.map_or("", |f| stage_words(lang, f.stage));
    let fill = |s: &str| {
        s.replace("{code}", code)
            .replace("{short}", short)
            .replace("{minutes}", minutes)
            .replace("{stage}", &stage.to_lowercase())
    };
    let text = match answer {
        Answer::Status => {
            let Some(f) = facts else { return to_gsm7(&fill(t.sms_unknown_code)) };
            let head =
                to_gsm7(&fill(t.sms_status).replace("{Nature}", lang.texts().nature(f.nature)));
            let how = if f.stage == Stage::Treated {
                to_gsm7(&fill(t.sms_how_to_answer))
            } else {
                String::new()
            };
            let said = match f.answer {
                Some(a) if !a.trim().is_empty() => {
                    let frame = to_gsm7(&t.sms_status_answer.replace("{answer}", ""));
                    let room =
                        TWO_PARTS.saturating_sub(septets(&head) + septets(&how) + septets(&frame));
                    let (excerpt, _) = cut_at_word(&to_gsm7(a), room, "...");
                    to_gsm7(&t.sms_status_answer.replace("{answer}", &excerpt))
                }
                _ => String::new(),
            };
            return format!("{head}{said}{how}");
        }
        Answer::VerdictGiven => t.sms_verdict_given,
        Answer::NotAwaiting => t.sms_not_awaiting,
        Answer::UnknownCode => t.sms_unknown_code,
        Answer::ReasonRequired => t.sms_reason_required,
        Answer::VerdictRequired => t.sms_verdict_required,
        Answer::Which => t.sms_which,
        Answer::NoneAwaiting => t.sms_none_awaiting,
        Answer::NoCodes => t.sms_no_codes,
        Answer::Help => t.sms_help,
        Answer::Limited => t.sms_limited,
    };
    let text = to_gsm7(&fill(text));
    cut_at_word(&text, SINGLE_SMS, "").0
}

pub struct ChannelTexts {
    // ─── USSD ───
    /// The first screen, before a language is chosen: both languages.
    pub language: &'static str,
    pub invalid: &'static str,
    pub resume: &'static str,
    pub main: &'static str,
    pub natures: &'static str,
    pub title_body: &'static str,
    pub title_region: &'static str,
    pub title_place: &'static str,
    pub title_theme: &'static str,
    pub title_mine: &'static str,
    pub more: &'static str,
    pub back: &'static str,
    pub by_number: &'static str,
    /// The last région item: no place.
    pub other_place: &'static str,
    /// The last theme item: no theme.
    pub other_theme: &'static str,
    pub no_requests: &'static str,
    pub body_number: &'static str,
    /// `{nature}`: in lower case.
    pub message: &'static str,
    pub message_more: &'static str,
    pub too_short: &'static str,
    pub too_long: &'static str,
    /// `{Nature} à {body}`, then `, {place}` when there is one.
    pub confirm_head: &'static str,
    pub confirm_place: &'static str,
    pub confirm_choices: &'static str,
    /// After a text cut at a word.
    pub suite: &'static str,
    /// `{code} {Nature}`, the body, the stage.
    pub request_choices_answer: &'static str,
    pub request_choices_verdict: &'static str,
    pub answer_title: &'static str,
    pub verdict: &'static str,
    pub reason: &'static str,
    pub submitted: &'static str,
    pub refused: &'static str,
    pub limited: &'static str,
    pub verdict_given: &'static str,
    pub reopened: &'static str,
    pub conflict: &'static str,
    pub codes_sent: &'static str,
    pub goodbye: &'static str,
    pub expired: &'static str,
    pub unavailable: &'static str,
    // ─── SMS answers (each begins with «Miliê : »; `{code}`, `{stage}`, `{short}`, `{minutes}`) ───
    pub sms_status: &'static str,
    pub sms_status_answer: &'static str,
    pub sms_how_to_answer: &'static str,
    pub sms_verdict_given: &'static str,
    pub sms_not_awaiting: &'static str,
    pub sms_unknown_code: &'static str,
    pub sms_reason_required: &'static str,
    pub sms_verdict_required: &'static str,
    pub sms_which: &'static str,
    pub sms_none_awaiting: &'static str,
    pub sms_no_codes: &'static str,
    pub sms_help: &'static str,
    pub sms_limited: &'static str,
}

impl ChannelTexts {
    pub fn get(lang: Lang) -> &'static ChannelTexts {
        match lang {
            Lang::Fr => &FR,
            Lang::En => &EN,
        }
    }
}

/// A request's stage in the guide's words, short enough for a list line.
pub fn stage_words(lang: Lang, stage: Stage) -> &'static str {
    match (lang, stage) {
        (Lang::Fr, Stage::AwaitingTriage) => "En attente de traitement",
        (Lang::Fr, Stage::Returned) => "À reformuler",
        (Lang::Fr, Stage::InTreatment) => "En cours de traitement",
        (Lang::Fr, Stage::Forwarded) => "Lue et transmise",
        (Lang::Fr, Stage::TakenIntoAccount) => "Prise en compte",
        (Lang::Fr, Stage::Treated) => "Traitée, avis attendu",
        (Lang::Fr, Stage::Closed) => "Clôturée",
        (Lang::Fr, Stage::ClosedWithoutVerdict) => "Clôturée sans avis",
        (Lang::Fr, Stage::Merged) => "Regroupée avec une autre",
        (Lang::En, Stage::AwaitingTriage) => "Awaiting handling",
        (Lang::En, Stage::Returned) => "To be reworded",
        (Lang::En, Stage::InTreatment) => "Being handled",
        (Lang::En, Stage::Forwarded) => "Read and passed on",
        (Lang::En, Stage::TakenIntoAccount) => "Taken into account",
        (Lang::En, Stage::Treated) => "Handled, opinion awaited",
        (Lang::En, Stage::Closed) => "Closed",
        (Lang::En, Stage::ClosedWithoutVerdict) => "Closed without opinion",
        (Lang::En, Stage::Merged) => "Merged with another",
    }
}

static FR: ChannelTexts = ChannelTexts {
    language: "Miliê, portail du citoyen\nChoisissez la langue / Choose your language\n1 Français\n2 English",
    invalid: "Choix invalide.",
    resume: "Vous aviez commencé une requête.\n1 La reprendre\n2 Recommencer",
    main: "Miliê - Portail du citoyen\n1 Soumettre une requête\n2 Mes requêtes\n3 Mes codes par SMS\n4 Langue / Language\n0 Quitter",
    natures: "Type de requête :\n1 Réclamation\n2 Observation\n3 Suggestion\n0 Retour",
    title_body: "Organisme :",
    title_region: "Région :",
    title_place: "Commune ou sous-préfecture :",
    title_theme: "Thème :",
    title_mine: "Mes requêtes :",
    more: "9 Suite",
    back: "0 Retour",
    by_number: "00 Par son numéro",
    other_place: "Autre lieu / je ne sais pas",
    other_theme: "Autre thème",
    no_requests: "Aucune requête avec ce numéro.",
    body_number: "Numéro de l'organisme (liste sur milie.ci/organismes) :\n0 Retour",
    message: "Décrivez votre {nature} (10 caractères au moins) :\n0 Retour",
    message_more: "Tapez la suite du message :\n0 Retour",
    too_short: "Trop court : 10 caractères au moins.",
    too_long: "Trop long : 4000 caractères au plus.",
    confirm_head: "{Nature} à {body}",
    confirm_place: ", {place}",
    confirm_choices: "1 Envoyer (j'accepte les conditions)\n2 Ajouter au message\n0 Annuler",
    suite: " (suite)",
    request_choices_answer: "1 Lire la réponse",
    request_choices_verdict: "2 Donner mon avis\n3 Relancer",
    answer_title: "Réponse ({page}/{pages}) :",
    verdict: "Votre avis sur la réponse :\n1 Satisfait\n2 Partiellement satisfait\n3 Non satisfait\n0 Retour",
    reason: "Pourquoi relancer la requête ? (10 caractères au moins)\n0 Retour",
    submitted: "Votre {nature} est enregistrée sous le numéro {code}. Vous le recevez aussi par SMS. Gardez-le pour suivre votre requête.",
    refused: "Votre requête n'a pas pu être enregistrée. Composez de nouveau le {short}.",
    limited: "Trop de demandes depuis ce numéro. Réessayez dans {minutes} min.",
    verdict_given: "Merci : votre avis est enregistré.",
    reopened: "Votre requête est relancée : l'organisme va la traiter de nouveau. Un SMS le confirme.",
    conflict: "La requête a changé entre-temps : rien n'a été modifié.",
    codes_sent: "Les codes des requêtes de ce numéro vous sont envoyés par SMS.",
    goodbye: "Merci d'avoir utilisé Miliê.",
    expired: "Session expirée. Composez de nouveau le {short} pour reprendre où vous en étiez.",
    unavailable: "Service momentanément indisponible. Réessayez plus tard.",
    sms_status: "Miliê : requête {code} ({Nature}), {stage}.",
    sms_status_answer: " Réponse : «{answer}»",
    sms_how_to_answer: " Répondez AVIS {code} 1, 2 ou 3, ou RELANCE {code} et la raison.",
    sms_verdict_given: "Miliê : merci, votre avis sur la requête {code} est enregistré.",
    sms_not_awaiting: "Miliê : la requête {code} n'attend pas d'avis ni de relance ({stage}).",
    sms_unknown_code: "Miliê : code inconnu. Vérifiez le code à 8 chiffres, ou envoyez CODES pour recevoir les vôtres.",
    sms_reason_required: "Miliê : indiquez la raison : RELANCE {code} puis la raison (10 caractères au moins).",
    sms_verdict_required: "Miliê : envoyez AVIS {code} puis 1 (satisfait), 2 (partiellement) ou 3 (non satisfait).",
    sms_which: "Miliê : plusieurs requêtes attendent votre avis. Envoyez AVIS, le code, puis 1, 2 ou 3.",
    sms_none_awaiting: "Miliê : aucune de vos requêtes n'attend d'avis. Envoyez AIDE pour l'aide.",
    sms_no_codes: "Miliê : aucune requête n'est enregistrée avec ce numéro. Pour en soumettre une : {short}.",
    sms_help: "Miliê : SUIVI code = où en est la requête ; AVIS code 1, 2 ou 3 = votre avis ; RELANCE code raison = la relancer ; CODES = vos codes. Soumettre : {short}.",
    sms_limited: "Miliê : trop de messages depuis ce numéro. Réessayez dans {minutes} min.",
};

static EN: ChannelTexts = ChannelTexts {
    language: "Milie, citizens' portal\nChoisissez la langue / Choose your language\n1 Français\n2 English",
    invalid: "Invalid choice.",
    resume: "You had started a request.\n1 Go on with it\n2 Start again",
    main: "Milie - Citizens' portal\n1 Submit a request\n2 My requests\n3 My codes by SMS\n4 Langue / Language\n0 Quit",
    natures: "Kind of request:\n1 Complaint\n2 Observation\n3 Suggestion\n0 Back",
    title_body: "Public body:",
    title_region: "Region:",
    title_place: "Commune or sub-prefecture:",
    title_theme: "Theme:",
    title_mine: "My requests:",
    more: "9 More",
    back: "0 Back",
    by_number: "00 By its number",
    other_place: "Another place / I don't know",
    other_theme: "Another theme",
    no_requests: "No request with this number.",
    body_number: "The body's number (list at milie.ci/organismes):\n0 Back",
    message: "Describe your {nature} (10 characters at least):\n0 Back",
    message_more: "Type the rest of the message:\n0 Back",
    too_short: "Too short: 10 characters at least.",
    too_long: "Too long: 4000 characters at most.",
    confirm_head: "{Nature} to {body}",
    confirm_place: ", {place}",
    confirm_choices: "1 Send (I accept the terms)\n2 Add to the message\n0 Cancel",
    suite: " (more)",
    request_choices_answer: "1 Read the answer",
    request_choices_verdict: "2 Give my opinion\n3 Reopen",
    answer_title: "Answer ({page}/{pages}):",
    verdict: "Your opinion on the answer:\n1 Satisfied\n2 Partly satisfied\n3 Not satisfied\n0 Back",
    reason: "Why reopen the request? (10 characters at least)\n0 Back",
    submitted: "Your {nature} is registered under number {code}. You also get it by SMS. Keep it to track your request.",
    refused: "Your request could not be registered. Please dial {short} again.",
    limited: "Too many requests from this number. Try again in {minutes} min.",
    verdict_given: "Thank you: your opinion is recorded.",
    reopened: "Your request is reopened: the body will handle it again. An SMS confirms it.",
    conflict: "The request changed meanwhile: nothing was changed.",
    codes_sent: "The codes of this number's requests are sent to you by SMS.",
    goodbye: "Thank you for using Milie.",
    expired: "Session expired. Dial {short} again to go on where you were.",
    unavailable: "Service unavailable for a moment. Please try again later.",
    sms_status: "Milie: request {code} ({Nature}), {stage}.",
    sms_status_answer: " Answer: \"{answer}\"",
    sms_how_to_answer: " Reply RATE {code} 1, 2 or 3, or REOPEN {code} and the reason.",
    sms_verdict_given: "Milie: thank you, your opinion on request {code} is recorded.",
    sms_not_awaiting: "Milie: request {code} awaits no opinion nor reopening ({stage}).",
    sms_unknown_code: "Milie: unknown code. Check the 8-digit code, or send CODES to get yours.",
    sms_reason_required: "Milie: give the reason: REOPEN {code} then the reason (10 characters at least).",
    sms_verdict_required: "Milie: send RATE {code} then 1 (satisfied), 2 (partly) or 3 (not satisfied).",
    sms_which: "Milie: several requests await your opinion. Send RATE, the code, then 1, 2 or 3.",
    sms_none_awaiting: "Milie: none of your requests awaits an opinion. Send HELP for help.",
    sms_no_codes: "Milie: no request is registered with this number. To submit one: {short}.",
    sms_help: "Milie: TRACK code = where the request stands; RATE code 1, 2 or 3 = your opinion; REOPEN code reason = reopen it; CODES = your codes. Submit: {short}.",
    sms_limited: "Milie: too many messages from this number. Try again in {minutes} min.",
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::gsm7::{septets, to_gsm7, SINGLE_SMS};

    #[test]
    fn a_status_with_a_long_answer_fits_two_parts_and_says_how_to_reply() {
        let long = "Le guichet de l'état civil rouvre lundi à huit heures. ".repeat(20);
        for lang in [Lang::Fr, Lang::En] {
            for stage in Stage::ALL {
                let facts = AnswerFacts { nature: Nature::Reclamation, stage, answer: Some(&long) };
                let sms = sms_answer(lang, Answer::Status, "42568096", Some(&facts), "*123#", "");
                assert!(septets(&sms) <= TWO_PARTS, "{sms}");
                assert!(sms.contains("42568096") && !sms.contains('{'), "{sms}");
                assert_eq!(
                    sms.contains("RELANCE") || sms.contains("REOPEN"),
                    stage == Stage::Treated,
                    "{sms}"
                );
            }
            for answer in Answer::ALL {
                let facts =
                    AnswerFacts { nature: Nature::Suggestion, stage: Stage::Closed, answer: None };
                let sms = sms_answer(lang, answer, "42568096", Some(&facts), "*123*45#", "42");
                assert!(septets(&sms) <= SINGLE_SMS && !sms.contains('{'), "{answer:?}: {sms}");
                assert_eq!(sms, to_gsm7(&sms));
            }
        }
        let unknown = sms_answer(Lang::Fr, Answer::UnknownCode, "", None, "*1#", "");
        assert!(unknown.starts_with("Milie : code inconnu"), "{unknown}");
    }

    #[test]
    fn every_sms_answer_fits_one_message_with_its_longest_values() {
        for lang in [Lang::Fr, Lang::En] {
            let t = ChannelTexts::get(lang);
            let fill = |s: &str| {
                s.replace("{code}", "42568096")
                    .replace("{short}", "*123*45#")
                    .replace("{minutes}", "60")
                    .replace("{Nature}", "Réclamation")
                    .replace("{stage}", "Clôturée sans avis, opinion")
            };
            for text in [
                t.sms_verdict_given,
                t.sms_not_awaiting,
                t.sms_unknown_code,
                t.sms_reason_required,
                t.sms_verdict_required,
                t.sms_which,
                t.sms_none_awaiting,
                t.sms_no_codes,
                t.sms_help,
                t.sms_limited,
            ] {
                let sms = to_gsm7(&fill(text));
                assert!(septets(&sms) <= SINGLE_SMS, "{lang:?} {} septets: {sms}", septets(&sms));
                assert!(!sms.contains('{'), "{sms}");
            }
            for stage in Stage::ALL {
                assert!(septets(&to_gsm7(stage_words(lang, stage))) <= 24, "{stage:?}");
            }
        }
    }
}
