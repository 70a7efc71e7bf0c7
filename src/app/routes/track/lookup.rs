//! The lookup by code and email: counted before it is answered, the same work whichever half is wrong.

use super::limits::{Holder, Limits};
use super::*;
use crate::app::http::csrf;
use crate::app::http::error::Outcome;
use crate::app::http::form::field;
use crate::app::http::respond;
use crate::app::store::{LookupRead, Store, Tracked};
use crate::app::AppError;
use crate::app::Ctx;
use crate::domain::code::RequestCode;
use crate::domain::email::Email;
use crate::domain::otp::Otp;
use crate::domain::phone::MobilePhone;
use crate::domain::submission::{Field, Problem};
use crate::i18n::problem_message;
use worker::Request;

pub(super) enum Lookup {
    Found(Box<LookupRead>, Box<Tracked>),
    NoMatch,
    Blocked(u32),
}

/// The one lookup both the page and the API use: same work whichever of code or email is wrong,
/// and every read (with the counting) in one round trip. The email is already valid.
pub(super) async fn find(
    ctx: &Ctx,
    store: &Store,
    code: &str,
    email: &Email,
) -> worker::Result<Lookup> {
    let parsed = RequestCode::parse(code).ok();
    let limits = Limits::new(ctx, Holder::Email(email.as_str()), parsed);
    // A malformed code reads like a real one, so it answers in the same time class.
    let asked = match parsed {
        Some(code) => code,
        None => {
            RequestCode::parse("10000000").map_err(|_| worker::Error::RustError("code".into()))?
        }
    };
    // A real code: the batch itself gives the counters back when the email matches.
    let refund = parsed.map(|_| (email.as_str(), limits.limits.as_slice()));
    let mut read = store
        .lookup_read(asked, ctx.lang, &limits.buckets, limits.window.start, refund, false)
        .await?;
    if let Some(minutes) = limits.blocked(ctx, store, &read.counts).await? {
        return Ok(Lookup::Blocked(minutes));
    }
    let request = read.tracked.take().filter(|_| parsed.is_some());
    match request {
        // (The batch already gave the counters back: the citizen's own lookups are not failures.)
        Some(r) if crate::app::http::crypto::constant_time_eq(&r.email, email.as_str()) => {
            Ok(Lookup::Found(Box::new(read), Box::new(r)))
        }
        _ => Ok(Lookup::NoMatch),
    }
}

pub(super) fn too_many(ctx: &Ctx, minutes: u32) -> String {
    ctx.lang.texts().track.too_many.replace("{minutes}", &minutes.to_string())
}

/// POST /suivi — code and email (or mobile, then the SMS code) in the body, never in the URL.
pub async fn lookup_post(ctx: &Ctx, mut req: Request) -> Outcome {
    let form = crate::app::http::form::read(&mut req).await?;
    let (code, email, phone) =
        (field(&form, "code"), field(&form, "email"), field(&form, "telephone"));
    let typed = Typed { code: &code, email: &email, phone: &phone, otp_step: false };
    if !csrf::valid(ctx, &field(&form, "csrf")) {
        return lookup_page(ctx, 403, typed, Some(ctx.lang.texts().submit.expired.to_owned()));
    }
    if email.trim().is_empty() && !phone.trim().is_empty() {
        return by_mobile(ctx, &code, &phone, &field(&form, "otp")).await;
    }
    if email.trim().is_empty() {
        return lookup_page(
            ctx,
            422,
            typed,
            Some(ctx.lang.texts().track.contact_needed.to_owned()),
        );
    }
    let parsed_email = match Email::parse(&email) {
        Ok(e) => e,
        // Refused before anything is counted or stored: a bucket never holds what was not an email.
        Err(e) => {
            return lookup_page(
                ctx,
                422,
                typed,
                Some(problem_message(ctx.lang, Field::Email, &Problem::Email(e))),
            )
        }
    };
    let store = tracking_store(ctx)?;
    match find(ctx, &store, &code, &parsed_email).await? {
        Lookup::Found(_, r) => opened(ctx, &store, &r),
        Lookup::NoMatch => {
            lookup_page(ctx, 404, typed, Some(ctx.lang.texts().track.not_found.to_owned()))
        }
        Lookup::Blocked(minutes) => blocked(ctx, typed, minutes),
    }
}

/// The request opens: a tracking session on this browser, and its page.
fn opened(ctx: &Ctx, store: &Store, r: &Tracked) -> Outcome {
    let code = RequestCode::parse(&r.code).map_err(|_| AppError::Internal("stored code".into()))?;
    let mut response = respond::redirect(&format!("/suivi/{code}"))?;
    response.headers_mut().append("Set-Cookie", &session_cookie(ctx, code, r.holder())?)?;
    remember_bookmark(store, &mut response)?;
    Ok(response)
}

fn blocked(ctx: &Ctx, typed: Typed<'_>, minutes: u32) -> Outcome {
    let mut response = lookup_page(ctx, 429, typed, Some(too_many(ctx, minutes)))?;
    response.headers_mut().set("Retry-After", &(minutes * 60).to_string())?;
    Ok(response)
}

/// Code + mobile: without `otp`, a code goes by SMS and the form asks for it; with it, the request opens.
async fn by_mobile(ctx: &Ctx, code: &str, phone: &str, otp: &str) -> Outcome {
    let typed = Typed { code, email: "", phone, otp_step: false };
    let mobile = match MobilePhone::parse_any(phone) {
        Ok(p) => p,
        // Refused before anything is counted: a bucket never holds what was not a number.
        Err(e) => {
            return lookup_page(
                ctx,
                422,
                typed,
                Some(problem_message(ctx.lang, Field::Phone, &Problem::Phone(e))),
            )
        }
    };
    let asked = Typed { code, email: "", phone: mobile.e164(), otp_step: true };
    let store = tracking_store(ctx)?;
    if otp.trim().is_empty() {
        return match mobile::send_code(ctx, &store, code, mobile.clone()).await? {
            mobile::Step::Blocked(minutes) => blocked(ctx, typed, minutes),
            _ => lookup_page(ctx, 200, asked, None),
        };
    }
    let Some(given) = Otp::parse(otp) else {
        return lookup_page(ctx, 422, asked, Some(ctx.lang.texts().track.otp_malformed.to_owned()));
    };
    match mobile::open(ctx, &store, code, &mobile, &given).await? {
        mobile::Step::Opened(_, r) => opened(ctx, &store, &r),
        mobile::Step::Blocked(minutes) => blocked(ctx, asked, minutes),
        _ => lookup_page(ctx, 422, asked, Some(ctx.lang.texts().track.otp_refused.to_owned())),
    }
}
