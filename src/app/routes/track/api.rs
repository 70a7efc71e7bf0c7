//! `POST /api/v1/suivi`: the public view of a request as JSON, for the portal and servers.

use super::*;
use crate::app::http::error::Outcome;
use crate::app::http::respond;
use crate::app::store::{LookupRead, Tracked};
use crate::app::Ctx;
use crate::domain::email::Email;
use crate::domain::otp::Otp;
use crate::domain::phone::MobilePhone;
use crate::domain::submission::{Field, Problem};
use crate::i18n::problem_message;
use worker::Request;

/// POST /api/v1/suivi `{"code", "email"}` (or `{"code", "telephone"}`, then with `"otp"`) — the
/// request's public view, or one uniform 404.
/// Same-origin and server-to-server only: `application/json` is required (so no browser can
/// send it cross-site without a preflight, which is never granted) and no CORS header is sent.
pub async fn api(ctx: &Ctx, req: Request) -> Outcome {
    let mut response = api_answer(ctx, req).await?;
    response.headers_mut().delete("Access-Control-Allow-Origin")?;
    response.headers_mut().set("Cache-Control", "private, no-store")?;
    Ok(response)
}

async fn api_answer(ctx: &Ctx, mut req: Request) -> Outcome {
    #[derive(serde::Deserialize)]
    struct Body {
        #[serde(default)]
        code: String,
        #[serde(default)]
        email: String,
        #[serde(default)]
        telephone: String,
        #[serde(default)]
        otp: String,
    }
    let content_type = req.headers().get("Content-Type")?.unwrap_or_default();
    if content_type.split(';').next().map(str::trim).map(str::to_ascii_lowercase).as_deref()
        != Some("application/json")
    {
        return Ok(respond::json(
            415,
            &serde_json::json!({ "error": ctx.lang.texts().wrong_format_text }),
        )?);
    }
    let Ok(body) = req.json::<Body>().await else {
        return Ok(respond::json(
            400,
            &serde_json::json!({ "error": "a JSON object {\"code\", \"email\"} or {\"code\", \"telephone\"[, \"otp\"]} is expected" }),
        )?);
    };
    if body.email.trim().is_empty() && !body.telephone.trim().is_empty() {
        return by_mobile(ctx, &body.code, &body.telephone, &body.otp).await;
    }
    let email = match Email::parse(&body.email) {
        Ok(e) => e,
        // Refused before anything is counted or stored.
        Err(e) => {
            let message = problem_message(ctx.lang, Field::Email, &Problem::Email(e));
            let either = ctx.lang.texts().track.contact_needed;
            return Ok(respond::json(
                422,
                &serde_json::json!({ "error": message, "errors": { "email": message, "telephone": either } }),
            )?);
        }
    };
    // Stateless callers carry no bookmark: a plain connection, no session to open.
    let store = Store::new(&ctx.env)?;
    match find(ctx, &store, &body.code, &email).await? {
        Lookup::Found(read, r) => Ok(respond::json(200, &view(ctx, &read, &r))?),
        Lookup::NoMatch => Ok(respond::json(
            404,
            &serde_json::json!({ "error": ctx.lang.texts().track.not_found }),
        )?),
        Lookup::Blocked(minutes) => blocked(ctx, minutes),
    }
}

fn blocked(ctx: &Ctx, minutes: u32) -> Outcome {
    let mut response = respond::json(
        429,
        &serde_json::json!({ "error": too_many(ctx, minutes), "retry_after_minutes": minutes }),
    )?;
    response.headers_mut().set("Retry-After", &(minutes * 60).to_string())?;
    Ok(response)
}

/// `{code, telephone}` → 202 `{"sent": true}` whether or not the pair exists (an SMS code goes
/// when it does); `{code, telephone, otp}` → the request as with an email, or one 404 for a
/// wrong pair and a wrong, expired or used code alike.
async fn by_mobile(ctx: &Ctx, code: &str, phone: &str, otp: &str) -> Outcome {
    let phone = match MobilePhone::parse_any(phone) {
        Ok(p) => p,
        Err(e) => {
            let message = problem_message(ctx.lang, Field::Phone, &Problem::Phone(e));
            return Ok(respond::json(
                422,
                &serde_json::json!({ "error": message, "errors": { "telephone": message } }),
            )?);
        }
    };
    let store = Store::new(&ctx.env)?;
    if otp.trim().is_empty() {
        return match mobile::send_code(ctx, &store, code, phone).await? {
            mobile::Step::Blocked(minutes) => blocked(ctx, minutes),
            _ => Ok(respond::json(
                202,
                &serde_json::json!({ "sent": true, "valid_minutes": crate::domain::otp::VALID_MS / 60_000 }),
            )?),
        };
    }
    let Some(given) = Otp::parse(otp) else {
        let message = ctx.lang.texts().track.otp_malformed;
        return Ok(respond::json(
            422,
            &serde_json::json!({ "error": message, "errors": { "otp": message } }),
        )?);
    };
    match mobile::open(ctx, &store, code, &phone, &given).await? {
        mobile::Step::Opened(read, r) => Ok(respond::json(200, &view(ctx, &read, &r))?),
        mobile::Step::Blocked(minutes) => blocked(ctx, minutes),
        _ => Ok(respond::json(
            404,
            &serde_json::json!({ "error": ctx.lang.texts().track.otp_refused }),
        )?),
    }
}

/// The request's public view: the same JSON whichever way it was opened.
fn view(ctx: &Ctx, read: &LookupRead, r: &Tracked) -> serde_json::Value {
    let (events, files) = (&read.history, &read.files);
    let stage = r.stage;
    serde_json::json!({
        "code": r.code,
        "nature": r.nature.slug(),
        "organisme": { "id": r.body_id, "name": r.body_name },
        "theme": r.theme,
        "date": crate::domain::time::iso8601(r.created_at),
        "stage": stage.slug(),
        "etape": stage.number(),
        "message": r.message,
        "verdict": r.verdict.map(crate::domain::stage::Verdict::slug),
        // The guide's «Réponse attendue au plus tard le …» and «Hors délai».
        "reponse_attendue_le": due_date(r, stage).map(crate::domain::time::iso8601),
        "hors_delai": due_date(r, stage).is_some_and(|due| due < ctx.now()),
        "history": events.iter().map(|e| serde_json::json!({
            "at": crate::domain::time::iso8601(e.at), "event": e.event, "note": e.note,
        })).collect::<Vec<_>>(),
        "pieces": files.iter().map(|f| serde_json::json!({ "name": f.file_name, "size": f.size })).collect::<Vec<_>>(),
    })
}
