//! Menu entries whose pages come with later work: an honest page, not a pretend one.

use askama::Template;

use super::Outcome;
use crate::app::{respond, Ctx};
use crate::web::views::UnavailablePage;

pub fn show(ctx: &Ctx, nav: &'static str) -> Outcome {
    let t = ctx.lang.texts();
    let title = match nav {
        "about" => t.nav_about,
        "submit" => t.nav_submit,
        "track" => t.nav_track,
        "stats" => t.nav_stats,
        "info" => t.nav_info,
        _ => t.nav_guide,
    };
    let page = UnavailablePage { c: ctx.chrome(nav), title };
    Ok(respond::html(200, page.render()?)?)
}
