//! What the citizen does from the request page: reword it (stage 1), judge the answer, or reopen it.

use super::*;
use crate::app::citizen_actions;
use crate::app::http::crypto::{is_form_token, random_token};
use crate::app::http::csrf;
use crate::app::http::error::Outcome;
use crate::app::http::files::Files;
use crate::app::http::form::field;
use crate::app::intake::files;
use crate::app::store::{Change, ChangeKind, Store, Tracked};
use crate::app::AppError;
use crate::app::Ctx;
use crate::domain::code::RequestCode;
use crate::domain::notice::Alert;
use crate::domain::stage::{self, Event, Role, Stage, Verdict};
use crate::domain::submission::{Field, FieldErrors, Problem};
use crate::domain::text_field::{Message, TextError};
use crate::i18n::problem_message;
use worker::{FormData, Request};

use crate::domain::rate_limit::{self, Window};

/// Edits of one request a citizen may save per hour (each stores a version and alerts analysts).
const EDITS_PER_HOUR: i64 = 5;

/// A POST from the request page: its form, the tracking store, and the request, when the browser
/// has a valid session for it and this page's CSRF token; otherwise the response to give.
struct Posted {
    form: FormData,
    store: Store,
    code: RequestCode,
    r: Tracked,
}

async fn authorised(ctx: &Ctx, code: &str, req: &mut Request) -> Result<Posted, Outcome> {
    let form = crate::app::http::form::read(req).await.map_err(Err)?;
    let store = tracking_store(ctx).map_err(|e| Err(e.into()))?;
    let Ok(code) = RequestCode::parse(code) else { return Err(Err(AppError::NotFound)) };
    if !csrf::valid(ctx, &field(&form, "csrf")) {
        return Err(lookup_page(
            ctx,
            403,
            Typed { code: &code.to_string(), ..Typed::default() },
            Some(ctx.lang.texts().submit.expired.to_owned()),
        ));
    }
    match session_request(ctx, &store, code).await {
        Ok(Some(r)) => Ok(Posted { form, store, code, r }),
        Ok(None) => {
            Err(lookup_page(ctx, 403, Typed { code: &code.to_string(), ..Typed::default() }, None))
        }
        Err(e) => Err(Err(e.into())),
    }
}

/// POST /suivi/{code}/modifier — new wording (and attachments) while the request is in stage 1.
pub async fn edit(ctx: &Ctx, code: &str, mut req: Request) -> Outcome {
    let Posted { form, store, code, r } = match authorised(ctx, code, &mut req).await {
        Ok(posted) => posted,
        Err(response) => return response,
    };
    let form_key = Some(field(&form, "form_key"))
        .filter(|k| is_form_token(k))
        .map_or_else(|| random_token(16), Ok)?;
    let raw_message = field(&form, "message");
    let mut errors = FieldErrors::default();
    let message = Message::parse(&raw_message);
    if let Err(e) = &message {
        errors.add(Field::Message, Problem::Text(e.clone()));
    }
    let version: i64 = field(&form, "version").parse().unwrap_or(r.version);
    let Some(to) = citizen_next(&r, Event::Edit)?.filter(|_| version == r.version) else {
        // Refused before any file is stored: a stale page or a stage that no longer allows edits.
        return render_request(
            ctx,
            &store,
            r,
            Notices {
                notice: Some(ctx.lang.texts().track.conflict),
                status: Some(409),
                ..Default::default()
            },
        )
        .await;
    };
    let files = Files::new(&ctx.env)?;
    let uploads = files::read_files(&form, "pieces").await?;
    // The request's files and any staged with this form count against the limits together.
    let mut existing: Vec<crate::web::submit::StagedFile> = store
        .request_files(r.id)
        .await?
        .into_iter()
        .map(|f| crate::web::submit::StagedFile {
            audio: f.kind_is_audio(),
            id: f.id,
            name: f.file_name,
            size: f.size,
        })
        .collect();
    existing.extend(store.staged_files(&form_key).await?);
    let checked = files::check_files(&uploads, &existing, &mut errors);
    let (Ok(message), true) = (message, errors.is_empty()) else {
        let edit_error = errors
            .iter()
            .map(|(f, p)| problem_message(ctx.lang, *f, p))
            .collect::<Vec<_>>()
            .join(" ");
        return render_request(
            ctx,
            &store,
            r,
            Notices {
                edit_error: Some(edit_error),
                edit_message: Some(raw_message),
                status: Some(422),
                ..Default::default()
            },
        )
        .await;
    };
    // Counted per request and hour before anything is stored: a flood of edits stores nothing
    // and mails nobody past the limit; the citizen's text stays in the form.
    let window = Window::hour(ctx.now());
    let edits = store
        .rate_limit_count(&[rate_limit::bucket("edit:request", &r.id.to_string())], window.start)
        .await?;
    if edits.first().is_some_and(|n| *n > EDITS_PER_HOUR) {
        let minutes = window.minutes_left(ctx.now()).to_string();
        let notice = ctx.lang.texts().track.edit_limited.replace("{minutes}", &minutes);
        let notices = Notices {
            edit_error: Some(notice),
            edit_message: Some(raw_message),
            status: Some(429),
            ..Default::default()
        };
        return render_request(ctx, &store, r, notices).await;
    }
    if let Some(minutes) = files::staging_over_cap(ctx, &store, &checked, None).await? {
        return Ok(crate::app::http::respond::rate_limited_page(ctx, minutes)?);
    }
    files::stage(&store, &files, &form_key, checked, ctx.now()).await?;
    let change = Change {
        request_id: r.id,
        version,
        now: ctx.now(),
        event: Some(Event::Edit),
        to_stage: to,
        actor_role: Role::Citizen,
        actor_id: None,
        visible: true,
        note_visible: true,
        note: None,
        kind: ChangeKind::Edit {
            message: message.as_str(),
            form_key: &form_key,
            window_start: window.start,
        },
        notifications: Vec::new(),
        alert: Some(Alert::Edited),
        staff_files: None,
    };
    finish_change(ctx, &store, code, change, ctx.lang.texts().track.edited).await
}

/// Where the citizen's `event` takes the request from where it stands, if the table allows it.
fn citizen_next(r: &Tracked, event: Event) -> Result<Option<Stage>, AppError> {
    Ok(stage::next(r.stage, event, Role::Citizen, r.nature).ok())
}

/// Applies a change and shows the page again (PRG: redirect with a notice key).
async fn finish_change(
    ctx: &Ctx,
    store: &Store,
    code: RequestCode,
    change: Change<'_>,
    done: &'static str,
) -> Outcome {
    let applied = citizen_actions::apply(&ctx.env, store, &change).await?;
    let r = store.tracked(code, ctx.lang).await?.ok_or(AppError::NotFound)?;
    if applied {
        return render_request(ctx, store, r, Notices { notice: Some(done), ..Default::default() })
            .await;
    }
    render_request(
        ctx,
        store,
        r,
        Notices {
            notice: Some(ctx.lang.texts().track.conflict),
            status: Some(409),
            ..Default::default()
        },
    )
    .await
}

/// POST /suivi/{code}/avis — the citizen's verdict on the body's answer.
pub async fn verdict(ctx: &Ctx, code: &str, mut req: Request) -> Outcome {
    let Posted { form, store, code, r } = match authorised(ctx, code, &mut req).await {
        Ok(posted) => posted,
        Err(response) => return response,
    };
    let t = &ctx.lang.texts().track;
    let Some(verdict) = Verdict::parse(&field(&form, "avis")) else {
        return render_request(
            ctx,
            &store,
            r,
            Notices {
                verdict_error: Some(t.verdict_required),
                status: Some(422),
                ..Default::default()
            },
        )
        .await;
    };
    let comment: String = field(&form, "commentaire").trim().chars().take(2000).collect();
    let comment = Some(comment.as_str()).filter(|c| !c.is_empty());
    let version = field(&form, "version").parse().unwrap_or(r.version);
    let Some(change) = citizen_actions::verdict_change(&r, verdict, comment, version, ctx.now())
    else {
        return render_request(
            ctx,
            &store,
            r,
            Notices { notice: Some(t.conflict), status: Some(409), ..Default::default() },
        )
        .await;
    };
    finish_change(ctx, &store, code, change, t.verdict_given).await
}

/// POST /suivi/{code}/relancer — reopen with a reason; the body handles it again.
pub async fn reopen(ctx: &Ctx, code: &str, mut req: Request) -> Outcome {
    let Posted { form, store, code, r } = match authorised(ctx, code, &mut req).await {
        Ok(posted) => posted,
        Err(response) => return response,
    };
    let t = &ctx.lang.texts().track;
    let raw = field(&form, "motif");
    let reason = match Message::parse(&raw) {
        Ok(m) => m,
        Err(TextError::Empty | TextError::TooShort { .. } | TextError::TooLong { .. }) => {
            return render_request(
                ctx,
                &store,
                r,
                Notices {
                    reopen_error: Some(t.reopen_required),
                    reopen_reason: raw,
                    status: Some(422),
                    ..Default::default()
                },
            )
            .await;
        }
    };
    let version: i64 = field(&form, "version").parse().unwrap_or(r.version);
    let change =
        citizen_actions::reopen_change(&store, &r, reason.as_str(), version, ctx.now()).await?;
    let Some(change) = change else {
        return render_request(
            ctx,
            &store,
            r,
            Notices { notice: Some(t.conflict), status: Some(409), ..Default::default() },
        )
        .await;
    };
    finish_change(ctx, &store, code, change, t.reopened).await
}
