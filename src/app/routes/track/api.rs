//! `POST /api/v1/suivi`: the public view of a request as JSON, for the portal and servers.

use super::*;
use crate::app::error::Outcome;
use crate::app::{respond, Ctx};
use crate::domain::email::Email;
use crate::domain::submission::{Field, Problem};
use crate::i18n::problem_message;
use worker::Request;

/// POST /api/v1/suivi `{"code", "email"}` — the request's public view, or one uniform 404.
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
    }
    let content_type = req.headers().get("Content-Type")?.unwrap_or_default();
    if content_type.split(';').next().map(str::trim).map(str::to_ascii_lowercase).as_deref() != Some("application/json") {
        return Ok(respond::json(415, &serde_json::json!({ "error": ctx.lang.texts().wrong_format_text }))?);
    }
    let Ok(body) = req.json::<Body>().await else {
        return Ok(respond::json(400, &serde_json::json!({ "error": "a JSON object {\"code\", \"email\"} is expected" }))?);
    };
    let email = match Email::parse(&body.email) {
        Ok(e) => e,
        // Refused before anything is counted or stored.
        Err(e) => {
            let message = problem_message(ctx.lang, Field::Email, &Problem::Email(e));
            return Ok(respond::json(422, &serde_json::json!({ "error": message, "errors": { "email": message } }))?);
        }
    };
    // Stateless callers carry no bookmark: a plain connection, no session to open.
    let store = Store::new(&ctx.env)?;
    match find(ctx, &store, &body.code, &email).await? {
        Lookup::Found(read, r) => {
            let (events, files) = (&read.history, &read.files);
            let stage = r.stage;
            let view = serde_json::json!({
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
                "reponse_attendue_le": due_date(&r, stage).map(crate::domain::time::iso8601),
                "hors_delai": due_date(&r, stage).is_some_and(|due| due < ctx.now()),
                "history": events.iter().map(|e| serde_json::json!({
                    "at": crate::domain::time::iso8601(e.at), "event": e.event, "note": e.note,
                })).collect::<Vec<_>>(),
                "pieces": files.iter().map(|f| serde_json::json!({ "name": f.file_name, "size": f.size })).collect::<Vec<_>>(),
            });
            Ok(respond::json(200, &view)?)
        }
        Lookup::NoMatch => Ok(respond::json(404, &serde_json::json!({ "error": ctx.lang.texts().track.not_found }))?),
        Lookup::Blocked(minutes) => {
            let mut response = respond::json(429, &serde_json::json!({ "error": too_many(ctx, minutes), "retry_after_minutes": minutes }))?;
            response.headers_mut().set("Retry-After", &(minutes * 60).to_string())?;
            Ok(response)
        }
    }
}
