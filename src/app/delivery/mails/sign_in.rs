//! A staff member's sign-in link and a new member's invitation: the link is derived now from the
//! random reference the outbox holds; the secret itself was never stored.

use super::Rendering;
use crate::app::delivery::providers::Outcome;
use crate::app::http::tracking_link::sign_in_secret;
use crate::notify::Payload;

pub(super) fn gather(r: &Rendering<'_>, payload: &mut Payload) -> Result<String, Outcome> {
    let Some(reference) = &payload.secret_ref else {
        return Err(Outcome::Permanent("a sign-in link without its reference".into()));
    };
    match sign_in_secret(r.env, reference) {
        Ok(token) => Ok(format!("{}/agent/connexion/{token}", r.base)),
        Err(e) => Err(Outcome::Permanent(format!("sign-in link: {e}"))),
    }
}
