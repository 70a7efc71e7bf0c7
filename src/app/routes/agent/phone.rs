//! Phone intake: the operator fills the citizen's form for a caller and reads the code aloud.

use super::*;
use crate::app::http::error::Outcome;
use crate::app::http::respond;
use crate::app::http::staff_session::{current_staff, may_take_calls, nav};
use crate::app::http::staff_session::{May, StaffPost};
use crate::app::store::Store;
use crate::app::AppError;
use crate::app::Ctx;
use crate::domain::nature::Nature;
use crate::web::agent::PhoneStartPage;
use askama::Template;
use worker::Request;

/// GET /agent/telephone[?organisme=…&nature=…] — the phone operator picks the body and nature,
/// then fills the citizen's form for the caller.
pub async fn phone(ctx: &Ctx) -> Outcome {
    let store = Store::new(&ctx.env)?;
    let Some(staff) = current_staff(ctx, &store).await? else { return to_sign_in() };
    if !may_take_calls(&staff) {
        return Err(AppError::Forbidden);
    }
    let nature = ctx.query.get("nature").and_then(|n| Nature::parse(n).ok());
    let body = match ctx.query.get("organisme").and_then(|v| v.parse::<i64>().ok()) {
        Some(id) => store.body(id).await?,
        None => None,
    };
    if let (Some(nature), Some(body)) = (nature, body) {
        return crate::app::intake::form_flow::phone_form(ctx, &store, &staff, &body, nature).await;
    }
    let bodies = store.active_bodies().await?.into_iter().map(|b| (b.id, b.name)).collect();
    let (csrf, cookie) = crate::app::http::csrf::token(ctx)?;
    let page =
        PhoneStartPage { c: ctx.chrome(""), s: Some(nav(&staff, "phone", &csrf, "")), bodies };
    let mut response =
        crate::app::http::respond::with_cookie(respond::html(200, page.render()?)?, cookie)?;
    response.headers_mut().set("Cache-Control", "private, no-store")?;
    Ok(response)
}

/// POST /agent/telephone — registered exactly as the citizen's form would, channel «phone».
pub async fn phone_post(ctx: &Ctx, mut req: Request) -> Outcome {
    let StaffPost { staff, form, store } =
        match StaffPost::read(ctx, &mut req, May::TakeCalls).await {
            Ok(post) => post,
            Err(answer) => return answer,
        };
    let mode = crate::app::intake::form_flow::Mode::Phone(&staff);
    crate::app::intake::form_flow::handle(ctx, &store, form, mode).await
}

/// GET /agent/telephone/enregistree?f=… — the code to read to the caller.
pub async fn phone_done(ctx: &Ctx) -> Outcome {
    let store = Store::new(&ctx.env)?;
    let Some(staff) = current_staff(ctx, &store).await? else { return to_sign_in() };
    if !may_take_calls(&staff) {
        return Err(AppError::Forbidden);
    }
    crate::app::intake::form_flow::confirmation(ctx, Some(&staff)).await
}
