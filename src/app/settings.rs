//! Every `[vars]` value of `wrangler.toml` the worker reads, read in one place, typed, with its
//! default (the same as `wrangler.toml`'s). Secrets are read where they are used (`providers`,
//! `tracking_link`, `turnstile`): they never sit in a struct that could be logged.

use worker::Env;

#[derive(Debug, Clone)]
pub struct Settings {
    /// Absolute base of the links in mails and SMS, without a trailing slash.
    pub public_url: String,
    pub submit_limit_per_hour: i64,
    /// `L` of the tracking lookups' limits (see `routes::track::lookup`).
    pub track_failures_per_hour: i64,
    pub sign_in_limit_per_hour: i64,
    /// Partner posts (Open311 and the JSON API with a key) per key and hour.
    pub partner_limit_per_hour: i64,
    pub confirmations_per_recipient_per_hour: i64,
    pub staging_bytes_per_hour: i64,
    pub outbox_stuck_seconds: i64,
    pub notify_retry_base_seconds: u32,
    pub notify_retry_max_seconds: u32,
    /// How long a consumer holds a notification while it talks to a provider.
    pub notify_claim_seconds: u32,
    pub digest_horizon_days: i64,
    pub verdict_reminder_days: i64,
    pub auto_close_days: i64,
    pub retention_days: i64,
    pub retention_dry_run: bool,
    /// How long a failing daily job's slice waits before its second try (doubled at each
    /// failure, at most an hour).
    pub job_retry_base_seconds: i64,
    /// Development only: every daily job's slice this small (tests walk many slices).
    pub job_slice_rows: Option<i64>,
    /// How long an invocation holds a daily job for its slice (ms): 4 minutes, so that one that
    /// died is picked up by the next five-minute cron; tests shorten it (`JOB_LEASE_SECONDS`).
    pub job_lease_ms: i64,
    /// Tests only: a `clock` setting in D1 sets the jobs' time (moving on from `clock_set_at`).
    /// Never set in production.
    pub allow_clock_override: bool,
    pub turnstile_site_key: Option<String>,
    pub turnstile_verify_url: Option<String>,
    /// The USSD short code citizens dial (`*123*45#`); empty: the USSD channel is off. Read by
    /// the back office only (the channels' callbacks and the SMS it sends).
    #[cfg(feature = "office")]
    pub ussd_short_code: Option<String>,
    /// The number citizens write SMS to; empty: the SMS channel is off.
    #[cfg(feature = "office")]
    pub sms_number: Option<String>,
}

impl Settings {
    pub fn read(env: &Env) -> Settings {
        let text = |name: &str| env.var(name).ok().map(|v| v.to_string()).filter(|v| !v.is_empty());
        let number = |name: &str, default: i64| {
            text(name).and_then(|v| v.trim().parse::<i64>().ok()).unwrap_or(default)
        };
        Settings {
            public_url: text("PUBLIC_URL").unwrap_or_default().trim_end_matches('/').to_owned(),
            submit_limit_per_hour: number("SUBMIT_LIMIT_PER_HOUR", 20),
            track_failures_per_hour: number("TRACK_FAILURES_PER_HOUR", 10),
            sign_in_limit_per_hour: number("SIGN_IN_LIMIT_PER_HOUR", 5),
            partner_limit_per_hour: number("OPEN311_LIMIT_PER_HOUR", 500),
            confirmations_per_recipient_per_hour: number("CONFIRMATIONS_PER_RECIPIENT_PER_HOUR", 3),
            staging_bytes_per_hour: number("STAGING_BYTES_PER_HOUR", 50 * 1024 * 1024),
            outbox_stuck_seconds: number("OUTBOX_STUCK_SECONDS", 3600),
            notify_retry_base_seconds: number("NOTIFY_RETRY_BASE_SECONDS", 10).clamp(1, 86_400)
                as u32,
            notify_retry_max_seconds: number("NOTIFY_RETRY_MAX_SECONDS", 3600).clamp(1, 86_400)
                as u32,
            notify_claim_seconds: number("NOTIFY_CLAIM_SECONDS", 60).clamp(1, 900) as u32,
            digest_horizon_days: number("DIGEST_HORIZON_DAYS", 2),
            verdict_reminder_days: number("VERDICT_REMINDER_DAYS", 7),
            auto_close_days: number("AUTO_CLOSE_DAYS", 14),
            retention_days: number("RETENTION_DAYS", 730),
            retention_dry_run: number("RETENTION_DRY_RUN", 0) == 1,
            job_retry_base_seconds: number("JOB_RETRY_BASE_SECONDS", 60).clamp(0, 3600),
            job_lease_ms: number("JOB_LEASE_SECONDS", 240).clamp(5, 240) * 1000,
            job_slice_rows: text("JOB_SLICE_ROWS")
                .and_then(|v| v.trim().parse::<i64>().ok())
                .filter(|n| *n > 0),
            allow_clock_override: number("ALLOW_CLOCK_OVERRIDE", 0) == 1,
            turnstile_site_key: text("TURNSTILE_SITE_KEY"),
            turnstile_verify_url: text("TURNSTILE_VERIFY_URL"),
            #[cfg(feature = "office")]
            ussd_short_code: text("USSD_SHORT_CODE"),
            #[cfg(feature = "office")]
            sms_number: text("SMS_NUMBER"),
        }
    }
}
