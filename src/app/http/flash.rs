//! The message a page shows once after a Post/Redirect/Get: set with the redirect, read and
//! cleared by the next page. A short-lived, host-only, HttpOnly cookie; the text is escaped
//! like everything a template shows.

use crate::app::http::error::Outcome;
use crate::app::http::respond;
use crate::app::Ctx;

const COOKIE: &str = "__Host-flash";

/// 303 to `location`, the next page showing `message` once.
pub fn redirect(location: &str, message: &str) -> Outcome {
    let mut response = respond::redirect(location)?;
    let value: String = form_urlencoded::byte_serialize(message.as_bytes()).collect();
    response.headers_mut().append(
        "Set-Cookie",
        &format!("{COOKIE}={value}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=120"),
    )?;
    Ok(response)
}

/// The message waiting for this page, if any (at most 2 000 characters).
pub fn take(ctx: &Ctx) -> Option<String> {
    let raw = ctx.cookie(COOKIE)?;
    let text: String = form_urlencoded::parse(format!("m={raw}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())?;
    Some(text.chars().filter(|c| !c.is_control()).take(2000).collect())
        .filter(|t: &String| !t.is_empty())
}

/// Clears the message once shown, so a reload does not show it again.
pub fn clear(response: &mut worker::Response) -> worker::Result<()> {
    response.headers_mut().append(
        "Set-Cookie",
        &format!("{COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0"),
    )
}
