//! Open311 GeoReport v2 at `/open311/v2/`: discovery, services, service definitions, and requests
//! (post, list, one). JSON and XML from the same values; errors as the specification's list.
//! Posting goes through the same validation, idempotency, outbox and notifications as the web form.

mod create;
mod requests;
mod services;

use serde_json::{json, Value};
use worker::{Headers, Request, Response};

use super::Outcome;
use crate::app::store::Store;
use crate::app::Ctx;
use crate::domain::open311::{to_xml, Format};
use crate::i18n::Lang;

const SPEC: &str = "http://wiki.open311.org/GeoReport_v2";
const CHANGESET: &str = "2026-11-29T00:00:00+00:00";

pub(super) fn respond(format: Format, status: u16, root: &str, value: &Value) -> Outcome {
    let body = match format {
        Format::Json => value.to_string(),
        Format::Xml => to_xml(root, value),
    };
    let headers = Headers::new();
    headers.set("Content-Type", format.content_type())?;
    headers.set("Access-Control-Allow-Origin", "*")?;
    headers.set("Cache-Control", "no-store")?;
    Ok(Response::ok(body)?.with_headers(headers).with_status(status))
}

/// The specification's error list: `[{code, description}]` / `<errors><error>…`.
pub(super) fn error(format: Format, status: u16, descriptions: &[String]) -> Outcome {
    let list: Vec<Value> =
        descriptions.iter().map(|d| json!({ "code": status, "description": d })).collect();
    respond(format, status, "errors", &Value::Array(list))
}

/// Routes `/open311/v2/...`; None when the path is not Open311's.
pub async fn dispatch(ctx: &Ctx, segments: &[&str], req: Request) -> Option<Outcome> {
    let (last, format) = Format::split(segments.last()?)?;
    let post = ctx.method == worker::Method::Post;
    let read = matches!(ctx.method, worker::Method::Get | worker::Method::Head);
    let outcome = match (&segments[..segments.len() - 1], last) {
        ([], "discovery") if read => discovery(ctx, format).await,
        ([], "services") if read => services::list(ctx, format).await,
        (["services"], code) if read => services::definition(ctx, format, code).await,
        ([], "requests") if post => create::create(ctx, format, req).await,
        ([], "requests") if read => requests::list(ctx, format, None).await,
        (["requests"], id) if read => requests::list(ctx, format, Some(id)).await,
        ([], "discovery" | "services" | "requests") | (["services" | "requests"], _) => {
            return Some(error(format, 405, &["method not allowed".into()]));
        }
        _ => return None,
    };
    Some(outcome)
}

pub(super) fn base(ctx: &Ctx) -> String {
    ctx.settings.public_url.clone()
}

/// `jurisdiction_id` of a query: one body's slug; Err(400) when no active body has it.
pub(super) async fn jurisdiction(
    store: &Store,
    ctx: &Ctx,
    value: Option<String>,
) -> Result<Option<String>, String> {
    let Some(slug) = value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let known = slug.len() <= 100
        && !store
            .open311_services(ctx.lang, None, Some(&slug))
            .await
            .map_err(|e| e.to_string())?
            .is_empty();
    if known {
        Ok(Some(slug))
    } else {
        Err(format!(
            "jurisdiction_id: unknown; the bodies' ids are listed in discovery ({})",
            base(ctx) + "/open311/v2/discovery.json"
        ))
    }
}

async fn discovery(ctx: &Ctx, format: Format) -> Outcome {
    // Each body is a jurisdiction: `jurisdiction_id` is its slug.
    let mut jurisdictions: Vec<Value> = Vec::new();
    for s in Store::new(&ctx.env)?.open311_services(ctx.lang, None, None).await? {
        if !jurisdictions.iter().any(|j| j["jurisdiction_id"] == s.body_slug.as_str()) {
            jurisdictions.push(json!({ "jurisdiction_id": s.body_slug, "name": s.body_name }));
        }
    }
    let doc = json!({
        "changeset": CHANGESET,
        "contact": "contact@milie.ci — Miliê, le portail du citoyen",
        "key_service": format!("{} (clés délivrées par les administrateurs de Miliê : contact@milie.ci)", base(ctx)),
        "endpoints": [{
            "specification": SPEC,
            "url": format!("{}/open311/v2", base(ctx)),
            "changeset": CHANGESET,
            "type": "production",
            "formats": ["text/xml", "application/json"],
        }],
        "jurisdictions": jurisdictions,
    });
    respond(format, 200, "discovery", &doc)
}

/// Unique across the endpoint (clients such as FixMyStreet key categories by name): the theme
/// and the body, since several bodies share the general themes.
pub(super) fn service_name(theme: Option<&str>, body_name: &str, lang: Lang) -> String {
    let theme = theme.map_or_else(
        || match lang {
            Lang::Fr => "Autre préoccupation".to_owned(),
            Lang::En => "Other concern".to_owned(),
        },
        str::to_owned,
    );
    format!("{theme} — {body_name}")
}
