//! The back office's words for holding requests, duplicates, exports and absence, French and
//! English side by side (the dashboard, the journal and data rights: `office_admin`).

use super::Lang;
use crate::domain::{assignment, merge};

#[derive(Debug)]
pub struct OfficeTexts {
    pub take: &'static str,
    pub take_hint: &'static str,
    pub assign: &'static str,
    pub assign_to: &'static str,
    pub assign_reason: &'static str,
    pub release: &'static str,
    pub release_reason: &'static str,
    pub held_by: &'static str,
    pub held_by_you: &'static str,
    pub not_held: &'static str,
    pub col_holder: &'static str,
    pub duplicates_title: &'static str,
    pub duplicates_hint: &'static str,
    pub duplicates_none: &'static str,
    pub score: &'static str,
    pub same_place: &'static str,
    pub metres_away: &'static str,
    pub merge_into: &'static str,
    pub attach_checked: &'static str,
    pub select_duplicate: &'static str,
    pub followers_title: &'static str,
    pub follower_of: &'static str,
    pub unmerge: &'static str,
    pub merge_title: &'static str,
    pub merge_question: &'static str,
    pub merge_consequence: &'static str,
    pub merge_message: &'static str,
    pub merge_confirm: &'static str,
    pub attach_question: &'static str,
    pub unmerge_question: &'static str,
    pub unmerge_consequence: &'static str,
    pub cancel: &'static str,
    pub merged_report: &'static str,
    pub export_label: &'static str,
    pub export_csv: &'static str,
    pub export_xlsx: &'static str,
    pub absence_title: &'static str,
    pub absence_hint: &'static str,
    pub absence_until: &'static str,
    pub absence_save: &'static str,
    pub absence_clear: &'static str,
    pub absence_saved: &'static str,
    pub absence_now: &'static str,
    pub absence_invalid: &'static str,
    pub away_note: &'static str,
    pub deactivated_note: &'static str,
    pub filter_late: &'static str,
}

pub static FR: OfficeTexts = OfficeTexts {
    take: "Je m'en charge",
    take_hint: "La requête apparaîtra dans vos dossiers ; vos collègues la verront prise en charge.",
    assign: "Attribuer à un collègue",
    assign_to: "Collègue de l'organisme",
    assign_reason: "Motif de l'attribution",
    release: "Rendre à la file de l'organisme",
    release_reason: "Motif (facultatif)",
    held_by: "Prise en charge par",
    held_by_you: "Vous vous en chargez",
    not_held: "Personne ne s'en charge encore",
    col_holder: "Pris en charge par",
    duplicates_title: "Doublons possibles",
    duplicates_hint: "Requêtes ouvertes du même organisme, au même thème et lieu (ou à moins de 500 m), dont le message est proche : la similarité compte les mots en commun, sans accents ni majuscules.",
    duplicates_none: "Aucun doublon possible.",
    score: "Similarité",
    same_place: "même thème et même lieu",
    metres_away: "à {m} m",
    merge_into: "Fusionner celle-ci dans {code}",
    attach_checked: "Rattacher les requêtes cochées à celle-ci",
    select_duplicate: "Rattacher",
    followers_title: "Requêtes rattachées (doublons)",
    follower_of: "Doublon de la requête",
    unmerge: "Défusionner",
    merge_title: "Fusionner des doublons",
    merge_question: "Fusionner la requête {dup} dans la requête {main} ?",
    merge_consequence: "La requête {dup} sera clôturée comme « fusionnée » : son citoyen en est informé et suivra l'avancement de la requête {main} avec son propre code. Vous pourrez défusionner ensuite.",
    merge_message: "Message au citoyen (facultatif)",
    merge_confirm: "Fusionner",
    attach_question: "Rattacher ces requêtes à la requête {main} ?",
    unmerge_question: "Défusionner la requête {dup} de la requête {main} ?",
    unmerge_consequence: "La requête {dup} reprend l'étape qu'elle avait avant la fusion et sera suivie seule ; son citoyen en est informé.",
    cancel: "Annuler",
    merged_report: "Requêtes rattachées",
    export_label: "Exporter",
    export_csv: "CSV",
    export_xlsx: "Excel (XLSX)",
    absence_title: "Mon absence",
    absence_hint: "Pendant votre absence, les requêtes que vous teniez retournent à la file de votre organisme et personne ne peut vous en attribuer.",
    absence_until: "Absent(e) jusqu'au (inclus)",
    absence_save: "Enregistrer mon absence",
    absence_clear: "Je suis de retour",
    absence_saved: "Votre absence est enregistrée.",
    absence_now: "Absent(e) jusqu'au {date}.",
    absence_invalid: "Indiquez une date à venir, au format AAAA-MM-JJ.",
    away_note: "Retournée à la file de l'organisme : la personne qui s'en chargeait est absente.",
    deactivated_note: "Retournée à la file de l'organisme : le compte de la personne qui s'en chargeait est désactivé.",
    filter_late: "En retard seulement",
};

pub static EN: OfficeTexts = OfficeTexts {
    take: "I'll handle it",
    take_hint: "The request will be in your cases; your colleagues will see you handle it.",
    assign: "Assign to a colleague",
    assign_to: "Colleague in the body",
    assign_reason: "Reason for the assignment",
    release: "Give back to the body's queue",
    release_reason: "Reason (optional)",
    held_by: "Handled by",
    held_by_you: "You are handling it",
    not_held: "Nobody is handling it yet",
    col_holder: "Handled by",
    duplicates_title: "Possible duplicates",
    duplicates_hint: "Open requests of the same body, with the same theme and place (or within 500 m), whose message is close: similarity counts shared words, ignoring accents and case.",
    duplicates_none: "No possible duplicate.",
    score: "Similarity",
    same_place: "same theme and place",
    metres_away: "{m} m away",
    merge_into: "Merge this one into {code}",
    attach_checked: "Attach the ticked requests to this one",
    select_duplicate: "Attach",
    followers_title: "Attached requests (duplicates)",
    follower_of: "Duplicate of request",
    unmerge: "Unmerge",
    merge_title: "Merge duplicates",
    merge_question: "Merge request {dup} into request {main}?",
    merge_consequence: "Request {dup} will be closed as «merged»: its citizen is told and will follow request {main} with their own code. You can unmerge it later.",
    merge_message: "Message to the citizen (optional)",
    merge_confirm: "Merge",
    attach_question: "Attach these requests to request {main}?",
    unmerge_question: "Unmerge request {dup} from request {main}?",
    unmerge_consequence: "Request {dup} goes back to the stage it had before the merge and is followed on its own; its citizen is told.",
    cancel: "Cancel",
    merged_report: "Requests attached",
    export_label: "Export",
    export_csv: "CSV",
    export_xlsx: "Excel (XLSX)",
    absence_title: "My absence",
    absence_hint: "While you are away, the requests you held go back to your body's queue and nobody can assign you any.",
    absence_until: "Away until (included)",
    absence_save: "Save my absence",
    absence_clear: "I am back",
    absence_saved: "Your absence is saved.",
    absence_now: "Away until {date}.",
    absence_invalid: "Give a date to come, as YYYY-MM-DD.",
    away_note: "Back in the body's queue: the person handling it is away.",
    deactivated_note: "Back in the body's queue: the account of the person handling it is deactivated.",
    filter_late: "Late only",
};

pub fn texts(lang: Lang) -> &'static OfficeTexts {
    match lang {
        Lang::Fr => &FR,
        Lang::En => &EN,
    }
}

/// Why a holding action was refused.
pub fn assign_refusal(lang: Lang, r: assignment::Refusal) -> &'static str {
    use assignment::Refusal as R;
    match (lang, r) {
        (Lang::Fr, R::HeldByAnother) => "Un collègue s'en charge déjà : seul un superviseur peut l'attribuer à quelqu'un d'autre.",
        (Lang::Fr, R::AlreadyTheirs) => "Cette personne s'en charge déjà.",
        (Lang::Fr, R::NotHeld) => "Personne ne s'en charge : il n'y a rien à rendre.",
        (Lang::Fr, R::NotTheHolder) => "Seule la personne qui s'en charge, ou un superviseur, peut la rendre.",
        (Lang::Fr, R::OutsideBody) => "Cette personne n'est pas point focal de l'organisme de la requête.",
        (Lang::Fr, R::Deactivated) => "Le compte de cette personne est désactivé.",
        (Lang::Fr, R::Absent) => "Cette personne est absente.",
        (Lang::En, R::HeldByAnother) => "A colleague is already handling it: only a supervisor can give it to someone else.",
        (Lang::En, R::AlreadyTheirs) => "This person is already handling it.",
        (Lang::En, R::NotHeld) => "Nobody is handling it: there is nothing to give back.",
        (Lang::En, R::NotTheHolder) => "Only the person handling it, or a supervisor, can give it back.",
        (Lang::En, R::OutsideBody) => "This person is not a focal point of the request's body.",
        (Lang::En, R::Deactivated) => "This person's account is deactivated.",
        (Lang::En, R::Absent) => "This person is away.",
    }
}

/// Why a merge was refused.
pub fn merge_refusal(lang: Lang, r: merge::Refusal) -> &'static str {
    use merge::Refusal as R;
    match (lang, r) {
        (Lang::Fr, R::Itself) => "Une requête ne peut pas être fusionnée avec elle-même.",
        (Lang::Fr, R::OtherBody) => "Les deux requêtes ne sont pas adressées au même organisme.",
        (Lang::Fr, R::OtherNature) => "Les deux requêtes ne sont pas de même nature.",
        (Lang::Fr, R::Chain) => "La requête principale est elle-même un doublon : fusionnez dans sa requête principale.",
        (Lang::Fr, R::HasFollowers) => "Cette requête a ses propres doublons : rattachez-les d'abord ailleurs ou fusionnez-les dans celle-ci.",
        (Lang::Fr, R::Closed) => "Une des deux requêtes est close : seules des requêtes en cours se fusionnent.",
        (Lang::En, R::Itself) => "A request cannot be merged into itself.",
        (Lang::En, R::OtherBody) => "The two requests are not addressed to the same body.",
        (Lang::En, R::OtherNature) => "The two requests are not of the same nature.",
        (Lang::En, R::Chain) => "The main request is itself a duplicate: merge into its main request.",
        (Lang::En, R::HasFollowers) => "This request has duplicates of its own: attach them elsewhere first, or merge them into this one.",
        (Lang::En, R::Closed) => "One of the two requests is closed: only requests in progress are merged.",
    }
}

/// The notice after a holding or merging action.
pub fn action_done(lang: Lang, action: crate::domain::staff_action::StaffAction) -> &'static str {
    use crate::domain::staff_action::StaffAction as A;
    match (lang, action) {
        (Lang::Fr, A::Take) => "Vous vous chargez de cette requête.",
        (Lang::Fr, A::Assign) => "Requête attribuée ; la personne en est avertie.",
        (Lang::Fr, A::Release) => "Requête rendue à la file de l'organisme.",
        (Lang::Fr, A::Merge) => "Requête fusionnée ; son citoyen en est informé.",
        (Lang::Fr, A::Unmerge) => "Requête défusionnée ; son citoyen en est informé.",
        (Lang::En, A::Take) => "You are handling this request.",
        (Lang::En, A::Assign) => "Request assigned; the person is told.",
        (Lang::En, A::Release) => "Request given back to the body's queue.",
        (Lang::En, A::Merge) => "Request merged; its citizen is told.",
        (Lang::En, A::Unmerge) => "Request unmerged; its citizen is told.",
        (_, _) => "",
    }
}

/// History rows of holding and merging, in staff words (None: not one of these).
pub fn event_label(lang: Lang, event: &str) -> Option<&'static str> {
    Some(match (lang, event) {
        (Lang::Fr, "took_charge") => "Prise en charge",
        (Lang::Fr, "assigned") => "Attribuée à un collègue",
        (Lang::Fr, "released") => "Rendue à la file de l'organisme",
        (Lang::Fr, "merged") => "Fusionnée dans une autre requête (doublon)",
        (Lang::Fr, "unmerged") => "Défusionnée",
        (Lang::Fr, "duplicate_attached") => "Doublon rattaché",
        (Lang::Fr, "duplicate_detached") => "Doublon détaché",
        (Lang::En, "took_charge") => "Taken in hand",
        (Lang::En, "assigned") => "Assigned to a colleague",
        (Lang::En, "released") => "Given back to the body's queue",
        (Lang::En, "merged") => "Merged into another request (duplicate)",
        (Lang::En, "unmerged") => "Unmerged",
        (Lang::En, "duplicate_attached") => "Duplicate attached",
        (Lang::En, "duplicate_detached") => "Duplicate detached",
        _ => return None,
    })
}

/// The columns of a queue's or search's export (contact details last, for those who see them).
pub fn export_headers(lang: Lang, contacts: bool) -> Vec<&'static str> {
    let mut headers = match lang {
        Lang::Fr => vec![
            "Code",
            "Reçue le",
            "Nature",
            "Organisme",
            "Thème",
            "Lieu",
            "Canal",
            "Étape",
            "Échéance",
            "Retard (jours)",
            "Avis du citoyen",
            "Pris en charge par",
            "Doublon de",
            "Doublons rattachés",
            "Message",
        ],
        Lang::En => vec![
            "Code",
            "Received on",
            "Nature",
            "Body",
            "Theme",
            "Place",
            "Channel",
            "Stage",
            "Due",
            "Late (days)",
            "Citizen's opinion",
            "Handled by",
            "Duplicate of",
            "Duplicates attached",
            "Message",
        ],
    };
    if contacts {
        headers.extend(match lang {
            Lang::Fr => ["Nom", "Adresse électronique", "Mobile"],
            Lang::En => ["Name", "Email address", "Mobile"],
        });
    }
    headers
}

/// «Mes dossiers».
pub fn mine_title(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "Mes dossiers",
        Lang::En => "My cases",
    }
}

pub fn mine_hint(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "Les requêtes dont vous vous chargez, les plus en retard d'abord.",
        Lang::En => "The requests you are handling, the most overdue first.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_and_action_has_words() {
        use crate::domain::staff_action::StaffAction as A;
        for lang in [Lang::Fr, Lang::En] {
            for a in [A::Take, A::Assign, A::Release, A::Merge, A::Unmerge] {
                assert!(action_done(lang, a).ends_with('.'));
            }
            for e in ["took_charge", "assigned", "released", "merged", "unmerged"] {
                assert!(event_label(lang, e).is_some(), "{e}");
            }
        }
        assert_eq!(event_label(Lang::Fr, "validated"), None);
    }
}
