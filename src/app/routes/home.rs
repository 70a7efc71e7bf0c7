use askama::Template;

use super::Outcome;
use crate::app::http::respond;
use crate::app::Ctx;
use crate::web::views::HomePage;

pub fn show(ctx: &Ctx) -> Outcome {
    let page = HomePage { c: ctx.chrome("home") };
    Ok(respond::html(200, page.render()?)?)
}

/// GET /favicon.ico — browsers ask for it whatever the page declares; answer with the SVG icon
/// from Static Assets (through the ASSETS binding) rather than a 404 on every first visit.
pub async fn favicon(ctx: &Ctx) -> Outcome {
    crate::app::meter::subrequest();
    let mut icon =
        ctx.env.assets("ASSETS")?.fetch("https://assets.local/favicon.svg", None).await?;
    if icon.status_code() != 200 {
        return Err(crate::app::AppError::NotFound);
    }
    let bytes = icon.bytes().await?;
    let mut response = worker::Response::from_bytes(bytes)?;
    response.headers_mut().set("Content-Type", "image/svg+xml")?;
    response.headers_mut().set("Cache-Control", "public, max-age=86400")?;
    Ok(response)
}
