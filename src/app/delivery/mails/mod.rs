//! What each mail or SMS gathers when it is rendered, one file per kind of message (the texts are
//! `notify`'s): the outbox holds only what cannot be read again later — never a tracking code, a
//! one-time secret or the citizen's message — and each template reads the rest here. The match in
//! [`gather`] is exhaustive: a new template does not compile until it says what it needs.

mod citizen;
mod codes;
mod reply;
mod sign_in;
mod staff;

use super::providers::Outcome;
use crate::app::store::{OutboxRow, Store};
use crate::i18n::Lang;
use crate::notify::{Payload, Template};
use worker::Env;

/// What a template's context is gathered from.
pub struct Rendering<'a> {
    pub env: &'a Env,
    pub store: &'a Store,
    /// `PUBLIC_URL`, without its trailing slash.
    pub base: &'a str,
    pub id: i64,
    pub row: &'a OutboxRow,
    pub template: Template,
    pub lang: Lang,
}

/// Fills `payload` with what `r.template` shows and returns the link the message leads to;
/// Err: why it cannot be sent (temporary when reading again may help).
pub async fn gather(r: &Rendering<'_>, payload: &mut Payload) -> Result<String, Outcome> {
    // The tracking code is half of the citizen's secret: the outbox never holds it, every message
    // about a request reads it from the request now.
    if payload.code.is_empty() {
        if let Some(code) = &r.row.request_code {
            payload.code = code.clone();
        }
    }
    match r.template {
        Template::Treated | Template::VerdictReminder => {
            // By SMS, how to answer it by SMS, when that channel is on.
            let number = crate::app::settings::Settings::read(r.env).sms_number;
            if let (Some(number), "sms") = (number, r.row.channel.as_str()) {
                payload.reply =
                    Some(crate::notify::reply_hint(r.lang).replace("{number}", &number));
            }
            Ok(citizen::gather(r, payload))
        }
        Template::RequestRegistered
        | Template::SentBackForReformulation
        | Template::Validated
        | Template::ForwardedForInformation
        | Template::AnalystReply
        | Template::Reopened
        | Template::TakenIntoAccount
        | Template::Merged
        | Template::Unmerged
        | Template::FollowedAnswered => Ok(citizen::gather(r, payload)),
        Template::ChannelReply => reply::gather(r, payload).await,
        Template::ForgottenCodes => codes::forgotten(r, payload).await,
        Template::TrackingCode => codes::tracking(r, payload),
        Template::StaffSignIn | Template::StaffInvitation => sign_in::gather(r, payload),
        Template::StaffAlert => Ok(staff::alert(r, payload)),
        Template::BodyAlert => Ok(staff::body_alert(r, payload)),
        Template::StaffSummary => staff::summary(r, payload).await,
        // Their lines and link were written with them.
        Template::StaffDigest
        | Template::StaffEscalation
        | Template::StaffSignInThrottled
        | Template::JobFailing => {
            Ok(payload.link.clone().unwrap_or_else(|| format!("{}/agent", r.base)))
        }
    }
}
