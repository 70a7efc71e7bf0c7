//! One digest a day to each analyst and focal point with requests near or past their deadline
//! (within `DIGEST_HORIZON_DAYS`, default 2), and to supervisors and admins the requests at twice
//! their deadline. A slice takes the next staff members in id order (the cursor: the last one
//! done); the day is part of each mail's key, so a slice repeated sends nothing twice.

use worker::Env;

use super::{size, Progress, DAY_MS};
use crate::app::settings::Settings;
use crate::app::store::{DueFor, DueItem, JobRun, Store, DIGEST_COUNT_CAP};
use crate::domain::notification::Template;
use crate::domain::stage::Role;

pub async fn slice(env: &Env, store: &Store, run: &JobRun) -> worker::Result<Progress> {
    let settings = Settings::read(env);
    let limit = size(env, 20);
    let after: i64 = run.cursor.parse().unwrap_or(0);
    let staff = store.digest_staff_after(after, limit).await?;
    let horizon = run.run_at + settings.digest_horizon_days * DAY_MS;
    let link = format!("{}/agent", settings.public_url.trim_end_matches('/'));
    let mut ids = Vec::new();
    for person in &staff {
        let (template, due) = match person.role {
            Role::Analyst => {
                (Template::StaffDigest, DueFor::Triage { scope: &person.scope, until: horizon })
            }
            Role::FocalPoint => match person.body_id {
                Some(body_id) => {
                    (Template::StaffDigest, DueFor::Treatment { body_id, until: horizon })
                }
                None => continue,
            },
            Role::Admin | Role::Supervisor => {
                (Template::StaffEscalation, DueFor::Escalated { now: run.run_at })
            }
            _ => continue,
        };
        let (lines, total) = store.due_for(&due).await?;
        if lines.is_empty() {
            continue;
        }
        let mut items: Vec<String> = lines.iter().map(|d| line(d, run.run_at)).collect();
        if let Some(more) = more_line(total, lines.len() as i64) {
            items.push(more);
        }
        let payload =
            crate::notify::Payload { items, link: Some(link.clone()), ..Default::default() };
        let payload =
            serde_json::to_string(&payload).map_err(|e| worker::Error::RustError(e.to_string()))?;
        let key = format!("{}:{}:{}", template.slug(), person.id, run.day);
        ids.extend(
            store
                .insert_outbox_once(
                    &key,
                    None,
                    "email",
                    &person.email,
                    template,
                    "fr",
                    &payload,
                    run.run_at,
                )
                .await?,
        );
    }
    crate::app::delivery::notifier::enqueue(env, &ids).await;
    Ok(Progress {
        done: (staff.len() as i64) < limit,
        cursor: staff.last().map_or(after, |s| s.id).to_string(),
        note: format!("{} staff looked at, {} deadline digests", staff.len(), ids.len()),
    })
}

/// «42568096 — Ministère … — échéance 04/12/2026 (en retard)»: staff words, as the queues say.
fn line(d: &DueItem, now: i64) -> String {
    match d.due_at {
        Some(due) => {
            let late = if due < now { " (en retard)" } else { "" };
            format!(
                "{} — {} — échéance {}{late}",
                d.code,
                d.body_name,
                crate::domain::time::date_fr(due)
            )
        }
        None => format!("{} — {}", d.code, d.body_name),
    }
}

/// The line that says how many more there are than the digest lists, if any.
fn more_line(total: i64, shown: i64) -> Option<String> {
    let more = total - shown;
    if more <= 0 {
        None
    } else if total > DIGEST_COUNT_CAP {
        Some(format!(
            "… et plus de {} autres requêtes (voir la file d'attente)",
            DIGEST_COUNT_CAP - shown
        ))
    } else if more == 1 {
        Some("… et 1 autre requête (voir la file d'attente)".to_owned())
    } else {
        Some(format!("… et {more} autres requêtes (voir la file d'attente)"))
    }
}
