//! Tracking by code + mobile, for citizens without email: a one-time code goes by SMS (when the
//! pair exists; the answer never says), then code + mobile + that code open the request exactly
//! as code + email does. Counted like the email path (`limits`).

use super::limits::{Holder, Limits};
use crate::app::crypto::{constant_time_eq, random_token};
use crate::app::store::{retrying, CodeHolder, LookupRead, Store, Tracked};
use crate::app::tracking_link::secret;
use crate::app::{notifier, Ctx};
use crate::domain::code::RequestCode;
use crate::domain::otp::{self, Judgement, Otp};
use crate::domain::phone::MobilePhone;

/// One-time codes one number may receive per hour (each SMS costs money).
const CODES_PER_HOUR: i64 = 5;

pub(super) enum Step {
    /// The answer to {code, telephone}, whether or not the pair exists.
    Sent,
    Opened(Box<LookupRead>, Box<Tracked>),
    /// Wrong pair, wrong, expired or reused code: one refusal for all.
    Refused,
    Blocked(u32),
}

/// {code, telephone}: counted, then answered at once; the look-up and the SMS happen after the
/// answer, so neither its words nor its timing say whether the pair exists.
pub(super) async fn send_code(
    ctx: &Ctx,
    store: &Store,
    code: &str,
    phone: MobilePhone,
) -> worker::Result<Step> {
    let parsed = RequestCode::parse(code).ok();
    let limits = Limits::new(ctx, Holder::Mobile(phone.e164()), parsed);
    let counts = store.rate_limit_count(&limits.buckets, limits.window.start).await?;
    if let Some(minutes) = limits.blocked(ctx, store, &counts).await? {
        return Ok(Step::Blocked(minutes));
    }
    if let Some(code) = parsed {
        let (env, now) = (ctx.env.clone(), ctx.now());
        ctx.after_response(async move {
            // Tried again after a transient D1 failure: the issuing batch is atomic, so a failed
            // try wrote nothing (at worst a lost answer means a second code, within the SMS cap).
            if let Err(e) = retrying(|| issue(&env, code, phone.clone(), now)).await {
                crate::app::log::error("tracking_code", &format!("tracking code: {e}"));
            }
        });
    }
    Ok(Step::Sent)
}

async fn issue(
    env: &worker::Env,
    code: RequestCode,
    phone: MobilePhone,
    now: i64,
) -> worker::Result<()> {
    let store = Store::new(env)?;
    let Some(holder): Option<CodeHolder> = store.code_holder(code).await? else { return Ok(()) };
    if holder.phone.is_empty() || !constant_time_eq(&holder.phone, phone.e164()) {
        return Ok(());
    }
    let reference = random_token(16)?;
    let key = secret(env)?;
    let digest = otp::digest(&key, &reference, &otp::derive(&key, &reference));
    if let Some(id) =
        store.issue_tracking_code(&holder, &reference, &digest, now, CODES_PER_HOUR).await?
    {
        notifier::enqueue(env, &[id]).await;
    }
    Ok(())
}

/// {code, telephone, otp}: counted like a lookup; opens the request when the code is right, in
/// time and unused (and spends it), then gives the counters back.
pub(super) async fn open(
    ctx: &Ctx,
    store: &Store,
    code: &str,
    phone: &MobilePhone,
    given: &Otp,
) -> worker::Result<Step> {
    let parsed = RequestCode::parse(code).ok();
    let limits = Limits::new(ctx, Holder::Mobile(phone.e164()), parsed);
    // A malformed code reads like a real one, so it answers in the same time class.
    let asked = match parsed {
        Some(code) => code,
        None => {
            RequestCode::parse("10000000").map_err(|_| worker::Error::RustError("code".into()))?
        }
    };
    let mut read =
        store.lookup_read(asked, ctx.lang, &limits.buckets, limits.window.start, None).await?;
    if let Some(minutes) = limits.blocked(ctx, store, &read.counts).await? {
        return Ok(Step::Blocked(minutes));
    }
    let Some(request) = read.tracked.take().filter(|r| {
        parsed.is_some() && !r.phone.is_empty() && constant_time_eq(&r.phone, phone.e164())
    }) else {
        return Ok(Step::Refused);
    };
    let Some((id, issued)) = store.latest_tracking_code(request.id).await? else {
        return Ok(Step::Refused);
    };
    match otp::judge(&secret(&ctx.env)?, &issued, given, ctx.now()) {
        Judgement::Open if store.use_tracking_code(id, ctx.now()).await? => {
            // The citizen's own lookups are not failures.
            store.rate_limit_refund(&limits.buckets, limits.window.start).await?;
            Ok(Step::Opened(Box::new(read), Box::new(request)))
        }
        Judgement::Wrong => {
            store.spend_tracking_try(id).await?;
            Ok(Step::Refused)
        }
        _ => Ok(Step::Refused),
    }
}
