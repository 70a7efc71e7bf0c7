//! The back office: password-less sign-in, sessions, queues by role and scope, and the actions
//! on a request, every one through the lifecycle's transition table.

mod phone;
mod sign_in;

use phone::may_take_calls;
pub use phone::{phone, phone_done, phone_post};
pub use sign_in::{sign_in, sign_in_link, sign_in_link_post, sign_in_post, sign_out};

use crate::app::error::Outcome;
use crate::app::form::field;
use crate::app::respond::with_cookie;
use crate::app::staff_session::current_staff;
use crate::app::store::{Change, ChangeKind, QueueFilter, Store, Tracked};
use crate::app::{csrf, notifier, respond, AppError, Ctx};
use crate::domain::code::RequestCode;
use crate::domain::nature::Nature;
use crate::domain::notice::Cadence;
use crate::domain::staff::Staff;
use crate::domain::staff_action::{Effect, MessageRule, StaffAction};
use crate::domain::stage::{Event, Role, Stage, Verdict};
use crate::domain::text_field::Message;
use crate::domain::time::date_fr;
use crate::i18n::staff::cadence_label;
use crate::notify::Payload;
use crate::web::agent::{Actions, AgentRequestPage, QueuePage, QueueRow, QueueSection, StaffHistoryLine};
use crate::web::submit::size_label;
use askama::Template;
use worker::Request;

const HOUR_MS: i64 = 3600 * 1000;

fn to_sign_in() -> Outcome {
    Ok(respond::redirect("/agent/connexion")?)
}

fn stage_label(ctx: &Ctx, stage: Stage) -> &'static str {
    crate::i18n::staff::staff_stage(ctx.lang, stage)
}

/// GET /agent — the queues of this person's role, within their bodies.
pub async fn home(ctx: &Ctx) -> Outcome {
    let store = Store::new(&ctx.env)?;
    let Some(staff) = current_staff(ctx, &store).await? else { return to_sign_in() };
    let t = ctx.lang.texts();
    let bodies_scope = staff.queue_bodies();
    let filter_body = ctx.query.get("organisme").and_then(|v| v.parse().ok());
    let filter_nature = ctx.query.get("nature").filter(|n| Nature::parse(n).is_ok()).unwrap_or("").to_owned();
    let filter_code = ctx.query.get("code").map(|c| c.trim().to_owned()).unwrap_or_default();
    let code = RequestCode::parse(&filter_code).ok().map(|c| c.to_string());
    let filter_channel = ctx.query.get("canal").filter(|c| ["web", "api", "phone", "open311"].contains(c)).unwrap_or("").to_owned();
    let filter_age = ctx.query.get("age").and_then(|a| a.parse::<i64>().ok()).filter(|a| [7, 15, 30].contains(a));
    // (anchor, title, stages, only reassignment requests)
    let triage = ("a-trier", t.agent.queue_triage, &["awaiting_triage"][..], false);
    let reassign = ("reaffectations", t.agent.queue_reassign, &["in_treatment"][..], true);
    let treatment = ("a-traiter", t.agent.queue_treatment, &["in_treatment"][..], false);
    let forwarded = ("transmises", t.staff.queue_forwarded, &["forwarded"][..], false);
    let after_verdict = ("avis", t.agent.queue_after_verdict, &["closed"][..], false);
    let wanted = match staff.role {
        Role::Analyst => vec![triage, reassign, after_verdict],
        Role::FocalPoint => vec![treatment, forwarded],
        Role::Admin | Role::Supervisor => vec![triage, reassign, treatment, forwarded, after_verdict],
        Role::PhoneOperator | Role::Citizen | Role::System => Vec::new(),
    };
    let mut sections = Vec::new();
    let now = ctx.now();
    for (id, title, stages, reassign_requested) in wanted {
        let with_message = id == "transmises";
        let filter = QueueFilter {
            stages,
            bodies: bodies_scope.as_deref(),
            nature: Some(filter_nature.as_str()).filter(|n| !n.is_empty()),
            body: filter_body,
            code: code.as_deref(),
            channel: Some(filter_channel.as_str()).filter(|c| !c.is_empty()),
            received_before: filter_age.map(|days| now - days * 24 * HOUR_MS),
            reassign_requested,
            newest_first: with_message,
        };
        let lines = store.queue(&filter).await?;
        let rows = lines
            .into_iter()
            // After a verdict, only the not fully satisfied come back to the analyst.
            .filter(|l| l.stage != Stage::Closed || l.verdict.is_some_and(|v| v != Verdict::Satisfied))
            .map(|l| QueueRow {
                nature: t.nature(l.nature),
                stage: stage_label(ctx, l.stage),
                late: l.due_at.is_some_and(|due| due < now),
                due: l.due_at.map(date_fr).unwrap_or_default(),
                code: l.code,
                body: l.body_name,
                received: date_fr(l.created_at),
                channel: l.channel,
                excerpt: l.excerpt,
                theme: l.theme,
                place: l.place,
            })
            .collect();
        sections.push(QueueSection { title, id, with_message, rows });
    }
    let bodies = store.active_bodies().await?.into_iter().filter(|b| staff.sees_body(b.id)).map(|b| (b.id, b.name)).collect();
    let (csrf, cookie) = csrf::token(ctx)?;
    let can_phone = may_take_calls(&staff);
    let is_admin = staff.role == Role::Admin;
    let page = QueuePage {
        c: ctx.chrome(""),
        csrf,
        staff_name: staff.name,
        sections,
        bodies,
        filter_body,
        filter_nature,
        filter_code,
        filter_channel,
        filter_age,
        can_phone,
        is_admin,
        cadence: store.notify_pref(staff.id).await?.unwrap_or_default(),
        cadences: Cadence::ALL.iter().map(|c| (c.slug(), cadence_label(ctx.lang, *c))).collect(),
        notice: (ctx.query.get("enregistre") == Some("notifications")).then_some(t.staff.prefs_saved),
    };
    let mut response = with_cookie(respond::html(200, page.render()?)?, cookie)?;
    response.headers_mut().set("Cache-Control", "private, no-store")?;
    Ok(response)
}

/// The request, when this staff member may see it; a uniform «not found» otherwise.
async fn visible_request(ctx: &Ctx, store: &Store, staff: &Staff, code: &str) -> Result<Tracked, AppError> {
    let code = RequestCode::parse(code).map_err(|_| AppError::NotFound)?;
    let r = store.tracked(code, ctx.lang).await?.ok_or(AppError::NotFound)?;
    if !staff.sees_body(r.body_id) {
        return Err(AppError::NotFound);
    }
    Ok(r)
}

/// GET /agent/requetes/{code}
pub async fn request(ctx: &Ctx, code: &str) -> Outcome {
    let store = Store::new(&ctx.env)?;
    let Some(staff) = current_staff(ctx, &store).await? else { return to_sign_in() };
    let r = visible_request(ctx, &store, &staff, code).await?;
    render(ctx, &store, &staff, r, None, None, 200).await
}

async fn render(ctx: &Ctx, store: &Store, staff: &Staff, r: Tracked, notice: Option<&'static str>, error: Option<&'static str>, status: u16) -> Outcome {
    let t = ctx.lang.texts();
    let (stage, nature, verdict) = (r.stage, r.nature, r.verdict);
    let can = |action: StaffAction| action.next(stage, staff.acting_role(action.rule().event), nature, verdict).is_ok();
    let actions = Actions {
        validate: can(StaffAction::Validate),
        send_back: can(StaffAction::SendBack),
        forward: can(StaffAction::Forward),
        reassign: can(StaffAction::Reassign),
        treat: can(StaffAction::Treat),
        clarify: can(StaffAction::Clarify),
        return_to_body: can(StaffAction::ReturnToBody),
        request_reassign: can(StaffAction::RequestReassign),
        take_into_account: can(StaffAction::TakeIntoAccount),
        note: true,
    };
    let history = store
        .staff_history(r.id)
        .await?
        .into_iter()
        .map(|e| StaffHistoryLine {
            date: date_fr(e.at),
            label: if e.event == "note" { t.agent.action_note } else { t.track.event(ctx.lang, &e.event) },
            who: e.actor_name.unwrap_or(e.actor_role),
            note: e.note,
            internal: e.visible == 0,
        })
        .collect();
    let files = store.request_files(r.id).await?.into_iter().map(|f| (f.id, f.file_name, size_label(f.size))).collect();
    // A focal point treats the request; the citizen's contact details are not theirs to see.
    let citizen = (staff.role != Role::FocalPoint).then(|| (r.full_name.clone().unwrap_or_default(), r.email.clone(), r.phone.clone()));
    let bodies = store.active_bodies().await?.into_iter().filter(|b| b.id != r.body_id).map(|b| (b.id, b.name)).collect();
    let (csrf, cookie) = csrf::token(ctx)?;
    let page = AgentRequestPage {
        c: ctx.chrome(""),
        csrf,
        staff_name: staff.name.clone(),
        code: r.code.clone(),
        version: r.version,
        nature: t.nature(nature),
        body: r.body_name.clone(),
        stage: stage_label(ctx, stage),
        received: date_fr(r.created_at),
        due: r.due_at.map(date_fr),
        late: r.due_at.is_some_and(|due| due < ctx.now()),
        theme: r.theme.clone(),
        place: r.place.clone(),
        message: r.message.clone(),
        citizen,
        verdict: r.verdict.map(|v| t.track.verdict(v)),
        history,
        files,
        actions,
        bodies,
        notice,
        error,
    };
    let mut response = with_cookie(respond::html(status, page.render()?)?, cookie)?;
    response.headers_mut().set("Cache-Control", "private, no-store")?;
    Ok(response)
}

/// GET /agent/requetes/{code}/pieces/{id}
pub async fn file(ctx: &Ctx, code: &str, id: &str) -> Outcome {
    let store = Store::new(&ctx.env)?;
    let Some(staff) = current_staff(ctx, &store).await? else { return to_sign_in() };
    let r = visible_request(ctx, &store, &staff, code).await?;
    crate::app::files::serve_attachment(ctx, &store, r.id, id).await
}

/// POST /agent/requetes/{code}/{action} — parse the action, look its rule up in the action table,
/// check it against the transition table, apply it with its history row, the citizen's
/// notifications and the staff alerts in one batch.
pub async fn act(ctx: &Ctx, code: &str, action: &str, mut req: Request) -> Outcome {
    let form = crate::app::form::read(&mut req).await?;
    let store = Store::new(&ctx.env)?;
    // Signed out: to the sign-in page; signed in, a post without this browser's token does nothing.
    let Some(staff) = current_staff(ctx, &store).await? else { return to_sign_in() };
    if !csrf::valid(ctx, &field(&form, "csrf")) {
        return Err(AppError::Forbidden);
    }
    let r = visible_request(ctx, &store, &staff, code).await?;
    let t = ctx.lang.texts();
    let action = StaffAction::parse(action).ok_or(AppError::NotFound)?;
    let rule = action.rule();
    let (stage, nature, verdict) = (r.stage, r.nature, r.verdict);
    let raw_message = field(&form, "message");
    let message = Message::parse(&raw_message).ok();
    let needs_message = rule.message == MessageRule::Required || !raw_message.trim().is_empty();
    if needs_message && message.is_none() {
        return render(ctx, &store, &staff, r, None, Some(t.agent.message_required), 422).await;
    }
    let note = message.as_ref().map(Message::as_str);
    let Ok(to) = action.next(stage, staff.acting_role(rule.event), nature, verdict) else {
        return render(ctx, &store, &staff, r, None, Some(t.agent.refused), 409).await;
    };
    let kind = match rule.effect {
        Effect::Move { treated } => ChangeKind::Move { treated },
        Effect::Close => ChangeKind::Close,
        Effect::Note => ChangeKind::Note,
        Effect::Reassign => {
            let body_id: i64 = field(&form, "organisme").parse().map_err(|_| AppError::BadRequest)?;
            if store.body(body_id).await?.is_none() || body_id == r.body_id {
                return render(ctx, &store, &staff, r, None, Some(t.agent.refused), 409).await;
            }
            ChangeKind::Reassign { body_id }
        }
    };
    let version: i64 = field(&form, "version").parse().unwrap_or(-1);
    let mut notifications = Vec::new();
    let channels = store.citizen_channels().await?;
    if let Some(template) = rule.citizen_template {
        // No code in the payload: the consumer reads it from the request when it renders.
        let payload = Payload { nature: r.nature.slug().to_owned(), body: r.body_name.clone(), note: note.map(str::to_owned), ..Default::default() };
        let payload = serde_json::to_string(&payload).map_err(|e| AppError::Internal(e.to_string()))?;
        for (channel, recipient) in [("email", r.email.as_str()), ("sms", r.phone.as_str())].into_iter().filter(|(c, _)| channels.contains(c)) {
            notifications.push((format!("{template}:{}:{version}:{channel}", r.id), channel, recipient, template, r.lang.as_str(), payload.clone()));
        }
    }
    let change = Change {
        request_id: r.id,
        version,
        now: ctx.now(),
        event: rule.event.map_or("note", Event::slug),
        to_stage: to.slug(),
        actor_role: staff.role.slug(),
        actor_id: Some(staff.id),
        note,
        visible: rule.visible,
        kind,
        notifications,
        alert: rule.alert,
    };
    let applied = store.apply_change(&change).await?;
    let code = RequestCode::parse(&r.code).map_err(|_| AppError::Internal("code".into()))?;
    if applied {
        notifier::enqueue(&ctx.env, &store, &store.pending_outbox_for_request_id(r.id).await?).await;
    }
    let fresh = store.tracked(code, ctx.lang).await?.ok_or(AppError::NotFound)?;
    if !staff.sees_body(fresh.body_id) {
        // Reassigned out of this person's scope: back to the queue.
        return Ok(respond::redirect("/agent")?);
    }
    if applied {
        render(ctx, &store, &staff, fresh, Some(t.agent.done), None, 200).await
    } else {
        render(ctx, &store, &staff, fresh, None, Some(t.agent.refused), 409).await
    }
}

/// POST /agent/notifications — how often this person is told of new work (Post/Redirect/Get).
pub async fn set_notifications(ctx: &Ctx, mut req: Request) -> Outcome {
    let form = crate::app::form::read(&mut req).await?;
    let store = Store::new(&ctx.env)?;
    // Signed out: to the sign-in page; signed in, a post without this browser's token does nothing.
    let Some(staff) = current_staff(ctx, &store).await? else { return to_sign_in() };
    if !csrf::valid(ctx, &field(&form, "csrf")) {
        return Err(AppError::Forbidden);
    }
    let cadence = Cadence::parse(&field(&form, "cadence")).ok_or(AppError::BadRequest)?;
    store.set_notify_pref(staff.id, cadence.slug()).await?;
    Ok(respond::redirect("/agent?enregistre=notifications#notifications")?)
}
