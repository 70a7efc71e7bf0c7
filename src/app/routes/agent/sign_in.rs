//! Password-less sign-in for staff: a one-time link by mail, confirmed by a button, then a session;
//! and signing out.

use crate::app::delivery::notifier;
use crate::app::http::crypto::random_token;
use crate::app::http::crypto::sha256_hex;
use crate::app::http::csrf;
use crate::app::http::error::Outcome;
use crate::app::http::form::field;
use crate::app::http::respond;
use crate::app::http::respond::with_cookie;
use crate::app::http::staff_session::{current_staff, SESSION_COOKIE};
use crate::app::store::Store;
use crate::app::Ctx;
use crate::domain::audit::{Action, Entry};
use crate::domain::email::Email;
use crate::domain::notification;
use crate::domain::rate_limit::{self, Window};
use crate::notify::Payload;
use crate::web::agent::{SignInPage, SignInState};
use askama::Template;
use worker::Request;

const LINK_MS: i64 = 10 * 60 * 1000;
/// The browser a staff member signed in on (`tracking_link::staff_device_token`).
const DEVICE_COOKIE: &str = "__Host-agent-appareil";
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
    let form = crate::app::http::form::read(&mut req).await?;
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
    let window = Window::hour(now);
    // A browser this address signed in on before draws on an allowance of its own: strangers
    // asking for the address from elsewhere cannot use it up and lock its owner out.
    let known = ctx.cookie(DEVICE_COOKIE).is_some_and(|c| {
        crate::app::http::tracking_link::staff_device_known(&ctx.env, email.as_str(), c, now)
    });
    let buckets = [
        rate_limit::pair_bucket("signin:pair", email.as_str(), &ctx.client),
        rate_limit::bucket("signin:client", &ctx.client),
        rate_limit::bucket(if known { "signin:known" } else { "signin:email" }, email.as_str()),
    ];
    let counts = store.rate_limit_count(&buckets, window.start).await?;
    let limit = ctx.settings.sign_in_limit_per_hour;
    let (pair_ok, client_ok, address_ok) =
        (counts[0] <= limit, counts[1] <= limit * 4, counts[2] <= limit);
    // What happens next happens after the answer, the same for every address: whether it is
    // staff, and what was sent, never shows in the page or its timing. The log says when that
    // work is done, never for whom nor whether a link left.
    let (env, lang) = (ctx.env.clone(), ctx.lang.code());
    if pair_ok && client_ok && address_ok {
        ctx.after_response(async move {
            if let Err(e) = send_sign_in_link(&env, email.as_str(), lang, now).await {
                crate::app::log::error("sign_in", &format!("sign-in link: {e}"));
            }
            crate::app::log::info("sign_in", "sign-in request handled");
        });
    } else if pair_ok && client_ok && !known {
        // This client is within its own limits, the address's allowance for unknown browsers is
        // spent by others: its owner hears of it (once an hour), with the way round it.
        let minutes = window.minutes_left(now);
        let link = format!("{}/agent/connexion", ctx.settings.public_url.trim_end_matches('/'));
        ctx.after_response(async move {
            if let Err(e) = tell_throttled(&env, email.as_str(), lang, &link, now, minutes).await {
                crate::app::log::error("sign_in", &format!("sign-in throttled notice: {e}"));
            }
            crate::app::log::info("sign_in", "sign-in request over the limit");
        });
    } else {
        crate::app::log::info("sign_in", "sign-in request over the limit");
    }
    // Over a limit, nothing is sent, and the page says the same as always.
    sign_in_page(ctx, 200, SignInState::Sent)
}

/// To an active staff address whose sign-in requests from unknown browsers were refused this
/// hour: at most one mail an hour (its outbox key carries the hour).
async fn tell_throttled(
    env: &worker::Env,
    email: &str,
    lang: &str,
    link: &str,
    now: i64,
    minutes: u32,
) -> worker::Result<()> {
    let store = Store::new(env)?;
    let Some(staff) = store.active_staff_by_email(email).await? else { return Ok(()) };
    let hour = now.div_euclid(3_600_000);
    let payload = Payload {
        deadline: Some(minutes.to_string()),
        link: Some(link.to_owned()),
        ..Default::default()
    };
    let payload =
        serde_json::to_string(&payload).map_err(|e| worker::Error::RustError(e.to_string()))?;
    let template = notification::Template::StaffSignInThrottled;
    let key = format!("{}:{}:{hour}", template.slug(), staff.id);
    if let Some(id) = store
        .insert_outbox_once(&key, None, "email", &staff.email, template, lang, &payload, now)
        .await?
    {
        notifier::enqueue(env, &[id]).await;
    }
    Ok(())
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
    let token = crate::app::http::tracking_link::sign_in_secret(env, &reference)?;
    store.save_sign_in_token(&sha256_hex(&token), staff.id, now + LINK_MS).await?;
    let payload = Payload { secret_ref: Some(reference.clone()), ..Default::default() };
    let payload =
        serde_json::to_string(&payload).map_err(|e| worker::Error::RustError(e.to_string()))?;
    let id = store
        .insert_outbox(
            &format!("{}:{reference}", notification::Template::StaffSignIn.slug()),
            "email",
            &staff.email,
            notification::Template::StaffSignIn,
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
    let form = crate::app::http::form::read(&mut req).await?;
    if !csrf::valid(ctx, &field(&form, "csrf")) {
        return sign_in_page(ctx, 403, SignInState::Invalid);
    }
    let store = Store::new(&ctx.env)?;
    let now = ctx.now();
    let Some((staff_id, email)) = store.consume_sign_in_token(&sha256_hex(token), now).await?
    else {
        return sign_in_page(ctx, 403, SignInState::Invalid);
    };
    let session = random_token(16)?;
    store.create_staff_session(&sha256_hex(&session), staff_id, now, now + ABSOLUTE_MS).await?;
    let entry = Entry::new(staff_id, Action::SignIn, staff_id.to_string());
    store.for_client(&ctx.client_ip).record(&entry, now).await?;
    let mut response = respond::redirect("/agent")?;
    response.headers_mut().append(
        "Set-Cookie",
        &format!(
            "{SESSION_COOKIE}={session}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age={}",
            ABSOLUTE_MS / 1000
        ),
    )?;
    // This browser is now one its owner uses: it keeps its own sign-in allowance for the address.
    let device = crate::app::http::tracking_link::staff_device_token(&ctx.env, &email, now)?;
    response.headers_mut().append(
        "Set-Cookie",
        &format!(
            "{DEVICE_COOKIE}={device}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age={}",
            crate::app::http::tracking_link::STAFF_DEVICE_SECONDS
        ),
    )?;
    Ok(response)
}

/// POST /agent/deconnexion[?partout] — ends this session, or every session of the account.
pub async fn sign_out(ctx: &Ctx, mut req: Request) -> Outcome {
    let form = crate::app::http::form::read_checked(ctx, &mut req).await?;
    let store = Store::new(&ctx.env)?.for_client(&ctx.client_ip);
    if let Some(token) = ctx.cookie(SESSION_COOKIE) {
        let hash = sha256_hex(token);
        let everywhere = field(&form, "partout") == "1";
        if let Some(staff) = current_staff(ctx, &store).await? {
            if everywhere {
                store.revoke_all_sessions(staff.id, ctx.now()).await?;
            }
            let action = if everywhere { Action::SignOutEverywhere } else { Action::SignOut };
            store.record(&Entry::new(staff.id, action, staff.id.to_string()), ctx.now()).await?;
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
