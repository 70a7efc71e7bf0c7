//! The ways in without mobile data (issue #30): the USSD gateway's callback and the inbound-SMS
//! callback, in the back office at `POST /canaux/ussd/<secret>` and `POST /canaux/sms/<secret>`.
//! Each is reached only with its provider's secret in the path (`USSD_CALLBACK_SECRET`,
//! `SMS_CALLBACK_SECRET`, compared in constant time; wrong, or the channel off: 404, logged), then
//! read by the gateway's adapter (`africastalking`): a malformed number or a missing field is a 400
//! and nothing is stored. The number the operator hands over is the citizen's identity on these
//! channels; per number, sessions, screens, inbound SMS and answers are counted before anything
//! is answered.

mod africastalking;
mod sms;
mod ussd;

use worker::Request;

use crate::app::http::crypto::constant_time_eq;
use crate::app::http::error::Outcome;
use crate::app::{AppError, Ctx};

/// The two callbacks.
#[derive(Clone, Copy)]
enum Callback {
    Ussd,
    Sms,
}

impl Callback {
    fn name(self) -> &'static str {
        match self {
            Callback::Ussd => "ussd",
            Callback::Sms => "sms",
        }
    }
}

/// Whether `given` is the callback's secret, with the channel on (its short code or number set).
/// A secret shorter than 16 characters counts as unset.
fn authorised(ctx: &Ctx, callback: Callback, given: &str) -> bool {
    let (secret, on) = match callback {
        Callback::Ussd => {
            (ctx.env.secret("USSD_CALLBACK_SECRET"), ctx.settings.ussd_short_code.is_some())
        }
        Callback::Sms => (ctx.env.secret("SMS_CALLBACK_SECRET"), ctx.settings.sms_number.is_some()),
    };
    let expected = secret.map(|s| s.to_string()).ok().filter(|s| s.len() >= 16);
    match expected {
        // Compared whole, in constant time; a wrong length is refused the same way.
        Some(expected) if on => constant_time_eq(&expected, given),
        _ => false,
    }
}

/// Checks the secret, then reads the form: the form, or the refusal to answer.
async fn open(
    ctx: &Ctx,
    callback: Callback,
    secret: &str,
    req: &mut Request,
) -> Result<worker::FormData, AppError> {
    if !authorised(ctx, callback, secret) {
        // Never the secret tried, nor anything the caller sent.
        crate::app::log::warn(
            "channel_refused",
            &format!("{} callback with a wrong secret, or the channel off", callback.name()),
        );
        return Err(AppError::NotFound);
    }
    crate::app::http::form::read(req).await
}

fn refused(callback: Callback, why: africastalking::Refusal) -> AppError {
    crate::app::log::warn(
        "channel_refused",
        &format!("{} callback refused: {why}", callback.name()),
    );
    AppError::BadRequest
}

/// POST /canaux/ussd/{secret}
pub async fn ussd(ctx: &Ctx, secret: &str, mut req: Request) -> Outcome {
    let form = open(ctx, Callback::Ussd, secret, &mut req).await?;
    let call = africastalking::ussd(&form).map_err(|e| refused(Callback::Ussd, e))?;
    let text = ussd::answer(ctx, &call).await;
    Ok(africastalking::answer(&text)?)
}

/// POST /canaux/sms/{secret}
pub async fn sms(ctx: &Ctx, secret: &str, mut req: Request) -> Outcome {
    let form = open(ctx, Callback::Sms, secret, &mut req).await?;
    let inbound = africastalking::sms(&form).map_err(|e| refused(Callback::Sms, e))?;
    sms::receive(ctx, &inbound).await?;
    Ok(africastalking::received()?)
}
