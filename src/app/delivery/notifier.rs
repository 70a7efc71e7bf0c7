//! From the outbox to the queue: rows written in the same D1 batch as the change that caused
//! them are put on the queue after the batch commits; the sweeper re-sends what never left. The
//! queue's consumer, which talks to the providers, is the back office's (`consumer.rs`).

use serde::{Deserialize, Serialize};
use worker::Env;

use crate::app::settings::Settings;
use crate::app::store::{retrying, Store};

/// The queue message: an outbox row's id (the row holds the truth), or a daily job to go on with
/// (`job`, its slug; `id` 0) — the queue is how a job's next slice runs in an invocation of its own.
#[derive(Debug, Serialize, Deserialize)]
pub struct OutboxMessage {
    #[serde(default)]
    pub id: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job: Option<String>,
}

const SWEEP_BATCH: i64 = 1000;

pub(super) fn now() -> i64 {
    worker::Date::now().as_millis() as i64
}

/// Puts rows on the queue. They stay `pending` until a consumer claims them: no write here, so a
/// submission costs one round trip less. A failure loses nothing: a row still pending a minute
/// later (never sent, or sent and lost) is the sweeper's.
pub async fn enqueue(env: &Env, ids: &[i64]) {
    send(env, ids).await;
}

/// The chunks that reached the queue (Queues take at most 100 messages per sendBatch, found by
/// the 100 000-request benchmark).
async fn send<'a>(env: &Env, ids: &'a [i64]) -> Vec<&'a [i64]> {
    let mut sent = Vec::new();
    for chunk in ids.chunks(QUEUE_BATCH_MAX) {
        crate::app::meter::subrequest();
        let result = async {
            env.queue("NOTIFICATIONS")?
                .send_batch(
                    chunk.iter().map(|id| OutboxMessage { id: *id, job: None }).collect::<Vec<_>>(),
                )
                .await
        };
        match result.await {
            Ok(()) => sent.push(chunk),
            Err(e) => crate::app::log::error(
                "notification",
                &format!(
                    "enqueueing {} notifications failed, the sweeper will retry: {e}",
                    chunk.len()
                ),
            ),
        }
    }
    sent
}

const QUEUE_BATCH_MAX: usize = 100;

/// Asks for the next slice of these daily jobs, each in a message of its own (one send).
pub async fn enqueue_jobs(env: &Env, jobs: &[&str], delay_seconds: u32) -> worker::Result<()> {
    if jobs.is_empty() {
        return Ok(());
    }
    crate::app::meter::subrequest();
    let messages = jobs.iter().map(|j| OutboxMessage { id: 0, job: Some((*j).to_owned()) });
    let mut batch = worker::BatchMessageBuilder::new().messages(messages);
    if delay_seconds > 0 {
        batch = batch.delay_seconds(delay_seconds);
    }
    env.queue("NOTIFICATIONS")?.send_batch(batch.build()).await
}

/// Cron: re-sends rows never enqueued, or stuck.
pub async fn sweep(env: &Env, now: i64) -> worker::Result<()> {
    let store = Store::new(env)?;
    // A queue keeps its messages through worker crashes, so an enqueued row is only presumed lost
    // after an hour by default (`OUTBOX_STUCK_SECONDS`); re-sending early is safe, only wasteful:
    // the consumer checks the delivery log before calling a provider.
    let stuck_ms = Settings::read(env).outbox_stuck_seconds * 1000;
    let ids = retrying(|| store.outbox_to_sweep(now, stuck_ms, SWEEP_BATCH)).await?;
    if !ids.is_empty() {
        crate::app::log::info(
            "notification",
            &format!("outbox sweep: re-sending {} notifications", ids.len()),
        );
        // Marked once re-sent: a row the queue holds but has not delivered yet (a long burst) is
        // re-sent by the pending rule once, then trusted to the queue for the stuck delay.
        for chunk in send(env, &ids).await {
            if let Err(e) = retrying(|| store.mark_enqueued(chunk, now)).await {
                crate::app::log::error(
                    "notification",
                    &format!("marking {} re-sent notifications: {e}", chunk.len()),
                );
            }
        }
    }
    Ok(())
}
