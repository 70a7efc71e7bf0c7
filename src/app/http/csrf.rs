//! CSRF protection for citizen forms: a double-submit token (random, in a `__Host-` cookie and a
//! hidden field) plus Origin / Fetch-Metadata checks.

use crate::app::http::crypto::{constant_time_eq, is_form_token, random_token};
use crate::app::Ctx;

const COOKIE: &str = "__Host-csrf";

/// This browser's token, and the `Set-Cookie` value when it is new.
pub fn token(ctx: &Ctx) -> worker::Result<(String, Option<String>)> {
    if let Some(existing) = ctx.cookie(COOKIE).filter(|v| is_form_token(v)) {
        return Ok((existing.to_owned(), None));
    }
    let token = random_token(16)?;
    let cookie = format!("{COOKIE}={token}; Path=/; Secure; HttpOnly; SameSite=Strict");
    Ok((token, Some(cookie)))
}

/// Whether a POST carries this browser's token and comes from this site.
pub fn valid(ctx: &Ctx, submitted: &str) -> bool {
    match ctx.cookie(COOKIE) {
        Some(cookie) if is_form_token(cookie) => {
            constant_time_eq(submitted, cookie) && ctx.same_origin()
        }
        _ => false,
    }
}
