//! Cloudflare Turnstile on the submission form, when `TURNSTILE_SECRET` is set (a secret) with
//! `TURNSTILE_SITE_KEY` (a var). The siteverify URL is `TURNSTILE_VERIFY_URL`, so tests run against
//! a local server speaking the same protocol. Unset (development): off, and nothing is shown.

use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{Fetch, Headers, Method, Request, RequestInit};

use crate::app::Ctx;

const DEFAULT_VERIFY_URL: &str = "https://challenges.cloudflare.com/turnstile/v0/siteverify";
/// The form field the widget fills in.
pub const RESPONSE_FIELD: &str = "cf-turnstile-response";

/// The site key to render the widget with, when Turnstile is on.
pub fn site_key(ctx: &Ctx) -> Option<String> {
    enabled(ctx).then(|| ctx.settings.turnstile_site_key.clone()).flatten()
}

fn secret(ctx: &Ctx) -> Option<String> {
    ctx.env
        .secret("TURNSTILE_SECRET")
        .ok()
        .map(|s| s.to_string())
        .or_else(|| ctx.var("TURNSTILE_SECRET"))
        .filter(|s| !s.is_empty())
}

pub fn enabled(ctx: &Ctx) -> bool {
    secret(ctx).is_some()
}

/// Asks siteverify whether the token the browser sent is valid for this client.
/// Off → always true. A siteverify outage counts as a failed check (the form stays filled in).
pub async fn verify(ctx: &Ctx, token: &str) -> bool {
    let Some(secret) = secret(ctx) else { return true };
    if token.is_empty() || token.len() > 2048 {
        return false;
    }
    match call(ctx, &secret, token).await {
        Ok(ok) => ok,
        Err(e) => {
            crate::app::log::error("turnstile", &format!("turnstile siteverify failed: {e}"));
            false
        }
    }
}

async fn call(ctx: &Ctx, secret: &str, token: &str) -> worker::Result<bool> {
    #[derive(Deserialize)]
    struct Answer {
        success: bool,
        #[serde(default)]
        hostname: Option<String>,
    }
    let body = form_urlencoded::Serializer::new(String::new())
        .append_pair("secret", secret)
        .append_pair("response", token)
        .append_pair("remoteip", &ctx.client_ip)
        .finish();
    let headers = Headers::new();
    headers.set("Content-Type", "application/x-www-form-urlencoded")?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_headers(headers).with_body(Some(JsValue::from_str(&body)));
    let url =
        ctx.settings.turnstile_verify_url.clone().unwrap_or_else(|| DEFAULT_VERIFY_URL.to_owned());
    crate::app::meter::subrequest();
    let mut response = Fetch::Request(Request::new_with_init(&url, &init)?).send().await?;
    if response.status_code() != 200 {
        return Err(worker::Error::RustError(format!(
            "siteverify answered {}",
            response.status_code()
        )));
    }
    let answer = response.json::<Answer>().await?;
    // A token solved on another site (a farm serving our site key elsewhere) is no proof here.
    let host_ok = answer
        .hostname
        .as_deref()
        .is_some_and(|h| expected_hosts(ctx).iter().any(|e| e.eq_ignore_ascii_case(h)));
    if answer.success && !host_ok {
        crate::app::log::warn("turnstile", "a token solved on another hostname: refused");
    }
    Ok(answer.success && host_ok)
}

/// The hostnames a token may have been solved on: the portal's public one (`PUBLIC_URL`) and the
/// one this request came to.
fn expected_hosts(ctx: &Ctx) -> Vec<String> {
    let host_of = |url: &str| {
        url.split_once("://")
            .map(|(_, rest)| rest.split(['/', ':']).next().unwrap_or("").to_owned())
    };
    [host_of(&ctx.settings.public_url), host_of(ctx.origin())]
        .into_iter()
        .flatten()
        .filter(|h| !h.is_empty())
        .collect()
}
