//! Staff messages about requests: what they show of the request is read now (never stored twice),
//! and they lead to the back office. A body's own mailbox reads the message, never the citizen's
//! name or contact.

use super::Rendering;
use crate::app::delivery::providers::Outcome;
use crate::domain::nature::Nature;
use crate::domain::notice::Alert;
use crate::i18n::staff::alert_words;
use crate::notify::Payload;

fn request_facts(r: &Rendering<'_>, payload: &mut Payload) {
    payload.nature = r.row.request_nature.clone().unwrap_or_default();
    payload.body = r.row.request_body.clone().unwrap_or_default();
}

/// To a focal point or an analyst: why (the alert, worded now), and the request's page.
pub(super) fn alert(r: &Rendering<'_>, payload: &mut Payload) -> String {
    request_facts(r, payload);
    payload.note =
        payload.event.as_deref().and_then(Alert::parse).map(|a| alert_words(r.lang, a).to_owned());
    match &r.row.request_code {
        Some(code) => format!("{}/agent/requetes/{code}", r.base),
        None => format!("{}/agent", r.base),
    }
}

/// To a body without an active focal point: the message itself, and the sign-in page.
pub(super) fn body_alert(r: &Rendering<'_>, payload: &mut Payload) -> String {
    request_facts(r, payload);
    payload.note = r.row.request_message.clone().filter(|m| !m.is_empty());
    format!("{}/agent/connexion", r.base)
}

/// An hourly or daily summary: its lines, read from the notices it carries.
pub(super) async fn summary(r: &Rendering<'_>, payload: &mut Payload) -> Result<String, Outcome> {
    let lines = r
        .store
        .summary_lines(r.id)
        .await
        .map_err(|e| Outcome::Temporary(format!("reading the summary: {e}")))?;
    if lines.is_empty() {
        return Err(Outcome::Permanent("an empty summary".into()));
    }
    let t = r.lang.texts();
    payload.items = lines
        .iter()
        .map(|l| {
            let words = Alert::parse(&l.alert).map(|a| alert_words(r.lang, a)).unwrap_or("");
            let nature = Nature::parse(&l.nature).map(|n| t.nature(n)).unwrap_or("");
            format!("{} — {words} — {nature} — {}", l.code, l.body_name)
        })
        .collect();
    Ok(format!("{}/agent", r.base))
}
