//! Tracking by code + mobile, for citizens without email: a one-time code goes by SMS (when the
//! pair exists; the answer never says), then code + mobile + that code open the request exactly
//! as code + email does. Counted like the email path (`limits`).

use super::limits::{Holder, Limits};
use crate::app::delivery::notifier;
use crate::app::http::crypto::{constant_time_eq, random_token};
use crate::app::http::tracking_link::secret;
use crate::app::store::{retrying, CodeHolder, LookupRead, Store, Tracked};
use crate::app::Ctx;
use crate::domain::code::RequestCode;
use crate::domain::otp::{self, Judgement, Otp, CODES_PER_HOUR};
use crate::domain::phone::MobilePhone;
use crate::domain::rate_limit::{self, Window};

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
            // When that work is done: never for which request, nor whether a code left.
            crate::app::log::info("tracking_code", "tracking code request handled");
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

/// {code, telephone, otp}: counted like a lookup and as a guess (per number and per request,
/// hourly and daily, across all their codes); opens the request when the code is right, in time
/// and unused (and spends it), then gives the hourly counters back. Every path does the same D1
/// work — one daily count, one lookup batch (which reads the latest code too), one write — so
/// the answer's timing never says whether the code and the number belong together.
pub(super) async fn open(
    ctx: &Ctx,
    store: &Store,
    code: &str,
    phone: &MobilePhone,
    given: &Otp,
) -> worker::Result<Step> {
    let parsed = RequestCode::parse(code).ok();
    let today = Window::day(ctx.now());
    let daily = rate_limit::bucket("otp-guess:phone-day", phone.e164());
    let guessed_today = store.rate_limit_count(std::slice::from_ref(&daily), today.start).await?;
    let limits = Limits::code_entry(ctx, phone.e164(), parsed);
    // A malformed code reads like a real one, so it answers in the same time class.
    let asked = match parsed {
        Some(code) => code,
        None => {
            RequestCode::parse("10000000").map_err(|_| worker::Error::RustError("code".into()))?
        }
    };
    if guessed_today.first().is_some_and(|n| *n > otp::GUESSES_PER_DAY) {
        let minutes = ((today.start + rate_limit::DAY_MS - ctx.now()) / 60_000).max(1) as u32;
        return Ok(Step::Blocked(minutes));
    }
    let mut read = store
        .lookup_read(asked, ctx.lang, &limits.buckets, limits.window.start, None, true)
        .await?;
    if let Some(minutes) = limits.blocked(ctx, store, &read.counts).await? {
        return Ok(Step::Blocked(minutes));
    }
    let request = read.tracked.take().filter(|r| {
        parsed.is_some() && !r.phone.is_empty() && constant_time_eq(&r.phone, phone.e164())
    });
    let latest = read.latest_code.take().filter(|_| request.is_some());
    // A pair that does not belong together is judged against nothing, at the same cost.
    let (id, judgement) = match &latest {
        Some((id, issued)) => (*id, otp::judge(&secret(&ctx.env)?, issued, given, ctx.now())),
        None => {
            let _ = otp::judge(&secret(&ctx.env)?, &otp::NOTHING_ISSUED, given, ctx.now());
            (0, Judgement::Void)
        }
    };
    match (request, judgement) {
        (Some(request), Judgement::Open) if store.use_tracking_code(id, ctx.now()).await? => {
            // The citizen's own lookups are not failures.
            store.rate_limit_refund(&limits.buckets, limits.window.start).await?;
            Ok(Step::Opened(Box::new(read), Box::new(request)))
        }
        (_, Judgement::Open) => Ok(Step::Refused),
        (_, _) => {
            // A wrong code spends one of its tries; anything else writes to no row, in the same
            // one statement.
            store.spend_tracking_try(id).await?;
            Ok(Step::Refused)
        }
    }
}
