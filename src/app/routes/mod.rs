//! One module per route family; `dispatch` is the whole URL map of the portal.

mod admin;
mod agent;
mod api;
mod bodies;
mod home;
mod open311;
mod public;
mod submit;
mod track;

use worker::{Method, Request};

use super::cache::{self, Ttl};
use super::{AppError, Ctx};

pub use crate::app::error::Outcome;

/// A handler's future, boxed: `dispatch` then holds one pointer instead of the largest handler's
/// whole state, and the match compiles to much less code.
fn boxed<'a>(f: impl std::future::Future<Output = Outcome> + 'a) -> cache::Render<'a> {
    Box::pin(f)
}

pub async fn dispatch(ctx: &Ctx, req: Request) -> Outcome {
    let path = ctx.path.trim_end_matches('/');
    let path = if path.is_empty() { "/" } else { path };
    // Routes that take a POST, and the tracking paths with a code in them.
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    // The method as sent: anything but GET, HEAD and POST (QUERY, PUT, a made-up word…) is
    // refused here, whatever the runtime's own method type would make of it.
    let method = req.inner().method().to_ascii_uppercase();
    if !matches!(method.as_str(), "GET" | "HEAD" | "POST") {
        return Err(AppError::MethodNotAllowed(allowed_methods(&segments)));
    }
    let read = matches!(ctx.method, Method::Get | Method::Head);
    let post = ctx.method == Method::Post;
    if post {
        // A body over what this address accepts is refused before a byte of it is read.
        let length = req.headers().get("Content-Length")?.and_then(|v| v.trim().parse::<u64>().ok());
        if length.is_some_and(|n| n > body_limit(&segments)) {
            return Err(AppError::PayloadTooLarge);
        }
    }
    if let ["open311", "v2", rest @ ..] = segments.as_slice() {
        return open311::dispatch(ctx, rest, req).await.unwrap_or(Err(AppError::NotFound));
    }
    match (post, segments.as_slice()) {
        (true, ["suivi"]) => return boxed(track::lookup_post(ctx, req)).await,
        (true, ["suivi", "oubli"]) => return boxed(track::forgot_post(ctx, req)).await,
        (true, ["suivi", "fermer"]) => return boxed(track::sign_out(ctx, req)).await,
        (true, ["suivi", code, "modifier"]) => return boxed(track::edit(ctx, code, req)).await,
        (true, ["suivi", code, "avis"]) => return boxed(track::verdict(ctx, code, req)).await,
        (true, ["suivi", code, "relancer"]) => return boxed(track::reopen(ctx, code, req)).await,
        (true, ["api", "v1", "suivi"]) => return boxed(track::api(ctx, req)).await,
        (true, ["agent", "connexion"]) => return boxed(agent::sign_in_post(ctx, req)).await,
        (true, ["agent", "connexion", token]) => return boxed(agent::sign_in_link_post(ctx, token, req)).await,
        (true, ["agent", "deconnexion"]) => return boxed(agent::sign_out(ctx, req)).await,
        (true, ["agent", "telephone"]) => return boxed(agent::phone_post(ctx, req)).await,
        (true, ["agent", "notifications"]) => return boxed(agent::set_notifications(ctx, req)).await,
        (true, ["agent", "lot"]) => return boxed(agent::bulk(ctx, req)).await,
        (false, ["agent", "admin"]) if read => return boxed(admin::home(ctx)).await,
        (false, ["agent", "admin", "agents"]) if read => return boxed(admin::staff(ctx)).await,
        (false, ["agent", "admin", "agents", id, "desactiver"]) if read => return boxed(admin::deactivate_confirm(ctx, id)).await,
        (false, ["agent", "admin", "organismes"]) if read => return boxed(admin::bodies(ctx)).await,
        (false, ["agent", "admin", "organismes", id]) if read => return boxed(admin::body(ctx, id)).await,
        (false, ["agent", "admin", "organismes", id, "themes", theme, "desactiver"]) if read => return boxed(admin::theme_confirm(ctx, id, theme)).await,
        (false, ["agent", "admin", "themes"]) if read => return boxed(admin::themes(ctx)).await,
        (false, ["agent", "admin", "lieux"]) if read => return boxed(admin::places(ctx)).await,
        (false, ["agent", "admin", "jours-feries"]) if read => return boxed(admin::holidays(ctx)).await,
        (false, ["agent", "admin", "jours-feries", day, "retirer"]) if read => return boxed(admin::remove_holiday_confirm(ctx, day)).await,
        (false, ["agent", "admin", "cles-api"]) if read => return boxed(admin::keys(ctx)).await,
        (false, ["agent", "admin", "cles-api", id, "revoquer"]) if read => return boxed(admin::revoke_confirm(ctx, id)).await,
        (false, ["agent", "admin", "modeles"]) if read => return boxed(admin::templates(ctx)).await,
        (false, ["agent", "admin", "modeles", id, "retirer"]) if read => return boxed(admin::remove_template_confirm(ctx, id)).await,
        (false, ["agent", "admin", "notifications"]) if read => return boxed(admin::failed(ctx)).await,
        (false, ["agent", "admin", "parametres"]) if read => return boxed(admin::settings_page(ctx)).await,
        (true, ["agent", "admin", "agents"]) => return boxed(admin::add_staff(ctx, req)).await,
        (true, ["agent", "admin", "agents", id, "desactiver"]) => return boxed(admin::set_staff_active(ctx, id, false, req)).await,
        (true, ["agent", "admin", "agents", id, "reactiver"]) => return boxed(admin::set_staff_active(ctx, id, true, req)).await,
        (true, ["agent", "admin", "organismes"]) => return boxed(admin::add_body(ctx, req)).await,
        (true, ["agent", "admin", "organismes", "import"]) => return boxed(admin::import_bodies(ctx, req)).await,
        (true, ["agent", "admin", "organismes", id]) => return boxed(admin::update_body(ctx, id, req)).await,
        (true, ["agent", "admin", "organismes", id, "themes"]) => return boxed(admin::add_theme(ctx, id, req)).await,
        (true, ["agent", "admin", "organismes", id, "themes", theme, "desactiver"]) => return boxed(admin::set_theme_active(ctx, id, theme, false, req)).await,
        (true, ["agent", "admin", "organismes", id, "themes", theme, "reactiver"]) => return boxed(admin::set_theme_active(ctx, id, theme, true, req)).await,
        (true, ["agent", "admin", "lieux", "import"]) => return boxed(admin::import_places(ctx, req)).await,
        (true, ["agent", "admin", "jours-feries"]) => return boxed(admin::add_holiday(ctx, req)).await,
        (true, ["agent", "admin", "jours-feries", day, "retirer"]) => return boxed(admin::remove_holiday(ctx, day, req)).await,
        (true, ["agent", "admin", "cles-api"]) => return boxed(admin::create_api_key(ctx, req)).await,
        (true, ["agent", "admin", "cles-api", id, "revoquer"]) => return boxed(admin::revoke_api_key(ctx, id, req)).await,
        (true, ["agent", "admin", "modeles"]) => return boxed(admin::add_template(ctx, req)).await,
        (true, ["agent", "admin", "modeles", id, "retirer"]) => return boxed(admin::remove_template(ctx, id, req)).await,
        (true, ["agent", "admin", "parametres"]) => return boxed(admin::settings(ctx, req)).await,
        (true, ["agent", "admin", "notifications", id, "renvoyer"]) => return boxed(admin::retry_notification(ctx, id, req)).await,
        (false, ["agent", "telephone"]) if read => return boxed(agent::phone(ctx)).await,
        (false, ["agent", "telephone", "enregistree"]) if read => return boxed(agent::phone_done(ctx)).await,
        (true, ["agent", "requetes", code, action]) => return boxed(agent::act(ctx, code, action, req)).await,
        (false, ["agent"]) if read => return boxed(agent::home(ctx)).await,
        (false, ["agent", "connexion"]) if read => return agent::sign_in(ctx),
        (false, ["agent", "connexion", token]) if read => return agent::sign_in_link(ctx, token),
        (false, ["agent", "requetes", code]) if read => return boxed(agent::request(ctx, code)).await,
        (false, ["agent", "requetes", code, "pieces", id]) if read => return boxed(agent::file(ctx, code, id)).await,
        (false, ["suivi", "oubli"]) if read => return track::forgot(ctx),
        (false, ["suivi", code]) if read => return boxed(track::show(ctx, code)).await,
        (false, ["suivi", code, "pieces", id]) if read => return boxed(track::file(ctx, code, id)).await,
        _ => {}
    }
    match path {
        "/requete/nouvelle" if post => return submit::post(ctx, req).await,
        "/api/v1/requetes" if post => return api::create_request(ctx, req).await,
        "/api/v1/requetes" | "/api/v1/suivi" => return Err(AppError::MethodNotAllowed("POST")),
        _ => {}
    }
    let route = match path {
        "/" => Route::Home,
        "/organismes" => Route::Bodies,
        "/favicon.ico" => Route::Favicon,
        "/api/v1/organismes" => Route::BodiesApi,
        "/a-propos" => Route::About,
        "/donnees-personnelles" => Route::Privacy,
        "/requete/nouvelle" => Route::SubmitStart,
        "/requete/enregistree" => Route::SubmitDone,
        "/conditions-utilisation" => Route::Terms,
        "/api/v1/themes" => Route::ThemesApi,
        "/api/v1/localites" => Route::PlacesApi,
        "/api/v1/localites/proche" => Route::NearestPlace,
        "/suivi" => Route::Track,
        "/statistiques" => Route::Stats,
        "/statistiques/donnees.csv" => Route::OpenData { json: false },
        "/statistiques/donnees.json" => Route::OpenData { json: true },
        "/informations" => Route::Info,
        "/informations/video.webm" => Route::Video,
        "/guide" => Route::Guide,
        _ => return Err(AppError::NotFound),
    };
    if !read {
        let allow = if matches!(route, Route::SubmitStart | Route::Track) { "GET, HEAD, POST" } else { "GET, HEAD" };
        return Err(AppError::MethodNotAllowed(allow));
    }
    match route {
        Route::Home => cache::public(ctx, Ttl::Short, Box::pin(async move { home::show(ctx) })).await,
        Route::Bodies => cache::public(ctx, Ttl::Short, Box::pin(bodies::page(ctx))).await,
        Route::BodiesApi => boxed(bodies::api(ctx)).await,
        Route::About => boxed(public::about(ctx)).await,
        Route::Privacy => boxed(public::privacy(ctx)).await,
        Route::Stats => boxed(public::stats(ctx)).await,
        Route::OpenData { json } => boxed(public::open_data(ctx, json)).await,
        Route::Info => boxed(public::informations(ctx)).await,
        Route::Video => boxed(public::video(ctx, req.headers().get("Range")?)).await,
        Route::Guide => boxed(public::guide(ctx)).await,
        Route::SubmitStart => boxed(submit::start(ctx)).await,
        Route::Track => track::lookup(ctx),
        Route::Favicon => boxed(home::favicon(ctx)).await,
        Route::SubmitDone => boxed(submit::done(ctx)).await,
        Route::Terms => cache::public(ctx, Ttl::Daily, Box::pin(async move { submit::terms(ctx) })).await,
        Route::ThemesApi => boxed(api::themes(ctx)).await,
        Route::PlacesApi => boxed(api::places(ctx)).await,
        Route::NearestPlace => boxed(api::nearest_place(ctx)).await,
    }
}

/// The largest body a POST to this address may have: attachments where a form takes them (20 MB
/// of files, and room for the fields and framing, so a slightly larger set still gets the form's
/// own message naming the limit), CSV imports, and 1 MB for every other form or JSON body.
fn body_limit(segments: &[&str]) -> u64 {
    const MB: u64 = 1 << 20;
    match segments {
        ["requete", "nouvelle"] | ["api", "v1", "requetes"] | ["suivi", _, "modifier"] | ["agent", "telephone"] | ["agent", "requetes", _, "traiter"] => {
            crate::domain::attachment::MAX_TOTAL_BYTES as u64 + 5 * MB
        }
        ["agent", "admin", _, "import"] => 5 * MB,
        _ => MB,
    }
}

/// The methods an address answers, for the `Allow` of a 405.
fn allowed_methods(segments: &[&str]) -> &'static str {
    match segments {
        ["suivi" | "requete", "nouvelle" | "oubli"] | ["suivi"] | ["agent", "connexion", ..] | ["agent", "telephone"] => "GET, HEAD, POST",
        ["open311", "v2", "requests.json" | "requests.xml"] => "GET, HEAD, POST",
        ["suivi", _, "modifier" | "avis" | "relancer"]
        | ["suivi", "fermer"]
        | ["api", "v1", "suivi" | "requetes"]
        | ["agent", "deconnexion" | "notifications" | "lot"] => "POST",
        ["agent", "requetes", _, _] => "POST",
        ["agent", "admin", "agents" | "organismes" | "jours-feries" | "cles-api" | "modeles" | "parametres"]
        | ["agent", "admin", "organismes", _]
        | ["agent", "admin", "agents", _, "desactiver"]
        | ["agent", "admin", "organismes", _, "themes", _, "desactiver"]
        | ["agent", "admin", "jours-feries", _, "retirer"]
        | ["agent", "admin", "cles-api", _, "revoquer"]
        | ["agent", "admin", "modeles", _, "retirer"] => "GET, HEAD, POST",
        ["agent", "admin", "themes" | "lieux" | "notifications"] => "GET, HEAD",
        ["agent", "admin", _, ..] => "POST",
        _ => "GET, HEAD",
    }
}

enum Route {
    Home,
    Bodies,
    BodiesApi,
    About,
    Privacy,
    Stats,
    OpenData { json: bool },
    Info,
    Video,
    Guide,
    SubmitStart,
    SubmitDone,
    Track,
    Favicon,
    Terms,
    ThemesApi,
    PlacesApi,
    NearestPlace,
}
