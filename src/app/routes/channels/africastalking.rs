//! The gateway adapter: Africa's Talking's callbacks, the shape most African gateways use. Another
//! gateway is one more file like this one, turning its request into the same [`UssdCall`] and
//! [`InboundSms`] and the answer into its own format.
//!
//! - USSD: a form post `sessionId`, `serviceCode`, `phoneNumber`, `networkCode`, `text` (every
//!   input of the session so far, joined by `*`), answered `text/plain`: `CON …` to show a screen
//!   and wait, `END …` to close the session.
//! - Inbound SMS: a form post `from`, `to`, `text`, `date`, `id`, `linkId`, answered 200.

use worker::{FormData, Response};

use crate::domain::phone::MobilePhone;

/// The longest `text` a USSD callback may carry (a whole session of inputs).
pub const MAX_USSD_TEXT: usize = 4000;

/// A USSD callback.
pub struct UssdCall {
    pub session_id: String,
    /// The number the operator hands over: the citizen's identity on this channel.
    pub number: MobilePhone,
    pub text: String,
}

/// An SMS a citizen sent to Miliê's number.
pub struct InboundSms {
    pub from: MobilePhone,
    pub text: String,
    /// The gateway's id of the message: a retried callback is the same message.
    pub id: String,
}

/// Why a callback is refused (400, nothing stored).
#[derive(Debug)]
pub enum Refusal {
    Missing(&'static str),
    Number,
    TooLong(&'static str),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Missing(name) => write!(f, "field {name} missing"),
            Refusal::Number => write!(f, "not a mobile number"),
            Refusal::TooLong(name) => write!(f, "field {name} too long"),
        }
    }
}

/// A field that must be there (`text` may be empty), at most `max` characters.
fn required(form: &FormData, name: &'static str, max: usize) -> Result<String, Refusal> {
    let value = form.get_field(name).ok_or(Refusal::Missing(name))?;
    if value.chars().count() > max {
        return Err(Refusal::TooLong(name));
    }
    Ok(value)
}

fn non_empty(form: &FormData, name: &'static str, max: usize) -> Result<String, Refusal> {
    Some(required(form, name, max)?.trim().to_owned())
        .filter(|v| !v.is_empty())
        .ok_or(Refusal::Missing(name))
}

/// The number as gateways write it: `+2250707123456`, or the same without its `+`.
fn number(raw: &str) -> Result<MobilePhone, Refusal> {
    let international =
        raw.len() > 10 && !raw.starts_with('0') && raw.bytes().all(|b| b.is_ascii_digit());
    let raw = if international { format!("+{raw}") } else { raw.to_owned() };
    MobilePhone::parse_any(&raw).map_err(|_| Refusal::Number)
}

pub fn ussd(form: &FormData) -> Result<UssdCall, Refusal> {
    // The code dialled (`serviceCode`) and the network (`networkCode`) change nothing here: one
    // callback address per short code.
    non_empty(form, "serviceCode", 40)?;
    Ok(UssdCall {
        session_id: non_empty(form, "sessionId", 200)?,
        number: number(&non_empty(form, "phoneNumber", 40)?)?,
        text: required(form, "text", MAX_USSD_TEXT)?,
    })
}

pub fn sms(form: &FormData) -> Result<InboundSms, Refusal> {
    let from = number(&non_empty(form, "from", 40)?)?;
    // `to` (Miliê's number) and `date` are part of the shape; `linkId` only with premium SMS.
    non_empty(form, "to", 40)?;
    Ok(InboundSms {
        from,
        text: required(form, "text", crate::domain::sms_command::MAX_CHARS * 4)?,
        id: non_empty(form, "id", 200)?,
    })
}

/// The answer to a USSD callback: `CON …` or `END …` as plain text.
pub fn answer(text: &str) -> worker::Result<Response> {
    let mut response = Response::ok(text)?;
    response.headers_mut().set("Content-Type", "text/plain; charset=utf-8")?;
    response.headers_mut().set("Cache-Control", "no-store")?;
    Ok(response)
}

/// The answer to an inbound SMS: received (what Miliê replies goes out by SMS, from the outbox).
pub fn received() -> worker::Result<Response> {
    answer("OK")
}
