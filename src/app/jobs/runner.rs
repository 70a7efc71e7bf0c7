//! How the daily jobs run: the 06:00 trigger starts the day's run of each (`job_runs`) and asks the
//! queue for its first slice; each queue message runs one slice of one job — a lease in D1 makes
//! sure nobody else runs it meanwhile — and asks for the next while work is left. A slice that
//! fails is tried again after a backoff by the five-minute cron, which also picks up a job whose
//! message was lost or whose invocation died; when one keeps failing the admins are told, once a
//! day.

use worker::Env;

use super::daily::{self, Progress};
use crate::app::settings::Settings;
use crate::app::store::{retrying, JobRun, Store};
use crate::domain::job::{self, Job};

/// A queue batch carrying several jobs' messages runs their slices in turn while it has used
/// fewer D1 statements than this (each slice stays under ~300), and hands the rest back.
const BATCH_STATEMENTS: u32 = 600;

/// A failed slice is run again in the same invocation only below this many D1 statements (a
/// slice makes ~300 at most, an invocation may make 1 000).
const RETRY_WITHIN_STATEMENTS: u32 = 400;

/// How long the queue keeps a job back whose slice could not even be claimed (D1 unavailable).
const RETRY_DELAY_SECONDS: u32 = 30;

fn wall() -> i64 {
    worker::Date::now().as_millis() as i64
}

/// The daily trigger at `now` (the jobs' clock): today's run of every job, and its first slice asked
/// of the queue. A second trigger the same day starts nothing again.
pub async fn start_daily(env: &Env, now: i64) -> worker::Result<()> {
    let store = Store::new(env)?;
    let day = crate::domain::time::iso8601(now)[..10].to_owned();
    retrying(|| store.start_job_runs(&day, now, wall())).await?;
    let slugs: Vec<&str> = Job::ALL.iter().map(|j| j.slug()).collect();
    crate::app::log::info("cron", &format!("cron {}: daily jobs of {day} started", super::DAILY));
    // If the queue cannot take them now, the five-minute cron will.
    crate::app::delivery::notifier::enqueue_jobs(env, &slugs, 0).await
}

/// The five-minute cron: asks the queue again for every job left waiting.
pub async fn resume(env: &Env) -> worker::Result<()> {
    let store = Store::new(env)?;
    let waiting = store.jobs_to_resume(wall()).await?;
    if waiting.is_empty() {
        return Ok(());
    }
    let slugs: Vec<&str> = waiting.iter().map(String::as_str).collect();
    crate::app::log::info("cron", &format!("daily jobs resumed: {}", slugs.join(", ")));
    crate::app::delivery::notifier::enqueue_jobs(env, &slugs, 0).await
}

/// A queue batch's job messages: one slice of each job named (twice named, once run).
pub async fn continue_jobs(env: &Env, slugs: &[String]) {
    let mut seen: Vec<Job> = Vec::new();
    let mut later: Vec<&str> = Vec::new();
    let mut again: Vec<&str> = Vec::new();
    for slug in slugs {
        let Some(job) = Job::parse(slug) else {
            crate::app::log::error(
                "cron",
                &format!("a queue message names no daily job: {slug:?}"),
            );
            continue;
        };
        if seen.contains(&job) {
            continue;
        }
        seen.push(job);
        if crate::app::meter::statements() >= BATCH_STATEMENTS {
            later.push(job.slug());
            continue;
        }
        crate::app::meter::add_to_label(job.slug());
        if let Err(e) = one_slice(env, job).await {
            // The database refused even the claim or the failure's record: asked again of the
            // queue in a while; a lease taken meanwhile runs out and the five-minute cron resumes it.
            crate::app::log::error("cron", &format!("daily job {}: {e}", job.slug()));
            again.push(job.slug());
        }
    }
    for (jobs, delay) in [(&later, 0), (&again, RETRY_DELAY_SECONDS)] {
        if let Err(e) = crate::app::delivery::notifier::enqueue_jobs(env, jobs, delay).await {
            crate::app::log::error("cron", &format!("daily jobs handed back: {e}"));
        }
    }
}

/// One slice of `job`, if it has work left and nobody holds it; then the next asked for, or the
/// failure written with its backoff (and the admins' mail when it is due).
async fn one_slice(env: &Env, job: Job) -> worker::Result<()> {
    let store = Store::new(env)?;
    let token = crate::app::http::crypto::random_token(12)?;
    // Held far longer than a slice takes, short enough that one whose invocation died (or whose
    // failure could not be written) is picked up again by the next five-minute cron or so.
    let lease_ms = Settings::read(env).job_lease_ms;
    let Some(run) = retrying(|| store.claim_job(job, &token, wall(), lease_ms)).await? else {
        return Ok(());
    };
    // A slice is idempotent (keys, deletions, one atomic batch), so one that met a passing
    // database error is run again at once, while the invocation has statements to spare.
    let mut outcome = daily::slice(env, &store, job, &run).await;
    if let Err(e) = &outcome {
        if crate::app::meter::statements() < RETRY_WITHIN_STATEMENTS {
            crate::app::log::warn("cron", &format!("daily job {}: {e}; once more", job.slug()));
            worker::Delay::from(std::time::Duration::from_millis(250)).await;
            outcome = daily::slice(env, &store, job, &run).await;
        }
    }
    match outcome {
        Ok(Progress { done, cursor, note }) => {
            retrying(|| store.finish_slice(job, &cursor, done, wall())).await?;
            crate::app::log::info(
                "cron",
                &format!(
                    "cron {}: {}: {note}{}",
                    super::DAILY,
                    job.slug(),
                    if done { " (done)" } else { "" }
                ),
            );
            if !done {
                crate::app::delivery::notifier::enqueue_jobs(env, &[job.slug()], 0).await?;
            }
            Ok(())
        }
        Err(e) => failed(env, &store, job, &run, &e.to_string()).await,
    }
}

async fn failed(
    env: &Env,
    store: &Store,
    job: Job,
    run: &JobRun,
    error: &str,
) -> worker::Result<()> {
    let failures = run.failures + 1;
    let base_ms = Settings::read(env).job_retry_base_seconds * 1000;
    let now = wall();
    let next_at = now + job::backoff_ms(failures, base_ms);
    let alert = job::alert_due(failures, run.alerted_day.as_deref(), &run.day);
    crate::app::log::error(
        "cron",
        &format!(
            "cron {}: {} failed ({failures} in a row), tried again in {} s: {error}",
            super::DAILY,
            job.slug(),
            (next_at - now) / 1000
        ),
    );
    let payload = alert.then(|| {
        let items = vec![
            format!("Tâche : {}", job.staff_name()),
            format!("Échecs de suite : {failures} (depuis le passage du {})", run.day),
            format!("Dernière erreur : {}", error.chars().take(300).collect::<String>()),
            "Prochain essai : de lui-même, dans une heure au plus.".to_owned(),
        ];
        let payload = crate::notify::Payload {
            items,
            link: Some(format!(
                "{}/agent/admin/notifications#jobs",
                Settings::read(env).public_url
            )),
            ..Default::default()
        };
        serde_json::to_string(&payload).unwrap_or_default()
    });
    let ids = retrying(|| {
        store.fail_slice(
            job,
            error,
            next_at,
            now,
            payload.as_deref().map(|p| (run.day.as_str(), p)),
        )
    })
    .await?;
    crate::app::delivery::notifier::enqueue(env, &ids).await;
    Ok(())
}
