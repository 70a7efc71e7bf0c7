//! The key of everything the worker signs (`TRACKING_SECRET`): the tracking links mails carry,
//! the tracking session, and the one-time secrets derived at send time (sign-in links).
//! A leaf module: routes and the queue consumer both use it, neither through the other.

use crate::domain::code::RequestCode;
use crate::domain::token;

/// A mail's tracking link is valid thirty days.
pub const LINK_SECONDS: u32 = 30 * 24 * 3600;

/// The HMAC key (`TRACKING_SECRET`, at least 16 characters): rotating it revokes every link.
pub fn secret(env: &worker::Env) -> worker::Result<Vec<u8>> {
    env.secret("TRACKING_SECRET")
        .map(|s| s.to_string())
        .or_else(|_| env.var("TRACKING_SECRET").map(|v| v.to_string()))
        .ok()
        .filter(|s| s.len() >= 16)
        .map(String::into_bytes)
        .ok_or_else(|| {
            worker::Error::RustError(
                "TRACKING_SECRET is not set (or shorter than 16 characters)".into(),
            )
        })
}

/// The key before the last rotation (`TRACKING_SECRET_PREVIOUS`), while it is still set: links
/// already mailed keep working through a rotation (OPERATIONS.md: remove it after 30 days).
fn previous_secret(env: &worker::Env) -> Option<Vec<u8>> {
    env.secret("TRACKING_SECRET_PREVIOUS")
        .ok()
        .map(|s| s.to_string())
        .filter(|s| s.len() >= 16)
        .map(String::into_bytes)
}

/// Whether a token (link or session) opens this request: signed with the current key, or with
/// the previous one during a rotation.
pub fn verify(
    env: &worker::Env,
    purpose: &str,
    code: RequestCode,
    email: &str,
    token: &str,
    now_secs: u32,
) -> worker::Result<bool> {
    if token::verify(&secret(env)?, purpose, code, email, token, now_secs).is_ok() {
        return Ok(true);
    }
    Ok(previous_secret(env).is_some_and(|previous| {
        token::verify(&previous, purpose, code, email, token, now_secs).is_ok()
    }))
}

/// The signed link a mail carries to open a request without typing anything.
pub fn signed_link(
    env: &worker::Env,
    public_url: &str,
    code: RequestCode,
    email: &str,
    now_ms: i64,
) -> worker::Result<String> {
    let expires = (now_ms / 1000) as u32 + LINK_SECONDS;
    let t = token::sign(&secret(env)?, "link", code, email, expires);
    Ok(format!("{}/suivi/{code}?t={t}", public_url.trim_end_matches('/')))
}

/// The staff sign-in secret of an outbox reference: derived, never stored.
pub fn sign_in_secret(env: &worker::Env, reference: &str) -> worker::Result<String> {
    Ok(token::derived_secret(&secret(env)?, "staff-sign-in", reference))
}

/// How long a browser a staff member signed in on is remembered: it keeps a sign-in allowance of
/// its own for that address, which strangers asking for the address cannot use up.
pub const STAFF_DEVICE_SECONDS: u32 = 90 * 24 * 3600;

/// The signed cookie value a browser gets when its staff member signs in.
pub fn staff_device_token(env: &worker::Env, email: &str, now_ms: i64) -> worker::Result<String> {
    let expires = (now_ms / 1000) as u32 + STAFF_DEVICE_SECONDS;
    Ok(token::sign_subject(&secret(env)?, "staff-device", email, expires))
}

/// Whether a browser's cookie says it signed in as `email` before (and not too long ago).
pub fn staff_device_known(env: &worker::Env, email: &str, cookie: &str, now_ms: i64) -> bool {
    let now = (now_ms / 1000) as u32;
    secret(env)
        .is_ok_and(|key| token::verify_subject(&key, "staff-device", email, cookie, now).is_ok())
}
