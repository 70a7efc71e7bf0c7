//! Open311 requests as anyone may read them: public facts only.

use serde_json::{json, Value};

use super::{error, jurisdiction, respond, service_name, Outcome};
use crate::app::store::{PublicRequest, Store};
use crate::app::Ctx;
use crate::domain::open311::{status_of, Format, PublicId, RequestQuery, ServiceCode};
use crate::domain::time::iso8601_offset;
use crate::i18n::Lang;
use crate::web::public::stage_label;

fn public_json(r: &PublicRequest, lang: Lang) -> Value {
    let t = lang.texts();
    json!({
        "service_request_id": r.public_id,
        "status": status_of(&r.stage),
        // The stage in words: never the citizen's message, name or contact, never a staff note.
        "status_notes": stage_label(&r.stage, t),
        "service_name": service_name(r.theme.as_deref(), &r.body_name, lang),
        "service_code": ServiceCode { body_id: r.body_id, theme_id: r.theme_id.unwrap_or(0) }.to_string(),
        "description": Value::Null,
        "agency_responsible": r.body_name,
        "service_notice": Value::Null,
        "requested_datetime": iso8601_offset(r.created_at),
        "updated_datetime": iso8601_offset(r.updated_at),
        "expected_datetime": r.due_at.map(iso8601_offset),
        // The chosen place and its own coordinates: where, publicly, without the citizen's position.
        "address": r.place,
        "address_id": Value::Null,
        "zipcode": Value::Null,
        "lat": r.lat,
        "long": r.lon,
        "media_url": Value::Null,
    })
}

pub(super) async fn list(ctx: &Ctx, format: Format, id: Option<&str>) -> Outcome {
    let query = match id {
        // Only a public id names a request here: anything else (a tracking code among others)
        // is simply unknown, and is never looked up.
        Some(id) if PublicId::parse(id).is_none() => {
            return error(format, 404, &["unknown service_request_id".into()])
        }
        Some(id) => RequestQuery::parse(|k| (k == "service_request_id").then_some(id), ctx.now()),
        None => RequestQuery::parse(|k| ctx.query.get(k), ctx.now()),
    };
    let query = match query {
        Ok(q) => q,
        Err(message) => return error(format, 400, &[message]),
    };
    let store = Store::new(&ctx.env)?;
    let only = match jurisdiction(&store, ctx, ctx.query.get("jurisdiction_id").map(str::to_owned))
        .await
    {
        Ok(j) => j,
        Err(message) => return error(format, 400, &[message]),
    };
    let rows = store.open311_requests(&query, ctx.lang, only.as_deref()).await?;
    if id.is_some() && rows.is_empty() {
        return error(format, 404, &["unknown service_request_id".into()]);
    }
    respond(
        format,
        200,
        "service_requests",
        &Value::Array(rows.iter().map(|r| public_json(r, ctx.lang)).collect()),
    )
}
