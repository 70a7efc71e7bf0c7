//! Bodies (added one by one, edited with their deadlines; imported and exported as a CSV by
//! `imports`) and their themes.

use askama::Template;
use worker::Request;

use super::{admin, admin_post, bodies_page, confirm, kept, Outcome, Page};
use crate::app::http::csrf;
use crate::app::http::flash;
use crate::app::http::form::field;
use crate::app::http::respond;
use crate::app::http::respond::with_cookie;
use crate::app::http::staff_session::nav;
use crate::app::store::{BodyAdmin, Store};
use crate::app::AppError;
use crate::app::Ctx;
use crate::domain::body::{parse_phones, slugify};
use crate::domain::deadline::DayCount;
use crate::domain::email::Email;
use crate::domain::import::bodies::BodyRecord;
use crate::domain::staff::Staff;
use crate::domain::time::day_iso;
use crate::i18n::manage::{ask, done, Ask, Done};
use crate::web::admin::{AdminBodyPage, BodyRow, ThemeRow};

pub(super) fn body_row(lang: crate::i18n::Lang, b: BodyAdmin) -> BodyRow {
    let field = |c| crate::i18n::import::field(lang, c);
    let phones = b.phones_display();
    let formerly: Vec<String> = serde_json::from_str(&b.former_names).unwrap_or_default();
    let about = [
        (field("kind"), b.kind),
        (field("holder"), b.holder),
        (field("website"), b.website),
        (field("anciennement"), formerly.join(" | ")),
        (field("gouvernement"), b.government),
        (field("evidence"), b.evidence),
        (field("confidence"), b.confidence),
        (field("source_contacts"), b.contacts_source),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .collect();
    BodyRow {
        phones,
        id: b.id,
        name: b.name,
        acronym: b.acronym,
        source: b.source,
        source_date: b.source_date,
        about,
        location: b.location,
        email: b.email.unwrap_or_default(),
        triage_days: b.triage_days,
        treatment_days: b.treatment_days,
        business_days: b.deadline_unit == DayCount::Business.slug(),
        active: b.active == 1,
        no_focal_point: b.focal_points == 0,
    }
}

/// GET /agent/admin/organismes
pub async fn bodies(ctx: &Ctx) -> Outcome {
    let (store, me) = signed_in_admin!(ctx);
    bodies_page(ctx, &store).await?.respond(ctx, &me)
}

/// POST /agent/admin/organismes — one new body.
pub async fn add_body(ctx: &Ctx, req: Request) -> Outcome {
    let (form, store, me) = posted!(ctx, req);
    let t = &ctx.lang.texts().admin;
    let name: String = field(&form, "nom").trim().chars().take(200).collect();
    let (false, Ok(phones)) = (name.is_empty(), parse_phones(&field(&form, "telephones"))) else {
        return bodies_page(ctx, &store)
            .await?
            .refused(
                422,
                vec![t.invalid.to_owned()],
                kept(&form, &["nom", "telephones", "localisation"]),
            )
            .respond(ctx, &me);
    };
    let record = BodyRecord {
        name,
        phones,
        address: field(&form, "localisation").trim().chars().take(200).collect(),
        ..BodyRecord::default()
    };
    let slug = slugify(&record.name);
    store.add_body(&slug, &record, &day_iso(ctx.now()), ctx.now()).await?;
    crate::app::http::cache::purge_directory().await;
    store.audit(me.id, crate::domain::audit::Action::BodyCreate, &slug, None, ctx.now()).await?;
    flash::redirect("/agent/admin/organismes", &done(ctx.lang, Done::BodyCreated(&record.name)))
}

async fn body_page(
    ctx: &Ctx,
    store: &Store,
    me: &Staff,
    id: i64,
    status: u16,
    errors: Vec<String>,
) -> Outcome {
    let body = store.body_admin(id).await?.ok_or(AppError::NotFound)?;
    let (csrf, cookie) = csrf::token(ctx)?;
    let notice = if status == 200 { flash::take(ctx) } else { None };
    let page = AdminBodyPage {
        c: ctx.chrome(""),
        s: Some(nav(me, "admin", &csrf, "")),
        csrf,
        body: body_row(ctx.lang, body),
        notice: notice.clone(),
        errors,
    };
    let mut response = with_cookie(respond::html(status, page.render()?)?, cookie)?;
    response.headers_mut().set("Cache-Control", "private, no-store")?;
    if notice.is_some() {
        flash::clear(&mut response)?;
    }
    Ok(response)
}

/// GET /agent/admin/organismes/{id}
pub async fn body(ctx: &Ctx, id: &str) -> Outcome {
    let (store, me) = signed_in_admin!(ctx);
    body_page(ctx, &store, &me, id.parse().map_err(|_| AppError::NotFound)?, 200, Vec::new()).await
}

/// POST /agent/admin/organismes/{id} — contacts, deadlines, active.
pub async fn update_body(ctx: &Ctx, id: &str, req: Request) -> Outcome {
    let (form, store, me) = posted!(ctx, req);
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let current = store.body_admin(id).await?.ok_or(AppError::NotFound)?;
    let t = &ctx.lang.texts().admin;
    let name: String = field(&form, "nom").trim().chars().take(200).collect();
    let phones = parse_phones(&field(&form, "telephones"));
    let email_raw = field(&form, "email");
    let email =
        if email_raw.trim().is_empty() { Ok(None) } else { Email::parse(&email_raw).map(Some) };
    let days = |name: &str| {
        field(&form, name).trim().parse::<i64>().ok().filter(|d| (1..=365).contains(d))
    };
    // A form without the choice keeps the body's current way of counting.
    let count = match field(&form, "jours").as_str() {
        "" => DayCount::parse(&current.deadline_unit),
        unit => DayCount::parse(unit),
    };
    let (false, Ok(phones), Ok(email), Some(triage), Some(treatment), Some(count)) =
        (name.is_empty(), phones, email, days("delai_examen"), days("delai_traitement"), count)
    else {
        return body_page(ctx, &store, &me, id, 422, vec![t.invalid.to_owned()]).await;
    };
    let location: String = field(&form, "localisation").trim().chars().take(200).collect();
    let active = field(&form, "actif") == "1";
    store
        .update_body(
            id,
            &name,
            &phones,
            &location,
            email.as_ref().map(Email::as_str),
            (triage, treatment, count),
            active,
            ctx.now(),
        )
        .await?;
    let detail =
        format!("triage {triage} d, treatment {treatment} d ({}), active {active}", count.slug());
    crate::app::http::cache::purge_directory().await;
    store
        .audit(
            me.id,
            crate::domain::audit::Action::BodyUpdate,
            &id.to_string(),
            Some(&detail),
            ctx.now(),
        )
        .await?;
    flash::redirect(
        &format!("/agent/admin/organismes/{id}"),
        &done(ctx.lang, Done::BodySaved(&name)),
    )
}

async fn themes_page(ctx: &Ctx, store: &Store, body_id: Option<i64>) -> Result<Page, AppError> {
    let bodies: Vec<(i64, String)> =
        store.list_bodies_admin().await?.into_iter().map(|b| (b.id, b.name)).collect();
    let chosen = body_id
        .or(bodies.first().map(|b| b.0))
        .and_then(|id| bodies.iter().find(|b| b.0 == id).cloned());
    let themes = match &chosen {
        Some((id, _)) => store
            .body_themes_admin(*id)
            .await?
            .into_iter()
            .map(|t| ThemeRow {
                id: t.id,
                label_fr: format!("{} : {}", t.category_fr, t.label_fr),
                label_en: format!("{} : {}", t.category_en, t.label_en),
                active: t.active == 1,
            })
            .collect(),
        None => Vec::new(),
    };
    Ok(Page::new(
        "themes",
        ctx.lang.texts().admin.themes,
        crate::web::admin::Section::Themes { bodies, chosen, themes },
    ))
}

/// GET /agent/admin/themes[?organisme=…]
pub async fn themes(ctx: &Ctx) -> Outcome {
    let (store, me) = signed_in_admin!(ctx);
    let body_id = ctx.query.get("organisme").and_then(|v| v.parse().ok());
    themes_page(ctx, &store, body_id).await?.respond(ctx, &me)
}

/// POST /agent/admin/organismes/{id}/themes — a theme of this body (its own list replaces the general one).
pub async fn add_theme(ctx: &Ctx, id: &str, req: Request) -> Outcome {
    let (form, store, me) = posted!(ctx, req);
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let body = store.body_admin(id).await?.ok_or(AppError::NotFound)?;
    let take =
        |name: &str, max: usize| field(&form, name).trim().chars().take(max).collect::<String>();
    let (category, label) = (take("categorie", 60), take("theme", 100));
    if category.is_empty() || label.is_empty() {
        let kept = kept(&form, &["categorie", "theme", "categorie_en", "theme_en"]);
        return themes_page(ctx, &store, Some(id))
            .await?
            .refused(422, vec![ctx.lang.texts().admin.invalid.to_owned()], kept)
            .respond(ctx, &me);
    }
    // Without an English wording, the French one is shown in English too.
    let category_en = Some(take("categorie_en", 60))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| category.clone());
    let label_en =
        Some(take("theme_en", 100)).filter(|s| !s.is_empty()).unwrap_or_else(|| label.clone());
    let slug = slugify(&format!("{category} {label}"));
    store.add_theme(id, &slug, (&category, &label), (&category_en, &label_en)).await?;
    crate::app::http::cache::purge_directory().await;
    store
        .audit(
            me.id,
            crate::domain::audit::Action::ThemeAdd,
            &format!("{id}/{slug}"),
            None,
            ctx.now(),
        )
        .await?;
    let label = format!("{category} : {label}");
    flash::redirect(
        &format!("/agent/admin/themes?organisme={id}"),
        &done(ctx.lang, Done::ThemeAdded { body: &body.name, label: &label }),
    )
}

async fn theme_label(store: &Store, body_id: i64, theme: i64) -> Result<String, AppError> {
    let t = store
        .body_themes_admin(body_id)
        .await?
        .into_iter()
        .find(|t| t.id == theme)
        .ok_or(AppError::NotFound)?;
    Ok(format!("{} : {}", t.category_fr, t.label_fr))
}

/// GET /agent/admin/organismes/{id}/themes/{theme}/desactiver — asks first.
pub async fn theme_confirm(ctx: &Ctx, id: &str, theme: &str) -> Outcome {
    let (store, me) = signed_in_admin!(ctx);
    let (id, theme): (i64, i64) = (
        id.parse().map_err(|_| AppError::NotFound)?,
        theme.parse().map_err(|_| AppError::NotFound)?,
    );
    let label = theme_label(&store, id, theme).await?;
    let t = ctx.lang.texts();
    let question = ask(ctx.lang, Ask::DeactivateTheme(&label));
    let cancel = format!("/agent/admin/themes?organisme={id}");
    confirm(
        "themes",
        t.admin.themes,
        question,
        t.manage.theme_consequence,
        format!("/agent/admin/organismes/{id}/themes/{theme}/desactiver"),
        t.admin.deactivate,
        &cancel,
    )
    .respond(ctx, &me)
}

/// POST /agent/admin/organismes/{id}/themes/{theme}/desactiver | reactiver
pub async fn set_theme_active(
    ctx: &Ctx,
    id: &str,
    theme: &str,
    active: bool,
    req: Request,
) -> Outcome {
    let (_, store, me) = posted!(ctx, req);
    let (id, theme): (i64, i64) = (
        id.parse().map_err(|_| AppError::NotFound)?,
        theme.parse().map_err(|_| AppError::NotFound)?,
    );
    let label = theme_label(&store, id, theme).await?;
    store.set_theme_active(theme, id, active).await?;
    crate::app::http::cache::purge_directory().await;
    store
        .audit(
            me.id,
            if active {
                crate::domain::audit::Action::ThemeReactivate
            } else {
                crate::domain::audit::Action::ThemeDeactivate
            },
            &format!("{id}/{theme}"),
            None,
            ctx.now(),
        )
        .await?;
    let message =
        if active { Done::ThemeReactivated(&label) } else { Done::ThemeDeactivated(&label) };
    flash::redirect(&format!("/agent/admin/themes?organisme={id}"), &done(ctx.lang, message))
}
