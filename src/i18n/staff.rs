//! Staff words: the back office's names for stages (never the citizen's button text), the body's
//! «Transmises» queue and its «Prendre en compte» action, what staff are told of new work and how
//! often. French and English side by side; labels of domain values come from exhaustive matches.

use crate::domain::notice::{Alert, Cadence};
use crate::domain::stage::Stage;

use super::Lang;

#[derive(Debug)]
pub struct StaffTexts {
    pub queue_forwarded: &'static str,
    pub queue_forwarded_hint: &'static str,
    pub col_message: &'static str,
    pub col_theme: &'static str,
    pub col_place: &'static str,
    pub action_take: &'static str,
    pub take_hint: &'static str,
    pub take_message: &'static str,
    pub prefs_title: &'static str,
    pub prefs_hint: &'static str,
    pub prefs_save: &'static str,
    pub prefs_saved: &'static str,
    pub pref_immediate: &'static str,
    pub pref_hourly: &'static str,
    pub pref_daily: &'static str,
    pub pref_none: &'static str,
    pub no_focal_point: &'static str,
    pub no_email: &'static str,
    pub due_label: &'static str,
}

pub static FR: StaffTexts = StaffTexts {
    queue_forwarded: "Transmises : observations et suggestions à prendre en compte",
    queue_forwarded_hint: "Les observations et suggestions que l'analyste a lues et transmises à votre organisme, les plus récentes d'abord.",
    col_message: "Message",
    col_theme: "Thème",
    col_place: "Lieu",
    action_take: "Prendre en compte",
    take_hint: "Le citoyen est informé que son observation ou sa suggestion a été prise en compte par votre organisme. Un message est facultatif.",
    take_message: "Message au citoyen (facultatif)",
    prefs_title: "Mes notifications",
    prefs_hint: "Comment être prévenu(e) des requêtes qui vous attendent : à chaque requête, par un résumé toutes les heures ou chaque jour, ou pas du tout.",
    prefs_save: "Enregistrer",
    prefs_saved: "Vos préférences de notification sont enregistrées.",
    pref_immediate: "Un message pour chaque requête",
    pref_hourly: "Un résumé par heure au plus",
    pref_daily: "Un résumé par jour",
    pref_none: "Aucun message",
    no_focal_point: "sans point focal",
    no_email: "sans adresse électronique",
    due_label: "Échéance",
};

pub static EN: StaffTexts = StaffTexts {
    queue_forwarded: "Passed on: observations and suggestions to take into account",
    queue_forwarded_hint: "The observations and suggestions the analyst read and passed on to your body, newest first.",
    col_message: "Message",
    col_theme: "Theme",
    col_place: "Place",
    action_take: "Take into account",
    take_hint: "The citizen is told that your body took their observation or suggestion into account. A message is optional.",
    take_message: "Message to the citizen (optional)",
    prefs_title: "My notifications",
    prefs_hint: "How to be told of the requests waiting for you: a message for each, a summary every hour or every day, or nothing.",
    prefs_save: "Save",
    prefs_saved: "Your notification preferences are saved.",
    pref_immediate: "One message for each request",
    pref_hourly: "At most one summary an hour",
    pref_daily: "One summary a day",
    pref_none: "No message",
    no_focal_point: "no focal point",
    no_email: "no email address",
    due_label: "Due",
};

/// A stage as staff name it: where the request is and who has the hand.
pub fn staff_stage(lang: Lang, stage: Stage) -> &'static str {
    match (lang, stage) {
        (Lang::Fr, Stage::AwaitingTriage) => "À examiner par l'analyste",
        (Lang::Fr, Stage::Returned) => "Renvoyée au citoyen pour reformulation",
        (Lang::Fr, Stage::InTreatment) => "À traiter par l'organisme",
        (Lang::Fr, Stage::Forwarded) => "Transmise à l'organisme, à prendre en compte",
        (Lang::Fr, Stage::TakenIntoAccount) => "Prise en compte par l'organisme",
        (Lang::Fr, Stage::Treated) => "Traitée, avis du citoyen attendu",
        (Lang::Fr, Stage::Closed) => "Clôturée, avis donné",
        (Lang::Fr, Stage::ClosedWithoutVerdict) => "Clôturée sans avis",
        (Lang::Fr, Stage::Merged) => "Fusionnée (doublon d'une autre requête)",
        (Lang::En, Stage::AwaitingTriage) => "To be examined by the analyst",
        (Lang::En, Stage::Returned) => "Sent back to the citizen for rewording",
        (Lang::En, Stage::InTreatment) => "To be handled by the body",
        (Lang::En, Stage::Forwarded) => "Passed on to the body, to take into account",
        (Lang::En, Stage::TakenIntoAccount) => "Taken into account by the body",
        (Lang::En, Stage::Treated) => "Handled, citizen's opinion awaited",
        (Lang::En, Stage::Closed) => "Closed, opinion given",
        (Lang::En, Stage::ClosedWithoutVerdict) => "Closed without opinion",
        (Lang::En, Stage::Merged) => "Merged (duplicate of another request)",
    }
}

/// What happened, as a staff mail's subject and a summary's line say it.
pub fn alert_words(lang: Lang, alert: Alert) -> &'static str {
    match (lang, alert) {
        (Lang::Fr, Alert::New) => "Nouvelle requête à examiner",
        (Lang::Fr, Alert::Edited) => "Requête modifiée par le citoyen, à examiner",
        (Lang::Fr, Alert::Unsatisfied) => "Avis du citoyen à examiner (pas entièrement satisfait)",
        (Lang::Fr, Alert::Validated) => "Réclamation recevable, à traiter par votre organisme",
        (Lang::Fr, Alert::Forwarded) => {
            "Observation ou suggestion transmise à votre organisme, à prendre en compte"
        }
        (Lang::Fr, Alert::Reopened) => "Réclamation relancée par le citoyen, à traiter de nouveau",
        (Lang::Fr, Alert::ReturnedToBody) => {
            "Réclamation renvoyée à votre organisme après l'avis du citoyen"
        }
        (Lang::Fr, Alert::Reassigned) => "Requête réaffectée à votre organisme",
        (Lang::Fr, Alert::BodyClosed) => "Organisme fermé dans l'annuaire : requête à réaffecter",
        (Lang::Fr, Alert::Assigned) => "Requête qui vous est attribuée",
        (Lang::En, Alert::New) => "New request to examine",
        (Lang::En, Alert::Edited) => "Request reworded by the citizen, to examine",
        (Lang::En, Alert::Unsatisfied) => "Citizen's opinion to examine (not fully satisfied)",
        (Lang::En, Alert::Validated) => "Admissible complaint, to be handled by your body",
        (Lang::En, Alert::Forwarded) => {
            "Observation or suggestion passed on to your body, to take into account"
        }
        (Lang::En, Alert::Reopened) => "Complaint reopened by the citizen, to handle again",
        (Lang::En, Alert::ReturnedToBody) => {
            "Complaint returned to your body after the citizen's opinion"
        }
        (Lang::En, Alert::Reassigned) => "Request reassigned to your body",
        (Lang::En, Alert::BodyClosed) => "Body closed in the directory: request to reassign",
        (Lang::En, Alert::Assigned) => "Request assigned to you",
    }
}

#[cfg(feature = "office")]
pub fn cadence_label(lang: Lang, cadence: Cadence) -> &'static str {
    let t = lang.texts().staff;
    match cadence {
        Cadence::Immediate => t.pref_immediate,
        Cadence::Hourly => t.pref_hourly,
        Cadence::Daily => t.pref_daily,
        Cadence::Never => t.pref_none,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_words_never_reuse_the_citizens_button() {
        for lang in [Lang::Fr, Lang::En] {
            let t = lang.texts();
            for stage in Stage::ALL {
                let label = staff_stage(lang, stage);
                assert!(
                    !label.is_empty() && label != t.track.verdict_button && label != "→",
                    "{stage:?}"
                );
            }
            for alert in Alert::ALL {
                assert!(!alert_words(lang, alert).is_empty());
            }
            for cadence in Cadence::ALL {
                assert!(!cadence_label(lang, cadence).is_empty());
            }
        }
        assert_ne!(
            staff_stage(Lang::Fr, Stage::AwaitingTriage),
            Lang::Fr.texts().track.stage_awaiting,
            "the analyst's queue, not the ministry's"
        );
    }
}
