//! Codes sent to a citizen: the one-time code that opens a request by mobile (derived now from the
//! outbox's random reference, never stored) and «Code requête oublié ?» (the codes read now from
//! the requests themselves: the outbox holds only the address or number it goes to).

use super::{citizen, Rendering};
use crate::app::delivery::providers::Outcome;
use crate::app::http::tracking_link::secret;
use crate::domain::nature::Nature;
use crate::domain::otp;
use crate::domain::time::date_fr;
use crate::notify::{self, Payload};

pub(super) fn tracking(r: &Rendering<'_>, payload: &mut Payload) -> Result<String, Outcome> {
    let code = match (&payload.secret_ref, secret(r.env)) {
        (Some(reference), Ok(key)) => otp::derive(&key, reference),
        (None, _) => {
            return Err(Outcome::Permanent("a tracking code without its reference".into()))
        }
        (_, Err(e)) => return Err(Outcome::Permanent(format!("tracking code: {e}"))),
    };
    payload.note = Some(code.as_str().to_owned());
    Ok(citizen::gather(r, payload))
}

pub(super) async fn forgotten(r: &Rendering<'_>, payload: &mut Payload) -> Result<String, Outcome> {
    let link = format!("{}/suivi", r.base);
    if !payload.items.is_empty() {
        return Ok(link);
    }
    let temporary = |e: worker::Error| Outcome::Temporary(format!("reading the codes: {e}"));
    if r.row.channel == "sms" {
        // By SMS, the codes alone, newest first, as many as one message holds.
        let codes = r.store.codes_for_phone(&r.row.recipient).await.map_err(temporary)?;
        if codes.is_empty() {
            return Err(Outcome::Permanent("no request for this number any more".into()));
        }
        payload.items = codes;
        while payload.items.len() > 1
            && notify::render_sms(r.template, r.lang, payload, "")
                .is_ok_and(|t| notify::sms::septets(&t) > notify::sms::SINGLE_SMS)
        {
            payload.items.pop();
        }
        return Ok(link);
    }
    // By mail, one line each, in the mail's language.
    let t = r.lang.texts();
    let lines = r.store.codes_for_email(&r.row.recipient).await.map_err(temporary)?;
    if lines.is_empty() {
        return Err(Outcome::Permanent("no request for this address any more".into()));
    }
    payload.items = lines
        .iter()
        .map(|l| {
            let nature = Nature::parse(&l.nature).map(|n| t.nature(n)).unwrap_or("");
            format!("{} — {nature} — {} — {}", l.code, l.body_name, date_fr(l.created_at))
        })
        .collect();
    Ok(link)
}
