//! Open311 GeoReport v2 at `/open311/v2/`: discovery, services, service definitions, and requests
//! (post, list, one). JSON and XML from the same values; errors as the specification's list.
//! Posting goes through the same validation, idempotency, outbox and notifications as the web form.

use serde_json::{json, Value};
use worker::{FormData, Headers, Request, Response};

use super::Outcome;
use crate::app::crypto::{random_token, sha256_hex};
use crate::app::form::field;
use crate::app::intake::{self, Quota};
use crate::app::registration::{self, Meta, Registered};
use crate::app::store::{PublicRequest, ServiceRow, Store};
use crate::app::{AppError, Ctx};
use crate::domain::area::Territory;
use crate::domain::directory::{PlaceKind, PlaceOption};
use crate::domain::gazetteer::Gazetteer;
use crate::domain::geo::{nearest, Located, Position};
use crate::domain::nature::Nature;
use crate::domain::open311::{
    country_for_phone, status_of, to_xml, Format, PublicId, RequestQuery, ServiceCode,
};
use crate::domain::stage::Channel;
use crate::domain::submission::{Field, FieldErrors, RawSubmission};
use crate::domain::text::fold;
use crate::domain::time::iso8601_offset;
use crate::i18n::{problem_message, Lang};
use crate::web::public::stage_label;

const SPEC: &str = "http://wiki.open311.org/GeoReport_v2";
const CHANGESET: &str = "2026-11-29T00:00:00+00:00";

fn respond(format: Format, status: u16, root: &str, value: &Value) -> Outcome {
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
fn error(format: Format, status: u16, descriptions: &[String]) -> Outcome {
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
        ([], "services") if read => services(ctx, format).await,
        (["services"], code) if read => definition(ctx, format, code).await,
        ([], "requests") if post => create(ctx, format, req).await,
        ([], "requests") if read => list(ctx, format, None).await,
        (["requests"], id) if read => list(ctx, format, Some(id)).await,
        ([], "discovery" | "services" | "requests") | (["services" | "requests"], _) => {
            return Some(error(format, 405, &["method not allowed".into()]));
        }
        _ => return None,
    };
    Some(outcome)
}

fn base(ctx: &Ctx) -> String {
    ctx.settings.public_url.clone()
}

/// `jurisdiction_id` of a query: one body's slug; Err(400) when no active body has it.
async fn jurisdiction(
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
fn service_name(theme: Option<&str>, body_name: &str, lang: Lang) -> String {
    let theme = theme.map_or_else(
        || match lang {
            Lang::Fr => "Autre préoccupation".to_owned(),
            Lang::En => "Other concern".to_owned(),
        },
        str::to_owned,
    );
    format!("{theme} — {body_name}")
}

fn theme_words(s: &ServiceRow) -> Option<String> {
    match (&s.category, &s.label) {
        (Some(c), Some(l)) => Some(format!("{c} : {l}")),
        _ => None,
    }
}

fn service_json(s: &ServiceRow, lang: Lang) -> Value {
    let name = service_name(theme_words(s).as_deref(), &s.body_name, lang);
    let description = match lang {
        Lang::Fr => {
            format!(
                "Réclamation, suggestion ou observation adressée à {} : {}.",
                s.body_name,
                theme_words(s).unwrap_or_else(|| "autre préoccupation".into())
            )
        }
        Lang::En => format!(
            "Complaint, suggestion or observation to {}: {}.",
            s.body_name,
            theme_words(s).unwrap_or_else(|| "other concern".into())
        ),
    };
    json!({
        "service_code": ServiceCode { body_id: s.body_id, theme_id: s.theme_id }.to_string(),
        "service_name": name,
        "description": description,
        "metadata": true,
        "type": "batch",
        "keywords": s.category.clone().map_or_else(String::new, |c| fold(&c)),
        "group": s.body_name,
        "jurisdiction_id": s.body_slug,
    })
}

async fn services(ctx: &Ctx, format: Format) -> Outcome {
    let store = Store::new(&ctx.env)?;
    let only = match jurisdiction(&store, ctx, ctx.query.get("jurisdiction_id").map(str::to_owned))
        .await
    {
        Ok(j) => j,
        Err(message) => return error(format, 400, &[message]),
    };
    let rows = store.open311_services(ctx.lang, None, only.as_deref()).await?;
    respond(
        format,
        200,
        "services",
        &Value::Array(rows.iter().map(|s| service_json(s, ctx.lang)).collect()),
    )
}

async fn definition(ctx: &Ctx, format: Format, code: &str) -> Outcome {
    let store = Store::new(&ctx.env)?;
    let Some(service) = ServiceCode::parse(code) else {
        return error(format, 404, &[format!("unknown service_code {code}")]);
    };
    if store.open311_services(ctx.lang, Some(service), None).await?.is_empty() {
        return error(format, 404, &[format!("unknown service_code {code}")]);
    }
    let t = ctx.lang.texts();
    let natures: Vec<Value> =
        Nature::ALL.iter().map(|n| json!({ "key": n.slug(), "name": t.nature(*n) })).collect();
    let all = crate::app::directory::places(&store).await?;
    let places: Vec<Value> = all
        .iter()
        .filter(|p| p.kind != PlaceKind::Locality)
        .map(|p| json!({ "key": p.id.to_string(), "name": p.name }))
        .collect();
    let doc = json!({
        "service_code": code,
        "attributes": [
            {
                "variable": true, "code": "nature", "datatype": "singlevaluelist", "required": true,
                "datatype_description": t.submit.nature_title, "order": 1, "description": t.submit.nature_title, "values": natures,
            },
            {
                "variable": true, "code": "lieu", "datatype": "singlevaluelist", "required": false,
                "datatype_description": t.submit.place_hint, "order": 2, "description": t.submit.place_label, "values": places,
            },
        ],
    });
    respond(format, 200, "service_definition", &doc)
}

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

async fn list(ctx: &Ctx, format: Format, id: Option<&str>) -> Outcome {
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

/// Where a post says the problem is: the place (an id of `places`, or «»), and what the partner
/// sent, kept for staff.
struct Whereabouts {
    place: String,
    position: Option<Position>,
    address: Option<String>,
}

/// `attribute[lieu]` (an id or a name: unknown is a 400, never dropped), else `lat`/`long` (the
/// nearest place; outside Côte d'Ivoire, none), else `address_string` (a place named in it).
fn locate(
    form: &FormData,
    places: &Gazetteer,
    territory: &Territory,
) -> Result<Whereabouts, String> {
    let lieu = field(form, "attribute[lieu]");
    let position = Position::parse(&field(form, "lat"), &field(form, "long"))
        .map_err(|_| "lat, long: decimal degrees (WGS 84), both or neither".to_owned())?;
    let address = Some(field(form, "address_string").trim().chars().take(300).collect::<String>())
        .filter(|a| !a.is_empty());
    // A commune or sous-préfecture before a town or village of the same name elsewhere.
    let by_name = |name: &str| {
        let wanted = fold(name.trim());
        let named = |p: &&PlaceOption| {
            p.id.to_string() == name.trim() || (!wanted.is_empty() && fold(&p.name) == wanted)
        };
        places
            .iter()
            .filter(|p| p.kind != PlaceKind::Locality)
            .find(named)
            .or_else(|| places.iter().find(named))
    };
    let place = if !lieu.trim().is_empty() {
        match by_name(&lieu) {
            Some(p) => p.id.to_string(),
            None => {
                return Err(
                    "attribute[lieu]: unknown place; the service definition lists the values"
                        .to_owned(),
                )
            }
        }
    } else if let Some(p) = position {
        match nearest(places, territory, p) {
            Located::Place(place, _) => place.id.to_string(),
            Located::Abroad => String::new(),
        }
    } else if let Some(a) = &address {
        by_name(a).or_else(|| named_in(places, a)).map(|p| p.id.to_string()).unwrap_or_default()
    } else {
        String::new()
    };
    Ok(Whereabouts { place, position, address })
}

/// The commune or sous-préfecture whose name appears, as whole words, in a free address («Rue 12,
/// Cocody, Abidjan»); the longest name wins («Grand-Bassam» before «Bassam»). Localities are left
/// out: thousands of village names would match ordinary words of an address.
fn named_in<'a>(places: &'a [PlaceOption], address: &str) -> Option<&'a PlaceOption> {
    let words = |s: &str| {
        fold(s)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let text = words(address);
    places
        .iter()
        .filter(|p| p.kind != PlaceKind::Locality)
        .filter(|p| {
            let name = words(&p.name);
            !name.is_empty() && text.windows(name.len()).any(|w| w == name.as_slice())
        })
        .max_by_key(|p| fold(&p.name).len())
}

/// The Miliê form fields from an Open311 post.
fn raw_submission(form: &FormData, service: ServiceCode, place: String) -> RawSubmission {
    let f = |name: &str| field(form, name);
    let phone = f("phone");
    RawSubmission {
        body: service.body_id.to_string(),
        nature: Some(f("attribute[nature]"))
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "reclamation".into()),
        place,
        abroad_country: String::new(),
        abroad_city: String::new(),
        theme: if service.theme_id == 0 { String::new() } else { service.theme_id.to_string() },
        message: f("description"),
        last_name: f("last_name"),
        first_names: f("first_name"),
        // Without a phone the country says nothing: Côte d'Ivoire is assumed.
        country: if phone.trim().is_empty() {
            String::new()
        } else {
            country_for_phone(&phone).to_owned()
        },
        phone,
        email: f("email"),
        // Partners accept the terms of use for their users when they are given a key.
        terms: true,
    }
}

fn errors_list(ctx: &Ctx, errors: &FieldErrors) -> Vec<String> {
    // Open311's names for Miliê's fields, so partners know what to fix.
    let name = |f: Field| match f {
        Field::Message => "description",
        Field::LastName => "last_name",
        Field::FirstNames => "first_name",
        Field::Phone | Field::Country => "phone",
        Field::Email => "email",
        Field::Nature => "attribute[nature]",
        Field::Place | Field::AbroadCountry | Field::AbroadCity => "attribute[lieu]",
        Field::Body | Field::Theme => "service_code",
        other => other.name(),
    };
    errors
        .iter()
        .map(|(f, p)| format!("{}: {}", name(*f), problem_message(ctx.lang, *f, p)))
        .collect()
}

/// POST /open311/v2/requests.{json,xml} (form-urlencoded): the key, then validation, then the
/// key's hourly limit, then storage. An idempotency key belongs to the partner and to its payload.
async fn create(ctx: &Ctx, format: Format, mut req: Request) -> Outcome {
    let idempotency = req
        .headers()
        .get("Idempotency-Key")?
        .map(|k| k.trim().to_owned())
        .filter(|k| !k.is_empty());
    let Ok(form) = req.form_data().await else {
        return error(format, 400, &["a form-urlencoded body is expected".into()]);
    };
    let store = Store::new(&ctx.env)?;
    let api_key = field(&form, "api_key");
    let key = if api_key.is_empty() || api_key.len() > 100 {
        None
    } else {
        store.api_key_by_hash(&sha256_hex(&api_key), ctx.now()).await?
    };
    let Some(key) = key else {
        return error(format, 403, &["api_key: missing, unknown or revoked".into()]);
    };

    let code = field(&form, "service_code");
    // Whether the body and theme exist and fit is `intake::validate`'s to say, as for the web form.
    let Some(service) = ServiceCode::parse(&code) else {
        return error(format, 400, &["service_code: unknown code".into()]);
    };
    let media_url = field(&form, "media_url");
    if !media_url.is_empty()
        && (media_url.len() > 500
            || !(media_url.starts_with("https://") || media_url.starts_with("http://"))
            || media_url.chars().any(char::is_whitespace))
    {
        return error(format, 400, &["media_url: an http(s) URL of at most 500 characters".into()]);
    }
    // FixMyStreet sends `jurisdiction_id` with every call: it must be the service's body.
    if let Some(j) = Some(field(&form, "jurisdiction_id")).filter(|j| !j.trim().is_empty()) {
        let services = store.open311_services(ctx.lang, Some(service), None).await?;
        if !services.iter().any(|s| s.body_slug == j.trim()) {
            return error(
                format,
                400,
                &["jurisdiction_id: not the body of this service_code".into()],
            );
        }
    }
    let wanted = ["attribute[lieu]", "lat", "long", "address_string"]
        .iter()
        .any(|k| !field(&form, k).trim().is_empty());
    let places =
        if wanted { crate::app::directory::places(&store).await? } else { Default::default() };
    // The border and the polygons: read once per isolate.
    let territory =
        if wanted { crate::app::directory::territory(&store).await } else { Territory::default() };
    let whereabouts = match locate(&form, &places, &territory) {
        Ok(w) => w,
        Err(message) => return error(format, 400, &[message]),
    };
    let position = whereabouts.position;
    let address = whereabouts.address.clone();
    let raw = raw_submission(&form, service, whereabouts.place);
    let located = format!("{:?}|{:?}", position.map(|p| (p.lat, p.lon)), address);
    let payload =
        sha256_hex(&format!("{}\n{media_url}\n{located}", intake::payload_hash(&raw, &[])));
    let idem = match &idempotency {
        Some(k) if k.len() <= 100 && k.bytes().all(|b| b.is_ascii_graphic()) => {
            intake::scoped_key("open311", &format!("key:{}", key.id), k)
        }
        Some(_) => {
            return error(
                format,
                400,
                &["Idempotency-Key: at most 100 visible ASCII characters".into()],
            )
        }
        None => format!("open311:{}", random_token(16)?),
    };
    if let Some(existing) = store.request_by_key(&idem).await? {
        if existing.payload_hash.as_deref() != Some(payload.as_str()) {
            return error(
                format,
                422,
                &["Idempotency-Key: already used for another request".into()],
            );
        }
        return created(format, existing.public_id, ctx.lang);
    }
    let mut errors = FieldErrors::default();
    let Some(validated) = intake::validate(&store, &raw, &mut errors).await? else {
        return error(format, 400, &errors_list(ctx, &errors));
    };
    // Where the request came from, for staff: the partner, and the media link if one was given.
    let note = if media_url.is_empty() {
        format!("Open311 : {}", key.name)
    } else {
        format!("Open311 : {} — média : {media_url}", key.name)
    };
    let meta = Meta {
        key: &idem,
        channel: Channel::Open311,
        actor_role: "citizen",
        actor_id: None,
        note: Some(&note),
        direct_files: &[],
        payload_hash: Some(&payload),
        position,
        address: address.as_deref(),
    };
    // Counted against the partner's hourly allowance inside the registering batch.
    let registered = registration::register(
        ctx,
        &store,
        Some(Quota::Partner(key.id)),
        validated,
        &mut errors,
        &meta,
    )
    .await
    .map_err(|e| AppError::Internal(format!("registering Open311 request failed: {e}")))?;
    match registered {
        Registered::Created { public_id, .. } => {
            created(format, public_id.as_str().to_owned(), ctx.lang)
        }
        Registered::Existing(_, public_id) => created(format, public_id, ctx.lang),
        Registered::Invalid => error(format, 400, &errors_list(ctx, &errors)),
        Registered::Limited(minutes) => {
            let mut response = error(
                format,
                429,
                &["too many requests for this api_key; try again next hour".into()],
            )?;
            response.headers_mut().set("Retry-After", &(minutes * 60).to_string())?;
            Ok(response)
        }
    }
}

/// 201 with the request's Open311 id (the citizen's tracking code goes to the citizen only).
fn created(format: Format, public_id: String, lang: Lang) -> Outcome {
    let notice = match lang {
        Lang::Fr => "Requête enregistrée. Le citoyen reçoit son code par e-mail ou SMS et peut la suivre sur Miliê.",
        Lang::En => "Request registered. The citizen receives the code by email or text message and can follow it on Miliê.",
    };
    let list = json!([{ "service_request_id": public_id, "service_notice": notice, "account_id": Value::Null }]);
    respond(format, 201, "service_requests", &list)
}
