//! Building responses: content types, caching, security headers, the language cookie.

use serde::Serialize;
use worker::{Headers, Response, Result};

use crate::app::Ctx;
use crate::web::security::SECURITY_HEADERS;

pub fn html(status: u16, body: String) -> Result<Response> {
    let headers = Headers::new();
    headers.set("Content-Type", "text/html; charset=utf-8")?;
    Ok(Response::from_html(body)?.with_status(status).with_headers(headers))
}

pub fn json<T: Serialize>(status: u16, value: &T) -> Result<Response> {
    let headers = Headers::new();
    headers.set("Content-Type", "application/json; charset=utf-8")?;
    // Public, read-only data: partners may call it from their own pages.
    headers.set("Access-Control-Allow-Origin", "*")?;
    Ok(Response::from_json(value)?.with_status(status).with_headers(headers))
}

/// The response with a `Set-Cookie` added when there is one (a fresh CSRF cookie, say).
pub fn with_cookie(mut response: Response, cookie: Option<String>) -> Result<Response> {
    if let Some(cookie) = cookie {
        response.headers_mut().append("Set-Cookie", &cookie)?;
    }
    Ok(response)
}

/// 429 with the page that says how long to wait (a form's hourly allowance), and `Retry-After`.
pub fn rate_limited_page(ctx: &Ctx, minutes: u32) -> Result<Response> {
    use askama::Template;
    let page = crate::web::submit::RateLimitedPage { c: ctx.chrome("submit"), minutes };
    let mut response =
        html(429, page.render().map_err(|e| worker::Error::RustError(e.to_string()))?)?;
    response.headers_mut().set("Retry-After", &(minutes * 60).to_string())?;
    Ok(response)
}

/// 303 See Other to a path of this site (after a POST, so a reload does not post again).
pub fn redirect(location: &str) -> Result<Response> {
    let headers = Headers::new();
    headers.set("Location", location)?;
    Ok(Response::empty()?.with_status(303).with_headers(headers))
}

/// Headers every response gets, whatever produced it.
pub fn finish(ctx: &Ctx, response: &mut Response) -> Result<()> {
    let headers = response.headers_mut();
    for (name, value) in SECURITY_HEADERS {
        // A handler may have set a stricter or page-specific value (the Turnstile form's CSP).
        if !headers.has(name)? {
            headers.set(name, value)?;
        }
    }
    if !headers.has("Cache-Control")? {
        // Pages depend on the language cookie; shared caching comes with the public-pages work.
        headers.set("Cache-Control", "private, no-cache")?;
    }
    headers.set("Vary", "Accept-Language, Cookie")?;
    if ctx.lang_chosen {
        headers.append(
            "Set-Cookie",
            &format!("lang={}; Path=/; Max-Age=31536000; SameSite=Lax; Secure", ctx.lang.code()),
        )?;
    }
    Ok(())
}

/// The value of cookie `name` in a `Cookie` header.
pub fn cookie<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}
