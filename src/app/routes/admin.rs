//! Administration (admins only): staff, bodies with their deadlines and themes, CSV imports of
//! bodies and places, and failed notifications with «renvoyer». Every change is audited.

use askama::Template;
use worker::{FormData, FormEntry, Request};

use super::Outcome;
use crate::app::form::field;
use crate::app::respond::with_cookie;
use crate::app::staff_session::current_staff;
use crate::app::store::{BodyAdmin, Store};
use crate::app::{csrf, notifier, respond, AppError, Ctx};
use crate::domain::body::{parse_phones, slugify};
use crate::domain::deadline::DayCount;
use crate::domain::email::Email;
use crate::domain::import::{self, BodyLine, LineError};
use crate::domain::staff::{parse_role, Staff};
use crate::domain::stage::Role;
use crate::domain::time::{date_fr, day_iso, parse_day};
use crate::web::admin::{mask, AdminBodyPage, AdminHomePage, ApiKeyRow, BodyRow, FailedRow, HolidayRow, StaffRow, ThemeRow};

const MAX_CSV_BYTES: usize = 2 * 1024 * 1024;

/// The signed-in admin, or the reason not to go on (sign in, or 403).
async fn admin(ctx: &Ctx, store: &Store) -> Result<Staff, Outcome> {
    match current_staff(ctx, store).await {
        Ok(Some(staff)) if staff.role == Role::Admin => Ok(staff),
        Ok(Some(_)) => Err(Err(AppError::Forbidden)),
        Ok(None) => Err(respond::redirect("/agent/connexion").map_err(AppError::from)),
        Err(e) => Err(Err(e.into())),
    }
}

/// For a POST: the form, the store, and the admin who sent it with this browser's CSRF token.
async fn admin_post(ctx: &Ctx, mut req: Request) -> Result<(FormData, Store, Staff), Outcome> {
    let form = req.form_data().await.map_err(|_| Err(AppError::BadRequest))?;
    let store = Store::new(&ctx.env).map_err(|e| Err(e.into()))?;
    let staff = admin(ctx, &store).await?;
    if !csrf::valid(ctx, &field(&form, "csrf")) {
        return Err(Err(AppError::Forbidden));
    }
    Ok((form, store, staff))
}

fn body_row(b: BodyAdmin) -> BodyRow {
    BodyRow {
        phones: b.phones_display(),
        id: b.id,
        name: b.name,
        location: b.location,
        email: b.email.unwrap_or_default(),
        triage_days: b.triage_days,
        treatment_days: b.treatment_days,
        business_days: b.deadline_unit == DayCount::Business.slug(),
        active: b.active == 1,
        no_focal_point: b.focal_points == 0,
    }
}

async fn home_page(ctx: &Ctx, store: &Store, status: u16, notice: Option<String>, errors: Vec<String>) -> Outcome {
    let t = ctx.lang.texts();
    let staff = store
        .list_staff()
        .await?
        .into_iter()
        .map(|s| StaffRow { id: s.id, role: t.admin.role(&s.role), name: s.name, email: s.email, body: s.body_name, active: s.active == 1 })
        .collect();
    let bodies = store.list_bodies_admin().await?.into_iter().map(body_row).collect();
    let failed = store
        .failed_notifications()
        .await?
        .into_iter()
        .map(|f| FailedRow {
            id: f.id,
            channel: f.channel,
            template: f.template,
            recipient: mask(&f.recipient),
            code: f.code,
            attempts: f.attempts,
            error: f.last_error.unwrap_or_default().chars().take(200).collect(),
            date: date_fr(f.created_at),
        })
        .collect();
    let channels = store.citizen_channels().await?;
    // Past holidays no longer change any deadline; the list shows what is still to come.
    let holidays = store.holidays_from(&day_iso(ctx.now())).await?.into_iter().map(|h| HolidayRow { day: h.day, label: h.label }).collect();
    let api_keys = store
        .api_keys()
        .await?
        .into_iter()
        .map(|k| ApiKeyRow {
            id: k.id,
            name: k.name,
            prefix: k.prefix,
            created: date_fr(k.created_at),
            last_used: k.last_used_at.map(date_fr),
            revoked: k.revoked_at.is_some(),
        })
        .collect();
    let (csrf, cookie) = csrf::token(ctx)?;
    let page = AdminHomePage {
        c: ctx.chrome(""),
        csrf,
        notice,
        errors,
        staff,
        bodies,
        failed,
        notify_email: channels.contains(&"email"),
        notify_sms: channels.contains(&"sms"),
        holidays,
        api_keys,
    };
    let mut response = with_cookie(respond::html(status, page.render()?)?, cookie)?;
    response.headers_mut().set("Cache-Control", "private, no-store")?;
    Ok(response)
}

/// GET /agent/admin
pub async fn home(ctx: &Ctx) -> Outcome {
    let store = Store::new(&ctx.env)?;
    if let Err(outcome) = admin(ctx, &store).await {
        return outcome;
    }
    home_page(ctx, &store, 200, None, Vec::new()).await
}

/// POST /agent/admin/agents — a new staff account (it signs in by link; no password exists).
pub async fn add_staff(ctx: &Ctx, req: Request) -> Outcome {
    let (form, store, me) = match admin_post(ctx, req).await {
        Ok(ok) => ok,
        Err(outcome) => return outcome,
    };
    let t = &ctx.lang.texts().admin;
    let name: String = field(&form, "nom").trim().chars().take(100).collect();
    let email = Email::parse(&field(&form, "email"));
    let role = parse_role(&field(&form, "role"));
    let body_id = field(&form, "organisme").parse::<i64>().ok();
    let body_ok = match body_id {
        Some(id) => store.body(id).await?.is_some(),
        None => true,
    };
    let (Ok(email), Some(role), false, true) = (email, role, name.is_empty(), body_ok) else {
        return home_page(ctx, &store, 422, None, vec![t.invalid.to_owned()]).await;
    };
    if role == Role::FocalPoint && body_id.is_none() {
        return home_page(ctx, &store, 422, None, vec![t.invalid.to_owned()]).await;
    }
    let body_id = if role == Role::FocalPoint { body_id } else { None };
    if !store.create_staff(email.as_str(), &name, role.slug(), body_id).await? {
        return home_page(ctx, &store, 409, None, vec![t.exists.to_owned()]).await;
    }
    store.audit(me.id, "staff.create", email.as_str(), Some(role.slug()), ctx.now()).await?;
    home_page(ctx, &store, 200, Some(t.saved.to_owned()), Vec::new()).await
}

/// POST /agent/admin/agents/{id}/desactiver | reactiver
pub async fn set_staff_active(ctx: &Ctx, id: &str, active: bool, req: Request) -> Outcome {
    let (_, store, me) = match admin_post(ctx, req).await {
        Ok(ok) => ok,
        Err(outcome) => return outcome,
    };
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    if id == me.id && !active {
        return home_page(ctx, &store, 409, None, vec![ctx.lang.texts().admin.invalid.to_owned()]).await;
    }
    store.set_staff_active(id, active, ctx.now()).await?;
    store.audit(me.id, if active { "staff.reactivate" } else { "staff.deactivate" }, &id.to_string(), None, ctx.now()).await?;
    home_page(ctx, &store, 200, Some(ctx.lang.texts().admin.saved.to_owned()), Vec::new()).await
}

/// POST /agent/admin/organismes — one new body.
pub async fn add_body(ctx: &Ctx, req: Request) -> Outcome {
    let (form, store, me) = match admin_post(ctx, req).await {
        Ok(ok) => ok,
        Err(outcome) => return outcome,
    };
    let t = &ctx.lang.texts().admin;
    let name: String = field(&form, "nom").trim().chars().take(200).collect();
    let (false, Ok(phones)) = (name.is_empty(), parse_phones(&field(&form, "telephones"))) else {
        return home_page(ctx, &store, 422, None, vec![t.invalid.to_owned()]).await;
    };
    let line = BodyLine { slug: slugify(&name), name, phones, location: field(&form, "localisation").trim().chars().take(200).collect(), email: None };
    store.upsert_bodies(std::slice::from_ref(&line), ctx.now()).await?;
    crate::app::cache::purge_directory().await;
    store.audit(me.id, "body.create", &line.slug, None, ctx.now()).await?;
    home_page(ctx, &store, 200, Some(t.saved.to_owned()), Vec::new()).await
}

async fn csv_upload(form: &FormData) -> Option<String> {
    let Some(FormEntry::File(file)) = form.get("fichier") else { return None };
    let bytes = file.bytes().await.ok()?;
    if bytes.len() > MAX_CSV_BYTES {
        return None;
    }
    String::from_utf8(bytes).ok()
}

fn line_errors(ctx: &Ctx, errors: Vec<LineError>) -> Vec<String> {
    let word = if ctx.lang == crate::i18n::Lang::Fr { "Ligne" } else { "Line" };
    let mut out = vec![ctx.lang.texts().admin.import_errors.to_owned()];
    out.extend(errors.into_iter().take(50).map(|e| format!("{word} {} : {}", e.line, e.message)));
    out
}

/// POST /agent/admin/organismes/import — the full list of bodies (CSV), all lines or none.
pub async fn import_bodies(ctx: &Ctx, req: Request) -> Outcome {
    let (form, store, me) = match admin_post(ctx, req).await {
        Ok(ok) => ok,
        Err(outcome) => return outcome,
    };
    let t = &ctx.lang.texts().admin;
    let Some(data) = csv_upload(&form).await else {
        return home_page(ctx, &store, 422, None, vec![t.invalid.to_owned()]).await;
    };
    match import::bodies(&data) {
        Ok(lines) => {
            store.upsert_bodies(&lines, ctx.now()).await?;
            crate::app::cache::purge_directory().await;
            store.audit(me.id, "body.import", "bodies", Some(&lines.len().to_string()), ctx.now()).await?;
            home_page(ctx, &store, 200, Some(t.imported.replace("{n}", &lines.len().to_string())), Vec::new()).await
        }
        Err(errors) => home_page(ctx, &store, 422, None, line_errors(ctx, errors)).await,
    }
}

/// POST /agent/admin/lieux/import — places (CSV), parents first; unknown parents refuse the file.
pub async fn import_places(ctx: &Ctx, req: Request) -> Outcome {
    let (form, store, me) = match admin_post(ctx, req).await {
        Ok(ok) => ok,
        Err(outcome) => return outcome,
    };
    let t = &ctx.lang.texts().admin;
    let Some(data) = csv_upload(&form).await else {
        return home_page(ctx, &store, 422, None, vec![t.invalid.to_owned()]).await;
    };
    let lines = match import::places(&data) {
        Ok(lines) => lines,
        Err(errors) => return home_page(ctx, &store, 422, None, line_errors(ctx, errors)).await,
    };
    // A parent must exist already or come earlier in the same file.
    let mut errors = Vec::new();
    let parents: Vec<String> = lines.iter().filter_map(|l| l.parent.clone()).collect();
    let missing = store.missing_place_parents(&parents).await?;
    for (i, line) in lines.iter().enumerate() {
        if let Some(parent) = &line.parent {
            let earlier = lines[..i].iter().any(|l| &l.slug == parent);
            if missing.contains(parent) && !earlier {
                errors.push(LineError { line: i as u64 + 2, message: format!("rattachement inconnu : {parent}") });
            }
        }
    }
    if !errors.is_empty() {
        return home_page(ctx, &store, 422, None, line_errors(ctx, errors)).await;
    }
    store.upsert_places(&lines).await?;
    store.audit(me.id, "place.import", "places", Some(&lines.len().to_string()), ctx.now()).await?;
    home_page(ctx, &store, 200, Some(t.imported.replace("{n}", &lines.len().to_string())), Vec::new()).await
}

async fn body_page(ctx: &Ctx, store: &Store, id: i64, status: u16, notice: Option<String>, errors: Vec<String>) -> Outcome {
    let body = store.body_admin(id).await?.ok_or(AppError::NotFound)?;
    let themes = store
        .body_themes_admin(id)
        .await?
        .into_iter()
        .map(|t| ThemeRow {
            id: t.id,
            label_fr: format!("{} : {}", t.category_fr, t.label_fr),
            label_en: format!("{} : {}", t.category_en, t.label_en),
            active: t.active == 1,
        })
        .collect();
    let (csrf, cookie) = csrf::token(ctx)?;
    let page = AdminBodyPage { c: ctx.chrome(""), csrf, body: body_row(body), themes, notice, errors };
    let mut response = with_cookie(respond::html(status, page.render()?)?, cookie)?;
    response.headers_mut().set("Cache-Control", "private, no-store")?;
    Ok(response)
}

/// GET /agent/admin/organismes/{id}
pub async fn body(ctx: &Ctx, id: &str) -> Outcome {
    let store = Store::new(&ctx.env)?;
    if let Err(outcome) = admin(ctx, &store).await {
        return outcome;
    }
    body_page(ctx, &store, id.parse().map_err(|_| AppError::NotFound)?, 200, None, Vec::new()).await
}

/// POST /agent/admin/organismes/{id} — contacts, deadlines, active.
pub async fn update_body(ctx: &Ctx, id: &str, req: Request) -> Outcome {
    let (form, store, me) = match admin_post(ctx, req).await {
        Ok(ok) => ok,
        Err(outcome) => return outcome,
    };
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let current = store.body_admin(id).await?.ok_or(AppError::NotFound)?;
    let t = &ctx.lang.texts().admin;
    let name: String = field(&form, "nom").trim().chars().take(200).collect();
    let phones = parse_phones(&field(&form, "telephones"));
    let email_raw = field(&form, "email");
    let email = if email_raw.trim().is_empty() { Ok(None) } else { Email::parse(&email_raw).map(Some) };
    let days = |name: &str| field(&form, name).trim().parse::<i64>().ok().filter(|d| (1..=365).contains(d));
    // A form without the choice keeps the body's current way of counting.
    let count = match field(&form, "jours").as_str() {
        "" => DayCount::parse(&current.deadline_unit),
        unit => DayCount::parse(unit),
    };
    let (false, Ok(phones), Ok(email), Some(triage), Some(treatment), Some(count)) =
        (name.is_empty(), phones, email, days("delai_examen"), days("delai_traitement"), count)
    else {
        return body_page(ctx, &store, id, 422, None, vec![t.invalid.to_owned()]).await;
    };
    let location: String = field(&form, "localisation").trim().chars().take(200).collect();
    let active = field(&form, "actif") == "1";
    store.update_body(id, &name, &phones, &location, email.as_ref().map(Email::as_str), (triage, treatment, count), active, ctx.now()).await?;
    let detail = format!("triage {triage} d, treatment {treatment} d ({}), active {active}", count.slug());
    crate::app::cache::purge_directory().await;
    store.audit(me.id, "body.update", &id.to_string(), Some(&detail), ctx.now()).await?;
    body_page(ctx, &store, id, 200, Some(t.saved.to_owned()), Vec::new()).await
}

/// POST /agent/admin/organismes/{id}/themes — a theme of this body (its own list replaces the general one).
pub async fn add_theme(ctx: &Ctx, id: &str, req: Request) -> Outcome {
    let (form, store, me) = match admin_post(ctx, req).await {
        Ok(ok) => ok,
        Err(outcome) => return outcome,
    };
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    store.body_admin(id).await?.ok_or(AppError::NotFound)?;
    let take = |name: &str, max: usize| field(&form, name).trim().chars().take(max).collect::<String>();
    let (category, label) = (take("categorie", 60), take("theme", 100));
    if category.is_empty() || label.is_empty() {
        return body_page(ctx, &store, id, 422, None, vec![ctx.lang.texts().admin.invalid.to_owned()]).await;
    }
    // Without an English wording, the French one is shown in English too.
    let category_en = Some(take("categorie_en", 60)).filter(|s| !s.is_empty()).unwrap_or_else(|| category.clone());
    let label_en = Some(take("theme_en", 100)).filter(|s| !s.is_empty()).unwrap_or_else(|| label.clone());
    let slug = slugify(&format!("{category} {label}"));
    store.add_theme(id, &slug, (&category, &label), (&category_en, &label_en)).await?;
    crate::app::cache::purge_directory().await;
    store.audit(me.id, "theme.add", &format!("{id}/{slug}"), None, ctx.now()).await?;
    body_page(ctx, &store, id, 200, Some(ctx.lang.texts().admin.saved.to_owned()), Vec::new()).await
}

/// POST /agent/admin/organismes/{id}/themes/{theme}/desactiver | reactiver
pub async fn set_theme_active(ctx: &Ctx, id: &str, theme: &str, active: bool, req: Request) -> Outcome {
    let (_, store, me) = match admin_post(ctx, req).await {
        Ok(ok) => ok,
        Err(outcome) => return outcome,
    };
    let (id, theme): (i64, i64) = (id.parse().map_err(|_| AppError::NotFound)?, theme.parse().map_err(|_| AppError::NotFound)?);
    store.set_theme_active(theme, id, active).await?;
    crate::app::cache::purge_directory().await;
    store.audit(me.id, if active { "theme.reactivate" } else { "theme.deactivate" }, &format!("{id}/{theme}"), None, ctx.now()).await?;
    body_page(ctx, &store, id, 200, Some(ctx.lang.texts().admin.saved.to_owned()), Vec::new()).await
}

/// POST /agent/admin/notifications/{id}/renvoyer — a failed notification goes back in line.
pub async fn retry_notification(ctx: &Ctx, id: &str, req: Request) -> Outcome {
    let (_, store, me) = match admin_post(ctx, req).await {
        Ok(ok) => ok,
        Err(outcome) => return outcome,
    };
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    if store.retry_notification(id).await? {
        notifier::enqueue(&ctx.env, &store, &[id]).await;
        store.audit(me.id, "notification.retry", &id.to_string(), None, ctx.now()).await?;
    }
    home_page(ctx, &store, 200, Some(ctx.lang.texts().admin.saved.to_owned()), Vec::new()).await
}

/// POST /agent/admin/jours-feries — a public holiday (or a new name for that day). Deadlines already
/// set keep their date; steps entered from now on skip the day.
pub async fn add_holiday(ctx: &Ctx, req: Request) -> Outcome {
    let (form, store, me) = match admin_post(ctx, req).await {
        Ok(ok) => ok,
        Err(outcome) => return outcome,
    };
    let day = field(&form, "date").trim().to_owned();
    let label: String = field(&form, "fete").trim().chars().filter(|c| !c.is_control()).take(120).collect();
    if parse_day(&day).is_none() || label.is_empty() {
        return home_page(ctx, &store, 422, None, vec![ctx.lang.texts().admin.holiday_invalid.to_owned()]).await;
    }
    store.set_holiday(&day, &label).await?;
    store.audit(me.id, "holiday.set", &day, Some(&label), ctx.now()).await?;
    home_page(ctx, &store, 200, Some(ctx.lang.texts().admin.saved.to_owned()), Vec::new()).await
}

/// POST /agent/admin/jours-feries/{day}/retirer
pub async fn remove_holiday(ctx: &Ctx, day: &str, req: Request) -> Outcome {
    let (_, store, me) = match admin_post(ctx, req).await {
        Ok(ok) => ok,
        Err(outcome) => return outcome,
    };
    parse_day(day).ok_or(AppError::NotFound)?;
    store.remove_holiday(day).await?;
    store.audit(me.id, "holiday.remove", day, None, ctx.now()).await?;
    home_page(ctx, &store, 200, Some(ctx.lang.texts().admin.saved.to_owned()), Vec::new()).await
}

/// POST /agent/admin/cles-api — a new Open311 key, shown once; only its SHA-256 is stored.
pub async fn create_api_key(ctx: &Ctx, req: Request) -> Outcome {
    let (form, store, me) = match admin_post(ctx, req).await {
        Ok(ok) => ok,
        Err(outcome) => return outcome,
    };
    let name: String = field(&form, "nom").trim().chars().filter(|c| !c.is_control()).take(100).collect();
    if name.is_empty() {
        return home_page(ctx, &store, 422, None, vec![ctx.lang.texts().admin.invalid.to_owned()]).await;
    }
    let key = format!("milie_{}", crate::app::crypto::random_token(32)?);
    store.create_api_key(&name, &crate::app::crypto::sha256_hex(&key), &key[..10], me.id, ctx.now()).await?;
    store.audit(me.id, "api_key.create", &name, None, ctx.now()).await?;
    let notice = ctx.lang.texts().admin.api_key_created.replace("{name}", &name).replace("{key}", &key);
    home_page(ctx, &store, 200, Some(notice), Vec::new()).await
}

/// POST /agent/admin/cles-api/{id}/revoquer
pub async fn revoke_api_key(ctx: &Ctx, id: &str, req: Request) -> Outcome {
    let (_, store, me) = match admin_post(ctx, req).await {
        Ok(ok) => ok,
        Err(outcome) => return outcome,
    };
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    if store.revoke_api_key(id, ctx.now()).await? {
        store.audit(me.id, "api_key.revoke", &id.to_string(), None, ctx.now()).await?;
    }
    home_page(ctx, &store, 200, Some(ctx.lang.texts().admin.saved.to_owned()), Vec::new()).await
}

/// POST /agent/admin/parametres — which channels carry notifications to citizens.
pub async fn settings(ctx: &Ctx, req: Request) -> Outcome {
    let (form, store, me) = match admin_post(ctx, req).await {
        Ok(ok) => ok,
        Err(outcome) => return outcome,
    };
    let (email, sms) = (field(&form, "mail") == "1", field(&form, "sms") == "1");
    store.set_citizen_channels(email, sms).await?;
    store.audit(me.id, "settings.channels", "notify", Some(&format!("email {email}, sms {sms}")), ctx.now()).await?;
    home_page(ctx, &store, 200, Some(ctx.lang.texts().admin.saved.to_owned()), Vec::new()).await
}
