//! One module per route family; `dispatch` is the whole URL map of the portal.

mod bodies;
mod home;
mod unavailable;

use worker::{Method, Request, Response};

use super::{AppError, Ctx};

pub type Outcome = Result<Response, AppError>;

pub async fn dispatch(ctx: &Ctx, _req: Request) -> Outcome {
    let read = matches!(ctx.method, Method::Get | Method::Head);
    let path = ctx.path.trim_end_matches('/');
    let path = if path.is_empty() { "/" } else { path };
    let route = match path {
        "/" => Route::Home,
        "/organismes" => Route::Bodies,
        "/api/v1/organismes" => Route::BodiesApi,
        "/a-propos" => Route::Unavailable("about"),
        "/requete/nouvelle" => Route::Unavailable("submit"),
        "/suivi" => Route::Unavailable("track"),
        "/statistiques" => Route::Unavailable("stats"),
        "/informations" => Route::Unavailable("info"),
        "/guide" => Route::Unavailable("guide"),
        _ => return Err(AppError::NotFound),
    };
    if !read {
        return Err(AppError::MethodNotAllowed("GET, HEAD"));
    }
    match route {
        Route::Home => home::show(ctx),
        Route::Bodies => bodies::page(ctx).await,
        Route::BodiesApi => bodies::api(ctx).await,
        Route::Unavailable(nav) => unavailable::show(ctx, nav),
    }
}

enum Route {
    Home,
    Bodies,
    BodiesApi,
    Unavailable(&'static str),
}
