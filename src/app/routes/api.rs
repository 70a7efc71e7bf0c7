//! JSON API for partners, the phone channel and tests: `POST /api/v1/requetes` follows exactly the
//! web form's rules; `GET /api/v1/themes` and `/api/v1/localites` give the lists it refers to.

use serde::Serialize;
use worker::Request;

use super::Outcome;
use crate::app::http::crypto::sha256_hex;
use crate::app::http::form::{field, raw_submission};
use crate::app::http::respond;
use crate::app::http::turnstile;
use crate::app::intake::{files, Attached, Caller, Intake, Key, Outcome as Submitted, Receipt};
use crate::app::store::Store;
use crate::app::AppError;
use crate::app::Ctx;
use crate::domain::idempotency::IdempotencyKey;
use crate::domain::stage::{Channel, Stage};
use crate::domain::submission::{Field, FieldErrors};
use crate::domain::time::iso8601;
use crate::i18n::problem_message;

/// A partner key is at most this long (what admins issue is shorter).
const MAX_KEY: usize = 100;

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

/// A partner's key: `Authorization: Bearer <key>` (or `X-Api-Key: <key>`), the keys admins issue.
fn partner_key(req: &Request) -> worker::Result<Option<String>> {
    let headers = req.headers();
    let bearer = headers
        .get("Authorization")?
        .and_then(|v| v.trim().strip_prefix("Bearer ").map(|k| k.trim().to_owned()));
    Ok(bearer.or(headers.get("X-Api-Key")?.map(|k| k.trim().to_owned())).filter(|k| !k.is_empty()))
}

fn json_error(status: u16, message: &str) -> Outcome {
    Ok(respond::json(status, &serde_json::json!({ "error": message }))?)
}

/// POST /api/v1/requetes (multipart/form-data or form-urlencoded), optional `Idempotency-Key`.
///
/// An adapter of the intake door: the caller (a partner key, or a citizen with the human check
/// when Turnstile is on), the fields and files as sent, the caller's key; the door does the rest,
/// in the same order as for the web form.
pub async fn create_request(ctx: &Ctx, mut req: Request) -> Outcome {
    let idempotency = match IdempotencyKey::parse(req.headers().get("Idempotency-Key")?.as_deref())
    {
        Ok(key) => key,
        Err(e) => return json_error(400, &e.to_string()),
    };
    let store = Store::new(&ctx.env)?;
    // Where a submission's time goes, step by step, in a `Server-Timing` header (no personal data).
    let mut timing = Timing::start(ctx);
    let partner = match partner_key(&req)? {
        Some(raw) if raw.len() <= MAX_KEY && raw.bytes().all(|b| b.is_ascii_graphic()) => {
            match store.api_key_by_hash(&sha256_hex(&raw), ctx.now()).await? {
                Some(key) => Some(key),
                None => return json_error(401, "API key unknown or revoked"),
            }
        }
        Some(_) => return json_error(401, "API key unknown or revoked"),
        None => None,
    };
    let form = crate::app::http::form::read(&mut req).await?;
    let raw = raw_submission(&form);
    let uploads = files::read_files(&form, Field::Attachments.name()).await?;
    let token = field(&form, turnstile::RESPONSE_FIELD);
    timing.mark(ctx, "read");
    let intake = Intake {
        raw: &raw,
        files: Attached::Uploaded(&uploads),
        channel: Channel::Api,
        caller: partner.as_ref().map_or(Caller::Citizen { human_check: &token }, Caller::Partner),
        key: idempotency.as_ref().map_or(Key::Fresh, Key::Caller),
        position: None,
        address: None,
        note: None,
        links: &[],
        extra: "",
    };
    let outcome = crate::app::intake::submit(ctx, &store, &intake)
        .await
        .map_err(|e| AppError::storage(format!("registering API request failed: {e}")))?;
    timing.mark(ctx, "submit");
    match outcome {
        Submitted::Created(r) => {
            let mut response = created_response(&r, false)?;
            response.headers_mut().set("Server-Timing", &timing.header())?;
            Ok(response)
        }
        Submitted::Replayed(r) => created_response(&r, true),
        Submitted::Limited(minutes) => rate_limited(minutes),
        Submitted::Refused(errors) if errors.has(Field::HumanCheck) => {
            let message = problem_message(
                ctx.lang,
                Field::HumanCheck,
                &crate::domain::submission::Problem::Required,
            );
            Ok(respond::json(
                403,
                &serde_json::json!({
                    "error": "a partner API key (Authorization: Bearer …) or a Turnstile token (cf-turnstile-response) is required",
                    "errors": { turnstile::RESPONSE_FIELD: message },
                }),
            )?)
        }
        Submitted::Refused(errors) if errors.has(Field::IdempotencyKey) => {
            json_error(422, "Idempotency-Key: already used for another request")
        }
        Submitted::Refused(errors) => Ok(errors_json(ctx, &errors)?),
    }
}

fn rate_limited(minutes: u32) -> Outcome {
    let mut response = respond::json(
        429,
        &serde_json::json!({ "error": "rate limited", "retry_after_minutes": minutes }),
    )?;
    response.headers_mut().set("Retry-After", &(minutes * 60).to_string())?;
    Ok(response)
}

/// Milliseconds spent in each step (the clock moves across I/O).
struct Timing {
    last: i64,
    steps: Vec<(&'static str, i64)>,
}

impl Timing {
    fn start(ctx: &Ctx) -> Timing {
        Timing { last: ctx.now(), steps: Vec::new() }
    }

    fn mark(&mut self, ctx: &Ctx, step: &'static str) {
        let now = ctx.now();
        self.steps.push((step, now - self.last));
        self.last = now;
    }

    fn header(&self) -> String {
        self.steps
            .iter()
            .map(|(step, ms)| format!("{step};dur={ms}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// 201 with what the citizen needs; no `Location`: the request is read back with code + email
/// (`POST /api/v1/suivi`), never at a URL that would carry its code. A replay says so.
fn created_response(r: &Receipt, replayed: bool) -> Outcome {
    let body = Created {
        code: r.code.to_string(),
        nature: r.nature.slug(),
        etape: Stage::AwaitingTriage.number(),
        stage: Stage::AwaitingTriage.slug(),
        organisme: Organisme { id: r.body_id, name: &r.body_name },
        date: iso8601(r.created_at),
    };
    let mut response = respond::json(201, &body)?;
    response.headers_mut().set("Cache-Control", "no-store")?;
    if replayed {
        response.headers_mut().set("Idempotent-Replayed", "true")?;
    }
    Ok(response)
}

/// GET /api/v1/themes?organisme=ID
pub async fn themes(ctx: &Ctx) -> Outcome {
    let body_id = ctx
        .query
        .get("organisme")
        .and_then(|v| v.trim().parse::<i64>().ok())
        .ok_or(AppError::NotFound)?;
    let store = Store::new(&ctx.env)?;
    store.body(body_id).await?.ok_or(AppError::NotFound)?;
    let themes = store.themes(body_id, ctx.lang).await?;
    let list: Vec<_> = themes
        .iter()
        .map(|t| serde_json::json!({ "id": t.id, "category": t.category, "label": t.label }))
        .collect();
    Ok(respond::json(200, &serde_json::json!({ "organisme": body_id, "themes": list }))?)
}

/// GET /api/v1/localites[?q=…&type=…&limite=…] — every place one can name (communes,
/// sous-préfectures and the localities from GeoNames), or every place of one `type` (district,
/// region, departement too), each with its kind, P-code, coordinates and what they are (seat or
/// centroid), and its parents. `q` keeps those whose name contains it, accents aside, names that
/// start with it first; `limite` the first n (1–500). The form's picker types into it: the long
/// list stays on the server.
pub async fn places(ctx: &Ctx) -> Outcome {
    use crate::domain::directory::{find_places, PlaceKind};
    let bad = |message: &str| Ok(respond::json(400, &serde_json::json!({ "error": message }))?);
    let q = ctx.query.get("q").unwrap_or_default().trim().to_owned();
    if q.chars().count() > 100 {
        return bad("q: at most 100 characters");
    }
    // Present means given: `limite=` or `type=` with nothing is refused, not ignored.
    let kind = match ctx.query.get("type").map(str::trim) {
        None => None,
        Some(t) => match PlaceKind::parse(t) {
            Some(k) => Some(k),
            None => return bad(PLACE_TYPES),
        },
    };
    let limit = match ctx.query.get("limite").map(str::trim) {
        None => usize::MAX,
        Some(l) => match l.parse::<usize>() {
            Ok(n @ 1..=500) => n,
            _ => return bad("limite: a whole number from 1 to 500"),
        },
    };
    let places = crate::app::intake::directory::places(&Store::new(&ctx.env)?).await?;
    let list: Vec<_> =
        find_places(places.all(), &q, kind, limit).into_iter().map(|p| places.view(p)).collect();
    let mut response = respond::json(
        200,
        &serde_json::json!({ "count": list.len(), "localites": list, "source": PLACES_SOURCE }),
    )?;
    response.headers_mut().set("Cache-Control", "public, max-age=3600")?;
    Ok(response)
}

const PLACE_TYPES: &str =
    "type: commune, sous_prefecture, localite, departement, region or district";
const PLACES_SOURCE: &str = "Districts, régions, départements, sous-préfectures and their polygons: OCHA COD-AB (CNTIG, OCHA, ITOS), CC BY 3.0 IGO; towns and villages, seats and coordinates: GeoNames (https://www.geonames.org), CC BY 4.0";

/// GET /api/v1/localites/proche?lat=…&lon=… — where a position is («Utiliser ma position»): the
/// sous-préfecture whose polygon contains it and the nearest town or village inside it, or
/// `{"localite": null, "etranger": true}` outside Côte d'Ivoire. A position that is not one
/// (not a number, outside the world) is a 422. Personal: never cached, never logged.
pub async fn nearest_place(ctx: &Ctx) -> Outcome {
    use crate::domain::geo::{nearest, Located, Position};
    let (lat, lon) = (ctx.query.get("lat").unwrap_or(""), ctx.query.get("lon").unwrap_or(""));
    let position = match Position::parse(lat, lon) {
        Ok(Some(p)) => p,
        Ok(None) => return Ok(respond::json(400, &serde_json::json!({ "error": POSITION }))?),
        Err(_) => return Ok(respond::json(422, &serde_json::json!({ "error": POSITION }))?),
    };
    let store = Store::new(&ctx.env)?;
    let places = crate::app::intake::directory::places(&store).await?;
    let territory = crate::app::intake::directory::territory(&store).await;
    let answer = match nearest(&places, &territory, position) {
        Located::Place(p, km) => {
            // The sous-préfecture the polygon names (none between polygons), and its parents.
            let area = territory.area_at(position).and_then(|a| places.by_id(a.place_id));
            serde_json::json!({
                "localite": places.view(p),
                "sous_prefecture": area.filter(|a| a.kind.is_choosable()).map(|a| places.view(a)),
                "zone": territory.area_at(position).map(|a| serde_json::json!({ "pcode": a.pcode, "name": a.name })),
                "distance_km": (km * 10.0).round() / 10.0,
                "etranger": false,
            })
        }
        Located::Abroad => serde_json::json!({ "localite": null, "etranger": true }),
    };
    let mut response = respond::json(200, &answer)?;
    response.headers_mut().set("Cache-Control", "private, no-store")?;
    Ok(response)
}

const POSITION: &str =
    "lat and lon: decimal degrees (lat −90 to 90, lon −180 to 180), for example lat=5.36&lon=-4.01";
