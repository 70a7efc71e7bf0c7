//! «Code requête oublié ?»: the list of an address's codes by mail, or of a mobile's codes by SMS,
//! with the same answer whether or not there are any.

use super::*;
use crate::app::http::csrf;
use crate::app::http::error::Outcome;
use crate::app::http::form::field;
use crate::app::http::respond;
use crate::app::http::respond::with_cookie;
use crate::app::store::Store;
use crate::app::Ctx;
use crate::domain::email::Email;
use crate::domain::phone::MobilePhone;
use crate::domain::rate_limit::{self, Window};
use crate::domain::submission::{Field, Problem};
use crate::i18n::problem_message;
use crate::web::track::ForgotPage;
use askama::Template;
use worker::Request;

/// Lists one address or number may receive per hour, and one client address may ask for.
const PER_RECIPIENT: i64 = 3;
const PER_CLIENT: i64 = 30;

struct Shown<'a> {
    email: &'a str,
    phone: &'a str,
    sent: bool,
    by_sms: bool,
}

fn forgot_page(ctx: &Ctx, status: u16, shown: Shown<'_>, error: Option<String>) -> Outcome {
    let (csrf, cookie) = csrf::token(ctx)?;
    let page = ForgotPage {
        c: ctx.chrome("track"),
        csrf,
        email: shown.email.to_owned(),
        phone: shown.phone.to_owned(),
        sent: shown.sent,
        by_sms: shown.by_sms,
        error,
    };
    Ok(with_cookie(respond::html(status, page.render()?)?, cookie)?)
}

/// GET /suivi/oubli
pub fn forgot(ctx: &Ctx) -> Outcome {
    forgot_page(ctx, 200, Shown { email: "", phone: "", sent: false, by_sms: false }, None)
}

/// Where the list goes: validated and normalised before anything is counted.
enum To {
    Mail(Email),
    Sms(MobilePhone),
}

/// POST /suivi/oubli — sends the address (or number) the list of its codes; answers the same
/// whether or not it has requests, and as fast: the look-up and the writing happen after the
/// answer. Three lists an hour per recipient at most. The outbox row holds only the recipient:
/// the list is read when the message is rendered.
pub async fn forgot_post(ctx: &Ctx, mut req: Request) -> Outcome {
    let form = crate::app::http::form::read(&mut req).await?;
    let (raw_email, raw_phone) = (field(&form, "email"), field(&form, "telephone"));
    let typed = Shown { email: &raw_email, phone: &raw_phone, sent: false, by_sms: false };
    if !csrf::valid(ctx, &field(&form, "csrf")) {
        return forgot_page(ctx, 403, typed, Some(ctx.lang.texts().submit.expired.to_owned()));
    }
    let to = if raw_email.trim().is_empty() && !raw_phone.trim().is_empty() {
        match MobilePhone::parse_any(&raw_phone) {
            Ok(p) => To::Sms(p),
            Err(e) => {
                return forgot_page(
                    ctx,
                    422,
                    typed,
                    Some(problem_message(ctx.lang, Field::Phone, &Problem::Phone(e))),
                )
            }
        }
    } else {
        match Email::parse(&raw_email) {
            Ok(e) => To::Mail(e),
            Err(e) => {
                return forgot_page(
                    ctx,
                    422,
                    typed,
                    Some(problem_message(ctx.lang, Field::Email, &Problem::Email(e))),
                )
            }
        }
    };
    let (channel, recipient, kind) = match &to {
        To::Mail(e) => ("email", e.as_str().to_owned(), "forgot:email"),
        To::Sms(p) => ("sms", p.e164().to_owned(), "forgot:phone"),
    };
    let store = Store::new(&ctx.env)?;
    let now = ctx.now();
    let window = Window::hour(now);
    let counts = store
        .rate_limit_count(
            &[
                rate_limit::bucket(kind, &recipient),
                rate_limit::bucket("forgot:client", &ctx.client),
            ],
            window.start,
        )
        .await?;
    if counts.first().is_some_and(|n| *n > PER_RECIPIENT)
        || counts.get(1).is_some_and(|n| *n > PER_CLIENT)
    {
        return forgot_page(ctx, 429, typed, Some(too_many(ctx, window.minutes_left(now))));
    }
    let (env, lang) = (ctx.env.clone(), ctx.lang.code());
    ctx.after_response(async move {
        let sent = async {
            let store = Store::new(&env)?;
            crate::app::citizen_actions::send_codes(&env, &store, channel, &recipient, lang, now)
                .await
        };
        if let Err(e) = sent.await {
            crate::app::log::error("forgotten_codes", &format!("forgotten codes: {e}"));
        }
    });
    forgot_page(
        ctx,
        200,
        Shown { email: "", phone: "", sent: true, by_sms: channel == "sms" },
        None,
    )
}
