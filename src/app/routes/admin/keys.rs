//! What partners and focal points are given: Open311 API keys (shown once, revoked after a
//! confirmation) and the answer templates focal points start from.

use worker::Request;

use super::{admin, admin_post, confirm, kept, Outcome, Page};
use crate::app::http::flash;
use crate::app::http::form::field;
use crate::app::store::Store;
use crate::app::AppError;
use crate::app::Ctx;
use crate::domain::text_field::Message;
use crate::domain::time::date_fr;
use crate::i18n::manage::{ask, done, Ask, Done};
use crate::web::admin::{ApiKeyRow, Section, TemplateRow};

async fn keys_page(ctx: &Ctx, store: &Store) -> Result<Page, AppError> {
    let rows = store
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
    Ok(Page::new("cles-api", ctx.lang.texts().admin.api_keys, Section::Keys { rows }))
}

/// GET /agent/admin/cles-api
pub async fn keys(ctx: &Ctx) -> Outcome {
    let (store, me) = signed_in_admin!(ctx);
    keys_page(ctx, &store).await?.respond(ctx, &me)
}

/// POST /agent/admin/cles-api — a new Open311 key, shown once (by the page the save redirects
/// to, through the one-time message); only its SHA-256 is stored.
pub async fn create_api_key(ctx: &Ctx, req: Request) -> Outcome {
    let (form, store, me) = posted!(ctx, req);
    let name: String =
        field(&form, "nom").trim().chars().filter(|c| !c.is_control()).take(100).collect();
    if name.is_empty() {
        return keys_page(ctx, &store)
            .await?
            .refused(422, vec![ctx.lang.texts().admin.invalid.to_owned()], kept(&form, &["nom"]))
            .respond(ctx, &me);
    }
    let key = format!("milie_{}", crate::app::http::crypto::random_token(32)?);
    store
        .create_api_key(
            &name,
            &crate::app::http::crypto::sha256_hex(&key),
            &key[..10],
            me.id,
            ctx.now(),
        )
        .await?;
    store.audit(me.id, crate::domain::audit::Action::ApiKeyCreate, &name, None, ctx.now()).await?;
    flash::redirect(
        "/agent/admin/cles-api",
        &done(ctx.lang, Done::KeyCreated { name: &name, key: &key }),
    )
}

/// GET /agent/admin/cles-api/{id}/revoquer — asks first.
pub async fn revoke_confirm(ctx: &Ctx, id: &str) -> Outcome {
    let (store, me) = signed_in_admin!(ctx);
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let key = store
        .api_keys()
        .await?
        .into_iter()
        .find(|k| k.id == id && k.revoked_at.is_none())
        .ok_or(AppError::NotFound)?;
    let t = ctx.lang.texts();
    let question = ask(ctx.lang, Ask::Revoke(&key.name));
    confirm(
        "cles-api",
        t.admin.api_keys,
        question,
        t.manage.revoke_consequence,
        format!("/agent/admin/cles-api/{id}/revoquer"),
        t.admin.api_key_revoke,
        "/agent/admin/cles-api",
    )
    .respond(ctx, &me)
}

/// POST /agent/admin/cles-api/{id}/revoquer
pub async fn revoke_api_key(ctx: &Ctx, id: &str, req: Request) -> Outcome {
    let (_, store, me) = posted!(ctx, req);
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let name = store
        .api_keys()
        .await?
        .into_iter()
        .find(|k| k.id == id)
        .map(|k| k.name)
        .ok_or(AppError::NotFound)?;
    if store.revoke_api_key(id, ctx.now()).await? {
        store
            .audit(
                me.id,
                crate::domain::audit::Action::ApiKeyRevoke,
                &id.to_string(),
                None,
                ctx.now(),
            )
            .await?;
    }
    flash::redirect("/agent/admin/cles-api", &done(ctx.lang, Done::KeyRevoked(&name)))
}

async fn templates_page(ctx: &Ctx, store: &Store) -> Result<Page, AppError> {
    let all = ctx.lang.texts().manage.template_all;
    let rows = store
        .reply_templates()
        .await?
        .into_iter()
        .map(|m| TemplateRow {
            id: m.id,
            excerpt: m.text.chars().take(160).collect(),
            title: m.title,
            body: m.body_name.unwrap_or_else(|| all.to_owned()),
        })
        .collect();
    let bodies = store.active_bodies().await?.into_iter().map(|b| (b.id, b.name)).collect();
    Ok(Page::new("modeles", ctx.lang.texts().manage.templates, Section::Templates { rows, bodies }))
}

/// GET /agent/admin/modeles
pub async fn templates(ctx: &Ctx) -> Outcome {
    let (store, me) = signed_in_admin!(ctx);
    templates_page(ctx, &store).await?.respond(ctx, &me)
}

/// POST /agent/admin/modeles — a template for one body, or for all.
pub async fn add_template(ctx: &Ctx, req: Request) -> Outcome {
    let (form, store, me) = posted!(ctx, req);
    let title: String =
        field(&form, "titre").trim().chars().filter(|c| !c.is_control()).take(100).collect();
    let text = Message::parse(&field(&form, "texte"));
    let body_id = match field(&form, "organisme").as_str() {
        "" => Ok(None),
        raw => match raw.parse::<i64>() {
            Ok(id) if store.body(id).await?.is_some() => Ok(Some(id)),
            _ => Err(()),
        },
    };
    let (false, Ok(text), Ok(body_id)) = (title.is_empty(), text, body_id) else {
        let kept = kept(&form, &["titre", "organisme", "texte"]);
        return templates_page(ctx, &store)
            .await?
            .refused(422, vec![ctx.lang.texts().admin.invalid.to_owned()], kept)
            .respond(ctx, &me);
    };
    store.add_reply_template(body_id, &title, text.as_str(), ctx.now()).await?;
    store
        .audit(
            me.id,
            crate::domain::audit::Action::TemplateAdd,
            &title,
            body_id.map(|b| b.to_string()).as_deref(),
            ctx.now(),
        )
        .await?;
    flash::redirect("/agent/admin/modeles", &done(ctx.lang, Done::TemplateAdded(&title)))
}

/// GET /agent/admin/modeles/{id}/retirer — asks first.
pub async fn remove_template_confirm(ctx: &Ctx, id: &str) -> Outcome {
    let (store, me) = signed_in_admin!(ctx);
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let template = store
        .reply_templates()
        .await?
        .into_iter()
        .find(|m| m.id == id)
        .ok_or(AppError::NotFound)?;
    let t = ctx.lang.texts();
    let question = ask(ctx.lang, Ask::RemoveTemplate(&template.title));
    confirm(
        "modeles",
        t.manage.templates,
        question,
        t.manage.template_consequence,
        format!("/agent/admin/modeles/{id}/retirer"),
        t.admin.remove,
        "/agent/admin/modeles",
    )
    .respond(ctx, &me)
}

/// POST /agent/admin/modeles/{id}/retirer
pub async fn remove_template(ctx: &Ctx, id: &str, req: Request) -> Outcome {
    let (_, store, me) = posted!(ctx, req);
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let title = store.remove_reply_template(id, ctx.now()).await?.ok_or(AppError::NotFound)?;
    store
        .audit(
            me.id,
            crate::domain::audit::Action::TemplateRemove,
            &id.to_string(),
            None,
            ctx.now(),
        )
        .await?;
    flash::redirect("/agent/admin/modeles", &done(ctx.lang, Done::TemplateRemoved(&title)))
}
