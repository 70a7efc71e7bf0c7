//! Edge caching of public pages. Pages depend on the language (cookie or Accept-Language), which a
//! shared cache keyed by URL cannot see, so the worker keeps them in the Cache API under a key that
//! includes the language it chose, with an ETag for browsers' revalidation. Personal pages never
//! come here: they are `private, no-store`.

use std::future::Future;
use std::pin::Pin;

use worker::{Cache, Headers, Response};

use crate::app::http::error::Outcome;
use crate::app::Ctx;
use crate::i18n::Lang;
pub use crate::web::caching::Ttl;
use crate::web::caching::{etag_matches as matches, etag_of, key};

/// 304 when the browser already holds this version.
fn not_modified(etag: &str, cache_control: &str) -> Outcome {
    let headers = Headers::new();
    headers.set("ETag", etag)?;
    headers.set("Cache-Control", cache_control)?;
    Ok(Response::empty()?.with_status(304).with_headers(headers))
}

/// How a page is rendered on a miss: a future (lazy, so a hit never runs it), boxed so this
/// function is compiled once rather than once per page.
pub type Render<'a> = Pin<Box<dyn Future<Output = Outcome> + 'a>>;

/// Serves a public page from the edge cache, or renders, stores and serves it.
pub async fn public(ctx: &Ctx, ttl: Ttl, render: Render<'_>) -> Outcome {
    let query = ctx.query.without("lang");
    let key = key(&ctx.path, &query, ctx.lang);
    let cache = Cache::default();
    if let Some(mut hit) = cache.get(key.as_str(), false).await? {
        let etag = hit.headers().get("ETag")?.unwrap_or_default();
        let cache_control =
            hit.headers().get("Cache-Control")?.unwrap_or_else(|| ttl.header().to_owned());
        if matches(ctx.if_none_match.as_deref(), &etag) {
            return not_modified(&etag, &cache_control);
        }
        // A fresh response, so the headers stay mutable for the security headers added later.
        let headers = Headers::new();
        for (name, value) in hit.headers().entries() {
            headers.set(&name, &value)?;
        }
        headers.set("Cache-Status", "milie; hit")?;
        return Ok(Response::from_bytes(hit.bytes().await?)?
            .with_headers(headers)
            .with_status(hit.status_code()));
    }
    let mut rendered = render.await?;
    if rendered.status_code() != 200 {
        return Ok(rendered);
    }
    let body = rendered.bytes().await?;
    let etag = etag_of(&body);
    let headers = Headers::new();
    for (name, value) in rendered.headers().entries() {
        headers.set(&name, &value)?;
    }
    headers.set("Cache-Control", ttl.header())?;
    headers.set("ETag", &etag)?;
    headers.set("Vary", "Accept-Language, Cookie")?;
    let mut response = Response::from_bytes(body)?.with_headers(headers);
    if let Err(e) = cache.put(key.as_str(), response.cloned()?).await {
        crate::app::log::warn("cache", &format!("cache put {key}: {e}"));
    }
    if matches(ctx.if_none_match.as_deref(), &etag) {
        return not_modified(&etag, ttl.header());
    }
    response.headers_mut().set("Cache-Status", "milie; fwd=miss; stored")?;
    Ok(response)
}

/// After admins change bodies or themes: the pages that list them are dropped from this
/// location's cache (other locations expire them within `Ttl::Short`'s s-maxage).
pub async fn purge_directory() {
    let cache = Cache::default();
    for lang in [Lang::Fr, Lang::En] {
        for path in ["/", "/organismes", "/statistiques"] {
            if let Err(e) = cache.delete(key(path, "", lang).as_str(), false).await {
                crate::app::log::warn("cache", &format!("cache purge {path}: {e}"));
            }
        }
    }
}
