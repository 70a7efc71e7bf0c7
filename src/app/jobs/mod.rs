//! Cron Triggers. Each job is idempotent and bounded per run: it resumes where it stopped. The
//! five-minute jobs run whole (each takes at most a batch); the daily ones start at 06:00 and go
//! on a slice per invocation through the queue (`runner`, `daily`).

#[cfg(feature = "office")]
pub mod daily;
#[cfg(feature = "office")]
pub mod runner;

use worker::{event, Env, ScheduleContext, ScheduledEvent};

use crate::app::http::files::Files;
use crate::app::settings::Settings;
use crate::app::store::Store;

/// Every five minutes (wrangler.toml).
pub const FREQUENT: &str = "*/5 * * * *";
/// Every day at 06:00 UTC, 06:00 in Abidjan.
pub const DAILY: &str = "0 6 * * *";

/// Staged files (uploaded with a form never submitted) are kept this long, then deleted.
const STAGED_TTL_MS: i64 = 24 * 3600 * 1000;
const SWEEP_BATCH: i64 = 200;

/// The trigger, where the jobs run (the back office, or the one worker that is both).
#[cfg(feature = "office")]
#[event(scheduled)]
async fn scheduled(event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    let meter = crate::app::meter::Meter::new(&env, "cron", &event.cron());
    crate::app::meter::metered(meter, run(&env, &event.cron(), event.schedule() as i64)).await;
}

/// The trigger on the citizens' worker, which has no jobs: it hands the cron to the back office
/// through the service binding (`/__cron`, an address only the binding reaches) and waits for it.
#[cfg(not(feature = "office"))]
#[event(scheduled)]
async fn scheduled(event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    let meter = crate::app::meter::Meter::new(&env, "cron", &event.cron());
    crate::app::meter::metered(meter, hand_over(event, &env)).await;
}

#[cfg(not(feature = "office"))]
async fn hand_over(event: ScheduledEvent, env: &Env) {
    let at = (event.schedule() as i64).to_string();
    let url = format!(
        "https://office.internal{}",
        crate::web::href(CRON_PATH, &[("cron", &event.cron()), ("at", &at)])
    );
    crate::app::meter::subrequest();
    let handed = async { env.service(crate::app::OFFICE)?.fetch(url, None).await };
    match handed.await {
        Ok(response) if response.status_code() == 204 => {}
        Ok(response) => crate::app::log::error(
            "cron",
            &format!("cron {}: the back office answered {}", event.cron(), response.status_code()),
        ),
        Err(e) => crate::app::log::error(
            "cron",
            &format!("cron {}: the back office could not be reached: {e}", event.cron()),
        ),
    }
}

/// Where the back office takes a cron handed over by the citizens' worker.
#[cfg(not(all(feature = "citizen", feature = "office")))]
pub const CRON_PATH: &str = "/__cron";

/// Runs the jobs of one cron expression at `scheduled` (ms).
#[cfg(feature = "office")]
pub async fn run(env: &Env, cron: &str, scheduled: i64) {
    let now = match clock(env, scheduled).await {
        Ok(now) => now,
        Err(e) => {
            // Running a test's jobs at the wrong time would be worse than not running them.
            crate::app::log::error("cron", &format!("cron {cron}: the test clock unread: {e}"));
            return;
        }
    };
    let env = env.clone();
    let outcome = match cron {
        FREQUENT => {
            let outbox = crate::app::delivery::notifier::sweep(&env, now).await;
            let staged = sweep_staged_files(&env, now).await;
            let summaries = staff_summaries(&env, now).await;
            // Daily jobs whose queue message was lost, whose invocation died, or whose wait after
            // a failure is over.
            let resumed = runner::resume(&env).await;
            let sessions = drop_ussd_sessions(&env, now).await;
            outbox.and(staged).and(summaries).and(resumed).and(sessions)
        }
        DAILY => runner::start_daily(&env, now).await,
        other => Err(worker::Error::RustError(format!("no job for cron {other:?}"))),
    };
    if let Err(e) = outcome {
        crate::app::log::error("cron", &format!("cron {cron}: {e}"));
    }
}

/// The time jobs run at: the trigger's, unless `ALLOW_CLOCK_OVERRIDE=1` (tests only, never set in
/// production) and a `clock` setting (ms) says otherwise — wrangler's `/__scheduled` has no clock.
/// With `clock_set_at` (the real time the test set it) the test clock moves on from there, so
/// what waits a minute (an outbox row never enqueued) is still swept a minute later.
pub(crate) async fn clock(env: &Env, scheduled: i64) -> worker::Result<i64> {
    if !Settings::read(env).allow_clock_override {
        return Ok(scheduled);
    }
    // A failed read is tried again, never taken for «no test clock» (the real time).
    let store = Store::new(env)?;
    Ok(match crate::app::store::retrying(|| store.clock_override()).await? {
        Some((clock, Some(set_at))) => clock + (scheduled - set_at).max(0),
        Some((clock, None)) => clock,
        None => scheduled,
    })
}

/// Deletes staged files older than a day: R2 objects first, then their rows, so a failure
/// leaves rows that the next run retries rather than objects nobody knows about.
async fn sweep_staged_files(env: &Env, now: i64) -> worker::Result<()> {
    let store = Store::new(env)?;
    let files = Files::new(env)?;
    let expired = store.expired_staged_files(now - STAGED_TTL_MS, SWEEP_BATCH).await?;
    if expired.is_empty() {
        return Ok(());
    }
    let keys: Vec<String> = expired.iter().map(|(_, key)| key.clone()).collect();
    files.try_delete(&keys).await?;
    let ids: Vec<i64> = expired.iter().map(|(id, _)| *id).collect();
    store.delete_staged_files(&ids).await?;
    crate::app::log::info(
        "cron",
        &format!("cron {FREQUENT}: deleted {} staged files never submitted", ids.len()),
    );
    Ok(())
}

/// USSD sessions past the time a dropped one is offered again: they hold the message being typed.
async fn drop_ussd_sessions(env: &Env, now: i64) -> worker::Result<()> {
    let store = Store::new(env)?;
    let dropped = store.drop_ussd_sessions_before(now - crate::domain::ussd::RESUME_MS).await?;
    if dropped > 0 {
        crate::app::log::info("cron", &format!("cron {FREQUENT}: {dropped} USSD sessions ended"));
    }
    Ok(())
}

/// Staff on an hourly or daily cadence get one summary of what happened since their last one, at
/// most once per period; the notices it carries are marked in the same batch.
async fn staff_summaries(env: &Env, now: i64) -> worker::Result<()> {
    let store = Store::new(env)?;
    let mut ids = Vec::new();
    for due in store.due_summaries(now, SWEEP_BATCH).await? {
        let period = now.div_euclid(3_600_000);
        ids.extend(store.write_summary(due.staff_id, &due.email, period, now).await?);
    }
    if !ids.is_empty() {
        crate::app::log::info("cron", &format!("cron {FREQUENT}: {} staff summaries", ids.len()));
        crate::app::delivery::notifier::enqueue(env, &ids).await;
    }
    Ok(())
}
