//! `servicerequestupdates.{xml,json}`: what happened to requests in a window, as FixMyStreet's
//! `Open311::get_service_request_updates` reads it (`<service_request_updates>` of
//! `<request_update>`), so its ordinary update fetch turns each into a comment on its report.

use serde_json::{json, Value};

use super::{bad_key, check_scope, reader, refused, respond, Outcome, Reader};
use crate::app::store::{Store, UpdateRow};
use crate::app::Ctx;
use crate::domain::open311::{update_description, update_id, update_status, Format, UpdateQuery};
use crate::domain::time::iso8601_offset;
use crate::i18n::Lang;
use crate::web::public::stage_label;

/// One update. `description` is what happened and the stage it left the request at, in the words
/// of the citizen's tracking page; for the partner that submitted the request, followed by the
/// message the citizen was sent with it (the body's answer, the analyst's reply), never a note
/// kept for staff.
fn update_json(u: &UpdateRow, lang: Lang) -> Value {
    let t = lang.texts();
    let words = update_description(t.track.event(lang, &u.event), &stage_label(&u.to_stage, t));
    let description = match &u.note {
        Some(note) if !note.trim().is_empty() => format!("{words}\n\n{note}"),
        _ => words,
    };
    json!({
        "update_id": update_id(&u.public_id, u.ordinal),
        "service_request_id": u.public_id,
        "status": update_status(&u.to_stage),
        "updated_datetime": iso8601_offset(u.at),
        "description": description,
        "media_url": Value::Null,
        // Miliê's own stage, finer than the status (FixMyStreet keys response templates by it).
        "external_status_code": u.to_stage,
    })
}

pub(super) async fn list(ctx: &Ctx, format: Format) -> Outcome {
    let query = match UpdateQuery::parse(|k| ctx.query.all(k), ctx.now()) {
        Ok(q) => q,
        Err(refusal) => return refused(format, refusal),
    };
    let store = Store::new(&ctx.env)?;
    let reader = reader(&store, ctx, &ctx.query.all("api_key")).await?;
    if matches!(reader, Reader::Refused) {
        return bad_key(format);
    }
    if let Err(refusal) = check_scope(&store, ctx, &query.jurisdictions, &[]).await? {
        return refused(format, refusal);
    }
    let rows = store
        .open311_updates(query.from, query.until, &query.jurisdictions, reader.key_id())
        .await?;
    respond(
        format,
        200,
        "service_request_updates",
        &Value::Array(rows.iter().map(|u| update_json(u, ctx.lang)).collect()),
    )
}
