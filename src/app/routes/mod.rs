//! One module per route family; `dispatch` is the whole URL map of the portal.

mod api;
mod bodies;
mod home;
mod submit;
mod unavailable;

use worker::{Method, Request, Response};

use super::{AppError, Ctx};

pub type Outcome = Result<Response, AppError>;

pub async fn dispatch(ctx: &Ctx, req: Request) -> Outcome {
    let read = matches!(ctx.method, Method::Get | Method::Head);
    let post = ctx.method == Method::Post;
    let path = ctx.path.trim_end_matches('/');
    let path = if path.is_empty() { "/" } else { path };
    // Routes that take a POST.
    match path {
        "/requete/nouvelle" if post => return submit::post(ctx, req).await,
        "/api/v1/requetes" if post => return api::create_request(ctx, req).await,
        "/api/v1/requetes" => return Err(AppError::MethodNotAllowed("POST")),
        _ => {}
    }
    let route = match path {
        "/" => Route::Home,
        "/organismes" => Route::Bodies,
        "/api/v1/organismes" => Route::BodiesApi,
        "/a-propos" => Route::Unavailable("about"),
        "/requete/nouvelle" => Route::SubmitStart,
        "/requete/enregistree" => Route::SubmitDone,
        "/conditions-utilisation" => Route::Terms,
        "/api/v1/themes" => Route::ThemesApi,
        "/api/v1/localites" => Route::PlacesApi,
        "/suivi" => Route::Unavailable("track"),
        "/statistiques" => Route::Unavailable("stats"),
        "/informations" => Route::Unavailable("info"),
        "/guide" => Route::Unavailable("guide"),
        _ => return Err(AppError::NotFound),
    };
    if !read {
        let allow = if matches!(route, Route::SubmitStart) { "GET, HEAD, POST" } else { "GET, HEAD" };
        return Err(AppError::MethodNotAllowed(allow));
    }
    match route {
        Route::Home => home::show(ctx),
        Route::Bodies => bodies::page(ctx).await,
        Route::BodiesApi => bodies::api(ctx).await,
        Route::Unavailable(nav) => unavailable::show(ctx, nav),
        Route::SubmitStart => submit::start(ctx).await,
        Route::SubmitDone => submit::done(ctx).await,
        Route::Terms => submit::terms(ctx),
        Route::ThemesApi => api::themes(ctx).await,
        Route::PlacesApi => api::places(ctx).await,
    }
}

enum Route {
    Home,
    Bodies,
    BodiesApi,
    Unavailable(&'static str),
    SubmitStart,
    SubmitDone,
    Terms,
    ThemesApi,
    PlacesApi,
}
