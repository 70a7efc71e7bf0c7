//! A treated request without a verdict after `VERDICT_REMINDER_DAYS` (7) gets one reminder for that
//! answer; `AUTO_CLOSE_DAYS` (14) after the reminder it is closed «sans avis», which the
//! statistics count apart. A slice writes up to a hundred reminders in one batch (their rows and
//! the requests marked reminded together: repeated, it writes nothing twice) and closes up to
//! twenty-five requests, each a change of its own.

use worker::Env;

use super::{size, Progress, DAY_MS};
use crate::app::settings::Settings;
use crate::app::store::{Change, ChangeKind, JobRun, OutboxLine, Store};
use crate::domain::nature::Nature;
use crate::domain::notification::Template;
use crate::domain::stage::{self, Event, Role, Stage};

pub async fn slice(env: &Env, store: &Store, run: &JobRun) -> worker::Result<Progress> {
    let settings = Settings::read(env);
    let (remind_limit, close_limit) = (size(env, 100), size(env, 25));
    let due =
        store.to_remind(run.run_at - settings.verdict_reminder_days * DAY_MS, remind_limit).await?;
    let mut written = Vec::new();
    if !due.is_empty() {
        let channels = store.citizen_channels().await?;
        let mut lines = Vec::new();
        for r in &due {
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
                lines.push(OutboxLine {
                    // One reminder per answer: a request answered again is reminded again.
                    key: format!(
                        "{}:{}:{}:{channel}",
                        Template::VerdictReminder.slug(),
                        r.id,
                        r.treated_at
                    ),
                    request: r.id,
                    channel,
                    recipient: recipient.to_owned(),
                    lang: r.lang.clone(),
                    payload: payload.clone(),
                });
            }
        }
        let ids: Vec<i64> = due.iter().map(|r| r.id).collect();
        written = store.write_reminders(&ids, &lines, run.run_at).await?;
        crate::app::delivery::notifier::enqueue(env, &written).await;
    }

    let closing =
        store.to_close(run.run_at - settings.auto_close_days * DAY_MS, close_limit).await?;
    let mut closed = 0;
    for r in &closing {
        let Ok(nature) = Nature::parse(&r.nature) else { continue };
        let Ok(to) = stage::next(Stage::Treated, Event::AutoClose, Role::System, nature) else {
            continue;
        };
        let change = Change {
            request_id: r.id,
            version: r.version,
            now: run.run_at,
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
    // Done when both lists ran short — or when a slice moved nothing (what is left cannot move:
    // asking again would only spin).
    let short = (due.len() as i64) < remind_limit && (closing.len() as i64) < close_limit;
    Ok(Progress {
        done: short || (due.is_empty() && closed == 0),
        cursor: String::new(),
        note: format!(
            "{} requests reminded ({} messages), {closed} closed without verdict",
            due.len(),
            written.len()
        ),
    })
}
