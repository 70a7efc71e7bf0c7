//! Cron Triggers. Each job is idempotent and bounded per run: it resumes where it stopped.

use worker::{event, Env, ScheduleContext, ScheduledEvent};

use super::files::Files;
use super::store::Store;

/// Every five minutes (wrangler.toml).
pub const FREQUENT: &str = "*/5 * * * *";
/// Every day at 06:00 UTC, 06:00 in Abidjan.
pub const DAILY: &str = "0 6 * * *";

/// Staged files (uploaded with a form never submitted) are kept this long, then deleted.
const STAGED_TTL_MS: i64 = 24 * 3600 * 1000;
const SWEEP_BATCH: i64 = 200;
/// Rate-limit windows older than this are dropped.
const RATE_LIMIT_KEEP_MS: i64 = 2 * 24 * 3600 * 1000;

#[event(scheduled)]
async fn scheduled(event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    let now = event.schedule() as i64;
    let cron = event.cron();
    let outcome = match cron.as_str() {
        FREQUENT => {
            let outbox = super::notifier::sweep(&env, now).await;
            let staged = sweep_staged_files(&env, now).await;
            outbox.and(staged)
        }
        DAILY => drop_old_rate_limits(&env, now).await,
        other => Err(worker::Error::RustError(format!("no job for cron {other:?}"))),
    };
    if let Err(e) = outcome {
        worker::console_error!("cron {cron}: {e}");
    }
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
    worker::console_log!("cron {FREQUENT}: deleted {} staged files never submitted", ids.len());
    Ok(())
}

async fn drop_old_rate_limits(env: &Env, now: i64) -> worker::Result<()> {
    let dropped = Store::new(env)?.drop_rate_limits_before(now - RATE_LIMIT_KEEP_MS).await?;
    worker::console_log!("cron {DAILY}: dropped {dropped} old rate-limit windows");
    Ok(())
}
