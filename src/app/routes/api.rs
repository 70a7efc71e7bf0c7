//! JSON API for partners, the phone channel and tests: `POST /api/v1/requetes` follows exactly the
//! web form's rules; `GET /api/v1/themes` and `/api/v1/localites` give the lists it refers to.

use serde::Serialize;
use worker::Request;

use super::submit::raw_submission;
use super::Outcome;
use crate::app::files::Files;
use crate::app::intake::{self, Registration};
use crate::app::store::{NewRequest, Store};
use crate::app::{respond, AppError, Ctx};
use crate::domain::code::RequestCode;
use crate::domain::stage::{Channel, Stage};
use crate::domain::submission::{Field, FieldErrors};
use crate::domain::time::iso8601;
use crate::i18n::problem_message;

const MAX_IDEMPOTENCY_KEY: usize = 100;

#[derive(Serialize)]
struct Created<'a> {
    code: String,
    nature: &'a str,
    etape: u8,
    stage: &'a str,
    organisme: Organisme<'a>,
    date: String,
}

#[derive(Serialize)]
struct Organisme<'a> {
    id: i64,
    name: &'a str,
}

fn errors_json(ctx: &Ctx, errors: &FieldErrors) -> worker::Result<worker::Response> {
    let mut map = serde_json::Map::new();
    for (field, problem) in errors.iter() {
        // One message per field (the first); attachments list every file's problem.
        let message = problem_message(ctx.lang, *field, problem);
        match map.get_mut(field.name()) {
            Some(serde_json::Value::String(existing)) if *field == Field::Attachments => {
                existing.push(' ');
                existing.push_str(&message);
            }
            Some(_) => {}
            None => {
                map.insert(field.name().to_owned(), serde_json::Value::String(message));
            }
        }
    }
    respond::json(422, &serde_json::json!({ "errors": map }))
}

/// POST /api/v1/requetes (multipart/form-data), optional `Idempotency-Key` header.
pub async fn create_request(ctx: &Ctx, mut req: Request) -> Outcome {
    let idempotency = req.headers().get("Idempotency-Key")?.map(|k| k.trim().to_owned()).filter(|k| !k.is_empty());
    if let Some(key) = &idempotency {
        if key.len() > MAX_IDEMPOTENCY_KEY || !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Ok(respond::json(400, &serde_json::json!({ "error": "Idempotency-Key: at most 100 visible ASCII characters" }))?);
        }
    }
    let form = req.form_data().await.map_err(|_| AppError::BadRequest)?;
    let store = Store::new(&ctx.env)?;
    // Keys are namespaced so an API key can never match a web form's.
    let key = match &idempotency {
        Some(k) => format!("api:{k}"),
        None => format!("api:{}", crate::app::crypto::random_token(16)?),
    };
    if let Some(existing) = store.request_by_key(&key).await? {
        return created_response(&store, existing.code, true).await;
    }

    let raw = raw_submission(&form);
    let mut errors = FieldErrors::default();
    let uploads = intake::read_files(&form, Field::Attachments.name()).await?;
    let checked = intake::check_files(&uploads, &[], &mut errors);
    let Some(submission) = intake::validate(&store, &raw, &mut errors).await? else {
        return Ok(errors_json(ctx, &errors)?);
    };
    if let Some(minutes) = intake::rate_limited(ctx, &store).await? {
        let mut response = respond::json(429, &serde_json::json!({ "error": "rate limited", "retry_after_minutes": minutes }))?;
        response.headers_mut().set("Retry-After", &(minutes * 60).to_string())?;
        return Ok(response);
    }
    let body = store.body(submission.body_id).await?.ok_or(AppError::NotFound)?;

    // Files first, then one batch; if the batch fails, the files go too.
    let files = Files::new(&ctx.env)?;
    let stored = intake::put_files(&files, checked).await?;
    let channels = store.citizen_channels().await?;
    let registered = intake::register(&ctx.env, &store, |code| NewRequest {
        submission: &submission,
        code,
        key: &key,
        channel: Channel::Api,
        actor_role: "citizen",
        actor_id: None,
        note: None,
        lang: ctx.lang,
        now: ctx.now(),
        body_name: &body.name,
        direct_files: &stored,
        channels: &channels,
    })
    .await;
    match registered {
        Ok(Registration::Created(code)) => created_response(&store, code, false).await,
        Ok(Registration::Existing(code)) => {
            files.delete(&stored.into_iter().map(|(k, _)| k).collect::<Vec<_>>()).await;
            created_response(&store, code, true).await
        }
        Err(e) => {
            files.delete(&stored.into_iter().map(|(k, _)| k).collect::<Vec<_>>()).await;
            Err(AppError::Internal(format!("registering API request failed: {e}")))
        }
    }
}

async fn created_response(store: &Store, code: RequestCode, replayed: bool) -> Outcome {
    let summary = store.request_summary(code).await?.ok_or(AppError::NotFound)?;
    let body = Created {
        code: code.to_string(),
        nature: summary.nature.slug(),
        etape: Stage::AwaitingTriage.number(),
        stage: Stage::AwaitingTriage.slug(),
        organisme: Organisme { id: summary.body_id, name: &summary.body_name },
        date: iso8601(summary.created_at),
    };
    let mut response = respond::json(201, &body)?;
    response.headers_mut().set("Location", &format!("/api/v1/requetes/{code}"))?;
    if replayed {
        response.headers_mut().set("Idempotent-Replayed", "true")?;
    }
    Ok(response)
}

/// GET /api/v1/themes?organisme=ID
pub async fn themes(ctx: &Ctx) -> Outcome {
    let body_id = ctx.query.get("organisme").and_then(|v| v.trim().parse::<i64>().ok()).ok_or(AppError::NotFound)?;
    let store = Store::new(&ctx.env)?;
    store.body(body_id).await?.ok_or(AppError::NotFound)?;
    let themes = store.themes(body_id, ctx.lang).await?;
    let list: Vec<_> = themes
        .iter()
        .map(|t| serde_json::json!({ "id": t.id, "category": t.category, "label": t.label }))
        .collect();
    Ok(respond::json(200, &serde_json::json!({ "organisme": body_id, "themes": list }))?)
}

/// GET /api/v1/localites
pub async fn places(ctx: &Ctx) -> Outcome {
    let places = Store::new(&ctx.env)?.places().await?;
    let list: Vec<_> =
        places.iter().map(|p| serde_json::json!({ "id": p.id, "name": p.name, "region": p.group })).collect();
    Ok(respond::json(200, &serde_json::json!({ "count": list.len(), "localites": list }))?)
}
