//! Strings of the public pages: statistics and open data, informations, the guide, about and
//! personal data. Long prose (the guide, about, personal data) lives in per-language templates
//! under `templates/content/`; this catalogue holds the rest.

#[derive(Debug)]
/// The public pages' words. Only the footer's links are the citizens' worker's: the statistics and
/// the information pages (guide, about, personal data, video) are served by the back office.
pub struct PublicTexts {
    #[cfg(feature = "office")]
    pub stats_title: &'static str,
    #[cfg(feature = "office")]
    pub stats_intro: &'static str,
    #[cfg(feature = "office")]
    pub stats_filter: &'static str,
    #[cfg(feature = "office")]
    pub stats_body: &'static str,
    #[cfg(feature = "office")]
    pub stats_all_bodies: &'static str,
    #[cfg(feature = "office")]
    pub stats_from: &'static str,
    #[cfg(feature = "office")]
    pub stats_to: &'static str,
    #[cfg(feature = "office")]
    pub stats_show: &'static str,
    #[cfg(feature = "office")]
    pub stats_bad_period: &'static str,
    #[cfg(feature = "office")]
    pub stats_period: &'static str,
    #[cfg(feature = "office")]
    pub stats_computed: &'static str,
    #[cfg(feature = "office")]
    pub stats_never: &'static str,
    #[cfg(feature = "office")]
    pub stats_key_figures: &'static str,
    #[cfg(feature = "office")]
    pub stats_received: &'static str,
    #[cfg(feature = "office")]
    pub stats_triage_time: &'static str,
    #[cfg(feature = "office")]
    pub stats_treatment_time: &'static str,
    /// «{median} j (médiane), {p90} j (90 % des requêtes)»
    #[cfg(feature = "office")]
    pub stats_durations: &'static str,
    /// «{n} jour(s)»
    #[cfg(feature = "office")]
    pub stats_durations_days: &'static str,
    #[cfg(feature = "office")]
    pub stats_on_time: &'static str,
    #[cfg(feature = "office")]
    pub stats_reopen: &'static str,
    #[cfg(feature = "office")]
    pub stats_taken: &'static str,
    #[cfg(feature = "office")]
    pub stats_taking_time: &'static str,
    #[cfg(feature = "office")]
    pub stats_not_enough: &'static str,
    #[cfg(feature = "office")]
    pub stats_by_nature: &'static str,
    #[cfg(feature = "office")]
    pub stats_by_stage: &'static str,
    #[cfg(feature = "office")]
    pub stats_by_theme: &'static str,
    #[cfg(feature = "office")]
    pub stats_by_place: &'static str,
    #[cfg(feature = "office")]
    pub stats_by_region: &'static str,
    #[cfg(feature = "office")]
    pub stats_by_departement: &'static str,
    #[cfg(feature = "office")]
    pub stats_col_region: &'static str,
    #[cfg(feature = "office")]
    pub stats_col_departement: &'static str,
    #[cfg(feature = "office")]
    pub stats_col_pcode: &'static str,
    #[cfg(feature = "office")]
    pub stats_col_on_time: &'static str,
    #[cfg(feature = "office")]
    pub stats_col_median: &'static str,
    #[cfg(feature = "office")]
    pub stats_areas_note: &'static str,
    #[cfg(feature = "office")]
    pub stats_verdicts: &'static str,
    #[cfg(feature = "office")]
    pub stats_col_value: &'static str,
    #[cfg(feature = "office")]
    pub stats_col_count: &'static str,
    #[cfg(feature = "office")]
    pub stats_none: &'static str,
    #[cfg(feature = "office")]
    pub stats_chart_desc: &'static str,
    #[cfg(feature = "office")]
    pub stats_others: &'static str,
    #[cfg(feature = "office")]
    pub stats_suppressed: &'static str,
    #[cfg(feature = "office")]
    pub stats_suppression_note: &'static str,
    #[cfg(feature = "office")]
    pub stats_cohort_note: &'static str,
    pub stats_open_data: &'static str,
    #[cfg(feature = "office")]
    pub stats_open_data_intro: &'static str,
    #[cfg(feature = "office")]
    pub stats_download_csv: &'static str,
    #[cfg(feature = "office")]
    pub stats_download_json: &'static str,
    #[cfg(feature = "office")]
    pub stats_fields: &'static str,
    #[cfg(feature = "office")]
    pub theme_none: &'static str,
    #[cfg(feature = "office")]
    pub place_none: &'static str,
    #[cfg(feature = "office")]
    pub place_abroad: &'static str,
    #[cfg(feature = "office")]
    pub verdict_without: &'static str,
    #[cfg(feature = "office")]
    pub stage_forwarded: &'static str,
    #[cfg(feature = "office")]
    pub stage_taken: &'static str,
    #[cfg(feature = "office")]
    pub stage_treated: &'static str,
    #[cfg(feature = "office")]
    pub info_title: &'static str,
    #[cfg(feature = "office")]
    pub info_intro: &'static str,
    #[cfg(feature = "office")]
    pub info_video: &'static str,
    #[cfg(feature = "office")]
    pub info_video_fallback: &'static str,
    #[cfg(feature = "office")]
    pub info_video_download: &'static str,
    #[cfg(feature = "office")]
    pub info_transcript: &'static str,
    /// The video's slides (title, text): the transcript, and the captions' text (see make-video.mjs).
    #[cfg(feature = "office")]
    pub video_slides: &'static [(&'static str, &'static str)],
    #[cfg(feature = "office")]
    pub info_captions: &'static str,
    #[cfg(feature = "office")]
    pub info_contacts: &'static str,
    #[cfg(feature = "office")]
    pub info_contacts_text: &'static str,
    #[cfg(feature = "office")]
    pub info_portal_contact: &'static str,
    #[cfg(feature = "office")]
    pub info_bodies_link: &'static str,
    #[cfg(feature = "office")]
    pub guide_title: &'static str,
    #[cfg(feature = "office")]
    pub guide_print: &'static str,
    #[cfg(feature = "office")]
    pub about_title: &'static str,
    #[cfg(feature = "office")]
    pub privacy_title: &'static str,
    pub privacy_link: &'static str,
}

pub const FR: PublicTexts = PublicTexts {
    #[cfg(feature = "office")]
    stats_title: "Statistiques",
    #[cfg(feature = "office")]
    stats_intro: "Les requêtes reçues par les organismes publics et la façon dont elles ont été traitées.",
    #[cfg(feature = "office")]
    stats_filter: "Choisir l'organisme et la période",
    #[cfg(feature = "office")]
    stats_body: "Organisme",
    #[cfg(feature = "office")]
    stats_all_bodies: "Tous les organismes",
    #[cfg(feature = "office")]
    stats_from: "Du",
    #[cfg(feature = "office")]
    stats_to: "Au",
    #[cfg(feature = "office")]
    stats_show: "Afficher",
    #[cfg(feature = "office")]
    stats_bad_period: "Période non valable : indiquez deux dates réelles (AAAA-MM-JJ), la première avant la seconde, sur dix ans au plus. La période par défaut est affichée.",
    #[cfg(feature = "office")]
    stats_period: "Requêtes reçues du {from} au {to}",
    #[cfg(feature = "office")]
    stats_computed: "Chiffres mis à jour le {date}.",
    #[cfg(feature = "office")]
    stats_never: "Les chiffres n'ont pas encore été calculés.",
    #[cfg(feature = "office")]
    stats_key_figures: "Chiffres clés",
    #[cfg(feature = "office")]
    stats_received: "Requêtes reçues",
    #[cfg(feature = "office")]
    stats_triage_time: "Délai d'examen par l'analyste",
    #[cfg(feature = "office")]
    stats_treatment_time: "Délai de traitement par l'organisme",
    #[cfg(feature = "office")]
    stats_durations: "{median} jour(s) en médiane ; 90 % en {p90} jour(s) ou moins",
    #[cfg(feature = "office")]
    stats_durations_days: "{n} jour(s)",
    #[cfg(feature = "office")]
    stats_on_time: "Réclamations traitées dans le délai",
    #[cfg(feature = "office")]
    stats_reopen: "Requêtes relancées par le citoyen (pour 100 traitées)",
    #[cfg(feature = "office")]
    stats_taken: "Observations et suggestions prises en compte par l'organisme",
    #[cfg(feature = "office")]
    stats_taking_time: "Délai de prise en compte des observations et suggestions",
    #[cfg(feature = "office")]
    stats_not_enough: "Pas assez de cas pour publier ce chiffre",
    #[cfg(feature = "office")]
    stats_by_nature: "Par nature",
    #[cfg(feature = "office")]
    stats_by_stage: "Par niveau d'avancement",
    #[cfg(feature = "office")]
    stats_by_theme: "Par thème",
    #[cfg(feature = "office")]
    stats_by_place: "Par lieu",
    #[cfg(feature = "office")]
    stats_by_region: "Par région",
    #[cfg(feature = "office")]
    stats_by_departement: "Par département",
    #[cfg(feature = "office")]
    stats_col_region: "Région",
    #[cfg(feature = "office")]
    stats_col_departement: "Département",
    #[cfg(feature = "office")]
    stats_col_pcode: "P-code OCHA",
    #[cfg(feature = "office")]
    stats_col_on_time: "Traitées dans le délai",
    #[cfg(feature = "office")]
    stats_col_median: "Délai médian de traitement",
    #[cfg(feature = "office")]
    stats_areas_note: "Une requête compte pour la région et le département de son lieu (une commune, une sous-préfecture, une ville ou un village) ; les districts autonomes d'Abidjan et de Yamoussoukro comptent comme des régions.",
    #[cfg(feature = "office")]
    stats_verdicts: "Avis des citoyens",
    #[cfg(feature = "office")]
    stats_col_value: "Valeur",
    #[cfg(feature = "office")]
    stats_col_count: "Nombre de requêtes",
    #[cfg(feature = "office")]
    stats_none: "Aucune requête sur cette période.",
    #[cfg(feature = "office")]
    stats_chart_desc: "Diagramme en barres ; les mêmes chiffres figurent dans le tableau qui suit.",
    #[cfg(feature = "office")]
    stats_others: "Autres",
    #[cfg(feature = "office")]
    stats_suppressed: "moins de 5",
    #[cfg(feature = "office")]
    stats_suppression_note: "Pour protéger l'anonymat des citoyens, les effectifs de 1 à 4 sont affichés « moins de 5 » et les parts ou délais calculés sur trop peu de cas ne sont pas publiés.",
    #[cfg(feature = "office")]
    stats_cohort_note: "Chaque requête est comptée au jour de sa réception ; son examen, son traitement et l'avis du citoyen lui sont rattachés.",
    stats_open_data: "Données ouvertes",
    #[cfg(feature = "office")]
    stats_open_data_intro: "Les mêmes chiffres, pour tous les organismes et pour chacun, sur la période choisie. Aucune donnée personnelle ; les petits effectifs sont masqués.",
    #[cfg(feature = "office")]
    stats_download_csv: "Télécharger en CSV",
    #[cfg(feature = "office")]
    stats_download_json: "Télécharger en JSON",
    #[cfg(feature = "office")]
    stats_fields: "Colonnes : organisme (identifiant, « tous » pour l'ensemble), dimension (reçues, nature, niveau, thème, lieu, avis, indicateur, region et departement — et leurs part traitée dans le délai et délai médian de traitement), valeur (code ; P-code OCHA pour une région ou un département), libellé, effectif (vide s'il est masqué).",
    #[cfg(feature = "office")]
    theme_none: "Sans thème",
    #[cfg(feature = "office")]
    place_none: "Lieu non précisé",
    #[cfg(feature = "office")]
    place_abroad: "À l'étranger",
    #[cfg(feature = "office")]
    verdict_without: "Sans avis",
    #[cfg(feature = "office")]
    stage_forwarded: "Lue et transmise à l'organisme",
    #[cfg(feature = "office")]
    stage_taken: "Prise en compte par l'organisme",
    #[cfg(feature = "office")]
    stage_treated: "Traitée, avis attendu",
    #[cfg(feature = "office")]
    info_title: "Informations",
    #[cfg(feature = "office")]
    info_intro: "Comprendre Miliê en quelques minutes, et savoir qui contacter.",
    #[cfg(feature = "office")]
    info_video: "Vidéo institutionnelle",
    #[cfg(feature = "office")]
    info_video_fallback: "Votre navigateur ne lit pas cette vidéo.",
    #[cfg(feature = "office")]
    info_video_download: "Télécharger la vidéo (WebM, 300 Ko)",
    #[cfg(feature = "office")]
    info_transcript: "Transcription de la vidéo",
    #[cfg(feature = "office")]
    video_slides: &[
        ("Miliê, le portail du citoyen", "Adressez une réclamation, une suggestion ou une observation à l'Administration publique."),
        ("1. Soumettre une requête", "Choisissez la nature, puis l'organisme public. Décrivez votre préoccupation et laissez vos coordonnées."),
        ("2. Notez votre code", "Un code à 8 chiffres s'affiche à l'écran. Vous le recevez aussi par e-mail et par SMS."),
        ("3. Suivez votre requête", "Menu « Suivre une requête » : votre code et votre adresse e-mail. L'analyste l'examine, puis l'organisme la traite."),
        ("4. Donnez votre avis", "Satisfait, partiellement satisfait ou non satisfait : ou relancez votre requête."),
        ("Besoin d'aide ?", "Lisez le guide sur milie.ci ou appelez l'organisme concerné : ses numéros sont dans « Organismes »."),
    ],
    #[cfg(feature = "office")]
    info_captions: "Sous-titres",
    #[cfg(feature = "office")]
    info_contacts: "Contacts",
    #[cfg(feature = "office")]
    info_contacts_text: "Pour une question sur une requête, adressez-vous à l'organisme concerné : ses numéros et son adresse figurent dans la liste des organismes.",
    #[cfg(feature = "office")]
    info_portal_contact: "Pour le portail lui-même (accès, difficulté technique, données personnelles) : contact@milie.ci.",
    #[cfg(feature = "office")]
    info_bodies_link: "Contacts des organismes publics",
    #[cfg(feature = "office")]
    guide_title: "Guide d'utilisation",
    #[cfg(feature = "office")]
    guide_print: "Pour imprimer ce guide, utilisez la fonction d'impression de votre navigateur : la page s'y adapte.",
    #[cfg(feature = "office")]
    about_title: "À propos de Miliê",
    #[cfg(feature = "office")]
    privacy_title: "Conditions d'utilisation et données personnelles",
    privacy_link: "Données personnelles et conditions d'utilisation",
};

pub const EN: PublicTexts = PublicTexts {
    #[cfg(feature = "office")]
    stats_title: "Statistics",
    #[cfg(feature = "office")]
    stats_intro: "Requests received by public bodies and how they were handled.",
    #[cfg(feature = "office")]
    stats_filter: "Choose the body and the period",
    #[cfg(feature = "office")]
    stats_body: "Body",
    #[cfg(feature = "office")]
    stats_all_bodies: "All bodies",
    #[cfg(feature = "office")]
    stats_from: "From",
    #[cfg(feature = "office")]
    stats_to: "To",
    #[cfg(feature = "office")]
    stats_show: "Show",
    #[cfg(feature = "office")]
    stats_bad_period: "Invalid period: give two real dates (YYYY-MM-DD), the first before the second, ten years apart at most. The default period is shown.",
    #[cfg(feature = "office")]
    stats_period: "Requests received from {from} to {to}",
    #[cfg(feature = "office")]
    stats_computed: "Figures updated on {date}.",
    #[cfg(feature = "office")]
    stats_never: "The figures have not been computed yet.",
    #[cfg(feature = "office")]
    stats_key_figures: "Key figures",
    #[cfg(feature = "office")]
    stats_received: "Requests received",
    #[cfg(feature = "office")]
    stats_triage_time: "Time to review by an analyst",
    #[cfg(feature = "office")]
    stats_treatment_time: "Time to handling by the body",
    #[cfg(feature = "office")]
    stats_durations: "{median} day(s) median; 90% within {p90} day(s)",
    #[cfg(feature = "office")]
    stats_durations_days: "{n} day(s)",
    #[cfg(feature = "office")]
    stats_on_time: "Complaints handled within the deadline",
    #[cfg(feature = "office")]
    stats_reopen: "Requests reopened by the citizen (per 100 handled)",
    #[cfg(feature = "office")]
    stats_taken: "Observations and suggestions taken into account by the body",
    #[cfg(feature = "office")]
    stats_taking_time: "Time to take observations and suggestions into account",
    #[cfg(feature = "office")]
    stats_not_enough: "Too few cases to publish this figure",
    #[cfg(feature = "office")]
    stats_by_nature: "By kind",
    #[cfg(feature = "office")]
    stats_by_stage: "By progress",
    #[cfg(feature = "office")]
    stats_by_theme: "By topic",
    #[cfg(feature = "office")]
    stats_by_place: "By place",
    #[cfg(feature = "office")]
    stats_by_region: "By region",
    #[cfg(feature = "office")]
    stats_by_departement: "By department",
    #[cfg(feature = "office")]
    stats_col_region: "Region",
    #[cfg(feature = "office")]
    stats_col_departement: "Department",
    #[cfg(feature = "office")]
    stats_col_pcode: "OCHA P-code",
    #[cfg(feature = "office")]
    stats_col_on_time: "Treated within the deadline",
    #[cfg(feature = "office")]
    stats_col_median: "Median time to treatment",
    #[cfg(feature = "office")]
    stats_areas_note: "A request counts for the region and department of its place (a commune, a sub-prefecture, a town or a village); the autonomous districts of Abidjan and Yamoussoukro count as regions.",
    #[cfg(feature = "office")]
    stats_verdicts: "Citizens' opinions",
    #[cfg(feature = "office")]
    stats_col_value: "Value",
    #[cfg(feature = "office")]
    stats_col_count: "Number of requests",
    #[cfg(feature = "office")]
    stats_none: "No request in this period.",
    #[cfg(feature = "office")]
    stats_chart_desc: "Bar chart; the same figures are in the table that follows.",
    #[cfg(feature = "office")]
    stats_others: "Others",
    #[cfg(feature = "office")]
    stats_suppressed: "fewer than 5",
    #[cfg(feature = "office")]
    stats_suppression_note: "To protect citizens' anonymity, counts from 1 to 4 are shown as \"fewer than 5\", and shares or times computed over too few cases are not published.",
    #[cfg(feature = "office")]
    stats_cohort_note: "Each request is counted on the day it was received; its review, handling and the citizen's opinion are attached to it.",
    stats_open_data: "Open data",
    #[cfg(feature = "office")]
    stats_open_data_intro: "The same figures, for all bodies and for each one, over the chosen period. No personal data; small counts are hidden.",
    #[cfg(feature = "office")]
    stats_download_csv: "Download as CSV",
    #[cfg(feature = "office")]
    stats_download_json: "Download as JSON",
    #[cfg(feature = "office")]
    stats_fields: "Columns: body (identifier, \"tous\" for all), dimension (received, kind, stage, topic, place, opinion, indicator, region and departement — with their share treated within the deadline and median time to treatment), value (code; the OCHA P-code of a region or department), label, count (empty when hidden).",
    #[cfg(feature = "office")]
    theme_none: "No topic",
    #[cfg(feature = "office")]
    place_none: "Place not given",
    #[cfg(feature = "office")]
    place_abroad: "Abroad",
    #[cfg(feature = "office")]
    verdict_without: "No opinion",
    #[cfg(feature = "office")]
    stage_forwarded: "Read and passed on to the body",
    #[cfg(feature = "office")]
    stage_taken: "Taken into account by the body",
    #[cfg(feature = "office")]
    stage_treated: "Handled, opinion awaited",
    #[cfg(feature = "office")]
    info_title: "Information",
    #[cfg(feature = "office")]
    info_intro: "Understand Miliê in a few minutes, and know whom to contact.",
    #[cfg(feature = "office")]
    info_video: "Institutional video",
    #[cfg(feature = "office")]
    info_video_fallback: "Your browser cannot play this video.",
    #[cfg(feature = "office")]
    info_video_download: "Download the video (WebM, 300 KB)",
    #[cfg(feature = "office")]
    info_transcript: "Video transcript",
    #[cfg(feature = "office")]
    video_slides: &[
        ("Miliê, the citizens' portal", "Send a complaint, a suggestion or an observation to the public administration."),
        ("1. Submit a request", "Choose its kind, then the public body. Describe your concern and leave your contact details."),
        ("2. Keep your code", "An 8-digit code appears on screen. You also receive it by email and text message."),
        ("3. Follow your request", "Menu \"Follow a request\": your code and email address. An analyst reviews it, then the body handles it."),
        ("4. Give your opinion", "Satisfied, partly satisfied or not satisfied: or reopen your request."),
        ("Need help?", "Read the guide on milie.ci or call the body concerned: its numbers are under \"Bodies\"."),
    ],
    #[cfg(feature = "office")]
    info_captions: "Captions",
    #[cfg(feature = "office")]
    info_contacts: "Contacts",
    #[cfg(feature = "office")]
    info_contacts_text: "For a question about a request, contact the body concerned: its phone numbers and address are in the list of bodies.",
    #[cfg(feature = "office")]
    info_portal_contact: "For the portal itself (access, technical problem, personal data): contact@milie.ci.",
    #[cfg(feature = "office")]
    info_bodies_link: "Contacts of public bodies",
    #[cfg(feature = "office")]
    guide_title: "User guide",
    #[cfg(feature = "office")]
    guide_print: "To print this guide, use your browser's print function: the page adapts to it.",
    #[cfg(feature = "office")]
    about_title: "About Miliê",
    #[cfg(feature = "office")]
    privacy_title: "Terms of use and personal data",
    privacy_link: "Personal data and terms of use",
};

#[cfg(test)]
mod tests {
    use super::*;

    /// The transcript and the captions say the same thing, in the same order.
    #[test]
    fn transcript_matches_the_captions() {
        for (texts, file) in [(&FR, "fr"), (&EN, "en")] {
            let vtt = std::fs::read_to_string(format!(
                "{}/static/media/video-institutionnelle.{file}.vtt",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap();
            let cues: Vec<&str> = vtt.split("\n\n").skip(1).collect();
            assert_eq!(cues.len(), texts.video_slides.len(), "{file}");
            for (cue, (title, text)) in cues.iter().zip(texts.video_slides) {
                let lines: Vec<&str> = cue.lines().collect();
                assert_eq!(&lines[2..], &[*title, *text], "{file}");
            }
        }
    }
}
