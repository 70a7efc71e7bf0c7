//! «SUIVRE UNE REQUETE»: lookup by code and email, signed mail links, forgotten codes, and the
//! request page with its actions (edit in stage 1, verdict or reopen in stage 3).

mod actions;
mod api;
mod forgot;
mod limits;
mod lookup;
mod mobile;
mod page;

pub use actions::{edit, reopen, verdict};
pub use api::api;
pub use forgot::{forgot, forgot_post};
pub use lookup::lookup_post;
use lookup::{find, too_many, Lookup};
use page::{due_date, render_request, Notices};

use crate::app::http::csrf;
use crate::app::http::error::Outcome;
use crate::app::http::form::field;
use crate::app::http::respond;
use crate::app::http::respond::with_cookie;
use crate::app::http::tracking_link::secret;
use crate::app::store::{Store, Tracked};
use crate::app::AppError;
use crate::app::Ctx;
use crate::domain::code::RequestCode;
use crate::domain::token;
use crate::web::track::LookupPage;
use askama::Template;
use worker::{Request, Response};

const SESSION_COOKIE: &str = "__Host-suivi";
/// The D1 session bookmark of this browser's last read or write (Sessions API).
const BOOKMARK_COOKIE: &str = "__Host-d1b";

/// Tracking reads go through a D1 session (read replicas near the citizen), started from the
/// bookmark of the citizen's previous request so an edit or verdict is seen at once.
fn tracking_store(ctx: &Ctx) -> worker::Result<Store> {
    Store::session(&ctx.env, ctx.cookie(BOOKMARK_COOKIE))
}

/// Carries the session's latest bookmark to the browser's next request.
fn remember_bookmark(store: &Store, response: &mut Response) -> worker::Result<()> {
    if let Some(bookmark) = store.bookmark() {
        response
            .headers_mut()
            .append("Set-Cookie", &format!("{BOOKMARK_COOKIE}={bookmark}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age={SESSION_SECONDS}"))?;
    }
    Ok(())
}
/// A tracking session lasts two hours; a mail link thirty days.
const SESSION_SECONDS: u32 = 2 * 3600;

fn now_secs(ctx: &Ctx) -> u32 {
    (ctx.now() / 1000) as u32
}

fn session_cookie(ctx: &Ctx, code: RequestCode, email: &str) -> worker::Result<String> {
    let t =
        token::sign(&secret(&ctx.env)?, "session", code, email, now_secs(ctx) + SESSION_SECONDS);
    Ok(format!("{SESSION_COOKIE}={code}.{t}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age={SESSION_SECONDS}"))
}

/// The request this browser's tracking session opens, if it is `code`.
async fn session_request(
    ctx: &Ctx,
    store: &Store,
    code: RequestCode,
) -> worker::Result<Option<Tracked>> {
    let Some((cookie_code, t)) = ctx.cookie(SESSION_COOKIE).and_then(|v| v.split_once('.')) else {
        return Ok(None);
    };
    if RequestCode::parse(cookie_code) != Ok(code) {
        return Ok(None);
    }
    let Some(request) = store.tracked(code, ctx.lang).await? else { return Ok(None) };
    let ok = crate::app::http::tracking_link::verify(
        &ctx.env,
        "session",
        code,
        request.holder(),
        t,
        now_secs(ctx),
    )?;
    Ok(ok.then_some(request))
}

/// What the lookup form shows again: the values typed, and whether the SMS code is asked for.
#[derive(Default)]
struct Typed<'a> {
    code: &'a str,
    email: &'a str,
    phone: &'a str,
    otp_step: bool,
}

fn lookup_page(ctx: &Ctx, status: u16, typed: Typed<'_>, error: Option<String>) -> Outcome {
    let (csrf, cookie) = csrf::token(ctx)?;
    let page = LookupPage {
        c: ctx.chrome("track"),
        csrf,
        code: typed.code.to_owned(),
        email: typed.email.to_owned(),
        phone: typed.phone.to_owned(),
        otp_step: typed.otp_step,
        error,
    };
    Ok(with_cookie(respond::html(status, page.render()?)?, cookie)?)
}

/// GET /suivi[?code=…]
pub fn lookup(ctx: &Ctx) -> Outcome {
    let code = ctx.query.get("code").unwrap_or("").chars().take(12).collect::<String>();
    lookup_page(ctx, 200, Typed { code: &code, ..Typed::default() }, None)
}

/// GET /suivi/{code}[?t=…] — a valid mail link or tracking session shows the request; anything
/// else falls back to the lookup form with the code filled in. Never changes the request.
pub async fn show(ctx: &Ctx, code: &str) -> Outcome {
    let Ok(code) = RequestCode::parse(code) else { return Err(AppError::NotFound) };
    let store = tracking_store(ctx)?;
    if let Some(t) = ctx.query.get("t") {
        let valid = match store.tracked(code, ctx.lang).await? {
            Some(r) => crate::app::http::tracking_link::verify(
                &ctx.env,
                "link",
                code,
                r.holder(),
                t,
                now_secs(ctx),
            )?
            .then_some(r),
            None => None,
        };
        return match valid {
            Some(r) => {
                let cookie = session_cookie(ctx, code, r.holder())?;
                let mut response = render_request(ctx, &store, r, Notices::default()).await?;
                response.headers_mut().append("Set-Cookie", &cookie)?;
                Ok(response)
            }
            None => lookup_page(
                ctx,
                200,
                Typed { code: &code.to_string(), ..Typed::default() },
                Some(ctx.lang.texts().track.link_invalid.to_owned()),
            ),
        };
    }
    match session_request(ctx, &store, code).await? {
        Some(r) => render_request(ctx, &store, r, Notices::default()).await,
        None => lookup_page(ctx, 200, Typed { code: &code.to_string(), ..Typed::default() }, None),
    }
}

/// GET /suivi/{code}/pieces/{id} — the citizen's own attachment, after checking the session.
pub async fn file(ctx: &Ctx, code: &str, id: &str) -> Outcome {
    let Ok(code) = RequestCode::parse(code) else { return Err(AppError::NotFound) };
    let store = tracking_store(ctx)?;
    let Some(r) = session_request(ctx, &store, code).await? else { return Err(AppError::NotFound) };
    crate::app::http::files::serve_attachment(ctx, &store, r.id, id).await
}

/// POST /suivi/fermer — ends the tracking session on this browser.
pub async fn sign_out(ctx: &Ctx, mut req: Request) -> Outcome {
    let form = crate::app::http::form::read(&mut req).await?;
    let mut response = respond::redirect("/suivi")?;
    if csrf::valid(ctx, &field(&form, "csrf")) {
        response.headers_mut().append(
            "Set-Cookie",
            &format!("{SESSION_COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0"),
        )?;
    }
    Ok(response)
}
