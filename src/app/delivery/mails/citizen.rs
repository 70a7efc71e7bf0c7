//! The citizen's messages about their request (registered, sent back, validated, forwarded,
//! treated, the analyst's reply, reopened, the verdict reminder, taken into account): the signed
//! link that opens the request without typing anything.

use super::Rendering;
use crate::app::delivery::notifier::now;
use crate::app::http::tracking_link::signed_link;
use crate::domain::code::RequestCode;
use crate::notify::Payload;

pub(super) fn gather(r: &Rendering<'_>, payload: &mut Payload) -> String {
    // A signed link opens the request without typing anything; without a request (or a
    // secret), the lookup page.
    let signed = match (&r.row.request_code, &r.row.request_holder) {
        (Some(code), Some(holder)) => RequestCode::parse(code)
            .ok()
            .and_then(|code| signed_link(r.env, r.base, code, holder, now()).ok()),
        _ => None,
    };
    payload.link.clone().or(signed).unwrap_or_else(|| format!("{}/suivi", r.base))
}
