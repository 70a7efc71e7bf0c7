use askama::Template;

use super::Outcome;
use crate::app::{respond, Ctx};
use crate::web::views::HomePage;

pub fn show(ctx: &Ctx) -> Outcome {
    let page = HomePage { c: ctx.chrome("home") };
    Ok(respond::html(200, page.render()?)?)
}
