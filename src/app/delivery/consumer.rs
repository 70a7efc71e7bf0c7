//! The queue's consumers (the back office's): each outbox row is sent at most once successfully
//! (the delivery log is read before any provider is called); the dead-letter consumer marks what
//! the queue gave up on.

use futures_util::future::join_all;
use worker::{event, Context, Env, MessageBatch, MessageExt, QueueRetryOptionsBuilder};

use crate::app::delivery::mails::{gather, Rendering};
use crate::app::delivery::notifier::{now, OutboxMessage};
use crate::app::delivery::providers::{self, Outcome};
use crate::app::settings::Settings;
use crate::app::store::{retrying, Attempt, Claimed, OutboxRow, Store};
use crate::i18n::Lang;
use crate::notify::{self, Payload, Template};

/// The dead-letter queue of each environment ends so (wrangler.toml, wrangler.office.toml):
/// `milie-notifications-dlq` locally, `milie-notifications-production-dlq` in production.
fn is_dead_letter_queue(name: &str) -> bool {
    name.ends_with("-dlq")
}

#[event(queue)]
async fn consume_metered(
    batch: MessageBatch<OutboxMessage>,
    env: Env,
    ctx: Context,
) -> worker::Result<()> {
    let meter = crate::app::meter::Meter::new(&env, "queue", &batch.queue());
    crate::app::meter::metered(meter, consume(batch, env, ctx)).await
}

async fn consume(
    batch: MessageBatch<OutboxMessage>,
    env: Env,
    _ctx: Context,
) -> worker::Result<()> {
    let store = Store::new(&env)?;
    // Daily jobs' slices ride the same queue: set apart first and each acknowledged once run (a
    // failing slice waits in `job_runs`, with its backoff, not in the queue's retries).
    let (jobs, messages): (Vec<_>, Vec<_>) =
        batch.messages()?.into_iter().partition(|m| m.body().job.is_some());
    if !jobs.is_empty() {
        if !is_dead_letter_queue(&batch.queue()) {
            let slugs: Vec<String> = jobs.iter().filter_map(|m| m.body().job.clone()).collect();
            crate::app::jobs::runner::continue_jobs(&env, &slugs).await;
        }
        jobs.iter().for_each(|m| m.ack());
    }
    if messages.is_empty() {
        return Ok(());
    }
    if is_dead_letter_queue(&batch.queue()) {
        for message in messages {
            let id = message.body().id;
            match retrying(|| store.give_up_outbox(id, "given up after the queue's retries", now()))
                .await
            {
                Ok(()) => message.ack(),
                Err(e) => {
                    crate::app::log::error(
                        "notification",
                        &format!("marking notification {id} failed: {e}"),
                    );
                    message.retry();
                }
            }
        }
        return Ok(());
    }
    let settings = Settings::read(&env);
    let (base_delay, max_delay) =
        (settings.notify_retry_base_seconds, settings.notify_retry_max_seconds);
    // How long this consumer holds the rows it claims (`NOTIFY_CLAIM_SECONDS`, a minute by default).
    let claim_ms = i64::from(settings.notify_claim_seconds) * 1000;
    // Queues delay a retry by at most 12 hours.
    let after = |seconds: u32| {
        QueueRetryOptionsBuilder::new().with_delay_seconds(seconds.clamp(1, 43_200)).build()
    };
    // One round trip claims the whole batch (and records each attempt before any provider is
    // called) and reads what it needs; the messages are rendered concurrently; the mails go to
    // the provider together (its batch endpoint), the SMS each on their own, concurrently; one
    // round trip records how every attempt went.
    let ids: Vec<i64> = messages.iter().map(|m| m.body().id).collect();
    let started = now();
    let claims = match retrying(|| store.claim_batch(&ids, started, claim_ms)).await {
        Ok(claims) => claims,
        Err(e) => {
            // Nothing was claimed and no provider called. A message that runs out of retries
            // this way reaches the dead-letter queue with no attempt, which hands the row back to
            // the sweeper instead of failing it.
            crate::app::log::error(
                "notification",
                &format!("claiming {} notifications: {e}", ids.len()),
            );
            messages.iter().for_each(|m| m.retry_with_options(&after(base_delay)));
            return Ok(());
        }
    };
    let (env_ref, store_ref, public_url) = (&env, &store, settings.public_url.as_str());
    let rendered: Vec<(Claimed, Content)> = join_all(claims.mine.into_iter().map(|c| async move {
        let content = match &c.delivered {
            // Accepted on an earlier attempt whose result was recorded: never sent again.
            Some(provider_id) => Content::Delivered(provider_id.clone()),
            None => render(env_ref, store_ref, public_url, c.id, &c.row).await,
        };
        (c, content)
    }))
    .await;
    let outcomes = send_all(&env, &store, &rendered).await;
    let attempts: Vec<Attempt> = rendered
        .iter()
        .zip(&outcomes)
        .map(|((c, _), outcome)| {
            let (status, provider_id, error) = match outcome {
                Outcome::Delivered(pid) => ("delivered", Some(pid.as_str()), None),
                Outcome::Temporary(e) => ("temporary_failure", None, Some(e.as_str())),
                Outcome::Permanent(e) => ("permanent_failure", None, Some(e.as_str())),
            };
            Attempt { outbox_id: c.id, attempt: c.attempt, status, provider_id, error }
        })
        .collect();
    // What a provider answered must not be lost to a passing database failure: a refusal for
    // good would otherwise be retried, and a delivery sent again.
    let recorded = retrying(|| store.finish_batch(&attempts, now())).await;
    if let Err(e) = &recorded {
        crate::app::log::error(
            "notification",
            &format!("recording {} attempts: {e}", attempts.len()),
        );
    }
    let hold_seconds = settings.notify_claim_seconds + 1;
    for message in &messages {
        let id = message.body().id;
        if let Some((_, held_until)) = claims.busy.iter().find(|(busy, _)| *busy == id) {
            // Another consumer holds it: come back when its hold ends (it has finished by then,
            // or died and the row is free), rather than spend the queue's retries waiting.
            let seconds = ((held_until - now()).max(0) / 1000) as u32 + 1;
            message.retry_with_options(&after(seconds));
            continue;
        }
        let Some(((c, _), outcome)) = rendered.iter().zip(&outcomes).find(|((c, _), _)| c.id == id)
        else {
            // Finished already (sent, or given up), or gone.
            message.ack();
            continue;
        };
        if recorded.is_err() {
            // The row stays held until its claim expires; the next delivery closes this attempt
            // as interrupted and tries again.
            message.retry_with_options(&after(hold_seconds));
            continue;
        }
        // The recipient is personal data: logs name the row, never the address or number.
        match outcome {
            Outcome::Delivered(_) => message.ack(),
            Outcome::Permanent(e) => {
                crate::app::log::error(
                    "notification",
                    &format!("notification {id} ({}) failed for good: {e}", c.row.channel),
                );
                message.ack();
            }
            Outcome::Temporary(e) => {
                crate::app::log::warn(
                    "notification",
                    &format!(
                        "notification {id} ({}) attempt {} failed, will retry: {e}",
                        c.row.channel, c.attempt
                    ),
                );
                // Exponential backoff: base, 3×, 9×… capped (an hour by default).
                let delay = base_delay
                    .saturating_mul(3u32.saturating_pow(c.attempt.saturating_sub(1) as u32))
                    .min(max_delay);
                message.retry_with_options(&after(delay));
            }
        }
    }
    Ok(())
}

enum Content {
    Delivered(String),
    /// Rendering failed: retrying may help (`Temporary`) or not.
    Refused(Outcome),
    Email(notify::Email),
    Sms(String),
}

/// The provider's answer for each rendered message, in order.
async fn send_all(env: &Env, store: &Store, rendered: &[(Claimed, Content)]) -> Vec<Outcome> {
    let mut outcomes: Vec<Option<Outcome>> = rendered.iter().map(|_| None).collect();
    let mut mails = Vec::new();
    let mut texts = Vec::new();
    for (i, (c, content)) in rendered.iter().enumerate() {
        match content {
            Content::Delivered(provider_id) => {
                outcomes[i] = Some(Outcome::Delivered(provider_id.clone()))
            }
            Content::Refused(outcome) => outcomes[i] = Some(outcome.clone()),
            Content::Email(email) => mails.push((
                i,
                providers::OutgoingEmail {
                    idempotency_key: &c.row.idempotency_key,
                    to: &c.row.recipient,
                    email,
                },
            )),
            Content::Sms(text) => texts.push((i, c.row.recipient.as_str(), text.as_str())),
        }
    }
    for chunk in mails.chunks(providers::MAIL_BATCH_MAX) {
        let batch: Vec<&providers::OutgoingEmail> = chunk.iter().map(|(_, m)| m).collect();
        for ((i, _), outcome) in chunk.iter().zip(providers::send_emails(env, &batch).await) {
            outcomes[*i] = Some(outcome);
        }
    }
    let sent = join_all(
        texts.iter().map(|(_, to, text)| providers::send_sms(env, store, to, text, now())),
    )
    .await;
    for ((i, _, _), outcome) in texts.iter().zip(sent) {
        outcomes[*i] = Some(outcome);
    }
    outcomes
        .into_iter()
        .map(|o| o.unwrap_or_else(|| Outcome::Temporary("not sent".into())))
        .collect()
}

/// Renders the row's template for its channel, with what the template gathers (`mails`).
async fn render(env: &Env, store: &Store, public_url: &str, id: i64, row: &OutboxRow) -> Content {
    let (Some(template), Some(lang)) = (Template::parse(&row.template), Lang::parse(&row.lang))
    else {
        return Content::Refused(Outcome::Permanent(format!(
            "unknown template {:?} or language {:?}",
            row.template, row.lang
        )));
    };
    let mut payload: Payload = match serde_json::from_str(&row.payload) {
        Ok(p) => p,
        Err(e) => return Content::Refused(Outcome::Permanent(format!("payload: {e}"))),
    };
    let base = public_url.trim_end_matches('/');
    let rendering = Rendering { env, store, base, id, row, template, lang };
    let link = match gather(&rendering, &mut payload).await {
        Ok(link) => link,
        Err(refusal) => return Content::Refused(refusal),
    };
    match row.channel.as_str() {
        "email" => match notify::render_email(template, lang, &payload, &link) {
            Ok(email) => Content::Email(email),
            Err(e) => Content::Refused(Outcome::Permanent(format!("render: {e}"))),
        },
        "sms" => match notify::render_sms(template, lang, &payload, &link) {
            Ok(text) => Content::Sms(text),
            Err(e) => Content::Refused(Outcome::Permanent(format!("render: {e}"))),
        },
        other => Content::Refused(Outcome::Permanent(format!("unknown channel {other:?}"))),
    }
}
