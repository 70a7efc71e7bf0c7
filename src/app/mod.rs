//! The Workers runtime side: entry points, routing, responses. Handlers stay thin:
//! parse the request → call the domain → read/write through the store → render a view.

mod error;
mod respond;
mod routes;
mod store;

use worker::{event, Context, Env, Method, Request, Response, Result};

use crate::i18n::Lang;
use crate::web::Params;
pub use error::AppError;

/// What a handler knows about the request it serves.
pub struct Ctx {
    pub env: Env,
    pub method: Method,
    pub path: String,
    pub query: Params,
    pub lang: Lang,
    /// Set when `?lang=` made an explicit choice, so the response remembers it in a cookie.
    pub lang_chosen: bool,
}

impl Ctx {
    fn new(req: &Request, env: Env) -> Result<Ctx> {
        let url = req.url()?;
        let query = Params::parse(url.query().unwrap_or(""));
        let headers = req.headers();
        let cookie = headers.get("Cookie")?.unwrap_or_default();
        let explicit = query.get("lang").and_then(Lang::parse);
        let lang = Lang::negotiate(
            explicit.map(Lang::code),
            respond::cookie(&cookie, "lang"),
            headers.get("Accept-Language")?.as_deref(),
        );
        Ok(Ctx {
            env,
            method: req.method(),
            path: url.path().to_owned(),
            query,
            lang,
            lang_chosen: explicit.is_some(),
        })
    }

    pub fn chrome(&self, nav: &'static str) -> crate::web::Chrome {
        crate::web::Chrome::new(self.lang, nav, &self.path, &self.query)
    }
}

#[event(start)]
fn start() {
    // Panics are bugs: log them with their message before the runtime reports a generic failure.
    console_error_panic_hook::set_once();
}

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    let ctx = Ctx::new(&req, env)?;
    let outcome = routes::dispatch(&ctx, req).await;
    let mut response = match outcome {
        Ok(response) => response,
        Err(err) => err.into_response(&ctx)?,
    };
    respond::finish(&ctx, &mut response)?;
    Ok(response)
}
