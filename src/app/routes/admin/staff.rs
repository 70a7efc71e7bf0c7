//! Staff accounts: listed with their status in words, created with an invitation mail (a first
//! sign-in link), deactivated after a confirmation (never one's own), reactivated.

use crate::domain::notification::Template;
use worker::Request;

use super::{admin, admin_post, confirm, kept, Outcome, Page};
use crate::app::delivery::notifier;
use crate::app::http::crypto::{random_token, sha256_hex};
use crate::app::http::flash;
use crate::app::http::form::field;
use crate::app::store::Store;
use crate::app::AppError;
use crate::app::Ctx;
use crate::domain::email::Email;
use crate::domain::staff::{parse_role, Staff};
use crate::domain::stage::Role;
use crate::i18n::manage::{ask, done, Ask, Done};
use crate::notify::Payload;
use crate::web::admin::{Section, StaffRow};

/// An invitation's link lasts longer than a sign-in link: the person may read it the next day.
const INVITATION_MS: i64 = 72 * 3600 * 1000;
const FIELDS: [&str; 4] = ["nom", "email", "role", "organisme"];

async fn page(ctx: &Ctx, store: &Store, me: &Staff) -> Result<Page, AppError> {
    let t = ctx.lang.texts();
    let rows = store
        .list_staff()
        .await?
        .into_iter()
        .map(|s| StaffRow {
            id: s.id,
            role: t.admin.role(&s.role),
            name: s.name,
            email: s.email,
            body: s.body_name,
            active: s.active == 1,
            role_slug: s.role,
            body_id: s.body_id,
        })
        .collect();
    let bodies = store.active_bodies().await?.into_iter().map(|b| (b.id, b.name)).collect();
    Ok(Page::new("agents", t.admin.staff, Section::Staff { rows, bodies, me: me.id }))
}

/// GET /agent/admin/agents
pub async fn staff(ctx: &Ctx) -> Outcome {
    let store = Store::new(&ctx.env)?;
    let me = match admin(ctx, &store).await {
        Ok(me) => me,
        Err(outcome) => return outcome,
    };
    page(ctx, &store, &me).await?.respond(ctx, &me)
}

/// POST /agent/admin/agents — a new account (it signs in by link; no password exists) and its invitation.
pub async fn add_staff(ctx: &Ctx, req: Request) -> Outcome {
    let (form, store, me) = match admin_post(ctx, req).await {
        Ok(ok) => ok,
        Err(outcome) => return outcome,
    };
    let t = &ctx.lang.texts().admin;
    let name: String =
        field(&form, "nom").trim().chars().filter(|c| !c.is_control()).take(100).collect();
    let email = Email::parse(&field(&form, "email"));
    let role = parse_role(&field(&form, "role"));
    let body_id = field(&form, "organisme").parse::<i64>().ok();
    let body_ok = match body_id {
        Some(id) => store.body(id).await?.is_some(),
        None => true,
    };
    let valid = match (&email, role) {
        (Ok(_), Some(role)) => {
            !name.is_empty() && body_ok && !(role == Role::FocalPoint && body_id.is_none())
        }
        _ => false,
    };
    let (Ok(email), Some(role), true) = (email, role, valid) else {
        return page(ctx, &store, &me)
            .await?
            .refused(422, vec![t.invalid.to_owned()], kept(&form, &FIELDS))
            .respond(ctx, &me);
    };
    // A focal point has a body; a supervisor may have one (then sees that body only).
    let body_id = if matches!(role, Role::FocalPoint | Role::Supervisor) { body_id } else { None };
    if !store.create_staff(email.as_str(), &name, role.slug(), body_id).await? {
        return page(ctx, &store, &me)
            .await?
            .refused(409, vec![t.exists.to_owned()], kept(&form, &FIELDS))
            .respond(ctx, &me);
    }
    store
        .audit(
            me.id,
            crate::domain::audit::Action::StaffCreate,
            email.as_str(),
            Some(role.slug()),
            ctx.now(),
        )
        .await?;
    invite(ctx, &store, email.as_str()).await?;
    flash::redirect(
        "/agent/admin/agents",
        &done(
            ctx.lang,
            Done::StaffCreated { name: &name, email: email.as_str(), role: t.role(role.slug()) },
        ),
    )
}

/// The invitation: a first sign-in link (72 hours, once), written like any sign-in link — the
/// outbox holds a random reference, the database the hash of the secret derived from it.
async fn invite(ctx: &Ctx, store: &Store, email: &str) -> Result<(), AppError> {
    let Some(staff) = store.active_staff_by_email(email).await? else { return Ok(()) };
    let reference = random_token(16)?;
    let token = crate::app::http::tracking_link::sign_in_secret(&ctx.env, &reference)?;
    store.save_sign_in_token(&sha256_hex(&token), staff.id, ctx.now() + INVITATION_MS).await?;
    let payload = Payload { secret_ref: Some(reference.clone()), ..Default::default() };
    let payload = serde_json::to_string(&payload).map_err(|e| AppError::Internal(e.to_string()))?;
    let id = store
        .insert_outbox(
            &format!("{}:{reference}", Template::StaffInvitation.slug()),
            "email",
            &staff.email,
            Template::StaffInvitation,
            ctx.lang.code(),
            &payload,
            ctx.now(),
        )
        .await?;
    notifier::enqueue(&ctx.env, &[id]).await;
    Ok(())
}

/// GET /agent/admin/agents/{id}/desactiver — asks first.
pub async fn deactivate_confirm(ctx: &Ctx, id: &str) -> Outcome {
    let store = Store::new(&ctx.env)?;
    let me = match admin(ctx, &store).await {
        Ok(me) => me,
        Err(outcome) => return outcome,
    };
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let person = store
        .list_staff()
        .await?
        .into_iter()
        .find(|s| s.id == id && s.active == 1)
        .ok_or(AppError::NotFound)?;
    let t = ctx.lang.texts();
    if id == me.id {
        return page(ctx, &store, &me)
            .await?
            .refused(409, vec![t.manage.self_deactivate.to_owned()], Default::default())
            .respond(ctx, &me);
    }
    let question = ask(ctx.lang, Ask::Deactivate(&person.name));
    confirm(
        "agents",
        t.admin.staff,
        question,
        t.manage.deactivate_consequence,
        format!("/agent/admin/agents/{id}/desactiver"),
        t.admin.deactivate,
        "/agent/admin/agents",
    )
    .respond(ctx, &me)
}

/// POST /agent/admin/agents/{id}/desactiver | reactiver
pub async fn set_staff_active(ctx: &Ctx, id: &str, active: bool, req: Request) -> Outcome {
    let (_, store, me) = match admin_post(ctx, req).await {
        Ok(ok) => ok,
        Err(outcome) => return outcome,
    };
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let person =
        store.list_staff().await?.into_iter().find(|s| s.id == id).ok_or(AppError::NotFound)?;
    if id == me.id && !active {
        let t = ctx.lang.texts();
        return page(ctx, &store, &me)
            .await?
            .refused(409, vec![t.manage.self_deactivate.to_owned()], Default::default())
            .respond(ctx, &me);
    }
    store.set_staff_active(id, active, ctx.now()).await?;
    if !active {
        // What they held goes back to their body's queue, with a note saying why.
        let note = crate::i18n::office::texts(ctx.lang).deactivated_note;
        crate::app::staff_change::release_all(ctx, &store, id, note).await?;
    }
    store
        .audit(
            me.id,
            if active {
                crate::domain::audit::Action::StaffReactivate
            } else {
                crate::domain::audit::Action::StaffDeactivate
            },
            &id.to_string(),
            None,
            ctx.now(),
        )
        .await?;
    let message = if active {
        Done::StaffReactivated(&person.name)
    } else {
        Done::StaffDeactivated(&person.name)
    };
    flash::redirect("/agent/admin/agents", &done(ctx.lang, message))
}

/// POST /agent/admin/agents/{id}/role — another role (and body); never one's own. What the person
/// held goes back to the body's queue when they are no longer that body's focal point.
pub async fn set_role(ctx: &Ctx, id: &str, req: Request) -> Outcome {
    let (form, store, me) = match admin_post(ctx, req).await {
        Ok(ok) => ok,
        Err(outcome) => return outcome,
    };
    let t = ctx.lang.texts();
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let person =
        store.list_staff().await?.into_iter().find(|s| s.id == id).ok_or(AppError::NotFound)?;
    let role = parse_role(&field(&form, "role"));
    let body_id = field(&form, "organisme").parse::<i64>().ok();
    let body_ok = match body_id {
        Some(b) => store.body(b).await?.is_some(),
        None => true,
    };
    let Some(role) = role.filter(|r| body_ok && !(*r == Role::FocalPoint && body_id.is_none()))
    else {
        return page(ctx, &store, &me)
            .await?
            .refused(422, vec![t.admin.invalid.to_owned()], Default::default())
            .respond(ctx, &me);
    };
    if id == me.id {
        return page(ctx, &store, &me)
            .await?
            .refused(409, vec![t.manage.self_deactivate.to_owned()], Default::default())
            .respond(ctx, &me);
    }
    let body_id = if matches!(role, Role::FocalPoint | Role::Supervisor) { body_id } else { None };
    store.set_staff_role(id, role.slug(), body_id).await?;
    let detail = format!(
        "{} → {}, organisme {}",
        person.role,
        role.slug(),
        body_id.map_or("—".into(), |b| b.to_string())
    );
    store
        .audit(
            me.id,
            crate::domain::audit::Action::StaffRole,
            &id.to_string(),
            Some(&detail),
            ctx.now(),
        )
        .await?;
    if role != Role::FocalPoint || body_id != person.body_id {
        let note = crate::i18n::office::texts(ctx.lang).deactivated_note;
        crate::app::staff_change::release_all(ctx, &store, id, note).await?;
    }
    flash::redirect("/agent/admin/agents", t.admin.saved)
}
