//! Structured logs: every line one JSON object — `level`, `event`, `request` (the `cf-ray` id of
//! the HTTP request it belongs to, when there is one), `code` (a request's public id or row, when
//! one is involved; never a tracking code) and `message`. Never an email, a phone number or a
//! citizen's message: callers pass ids and counts.

use serde_json::json;

#[derive(Debug, Clone, Copy)]
pub enum Level {
    Info,
    Warn,
    Error,
}

pub fn emit(level: Level, event: &str, request: Option<&str>, message: &str) {
    let name = match level {
        Level::Info => "info",
        Level::Warn => "warn",
        Level::Error => "error",
    };
    let line = json!({ "level": name, "event": event, "request": request, "message": message })
        .to_string();
    match level {
        Level::Info => worker::console_log!("{line}"),
        Level::Warn => worker::console_warn!("{line}"),
        Level::Error => worker::console_error!("{line}"),
    }
}

pub fn info(event: &str, message: &str) {
    emit(Level::Info, event, None, message);
}

pub fn warn(event: &str, message: &str) {
    emit(Level::Warn, event, None, message);
}

pub fn error(event: &str, message: &str) {
    emit(Level::Error, event, None, message);
}
