//! Open311 GeoReport v2 at `/open311/v2/`: discovery, services, service definitions, requests
//! (post, list, one, and the list's query posted as a form) and their updates (FixMyStreet's
//! `servicerequestupdates`). JSON and XML from the same values; errors as the specification's
//! list, for an unknown path or method too (`AppError::into_response`). Posting goes through the
//! same validation, idempotency, outbox and notifications as the web form.

mod create;
mod requests;
mod services;
mod updates;

use serde_json::{json, Value};
use worker::{Headers, Request, Response};

use super::Outcome;
use crate::app::http::crypto::sha256_hex;
use crate::app::store::Store;
use crate::app::{AppError, Ctx};
use crate::domain::open311::{
    render, Format, Refusal, ServiceCode, MAX_GET_IDS, MAX_IDS, MAX_UPDATES, UPDATES_DEFAULT_HOURS,
    WINDOW_DAYS,
};
use crate::i18n::Lang;

const SPEC: &str = "http://wiki.open311.org/GeoReport_v2";
const CHANGESET: &str = "2026-12-04T00:00:00+00:00";

pub(super) fn respond(format: Format, status: u16, root: &str, value: &Value) -> Outcome {
    let body = render(format, root, value);
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

pub(super) fn refused(format: Format, refusal: Refusal) -> Outcome {
    error(format, refusal.status, &[refusal.message])
}

/// Routes `/open311/v2/...`; None when the path is none of Open311's (a 404 in its format).
pub async fn dispatch(ctx: &Ctx, segments: &[&str], req: Request) -> Option<Outcome> {
    let (last, format) = Format::split(segments.last()?)?;
    let post = ctx.method == worker::Method::Post;
    let read = matches!(ctx.method, worker::Method::Get | worker::Method::Head);
    let outcome = match (&segments[..segments.len() - 1], last) {
        ([], "discovery") if read => discovery(ctx, format).await,
        ([], "services") if read => services::list(ctx, format).await,
        (["services"], code) if read => services::definition(ctx, format, code).await,
        // A submission, or the list's query posted as a form (many ids).
        ([], "requests") if post => requests::post(ctx, format, req).await,
        ([], "requests") if read => requests::list(ctx, format, None).await,
        (["requests"], id) if read => requests::list(ctx, format, Some(id)).await,
        ([], "servicerequestupdates") if read => updates::list(ctx, format).await,
        ([], "discovery" | "services" | "requests" | "servicerequestupdates")
        | (["services" | "requests"], _) => {
            let allow = if segments.len() == 1 && last == "requests" {
                "GET, HEAD, POST"
            } else {
                "GET, HEAD"
            };
            return Some(not_allowed(format, allow));
        }
        _ => return None,
    };
    Some(outcome)
}

fn not_allowed(format: Format, allow: &str) -> Outcome {
    let mut response = error(format, 405, &[format!("method not allowed; allowed: {allow}")])?;
    response.headers_mut().set("Allow", allow)?;
    Ok(response)
}

pub(super) fn base(ctx: &Ctx) -> String {
    ctx.settings.public_url.clone()
}

/// Who reads: anyone (what Open311 lists is public), or a partner by its live key — which then
/// reads back what it sent itself.
pub(super) enum Reader {
    Anyone,
    Partner(i64),
    /// A key given that is unknown or revoked: a 403 (a partner learns its key was revoked).
    Refused,
}

impl Reader {
    pub(super) fn key_id(&self) -> Option<i64> {
        match self {
            Reader::Partner(id) => Some(*id),
            Reader::Anyone | Reader::Refused => None,
        }
    }
}

/// A read's `api_key`: not required, but one given must be live.
pub(super) async fn reader(store: &Store, ctx: &Ctx, given: &[&str]) -> Result<Reader, AppError> {
    let Some(key) = given.iter().map(|k| k.trim()).find(|k| !k.is_empty()) else {
        return Ok(Reader::Anyone);
    };
    if key.len() > 100 {
        return Ok(Reader::Refused);
    }
    Ok(match store.api_key_by_hash(&sha256_hex(key), ctx.now()).await? {
        Some(k) => Reader::Partner(k.id),
        None => Reader::Refused,
    })
}

pub(super) fn bad_key(format: Format) -> Outcome {
    error(format, 403, &["api_key: unknown or revoked".into()])
}

/// A read's `jurisdiction_id`s and `service_code`s checked against the active services: each must
/// exist (a service code within the jurisdictions given, if any), else a 404.
pub(super) async fn check_scope(
    store: &Store,
    ctx: &Ctx,
    jurisdictions: &[String],
    codes: &[ServiceCode],
) -> Result<Result<(), Refusal>, AppError> {
    if jurisdictions.is_empty() && codes.is_empty() {
        return Ok(Ok(()));
    }
    let services = store.open311_services(ctx.lang, None, None).await?;
    if let Some(j) = jurisdictions.iter().find(|j| !services.iter().any(|s| &s.body_slug == *j)) {
        return Ok(Err(unknown_jurisdiction(ctx, j)));
    }
    let within = |s: &&crate::app::store::ServiceRow| {
        jurisdictions.is_empty() || jurisdictions.contains(&s.body_slug)
    };
    for code in codes {
        let known = services
            .iter()
            .filter(within)
            .any(|s| s.body_id == code.body_id && s.theme_id == code.theme_id);
        if !known {
            return Ok(Err(unknown_service(ctx, *code, !jurisdictions.is_empty())));
        }
    }
    Ok(Ok(()))
}

pub(super) fn unknown_jurisdiction(ctx: &Ctx, slug: &str) -> Refusal {
    let slug: String = slug.chars().take(100).collect();
    Refusal::new(
        404,
        format!(
            "jurisdiction_id: unknown {slug}; the bodies' ids are listed in discovery ({}/open311/v2/discovery.xml)",
            base(ctx)
        ),
    )
}

pub(super) fn unknown_service(ctx: &Ctx, code: ServiceCode, in_jurisdiction: bool) -> Refusal {
    let scope = if in_jurisdiction { " in this jurisdiction_id" } else { "" };
    Refusal::new(
        404,
        format!(
            "service_code: no service {code}{scope}; the services are listed in {}/open311/v2/services.xml",
            base(ctx)
        ),
    )
}

/// The service a post names (`service_code`, with `jurisdiction_id` when given): an unknown code
/// or jurisdiction, or a code of another jurisdiction, is a 404; a missing code a 400.
pub(super) async fn posted_service(
    store: &Store,
    ctx: &Ctx,
    code: &str,
    jurisdiction: &str,
) -> Result<Result<ServiceCode, Refusal>, AppError> {
    if code.trim().is_empty() {
        return Ok(Err(Refusal::new(400, "service_code: required")));
    }
    let Some(service) = ServiceCode::parse(code) else {
        let shown: String = code.trim().chars().take(40).collect();
        return Ok(Err(Refusal::new(
            404,
            format!("service_code: unknown code {shown}; services.xml lists them"),
        )));
    };
    let rows = store.open311_services(ctx.lang, Some(service), None).await?;
    let Some(row) = rows.first() else {
        return Ok(Err(unknown_service(ctx, service, false)));
    };
    // FixMyStreet sends `jurisdiction_id` with every call: it must be the service's body.
    let jurisdiction = jurisdiction.trim();
    if jurisdiction.is_empty() || row.body_slug == jurisdiction {
        return Ok(Ok(service));
    }
    let known = jurisdiction.len() <= 100
        && !store.open311_services(ctx.lang, None, Some(jurisdiction)).await?.is_empty();
    Ok(Err(if known {
        unknown_service(ctx, service, true)
    } else {
        unknown_jurisdiction(ctx, jurisdiction)
    }))
}

async fn discovery(ctx: &Ctx, format: Format) -> Outcome {
    // Each body is a jurisdiction: `jurisdiction_id` is its slug.
    let mut jurisdictions: Vec<Value> = Vec::new();
    for s in Store::new(&ctx.env)?.open311_services(ctx.lang, None, None).await? {
        if !jurisdictions.iter().any(|j| j["jurisdiction_id"] == s.body_slug.as_str()) {
            jurisdictions.push(json!({ "jurisdiction_id": s.body_slug, "name": s.body_name }));
        }
    }
    let url = format!("{}/open311/v2", base(ctx));
    // What this endpoint adds to the specification (a client that knows only it may ignore this).
    let extensions = json!([
        {
            "name": "requests by POST",
            "url": format!("{url}/requests.xml"),
            "description": format!(
                "The query of GET requests sent as a form body (application/x-www-form-urlencoded or \
                 multipart/form-data) to POST requests.xml or requests.json, with service_request_id and \
                 without service_code (a post with service_code is a submission): up to {MAX_IDS} ids. A GET \
                 names at most {MAX_GET_IDS} (its URL must stay under 16 KB); more is a 414 pointing here."
            ),
        },
        {
            "name": "servicerequestupdates",
            "url": format!("{url}/servicerequestupdates.xml"),
            "description": format!(
                "The updates of requests, as FixMyStreet reads them: start_date and end_date (both or \
                 neither; without them the last {UPDATES_DEFAULT_HOURS} hours; at most {WINDOW_DAYS} days), \
                 jurisdiction_id (requests that are or were with that body), api_key (optional; a given one \
                 must be live). At most {MAX_UPDATES} updates, oldest first: when {MAX_UPDATES} come back, \
                 ask again from the last updated_datetime (update_id is unique). status: open, in_progress, \
                 internal_referral or closed; external_status_code: Miliê's stage."
            ),
        },
        {
            "name": "lists",
            "url": url,
            "description": "service_request_id, service_code, status and jurisdiction_id take a list: \
                 comma-separated, or the parameter repeated. An unknown service_code or jurisdiction_id \
                 is a 404. service_request_id overrides every other filter.",
        },
    ]);
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
        "extensions": extensions,
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
