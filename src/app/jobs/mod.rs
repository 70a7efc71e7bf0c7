//! Cron Triggers. Each job is idempotent and bounded per run: it resumes where it stopped.

use worker::{event, Env, ScheduleContext, ScheduledEvent};

use crate::app::http::files::Files;
use crate::app::settings::Settings;
use crate::app::store::Store;
use crate::domain::notification::Template;

/// Every five minutes (wrangler.toml).
pub const FREQUENT: &str = "*/5 * * * *";
/// Every day at 06:00 UTC, 06:00 in Abidjan.
pub const DAILY: &str = "0 6 * * *";

/// Staged files (uploaded with a form never submitted) are kept this long, then deleted.
const STAGED_TTL_MS: i64 = 24 * 3600 * 1000;
const SWEEP_BATCH: i64 = 200;
/// Rate-limit windows older than this are dropped.
const RATE_LIMIT_KEEP_MS: i64 = 2 * 24 * 3600 * 1000;

/// The trigger, where the jobs run (the back office, or the one worker that is both).
#[cfg(feature = "office")]
#[event(scheduled)]
async fn scheduled(event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    run(&env, &event.cron(), event.schedule() as i64).await;
}

/// The trigger on the citizens' worker, which has no jobs: it hands the cron to the back office
/// through the service binding (`/__cron`, an address only the binding reaches) and waits for it.
#[cfg(not(feature = "office"))]
#[event(scheduled)]
async fn scheduled(event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    let at = (event.schedule() as i64).to_string();
    let url = format!(
        "https://office.internal{}",
        crate::web::href(CRON_PATH, &[("cron", &event.cron()), ("at", &at)])
    );
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
    let now = clock(env, scheduled).await;
    let env = env.clone();
    let outcome = match cron {
        FREQUENT => {
            let outbox = crate::app::delivery::notifier::sweep(&env, now).await;
            let staged = sweep_staged_files(&env, now).await;
            let summaries = staff_summaries(&env, now).await;
            let sessions = drop_ussd_sessions(&env, now).await;
            outbox.and(staged).and(summaries).and(sessions)
        }
        DAILY => daily(&env, now).await,
        other => Err(worker::Error::RustError(format!("no job for cron {other:?}"))),
    };
    if let Err(e) = outcome {
        crate::app::log::error("cron", &format!("cron {cron}: {e}"));
    }
}

/// The time jobs run at: the trigger's, unless `ALLOW_CLOCK_OVERRIDE=1` (tests only, never set in
/// production) and a `clock` setting (ms) says otherwise — wrangler's `/__scheduled` has no clock.
async fn clock(env: &Env, scheduled: i64) -> i64 {
    if !Settings::read(env).allow_clock_override {
        return scheduled;
    }
    match Store::new(env) {
        Ok(store) => store.clock_override().await.ok().flatten().unwrap_or(scheduled),
        Err(_) => scheduled,
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
    crate::app::log::info(
        "cron",
        &format!("cron {FREQUENT}: deleted {} staged files never submitted", ids.len()),
    );
    Ok(())
}

const DAY_MS: i64 = 86_400_000;

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

/// The daily jobs, each on its own so one failing does not stop the others.
async fn daily(env: &Env, now: i64) -> worker::Result<()> {
    let mut failures = Vec::new();
    for (name, outcome) in [
        ("digests", digests(env, now).await),
        ("verdicts", verdict_reminders(env, now).await),
        ("retention", retention(env, now).await),
        ("rollups", rollups(env, now).await),
        ("rate limits", drop_old_rate_limits(env, now).await),
    ] {
        if let Err(e) = outcome {
            failures.push(format!("{name}: {e}"));
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(worker::Error::RustError(failures.join("; ")))
    }
}

fn day_key(now: i64) -> String {
    crate::domain::time::iso8601(now)[..10].to_owned()
}

/// One digest a day to each analyst and focal point with requests near or past their deadline
/// (within `DIGEST_HORIZON_DAYS`, default 2), and to supervisors and admins the requests at twice
/// their deadline. The day is part of each mail's key: a second run the same day sends nothing.
async fn digests(env: &Env, now: i64) -> worker::Result<()> {
    use crate::domain::stage::Role;
    let store = Store::new(env)?;
    let horizon = now + Settings::read(env).digest_horizon_days * DAY_MS;
    let due = store.due_requests(horizon, 1000).await?;
    if due.is_empty() {
        return Ok(());
    }
    let line = |d: &crate::app::store::DueItem| {
        let late = if d.due_at < now { " (en retard)" } else { "" };
        format!(
            "{} — {} — échéance {}{late}",
            d.code,
            d.body_name,
            crate::domain::time::date_fr(d.due_at)
        )
    };
    let day = day_key(now);
    let mut ids = Vec::new();
    for staff in store.active_staff().await? {
        let (template, items): (Template, Vec<String>) = match staff.role {
            Role::Analyst => (
                Template::StaffDigest,
                due.iter()
                    .filter(|d| d.stage == "awaiting_triage" && staff.sees_body(d.body_id))
                    .map(line)
                    .collect(),
            ),
            Role::FocalPoint => (
                Template::StaffDigest,
                due.iter()
                    .filter(|d| d.stage == "in_treatment" && staff.body_id == Some(d.body_id))
                    .map(line)
                    .collect(),
            ),
            Role::Admin | Role::Supervisor => (
                Template::StaffEscalation,
                due.iter().filter(|d| now > d.escalate_at).map(line).collect(),
            ),
            _ => continue,
        };
        if items.is_empty() {
            continue;
        }
        let public_url = Settings::read(env).public_url;
        let payload = crate::notify::Payload {
            items,
            link: Some(format!("{}/agent", public_url.trim_end_matches('/'))),
            ..Default::default()
        };
        let payload =
            serde_json::to_string(&payload).map_err(|e| worker::Error::RustError(e.to_string()))?;
        let key = format!("{}:{}:{day}", template.slug(), staff.id);
        ids.extend(
            store
                .insert_outbox_once(
                    &key,
                    None,
                    "email",
                    &staff.email,
                    template,
                    "fr",
                    &payload,
                    now,
                )
                .await?,
        );
    }
    crate::app::log::info("cron", &format!("cron {DAILY}: {} deadline digests", ids.len()));
    crate::app::delivery::notifier::enqueue(env, &ids).await;
    Ok(())
}

/// A treated request without a verdict after `VERDICT_REMINDER_DAYS` (7) gets one reminder; after
/// `AUTO_CLOSE_DAYS` (14) more it is closed «sans avis», which the statistics count apart.
async fn verdict_reminders(env: &Env, now: i64) -> worker::Result<()> {
    use crate::app::store::{Change, ChangeKind};
    use crate::domain::stage::{self, Event, Role, Stage};
    let store = Store::new(env)?;
    let remind_after = Settings::read(env).verdict_reminder_days * DAY_MS;
    let close_after = Settings::read(env).auto_close_days * DAY_MS;
    let channels = store.citizen_channels().await?;
    let (mut reminded, mut closed, mut ids) = (0, 0, Vec::new());
    for r in store.awaiting_verdict(now - remind_after, 200).await? {
        if r.reminded == 0 {
            let payload = crate::notify::Payload {
                nature: r.nature.clone(),
                body: r.body_name.clone(),
                ..Default::default()
            };
            let payload = serde_json::to_string(&payload)
                .map_err(|e| worker::Error::RustError(e.to_string()))?;
            for (channel, recipient) in
                crate::domain::contact::recipients(&r.email, &r.phone, &channels)
            {
                let key = format!("{}:{}:{channel}", Template::VerdictReminder.slug(), r.id);
                ids.extend(
                    store
                        .insert_outbox_once(
                            &key,
                            Some(r.id),
                            channel,
                            recipient,
                            Template::VerdictReminder,
                            &r.lang,
                            &payload,
                            now,
                        )
                        .await?,
                );
            }
            reminded += 1;
            continue;
        }
        let Some(at) = store.reminded_at(r.id).await? else { continue };
        if now - at < close_after {
            continue;
        }
        let nature = crate::domain::nature::Nature::parse(&r.nature)
            .map_err(|e| worker::Error::RustError(e.to_string()))?;
        let Ok(to) = stage::next(Stage::Treated, Event::AutoClose, Role::System, nature) else {
            continue;
        };
        let change = Change {
            request_id: r.id,
            version: r.version,
            now,
            event: Some(Event::AutoClose),
            to_stage: to,
            actor_role: Role::System,
            actor_id: None,
            note: None,
            visible: true,
            note_visible: true,
            kind: ChangeKind::Move { treated: false },
            notifications: Vec::new(),
            alert: None,
            staff_files: None,
        };
        if store.apply_change(&change).await?.is_some() {
            closed += 1;
        }
    }
    crate::app::log::info(
        "cron",
        &format!("cron {DAILY}: {reminded} verdict reminders, {closed} closed without verdict"),
    );
    crate::app::delivery::notifier::enqueue(env, &ids).await;
    Ok(())
}

/// Law n° 2013-450: `RETENTION_DAYS` (730) after a request's last activity (its closure, or the
/// last step of one never closed) the citizen's personal data is erased and attachments deleted;
/// notifications tied to no request are deleted as old. `RETENTION_DRY_RUN=1` only reports.
async fn retention(env: &Env, now: i64) -> worker::Result<()> {
    let store = Store::new(env)?;
    let before = now - Settings::read(env).retention_days * DAY_MS;
    let dry_run = Settings::read(env).retention_dry_run;
    let unattached = store.erase_old_unattached_outbox(before, dry_run).await?;
    let expired = store.expired_personal_data(before, 200).await?;
    let ids: Vec<i64> = expired.iter().map(|e| e.id).collect();
    let keys = if ids.is_empty() { Vec::new() } else { store.attachment_keys(&ids).await? };
    if dry_run {
        // Row ids, never codes: a code is half of a citizen's tracking secret.
        let message = format!(
            "cron {DAILY}: retention dry run: would erase {} requests (ids {:?}), {} files and {} old notifications",
            ids.len(),
            ids,
            keys.len(),
            unattached
        );
        crate::app::log::info("cron", &message);
        return Ok(());
    }
    if !ids.is_empty() {
        // Files first: if R2 fails, nothing is marked erased and the next run tries again.
        Files::new(env)?.try_delete(&keys).await?;
        store.erase_personal_data(&ids, now).await?;
    }
    crate::app::log::info(
        "cron",
        &format!(
            "cron {DAILY}: retention erased {} requests, {} files and {} old notifications",
            ids.len(),
            keys.len(),
            unattached
        ),
    );
    Ok(())
}

/// Daily statistics of the last `STATS_WINDOW_DAYS` (90) days of requests, recomputed a day at a
/// time (each batch bounded by one day's requests); older days keep their figures.
async fn rollups(env: &Env, now: i64) -> worker::Result<()> {
    let store = Store::new(env)?;
    let today = now - now.rem_euclid(DAY_MS);
    let days = Settings::read(env).stats_window_days;
    for back in 0..=days {
        store.recompute_rollups_of_day(today - back * DAY_MS, now).await?;
    }
    crate::app::log::info(
        "cron",
        &format!("cron {DAILY}: statistics of {} days recomputed", days + 1),
    );
    Ok(())
}

async fn drop_old_rate_limits(env: &Env, now: i64) -> worker::Result<()> {
    let store = Store::new(env)?;
    let dropped = store.drop_rate_limits_before(now - RATE_LIMIT_KEEP_MS).await?;
    // One-time tracking codes are useless ten minutes after they are sent: kept two days, like the counters.
    let codes = store.drop_tracking_codes_before(now - RATE_LIMIT_KEEP_MS).await?;
    crate::app::log::info("cron", &format!("cron {DAILY}: dropped {dropped} old rate-limit windows, {codes} expired tracking codes"));
    Ok(())
}
