//! Open311 requests as anyone may read them: public facts only.

use serde_json::{json, Value};

use worker::Request;

use super::{
    bad_key, check_scope, create, error, reader, refused, respond, service_name, Outcome, Reader,
};
use crate::app::http::form::entries;
use crate::app::store::{PublicRequest, Store};
use crate::app::Ctx;
use crate::domain::open311::{status_of, Format, PublicId, RequestQuery, ServiceCode, Via};
use crate::domain::time::iso8601_offset;
use crate::i18n::Lang;
use crate::web::public::stage_label;
use crate::web::Params;

fn public_json(r: &PublicRequest, lang: Lang) -> Value {
    let t = lang.texts();
    json!({
        "service_request_id": r.public_id,
        "status": status_of(&r.stage),
        // The stage in words: never the citizen's message, name or contact, never a staff note.
        "status_notes": stage_label(&r.stage, t),
        "service_name": service_name(r.theme.as_deref(), &r.body_name, lang),
        "service_code": ServiceCode { body_id: r.body_id, theme_id: r.theme_id.unwrap_or(0) }.to_string(),
        // What the partner that submitted it sent, read back by that partner only.
        "description": r.sent_description,
        "agency_responsible": r.body_name,
        "service_notice": Value::Null,
        "requested_datetime": iso8601_offset(r.created_at),
        "updated_datetime": iso8601_offset(r.updated_at),
        "expected_datetime": r.due_at.map(iso8601_offset),
        // The chosen place and its own coordinates: where, publicly; the position a partner sent
        // goes back to that partner only.
        "address": r.place,
        "address_id": Value::Null,
        "zipcode": Value::Null,
        "lat": r.sent_lat.or(r.lat),
        "long": r.sent_lon.or(r.lon),
        "media_url": r.sent_media_url,
    })
}

/// GET requests (filters, or ids) and GET requests/{id} (that id only).
pub(super) async fn list(ctx: &Ctx, format: Format, id: Option<&str>) -> Outcome {
    match id {
        // Only a public id names a request here: anything else (a tracking code among others)
        // is simply unknown, and is never looked up.
        Some(id) if PublicId::parse(id).is_none() => {
            error(format, 404, &["unknown service_request_id".into()])
        }
        Some(id) => {
            let mut pairs = vec![("service_request_id".to_owned(), id.to_owned())];
            pairs.extend(
                ctx.query.all("api_key").iter().map(|k| ("api_key".to_owned(), (*k).to_owned())),
            );
            answer(ctx, format, &Params::from_pairs(pairs), Via::Get, true).await
        }
        None => answer(ctx, format, &ctx.query, Via::Get, false).await,
    }
}

/// The parameters a posted query may carry (a form's other fields are not read).
const QUERY_FIELDS: [&str; 7] = [
    "service_request_id",
    "service_code",
    "jurisdiction_id",
    "status",
    "start_date",
    "end_date",
    "api_key",
];

/// A posted query is small (10 000 ids are under 200 KB as a form): a larger multipart body is a
/// submission with its files, never parsed twice.
const QUERY_BODY_MAX: u64 = 1 << 20;

/// POST requests: a form with `service_request_id` and without `service_code` is the list's
/// query (for more ids than a URL holds); anything else is a submission.
pub(super) async fn post(ctx: &Ctx, format: Format, req: Request) -> Outcome {
    let headers = req.headers();
    let content_type = headers.get("Content-Type")?.unwrap_or_default().to_ascii_lowercase();
    let length = headers.get("Content-Length")?.and_then(|v| v.trim().parse::<u64>().ok());
    // Read from a copy: a submission reads the body itself.
    let mut copy = req.clone()?;
    let params = if content_type.starts_with("application/x-www-form-urlencoded") {
        copy.text().await.ok().map(|body| Params::parse(&body))
    } else if content_type.starts_with("multipart/form-data")
        && length.is_none_or(|n| n <= QUERY_BODY_MAX)
    {
        copy.form_data().await.ok().map(|form| {
            let pairs = QUERY_FIELDS
                .iter()
                .flat_map(|k| entries(&form, k).into_iter().map(|v| ((*k).to_owned(), v)))
                .collect();
            Params::from_pairs(pairs)
        })
    } else {
        None
    };
    match params {
        Some(params) if is_query(&params) => answer(ctx, format, &params, Via::Form, false).await,
        _ => create::create(ctx, format, req).await,
    }
}

/// A posted form is a query when it names ids and no service.
fn is_query(params: &Params) -> bool {
    params.has("service_request_id")
        && params.all("service_code").iter().all(|c| c.trim().is_empty())
}

async fn answer(ctx: &Ctx, format: Format, params: &Params, via: Via, one: bool) -> Outcome {
    let query = match RequestQuery::parse(|k| params.all(k), ctx.now(), via) {
        Ok(q) => q,
        Err(refusal) => return refused(format, refusal),
    };
    let store = Store::new(&ctx.env)?;
    let reader = reader(&store, ctx, &params.all("api_key")).await?;
    if matches!(reader, Reader::Refused) {
        return bad_key(format);
    }
    if let RequestQuery::Filter { jurisdictions, service_codes, .. } = &query {
        if let Err(refusal) = check_scope(&store, ctx, jurisdictions, service_codes).await? {
            return refused(format, refusal);
        }
    }
    let rows = store.open311_requests(&query, ctx.lang, reader.key_id()).await?;
    if one && rows.is_empty() {
        return error(format, 404, &["unknown service_request_id".into()]);
    }
    respond(
        format,
        200,
        "service_requests",
        &Value::Array(rows.iter().map(|r| public_json(r, ctx.lang)).collect()),
    )
}
