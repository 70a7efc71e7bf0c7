//! Languages and the text catalogues. Every citizen-facing string lives here, in French and
//! English; a missing translation is a compile error because each catalogue is one struct value.

#[cfg(feature = "office")]
mod admin;
#[cfg(feature = "office")]
mod agent;
/// The USSD menu's screens and the SMS answers (the back office answers both channels).
#[cfg(feature = "office")]
pub mod channels;
#[cfg(feature = "office")]
pub mod import;
#[cfg(feature = "office")]
pub mod info;
#[cfg(feature = "office")]
pub mod manage;
#[cfg(feature = "office")]
pub mod office;
#[cfg(feature = "office")]
pub mod office_admin;
mod problems;
mod public;
#[cfg(feature = "office")]
pub mod staff;
mod submit;
mod track;
#[cfg(feature = "office")]
pub mod voice;
#[cfg(feature = "office")]
pub mod workspace;
pub use problems::problem_message;
pub use public::PublicTexts;
pub use track::merged_stage as track_merged_stage;

/// `Lang` is the domain's (`domain::lang`); choosing one and its catalogue are the web's business.
pub use crate::domain::lang::Lang;

impl Lang {
    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::Fr => &FR,
            Lang::En => &EN,
        }
    }

    /// Picks the language: an explicit choice (`?lang=`), then the remembered one (cookie),
    /// then the browser's first supported preference, then French.
    pub fn negotiate(
        explicit: Option<&str>,
        cookie: Option<&str>,
        accept_language: Option<&str>,
    ) -> Lang {
        explicit
            .and_then(Lang::parse)
            .or_else(|| cookie.and_then(Lang::parse))
            .or_else(|| accept_language.and_then(from_accept_language))
            .unwrap_or(Lang::Fr)
    }
}

/// Where a request is about, in words: the place's name, or «À l'étranger — city, country» with
/// the country named in `lang`; None when neither was given. Citizens' and staff pages both say it so.
pub fn place_words(
    lang: Lang,
    place: Option<&str>,
    abroad_city: Option<&str>,
    abroad_country: Option<&str>,
) -> Option<String> {
    if let Some(place) = place {
        return Some(place.to_owned());
    }
    let country = crate::domain::countries::Country::find(abroad_country?)?.name(lang);
    let abroad = lang.texts().submit.abroad;
    Some(match abroad_city {
        Some(city) => format!("{abroad} — {city}, {country}"),
        None => format!("{abroad} — {country}"),
    })
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
    pub footer_nav: &'static str,

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
    /// Before a number as the 2019 guide printed it (8 digits).
    pub printed_as: &'static str,
    pub email_label: &'static str,
    pub website_label: &'static str,
    /// Before a former name: «anciennement Ministère des affaires étrangères».
    pub formerly: &'static str,
    /// «Gouvernement du {date}» (the date in words).
    pub government_of: &'static str,
    /// A body no source gives a phone, address or website for.
    pub no_contact: &'static str,
    pub months: [&'static str; 12],
    pub location_label: &'static str,
    pub pagination_label: &'static str,
    pub prev_page: &'static str,
    pub next_page: &'static str,
    pub no_results: &'static str,
    pub clear_search: &'static str,

    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub error_title: &'static str,
    pub error_text: &'static str,
    /// A body over the size the address accepts (413).
    pub too_large_text: &'static str,
    /// A body in a format the address does not read (415).
    pub wrong_format_text: &'static str,
    pub error_reference: &'static str,
    pub back_home: &'static str,

    pub submit: &'static submit::SubmitTexts,
    pub track: &'static track::TrackTexts,
    #[cfg(feature = "office")]
    pub agent: &'static agent::AgentTexts,
    #[cfg(feature = "office")]
    pub admin: &'static admin::AdminTexts,
    pub public: &'static PublicTexts,
    /// The statistics' and information pages' words (`info.rs`), the back office's pages.
    #[cfg(feature = "office")]
    pub info: &'static info::InfoTexts,
    /// A voice note on the staff request page (`voice.rs`).
    #[cfg(feature = "office")]
    pub voice: &'static voice::VoiceTexts,
    /// The back office's own words (`staff.rs`).
    #[cfg(feature = "office")]
    pub staff: &'static staff::StaffTexts,
    /// The staff workspace's chrome, queues, search and answer preview (`workspace.rs`).
    #[cfg(feature = "office")]
    pub work: &'static workspace::WorkspaceTexts,
    /// The administration's pages, what a save changed, the questions before destructive actions.
    #[cfg(feature = "office")]
    pub manage: &'static manage::ManageTexts,
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
    footer_text: "Miliê — le portail des réclamations, suggestions et observations des citoyens envers l'Administration publique de Côte d'Ivoire. Un service du Ministère de la Modernisation et de l'Innovation du Service Public.",
    footer_nav: "Liens du pied de page",

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
    printed_as: "numéro du guide de 2019 :",
    email_label: "Courriel",
    website_label: "Site web",
    formerly: "anciennement",
    government_of: "Gouvernement du {date}",
    no_contact: "Contact non communiqué",
    months: [
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
        "octobre", "novembre", "décembre",
    ],
    location_label: "Localisation",
    pagination_label: "Pages de résultats",
    prev_page: "Page précédente",
    next_page: "Page suivante",
    no_results: "Aucun organisme ne correspond à votre recherche.",
    clear_search: "Voir tous les organismes",


    not_found_title: "Page introuvable",
    not_found_text: "La page demandée n'existe pas ou a été déplacée.",
    error_title: "Une erreur est survenue",
    error_text: "Votre demande n'a pas pu aboutir. Veuillez réessayer dans quelques instants. Si le problème persiste, communiquez la référence ci-dessous.",
    too_large_text: "Ce que vous avez envoyé dépasse la taille acceptée à cette adresse. Les pièces jointes sont limitées à 20 Mo au total.",
    wrong_format_text: "Cette adresse attend un autre format de contenu (par exemple application/json).",
    error_reference: "Référence de l'erreur :",
    back_home: "Retour à l'accueil",

    submit: &submit::FR,

    track: &track::FR,

    #[cfg(feature = "office")]
    agent: &agent::FR,

    public: &public::FR,
    #[cfg(feature = "office")]
    info: &info::FR,
    #[cfg(feature = "office")]
    voice: &voice::FR,
    #[cfg(feature = "office")]
    staff: &staff::FR,
    #[cfg(feature = "office")]
    work: &workspace::FR,
    #[cfg(feature = "office")]
    manage: &manage::FR,
    #[cfg(feature = "office")]
    admin: &admin::FR,
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
    footer_text: "Miliê — the portal for citizens' complaints, suggestions and observations to the public administration of Côte d'Ivoire. A service of the Ministère de la Modernisation et de l'Innovation du Service Public (Ministry of the Modernisation and Innovation of the Public Service).",
    footer_nav: "Footer links",

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
    printed_as: "number in the 2019 guide:",
    email_label: "Email",
    website_label: "Website",
    formerly: "formerly",
    government_of: "Government of {date}",
    no_contact: "Contact not provided",
    months: [
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December",
    ],
    location_label: "Location",
    pagination_label: "Result pages",
    prev_page: "Previous page",
    next_page: "Next page",
    no_results: "No body matches your search.",
    clear_search: "See all bodies",


    not_found_title: "Page not found",
    not_found_text: "The page you asked for does not exist or has moved.",
    error_title: "Something went wrong",
    error_text: "Your request could not be completed. Please try again in a few moments. If the problem persists, quote the reference below.",
    too_large_text: "What you sent is larger than this address accepts. Attachments are limited to 20 MB in all.",
    wrong_format_text: "This address expects another content format (for example application/json).",
    error_reference: "Error reference:",
    back_home: "Back to the home page",

    submit: &submit::EN,

    track: &track::EN,

    #[cfg(feature = "office")]
    agent: &agent::EN,

    public: &public::EN,
    #[cfg(feature = "office")]
    info: &info::EN,
    #[cfg(feature = "office")]
    voice: &voice::EN,
    #[cfg(feature = "office")]
    staff: &staff::EN,
    #[cfg(feature = "office")]
    work: &workspace::EN,
    #[cfg(feature = "office")]
    manage: &manage::EN,
    #[cfg(feature = "office")]
    admin: &admin::EN,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_abroad_name_the_country() {
        assert_eq!(place_words(Lang::Fr, Some("Cocody"), None, None).as_deref(), Some("Cocody"));
        assert_eq!(
            place_words(Lang::Fr, None, Some("Lyon"), Some("FR")).as_deref(),
            Some("À l'étranger — Lyon, France")
        );
        assert_eq!(
            place_words(Lang::En, None, None, Some("FR")).as_deref(),
            Some("Abroad — France")
        );
        assert_eq!(place_words(Lang::Fr, None, None, None), None);
    }

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
