//! Password-less sign-in for staff: a one-time link by mail, confirmed by a button, then a session;
//! and signing out.

use crate::app::crypto::random_token;
use crate::app::crypto::sha256_hex;
use crate::app::error::Outcome;
use crate::app::form::field;
use crate::app::respond::with_cookie;
use crate::app::staff_session::{current_staff, SESSION_COOKIE};
use crate::app::store::Store;
use crate::app::{csrf, notifier, respond, Ctx};
use crate::domain::email::Email;
use crate::domain::rate_limit::{self, Window};
use crate::notify::Payload;
use crate::web::agent::{SignInPage, SignInState};
use askama::Template;
use worker::Request;

const LINK_MS: i64 = 10 * 60 * 1000;
const ABSOLUTE_MS: i64 = 12 * 3600 * 1000;

fn sign_in_page(ctx: &Ctx, status: u16, state: SignInState) -> Outcome {
    let (csrf, cookie) = csrf::token(ctx)?;
    let mut response = with_cookie(
        respond::html(status, SignInPage { c: ctx.chrome(""), s: None, csrf, state }.render()?)?,
        cookie,
    )?;
    response.headers_mut().set("Cache-Control", "private, no-store")?;
    Ok(response)
}

/// GET /agent/connexion
pub fn sign_in(ctx: &Ctx) -> Outcome {
    sign_in_page(ctx, 200, SignInState::Form { error: None })
}

/// POST /agent/connexion — mails a one-time link; the same answer whether the address is staff or not.
pub async fn sign_in_post(ctx: &Ctx, mut req: Request) -> Outcome {
    let form = crate::app::form::read(&mut req).await?;
    if !csrf::valid(ctx, &field(&form, "csrf")) {
        return sign_in_page(
            ctx,
            403,
            SignInState::Form { error: Some(ctx.lang.texts().submit.expired.to_owned()) },
        );
    }
    let Ok(email) = Email::parse(&field(&form, "email")) else {
        let message = crate::i18n::problem_message(
            ctx.lang,
            crate::domain::submission::Field::Email,
            &crate::domain::submission::Problem::Email(crate::domain::email::EmailError::Invalid),
        );
        return sign_in_page(ctx, 422, SignInState::Form { error: Some(message) });
    };
    let store = Store::new(&ctx.env)?;
    let now = ctx.now();
    let window = Window::hour(now).start;
    let by_email =
        store.rate_limit_hit(&rate_limit::bucket("signin:email", email.as_str()), window).await?;
    let by_ip =
        store.rate_limit_hit(&rate_limit::bucket("signin:client", &ctx.client), window).await?;
    let limit = ctx.settings.sign_in_limit_per_hour;
    if by_email <= limit && by_ip <= limit * 4 {
        // Looking the address up and writing the link happen after the answer, so a staff
        // address does not answer measurably slower than any other. The log says when that work
        // is done, never for whom nor whether a link left.
        let (env, lang) = (ctx.env.clone(), ctx.lang.code());
        ctx.after_response(async move {
            if let Err(e) = send_sign_in_link(&env, email.as_str(), lang, now).await {
                crate::app::log::error("sign_in", &format!("sign-in link: {e}"));
            }
            crate::app::log::info("sign_in", "sign-in request handled");
        });
    } else {
        crate::app::log::info("sign_in", "sign-in request over the limit");
    }
    // Over the limit, nothing is sent, and the page says the same as always.
    sign_in_page(ctx, 200, SignInState::Sent)
}

/// Writes a sign-in link for an active staff address: the outbox holds a random reference, the
/// database the hash of the secret derived from it; the consumer derives the link at send time.
async fn send_sign_in_link(
    env: &worker::Env,
    email: &str,
    lang: &str,
    now: i64,
) -> worker::Result<()> {
    let store = Store::new(env)?;
    let Some(staff) = store.active_staff_by_email(email).await? else { return Ok(()) };
    let reference = random_token(16)?;
    let token = crate::app::tracking_link::sign_in_secret(env, &reference)?;
    store.save_sign_in_token(&sha256_hex(&token), staff.id, now + LINK_MS).await?;
    let payload = Payload { secret_ref: Some(reference.clone()), ..Default::default() };
    let payload =
        serde_json::to_string(&payload).map_err(|e| worker::Error::RustError(e.to_string()))?;
    let id = store
        .insert_outbox(
            &format!("staff_sign_in:{reference}"),
            "email",
            &staff.email,
            "staff_sign_in",
            lang,
            &payload,
            now,
        )
        .await?;
    notifier::enqueue(env, &[id]).await;
    Ok(())
}

/// GET /agent/connexion/{token} — a page with a button: opening a link (mail scanners do) signs nobody in.
pub fn sign_in_link(ctx: &Ctx, token: &str) -> Outcome {
    if token.len() != 43 {
        return sign_in_page(ctx, 404, SignInState::Invalid);
    }
    sign_in_page(ctx, 200, SignInState::Confirm { token: token.to_owned() })
}

/// POST /agent/connexion/{token} — uses the link (once, within 10 minutes) and opens a session.
pub async fn sign_in_link_post(ctx: &Ctx, token: &str, mut req: Request) -> Outcome {
    let form = crate::app::form::read(&mut req).await?;
    if !csrf::valid(ctx, &field(&form, "csrf")) {
        return sign_in_page(ctx, 403, SignInState::Invalid);
    }
    let store = Store::new(&ctx.env)?;
    let now = ctx.now();
    let Some(staff_id) = store.consume_sign_in_token(&sha256_hex(token), now).await? else {
        return sign_in_page(ctx, 403, SignInState::Invalid);
    };
    let session = random_token(16)?;
    store.create_staff_session(&sha256_hex(&session), staff_id, now, now + ABSOLUTE_MS).await?;
    let mut response = respond::redirect("/agent")?;
    response.headers_mut().append(
        "Set-Cookie",
        &format!(
            "{SESSION_COOKIE}={session}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age={}",
            ABSOLUTE_MS / 1000
        ),
    )?;
    Ok(response)
}

/// POST /agent/deconnexion[?partout] — ends this session, or every session of the account.
pub async fn sign_out(ctx: &Ctx, mut req: Request) -> Outcome {
    let form = crate::app::form::read_checked(ctx, &mut req).await?;
    let store = Store::new(&ctx.env)?;
    if let Some(token) = ctx.cookie(SESSION_COOKIE) {
        let hash = sha256_hex(token);
        if field(&form, "partout") == "1" {
            if let Some(staff) = current_staff(ctx, &store).await? {
                store.revoke_all_sessions(staff.id, ctx.now()).await?;
            }
        }
        store.revoke_session(&hash, ctx.now()).await?;
    }
    let mut response = respond::redirect("/agent/connexion")?;
    response.headers_mut().append(
        "Set-Cookie",
        &format!("{SESSION_COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0"),
    )?;
    Ok(response)
}
