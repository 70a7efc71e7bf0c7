//! Notifications (mail and SMS): every template in French and English, rendered from an outbox
//! payload. Pure: the queue consumer renders, the provider adapters send.

mod followers;
pub mod sms;
mod texts;

pub use texts::reply_hint;
use texts::{texts, Quote};

use askama::Template as _;
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

pub use crate::domain::notification::Template;

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
    /// A staff alert's kind (`domain::notice::Alert`), or a channel answer's
    /// (`domain::sms_command::Answer`), worded when the message is rendered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    /// How to answer by SMS (the verdict's messages): set when rendered, never stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<String>,
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

fn nature_name(slug: &str, lang: Lang) -> Result<&'static str, RenderError> {
    let nature = crate::domain::nature::Nature::parse(slug)
        .map_err(|_| RenderError::UnknownNature(slug.to_owned()))?;
    Ok(lang.texts().nature(nature))
}

/// Fills the placeholders; a placeholder whose value is missing is an error, not a blank.
fn fill(text: &str, p: &Payload, lang: Lang, link: &str) -> Result<String, RenderError> {
    let nature = if text.contains("{nature}") || text.contains("{Nature}") {
        Some(nature_name(&p.nature, lang)?)
    } else {
        None
    };
    let mut out = text.to_owned();
    let items = (!p.items.is_empty()).then(|| p.items.join(", "));
    let values: [(&str, Option<&str>, &'static str); 9] = [
        // First: the hint names the code itself. Empty when there is none.
        ("{reply}", Some(p.reply.as_deref().unwrap_or("")), "reply"),
        ("{code}", Some(p.code.as_str()).filter(|c| !c.is_empty()), "code"),
        ("{Nature}", nature, "nature"),
        ("{nature}", nature, "nature"),
        ("{body}", Some(p.body.as_str()).filter(|b| !b.is_empty()), "body"),
        ("{note}", p.note.as_deref(), "note"),
        ("{deadline}", p.deadline.as_deref(), "deadline"),
        ("{link}", Some(link), "link"),
        ("{items}", items.as_deref(), "items"),
    ];
    for (placeholder, value, name) in values {
        if out.contains(placeholder) {
            let value = value.ok_or(RenderError::Missing(name))?;
            let value =
                if placeholder == "{nature}" { value.to_lowercase() } else { value.to_owned() };
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
pub fn render_email(
    template: Template,
    lang: Lang,
    payload: &Payload,
    link: &str,
) -> Result<Email, RenderError> {
    let t = texts(template, lang);
    let subject = format!("Miliê — {}", fill(t.subject, payload, lang, link)?);
    let lines =
        t.lines.iter().map(|l| fill(l, payload, lang, link)).collect::<Result<Vec<_>, _>>()?;
    let note = match t.quote {
        Quote::No => None,
        Quote::Required => Some(payload.note.as_deref().ok_or(RenderError::Missing("note"))?),
        Quote::IfAny => payload.note.as_deref().filter(|n| !n.trim().is_empty()),
    };
    let items: &[String] = if t.list_items { &payload.items } else { &[] };
    let html = MailHtml {
        lang: lang.code(),
        subject: &subject,
        lines: &lines,
        items,
        note,
        action: t.action,
        link,
        footer: footer(lang),
    }
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
pub fn render_sms(
    template: Template,
    lang: Lang,
    payload: &Payload,
    link: &str,
) -> Result<String, RenderError> {
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
            event: None,
            reply: None,
        }
    }

    #[test]
    fn the_list_of_forgotten_codes_needs_only_its_items() {
        let p = Payload {
            items: vec!["12345678 — Suggestion — Ministère — 1/1/2026".into()],
            ..Default::default()
        };
        let mail = render_email(Template::ForgottenCodes, Lang::Fr, &p, LINK).unwrap();
        assert!(mail.text.contains("- 12345678 — Suggestion"));
        assert_eq!(
            render_email(Template::ForgottenCodes, Lang::Fr, &Payload::default(), LINK).err(),
            Some(RenderError::Missing("items"))
        );
    }
    /// As long as a real signed tracking link.
    const LINK: &str = "https://milie.ci/suivi/42568096?t=AAAAAAAAAAAAAAAAAAAAAAAAAAA";

    #[test]
    fn the_confirmation_mail_is_the_guides() {
        let mail = render_email(Template::RequestRegistered, Lang::Fr, &payload(), LINK).unwrap();
        assert_eq!(mail.subject, "Miliê — Votre réclamation n° 42568096 est enregistrée");
        assert!(mail.text.starts_with("Bienvenue sur le Portail du citoyen Miliê."));
        assert!(mail.text.contains(
            "Votre Réclamation a bien été enregistrée. Le numéro de la demande est : 42568096."
        ));
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
                    assert!(
                        !text.contains('{') && !text.contains('}'),
                        "{template:?} {lang:?}: {text}"
                    );
                }
                // Every message names the request it is about (the list of codes names them all).
                let about_one = !matches!(
                    template,
                    Template::ChannelReply
                        | Template::ForgottenCodes
                        | Template::StaffSignIn
                        | Template::StaffInvitation
                        | Template::StaffSignInThrottled
                        | Template::StaffDigest
                        | Template::StaffEscalation
                        | Template::StaffSummary
                        | Template::JobFailing
                );
                let about_one = about_one || template == Template::TrackingCode;
                for text in [&mail.text, &mail.html] {
                    assert!(
                        !about_one || text.contains("42568096"),
                        "{template:?} {lang:?} states the code: {text}"
                    );
                }
                if about_one {
                    assert!(
                        mail.subject.contains("42568096") && sms.contains("42568096"),
                        "{template:?} {lang:?}"
                    );
                }
                assert!(mail.html.starts_with("<!doctype html>"));
                assert!(
                    sms::septets(&sms) <= sms::SINGLE_SMS,
                    "{template:?} {lang:?}: {} septets: {sms}",
                    sms::septets(&sms)
                );
                assert_eq!(sms, sms::to_gsm7(&sms), "SMS is GSM-7");
            }
        }
    }

    #[test]
    fn the_verdicts_messages_say_how_to_answer_by_sms_in_two_parts_at_most() {
        for template in [Template::Treated, Template::VerdictReminder] {
            for lang in [Lang::Fr, Lang::En] {
                let p = Payload {
                    reply: Some(reply_hint(lang).replace("{number}", "+225 07 00 00 00 00")),
                    ..payload()
                };
                let sms = render_sms(template, lang, &p, LINK).unwrap();
                assert!(sms.contains("RE") && sms.matches("42568096").count() >= 2, "{sms}");
                assert!(sms::septets(&sms) <= sms::TWO_PARTS, "{template:?} {lang:?}: {sms}");
                let without = render_sms(template, lang, &payload(), LINK).unwrap();
                assert!(!without.contains("RELANCE") && !without.contains(".."), "{without}");
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
        assert_eq!(
            render_email(Template::Treated, Lang::Fr, &p, LINK).err(),
            Some(RenderError::Missing("note"))
        );
        // A staff alert without its words, or a body's alert without the citizen's message: refused.
        assert_eq!(
            render_sms(Template::StaffAlert, Lang::En, &p, LINK).err(),
            Some(RenderError::Missing("note"))
        );
        assert_eq!(
            render_email(Template::BodyAlert, Lang::Fr, &p, LINK).err(),
            Some(RenderError::Missing("note"))
        );
        // An optional message from staff: quoted when given, left out when not.
        let taken = render_email(Template::TakenIntoAccount, Lang::Fr, &p, LINK).unwrap();
        assert!(
            taken.text.contains("a été prise en compte par Ministère des Eaux et Forêts")
                && !taken.text.contains("«")
        );
        p.note = Some("Merci, nous en tenons compte.".into());
        assert!(render_email(Template::TakenIntoAccount, Lang::Fr, &p, LINK)
            .unwrap()
            .text
            .contains("« Merci, nous en tenons compte. »"));
        let mut p = payload();
        p.code.clear();
        assert_eq!(
            render_sms(Template::RequestRegistered, Lang::Fr, &p, LINK).err(),
            Some(RenderError::Missing("code"))
        );
        let mut p = payload();
        p.nature = "plainte".into();
        assert!(matches!(
            render_email(Template::RequestRegistered, Lang::Fr, &p, LINK),
            Err(RenderError::UnknownNature(_))
        ));
    }

    #[test]
    fn confirmation_sms_is_transliterated_and_fits() {
        let sms =
            render_sms(Template::RequestRegistered, Lang::Fr, &payload(), "https://milie.ci/suivi")
                .unwrap();
        assert_eq!(sms, "Milie : votre réclamation est enregistrée sous le numéro 42568096. Suivi : https://milie.ci/suivi");
    }
}
