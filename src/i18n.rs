//! Languages and the text catalogues. Every citizen-facing string lives here, in French and
//! English; a missing translation is a compile error because each catalogue is one struct value.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Fr,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "fr" => Some(Lang::Fr),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Fr => Lang::En,
            Lang::En => Lang::Fr,
        }
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::Fr => &FR,
            Lang::En => &EN,
        }
    }

    /// Picks the language: an explicit choice (`?lang=`), then the remembered one (cookie),
    /// then the browser's first supported preference, then French.
    pub fn negotiate(explicit: Option<&str>, cookie: Option<&str>, accept_language: Option<&str>) -> Lang {
        explicit
            .and_then(Lang::parse)
            .or_else(|| cookie.and_then(Lang::parse))
            .or_else(|| accept_language.and_then(from_accept_language))
            .unwrap_or(Lang::Fr)
    }
}

/// The supported language with the highest q-value in an `Accept-Language` header.
fn from_accept_language(header: &str) -> Option<Lang> {
    let mut best: Option<(Lang, f32)> = None;
    for part in header.split(',') {
        let mut pieces = part.split(';');
        let tag = pieces.next().unwrap_or("").trim();
        let primary = tag.split('-').next().unwrap_or("");
        let q = pieces
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        if let Some(lang) = Lang::parse(primary) {
            if q > 0.0 && best.is_none_or(|(_, bq)| q > bq) {
                best = Some((lang, q));
            }
        }
    }
    best.map(|(l, _)| l)
}

/// One language's strings. Field names say where the string is used.
#[derive(Debug)]
pub struct Texts {
    pub site_name: &'static str,
    pub site_tagline: &'static str,
    pub skip_link: &'static str,
    pub nav_label: &'static str,
    pub nav_menu: &'static str,
    pub nav_home: &'static str,
    pub nav_about: &'static str,
    pub nav_submit: &'static str,
    pub nav_track: &'static str,
    pub nav_bodies: &'static str,
    pub nav_stats: &'static str,
    pub nav_info: &'static str,
    pub nav_guide: &'static str,
    pub nature_reclamation: &'static str,
    pub nature_observation: &'static str,
    pub nature_suggestion: &'static str,
    pub lang_switch: &'static str,
    pub lang_switch_label: &'static str,
    pub footer_text: &'static str,

    pub home_title: &'static str,
    pub home_intro: &'static str,
    pub home_submit_title: &'static str,
    pub home_submit_text: &'static str,
    pub home_track_title: &'static str,
    pub home_track_text: &'static str,
    pub home_bodies_title: &'static str,
    pub home_bodies_text: &'static str,

    pub bodies_title: &'static str,
    pub bodies_intro: &'static str,
    pub search_label: &'static str,
    pub search_button: &'static str,
    pub results_count: &'static str,
    pub per_page_before: &'static str,
    pub per_page_after: &'static str,
    pub col_name: &'static str,
    pub col_contacts: &'static str,
    pub col_location: &'static str,
    pub phone_label: &'static str,
    pub location_label: &'static str,
    pub pagination_label: &'static str,
    pub prev_page: &'static str,
    pub next_page: &'static str,
    pub no_results: &'static str,
    pub clear_search: &'static str,

    pub unavailable_intro: &'static str,
    pub unavailable_meanwhile: &'static str,

    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub error_title: &'static str,
    pub error_text: &'static str,
    pub error_reference: &'static str,
    pub back_home: &'static str,

    pub submit: SubmitTexts,
    pub track: TrackTexts,
    pub agent: AgentTexts,
}

/// The back office.
#[derive(Debug)]
pub struct AgentTexts {
    pub title: &'static str,
    pub sign_in_title: &'static str,
    pub sign_in_intro: &'static str,
    pub sign_in_email: &'static str,
    pub sign_in_send: &'static str,
    pub sign_in_sent: &'static str,
    pub sign_in_confirm: &'static str,
    pub sign_in_button: &'static str,
    pub sign_in_invalid: &'static str,
    pub sign_out: &'static str,
    pub sign_out_everywhere: &'static str,
    pub signed_in_as: &'static str,
    pub queue_triage: &'static str,
    pub queue_treatment: &'static str,
    pub queue_after_verdict: &'static str,
    pub queue_empty: &'static str,
    pub filter_nature: &'static str,
    pub filter_body: &'static str,
    pub filter_code: &'static str,
    pub filter_all: &'static str,
    pub filter_apply: &'static str,
    pub col_received: &'static str,
    pub col_channel: &'static str,
    pub col_stage: &'static str,
    pub open: &'static str,
    pub citizen: &'static str,
    pub history: &'static str,
    pub internal: &'static str,
    pub actions: &'static str,
    pub action_validate: &'static str,
    pub action_send_back: &'static str,
    pub action_forward: &'static str,
    pub action_reassign: &'static str,
    pub action_treat: &'static str,
    pub action_clarify: &'static str,
    pub action_note: &'static str,
    pub message_to_citizen: &'static str,
    pub treatment_message: &'static str,
    pub note_label: &'static str,
    pub new_body: &'static str,
    pub done: &'static str,
    pub refused: &'static str,
    pub message_required: &'static str,
    pub no_access: &'static str,
}

/// The tracking path (guide part B).
#[derive(Debug)]
pub struct TrackTexts {
    pub title: &'static str,
    pub intro: &'static str,
    pub code_label: &'static str,
    pub code_hint: &'static str,
    pub email_label: &'static str,
    pub validate: &'static str,
    pub forgot_link: &'static str,
    pub not_found: &'static str,
    pub link_invalid: &'static str,
    pub too_many: &'static str,
    pub forgot_title: &'static str,
    pub forgot_intro: &'static str,
    pub forgot_send: &'static str,
    pub forgot_sent: &'static str,
    pub request_title: &'static str,
    pub col_code: &'static str,
    pub col_nature: &'static str,
    pub col_date: &'static str,
    pub col_theme: &'static str,
    pub col_message: &'static str,
    pub col_stage: &'static str,
    pub col_ministry: &'static str,
    pub col_verdict: &'static str,
    pub col_analyst: &'static str,
    pub col_view: &'static str,
    pub read: &'static str,
    pub read_treatment: &'static str,
    pub read_reply: &'static str,
    pub view: &'static str,
    pub stage_awaiting: &'static str,
    pub stage_returned: &'static str,
    pub stage_in_treatment: &'static str,
    /// «Lue et transmise à {body}»
    pub stage_forwarded: &'static str,
    /// «Traité le {date}»
    pub stage_treated: &'static str,
    pub stage_closed: &'static str,
    pub stage_closed_without: &'static str,
    pub understand: &'static str,
    pub understand_1: &'static str,
    pub understand_2: &'static str,
    pub understand_3: &'static str,
    pub message_title: &'static str,
    pub posted: &'static str,
    pub analyst_return: &'static str,
    pub edit_title: &'static str,
    pub edit_hint: &'static str,
    pub edit_save: &'static str,
    pub edited: &'static str,
    pub treatment_title: &'static str,
    pub treatment_message: &'static str,
    pub verdict_button: &'static str,
    pub verdict_title: &'static str,
    pub verdict_legend: &'static str,
    pub verdict_satisfied: &'static str,
    pub verdict_partly: &'static str,
    pub verdict_not: &'static str,
    pub verdict_comment: &'static str,
    pub verdict_send: &'static str,
    pub verdict_required: &'static str,
    pub verdict_given: &'static str,
    pub reopen_title: &'static str,
    pub reopen_reason: &'static str,
    pub reopen_send: &'static str,
    pub reopen_required: &'static str,
    pub reopened: &'static str,
    pub reply_title: &'static str,
    pub history_title: &'static str,
    pub files_title: &'static str,
    pub download: &'static str,
    pub conflict: &'static str,
    pub place_label: &'static str,
    pub body_label: &'static str,
    pub sign_out: &'static str,
    pub no_file: &'static str,
}

impl TrackTexts {
    /// The timeline's words for an event of the history.
    pub fn event(&self, lang: Lang, event: &str) -> &'static str {
        match (lang, event) {
            (Lang::Fr, "submitted") => "Requête enregistrée",
            (Lang::Fr, "edited") => "Message modifié par le citoyen",
            (Lang::Fr, "sent_back") => "Renvoyée pour reformulation par l'analyste",
            (Lang::Fr, "validated") => "Jugée recevable et transmise à l'organisme",
            (Lang::Fr, "forwarded") => "Lue et transmise à l'organisme",
            (Lang::Fr, "reassigned") => "Réaffectée à un autre organisme",
            (Lang::Fr, "treated") => "Traitée par l'organisme",
            (Lang::Fr, "verdict") => "Avis du citoyen donné",
            (Lang::Fr, "reopened") => "Relancée par le citoyen",
            (Lang::Fr, "clarified") => "Retour de l'analyste",
            (Lang::Fr, "auto_closed") => "Clôturée sans avis",
            (Lang::Fr, _) => "Étape de traitement",
            (Lang::En, "submitted") => "Request registered",
            (Lang::En, "edited") => "Message edited by the citizen",
            (Lang::En, "sent_back") => "Sent back for rewording by the analyst",
            (Lang::En, "validated") => "Found admissible and passed on to the body",
            (Lang::En, "forwarded") => "Read and passed on to the body",
            (Lang::En, "reassigned") => "Reassigned to another body",
            (Lang::En, "treated") => "Handled by the body",
            (Lang::En, "verdict") => "Citizen's opinion given",
            (Lang::En, "reopened") => "Reopened by the citizen",
            (Lang::En, "clarified") => "Answer from the analyst",
            (Lang::En, "auto_closed") => "Closed without opinion",
            (Lang::En, _) => "Handling step",
        }
    }

    pub fn verdict(&self, slug: &str) -> &'static str {
        match slug {
            "satisfied" => self.verdict_satisfied,
            "partly_satisfied" => self.verdict_partly,
            _ => self.verdict_not,
        }
    }
}

/// The submission path (guide part A).
#[derive(Debug)]
pub struct SubmitTexts {
    pub nature_title: &'static str,
    pub nature_intro: &'static str,
    pub body_title: &'static str,
    pub body_intro: &'static str,
    pub body_search_label: &'static str,
    pub body_choose: &'static str,
    pub form_title: &'static str,
    pub form_intro: &'static str,
    pub required_note: &'static str,
    pub to_body: &'static str,
    pub change_body: &'static str,
    pub section_place: &'static str,
    pub place_label: &'static str,
    pub place_hint: &'static str,
    pub place_none: &'static str,
    pub place_filter: &'static str,
    pub abroad: &'static str,
    pub abroad_country: &'static str,
    pub abroad_city: &'static str,
    pub section_content: &'static str,
    pub nature_label: &'static str,
    pub theme_label: &'static str,
    pub theme_none: &'static str,
    pub message_label: &'static str,
    pub message_hint: &'static str,
    pub chars_left: &'static str,
    pub files_label: &'static str,
    pub files_hint: &'static str,
    pub files_kept: &'static str,
    pub file_remove: &'static str,
    pub section_contact: &'static str,
    pub last_name: &'static str,
    pub first_names: &'static str,
    pub country: &'static str,
    pub phone: &'static str,
    pub phone_hint: &'static str,
    pub email: &'static str,
    pub email_hint: &'static str,
    pub terms_label: &'static str,
    pub terms_link: &'static str,
    pub submit_button: &'static str,
    pub confirm_question: &'static str,
    pub error_summary: &'static str,
    pub review_title: &'static str,
    pub review_intro: &'static str,
    pub back_button: &'static str,
    pub none_given: &'static str,
    pub done_title: &'static str,
    /// «Votre {nature} a bien été enregistrée.»
    pub done_registered: &'static str,
    pub done_code: &'static str,
    pub done_note: &'static str,
    pub done_track: &'static str,
    pub done_next_title: &'static str,
    pub done_next: &'static str,
    pub done_mail: &'static str,
    pub failed: &'static str,
    pub rate_limited_title: &'static str,
    /// «… dans {minutes} minutes.»
    pub rate_limited: &'static str,
    pub terms_title: &'static str,
    pub terms_text: &'static [&'static str],
    pub expired: &'static str,
    pub title_error: &'static str,
    pub phone_title: &'static str,
    pub phone_consent: &'static str,
    pub phone_read_code: &'static str,
    pub phone_another: &'static str,
}

impl Texts {
    pub fn nature(&self, nature: crate::domain::nature::Nature) -> &'static str {
        use crate::domain::nature::Nature::*;
        match nature {
            Reclamation => self.nature_reclamation,
            Observation => self.nature_observation,
            Suggestion => self.nature_suggestion,
        }
    }
}

pub static FR: Texts = Texts {
    site_name: "Miliê",
    site_tagline: "Portail du citoyen",
    skip_link: "Aller au contenu",
    nav_label: "Menu principal",
    nav_menu: "Menu",
    nav_home: "Accueil",
    nav_about: "A propos",
    nav_submit: "Soumettre une requête",
    nav_track: "Suivre une requête",
    nav_bodies: "Organismes",
    nav_stats: "Statistiques",
    nav_info: "Informations",
    nav_guide: "Le guide",
    nature_reclamation: "Réclamation",
    nature_observation: "Observation",
    nature_suggestion: "Suggestion",
    lang_switch: "English",
    lang_switch_label: "Read this page in English",
    footer_text: "Miliê — le portail des réclamations, suggestions et observations des citoyens envers l'Administration publique de Côte d'Ivoire.",

    home_title: "Votre voix auprès de l'Administration publique",
    home_intro: "Miliê recueille vos réclamations, suggestions et observations sur les services de l'Administration publique et les transmet à l'organisme concerné. Vous recevez un code à 8 chiffres qui vous permet de suivre votre requête jusqu'à la réponse de l'organisme et de donner votre avis.",
    home_submit_title: "Soumettre une requête",
    home_submit_text: "Choisissez la nature de votre requête :",
    home_track_title: "Suivre une requête",
    home_track_text: "Avec votre code requête et votre adresse électronique, consultez l'état d'avancement du traitement.",
    home_bodies_title: "Contacts des organismes",
    home_bodies_text: "Téléphones et adresses des organismes publics.",

    bodies_title: "Organismes publics",
    bodies_intro: "Les organismes publics susceptibles de recevoir vos requêtes, avec leurs contacts et leur localisation.",
    search_label: "Rechercher un organisme",
    search_button: "Rechercher",
    results_count: "Nombre de résultats :",
    per_page_before: "Afficher",
    per_page_after: "résultats par page",
    col_name: "Institutions publiques",
    col_contacts: "Contacts",
    col_location: "Localisation",
    phone_label: "Téléphone",
    location_label: "Localisation",
    pagination_label: "Pages de résultats",
    prev_page: "Page précédente",
    next_page: "Page suivante",
    no_results: "Aucun organisme ne correspond à votre recherche.",
    clear_search: "Voir tous les organismes",

    unavailable_intro: "Cette page n'est pas encore disponible : elle arrive dans une prochaine version du portail.",
    unavailable_meanwhile: "En attendant, vous pouvez consulter les contacts des organismes publics.",

    not_found_title: "Page introuvable",
    not_found_text: "La page demandée n'existe pas ou a été déplacée.",
    error_title: "Une erreur est survenue",
    error_text: "Votre demande n'a pas pu aboutir. Veuillez réessayer dans quelques instants. Si le problème persiste, communiquez la référence ci-dessous.",
    error_reference: "Référence de l'erreur :",
    back_home: "Retour à l'accueil",

    submit: SubmitTexts {
        nature_title: "Soumettre une requête",
        nature_intro: "Quelle est la nature de votre requête ?",
        body_title: "Choix de l'organisme public",
        body_intro: "Choisissez l'organisme public auquel vous souhaitez adresser votre {nature}.",
        body_search_label: "Rechercher un organisme",
        body_choose: "Choisir",
        form_title: "Exprimez votre préoccupation",
        form_intro: "Remplissez soigneusement les champs, surtout ceux marqués d'un astérisque, et formulez clairement votre requête dans le champ « Message ».",
        required_note: "Les champs marqués d'un astérisque (*) sont obligatoires.",
        to_body: "Organisme destinataire :",
        change_body: "Changer d'organisme",
        section_place: "Lieu concerné par votre préoccupation",
        place_label: "Commune ou sous-préfecture",
        place_hint: "Où le problème s'est-il produit ?",
        place_none: "Sélectionnez…",
        place_filter: "Filtrer la liste des lieux",
        abroad: "À l'étranger",
        abroad_country: "Pays (à l'étranger)",
        abroad_city: "Ville (à l'étranger)",
        section_content: "Contenu de votre préoccupation",
        nature_label: "Nature",
        theme_label: "Thème",
        theme_none: "Sélectionnez…",
        message_label: "Message",
        message_hint: "Entre {min} et {max} caractères.",
        chars_left: "caractères restants",
        files_label: "Pièces jointes",
        files_hint: "Vous pouvez joindre tout document PDF et image (JPEG, PNG, WebP) dont la taille ne dépasse pas 5 Mo, 20 Mo au total.",
        files_kept: "Fichiers déjà joints :",
        file_remove: "Retirer",
        section_contact: "Vos coordonnées",
        last_name: "Nom",
        first_names: "Prénoms",
        country: "Pays",
        phone: "Téléphone portable",
        phone_hint: "Par exemple 07 07 12 34 56 pour la Côte d'Ivoire.",
        email: "Email",
        email_hint: "Votre code de requête vous sera envoyé à cette adresse.",
        terms_label: "J'accepte l'ensemble des termes et conditions d'utilisation et j'approuve que les informations fournies sont conformes à la réalité.",
        terms_link: "Lire les conditions d'utilisation",
        submit_button: "Soumettre votre requête",
        confirm_question: "Etes-vous sûr de vouloir soumettre ces informations ?\nSi oui, cliquez sur OK.\nSi non, cliquez sur Annuler pour des modifications.",
        error_summary: "Votre requête n'a pas pu être envoyée. Corrigez les points suivants :",
        review_title: "Vérifiez votre requête",
        review_intro: "Voici ce qui sera envoyé. Cliquez sur « Soumettre votre requête » pour l'envoyer, ou sur « Retour » pour le modifier.",
        back_button: "Retour",
        none_given: "Non renseigné",
        done_title: "Requête enregistrée",
        done_registered: "Votre {nature} a bien été enregistrée.",
        done_code: "Le numéro de la demande est",
        done_note: "Veuillez noter ce numéro : il vous servira pour suivre l'état d'avancement du traitement.",
        done_track: "Suivre ma requête",
        done_next_title: "Et maintenant ?",
        done_next: "Un analyste examine d'abord votre requête (étape 1). Une réclamation jugée recevable est transmise à l'organisme, qui la traite et vous répond (étape 2). Vous pourrez alors donner votre avis ou relancer la requête (étape 3).",
        done_mail: "Un message de confirmation avec ce numéro est envoyé à {email}.",
        failed: "Votre requête n'a pas pu être enregistrée à cause d'un incident technique. Rien n'a été perdu : vérifiez les informations ci-dessous et soumettez à nouveau.",
        rate_limited_title: "Trop de requêtes",
        rate_limited: "Trop de requêtes ont été envoyées depuis votre connexion. Réessayez dans {minutes} minutes.",
        terms_title: "Conditions d'utilisation",
        terms_text: &[
            "En soumettant une requête sur le portail Miliê, j'accepte l'ensemble des termes et conditions d'utilisation et j'approuve que les informations fournies sont conformes à la réalité.",
            "J'accepte également de mettre à la disposition de l'administration l'ensemble des pièces justificatives de ma réclamation conformément aux lois applicables, et j'approuve que l'objet de cette réclamation n'est pas pendant devant une autorité compétente et qu'aucune décision judiciaire n'a été rendue à son propos.",
            "Les informations que vous fournissez (nom, prénoms, téléphone, adresse électronique, message et pièces jointes) servent uniquement au traitement de votre requête par l'organisme concerné et à vous en informer. Elles sont conservées le temps nécessaire à ce traitement, conformément à la loi n° 2013-450 relative à la protection des données à caractère personnel. Vous disposez d'un droit d'accès, de rectification et de suppression de vos données.",
        ],
        expired: "Ce formulaire a expiré. Vos informations ont été conservées : vérifiez-les et soumettez à nouveau.",
        title_error: "Erreur",
        phone_title: "Requête reçue par téléphone",
        phone_consent: "L'appelant accepte les conditions d'utilisation et que ses informations soient enregistrées pour traiter sa requête (consentement recueilli oralement).",
        phone_read_code: "Lisez ce numéro à l'appelant : il le reçoit aussi par SMS et par mail.",
        phone_another: "Saisir une autre requête",
    },

    track: TrackTexts {
        title: "Suivre une requête",
        intro: "Veuillez saisir ci-dessous le code de votre requête et l'adresse électronique utilisée.",
        code_label: "Code requête",
        code_hint: "Les 8 chiffres reçus à l'enregistrement de votre requête.",
        email_label: "Adresse électronique utilisée",
        validate: "Valider",
        forgot_link: "Code requête oublié ? Cliquez ici",
        not_found: "Aucune requête ne correspond à ce code et à cette adresse électronique. Vérifiez-les et réessayez.",
        link_invalid: "Ce lien de suivi a expiré ou n'est pas valide. Saisissez votre adresse électronique pour ouvrir la requête.",
        too_many: "Trop de tentatives infructueuses. Réessayez dans {minutes} minutes.",
        forgot_title: "Code requête oublié",
        forgot_intro: "Saisissez l'adresse électronique utilisée lors de la soumission : nous vous enverrons la liste de vos codes de requête.",
        forgot_send: "Recevoir mes codes",
        forgot_sent: "Si des requêtes ont été soumises avec cette adresse, un message listant leurs codes vient d'y être envoyé. Pensez à vérifier vos courriers indésirables.",
        request_title: "Votre requête",
        col_code: "Code",
        col_nature: "Nature",
        col_date: "Date de saisie",
        col_theme: "Thème",
        col_message: "Message",
        col_stage: "Niveau d'avancement",
        col_ministry: "Message du ministère",
        col_verdict: "Avis du citoyen",
        col_analyst: "Réponse de l'analyste",
        col_view: "Consultation",
        read: "Lire",
        read_treatment: "Lire msg traitement",
        read_reply: "Lire le retour",
        view: "Détails",
        stage_awaiting: "En attente de traitement",
        stage_returned: "À reformuler",
        stage_in_treatment: "En cours de traitement",
        stage_forwarded: "Lue et transmise à {body}",
        stage_treated: "Traité le {date}",
        stage_closed: "Clôturée",
        stage_closed_without: "Clôturée sans avis",
        understand: "Comprendre les étapes de traitement",
        understand_1: "Étape 1 — En attente de traitement : un analyste examine les nouvelles requêtes et celles que vous avez reformulées. Seules les réclamations jugées recevables passent à l'étape suivante ; les observations et suggestions sont lues et mises à la disposition de l'organisme.",
        understand_2: "Étape 2 — En cours de traitement : le point focal de l'organisme traite la réclamation et vous notifie sa réponse par mail.",
        understand_3: "Étape 3 — Votre avis : vous lisez le message du ministère et donnez votre avis (satisfait, partiellement satisfait, non satisfait), ou relancez la requête pour un nouveau traitement.",
        message_title: "Lecture de votre message",
        posted: "Message posté :",
        analyst_return: "Message retour de l'analyste :",
        edit_title: "Modifier",
        edit_hint: "Vous pouvez modifier votre message et ajouter des pièces jointes tant que la requête est à l'étape 1. La modification la renvoie à l'analyste.",
        edit_save: "Enregistrer la modification",
        edited: "Votre modification est enregistrée : la requête retourne à l'analyste.",
        treatment_title: "Lecture du message de traitement",
        treatment_message: "Message de traitement :",
        verdict_button: "Donner notre avis de fin ou relancer la requête SVP !",
        verdict_title: "Votre avis",
        verdict_legend: "Êtes-vous satisfait du service reçu ?",
        verdict_satisfied: "Satisfait",
        verdict_partly: "Partiellement satisfait",
        verdict_not: "Non satisfait",
        verdict_comment: "Commentaire (facultatif)",
        verdict_send: "Donner mon avis",
        verdict_required: "Choisissez votre avis : satisfait, partiellement satisfait ou non satisfait.",
        verdict_given: "Merci : votre avis est enregistré.",
        reopen_title: "Relancer la requête",
        reopen_reason: "Pourquoi relancez-vous la requête ?",
        reopen_send: "Relancer",
        reopen_required: "Expliquez en quelques mots pourquoi vous relancez la requête (10 caractères au moins).",
        reopened: "Votre requête est relancée : l'organisme va la traiter à nouveau.",
        reply_title: "Retour de l'analyste",
        history_title: "Historique",
        files_title: "Pièces jointes",
        download: "Télécharger",
        conflict: "La requête a changé entre-temps : voici son état actuel. Recommencez votre action si elle est toujours possible.",
        place_label: "Lieu",
        body_label: "Organisme",
        sign_out: "Fermer",
        no_file: "Aucune pièce jointe.",
    },

    agent: AgentTexts {
        title: "Espace agents",
        sign_in_title: "Connexion des agents",
        sign_in_intro: "Saisissez votre adresse électronique professionnelle : vous recevrez un lien de connexion valable 10 minutes.",
        sign_in_email: "Adresse électronique",
        sign_in_send: "Recevoir le lien de connexion",
        sign_in_sent: "Si cette adresse correspond à un compte agent, un lien de connexion vient d'y être envoyé. Il est valable 10 minutes et ne sert qu'une fois.",
        sign_in_confirm: "Cliquez sur le bouton pour ouvrir votre session.",
        sign_in_button: "Me connecter",
        sign_in_invalid: "Ce lien de connexion a déjà servi, a expiré ou n'est pas valide. Demandez-en un nouveau.",
        sign_out: "Se déconnecter",
        sign_out_everywhere: "Se déconnecter de tous les appareils",
        signed_in_as: "Connecté(e) :",
        queue_triage: "Requêtes à examiner (étape 1)",
        queue_treatment: "Réclamations à traiter (étape 2)",
        queue_after_verdict: "Avis reçus à examiner",
        queue_empty: "Aucune requête en attente.",
        filter_nature: "Nature",
        filter_body: "Organisme",
        filter_code: "Code",
        filter_all: "Tous",
        filter_apply: "Filtrer",
        col_received: "Reçue le",
        col_channel: "Canal",
        col_stage: "Étape",
        open: "Ouvrir",
        citizen: "Citoyen",
        history: "Historique complet",
        internal: "note interne",
        actions: "Actions",
        action_validate: "Valider (recevable) et transmettre à l'organisme",
        action_send_back: "Rejeter pour reformulation",
        action_forward: "Marquer lue et transmise",
        action_reassign: "Réaffecter",
        action_treat: "Marquer traité",
        action_clarify: "Envoyer une clarification au citoyen",
        action_note: "Ajouter une note interne",
        message_to_citizen: "Message au citoyen",
        treatment_message: "Message de traitement",
        note_label: "Note (jamais montrée au citoyen)",
        new_body: "Nouvel organisme",
        done: "Action enregistrée.",
        refused: "Cette action n'est pas possible dans l'état actuel de la requête (elle a peut-être changé entre-temps).",
        message_required: "Saisissez un message d'au moins 10 caractères.",
        no_access: "Vous n'avez pas accès à cette page.",
    },
};

pub static EN: Texts = Texts {
    site_name: "Miliê",
    site_tagline: "Citizens' portal",
    skip_link: "Skip to content",
    nav_label: "Main menu",
    nav_menu: "Menu",
    nav_home: "Home",
    nav_about: "About",
    nav_submit: "Submit a request",
    nav_track: "Track a request",
    nav_bodies: "Public bodies",
    nav_stats: "Statistics",
    nav_info: "Information",
    nav_guide: "The guide",
    nature_reclamation: "Complaint",
    nature_observation: "Observation",
    nature_suggestion: "Suggestion",
    lang_switch: "Français",
    lang_switch_label: "Lire cette page en français",
    footer_text: "Miliê — the portal for citizens' complaints, suggestions and observations to the public administration of Côte d'Ivoire.",

    home_title: "Your voice with the public administration",
    home_intro: "Miliê collects your complaints, suggestions and observations about public services and forwards them to the body concerned. You receive an 8-digit code to follow your request until the body answers and to give your opinion.",
    home_submit_title: "Submit a request",
    home_submit_text: "Choose the kind of request:",
    home_track_title: "Track a request",
    home_track_text: "With your request code and your email address, see how far its handling has come.",
    home_bodies_title: "Public bodies' contacts",
    home_bodies_text: "Phone numbers and addresses of the public bodies.",

    bodies_title: "Public bodies",
    bodies_intro: "The public bodies that can receive your requests, with their contacts and location.",
    search_label: "Search for a body",
    search_button: "Search",
    results_count: "Number of results:",
    per_page_before: "Show",
    per_page_after: "results per page",
    col_name: "Public institutions",
    col_contacts: "Contacts",
    col_location: "Location",
    phone_label: "Phone",
    location_label: "Location",
    pagination_label: "Result pages",
    prev_page: "Previous page",
    next_page: "Next page",
    no_results: "No body matches your search.",
    clear_search: "See all bodies",

    unavailable_intro: "This page is not available yet: it comes with a later version of the portal.",
    unavailable_meanwhile: "Meanwhile, you can look up the public bodies' contacts.",

    not_found_title: "Page not found",
    not_found_text: "The page you asked for does not exist or has moved.",
    error_title: "Something went wrong",
    error_text: "Your request could not be completed. Please try again in a few moments. If the problem persists, quote the reference below.",
    error_reference: "Error reference:",
    back_home: "Back to the home page",

    submit: SubmitTexts {
        nature_title: "Submit a request",
        nature_intro: "What kind of request is it?",
        body_title: "Choose the public body",
        body_intro: "Choose the public body you want to send your {nature} to.",
        body_search_label: "Search for a body",
        body_choose: "Choose",
        form_title: "Tell us your concern",
        form_intro: "Fill in the fields carefully, especially those marked with an asterisk, and state your request clearly in the «Message» field.",
        required_note: "Fields marked with an asterisk (*) are required.",
        to_body: "Sent to:",
        change_body: "Choose another body",
        section_place: "Place concerned",
        place_label: "Commune or sous-préfecture",
        place_hint: "Where did the problem happen?",
        place_none: "Select…",
        place_filter: "Filter the list of places",
        abroad: "Abroad",
        abroad_country: "Country (abroad)",
        abroad_city: "City (abroad)",
        section_content: "Your concern",
        nature_label: "Kind of request",
        theme_label: "Topic",
        theme_none: "Select…",
        message_label: "Message",
        message_hint: "Between {min} and {max} characters.",
        chars_left: "characters left",
        files_label: "Attachments",
        files_hint: "You can attach PDF documents and images (JPEG, PNG, WebP) of up to 5 MB each, 20 MB in all.",
        files_kept: "Files already attached:",
        file_remove: "Remove",
        section_contact: "Your contact details",
        last_name: "Surname",
        first_names: "Given names",
        country: "Country",
        phone: "Mobile phone",
        phone_hint: "For example 07 07 12 34 56 for Côte d'Ivoire.",
        email: "Email",
        email_hint: "Your request code will be sent to this address.",
        terms_label: "I accept all the terms and conditions of use and confirm that the information given is true.",
        terms_link: "Read the terms of use",
        submit_button: "Submit your request",
        confirm_question: "Are you sure you want to submit this information?\nIf so, click OK.\nIf not, click Cancel to make changes.",
        error_summary: "Your request could not be sent. Please correct the following:",
        review_title: "Check your request",
        review_intro: "This is what will be sent. Click «Submit your request» to send it, or «Back» to change it.",
        back_button: "Back",
        none_given: "Not given",
        done_title: "Request registered",
        done_registered: "Your {nature} has been registered.",
        done_code: "The request number is",
        done_note: "Please write this number down: you will need it to follow how your request is being handled.",
        done_track: "Track my request",
        done_next_title: "What happens next?",
        done_next: "An analyst first examines your request (stage 1). A complaint found admissible is passed on to the body, which handles it and answers you (stage 2). You can then give your opinion or reopen the request (stage 3).",
        done_mail: "A confirmation message with this number is being sent to {email}.",
        failed: "Your request could not be registered because of a technical problem. Nothing was lost: check the information below and submit again.",
        rate_limited_title: "Too many requests",
        rate_limited: "Too many requests have been sent from your connection. Please try again in {minutes} minutes.",
        terms_title: "Terms of use",
        terms_text: &[
            "By submitting a request on the Miliê portal, I accept all the terms and conditions of use and confirm that the information I give is true.",
            "I also agree to make available to the administration all the supporting documents of my complaint in accordance with the applicable laws, and I confirm that the subject of this complaint is not pending before a competent authority and that no court decision has been given about it.",
            "The information you give (surname, given names, phone, email address, message and attachments) is used only for the handling of your request by the body concerned and to keep you informed. It is kept for as long as that handling requires, in accordance with law no. 2013-450 on the protection of personal data. You have the right to access, correct and erase your data.",
        ],
        expired: "This form has expired. Your information was kept: check it and submit again.",
        title_error: "Error",
        phone_title: "Request received by phone",
        phone_consent: "The caller accepts the terms of use and that their information is recorded to handle the request (consent given orally).",
        phone_read_code: "Read this number to the caller: they also receive it by SMS and email.",
        phone_another: "Enter another request",
    },

    track: TrackTexts {
        title: "Track a request",
        intro: "Please enter the code of your request and the email address you used.",
        code_label: "Request code",
        code_hint: "The 8 digits you received when your request was registered.",
        email_label: "Email address used",
        validate: "Submit",
        forgot_link: "Forgot your request code? Click here",
        not_found: "No request matches this code and this email address. Check them and try again.",
        link_invalid: "This tracking link has expired or is not valid. Enter your email address to open the request.",
        too_many: "Too many unsuccessful attempts. Please try again in {minutes} minutes.",
        forgot_title: "Forgotten request code",
        forgot_intro: "Enter the email address you used when submitting: we will send you the list of your request codes.",
        forgot_send: "Send me my codes",
        forgot_sent: "If requests were submitted with this address, a message listing their codes has just been sent to it. Remember to check your spam folder.",
        request_title: "Your request",
        col_code: "Code",
        col_nature: "Kind",
        col_date: "Date submitted",
        col_theme: "Topic",
        col_message: "Message",
        col_stage: "Progress",
        col_ministry: "Ministry's message",
        col_verdict: "Citizen's opinion",
        col_analyst: "Analyst's answer",
        col_view: "View",
        read: "Read",
        read_treatment: "Read the answer",
        read_reply: "Read the reply",
        view: "Details",
        stage_awaiting: "Awaiting handling",
        stage_returned: "To be reworded",
        stage_in_treatment: "Being handled",
        stage_forwarded: "Read and passed on to {body}",
        stage_treated: "Handled on {date}",
        stage_closed: "Closed",
        stage_closed_without: "Closed without opinion",
        understand: "Understanding the handling stages",
        understand_1: "Stage 1 — Awaiting handling: an analyst examines new requests and those you have reworded. Only complaints found admissible go on to the next stage; observations and suggestions are read and made available to the body.",
        understand_2: "Stage 2 — Being handled: the body's focal point handles the complaint and emails you its answer.",
        understand_3: "Stage 3 — Your opinion: you read the ministry's message and give your opinion (satisfied, partly satisfied, not satisfied), or reopen the request to have it handled again.",
        message_title: "Your message",
        posted: "Message posted:",
        analyst_return: "The analyst's message:",
        edit_title: "Edit",
        edit_hint: "You can edit your message and add attachments while the request is at stage 1. Editing sends it back to the analyst.",
        edit_save: "Save the change",
        edited: "Your change is saved: the request goes back to the analyst.",
        treatment_title: "The ministry's answer",
        treatment_message: "Answer:",
        verdict_button: "Give your final opinion or reopen the request",
        verdict_title: "Your opinion",
        verdict_legend: "Are you satisfied with the service received?",
        verdict_satisfied: "Satisfied",
        verdict_partly: "Partly satisfied",
        verdict_not: "Not satisfied",
        verdict_comment: "Comment (optional)",
        verdict_send: "Give my opinion",
        verdict_required: "Choose your opinion: satisfied, partly satisfied or not satisfied.",
        verdict_given: "Thank you: your opinion is recorded.",
        reopen_title: "Reopen the request",
        reopen_reason: "Why are you reopening the request?",
        reopen_send: "Reopen",
        reopen_required: "Say in a few words why you are reopening the request (at least 10 characters).",
        reopened: "Your request is reopened: the body will handle it again.",
        reply_title: "The analyst's answer",
        history_title: "History",
        files_title: "Attachments",
        download: "Download",
        conflict: "The request changed in the meantime: here is where it stands. Try again if the action is still possible.",
        place_label: "Place",
        body_label: "Public body",
        sign_out: "Close",
        no_file: "No attachment.",
    },

    agent: AgentTexts {
        title: "Staff area",
        sign_in_title: "Staff sign-in",
        sign_in_intro: "Enter your work email address: you will receive a sign-in link valid for 10 minutes.",
        sign_in_email: "Email address",
        sign_in_send: "Send me the sign-in link",
        sign_in_sent: "If this address belongs to a staff account, a sign-in link has just been sent to it. It is valid for 10 minutes and works once.",
        sign_in_confirm: "Click the button to open your session.",
        sign_in_button: "Sign me in",
        sign_in_invalid: "This sign-in link has been used, has expired or is not valid. Ask for a new one.",
        sign_out: "Sign out",
        sign_out_everywhere: "Sign out on every device",
        signed_in_as: "Signed in:",
        queue_triage: "Requests to examine (stage 1)",
        queue_treatment: "Complaints to handle (stage 2)",
        queue_after_verdict: "Opinions received to examine",
        queue_empty: "No request waiting.",
        filter_nature: "Kind",
        filter_body: "Body",
        filter_code: "Code",
        filter_all: "All",
        filter_apply: "Filter",
        col_received: "Received",
        col_channel: "Channel",
        col_stage: "Stage",
        open: "Open",
        citizen: "Citizen",
        history: "Full history",
        internal: "internal note",
        actions: "Actions",
        action_validate: "Validate (admissible) and pass on to the body",
        action_send_back: "Send back for rewording",
        action_forward: "Mark read and passed on",
        action_reassign: "Reassign",
        action_treat: "Mark handled",
        action_clarify: "Send a clarification to the citizen",
        action_note: "Add an internal note",
        message_to_citizen: "Message to the citizen",
        treatment_message: "Answer",
        note_label: "Note (never shown to the citizen)",
        new_body: "New body",
        done: "Action recorded.",
        refused: "This action is not possible in the request's current state (it may have changed in the meantime).",
        message_required: "Enter a message of at least 10 characters.",
        no_access: "You do not have access to this page.",
    },
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_choice_beats_cookie_beats_header() {
        assert_eq!(Lang::negotiate(Some("en"), Some("fr"), Some("fr")), Lang::En);
        assert_eq!(Lang::negotiate(None, Some("en"), Some("fr-CI")), Lang::En);
        assert_eq!(Lang::negotiate(Some("xx"), None, Some("en-GB,en;q=0.9")), Lang::En);
        assert_eq!(Lang::negotiate(None, None, None), Lang::Fr);
    }

    #[test]
    fn accept_language_uses_q_values() {
        assert_eq!(from_accept_language("de-DE, en;q=0.5, fr;q=0.8"), Some(Lang::Fr));
        assert_eq!(from_accept_language("de, en;q=0.1"), Some(Lang::En));
        assert_eq!(from_accept_language("de, es"), None);
        assert_eq!(from_accept_language("en;q=0"), None);
        assert_eq!(from_accept_language(""), None);
    }

    #[test]
    fn catalogues_are_complete() {
        // A field left empty in one language would show nothing on the page.
        let debug_fr = format!("{FR:?}");
        let debug_en = format!("{EN:?}");
        assert!(!debug_fr.contains(": \"\""), "empty French string");
        assert!(!debug_en.contains(": \"\""), "empty English string");
    }
}

/// The message shown next to a field (and in the error summary) for one problem.
pub fn problem_message(
    lang: Lang,
    field: crate::domain::submission::Field,
    problem: &crate::domain::submission::Problem,
) -> String {
    use crate::domain::attachment::AttachmentError as A;
    use crate::domain::email::EmailError as E;
    use crate::domain::phone::PhoneError as P;
    use crate::domain::submission::{Field as F, Problem as Pr};
    use crate::domain::text_field::TextError as T;
    let fr = lang == Lang::Fr;
    let pick = |fr_text: &str, en_text: &str| if fr { fr_text.to_owned() } else { en_text.to_owned() };
    match (field, problem) {
        (F::Body, _) => pick("Choisissez l'organisme public concerné.", "Choose the public body concerned."),
        (F::Nature, _) => pick(
            "Choisissez la nature de votre requête : réclamation, observation ou suggestion.",
            "Choose the kind of request: complaint, observation or suggestion.",
        ),
        (F::Place, _) => pick("Choisissez une commune ou sous-préfecture dans la liste.", "Choose a commune or sous-préfecture from the list."),
        (F::AbroadCountry, _) => pick("Indiquez le pays où vous vous trouvez.", "Say which country you are in."),
        (F::AbroadCity, _) => pick("Le nom de la ville ne doit pas dépasser 100 caractères.", "The city name must be 100 characters or fewer."),
        (F::Theme, _) => pick("Choisissez un thème dans la liste.", "Choose a topic from the list."),
        (F::Message, Pr::Text(T::TooShort { min })) => if fr {
            format!("Votre message doit comporter au moins {min} caractères.")
        } else {
            format!("Your message must be at least {min} characters long.")
        },
        (F::Message, Pr::Text(T::TooLong { max })) => if fr {
            format!("Votre message ne doit pas dépasser {max} caractères.")
        } else {
            format!("Your message must be {max} characters or fewer.")
        },
        (F::Message, _) => pick("Saisissez votre message.", "Enter your message."),
        (F::LastName, _) => pick("Le nom ne doit pas dépasser 100 caractères.", "The surname must be 100 characters or fewer."),
        (F::FirstNames, _) => pick("Les prénoms ne doivent pas dépasser 100 caractères.", "Given names must be 100 characters or fewer."),
        (F::Country, _) => pick("Choisissez votre pays dans la liste.", "Choose your country from the list."),
        (F::Phone, Pr::Phone(P::NotDigits)) => pick(
            "Le numéro de téléphone ne doit contenir que des chiffres.",
            "The phone number must contain digits only.",
        ),
        (F::Phone, Pr::Phone(P::OtherCountry)) => pick(
            "Ce numéro commence par l'indicatif d'un autre pays que celui choisi : vérifiez le pays.",
            "This number starts with the code of another country than the one chosen: check the country.",
        ),
        (F::Phone, Pr::Phone(P::OldIvorianNumber)) => pick(
            "Depuis 2021, les numéros ivoiriens ont 10 chiffres : ajoutez 01, 05 ou 07 devant votre ancien numéro.",
            "Since 2021, Ivorian numbers have 10 digits: add 01, 05 or 07 in front of your old number.",
        ),
        (F::Phone, Pr::Phone(P::Length { min, max })) => match (fr, min == max) {
            (true, true) => format!("Le numéro de portable doit comporter {min} chiffres."),
            (true, false) => format!("Le numéro de portable doit comporter entre {min} et {max} chiffres."),
            (false, true) => format!("The mobile number must have {min} digits."),
            (false, false) => format!("The mobile number must have between {min} and {max} digits."),
        },
        (F::Phone, Pr::Phone(P::NotMobile)) => pick(
            "Ce numéro n'est pas un numéro de téléphone portable : saisissez un numéro de portable.",
            "This is not a mobile phone number: enter a mobile number.",
        ),
        (F::Phone, _) => pick("Saisissez votre numéro de téléphone portable.", "Enter your mobile phone number."),
        (F::Email, Pr::Email(E::Empty)) => pick("Saisissez votre adresse électronique.", "Enter your email address."),
        (F::Email, _) => pick(
            "Saisissez une adresse électronique valide, par exemple nom@exemple.ci.",
            "Enter a valid email address, for example name@example.com.",
        ),
        (F::Terms, _) => pick(
            "Vous devez accepter les conditions d'utilisation pour soumettre votre requête.",
            "You must accept the terms of use to submit your request.",
        ),
        (F::Attachments, Pr::File { name, error }) => match (fr, error) {
            (true, A::Empty) => format!("Le fichier « {name} » est vide."),
            (true, A::TooLarge) => format!("Le fichier « {name} » dépasse 5 Mo."),
            (true, A::Unsupported) => format!("Le fichier « {name} » n'est ni un document PDF ni une image (JPEG, PNG, WebP)."),
            (true, A::Mismatch) => format!("Le contenu du fichier « {name} » ne correspond pas à son extension."),
            (false, A::Empty) => format!("The file «{name}» is empty."),
            (false, A::TooLarge) => format!("The file «{name}» is larger than 5 MB."),
            (false, A::Unsupported) => format!("The file «{name}» is neither a PDF document nor an image (JPEG, PNG, WebP)."),
            (false, A::Mismatch) => format!("The content of the file «{name}» does not match its extension."),
        },
        (F::Attachments, Pr::TooManyFiles { max }) => if fr {
            format!("Vous pouvez joindre au plus {max} fichiers.")
        } else {
            format!("You can attach at most {max} files.")
        },
        (F::Attachments, Pr::TotalTooLarge { max_bytes }) => if fr {
            format!("L'ensemble des pièces jointes ne doit pas dépasser {} Mo.", max_bytes / (1024 * 1024))
        } else {
            format!("All attachments together must not exceed {} MB.", max_bytes / (1024 * 1024))
        },
        (F::Attachments, _) => pick("Cette pièce jointe n'a pas pu être reçue.", "This attachment could not be received."),
        (F::HumanCheck, _) => pick(
            "La vérification anti-robot n'a pas abouti : cochez la case de vérification puis soumettez à nouveau.",
            "The anti-robot check did not succeed: tick the verification box and submit again.",
        ),
    }
}
