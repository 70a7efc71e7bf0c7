//! The staff workspace's words: its chrome and navigation, the queues by what is to be done next,
//! search, paging, bulk actions, the request page's answer preview, and history in staff words.

use crate::domain::queue::{Queue, Sort};
use crate::domain::staff_action::StaffAction;

use super::Lang;

#[derive(Debug)]
pub struct WorkspaceTexts {
    pub space_name: &'static str,
    pub nav_label: &'static str,
    pub nav_queues: &'static str,
    pub nav_phone: &'static str,
    pub nav_admin: &'static str,
    pub sign_out: &'static str,
    pub skip_link: &'static str,
    pub search_label: &'static str,
    pub search_hint_contacts: &'static str,
    pub search_hint_message: &'static str,
    pub search_button: &'static str,
    pub search_title: &'static str,
    pub search_invalid: &'static str,
    pub search_none: &'static str,
    pub queues_label: &'static str,
    pub sort_label: &'static str,
    pub sort_apply: &'static str,
    pub pages_label: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub col_age: &'static str,
    pub col_verdict: &'static str,
    pub col_select: &'static str,
    pub reopened: &'static str,
    pub reopen_reason: &'static str,
    pub verdict_awaited: &'static str,
    pub bulk_legend: &'static str,
    pub bulk_action: &'static str,
    pub bulk_forward: &'static str,
    pub bulk_reassign: &'static str,
    pub bulk_body: &'static str,
    pub bulk_apply: &'static str,
    pub bulk_none: &'static str,
    pub bulk_report: &'static str,
    pub bulk_refused_version: &'static str,
    pub bulk_refused_rule: &'static str,
    pub bulk_refused_scope: &'static str,
    pub other_actions: &'static str,
    pub no_place: &'static str,
    /// What a partner (Open311) sent about where: its position and address.
    pub reported: &'static str,
    pub reported_map: &'static str,
    /// Links a partner sent with the request (media).
    pub links: &'static str,
    pub no_due: &'static str,
    pub treat_preview: &'static str,
    pub preview_title: &'static str,
    pub preview_intro: &'static str,
    pub preview_subject: &'static str,
    pub preview_sms: &'static str,
    pub preview_confirm: &'static str,
    pub preview_edit: &'static str,
    pub attach_label: &'static str,
    pub attach_hint: &'static str,
    pub attached: &'static str,
    pub from_body: &'static str,
    pub template_label: &'static str,
    pub template_insert: &'static str,
    pub template_none: &'static str,
    pub citizen_word: &'static str,
    pub system_word: &'static str,
    pub phone_home: &'static str,
    pub confirm_treat: &'static str,
    pub details: &'static str,
}

pub static FR: WorkspaceTexts = WorkspaceTexts {
    space_name: "Miliê — espace agents",
    nav_label: "Navigation de l'espace agents",
    nav_queues: "Mes requêtes",
    nav_phone: "Saisie téléphonique",
    nav_admin: "Administration",
    sign_out: "Se déconnecter",
    skip_link: "Aller au travail en cours",
    search_label: "Rechercher une requête",
    search_hint_contacts: "Code, nom, téléphone, adresse électronique ou mots du message",
    search_hint_message: "Code ou mots du message",
    search_button: "Rechercher",
    search_title: "Recherche",
    search_invalid: "Saisissez un code de 8 chiffres ou au moins un mot de 2 lettres (200 caractères au plus).",
    search_none: "Aucune requête ne correspond dans votre périmètre.",
    queues_label: "Files de travail",
    sort_label: "Trier par",
    sort_apply: "Trier",
    pages_label: "Pages",
    previous: "Page précédente",
    next: "Page suivante",
    col_age: "Reçue",
    col_verdict: "Avis du citoyen",
    col_select: "Sélection",
    reopened: "Relancée",
    reopen_reason: "Motif de la relance",
    verdict_awaited: "attendu",
    bulk_legend: "Action sur les requêtes cochées",
    bulk_action: "Action",
    bulk_forward: "Transmettre à l'organisme (observations et suggestions)",
    bulk_reassign: "Réaffecter à l'organisme choisi",
    bulk_body: "Organisme (pour une réaffectation)",
    bulk_apply: "Appliquer à la sélection",
    bulk_none: "Cochez au moins une requête, et choisissez l'organisme pour une réaffectation.",
    bulk_report: "Résultat de l'action groupée",
    bulk_refused_version: "modifiée entre-temps, rien n'a été fait : rouvrez-la",
    bulk_refused_rule: "cette action ne s'applique pas à cette requête",
    bulk_refused_scope: "introuvable dans votre périmètre",
    other_actions: "Autres actions",
    no_place: "Non précisé",
    reported: "Lieu transmis par le partenaire",
    reported_map: "voir sur la carte",
    links: "Liens envoyés avec la requête",
    no_due: "Aucune",
    treat_preview: "Prévisualiser la réponse",
    preview_title: "Vérifiez la réponse avant l'envoi",
    preview_intro: "Voici ce que le citoyen recevra. Rien n'est envoyé tant que vous n'avez pas confirmé.",
    preview_subject: "Objet",
    preview_sms: "SMS",
    preview_confirm: "Confirmer et envoyer la réponse",
    preview_edit: "Modifier la réponse",
    attach_label: "Joindre le courrier officiel (facultatif)",
    attach_hint: "PDF, JPG ou PNG, 3 fichiers au plus, 5 Mo chacun. Le citoyen pourra les télécharger depuis le suivi de sa requête.",
    attached: "Pièces jointes à la réponse",
    from_body: "jointe par l'organisme",
    template_label: "Modèle de réponse",
    template_insert: "Insérer le modèle",
    template_none: "Aucun modèle de réponse pour cet organisme.",
    citizen_word: "Citoyen",
    system_word: "Miliê (automatique)",
    phone_home: "Vous saisissez les requêtes reçues par téléphone. Utilisez la recherche pour retrouver une requête.",
    confirm_treat: "La réponse sera envoyée au citoyen après l'aperçu.",
    details: "Détails de la requête",
};

pub static EN: WorkspaceTexts = WorkspaceTexts {
    space_name: "Miliê — staff workspace",
    nav_label: "Staff workspace navigation",
    nav_queues: "My requests",
    nav_phone: "Phone intake",
    nav_admin: "Administration",
    sign_out: "Sign out",
    skip_link: "Skip to the work",
    search_label: "Find a request",
    search_hint_contacts: "Code, name, phone, email or words of the message",
    search_hint_message: "Code or words of the message",
    search_button: "Search",
    search_title: "Search",
    search_invalid: "Type an 8-digit code or at least one word of 2 letters (200 characters at most).",
    search_none: "No request matches within your scope.",
    queues_label: "Work queues",
    sort_label: "Sort by",
    sort_apply: "Sort",
    pages_label: "Pages",
    previous: "Previous page",
    next: "Next page",
    col_age: "Received",
    col_verdict: "Citizen's opinion",
    col_select: "Select",
    reopened: "Reopened",
    reopen_reason: "Reason for reopening",
    verdict_awaited: "awaited",
    bulk_legend: "Action on the ticked requests",
    bulk_action: "Action",
    bulk_forward: "Pass on to the body (observations and suggestions)",
    bulk_reassign: "Reassign to the chosen body",
    bulk_body: "Body (for a reassignment)",
    bulk_apply: "Apply to the selection",
    bulk_none: "Tick at least one request, and choose the body for a reassignment.",
    bulk_report: "Result of the bulk action",
    bulk_refused_version: "changed meanwhile, nothing was done: open it again",
    bulk_refused_rule: "this action does not apply to this request",
    bulk_refused_scope: "not found within your scope",
    other_actions: "Other actions",
    no_place: "Not given",
    reported: "Location sent by the partner",
    reported_map: "see on the map",
    links: "Links sent with the request",
    no_due: "None",
    treat_preview: "Preview the answer",
    preview_title: "Check the answer before it is sent",
    preview_intro: "This is what the citizen will receive. Nothing is sent until you confirm.",
    preview_subject: "Subject",
    preview_sms: "SMS",
    preview_confirm: "Confirm and send the answer",
    preview_edit: "Edit the answer",
    attach_label: "Attach the official letter (optional)",
    attach_hint: "PDF, JPG or PNG, 3 files at most, 5 MB each. The citizen can download them when tracking the request.",
    attached: "Attached to the answer",
    from_body: "attached by the body",
    template_label: "Answer template",
    template_insert: "Insert the template",
    template_none: "No answer template for this body.",
    citizen_word: "Citizen",
    system_word: "Miliê (automatic)",
    phone_home: "You register requests received by phone. Use the search to find a request.",
    confirm_treat: "The answer goes to the citizen after the preview.",
    details: "Request details",
};

/// A queue's name: what is to be done with its requests.
pub fn queue_title(lang: Lang, queue: Queue) -> &'static str {
    match (lang, queue) {
        (_, Queue::Mine) => super::office::mine_title(lang),
        (Lang::Fr, Queue::Open) => "En cours",
        (Lang::Fr, Queue::ToTriage) => "À trier",
        (Lang::Fr, Queue::AwaitingCitizen) => "À reformuler (en attente du citoyen)",
        (Lang::Fr, Queue::Verdicts) => "Avis à examiner",
        (Lang::Fr, Queue::Reassignments) => "Réaffectations demandées",
        (Lang::Fr, Queue::ToTreat) => "À traiter",
        (Lang::Fr, Queue::Reopened) => "Relancées",
        (Lang::Fr, Queue::Forwarded) => "Transmises",
        (Lang::Fr, Queue::Answered) => "Traitées",
        (Lang::En, Queue::Open) => "Open",
        (Lang::En, Queue::ToTriage) => "To triage",
        (Lang::En, Queue::AwaitingCitizen) => "To reword (waiting for the citizen)",
        (Lang::En, Queue::Verdicts) => "Opinions to examine",
        (Lang::En, Queue::Reassignments) => "Reassignments asked",
        (Lang::En, Queue::ToTreat) => "To handle",
        (Lang::En, Queue::Reopened) => "Reopened",
        (Lang::En, Queue::Forwarded) => "Passed on",
        (Lang::En, Queue::Answered) => "Handled",
    }
}

/// One sentence under a queue's title: what to do with the rows.
pub fn queue_hint(lang: Lang, queue: Queue) -> &'static str {
    match (lang, queue) {
        (_, Queue::Mine) => super::office::mine_hint(lang),
        (Lang::Fr, Queue::Open) => "Toutes les requêtes ouvertes de votre périmètre, les plus en retard d'abord.",
        (Lang::Fr, Queue::ToTriage) => {
            "Nouvelles ou modifiées : validez les réclamations, transmettez les observations et suggestions, ou renvoyez pour reformulation."
        }
        (Lang::Fr, Queue::AwaitingCitizen) => "Renvoyées au citoyen : elles reviennent dans « À trier » quand il les reformule.",
        (Lang::Fr, Queue::Verdicts) => "Le citoyen n'est pas entièrement satisfait : apportez une clarification ou renvoyez à l'organisme.",
        (Lang::Fr, Queue::Reassignments) => "Le point focal demande un autre organisme : réaffectez ou gardez.",
        (Lang::Fr, Queue::ToTreat) => "Réclamations recevables à traiter, les échéances les plus proches d'abord.",
        (Lang::Fr, Queue::Reopened) => "Le citoyen a relancé après votre réponse : le motif est indiqué.",
        (Lang::Fr, Queue::Forwarded) => "Observations et suggestions transmises à votre organisme, les plus récentes d'abord.",
        (Lang::Fr, Queue::Answered) => "Répondues ou prises en compte, avec l'avis du citoyen quand il l'a donné.",
        (Lang::En, Queue::Open) => "Every open request of your scope, the most overdue first.",
        (Lang::En, Queue::ToTriage) => "New or reworded: validate complaints, pass on observations and suggestions, or send back for rewording.",
        (Lang::En, Queue::AwaitingCitizen) => "Sent back to the citizen: they return to «To triage» once reworded.",
        (Lang::En, Queue::Verdicts) => "The citizen is not fully satisfied: clarify, or return to the body.",
        (Lang::En, Queue::Reassignments) => "The focal point asks for another body: reassign or keep.",
        (Lang::En, Queue::ToTreat) => "Admissible complaints to handle, nearest deadline first.",
        (Lang::En, Queue::Reopened) => "The citizen reopened after your answer: the reason is shown.",
        (Lang::En, Queue::Forwarded) => "Observations and suggestions passed on to your body, newest first.",
        (Lang::En, Queue::Answered) => "Answered or taken into account, with the citizen's opinion once given.",
    }
}

pub fn sort_label(lang: Lang, sort: Sort) -> &'static str {
    match (lang, sort) {
        (Lang::Fr, Sort::Due) => "Échéance",
        (Lang::Fr, Sort::Age) => "Ancienneté",
        (Lang::Fr, Sort::Update) => "Dernière modification",
        (Lang::En, Sort::Due) => "Deadline",
        (Lang::En, Sort::Age) => "Age",
        (Lang::En, Sort::Update) => "Last change",
    }
}

/// How the request came in, in words.
pub fn channel_label(lang: Lang, channel: &str) -> &'static str {
    match (lang, channel) {
        (Lang::Fr, "web") => "Portail",
        (Lang::Fr, "phone") => "Téléphone",
        (Lang::Fr, "api") => "Application partenaire",
        (Lang::Fr, "open311") => "Open311 (partenaire)",
        (Lang::Fr, "ussd") => "Menu USSD (mobile)",
        (Lang::Fr, "sms") => "SMS",
        (Lang::Fr, _) => "Autre",
        (Lang::En, "web") => "Portal",
        (Lang::En, "phone") => "Phone",
        (Lang::En, "api") => "Partner application",
        (Lang::En, "open311") => "Open311 (partner)",
        (Lang::En, "ussd") => "USSD menu (mobile)",
        (Lang::En, "sms") => "SMS",
        (Lang::En, _) => "Other",
    }
}

/// An event of the history as staff say it (the citizen's page has its own words).
pub fn event_label(lang: Lang, event: &str) -> &'static str {
    if let Some(label) = super::office::event_label(lang, event) {
        return label;
    }
    match (lang, event) {
        (Lang::Fr, "submitted") => "Requête enregistrée",
        (Lang::Fr, "edited") => "Message reformulé par le citoyen",
        (Lang::Fr, "sent_back") => "Renvoyée au citoyen pour reformulation",
        (Lang::Fr, "validated") => "Validée (recevable), transmise à l'organisme",
        (Lang::Fr, "forwarded") => "Transmise à l'organisme",
        (Lang::Fr, "reassigned") => "Réaffectée à un autre organisme",
        (Lang::Fr, "treated") => "Réponse de l'organisme envoyée",
        (Lang::Fr, "verdict") => "Avis du citoyen reçu",
        (Lang::Fr, "reopened") => "Relancée par le citoyen",
        (Lang::Fr, "clarified") => "Clarification de l'analyste",
        (Lang::Fr, "auto_closed") => "Clôturée sans avis (délai écoulé)",
        (Lang::Fr, "returned_to_body") => "Renvoyée à l'organisme après l'avis",
        (Lang::Fr, "reassign_requested") => "Réaffectation demandée par le point focal",
        (Lang::Fr, "taken_into_account") => "Prise en compte par l'organisme",
        (Lang::Fr, "note") => "Note interne",
        (Lang::Fr, _) => "Étape de traitement",
        (Lang::En, "submitted") => "Request registered",
        (Lang::En, "edited") => "Message reworded by the citizen",
        (Lang::En, "sent_back") => "Sent back to the citizen for rewording",
        (Lang::En, "validated") => "Validated (admissible), passed on to the body",
        (Lang::En, "forwarded") => "Passed on to the body",
        (Lang::En, "reassigned") => "Reassigned to another body",
        (Lang::En, "treated") => "Body's answer sent",
        (Lang::En, "verdict") => "Citizen's opinion received",
        (Lang::En, "reopened") => "Reopened by the citizen",
        (Lang::En, "clarified") => "Analyst's clarification",
        (Lang::En, "auto_closed") => "Closed without opinion (time ran out)",
        (Lang::En, "returned_to_body") => "Returned to the body after the opinion",
        (Lang::En, "reassign_requested") => "Reassignment asked by the focal point",
        (Lang::En, "taken_into_account") => "Taken into account by the body",
        (Lang::En, "note") => "Internal note",
        (Lang::En, _) => "Processing step",
    }
}

/// Who acted, when no staff name is recorded: a role in words.
#[cfg(feature = "office")]
pub fn actor_word(lang: Lang, role: &str) -> &'static str {
    let t = lang.texts();
    match role {
        "citizen" => t.work.citizen_word,
        "system" => t.work.system_word,
        other => t.admin.role(other),
    }
}

/// The notice after an action, naming what was done.
pub fn action_done(lang: Lang, action: StaffAction) -> &'static str {
    match (lang, action) {
        (Lang::Fr, StaffAction::Validate) => "Réclamation validée et transmise à l'organisme.",
        (Lang::Fr, StaffAction::SendBack) => "Requête renvoyée au citoyen pour reformulation.",
        (Lang::Fr, StaffAction::Forward) => "Requête transmise à l'organisme.",
        (Lang::Fr, StaffAction::Reassign) => "Requête réaffectée.",
        (Lang::Fr, StaffAction::Treat) => "Réponse envoyée au citoyen.",
        (Lang::Fr, StaffAction::Clarify) => "Clarification envoyée au citoyen.",
        (Lang::Fr, StaffAction::ReturnToBody) => "Réclamation renvoyée à l'organisme.",
        (Lang::Fr, StaffAction::RequestReassign) => {
            "Demande de réaffectation envoyée à l'analyste."
        }
        (Lang::Fr, StaffAction::TakeIntoAccount) => {
            "Prise en compte enregistrée ; le citoyen en est informé."
        }
        (Lang::Fr, StaffAction::Note) => "Note interne ajoutée.",
        (Lang::En, StaffAction::Validate) => "Complaint validated and passed on to the body.",
        (Lang::En, StaffAction::SendBack) => "Request sent back to the citizen for rewording.",
        (Lang::En, StaffAction::Forward) => "Request passed on to the body.",
        (Lang::En, StaffAction::Reassign) => "Request reassigned.",
        (Lang::En, StaffAction::Treat) => "Answer sent to the citizen.",
        (Lang::En, StaffAction::Clarify) => "Clarification sent to the citizen.",
        (Lang::En, StaffAction::ReturnToBody) => "Complaint returned to the body.",
        (Lang::En, StaffAction::RequestReassign) => "Reassignment request sent to the analyst.",
        (Lang::En, StaffAction::TakeIntoAccount) => "Taken into account; the citizen is told.",
        (Lang::En, StaffAction::Note) => "Internal note added.",
        (_, held_or_merged) => super::office::action_done(lang, held_or_merged),
    }
}

/// «en retard de 3 j» / «3 d late».
pub fn late_by(lang: Lang, days: i64) -> String {
    match lang {
        Lang::Fr => format!("en retard de {days} j"),
        Lang::En => format!("{days} d late"),
    }
}

/// «il y a 4 j», «aujourd'hui».
pub fn age(lang: Lang, days: i64) -> String {
    match (lang, days) {
        (Lang::Fr, 0) => "aujourd'hui".to_owned(),
        (Lang::Fr, d) => format!("il y a {d} j"),
        (Lang::En, 0) => "today".to_owned(),
        (Lang::En, d) => format!("{d} d ago"),
    }
}

/// «1 requête», «12 requêtes».
pub fn requests_count(lang: Lang, n: i64) -> String {
    match (lang, n) {
        (Lang::Fr, 0 | 1) => format!("{n} requête"),
        (Lang::Fr, _) => format!("{n} requêtes"),
        (Lang::En, 1) => "1 request".to_owned(),
        (Lang::En, _) => format!("{n} requests"),
    }
}

/// «Page 2 sur 5».
pub fn page_of(lang: Lang, page: i64, pages: i64) -> String {
    match lang {
        Lang::Fr => format!("Page {page} sur {pages}"),
        Lang::En => format!("Page {page} of {pages}"),
    }
}

/// The bulk report's line for a request done.
pub fn bulk_done(lang: Lang, action: StaffAction) -> &'static str {
    match (lang, action) {
        (Lang::Fr, StaffAction::Forward) => "transmise à l'organisme",
        (Lang::Fr, StaffAction::Reassign) => "réaffectée",
        (Lang::Fr, _) => "faite",
        (Lang::En, StaffAction::Forward) => "passed on to the body",
        (Lang::En, StaffAction::Reassign) => "reassigned",
        (Lang::En, _) => "done",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_queue_action_and_channel_has_words_in_both_languages() {
        for lang in [Lang::Fr, Lang::En] {
            for q in Queue::ALL {
                assert!(!queue_title(lang, q).is_empty() && !queue_hint(lang, q).is_empty());
            }
            for a in StaffAction::ALL {
                assert!(action_done(lang, a).ends_with('.'));
            }
            for ch in crate::domain::channel::Channel::ALL.map(|c| c.slug()) {
                assert_ne!(channel_label(lang, ch), ch, "{ch} shown raw");
            }
            assert_ne!(actor_word(lang, "citizen"), "citizen");
        }
        assert_eq!(actor_word(Lang::Fr, "citizen"), "Citoyen");
        assert_eq!(requests_count(Lang::Fr, 1), "1 requête");
        assert_eq!(requests_count(Lang::Fr, 2), "2 requêtes");
        assert_eq!(requests_count(Lang::En, 1), "1 request");
        assert_eq!(late_by(Lang::Fr, 3), "en retard de 3 j");
        assert_eq!(event_label(Lang::Fr, "note"), "Note interne");
    }
}
