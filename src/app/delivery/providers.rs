//! Notification providers, each behind one small function: an HTTP mail API in the shape of
//! Resend's, and Orange's SMS API (OAuth2 client credentials, then the outbound SMS request).

use std::cell::RefCell;
use std::time::Duration;

use futures_util::future::{select, Either};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{Delay, Env, Fetch, Headers, Method, Request, RequestInit, Response};

use crate::app::store::Store;
use crate::notify::Email;

/// How long a provider may take to answer before the attempt counts as a temporary failure.
const TIMEOUT: Duration = Duration::from_secs(15);

/// What came of handing a notification to a provider.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Accepted; the provider's id for it.
    Delivered(String),
    /// Worth retrying: 5xx, 429, timeout, network error, unreadable answer, missing configuration.
    Temporary(String),
    /// Retrying cannot help: the provider refused the message itself (4xx).
    Permanent(String),
}

fn config(env: &Env, name: &str) -> Option<String> {
    env.secret(name)
        .map(|s| s.to_string())
        .or_else(|_| env.var(name).map(|v| v.to_string()))
        .ok()
        .filter(|v| !v.is_empty())
}

async fn fetch_with_timeout(url: &str, init: &RequestInit) -> Result<Response, String> {
    crate::app::meter::subrequest();
    let request = Request::new_with_init(url, init).map_err(|e| format!("bad request: {e}"))?;
    let fetch = Fetch::Request(request);
    let timeout = Delay::from(TIMEOUT);
    let outcome = match select(Box::pin(fetch.send()), timeout).await {
        Either::Left((Ok(response), _)) => Ok(response),
        Either::Left((Err(e), _)) => Err(format!("network: {e}")),
        Either::Right(_) => Err(format!("no answer within {} s", TIMEOUT.as_secs())),
    };
    outcome
}

/// Classifies an HTTP status the way every provider here uses it.
fn classify(status: u16, body: &str) -> Option<Outcome> {
    let snippet: String = body.chars().take(300).collect();
    match status {
        200..=299 => None,
        408 | 409 | 425 | 429 | 500..=599 => {
            Some(Outcome::Temporary(format!("HTTP {status}: {snippet}")))
        }
        _ => Some(Outcome::Permanent(format!("HTTP {status}: {snippet}"))),
    }
}

/// One mail to hand to the provider.
pub struct OutgoingEmail<'a> {
    pub idempotency_key: &'a str,
    pub to: &'a str,
    pub email: &'a Email,
}

/// Resend's batch endpoint takes at most 100 mails a call.
pub const MAIL_BATCH_MAX: usize = 100;

fn email_json(from: &str, m: &OutgoingEmail<'_>) -> serde_json::Value {
    serde_json::json!({
        "from": from,
        "to": [m.to],
        "subject": m.email.subject,
        "html": m.email.html,
        "text": m.email.text,
        // Our reference for the message, carried in its headers (and shown by the dev inbox).
        "headers": { "X-Entity-Ref-ID": m.idempotency_key },
    })
}

async fn post_json(
    url: &str,
    key: &str,
    idempotency_key: &str,
    body: &serde_json::Value,
) -> Result<(u16, String), String> {
    let headers = Headers::new();
    let setup = (|| -> worker::Result<()> {
        headers.set("Content-Type", "application/json")?;
        headers.set("Authorization", &format!("Bearer {key}"))?;
        headers.set("Idempotency-Key", idempotency_key)
    })();
    setup.map_err(|e| format!("headers: {e}"))?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_headers(headers)
        .with_body(Some(JsValue::from_str(&body.to_string())));
    let mut response = fetch_with_timeout(url, &init).await?;
    let status = response.status_code();
    Ok((status, response.text().await.unwrap_or_default()))
}

/// Hands mails to the provider: one `POST {MAIL_API_URL}/emails/batch` for up to 100 of them
/// (`Idempotency-Key`: a hash of the batch's own keys, so the very same batch retried is not sent
/// twice), one outcome per mail, in order. A batch the provider refuses as a whole for one bad
/// mail (4xx) is sent again mail by mail, so only that one fails.
pub async fn send_emails(env: &Env, mails: &[&OutgoingEmail<'_>]) -> Vec<Outcome> {
    let (Some(base), Some(key), Some(from)) =
        (config(env, "MAIL_API_URL"), config(env, "MAIL_API_KEY"), config(env, "MAIL_FROM"))
    else {
        return mails
            .iter()
            .map(|_| {
                Outcome::Temporary(
                    "mail provider not configured (MAIL_API_URL, MAIL_API_KEY, MAIL_FROM)".into(),
                )
            })
            .collect();
    };
    let base = base.trim_end_matches('/');
    if mails.len() == 1 {
        return vec![send_one(base, &key, &from, mails[0]).await];
    }
    let batch_key = crate::app::http::crypto::sha256_hex(
        &mails.iter().map(|m| m.idempotency_key).collect::<Vec<_>>().join("\n"),
    );
    let body = serde_json::Value::Array(mails.iter().map(|m| email_json(&from, m)).collect());
    let (status, text) =
        match post_json(&format!("{base}/emails/batch"), &key, &batch_key, &body).await {
            Ok(answer) => answer,
            Err(e) => return mails.iter().map(|_| Outcome::Temporary(e.clone())).collect(),
        };
    match classify(status, &text) {
        None => {
            #[derive(Deserialize)]
            struct Accepted {
                id: String,
            }
            #[derive(Deserialize)]
            struct Answer {
                data: Vec<Accepted>,
            }
            match serde_json::from_str::<Answer>(&text) {
                Ok(a) if a.data.len() == mails.len() && a.data.iter().all(|d| !d.id.is_empty()) => {
                    a.data.into_iter().map(|d| Outcome::Delivered(d.id)).collect()
                }
                _ => mails
                    .iter()
                    .map(|_| {
                        Outcome::Temporary(format!(
                            "unreadable answer: {}",
                            text.chars().take(200).collect::<String>()
                        ))
                    })
                    .collect(),
            }
        }
        Some(Outcome::Permanent(_)) if status != 401 && status != 403 => {
            let mut outcomes = Vec::with_capacity(mails.len());
            for m in mails {
                outcomes.push(send_one(base, &key, &from, m).await);
            }
            outcomes
        }
        Some(failure) => mails.iter().map(|_| failure.clone()).collect(),
    }
}

/// `POST {MAIL_API_URL}/emails` with `Authorization: Bearer {MAIL_API_KEY}` and `Idempotency-Key`.
async fn send_one(base: &str, key: &str, from: &str, m: &OutgoingEmail<'_>) -> Outcome {
    let (status, text) =
        match post_json(&format!("{base}/emails"), key, m.idempotency_key, &email_json(from, m))
            .await
        {
            Ok(answer) => answer,
            Err(e) => return Outcome::Temporary(e),
        };
    if let Some(failure) = classify(status, &text) {
        return failure;
    }
    #[derive(Deserialize)]
    struct Accepted {
        id: String,
    }
    match serde_json::from_str::<Accepted>(&text) {
        Ok(a) if !a.id.is_empty() => Outcome::Delivered(a.id),
        _ => Outcome::Temporary(format!(
            "unreadable answer: {}",
            text.chars().take(200).collect::<String>()
        )),
    }
}

const ORANGE: &str = "orange_sms";

thread_local! {
    /// The SMS token this isolate last read or obtained, with its expiry: D1 (shared by every
    /// isolate) is read once per isolate and token, not once per message.
    static ORANGE_TOKEN: RefCell<Option<(String, i64)>> = const { RefCell::new(None) };
}

/// An access token for Orange's API: the cached one while valid, else a new one (client credentials).
async fn orange_token(env: &Env, store: &Store, base: &str, now: i64) -> Result<String, Outcome> {
    if let Some(token) = ORANGE_TOKEN.with_borrow(|t| {
        t.as_ref().filter(|(_, expires_at)| *expires_at > now).map(|(token, _)| token.clone())
    }) {
        return Ok(token);
    }
    if let Ok(Some((token, expires_at))) = store.provider_token(ORANGE, now).await {
        ORANGE_TOKEN.set(Some((token.clone(), expires_at)));
        return Ok(token);
    }
    let (Some(id), Some(secret)) = (config(env, "SMS_CLIENT_ID"), config(env, "SMS_CLIENT_SECRET"))
    else {
        return Err(Outcome::Temporary(
            "SMS provider not configured (SMS_CLIENT_ID, SMS_CLIENT_SECRET)".into(),
        ));
    };
    let headers = Headers::new();
    let basic = crate::domain::base64::encode_standard(format!("{id}:{secret}"));
    if headers.set("Authorization", &format!("Basic {basic}")).is_err()
        || headers.set("Content-Type", "application/x-www-form-urlencoded").is_err()
    {
        return Err(Outcome::Temporary("headers".into()));
    }
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_headers(headers)
        .with_body(Some(JsValue::from_str("grant_type=client_credentials")));
    let mut response = fetch_with_timeout(&format!("{base}/oauth/v3/token"), &init)
        .await
        .map_err(Outcome::Temporary)?;
    let status = response.status_code();
    let text = response.text().await.unwrap_or_default();
    if let Some(failure) = classify(status, &text) {
        // Bad credentials are our configuration, not the message: keep retrying until fixed.
        return Err(match failure {
            Outcome::Permanent(e) => Outcome::Temporary(format!("token: {e}")),
            other => other,
        });
    }
    #[derive(Deserialize)]
    struct Token {
        access_token: String,
        expires_in: i64,
    }
    let token: Token = serde_json::from_str(&text)
        .map_err(|_| Outcome::Temporary("unreadable token answer".into()))?;
    // Renew a minute early so a token never expires mid-request.
    let expires_at = now + (token.expires_in - 60).max(0) * 1000;
    ORANGE_TOKEN.set(Some((token.access_token.clone(), expires_at)));
    if let Err(e) = store.save_provider_token(ORANGE, &token.access_token, expires_at).await {
        crate::app::log::error("provider", &format!("saving the SMS token failed: {e}"));
    }
    Ok(token.access_token)
}

/// Orange SMS: `POST {SMS_API_URL}/smsmessaging/v1/outbound/{sender}/requests`.
pub async fn send_sms(env: &Env, store: &Store, to: &str, text: &str, now: i64) -> Outcome {
    let (Some(base), Some(sender)) = (config(env, "SMS_API_URL"), config(env, "SMS_SENDER")) else {
        return Outcome::Temporary("SMS provider not configured (SMS_API_URL, SMS_SENDER)".into());
    };
    let base = base.trim_end_matches('/').to_owned();
    let sender_address = format!("tel:{sender}");
    let body = serde_json::json!({
        "outboundSMSMessageRequest": {
            "address": format!("tel:{to}"),
            "senderAddress": sender_address,
            "senderName": config(env, "SMS_SENDER_NAME").unwrap_or_else(|| "MILIE".into()),
            "outboundSMSTextMessage": { "message": text },
        }
    })
    .to_string();
    let encoded: String = form_urlencoded::byte_serialize(sender_address.as_bytes()).collect();
    let url = format!("{base}/smsmessaging/v1/outbound/{encoded}/requests");
    // One retry with a fresh token when the cached one was refused.
    for fresh in [false, true] {
        if fresh {
            ORANGE_TOKEN.set(None);
            let _ = store.forget_provider_token(ORANGE).await;
        }
        let token = match orange_token(env, store, &base, now).await {
            Ok(t) => t,
            Err(outcome) => return outcome,
        };
        let headers = Headers::new();
        if headers.set("Authorization", &format!("Bearer {token}")).is_err()
            || headers.set("Content-Type", "application/json").is_err()
        {
            return Outcome::Temporary("headers".into());
        }
        let mut init = RequestInit::new();
        init.with_method(Method::Post)
            .with_headers(headers)
            .with_body(Some(JsValue::from_str(&body)));
        let mut response = match fetch_with_timeout(&url, &init).await {
            Ok(r) => r,
            Err(e) => return Outcome::Temporary(e),
        };
        let status = response.status_code();
        let answer = response.text().await.unwrap_or_default();
        if status == 401 && !fresh {
            continue;
        }
        if let Some(failure) = classify(status, &answer) {
            return failure;
        }
        #[derive(Deserialize)]
        struct Inner {
            #[serde(rename = "resourceURL")]
            resource_url: Option<String>,
        }
        #[derive(Deserialize)]
        struct Accepted {
            #[serde(rename = "outboundSMSMessageRequest")]
            outbound_sms_message_request: Inner,
        }
        // A 2xx is Orange's acceptance. Without an idempotency key on this API, retrying after an
        // unreadable 2xx body could send the SMS twice, so it counts as delivered, id unknown.
        return match serde_json::from_str::<Accepted>(&answer) {
            Ok(a) => Outcome::Delivered(
                a.outbound_sms_message_request.resource_url.unwrap_or_else(|| "accepted".into()),
            ),
            Err(_) => Outcome::Delivered(format!("accepted (HTTP {status}, unreadable body)")),
        };
    }
    Outcome::Temporary("token refused twice".into())
}
