//! Posting a request through Open311: the partner's key, the service, where the problem is, then
//! the same validation, idempotency, outbox and notifications as the web form.

use serde_json::{json, Value};
use worker::{FormData, Request};

use super::{error, respond, Outcome};
use crate::app::http::crypto::sha256_hex;
use crate::app::http::form::{entries, field};
use crate::app::intake::files::read_all_files;
use crate::app::intake::{Attached, Caller, Intake, Key, Outcome as Submitted};
use crate::app::store::Store;
use crate::app::AppError;
use crate::app::Ctx;
use crate::domain::area::Territory;
use crate::domain::directory::{PlaceKind, PlaceOption};
use crate::domain::gazetteer::Gazetteer;
use crate::domain::geo::{nearest, Located, Position};
use crate::domain::idempotency::IdempotencyKey;
use crate::domain::open311::{
    country_for_phone, media_links, partner_contact, Format, ServiceCode,
};
use crate::domain::stage::Channel;
use crate::domain::submission::{Field, FieldErrors, RawSubmission};
use crate::domain::text::fold;
use crate::i18n::{problem_message, Lang};

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
fn raw_submission(
    form: &FormData,
    service: ServiceCode,
    place: String,
    phone: &str,
) -> RawSubmission {
    let f = |name: &str| field(form, name);
    let phone = phone.to_owned();
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
        voice_note: false,
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
pub(super) async fn create(ctx: &Ctx, format: Format, mut req: Request) -> Outcome {
    let idempotency = match IdempotencyKey::parse(req.headers().get("Idempotency-Key")?.as_deref())
    {
        Ok(key) => key,
        Err(e) => return error(format, 400, &[e.to_string()]),
    };
    let Ok(form) = req.form_data().await else {
        return error(format, 400, &["a form-urlencoded or multipart body is expected".into()]);
    };
    // Photos and files sent as parts (`media`, FixMyStreet's `photo1`…), kept as attachments.
    let (form, uploads) = read_all_files(form).await?;
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

    // An unknown service or jurisdiction is a 404 (whether the place and the rest fit is
    // the door's to say, as for the web form).
    let named = (field(&form, "service_code"), field(&form, "jurisdiction_id"));
    let service = match super::posted_service(&store, ctx, &named.0, &named.1).await? {
        Ok(service) => service,
        Err(refusal) => return super::refused(format, refusal),
    };
    let links = match media_links(&entries(&form, "media_url")) {
        Ok(links) => links,
        Err(message) => return error(format, 400, &[message]),
    };
    let wanted = ["attribute[lieu]", "lat", "long", "address_string"]
        .iter()
        .any(|k| !field(&form, k).trim().is_empty());
    let places = if wanted {
        crate::app::intake::directory::places(&store).await?
    } else {
        Default::default()
    };
    // The border and the polygons: read once per isolate.
    let territory = if wanted {
        crate::app::intake::directory::territory(&store).await
    } else {
        Territory::default()
    };
    let whereabouts = match locate(&form, &places, &territory) {
        Ok(w) => w,
        Err(message) => return error(format, 400, &[message]),
    };
    // A landline beside a valid email does not refuse the report: the email is the contact, the
    // number is kept for staff as it was given.
    let contact = partner_contact(&field(&form, "phone"), &field(&form, "email"));
    let raw = raw_submission(&form, service, whereabouts.place.clone(), &contact.phone);
    let position = whereabouts.position;
    // A replay must bring the same links and position too.
    let extra =
        format!("{links:?}\n{:?}|{:?}", position.map(|p| (p.lat, p.lon)), whereabouts.address);
    // Where the request came from, for staff: the partner, and a number set aside.
    let note = match &contact.set_aside {
        None => format!("Open311 : {}", key.name),
        Some(number) => {
            format!("Open311 : {} — téléphone indiqué (pas un portable) : {number}", key.name)
        }
    };
    let intake = Intake {
        raw: &raw,
        files: Attached::Uploaded(&uploads),
        channel: Channel::Open311,
        caller: Caller::Partner(&key),
        key: idempotency.as_ref().map_or(Key::Fresh, Key::Caller),
        position,
        address: whereabouts.address.as_deref(),
        note: Some(&note),
        links: &links,
        extra: &extra,
    };
    let outcome = crate::app::intake::submit(ctx, &store, &intake)
        .await
        .map_err(|e| AppError::storage(format!("registering Open311 request failed: {e}")))?;
    match outcome {
        Submitted::Created(r) | Submitted::Replayed(r) => {
            created(format, r.public_id, ctx.lang, contact.set_aside.is_some())
        }
        Submitted::Refused(errors) if errors.has(Field::IdempotencyKey) => {
            error(format, 422, &["Idempotency-Key: already used for another request".into()])
        }
        Submitted::Refused(errors) => error(format, 400, &errors_list(ctx, &errors)),
        Submitted::Limited(minutes) => {
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

/// 201 with the request's Open311 id (the citizen's tracking code goes to the citizen only), and
/// which contact the citizen will be told on when a number was set aside.
fn created(format: Format, public_id: String, lang: Lang, by_email: bool) -> Outcome {
    let notice = match (lang, by_email) {
        (Lang::Fr, false) => "Requête enregistrée. Le citoyen reçoit son code par e-mail ou SMS et peut la suivre sur Miliê.",
        (Lang::En, false) => "Request registered. The citizen receives the code by email or text message and can follow it on Miliê.",
        (Lang::Fr, true) => "Requête enregistrée. Le numéro donné n'est pas un portable : le citoyen reçoit son code par e-mail ; le numéro est noté pour l'organisme.",
        (Lang::En, true) => "Request registered. The number given is not a mobile: the citizen receives the code by email; the number is noted for the body.",
    };
    let list = json!([{ "service_request_id": public_id, "service_notice": notice, "account_id": Value::Null }]);
    respond(format, 201, "service_requests", &list)
}
