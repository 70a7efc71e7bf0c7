//! The administration's own words beyond the forms' labels (`admin.rs`): its pages, what each
//! save changed, and the questions asked before anything is deactivated, revoked or removed.

use super::Lang;

#[derive(Debug)]
pub struct ManageTexts {
    pub overview_intro: &'static str,
    pub pages_label: &'static str,
    pub templates: &'static str,
    pub templates_hint: &'static str,
    pub template_title: &'static str,
    pub template_text: &'static str,
    pub template_all: &'static str,
    pub add_template: &'static str,
    pub no_template: &'static str,
    pub status: &'static str,
    pub status_active: &'static str,
    pub status_inactive: &'static str,
    pub you: &'static str,
    pub cancel: &'static str,
    pub choose_body: &'static str,
    pub show: &'static str,
    pub deactivate_consequence: &'static str,
    pub revoke_consequence: &'static str,
    pub holiday_consequence: &'static str,
    pub theme_consequence: &'static str,
    pub template_consequence: &'static str,
    pub self_deactivate: &'static str,
    pub retried: &'static str,
    pub on: &'static str,
    pub off: &'static str,
}

pub static FR: ManageTexts = ManageTexts {
    overview_intro: "Choisissez ce que vous voulez gérer.",
    pages_label: "Pages de l'administration",
    templates: "Modèles de réponse",
    templates_hint: "Des textes que les points focaux insèrent dans leur réponse puis adaptent : pour un organisme, ou pour tous.",
    template_title: "Titre",
    template_text: "Texte",
    template_all: "Tous les organismes",
    add_template: "Ajouter le modèle",
    no_template: "Aucun modèle pour l'instant.",
    status: "Statut",
    status_active: "Actif",
    status_inactive: "Désactivé",
    you: "(vous)",
    cancel: "Annuler",
    choose_body: "Organisme",
    show: "Afficher ses thèmes",
    deactivate_consequence: "Cette personne ne pourra plus se connecter et ses sessions ouvertes prennent fin. Vous pourrez réactiver le compte.",
    revoke_consequence: "Les applications qui l'utilisent sont refusées aussitôt. Une clé révoquée ne peut pas être rétablie.",
    holiday_consequence: "Les échéances calculées à partir de maintenant compteront ce jour comme ouvré.",
    theme_consequence: "Il n'est plus proposé aux citoyens ; les requêtes existantes le gardent. Vous pourrez le réactiver.",
    template_consequence: "Il n'est plus proposé dans les réponses.",
    self_deactivate: "Vous ne pouvez pas désactiver votre propre compte.",
    retried: "Notification remise dans la file d'envoi.",
    on: "activé",
    off: "désactivé",
};

pub static EN: ManageTexts = ManageTexts {
    overview_intro: "Choose what to manage.",
    pages_label: "Administration pages",
    templates: "Answer templates",
    templates_hint: "Texts focal points insert in their answer and adapt: for one body, or for all.",
    template_title: "Title",
    template_text: "Text",
    template_all: "Every body",
    add_template: "Add the template",
    no_template: "No template yet.",
    status: "Status",
    status_active: "Active",
    status_inactive: "Deactivated",
    you: "(you)",
    cancel: "Cancel",
    choose_body: "Body",
    show: "Show its themes",
    deactivate_consequence: "This person can no longer sign in and their open sessions end. You can reactivate the account.",
    revoke_consequence: "Applications using it are refused at once. A revoked key cannot be restored.",
    holiday_consequence: "Deadlines computed from now on count this day as a working day.",
    theme_consequence: "Citizens are no longer offered it; existing requests keep it. You can reactivate it.",
    template_consequence: "It is no longer offered in answers.",
    self_deactivate: "You cannot deactivate your own account.",
    retried: "Notification put back in the sending queue.",
    on: "on",
    off: "off",
};

/// What a save changed, named: each variant carries the names the sentence needs.
pub enum Done<'a> {
    StaffCreated { name: &'a str, email: &'a str, role: &'a str },
    StaffDeactivated(&'a str),
    StaffReactivated(&'a str),
    BodyCreated(&'a str),
    BodySaved(&'a str),
    ThemeAdded { body: &'a str, label: &'a str },
    ThemeDeactivated(&'a str),
    ThemeReactivated(&'a str),
    HolidaySaved { day: &'a str, label: &'a str },
    HolidayRemoved(&'a str),
    KeyCreated { name: &'a str, key: &'a str },
    KeyRevoked(&'a str),
    TemplateAdded(&'a str),
    TemplateRemoved(&'a str),
    Channels { mail: bool, sms: bool },
}

#[cfg(feature = "office")]
pub fn done(lang: Lang, d: Done<'_>) -> String {
    let t = lang.texts().manage;
    let onoff = |b: bool| if b { t.on } else { t.off };
    match (lang, d) {
        (Lang::Fr, Done::StaffCreated { name, email, role }) => {
            format!("Agent ajouté : {name} ({email}), {role}. Une invitation à se connecter lui a été envoyée.")
        }
        (Lang::Fr, Done::StaffDeactivated(name)) => format!("Compte de {name} désactivé."),
        (Lang::Fr, Done::StaffReactivated(name)) => format!("Compte de {name} réactivé."),
        (Lang::Fr, Done::BodyCreated(name)) => format!("Organisme ajouté : {name}."),
        (Lang::Fr, Done::BodySaved(name)) => format!("Organisme enregistré : {name}."),
        (Lang::Fr, Done::ThemeAdded { body, label }) => format!("Thème ajouté à {body} : {label}."),
        (Lang::Fr, Done::ThemeDeactivated(label)) => format!("Thème « {label} » désactivé."),
        (Lang::Fr, Done::ThemeReactivated(label)) => format!("Thème « {label} » réactivé."),
        (Lang::Fr, Done::HolidaySaved { day, label }) => {
            format!("Jour férié enregistré : {day} — {label}.")
        }
        (Lang::Fr, Done::HolidayRemoved(day)) => format!("Jour férié retiré : {day}."),
        (Lang::Fr, Done::KeyCreated { name, key }) => format!(
            "Clé « {name} » créée. Copiez-la maintenant, elle ne sera plus affichée : {key}"
        ),
        (Lang::Fr, Done::KeyRevoked(name)) => format!("Clé « {name} » révoquée."),
        (Lang::Fr, Done::TemplateAdded(title)) => format!("Modèle ajouté : {title}."),
        (Lang::Fr, Done::TemplateRemoved(title)) => format!("Modèle retiré : {title}."),
        (Lang::Fr, Done::Channels { mail, sms }) => {
            format!("Notifications aux citoyens : courriel {}, SMS {}.", onoff(mail), onoff(sms))
        }
        (Lang::En, Done::StaffCreated { name, email, role }) => {
            format!("Staff member added: {name} ({email}), {role}. An invitation to sign in was sent to them.")
        }
        (Lang::En, Done::StaffDeactivated(name)) => format!("{name}'s account deactivated."),
        (Lang::En, Done::StaffReactivated(name)) => format!("{name}'s account reactivated."),
        (Lang::En, Done::BodyCreated(name)) => format!("Body added: {name}."),
        (Lang::En, Done::BodySaved(name)) => format!("Body saved: {name}."),
        (Lang::En, Done::ThemeAdded { body, label }) => format!("Theme added to {body}: {label}."),
        (Lang::En, Done::ThemeDeactivated(label)) => format!("Theme «{label}» deactivated."),
        (Lang::En, Done::ThemeReactivated(label)) => format!("Theme «{label}» reactivated."),
        (Lang::En, Done::HolidaySaved { day, label }) => {
            format!("Public holiday saved: {day} — {label}.")
        }
        (Lang::En, Done::HolidayRemoved(day)) => format!("Public holiday removed: {day}."),
        (Lang::En, Done::KeyCreated { name, key }) => {
            format!("Key «{name}» created. Copy it now, it will not be shown again: {key}")
        }
        (Lang::En, Done::KeyRevoked(name)) => format!("Key «{name}» revoked."),
        (Lang::En, Done::TemplateAdded(title)) => format!("Template added: {title}."),
        (Lang::En, Done::TemplateRemoved(title)) => format!("Template removed: {title}."),
        (Lang::En, Done::Channels { mail, sms }) => {
            format!("Notifications to citizens: email {}, SMS {}.", onoff(mail), onoff(sms))
        }
    }
}

/// The question before a destructive action.
pub enum Ask<'a> {
    Deactivate(&'a str),
    Revoke(&'a str),
    RemoveHoliday { day: &'a str, label: &'a str },
    DeactivateTheme(&'a str),
    RemoveTemplate(&'a str),
}

pub fn ask(lang: Lang, a: Ask<'_>) -> String {
    match (lang, a) {
        (Lang::Fr, Ask::Deactivate(name)) => format!("Désactiver le compte de {name} ?"),
        (Lang::Fr, Ask::Revoke(name)) => format!("Révoquer la clé « {name} » ?"),
        (Lang::Fr, Ask::RemoveHoliday { day, label }) => {
            format!("Retirer le jour férié du {day} ({label}) ?")
        }
        (Lang::Fr, Ask::DeactivateTheme(label)) => format!("Désactiver le thème « {label} » ?"),
        (Lang::Fr, Ask::RemoveTemplate(title)) => format!("Retirer le modèle « {title} » ?"),
        (Lang::En, Ask::Deactivate(name)) => format!("Deactivate {name}'s account?"),
        (Lang::En, Ask::Revoke(name)) => format!("Revoke the key «{name}»?"),
        (Lang::En, Ask::RemoveHoliday { day, label }) => {
            format!("Remove the public holiday of {day} ({label})?")
        }
        (Lang::En, Ask::DeactivateTheme(label)) => format!("Deactivate the theme «{label}»?"),
        (Lang::En, Ask::RemoveTemplate(title)) => format!("Remove the template «{title}»?"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals_and_names_are_right() {
        assert!(done(Lang::Fr, Done::StaffDeactivated("Awa Koné")).contains("Awa Koné"));
        assert_eq!(
            done(Lang::Fr, Done::Channels { mail: true, sms: false }),
            "Notifications aux citoyens : courriel activé, SMS désactivé."
        );
        assert!(ask(Lang::En, Ask::Revoke("FixMyStreet")).ends_with('?'));
    }
}
