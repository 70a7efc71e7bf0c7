//! «SOUMETTRE UNE REQUETE»: nature → body → form → (review) → confirmation, without JavaScript,
//! and with it (the confirmation dialog posts straight to «soumettre»).

use askama::Template;
use worker::Request;

use super::Outcome;
use crate::app::http::crypto::random_token;
use crate::app::http::csrf;
use crate::app::http::respond;
use crate::app::http::respond::with_cookie;
use crate::app::intake::form_flow::{
    confirmation, form_page, form_state, fresh_values, handle, Mode,
};
use crate::app::store::Store;
use crate::app::Ctx;
use crate::domain::body;
use crate::domain::nature::Nature;
use crate::web::submit::{BodyChoicePage, NaturePage, TermsPage};

/// GET /requete/nouvelle[?nature=…[&organisme=…]]
pub async fn start(ctx: &Ctx) -> Outcome {
    let Some(nature) = ctx.query.get("nature").and_then(|n| Nature::parse(n).ok()) else {
        return Ok(respond::html(200, NaturePage { c: ctx.chrome("submit") }.render()?)?);
    };
    let store = Store::new(&ctx.env)?;
    let body = match ctx.query.get("organisme").and_then(|id| id.trim().parse::<i64>().ok()) {
        Some(id) => store.body(id).await?,
        None => None,
    };
    let Some(body) = body else {
        return choose_body(ctx, &store, nature).await;
    };
    let (csrf, new_cookie) = csrf::token(ctx)?;
    let form = form_state(
        ctx,
        &store,
        &body,
        random_token(16)?,
        csrf,
        fresh_values(&body, nature),
        Mode::Citizen,
    )
    .await?;
    Ok(with_cookie(form_page(ctx, 200, &body, form, false)?, new_cookie)?)
}

async fn choose_body(ctx: &Ctx, store: &Store, nature: Nature) -> Outcome {
    let query: String = ctx.query.get("q").unwrap_or("").trim().chars().take(100).collect();
    let mut bodies = body::search(store.active_bodies().await?, &query);
    body::sort_for_directory(&mut bodies);
    let page = BodyChoicePage { c: ctx.chrome("submit"), nature, query: &query, bodies: &bodies };
    Ok(respond::html(200, page.render()?)?)
}

/// POST /requete/nouvelle — `action` is «verifier» (to the review page), «retour» (back to the
/// form) or «soumettre» (register). Files are staged in R2 as soon as they arrive, so neither an
/// error nor the review step ever asks the citizen to attach them again.
pub async fn post(ctx: &Ctx, req: Request) -> Outcome {
    let mut req = req;
    let form = crate::app::http::form::read(&mut req).await?;
    handle(ctx, &Store::new(&ctx.env)?, form, Mode::Citizen).await
}

/// GET /requete/enregistree?f=<form key> — the guide's confirmation, for the browser that submitted.
pub async fn done(ctx: &Ctx) -> Outcome {
    confirmation(ctx, None).await
}

/// GET /conditions-utilisation
pub fn terms(ctx: &Ctx) -> Outcome {
    Ok(respond::html(200, TermsPage { c: ctx.chrome("submit") }.render()?)?)
}
