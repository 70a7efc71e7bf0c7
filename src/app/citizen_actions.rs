//! What a citizen does to their own request, whichever way they reach it — the tracking page (its
//! session), the USSD menu or an SMS (the operator's number) — built and applied in one place: the
//! verdict, the reopening (each its change with its history row, its messages and the staff alert
//! in one batch, `Store::apply_change`), and the list of their codes by mail or SMS.

use worker::Env;

use crate::app::delivery::notifier;
use crate::app::http::crypto::random_token;
use crate::app::store::{Change, ChangeKind, Message, Store, Tracked};
use crate::domain::notice::Alert;
use crate::domain::notification::Template;
use crate::domain::stage::{self, Event, Role, Verdict};
use crate::notify::Payload;

/// The verdict as a change of the `version` seen, or None when the request's stage takes none.
pub fn verdict_change<'a>(
    r: &Tracked,
    verdict: Verdict,
    comment: Option<&'a str>,
    version: i64,
    now: i64,
) -> Option<Change<'a>> {
    let event = Event::GiveVerdict(verdict);
    let to = stage::next(r.stage, event, Role::Citizen, r.nature).ok()?;
    Some(Change {
        request_id: r.id,
        version,
        now,
        event: Some(event),
        to_stage: to,
        actor_role: Role::Citizen,
        actor_id: None,
        visible: true,
        note_visible: true,
        note: comment,
        kind: ChangeKind::Verdict { verdict, comment },
        notifications: Vec::new(),
        // Anything short of «satisfait» goes back to the analysts.
        alert: (verdict != Verdict::Satisfied).then_some(Alert::Unsatisfied),
        staff_files: None,
    })
}

/// The reopening with its `reason` as a change of the `version` seen, with the message that says
/// so wherever the citizen can be reached; None when the request's stage does not allow it.
pub async fn reopen_change<'a>(
    store: &Store,
    r: &Tracked,
    reason: &'a str,
    version: i64,
    now: i64,
) -> worker::Result<Option<Change<'a>>> {
    let Ok(to) = stage::next(r.stage, Event::Reopen, Role::Citizen, r.nature) else {
        return Ok(None);
    };
    let payload = serde_json::to_string(&Payload {
        nature: r.nature.slug().to_owned(),
        body: r.body_name.clone(),
        ..Default::default()
    })
    .map_err(|e| worker::Error::RustError(e.to_string()))?;
    let channels = store.citizen_channels().await?;
    let notifications = crate::domain::contact::recipients(&r.email, &r.phone, &channels)
        .into_iter()
        .map(|(channel, to)| Message {
            key: format!("{}:{}:{version}:{channel}", Template::Reopened.slug(), r.id),
            channel,
            recipient: to.to_owned(),
            template: Template::Reopened,
            lang: r.lang.clone(),
            payload: payload.clone(),
        })
        .collect();
    Ok(Some(Change {
        request_id: r.id,
        version,
        now,
        event: Some(Event::Reopen),
        to_stage: to,
        actor_role: Role::Citizen,
        actor_id: None,
        visible: true,
        note_visible: true,
        note: Some(reason),
        kind: ChangeKind::Reopen,
        notifications,
        alert: Some(Alert::Reopened),
        staff_files: None,
    }))
}

/// Applies a change and puts its messages on the queue; false when the request moved on since
/// its version was read (nothing written).
pub async fn apply(env: &Env, store: &Store, change: &Change<'_>) -> worker::Result<bool> {
    match store.apply_change(change).await? {
        Some(outbox) => {
            notifier::enqueue(env, &outbox).await;
            Ok(true)
        }
        None => Ok(false),
    }
}

/// «Code requête oublié ?»: queues the list of the codes of an address (`email`) or a number
/// (`sms`), read when the message is rendered (the outbox holds only the recipient); false, and
/// nothing queued, when it has none.
pub async fn send_codes(
    env: &Env,
    store: &Store,
    channel: &str,
    recipient: &str,
    lang: &str,
    now: i64,
) -> worker::Result<bool> {
    let any = match channel {
        "sms" => !store.codes_for_phone(recipient).await?.is_empty(),
        _ => !store.codes_for_email(recipient).await?.is_empty(),
    };
    if !any {
        return Ok(false);
    }
    let key = format!("{}:{}", Template::ForgottenCodes.slug(), random_token(16)?);
    let id = store
        .insert_outbox(&key, channel, recipient, Template::ForgottenCodes, lang, "{}", now)
        .await?;
    notifier::enqueue(env, &[id]).await;
    Ok(true)
}
