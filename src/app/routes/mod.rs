//! One module per route family; `dispatch` is the whole URL map of the portal. The map has two
//! halves, one per worker: the back office's (staff, administration, phone intake, Open311; feature
//! `office`) and the citizens' (every other page and the JSON API; feature `citizen`). The
//! citizens' worker hands the back office's addresses to its service binding (`app::fetch`).

#[cfg(feature = "office")]
mod admin;
#[cfg(feature = "office")]
mod agent;
#[cfg(feature = "citizen")]
mod api;
#[cfg(feature = "citizen")]
mod bodies;
#[cfg(feature = "office")]
mod channels;
#[cfg(feature = "office")]
mod dashboard;
#[cfg(feature = "citizen")]
mod home;
#[cfg(feature = "office")]
mod open311;
#[cfg(feature = "office")]
mod public;
#[cfg(feature = "office")]
mod stats;
#[cfg(feature = "citizen")]
mod submit;
#[cfg(feature = "citizen")]
mod track;

use worker::{Method, Request};

#[cfg(feature = "citizen")]
use super::http::cache::{self, Ttl};
use super::{AppError, Ctx};

pub use crate::app::http::error::Outcome;

/// A handler's future, boxed: `dispatch` then holds one pointer instead of the largest handler's
/// whole state, and the match compiles to much less code.
fn boxed<'a>(f: impl std::future::Future<Output = Outcome> + 'a) -> super::http::cache::Render<'a> {
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
        let length =
            req.headers().get("Content-Length")?.and_then(|v| v.trim().parse::<u64>().ok());
        if length.is_some_and(|n| n > body_limit(&segments)) {
            return Err(AppError::PayloadTooLarge);
        }
    }
    #[cfg(feature = "office")]
    let req = match office(ctx, &segments, post, read, req).await {
        Routed::Done(outcome) => return outcome,
        Routed::Next(req) => req,
    };
    #[cfg(feature = "citizen")]
    let req = match citizen(ctx, path, &segments, post, read, req).await {
        Routed::Done(outcome) => return outcome,
        Routed::Next(req) => req,
    };
    drop(req);
    Err(AppError::NotFound)
}

/// Whether a path is the back office's half of the map (`office` below): what the citizens' worker
/// hands to its service binding, and all the back office answers.
pub(super) fn is_office_path(path: &str) -> bool {
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    matches!(
        first,
        "agent"
            | "open311"
            | "statistiques"
            | "canaux"
            | "guide"
            | "a-propos"
            | "donnees-personnelles"
            | "informations"
            // The test suite's view of D1 and R2 (`app::test_hooks`): 404 unless TEST_HOOKS=1.
            | "__test"
    )
}

/// A half of the map answered, or left the request to the other half.
enum Routed {
    Done(Outcome),
    #[allow(dead_code)] // the last half to look never hands a request on
    Next(Request),
}

/// The back office's addresses: staff sign-in and workspace, administration, phone intake, Open311,
/// the statistics and the information pages (public and read-only, cached at the edge: they keep
/// the citizens' worker small), and the USSD and
/// SMS gateways' callbacks.
#[cfg(feature = "office")]
async fn office(ctx: &Ctx, segments: &[&str], post: bool, read: bool, req: Request) -> Routed {
    if let ["open311", "v2", rest @ ..] = segments {
        return Routed::Done(
            open311::dispatch(ctx, rest, req).await.unwrap_or(Err(AppError::NotFound)),
        );
    }
    let outcome = match (post, segments) {
        (true, ["canaux", "ussd", secret]) => boxed(channels::ussd(ctx, secret, req)).await,
        (true, ["canaux", "sms", secret]) => boxed(channels::sms(ctx, secret, req)).await,
        (true, ["agent", "connexion"]) => boxed(agent::sign_in_post(ctx, req)).await,
        (true, ["agent", "connexion", token]) => {
            boxed(agent::sign_in_link_post(ctx, token, req)).await
        }
        (true, ["agent", "deconnexion"]) => boxed(agent::sign_out(ctx, req)).await,
        (true, ["agent", "telephone"]) => boxed(agent::phone_post(ctx, req)).await,
        (true, ["agent", "notifications"]) => boxed(agent::set_notifications(ctx, req)).await,
        (true, ["agent", "lot"]) => boxed(agent::bulk(ctx, req)).await,
        (true, ["agent", "absence"]) => boxed(agent::set_absence(ctx, req)).await,
        (false, ["agent", "tableau-de-bord"]) if read => boxed(dashboard::page(ctx)).await,
        (false, ["agent", "admin", "journal"]) if read => boxed(admin::journal(ctx)).await,
        (true, ["agent", "admin", "journal", "conservation"]) => {
            boxed(admin::set_retention(ctx, req)).await
        }
        (false, ["agent", "admin", "donnees"]) if read => boxed(admin::rights(ctx)).await,
        (true, ["agent", "admin", "donnees"]) => boxed(admin::rights_lookup(ctx, req)).await,
        (true, ["agent", "admin", "donnees", "export"]) => {
            boxed(admin::rights_export(ctx, req)).await
        }
        (true, ["agent", "admin", "donnees", "effacer"]) => {
            boxed(admin::rights_erase(ctx, req)).await
        }
        (true, ["agent", "admin", "agents", id, "role"]) => {
            boxed(admin::set_role(ctx, id, req)).await
        }
        (false, ["agent", "requetes", code, "fusionner"]) if read => {
            boxed(agent::merge_confirm(ctx, code)).await
        }
        (false, ["agent", "requetes", code, "defusionner"]) if read => {
            boxed(agent::unmerge_confirm(ctx, code)).await
        }
        (false, ["agent", "requetes", code, "rattacher"]) if read => {
            boxed(agent::attach_confirm(ctx, code)).await
        }
        (true, ["agent", "requetes", code, "rattacher"]) => {
            boxed(agent::attach(ctx, code, req)).await
        }
        (false, ["agent", "admin"]) if read => boxed(admin::home(ctx)).await,
        (false, ["agent", "admin", "agents"]) if read => boxed(admin::staff(ctx)).await,
        (false, ["agent", "admin", "agents", id, "desactiver"]) if read => {
            boxed(admin::deactivate_confirm(ctx, id)).await
        }
        (false, ["agent", "admin", "organismes"]) if read => boxed(admin::bodies(ctx)).await,
        (false, ["agent", "admin", list, "export.csv"]) if read => match admin::What::parse(list) {
            Some(what) => boxed(admin::export(ctx, what)).await,
            None => Err(AppError::NotFound),
        },
        (false, ["agent", "admin", list, "import", id]) if read => match admin::What::parse(list) {
            Some(what) => boxed(admin::preview(ctx, what, id)).await,
            None => Err(AppError::NotFound),
        },
        (true, ["agent", "admin", list, "import"]) => match admin::What::parse(list) {
            Some(what) => boxed(admin::import(ctx, what, req)).await,
            None => Err(AppError::NotFound),
        },
        (true, ["agent", "admin", list, "import", id]) => match admin::What::parse(list) {
            Some(what) => boxed(admin::confirm_import(ctx, what, id, req)).await,
            None => Err(AppError::NotFound),
        },
        (false, ["agent", "admin", "organismes", id]) if read => boxed(admin::body(ctx, id)).await,
        (false, ["agent", "admin", "organismes", id, "themes", theme, "desactiver"]) if read => {
            boxed(admin::theme_confirm(ctx, id, theme)).await
        }
        (false, ["agent", "admin", "themes"]) if read => boxed(admin::themes(ctx)).await,
        (false, ["agent", "admin", "lieux"]) if read => boxed(admin::places(ctx)).await,
        (false, ["agent", "admin", "jours-feries"]) if read => boxed(admin::holidays(ctx)).await,
        (false, ["agent", "admin", "jours-feries", day, "retirer"]) if read => {
            boxed(admin::remove_holiday_confirm(ctx, day)).await
        }
        (false, ["agent", "admin", "cles-api"]) if read => boxed(admin::keys(ctx)).await,
        (false, ["agent", "admin", "cles-api", id, "revoquer"]) if read => {
            boxed(admin::revoke_confirm(ctx, id)).await
        }
        (false, ["agent", "admin", "modeles"]) if read => boxed(admin::templates(ctx)).await,
        (false, ["agent", "admin", "modeles", id, "retirer"]) if read => {
            boxed(admin::remove_template_confirm(ctx, id)).await
        }
        (false, ["agent", "admin", "notifications"]) if read => boxed(admin::failed(ctx)).await,
        (false, ["agent", "admin", "parametres"]) if read => boxed(admin::settings_page(ctx)).await,
        (true, ["agent", "admin", "agents"]) => boxed(admin::add_staff(ctx, req)).await,
        (true, ["agent", "admin", "agents", id, "desactiver"]) => {
            boxed(admin::set_staff_active(ctx, id, false, req)).await
        }
        (true, ["agent", "admin", "agents", id, "reactiver"]) => {
            boxed(admin::set_staff_active(ctx, id, true, req)).await
        }
        (true, ["agent", "admin", "organismes"]) => boxed(admin::add_body(ctx, req)).await,
        (true, ["agent", "admin", "organismes", id]) => {
            boxed(admin::update_body(ctx, id, req)).await
        }
        (true, ["agent", "admin", "organismes", id, "themes"]) => {
            boxed(admin::add_theme(ctx, id, req)).await
        }
        (true, ["agent", "admin", "organismes", id, "themes", theme, "desactiver"]) => {
            boxed(admin::set_theme_active(ctx, id, theme, false, req)).await
        }
        (true, ["agent", "admin", "organismes", id, "themes", theme, "reactiver"]) => {
            boxed(admin::set_theme_active(ctx, id, theme, true, req)).await
        }
        (true, ["agent", "admin", "jours-feries"]) => boxed(admin::add_holiday(ctx, req)).await,
        (true, ["agent", "admin", "jours-feries", day, "retirer"]) => {
            boxed(admin::remove_holiday(ctx, day, req)).await
        }
        (true, ["agent", "admin", "cles-api"]) => boxed(admin::create_api_key(ctx, req)).await,
        (true, ["agent", "admin", "cles-api", id, "revoquer"]) => {
            boxed(admin::revoke_api_key(ctx, id, req)).await
        }
        (true, ["agent", "admin", "modeles"]) => boxed(admin::add_template(ctx, req)).await,
        (true, ["agent", "admin", "modeles", id, "retirer"]) => {
            boxed(admin::remove_template(ctx, id, req)).await
        }
        (true, ["agent", "admin", "parametres"]) => boxed(admin::settings(ctx, req)).await,
        (true, ["agent", "admin", "notifications", id, "renvoyer"]) => {
            boxed(admin::retry_notification(ctx, id, req)).await
        }
        (true, ["statistiques"] | ["statistiques", "donnees.csv" | "donnees.json"]) => {
            Err(AppError::MethodNotAllowed("GET, HEAD"))
        }
        (false, ["statistiques"]) if read => boxed(stats::stats(ctx)).await,
        (false, ["statistiques", "donnees.csv"]) if read => {
            boxed(stats::open_data(ctx, false)).await
        }
        (false, ["statistiques", "donnees.json"]) if read => {
            boxed(stats::open_data(ctx, true)).await
        }
        (
            true,
            ["guide" | "a-propos" | "donnees-personnelles" | "informations"]
            | ["informations", "video.webm"],
        ) => Err(AppError::MethodNotAllowed("GET, HEAD")),
        (false, ["guide"]) if read => boxed(public::guide(ctx)).await,
        (false, ["a-propos"]) if read => boxed(public::about(ctx)).await,
        (false, ["donnees-personnelles"]) if read => boxed(public::privacy(ctx)).await,
        (false, ["informations"]) if read => boxed(public::informations(ctx)).await,
        (false, ["informations", "video.webm"]) if read => {
            let range = req.headers().get("Range").ok().flatten();
            boxed(public::video(ctx, range)).await
        }
        (false, ["agent", "telephone"]) if read => boxed(agent::phone(ctx)).await,
        (false, ["agent", "telephone", "enregistree"]) if read => {
            boxed(agent::phone_done(ctx)).await
        }
        (true, ["agent", "requetes", code, action]) => {
            boxed(agent::act(ctx, code, action, req)).await
        }
        (false, ["agent"]) if read => boxed(agent::home(ctx)).await,
        (false, ["agent", "connexion"]) if read => agent::sign_in(ctx),
        (false, ["agent", "connexion", token]) if read => agent::sign_in_link(ctx, token),
        (false, ["agent", "requetes", code]) if read => boxed(agent::request(ctx, code)).await,
        (false, ["agent", "requetes", code, "pieces", id]) if read => {
            boxed(agent::file(ctx, code, id)).await
        }
        _ => return Routed::Next(req),
    };
    Routed::Done(outcome)
}

/// The citizens' addresses: the portal's pages, tracking, the JSON API.
#[cfg(feature = "citizen")]
async fn citizen(
    ctx: &Ctx,
    path: &str,
    segments: &[&str],
    post: bool,
    read: bool,
    req: Request,
) -> Routed {
    Routed::Done(citizen_outcome(ctx, path, segments, post, read, req).await)
}

#[cfg(feature = "citizen")]
async fn citizen_outcome(
    ctx: &Ctx,
    path: &str,
    segments: &[&str],
    post: bool,
    read: bool,
    req: Request,
) -> Outcome {
    match (post, segments) {
        (true, ["suivi"]) => return boxed(track::lookup_post(ctx, req)).await,
        (true, ["suivi", "oubli"]) => return boxed(track::forgot_post(ctx, req)).await,
        (true, ["suivi", "fermer"]) => return boxed(track::sign_out(ctx, req)).await,
        (true, ["suivi", code, "modifier"]) => return boxed(track::edit(ctx, code, req)).await,
        (true, ["suivi", code, "avis"]) => return boxed(track::verdict(ctx, code, req)).await,
        (true, ["suivi", code, "relancer"]) => return boxed(track::reopen(ctx, code, req)).await,
        (true, ["api", "v1", "suivi"]) => return boxed(track::api(ctx, req)).await,
        (false, ["suivi", "oubli"]) if read => return track::forgot(ctx),
        (false, ["suivi", code]) if read => return boxed(track::show(ctx, code)).await,
        (false, ["suivi", code, "pieces", id]) if read => {
            return boxed(track::file(ctx, code, id)).await
        }
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
        "/requete/nouvelle" => Route::SubmitStart,
        "/requete/enregistree" => Route::SubmitDone,
        "/conditions-utilisation" => Route::Terms,
        "/api/v1/themes" => Route::ThemesApi,
        "/api/v1/localites" => Route::PlacesApi,
        "/api/v1/localites/proche" => Route::NearestPlace,
        "/suivi" => Route::Track,
        _ => return Err(AppError::NotFound),
    };
    if !read {
        let allow = if matches!(route, Route::SubmitStart | Route::Track) {
            "GET, HEAD, POST"
        } else {
            "GET, HEAD"
        };
        return Err(AppError::MethodNotAllowed(allow));
    }
    match route {
        Route::Home => {
            cache::public(ctx, Ttl::Short, Box::pin(async move { home::show(ctx) })).await
        }
        Route::Bodies => cache::public(ctx, Ttl::Short, Box::pin(bodies::page(ctx))).await,
        Route::BodiesApi => boxed(bodies::api(ctx)).await,
        Route::SubmitStart => boxed(submit::start(ctx)).await,
        Route::Track => track::lookup(ctx),
        Route::Favicon => boxed(home::favicon(ctx)).await,
        Route::SubmitDone => boxed(submit::done(ctx)).await,
        Route::Terms => {
            cache::public(ctx, Ttl::Daily, Box::pin(async move { submit::terms(ctx) })).await
        }
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
        ["requete", "nouvelle"]
        | ["api", "v1", "requetes"]
        | ["suivi", _, "modifier"]
        | ["agent", "telephone"]
        | ["agent", "requetes", _, "traiter"]
        | ["open311", "v2", "requests.json" | "requests.xml"] => {
            crate::domain::attachment::MAX_TOTAL_BYTES as u64 + 5 * MB
        }
        ["agent", "admin", _, "import"] => 5 * MB,
        // A gateway's callback: a few fields.
        ["canaux", ..] => 64 * 1024,
        _ => MB,
    }
}

/// The methods an address answers, for the `Allow` of a 405.
fn allowed_methods(segments: &[&str]) -> &'static str {
    match segments {
        ["suivi" | "requete", "nouvelle" | "oubli"]
        | ["suivi"]
        | ["agent", "connexion", ..]
        | ["agent", "telephone"] => "GET, HEAD, POST",
        ["open311", "v2", "requests.json" | "requests.xml"] => "GET, HEAD, POST",
        ["suivi", _, "modifier" | "avis" | "relancer"]
        | ["suivi", "fermer"]
        | ["api", "v1", "suivi" | "requetes"]
        | ["agent", "deconnexion" | "notifications" | "lot" | "absence"] => "POST",
        ["agent", "requetes", _, "fusionner" | "defusionner" | "rattacher"] => "GET, HEAD, POST",
        ["agent", "requetes", _, _] => "POST",
        ["agent", "admin", "organismes" | "lieux", "import", _] => "GET, HEAD, POST",
        ["agent", "admin", "organismes" | "lieux", "export.csv"] => "GET, HEAD",
        ["agent", "tableau-de-bord"] => "GET, HEAD",
        ["agent", "admin", "donnees"] => "GET, HEAD, POST",
        ["agent", "admin", "journal"] => "GET, HEAD",
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

#[cfg(feature = "citizen")]
enum Route {
    Home,
    Bodies,
    BodiesApi,
    SubmitStart,
    SubmitDone,
    Track,
    Favicon,
    Terms,
    ThemesApi,
    PlacesApi,
    NearestPlace,
}
