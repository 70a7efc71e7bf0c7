//! What the test suite reads and writes beside the worker under test, served by the worker itself
//! (back office only, and only with `TEST_HOOKS=1`, which `make deploy-check` refuses; without it
//! these paths go the ordinary way, to a «page introuvable»). The one place outside `store/` that
//! runs SQL: whatever the suite sends.
//!
//! Why: the local D1 and R2 are SQLite files owned by this workerd. A second runtime opening the
//! same files (wrangler's platform proxy) meets SQLITE_BUSY whenever both write at once — and so
//! does the worker under test, whose queue consumer then failed a delivery for a reason
//! production never has. Through these routes every test statement is one more query of the
//! same database object, in line with the worker's own: no second writer, no lock to race.
//! The raw bindings are used, outside the invocation's fault injection: tests want the truth.

use worker::{Env, Method, Request, Response, Result};

/// `POST /__test/d1` (the body: one SQL statement) → its rows as JSON;
/// `GET /__test/r2` → every key; `GET|PUT|DELETE /__test/r2/<key>` → one object.
pub const PREFIX: &str = "/__test/";

/// Whether the hooks are on: without TEST_HOOKS=1 their paths are ordinary unknown pages.
pub fn enabled(env: &Env) -> bool {
    env.var("TEST_HOOKS").map(|v| v.to_string()).ok().as_deref() == Some("1")
}

/// An object the bucket does not hold: a 404 of the hook's own, told apart from a wrong route.
fn missing() -> Result<Response> {
    let mut response = Response::error("no such object", 404)?;
    response.headers_mut().set("X-Test-Hook", "missing")?;
    Ok(response)
}

pub async fn serve(mut req: Request, env: &Env) -> Result<Response> {
    let path = req.path();
    let rest = path.strip_prefix(PREFIX).unwrap_or("");
    match (req.method(), rest) {
        (Method::Post, "d1") => {
            let statement = req.text().await?;
            match env.d1("DB")?.prepare(statement).all().await {
                Ok(result) => Response::from_json(&result.results::<serde_json::Value>()?),
                // The test reads D1's own words (a trigger's RAISE, a constraint's name).
                Err(e) => Response::error(e.to_string(), 500),
            }
        }
        (Method::Get, "r2") => {
            let bucket = env.bucket("FILES")?;
            let mut keys = Vec::new();
            let mut cursor: Option<String> = None;
            loop {
                let list = bucket.list().limit(1000);
                let list = match cursor.take() {
                    Some(c) => list.cursor(c),
                    None => list,
                };
                let page = list.execute().await?;
                keys.extend(page.objects().into_iter().map(|o| o.key()));
                match page.cursor().filter(|_| page.truncated()) {
                    Some(c) => cursor = Some(c),
                    None => break,
                }
            }
            keys.sort();
            Response::from_json(&keys)
        }
        (method, object) if object.starts_with("r2/") => {
            let key = object.strip_prefix("r2/").unwrap_or(object);
            let bucket = env.bucket("FILES")?;
            match method {
                Method::Get => match bucket.get(key).execute().await? {
                    Some(found) => match found.body() {
                        Some(body) => Response::from_bytes(body.bytes().await?),
                        None => Response::from_bytes(Vec::new()),
                    },
                    None => missing(),
                },
                Method::Put => {
                    bucket.put(key, req.bytes().await?).execute().await?;
                    Ok(Response::empty()?.with_status(204))
                }
                Method::Delete => {
                    bucket.delete(key).await?;
                    Ok(Response::empty()?.with_status(204))
                }
                _ => Response::error("Method Not Allowed", 405),
            }
        }
        _ => Response::error("Not Found", 404),
    }
}
