//! Notifications (mail and SMS): every template in French and English, rendered from an outbox
//! payload. Pure: the queue consumer renders, the provider adapters send.

pub mod sms;

use askama::Template as _;
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

/// What happened, and so which message is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    RequestRegistered,
    SentBackForReformulation,
    Validated,
    ForwardedForInformation,
    Treated,
    AnalystReply,
    Reopened,
    VerdictReminder,
    StaffNewRequest,
    StaffAssigned,
    StaffDeadline,
    /// «Code requête oublié ?»: the codes of an address's requests.
    ForgottenCodes,
    /// A staff member's one-time sign-in link.
    StaffSignIn,
    /// The daily list of a staff member's requests near or past their deadline.
    StaffDigest,
    /// To supervisors and admins: requests at twice their deadline.
    StaffEscalation,
}

impl Template {
    pub const ALL: [Template; 15] = [
        Template::RequestRegistered,
        Template::SentBackForReformulation,
        Template::Validated,
        Template::ForwardedForInformation,
        Template::Treated,
        Template::AnalystReply,
        Template::Reopened,
        Template::VerdictReminder,
        Template::StaffNewRequest,
        Template::StaffAssigned,
        Template::StaffDeadline,
        Template::ForgottenCodes,
        Template::StaffSignIn,
        Template::StaffDigest,
        Template::StaffEscalation,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Template::RequestRegistered => "request_registered",
            Template::SentBackForReformulation => "sent_back",
            Template::Validated => "validated",
            Template::ForwardedForInformation => "forwarded",
            Template::Treated => "treated",
            Template::AnalystReply => "analyst_reply",
            Template::Reopened => "reopened",
            Template::VerdictReminder => "verdict_reminder",
            Template::StaffNewRequest => "staff_new_request",
            Template::StaffAssigned => "staff_assigned",
            Template::StaffDeadline => "staff_deadline",
            Template::ForgottenCodes => "forgotten_codes",
            Template::StaffSignIn => "staff_sign_in",
            Template::StaffDigest => "staff_digest",
            Template::StaffEscalation => "staff_escalation",
        }
    }

    pub fn parse(slug: &str) -> Option<Template> {
        Template::ALL.into_iter().find(|t| t.slug() == slug)
    }
}

/// The values a template may use, stored as JSON in the outbox row. Absent values are empty, and
/// a template that needs one refuses to render rather than send a blank.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Payload {
    pub code: String,
    /// Nature slug: reclamation, observation, suggestion.
    pub nature: String,
    /// The body's name.
    pub body: String,
    /// A message from staff (reformulation request, treatment, reply), when the event has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// A deadline, already formatted for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    /// Lines of a list (the forgotten codes), already formatted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<String>,
    /// The link the message leads to, when it is not the request's tracking page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// The random reference a one-time secret is derived from at send time (sign-in links): the
    /// outbox never holds the secret itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenderError {
    /// The payload lacks a value the template shows: never send a mail with a hole in it.
    Missing(&'static str),
    UnknownNature(String),
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RenderError::Missing(what) => write!(f, "payload lacks {what}"),
            RenderError::UnknownNature(n) => write!(f, "unknown nature {n:?}"),
        }
    }
}

pub struct Email {
    pub subject: String,
    pub html: String,
    pub text: String,
}

/// Texts of one template in one language; `{code}`, `{nature}`, `{body}`, `{note}`, `{deadline}`
/// are filled from the payload. `{nature}` is the nature's name in lower case inside sentences.
struct Texts {
    subject: &'static str,
    lines: &'static [&'static str],
    /// Shown as a quotation below the lines when present.
    quote_note: bool,
    /// The payload's items are listed below the lines.
    list_items: bool,
    action: &'static str,
    sms: &'static str,
}

fn texts(template: Template, lang: Lang) -> Texts {
    use Template::*;
    match (template, lang) {
        (RequestRegistered, Lang::Fr) => Texts {
            subject: "Votre {nature} n° {code} est enregistrée",
            lines: &[
                "Bienvenue sur le Portail du citoyen Miliê.",
                "Votre {Nature} a bien été enregistrée. Le numéro de la demande est : {code}.",
                "Veuillez noter ce numéro : il vous servira pour suivre l'état d'avancement du traitement.",
                "Organisme : {body}.",
                "Un analyste va d'abord examiner votre requête ; vous serez informé(e) de chaque étape.",
            ],
            quote_note: false,
            list_items: false,
            action: "Suivre ma requête",
            sms: "Miliê : votre {nature} est enregistrée sous le numéro {code}. Suivi : {link}",
        },
        (RequestRegistered, Lang::En) => Texts {
            subject: "Your {nature} no. {code} is registered",
            lines: &[
                "Welcome to Miliê, the citizens' portal.",
                "Your {nature} has been registered. The request number is: {code}.",
                "Please keep this number: you will need it to follow how your request is handled.",
                "Public body: {body}.",
                "An analyst will first examine your request; you will be told of every step.",
            ],
            quote_note: false,
            list_items: false,
            action: "Track my request",
            sms: "Milie: your {nature} is registered under number {code}. Track it: {link}",
        },
        (SentBackForReformulation, Lang::Fr) => Texts {
            subject: "Votre requête n° {code} est à reformuler",
            lines: &[
                "L'analyste a examiné votre {nature} n° {code} adressée à : {body}.",
                "Il vous demande de la reformuler avant de pouvoir la transmettre :",
            ],
            quote_note: true,
            list_items: false,
            action: "Modifier ma requête",
            sms: "Miliê : votre requête {code} est à reformuler. Voir : {link}",
        },
        (SentBackForReformulation, Lang::En) => Texts {
            subject: "Your request no. {code} needs rewording",
            lines: &[
                "The analyst has examined your {nature} no. {code} to: {body}.",
                "They ask you to reword it before it can be passed on:",
            ],
            quote_note: true,
            list_items: false,
            action: "Edit my request",
            sms: "Milie: your request {code} needs rewording. See: {link}",
        },
        (Validated, Lang::Fr) => Texts {
            subject: "Votre réclamation n° {code} est transmise",
            lines: &[
                "Votre réclamation n° {code} a été jugée recevable.",
                "Elle est transmise à : {body}, qui va la traiter (étape 2). Vous serez informé(e) de sa réponse.",
            ],
            quote_note: false,
            list_items: false,
            action: "Suivre ma requête",
            sms: "Miliê : votre réclamation {code} est recevable et transmise à l'organisme. Suivi : {link}",
        },
        (Validated, Lang::En) => Texts {
            subject: "Your complaint no. {code} has been passed on",
            lines: &[
                "Your complaint no. {code} has been found admissible.",
                "It has been passed on to: {body}, which will handle it (stage 2). You will be told of its answer.",
            ],
            quote_note: false,
            list_items: false,
            action: "Track my request",
            sms: "Milie: your complaint {code} is admissible and passed on to the body. Track: {link}",
        },
        (ForwardedForInformation, Lang::Fr) => Texts {
            subject: "Votre {nature} n° {code} a été transmise",
            lines: &[
                "Votre {nature} n° {code} a été lue par l'analyste.",
                "Elle est mise à la disposition de : {body}, pour prise en compte. Merci de votre contribution.",
            ],
            quote_note: false,
            list_items: false,
            action: "Voir ma requête",
            sms: "Miliê : votre {nature} {code} a été lue et transmise à l'organisme. Merci.",
        },
        (ForwardedForInformation, Lang::En) => Texts {
            subject: "Your {nature} no. {code} has been passed on",
            lines: &[
                "Your {nature} no. {code} has been read by the analyst.",
                "It has been made available to: {body}, to be taken into account. Thank you for your contribution.",
            ],
            quote_note: false,
            list_items: false,
            action: "See my request",
            sms: "Milie: your {nature} {code} has been read and passed on to the body. Thank you.",
        },
        (Treated, Lang::Fr) => Texts {
            subject: "Réponse à votre réclamation n° {code}",
            lines: &["{body} a traité votre réclamation n° {code}. Message du ministère :"],
            quote_note: true,
            list_items: false,
            action: "Lire et donner mon avis",
            sms: "Miliê : l'organisme a répondu à votre réclamation {code}. Donnez votre avis : {link}",
        },
        (Treated, Lang::En) => Texts {
            subject: "Answer to your complaint no. {code}",
            lines: &["{body} has handled your complaint no. {code}. Its message:"],
            quote_note: true,
            list_items: false,
            action: "Read and give my opinion",
            sms: "Milie: the body has answered your complaint {code}. Give your opinion: {link}",
        },
        (AnalystReply, Lang::Fr) => Texts {
            subject: "Message de l'analyste sur votre requête n° {code}",
            lines: &["L'analyste vous a répondu au sujet de votre {nature} n° {code} ({body}) :"],
            quote_note: true,
            list_items: false,
            action: "Lire le retour",
            sms: "Miliê : l'analyste a répondu au sujet de votre requête {code}. Voir : {link}",
        },
        (AnalystReply, Lang::En) => Texts {
            subject: "Message from the analyst on your request no. {code}",
            lines: &["The analyst has answered about your {nature} no. {code} ({body}):"],
            quote_note: true,
            list_items: false,
            action: "Read the answer",
            sms: "Milie: the analyst has answered about your request {code}. See: {link}",
        },
        (Reopened, Lang::Fr) => Texts {
            subject: "Votre requête n° {code} est relancée",
            lines: &["Vous avez relancé votre {nature} n° {code}.", "Elle sera de nouveau traitée par : {body}."],
            quote_note: false,
            list_items: false,
            action: "Suivre ma requête",
            sms: "Miliê : votre requête {code} est relancée. Suivi : {link}",
        },
        (Reopened, Lang::En) => Texts {
            subject: "Your request no. {code} has been reopened",
            lines: &["You have reopened your {nature} no. {code}.", "It will be handled again by: {body}."],
            quote_note: false,
            list_items: false,
            action: "Track my request",
            sms: "Milie: your request {code} has been reopened. Track: {link}",
        },
        (VerdictReminder, Lang::Fr) => Texts {
            subject: "Votre avis sur le traitement de la réclamation n° {code}",
            lines: &[
                "{body} a traité votre réclamation n° {code}.",
                "Êtes-vous satisfait, partiellement satisfait ou non satisfait ? Vous pouvez aussi relancer la requête.",
            ],
            quote_note: false,
            list_items: false,
            action: "Donner mon avis",
            sms: "Miliê : donnez votre avis sur la réponse à votre réclamation {code} : {link}",
        },
        (VerdictReminder, Lang::En) => Texts {
            subject: "Your opinion on the handling of complaint no. {code}",
            lines: &[
                "{body} has handled your complaint no. {code}.",
                "Are you satisfied, partly satisfied or not satisfied? You can also reopen the request.",
            ],
            quote_note: false,
            list_items: false,
            action: "Give my opinion",
            sms: "Milie: give your opinion on the answer to your complaint {code}: {link}",
        },
        (StaffNewRequest, Lang::Fr) => Texts {
            subject: "Nouvelle requête n° {code} à examiner",
            lines: &["Une nouvelle {nature} (n° {code}) adressée à {body} attend l'examen d'un analyste."],
            quote_note: false,
            list_items: false,
            action: "Ouvrir la file d'attente",
            sms: "Miliê : nouvelle requête {code} à examiner.",
        },
        (StaffNewRequest, Lang::En) => Texts {
            subject: "New request no. {code} to examine",
            lines: &["A new {nature} (no. {code}) to {body} is waiting for an analyst."],
            quote_note: false,
            list_items: false,
            action: "Open the queue",
            sms: "Milie: new request {code} to examine.",
        },
        (StaffAssigned, Lang::Fr) => Texts {
            subject: "Réclamation n° {code} à traiter",
            lines: &["La réclamation n° {code} a été transmise à {body}.", "Échéance de traitement : {deadline}."],
            quote_note: false,
            list_items: false,
            action: "Traiter la réclamation",
            sms: "Miliê : réclamation {code} à traiter avant le {deadline}.",
        },
        (StaffAssigned, Lang::En) => Texts {
            subject: "Complaint no. {code} to handle",
            lines: &["Complaint no. {code} has been passed on to {body}.", "Deadline for handling: {deadline}."],
            quote_note: false,
            list_items: false,
            action: "Handle the complaint",
            sms: "Milie: complaint {code} to handle by {deadline}.",
        },
        (StaffDeadline, Lang::Fr) => Texts {
            subject: "Échéance de la requête n° {code}",
            lines: &["La requête n° {code} ({body}) arrive à échéance ou l'a dépassée : {deadline}."],
            quote_note: false,
            list_items: false,
            action: "Ouvrir la requête",
            sms: "Miliê : la requête {code} est à échéance ({deadline}).",
        },
        (ForgottenCodes, Lang::Fr) => Texts {
            subject: "Vos codes de requête",
            lines: &["Vous avez demandé les codes des requêtes soumises avec cette adresse électronique. Les voici :"],
            quote_note: false,
            list_items: true,
            action: "Suivre une requête",
            sms: "Miliê : vos codes de requête ont été envoyés par mail.",
        },
        (ForgottenCodes, Lang::En) => Texts {
            subject: "Your request codes",
            lines: &["You asked for the codes of the requests submitted with this email address. Here they are:"],
            quote_note: false,
            list_items: true,
            action: "Track a request",
            sms: "Milie: your request codes have been sent by email.",
        },
        (StaffSignIn, Lang::Fr) => Texts {
            subject: "Votre lien de connexion",
            lines: &[
                "Voici votre lien de connexion à l'espace agents de Miliê. Il est valable 10 minutes et ne sert qu'une fois.",
                "Si vous n'avez pas demandé à vous connecter, ignorez ce message.",
            ],
            quote_note: false,
            list_items: false,
            action: "Me connecter",
            sms: "Miliê : votre lien de connexion a été envoyé par mail.",
        },
        (StaffSignIn, Lang::En) => Texts {
            subject: "Your sign-in link",
            lines: &[
                "Here is your link to sign in to Miliê's staff area. It is valid for 10 minutes and works once.",
                "If you did not ask to sign in, ignore this message.",
            ],
            quote_note: false,
            list_items: false,
            action: "Sign me in",
            sms: "Milie: your sign-in link has been sent by email.",
        },
        (StaffDigest, Lang::Fr) => Texts {
            subject: "Requêtes à échéance",
            lines: &["Voici les requêtes qui vous attendent et arrivent à échéance ou l'ont dépassée :"],
            quote_note: false,
            list_items: true,
            action: "Ouvrir la file d'attente",
            sms: "Miliê : des requêtes arrivent à échéance, voir le mail.",
        },
        (StaffDigest, Lang::En) => Texts {
            subject: "Requests at their deadline",
            lines: &["These requests are waiting for you and are at or past their deadline:"],
            quote_note: false,
            list_items: true,
            action: "Open the queue",
            sms: "Milie: requests are at their deadline, see the email.",
        },
        (StaffEscalation, Lang::Fr) => Texts {
            subject: "Escalade : requêtes au double de leur délai",
            lines: &["Ces requêtes ont dépassé deux fois leur délai d'examen ou de traitement :"],
            quote_note: false,
            list_items: true,
            action: "Ouvrir l'espace agents",
            sms: "Miliê : des requêtes ont dépassé deux fois leur délai, voir le mail.",
        },
        (StaffEscalation, Lang::En) => Texts {
            subject: "Escalation: requests at twice their deadline",
            lines: &["These requests are past twice their triage or treatment deadline:"],
            quote_note: false,
            list_items: true,
            action: "Open the staff area",
            sms: "Milie: requests are past twice their deadline, see the email.",
        },
        (StaffDeadline, Lang::En) => Texts {
            subject: "Deadline of request no. {code}",
            lines: &["Request no. {code} ({body}) is at or past its deadline: {deadline}."],
            quote_note: false,
            list_items: false,
            action: "Open the request",
            sms: "Milie: request {code} is at its deadline ({deadline}).",
        },
    }
}

fn nature_name(slug: &str, lang: Lang) -> Result<&'static str, RenderError> {
    let nature = crate::domain::nature::Nature::parse(slug).map_err(|_| RenderError::UnknownNature(slug.to_owned()))?;
    Ok(lang.texts().nature(nature))
}

/// Fills the placeholders; a placeholder whose value is missing is an error, not a blank.
fn fill(text: &str, p: &Payload, lang: Lang, link: &str) -> Result<String, RenderError> {
    let nature = if text.contains("{nature}") || text.contains("{Nature}") { Some(nature_name(&p.nature, lang)?) } else { None };
    let mut out = text.to_owned();
    let values: [(&str, Option<&str>, &'static str); 7] = [
        ("{code}", Some(p.code.as_str()).filter(|c| !c.is_empty()), "code"),
        ("{Nature}", nature, "nature"),
        ("{nature}", nature, "nature"),
        ("{body}", Some(p.body.as_str()).filter(|b| !b.is_empty()), "body"),
        ("{note}", p.note.as_deref(), "note"),
        ("{deadline}", p.deadline.as_deref(), "deadline"),
        ("{link}", Some(link), "link"),
    ];
    for (placeholder, value, name) in values {
        if out.contains(placeholder) {
            let value = value.ok_or(RenderError::Missing(name))?;
            let value = if placeholder == "{nature}" { value.to_lowercase() } else { value.to_owned() };
            out = out.replace(placeholder, &value);
        }
    }
    Ok(out)
}

#[derive(askama::Template)]
#[template(path = "mail.html")]
struct MailHtml<'a> {
    lang: &'a str,
    subject: &'a str,
    lines: &'a [String],
    items: &'a [String],
    note: Option<&'a str>,
    action: &'a str,
    link: &'a str,
    footer: &'a str,
}

fn footer(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "Miliê — Portail du citoyen. Ce message vous est envoyé automatiquement : merci de ne pas y répondre.",
        Lang::En => "Miliê — citizens' portal. This message is sent automatically: please do not reply to it.",
    }
}

/// The mail for an event: subject, HTML and plain text saying the same.
pub fn render_email(template: Template, lang: Lang, payload: &Payload, link: &str) -> Result<Email, RenderError> {
    let t = texts(template, lang);
    let subject = format!("Miliê — {}", fill(t.subject, payload, lang, link)?);
    let lines = t.lines.iter().map(|l| fill(l, payload, lang, link)).collect::<Result<Vec<_>, _>>()?;
    let note = if t.quote_note { Some(payload.note.as_deref().ok_or(RenderError::Missing("note"))?) } else { None };
    let items: &[String] = if t.list_items { &payload.items } else { &[] };
    let html = MailHtml { lang: lang.code(), subject: &subject, lines: &lines, items, note, action: t.action, link, footer: footer(lang) }
        .render()
        .map_err(|_| RenderError::Missing("template"))?;
    let items: &[String] = if t.list_items {
        if payload.items.is_empty() {
            return Err(RenderError::Missing("items"));
        }
        &payload.items
    } else {
        &[]
    };
    let mut text = lines.join("\n\n");
    for item in items {
        text.push_str(&format!("\n- {item}"));
    }
    if let Some(note) = note {
        text.push_str(&format!("\n\n« {note} »"));
    }
    text.push_str(&format!("\n\n{} : {link}\n\n-- \n{}\n", t.action, footer(lang)));
    Ok(Email { subject, html, text })
}

/// The SMS for an event, in GSM-7 so it fits one message where the wording allows.
pub fn render_sms(template: Template, lang: Lang, payload: &Payload, link: &str) -> Result<String, RenderError> {
    Ok(sms::to_gsm7(&fill(texts(template, lang).sms, payload, lang, link)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payload() -> Payload {
        Payload {
            code: "42568096".into(),
            nature: "reclamation".into(),
            body: "Ministère des Eaux et Forêts".into(),
            note: Some("Merci de préciser la date <b>exacte</b>.".into()),
            deadline: Some("28/01/2027".into()),
            items: vec!["42568096 — Réclamation — Ministère des Eaux et Forêts — 3/2/2019".into()],
            link: None,
            secret_ref: None,
        }
    }

    #[test]
    fn the_list_of_forgotten_codes_needs_only_its_items() {
        let p = Payload { items: vec!["12345678 — Suggestion — Ministère — 1/1/2026".into()], ..Default::default() };
        let mail = render_email(Template::ForgottenCodes, Lang::Fr, &p, LINK).unwrap();
        assert!(mail.text.contains("- 12345678 — Suggestion"));
        assert_eq!(render_email(Template::ForgottenCodes, Lang::Fr, &Payload::default(), LINK).err(), Some(RenderError::Missing("items")));
    }
    /// As long as a real signed tracking link.
    const LINK: &str = "https://milie.ci/suivi/42568096?t=AAAAAAAAAAAAAAAAAAAAAAAAAAA";

    #[test]
    fn the_confirmation_mail_is_the_guides() {
        let mail = render_email(Template::RequestRegistered, Lang::Fr, &payload(), LINK).unwrap();
        assert_eq!(mail.subject, "Miliê — Votre réclamation n° 42568096 est enregistrée");
        assert!(mail.text.starts_with("Bienvenue sur le Portail du citoyen Miliê."));
        assert!(mail.text.contains("Votre Réclamation a bien été enregistrée. Le numéro de la demande est : 42568096."));
        assert!(mail.text.contains("Organisme : Ministère des Eaux et Forêts."));
        assert!(mail.html.contains(&format!(r#"href="{LINK}""#)));
        assert!(mail.html.contains("42568096"));
    }

    #[test]
    fn every_template_renders_in_both_languages_without_holes() {
        for template in Template::ALL {
            assert_eq!(Template::parse(template.slug()), Some(template));
            for lang in [Lang::Fr, Lang::En] {
                let mail = render_email(template, lang, &payload(), LINK).unwrap();
                let sms = render_sms(template, lang, &payload(), LINK).unwrap();
                for text in [&mail.subject, &mail.text, &mail.html, &sms] {
                    assert!(!text.contains('{') && !text.contains('}'), "{template:?} {lang:?}: {text}");
                }
                // Every message names the request it is about (the list of codes names them all).
                let about_one = !matches!(template, Template::ForgottenCodes | Template::StaffSignIn | Template::StaffDigest | Template::StaffEscalation);
                for text in [&mail.text, &mail.html] {
                    assert!(!about_one || text.contains("42568096"), "{template:?} {lang:?} states the code: {text}");
                }
                if about_one {
                    assert!(mail.subject.contains("42568096") && sms.contains("42568096"), "{template:?} {lang:?}");
                }
                assert!(mail.html.starts_with("<!doctype html>"));
                assert!(sms::septets(&sms) <= sms::SINGLE_SMS, "{template:?} {lang:?}: {} septets: {sms}", sms::septets(&sms));
                assert_eq!(sms, sms::to_gsm7(&sms), "SMS is GSM-7");
            }
        }
    }

    #[test]
    fn staff_notes_are_escaped_in_html_and_kept_in_text() {
        let mail = render_email(Template::Treated, Lang::Fr, &payload(), LINK).unwrap();
        assert!(!mail.html.contains("<b>exacte</b>"));
        assert!(mail.html.contains("&#60;b&#62;exacte&#60;/b&#62;"));
        assert!(mail.text.contains("« Merci de préciser la date <b>exacte</b>. »"));
    }

    #[test]
    fn a_missing_value_is_an_error_not_a_blank() {
        let mut p = payload();
        p.note = None;
        assert_eq!(render_email(Template::Treated, Lang::Fr, &p, LINK).err(), Some(RenderError::Missing("note")));
        p.deadline = None;
        assert_eq!(render_sms(Template::StaffAssigned, Lang::En, &p, LINK).err(), Some(RenderError::Missing("deadline")));
        let mut p = payload();
        p.code.clear();
        assert_eq!(render_sms(Template::RequestRegistered, Lang::Fr, &p, LINK).err(), Some(RenderError::Missing("code")));
        let mut p = payload();
        p.nature = "plainte".into();
        assert!(matches!(render_email(Template::RequestRegistered, Lang::Fr, &p, LINK), Err(RenderError::UnknownNature(_))));
    }

    #[test]
    fn confirmation_sms_is_transliterated_and_fits() {
        let sms = render_sms(Template::RequestRegistered, Lang::Fr, &payload(), "https://milie.ci/suivi").unwrap();
        assert_eq!(sms, "Milie : votre réclamation est enregistrée sous le numéro 42568096. Suivi : https://milie.ci/suivi");
    }
}
