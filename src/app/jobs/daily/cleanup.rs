//! What the daily jobs delete: personal data past retention (law n° 2013-450), old counters and
//! spent codes, old notifications tied to no request, and R2 objects no row knows about.

use worker::Env;

use super::{size, Progress, DAY_MS};
use crate::app::http::files::Files;
use crate::app::settings::Settings;
use crate::app::store::{JobRun, Store};

/// Rate-limit windows and one-time tracking codes are kept this long (two days), then dropped.
const COUNTERS_KEEP_MS: i64 = 2 * DAY_MS;

/// An object younger than this may belong to a submission still on its way to D1 (files go to
/// R2 first): the orphan sweep leaves it alone.
const ORPHAN_AGE_MS: i64 = DAY_MS;

/// `RETENTION_DAYS` (730) after a request's last activity (its closure, or the last step of one
/// never closed) the citizen's personal data is erased and attachments deleted — files first: if
/// R2 fails, nothing is marked erased and the slice is tried again. `RETENTION_DRY_RUN=1` only
/// reports (by row id, never a code: a code is half of a citizen's tracking secret).
pub async fn retention(env: &Env, store: &Store, run: &JobRun) -> worker::Result<Progress> {
    let settings = Settings::read(env);
    let before = run.run_at - settings.retention_days * DAY_MS;
    let limit = size(env, 100);
    let expired = store.expired_personal_data(before, limit).await?;
    let keys =
        if expired.is_empty() { Vec::new() } else { store.attachment_keys(&expired).await? };
    if settings.retention_dry_run {
        let unattached = store.old_unattached_outbox(before, 1000).await?;
        let note = format!(
            "retention dry run: would erase {}{} requests (ids {:?}), {} files and {} old notifications",
            if expired.len() as i64 == limit { "at least " } else { "" },
            expired.len(),
            expired,
            keys.len(),
            unattached
        );
        return Ok(Progress { done: true, cursor: String::new(), note });
    }
    if !expired.is_empty() {
        Files::new(env)?.try_delete(&keys).await?;
        store.erase_personal_data(&expired, run.run_at).await?;
    }
    Ok(Progress {
        done: (expired.len() as i64) < limit,
        cursor: String::new(),
        note: format!("retention erased {} requests and {} files", expired.len(), keys.len()),
    })
}

/// Rate-limit windows and expired tracking codes older than two days, and (unless the retention
/// is a dry run) notifications tied to no request past retention: up to a thousand of each.
pub async fn housekeeping(env: &Env, store: &Store, run: &JobRun) -> worker::Result<Progress> {
    let settings = Settings::read(env);
    let limit = size(env, 1000);
    let outbox_before =
        (!settings.retention_dry_run).then(|| run.run_at - settings.retention_days * DAY_MS);
    let before = run.run_at - COUNTERS_KEEP_MS;
    let [windows, codes, outbox] =
        store.housekeeping_slice(before, before, outbox_before, limit).await?;
    Ok(Progress {
        done: [windows, codes, outbox].iter().all(|n| (*n as i64) < limit),
        cursor: String::new(),
        note: format!(
            "dropped {windows} old rate-limit windows, {codes} expired tracking codes, {outbox} old notifications"
        ),
    })
}

/// One page of the bucket's uploads (the cursor: R2's own): those older than a day that no row
/// knows about are deleted — a submission refused or lost after its files reached R2.
pub async fn orphans(env: &Env, store: &Store, run: &JobRun) -> worker::Result<Progress> {
    let files = Files::new(env)?;
    let limit = size(env, 500) as u32;
    let (listed, next) = files.list_page(Files::UPLOADS, &run.cursor, limit).await?;
    let old: Vec<String> = listed
        .into_iter()
        .filter(|(_, uploaded)| *uploaded < run.run_at - ORPHAN_AGE_MS)
        .map(|(key, _)| key)
        .collect();
    let unknown = if old.is_empty() { Vec::new() } else { store.unknown_keys(&old).await? };
    files.try_delete(&unknown).await?;
    Ok(Progress {
        done: next.is_none(),
        cursor: next.unwrap_or_default(),
        note: format!(
            "{} old uploads looked at, {} without a row deleted",
            old.len(),
            unknown.len()
        ),
    })
}

/// Audit records past the journal's retention (Administration › Journal), oldest first, at most
/// `audit::PURGE_BATCH` a slice.
pub async fn audit(env: &Env, store: &Store, run: &JobRun) -> worker::Result<Progress> {
    let limit = size(env, crate::domain::audit::PURGE_BATCH);
    let purged = store.purge_audit(run.run_at, limit).await?;
    Ok(Progress {
        done: purged < limit,
        cursor: String::new(),
        note: format!("{purged} audit records past retention deleted"),
    })
}
