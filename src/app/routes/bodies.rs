//! «ORGANISMES»: the directory of public bodies, as a page and as JSON.

use askama::Template;
use serde::Serialize;

use super::Outcome;
use crate::app::http::respond;
use crate::app::store::Store;
use crate::app::Ctx;
use crate::domain::body::{self, Body};
use crate::domain::pagination::PageRequest;
use crate::web::views::BodiesPage;

/// Longest search accepted; anything longer is cut, not refused.
const MAX_QUERY_CHARS: usize = 100;

fn query(ctx: &Ctx) -> String {
    ctx.query.get("q").unwrap_or("").trim().chars().take(MAX_QUERY_CHARS).collect()
}

async fn matching_bodies(ctx: &Ctx, query: &str) -> Result<Vec<Body>, crate::app::AppError> {
    let mut bodies = body::search(Store::new(&ctx.env)?.active_bodies().await?, query);
    body::sort_for_directory(&mut bodies);
    Ok(bodies)
}

pub async fn page(ctx: &Ctx) -> Outcome {
    let query = query(ctx);
    let bodies = matching_bodies(ctx, &query).await?;
    let page =
        PageRequest::parse(ctx.query.get("page"), ctx.query.get("per_page")).resolve(bodies.len());
    let view =
        BodiesPage { c: ctx.chrome("bodies"), query: &query, page, bodies: page.slice(&bodies) };
    Ok(respond::html(200, view.render()?)?)
}

#[derive(Serialize)]
struct ApiBody<'a> {
    id: i64,
    slug: &'a str,
    name: &'a str,
    acronym: &'a str,
    /// The names it was known by («anciennement»).
    formerly: &'a [String],
    kind: &'a str,
    /// The government it belongs to (`YYYY-MM-DD`), null for other bodies.
    government: Option<&'a str>,
    holder: &'a str,
    /// As printed, e.g. "20212674".
    phones: Vec<&'a str>,
    /// The same numbers to dial today: E.164, or a short national number (180, 1340).
    phones_e164: Vec<&'a str>,
    location: &'a str,
    /// The body's own address, where known.
    email: Option<&'a str>,
    website: Option<&'a str>,
    /// Where the entry comes from: the page, its date as given (null when undated), how sure
    /// the title is, and where the contacts come from when not from that page.
    source: &'a str,
    source_date: Option<&'a str>,
    confidence: &'a str,
    contacts_source: Option<&'a str>,
}

#[derive(Serialize)]
struct ApiList<'a> {
    count: usize,
    page: usize,
    pages: usize,
    per_page: usize,
    organismes: Vec<ApiBody<'a>>,
}

/// A text the source may leave blank: null in the API rather than «».
fn given(s: &str) -> Option<&str> {
    Some(s).filter(|s| !s.is_empty())
}

/// `GET /api/v1/organismes[?q=…&page=…&per_page=…]`; without `per_page` the whole list.
pub async fn api(ctx: &Ctx) -> Outcome {
    // The page cuts a long search; the API says what it takes.
    if ctx.query.get("q").is_some_and(|q| q.trim().chars().count() > MAX_QUERY_CHARS) {
        return Ok(respond::json(
            400,
            &serde_json::json!({ "error": format!("q: at most {MAX_QUERY_CHARS} characters") }),
        )?);
    }
    let page_ok =
        ctx.query.get("page").is_none_or(|p| p.trim().parse::<u32>().is_ok_and(|n| n >= 1));
    let size_ok =
        ctx.query.get("per_page").is_none_or(|p| ["5", "10", "25", "50"].contains(&p.trim()));
    if !(page_ok && size_ok) {
        return Ok(respond::json(
            400,
            &serde_json::json!({ "error": "page: a number from 1; per_page: 5, 10, 25 or 50" }),
        )?);
    }
    let query = query(ctx);
    let bodies = matching_bodies(ctx, &query).await?;
    let request = match ctx.query.get("per_page") {
        Some(_) => PageRequest::parse(ctx.query.get("page"), ctx.query.get("per_page")),
        None => PageRequest { page: 1, per_page: bodies.len().max(1) as u32 },
    };
    let page = request.resolve(bodies.len());
    let list = ApiList {
        count: page.total,
        page: page.page,
        pages: page.pages,
        per_page: page.per_page,
        organismes: page
            .slice(&bodies)
            .iter()
            .map(|b| ApiBody {
                id: b.id,
                slug: &b.slug,
                name: &b.name,
                acronym: &b.acronym,
                formerly: &b.formerly,
                kind: &b.kind,
                government: given(&b.government),
                holder: &b.holder,
                phones: b.phones.iter().map(|p| p.display.as_str()).collect(),
                phones_e164: b.phones.iter().map(|p| p.e164.as_str()).collect(),
                location: &b.location,
                email: b.email.as_deref(),
                website: given(&b.website),
                source: &b.source,
                source_date: given(&b.source_date),
                confidence: &b.confidence,
                contacts_source: given(&b.contacts_source),
            })
            .collect(),
    };
    Ok(respond::json(200, &list)?)
}
