//! What a tracking lookup is counted against, by email or by mobile alike: counted before it is
//! answered, within the clock hour, with `L` = `TRACK_FAILURES_PER_HOUR` (default 10): L per email
//! (or number) from one client address, 5 L per email (or number) from anywhere (so a burst from
//! one address does not lock the citizen out from their own), 5 L per code, 3 L per client
//! address. A lookup that opens the request is given back; the signed link of a mail never counts.

use crate::app::store::Store;
use crate::app::Ctx;
use crate::domain::code::RequestCode;
use crate::domain::rate_limit::{self, Window};

/// Whose lookups: an email address, or a mobile number (both already valid and normalised).
#[derive(Clone, Copy)]
pub(super) enum Holder<'a> {
    Email(&'a str),
    Mobile(&'a str),
}

pub(super) struct Limits {
    pub buckets: Vec<String>,
    pub limits: Vec<i64>,
    pub window: Window,
}

impl Limits {
    pub fn new(ctx: &Ctx, holder: Holder<'_>, code: Option<RequestCode>) -> Limits {
        let l = ctx.settings.track_failures_per_hour;
        let (with_client, alone, value) = match holder {
            Holder::Email(e) => ("track:email-client", "track:email", e),
            Holder::Mobile(p) => ("track:phone-client", "track:phone", p),
        };
        let mut buckets = vec![
            rate_limit::pair_bucket(with_client, value, &ctx.client),
            rate_limit::bucket(alone, value),
            rate_limit::bucket("track:client", &ctx.client),
        ];
        let mut limits = vec![l, 5 * l, 3 * l];
        if let Some(code) = code {
            buckets.push(rate_limit::bucket("track:code", &code.to_string()));
            limits.push(5 * l);
        }
        Limits { buckets, limits, window: Window::hour(ctx.now()) }
    }

    /// The code-entry step of the mobile path: the lookup's counters, and the guesses of one-time
    /// codes per number and per request across all their codes (`otp::GUESSES_PER_HOUR`).
    pub fn code_entry(ctx: &Ctx, phone: &str, code: Option<RequestCode>) -> Limits {
        let mut limits = Limits::new(ctx, Holder::Mobile(phone), code);
        limits.buckets.push(rate_limit::bucket("otp-guess:phone", phone));
        limits.limits.push(crate::domain::otp::GUESSES_PER_HOUR);
        if let Some(code) = code {
            limits.buckets.push(rate_limit::bucket("otp-guess:code", &code.to_string()));
            limits.limits.push(crate::domain::otp::GUESSES_PER_HOUR);
        }
        limits
    }

    /// Minutes to wait when any counter, this attempt included, is over its limit. A refused
    /// attempt compares nothing, so it gives back what it took from the counters still under
    /// their limit: a burst from one address spends that address's allowance, never the
    /// citizen's own (per email or number, per code) from elsewhere.
    pub async fn blocked(
        &self,
        ctx: &Ctx,
        store: &Store,
        counts: &[i64],
    ) -> worker::Result<Option<u32>> {
        let pairs: Vec<(i64, i64)> =
            counts.iter().copied().zip(self.limits.iter().copied()).collect();
        if !rate_limit::over_any(&pairs) {
            return Ok(None);
        }
        let untouched: Vec<String> = self
            .buckets
            .iter()
            .zip(&pairs)
            .filter(|(_, (hits, limit))| hits <= limit)
            .map(|(b, _)| b.clone())
            .collect();
        if !untouched.is_empty() {
            store.rate_limit_refund(&untouched, self.window.start).await?;
        }
        Ok(Some(self.window.minutes_left(ctx.now())))
    }
}
