//! Errors a handler can end with, and the response each becomes.

use worker::Response;

use crate::app::http::respond;
use crate::app::Ctx;
use crate::web::views::ErrorPage;

/// What every handler returns: a response, or an error that becomes one.
pub type Outcome = Result<Response, AppError>;

#[derive(Debug)]
pub enum AppError {
    /// No such page or resource.
    NotFound,
    /// The path exists but not for this method.
    MethodNotAllowed(&'static str),
    /// A body that cannot be read as the form it should be.
    BadRequest,
    /// Not allowed (a state-changing request without its CSRF token).
    Forbidden,
    /// A body larger than the address accepts, refused before it is read.
    PayloadTooLarge,
    /// Anything unexpected: logged with detail under a reference the visitor can quote.
    Internal(String),
    /// A storage failure that passes (D1 or R2 overloaded, a lost connection): nothing was kept,
    /// the caller may try again shortly (503 with `Retry-After`); logged like `Internal`.
    Unavailable(String),
}

/// Seconds a caller is told to wait after a passing failure.
pub const RETRY_AFTER_SECONDS: u32 = 30;

impl From<worker::Error> for AppError {
    fn from(err: worker::Error) -> Self {
        AppError::storage(err.to_string())
    }
}

impl AppError {
    /// A storage failure: one that passes is a 503 to try again, anything else a 500.
    pub fn storage(detail: String) -> AppError {
        if crate::domain::constraint::is_transient(&detail) {
            AppError::Unavailable(detail)
        } else {
            AppError::Internal(detail)
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(err: askama::Error) -> Self {
        AppError::Internal(format!("template: {err}"))
    }
}

impl AppError {
    pub fn into_response(self, ctx: &Ctx) -> worker::Result<Response> {
        let t = ctx.lang.texts();
        let (status, title, text, reference, allow) = match self {
            AppError::NotFound => (404, t.not_found_title, t.not_found_text, None, None),
            AppError::MethodNotAllowed(allow) => {
                (405, t.not_found_title, t.not_found_text, None, Some(allow))
            }
            AppError::BadRequest => (400, t.error_title, t.error_text, None, None),
            #[cfg(feature = "office")]
            AppError::Forbidden => (403, t.error_title, t.agent.no_access, None, None),
            #[cfg(not(feature = "office"))]
            AppError::Forbidden => (403, t.error_title, t.error_text, None, None),
            AppError::PayloadTooLarge => (413, t.error_title, t.too_large_text, None, None),
            AppError::Internal(detail) => {
                (500, t.error_title, t.error_text, Some(log_with_reference(ctx, &detail)), None)
            }
            AppError::Unavailable(detail) => {
                (503, t.error_title, t.error_text, Some(log_with_reference(ctx, &detail)), None)
            }
        };
        let wants_json = ctx.path.starts_with("/api/");
        let mut response = if is_open311(&ctx.path) {
            open311_error(&ctx.path, status, reference.as_deref(), allow)?
        } else if wants_json {
            let body =
                serde_json::json!({ "error": title, "detail": text, "reference": reference });
            respond::json(status, &body)?
        } else {
            let page = ErrorPage { c: ctx.chrome(""), title, text, reference };
            // The error page itself must not fail: fall back to plain text if rendering does.
            match askama::Template::render(&page) {
                Ok(html) => respond::html(status, html)?,
                Err(_) => Response::error(text, status)?,
            }
        };
        if let Some(allow) = allow {
            response.headers_mut().set("Allow", allow)?;
        }
        if status == 503 {
            response.headers_mut().set("Retry-After", &RETRY_AFTER_SECONDS.to_string())?;
        }
        Ok(response)
    }
}

/// Open311's addresses, whose clients parse every answer as the specification's documents.
fn is_open311(path: &str) -> bool {
    path == "/open311" || path.starts_with("/open311/")
}

/// An error under `/open311/` in the specification's error list (XML, or JSON for a path ending
/// in `.json`), never an HTML page: a client such as FixMyStreet reads `<errors><error>…`.
fn open311_error(
    path: &str,
    status: u16,
    reference: Option<&str>,
    allow: Option<&str>,
) -> worker::Result<Response> {
    use crate::domain::open311::{errors_body, Format};
    let message = match (status, allow, reference) {
        (404, _, _) => "no such Open311 resource: discovery, services, services/{service_code}, \
                        requests, requests/{service_request_id} and servicerequestupdates, each \
                        .xml or .json, under /open311/v2/"
            .to_owned(),
        (405, Some(allow), _) => format!("method not allowed; allowed: {allow}"),
        (413, _, _) if path.contains("/requests") => {
            "request body too large: at most 25 MB (attachments: 20 MB)".to_owned()
        }
        (413, _, _) => "request body too large: at most 1 MB".to_owned(),
        (503, _, Some(reference)) => {
            format!("temporarily unavailable; try again shortly (reference {reference})")
        }
        (403, _, _) => "forbidden".to_owned(),
        (_, _, Some(reference)) => format!("unexpected failure; reference {reference}"),
        _ => "bad request".to_owned(),
    };
    let format = Format::of_path(path);
    let headers = worker::Headers::new();
    headers.set("Content-Type", format.content_type())?;
    headers.set("Access-Control-Allow-Origin", "*")?;
    headers.set("Cache-Control", "no-store")?;
    Ok(Response::ok(errors_body(format, status, &[message]))?
        .with_headers(headers)
        .with_status(status))
}

/// Logs an unexpected failure with its detail; returns the reference shown to the visitor: the
/// request's `cf-ray` id, the same as the log line's `request`, so a citizen's report is found.
pub fn log_with_reference(ctx: &Ctx, detail: &str) -> String {
    let message = format!("{} {}: {detail}", ctx.method, loggable_path(&ctx.path));
    crate::app::log::emit(crate::app::log::Level::Error, "unexpected", Some(&ctx.ray), &message);
    ctx.ray.clone()
}

/// The path as a log line may show it: a segment that could be a tracking code is masked, and
/// so is a gateway callback's secret (`/canaux/<channel>/<secret>`).
pub fn loggable_path(path: &str) -> String {
    let callback = path.starts_with("/canaux/");
    path.split('/')
        .enumerate()
        .map(|(i, segment)| {
            if (segment.len() == 8 && segment.bytes().all(|b| b.is_ascii_digit()))
                || (callback && i >= 3)
            {
                "********"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The request's id for logs and error pages: Cloudflare's `cf-ray` when it is one, else (locally)
/// 16 random hex digits in the same shape.
pub fn ray_id(header: Option<&str>) -> String {
    match header.map(str::trim) {
        Some(ray)
            if !ray.is_empty()
                && ray.len() <= 40
                && ray.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') =>
        {
            ray.to_owned()
        }
        _ => {
            let mut bytes = [0u8; 8];
            if getrandom::fill(&mut bytes).is_err() {
                return "unknown".into();
            }
            bytes.iter().map(|b| format!("{b:02x}")).collect()
        }
    }
}
