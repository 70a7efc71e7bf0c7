//! The Workers runtime side: entry points, routing, responses. Handlers stay thin:
//! parse the request → call the domain → read/write through the store → render a view.

// Each worker of the split build uses part of the shared helpers; dead code is judged on the
// whole (default features, where both halves are built and clippy denies it).
#![cfg_attr(not(all(feature = "citizen", feature = "office")), allow(dead_code, unused_imports))]

// Rooms by what they serve: every way in and its checks (`intake`), notifications on their way
// out (`delivery`), the scheduled jobs (`jobs`), the HTTP plumbing (`http`), the route families
// (`routes`), all SQL (`store`); and here, the entry points.
mod citizen_actions;
mod delivery;
mod http;
mod intake;
mod jobs;
mod log;
mod meter;
mod routes;
mod settings;
#[cfg(feature = "office")]
mod staff_change;
mod store;
#[cfg(feature = "office")]
mod test_hooks;

use worker::{event, Context, Env, Method, Request, Response, Result};

use crate::i18n::Lang;
use crate::web::Params;
pub use http::error::AppError;

/// What a handler knows about the request it serves.
pub struct Ctx {
    pub env: Env,
    pub method: Method,
    pub path: String,
    pub query: Params,
    pub lang: Lang,
    /// Set when `?lang=` made an explicit choice, so the response remembers it in a cookie.
    pub lang_chosen: bool,
    cookies: String,
    /// `scheme://host[:port]` of this request, for same-origin checks.
    origin: String,
    origin_header: Option<String>,
    fetch_site: Option<String>,
    /// The browser's cached version of the page, if it sent one.
    pub if_none_match: Option<String>,
    /// The request's `cf-ray` id: the `request` of its log lines and the reference of its error page.
    pub ray: String,
    /// The `[vars]`, read once per request.
    pub settings: settings::Settings,
    /// The client's address as Cloudflare reports it (for Turnstile's `remoteip`).
    pub client_ip: String,
    /// The runtime's handle for work that goes on after the response (`waitUntil`).
    background: Context,
    /// The client as per-client rate limits count it: IPv4 address, or IPv6 /64 (never raw input).
    pub client: String,
}

impl Ctx {
    fn new(req: &Request, env: Env, background: Context) -> Result<Ctx> {
        let url = req.inner().url();
        let (origin, query) = crate::web::origin_and_query(&url);
        let query = Params::parse(query);
        let headers = req.headers();
        let cookie = headers.get("Cookie")?.unwrap_or_default();
        let explicit = query.get("lang").and_then(Lang::parse);
        let lang = Lang::negotiate(
            explicit.map(Lang::code),
            http::respond::cookie(&cookie, "lang"),
            headers.get("Accept-Language")?.as_deref(),
        );
        Ok(Ctx {
            settings: settings::Settings::read(&env),
            ray: http::error::ray_id(headers.get("CF-Ray")?.as_deref()),
            env,
            method: req.method(),
            path: req.path(),
            query,
            lang,
            lang_chosen: explicit.is_some(),
            origin,
            origin_header: headers.get("Origin")?,
            fetch_site: headers.get("Sec-Fetch-Site")?,
            if_none_match: headers.get("If-None-Match")?,
            client: crate::domain::rate_limit::client_key(
                headers.get("CF-Connecting-IP")?.as_deref().unwrap_or(""),
            ),
            client_ip: headers.get("CF-Connecting-IP")?.unwrap_or_else(|| "unknown".into()),
            cookies: cookie,
            background,
        })
    }

    /// `scheme://host[:port]` this request was sent to.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    pub fn cookie(&self, name: &str) -> Option<&str> {
        http::respond::cookie(&self.cookies, name)
    }

    /// False for a request another site made the browser send (Origin / Fetch Metadata).
    pub fn same_origin(&self) -> bool {
        let origin_ok = self.origin_header.as_deref().is_none_or(|o| o == self.origin);
        let site_ok = self.fetch_site.as_deref().is_none_or(|s| s == "same-origin" || s == "none");
        origin_ok && site_ok
    }

    /// Runs `work` after the response is sent (`waitUntil`): what must not make a known address
    /// answer slower than an unknown one, or what the sweeper would redo anyway if it is cut short.
    pub fn after_response(&self, work: impl std::future::Future<Output = ()> + 'static) {
        // Still this invocation's work: counted under its meter.
        match meter::current() {
            Some(m) => self.background.wait_until(meter::metered(m, work)),
            None => self.background.wait_until(work),
        }
    }

    /// Milliseconds since the epoch.
    pub fn now(&self) -> i64 {
        worker::Date::now().as_millis() as i64
    }

    /// A `[vars]` value, if set.
    pub fn var(&self, name: &str) -> Option<String> {
        self.env.var(name).ok().map(|v| v.to_string())
    }

    pub fn chrome(&self, nav: &'static str) -> crate::web::Chrome {
        crate::web::Chrome::new(self.lang, nav, &self.path, &self.query)
    }
}

/// A cron handed over by the citizens' worker: `?cron=…&at=<ms>`; 204 once its jobs have run.
#[cfg(not(feature = "citizen"))]
async fn run_cron(req: &Request, env: &Env) -> Result<Response> {
    let query = Params::parse(crate::web::origin_and_query(&req.inner().url()).1);
    let (Some(cron), Some(at)) =
        (query.get("cron"), query.get("at").and_then(|a| a.parse::<i64>().ok()))
    else {
        return Response::error("Bad Request", 400);
    };
    jobs::run(env, cron, at).await;
    Ok(Response::empty()?.with_status(204))
}

#[event(start)]
fn start() {
    // Panics are bugs: log them with their message before the runtime reports a generic failure.
    console_error_panic_hook::set_once();
}

/// The citizens' worker's binding to the back office (wrangler.toml `[[services]]`).
#[cfg(not(all(feature = "citizen", feature = "office")))]
const OFFICE: &str = "OFFICE";

#[event(fetch)]
async fn fetch(req: Request, env: Env, background: Context) -> Result<Response> {
    // Every invocation is metered: what it costs in D1 statements and subrequests, logged once
    // it has ended (the work after the answer included).
    let path = req.path();
    let kind = if path == "/__cron" {
        "cron"
    } else if routes::is_office_path(&path) {
        "office"
    } else {
        "citizen"
    };
    let meter = meter::Meter::new(&env, kind, &meter::label(&path));
    meter::metered(meter, serve(req, env, background)).await
}

async fn serve(req: Request, env: Env, background: Context) -> Result<Response> {
    // Split in two workers, the citizens' one hands the back office's addresses over whole (the
    // back office answers them with its own headers); the back office, reached only through that
    // binding, also takes the cron the citizens' worker hands over.
    #[cfg(not(feature = "office"))]
    if routes::is_office_path(&req.path()) {
        let ctx = Ctx::new(&req, env.clone(), background)?;
        meter::subrequest();
        let handed = async { env.service(OFFICE)?.fetch_request(req).await };
        return match handed.await {
            Ok(response) => Ok(response),
            // The back office unreachable (not deployed, overloaded): the portal's own error page.
            Err(e) => {
                let mut response = AppError::Internal(format!("back office unreachable: {e}"))
                    .into_response(&ctx)?;
                http::respond::finish(&ctx, &mut response)?;
                Ok(response)
            }
        };
    }
    #[cfg(not(feature = "citizen"))]
    {
        if req.path() == jobs::CRON_PATH {
            return run_cron(&req, &env).await;
        }
        if !routes::is_office_path(&req.path()) {
            // Not the back office's: nothing but the binding leads here with such a path.
            return Response::error("Not Found", 404);
        }
    }
    #[cfg(feature = "office")]
    if req.path().starts_with(test_hooks::PREFIX) && test_hooks::enabled(&env) {
        return test_hooks::serve(req, &env).await;
    }
    let ctx = Ctx::new(&req, env, background)?;
    let outcome = routes::dispatch(&ctx, req).await;
    let mut response = match outcome {
        Ok(response) => response,
        Err(err) => err.into_response(&ctx)?,
    };
    http::respond::finish(&ctx, &mut response)?;
    Ok(response)
}
