//! «Code requête oublié ?»: the list of an address's codes, by mail, with the same answer for every address.

use super::*;
use crate::app::crypto::random_token;
use crate::app::error::Outcome;
use crate::app::form::field;
use crate::app::respond::with_cookie;
use crate::app::store::Store;
use crate::app::{csrf, notifier, respond, Ctx};
use crate::domain::email::Email;
use crate::domain::rate_limit::{self, Window};
use crate::domain::submission::{Field, Problem};
use crate::i18n::problem_message;
use crate::web::track::ForgotPage;
use askama::Template;
use worker::Request;

fn forgot_page(ctx: &Ctx, status: u16, email: &str, sent: bool, error: Option<String>) -> Outcome {
    let (csrf, cookie) = csrf::token(ctx)?;
    let page = ForgotPage { c: ctx.chrome("track"), csrf, email: email.to_owned(), sent, error };
    with_cookie(respond::html(status, page.render()?)?, cookie)
}

/// GET /suivi/oubli
pub fn forgot(ctx: &Ctx) -> Outcome {
    forgot_page(ctx, 200, "", false, None)
}

/// POST /suivi/oubli — mails the address the list of its codes; answers the same whether or not
/// the address has requests, and as fast: the look-up and the writing happen after the answer.
/// Three mails an hour per address at most. The outbox row holds only the address: the list is
/// read when the mail is rendered.
pub async fn forgot_post(ctx: &Ctx, mut req: Request) -> Outcome {
    let form = crate::app::form::read(&mut req).await?;
    let raw = field(&form, "email");
    if !csrf::valid(ctx, &field(&form, "csrf")) {
        return forgot_page(ctx, 403, &raw, false, Some(ctx.lang.texts().submit.expired.to_owned()));
    }
    let email = match Email::parse(&raw) {
        Ok(e) => e,
        Err(e) => {
            let message = problem_message(ctx.lang, Field::Email, &Problem::Email(e));
            return forgot_page(ctx, 422, &raw, false, Some(message));
        }
    };
    let store = Store::new(&ctx.env)?;
    let now = ctx.now();
    let window = Window::hour(now);
    let per_email = store.rate_limit_hit(&rate_limit::bucket("forgot:email", email.as_str()), window.start).await?;
    let per_ip = store.rate_limit_hit(&rate_limit::bucket("forgot:client", &ctx.client), window.start).await?;
    if per_email > 3 || per_ip > 30 {
        return forgot_page(ctx, 429, &raw, false, Some(too_many(ctx, window.minutes_left(now))));
    }
    let (env, lang) = (ctx.env.clone(), ctx.lang.code());
    ctx.after_response(async move {
        if let Err(e) = send_forgotten_codes(&env, email.as_str(), lang, now).await {
            crate::app::log::error("forgotten_codes", &format!("forgotten codes: {e}"));
        }
    });
    forgot_page(ctx, 200, "", true, None)
}

async fn send_forgotten_codes(env: &worker::Env, email: &str, lang: &str, now: i64) -> worker::Result<()> {
    let store = Store::new(env)?;
    if store.codes_for_email(email).await?.is_empty() {
        return Ok(());
    }
    let key = format!("forgotten_codes:{}", random_token(16)?);
    let id = store.insert_outbox(&key, "email", email, "forgotten_codes", lang, "{}", now).await?;
    notifier::enqueue(env, &store, &[id]).await;
    Ok(())
}
