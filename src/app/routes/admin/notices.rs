//! Notifications: the ones that failed (masked recipients, «Renvoyer»), and which channels
//! carry notifications to citizens.

use worker::Request;

use super::{admin, admin_post, Outcome, Page};
use crate::app::delivery::notifier;
use crate::app::http::flash;
use crate::app::http::form::field;
use crate::app::store::Store;
use crate::app::AppError;
use crate::app::Ctx;
use crate::domain::job::Job;
use crate::domain::time::date_fr;
use crate::i18n::manage::{done, Done};
use crate::web::admin::{mask, FailedRow, JobRow, Section};

/// GET /agent/admin/notifications
pub async fn failed(ctx: &Ctx) -> Outcome {
    let store = Store::new(&ctx.env)?;
    let me = match admin(ctx, &store).await {
        Ok(me) => me,
        Err(outcome) => return outcome,
    };
    let rows = store
        .failed_notifications()
        .await?
        .into_iter()
        .map(|f| FailedRow {
            id: f.id,
            channel: f.channel,
            template: f.template,
            recipient: mask(&f.recipient),
            code: f.code,
            attempts: f.attempts,
            error: f.last_error.unwrap_or_default().chars().take(200).collect(),
            date: date_fr(f.created_at),
        })
        .collect();
    let t = ctx.lang.texts().admin;
    let jobs = store
        .job_states()
        .await?
        .into_iter()
        .filter_map(|j| {
            let job = Job::parse(&j.job)?;
            let at = Job::ALL.iter().position(|k| *k == job)?;
            let failing = j.failures > 0;
            let state = match (j.done != 0, failing) {
                (true, _) => t.job_done,
                (false, true) => t.job_failing,
                (false, false) => t.job_running,
            };
            let error = if failing { j.last_error.unwrap_or_default() } else { String::new() };
            Some(JobRow {
                name: t.job_names[at],
                day: j.day,
                state,
                failing,
                slices: j.slices,
                failures: j.failures,
                error: error.chars().take(200).collect(),
            })
        })
        .collect();
    Page::new("notifications", t.failed, Section::Failed { rows, jobs }).respond(ctx, &me)
}

/// POST /agent/admin/notifications/{id}/renvoyer — a failed notification goes back in line.
pub async fn retry_notification(ctx: &Ctx, id: &str, req: Request) -> Outcome {
    let (_, store, me) = match admin_post(ctx, req).await {
        Ok(ok) => ok,
        Err(outcome) => return outcome,
    };
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    if store.retry_notification(id).await? {
        notifier::enqueue(&ctx.env, &[id]).await;
        store
            .audit(
                me.id,
                crate::domain::audit::Action::NotificationRetry,
                &id.to_string(),
                None,
                ctx.now(),
            )
            .await?;
    }
    flash::redirect("/agent/admin/notifications", ctx.lang.texts().manage.retried)
}

/// GET /agent/admin/parametres
pub async fn settings_page(ctx: &Ctx) -> Outcome {
    let store = Store::new(&ctx.env)?;
    let me = match admin(ctx, &store).await {
        Ok(me) => me,
        Err(outcome) => return outcome,
    };
    let channels = store.citizen_channels().await?;
    let section =
        Section::Settings { email: channels.contains(&"email"), sms: channels.contains(&"sms") };
    Page::new("parametres", ctx.lang.texts().admin.settings, section).respond(ctx, &me)
}

/// POST /agent/admin/parametres — which channels carry notifications to citizens.
pub async fn settings(ctx: &Ctx, req: Request) -> Outcome {
    let (form, store, me) = match admin_post(ctx, req).await {
        Ok(ok) => ok,
        Err(outcome) => return outcome,
    };
    let (mail, sms) = (field(&form, "mail") == "1", field(&form, "sms") == "1");
    store.set_citizen_channels(mail, sms).await?;
    store
        .audit(
            me.id,
            crate::domain::audit::Action::SettingsChannels,
            "notify",
            Some(&format!("email {mail}, sms {sms}")),
            ctx.now(),
        )
        .await?;
    flash::redirect("/agent/admin/parametres", &done(ctx.lang, Done::Channels { mail, sms }))
}
