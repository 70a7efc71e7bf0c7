//! One slice of each daily job. A slice reads what is due from an index, does at most its size's
//! worth, and says where it stopped; whatever the history stored, it costs the same (the limits it
//! keeps are in BENCHMARKS.md: D1 statements and subrequests of the largest invocation).

mod cleanup;
mod digests;
mod verdicts;

use worker::Env;

use crate::app::settings::Settings;
use crate::app::store::{JobRun, Store};
use crate::domain::job::Job;

pub(crate) const DAY_MS: i64 = 86_400_000;

/// Where a slice stopped.
pub struct Progress {
    /// Nothing left for today.
    pub done: bool,
    /// Where the next slice starts (jobs that walk a list; the others find what is due again).
    pub cursor: String,
    /// What it did, for the log.
    pub note: String,
}

/// A slice's size: `default`, unless `JOB_SLICE_ROWS` (development only) makes every slice smaller.
fn size(env: &Env, default: i64) -> i64 {
    Settings::read(env).job_slice_rows.map_or(default, |n| n.min(default))
}

/// Runs one slice of `job`, as of its run's time.
pub async fn slice(env: &Env, store: &Store, job: Job, run: &JobRun) -> worker::Result<Progress> {
    match job {
        Job::Digests => digests::slice(env, store, run).await,
        Job::Verdicts => verdicts::slice(env, store, run).await,
        Job::Retention => cleanup::retention(env, store, run).await,
        Job::Rollups => rollups(env, store, run).await,
        Job::Housekeeping => cleanup::housekeeping(env, store, run).await,
        Job::Audit => cleanup::audit(env, store, run).await,
        Job::Orphans => cleanup::orphans(env, store, run).await,
    }
}

/// Statistics: the next requests that changed, re-counted (one batch).
async fn rollups(env: &Env, store: &Store, run: &JobRun) -> worker::Result<Progress> {
    let limit = size(env, 200);
    let counted = store.recount_changed(limit, run.run_at).await?;
    Ok(Progress {
        done: (counted as i64) < limit,
        cursor: String::new(),
        note: format!("statistics of {counted} changed requests counted again"),
    })
}
