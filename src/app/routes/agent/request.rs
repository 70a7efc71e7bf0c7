//! The staff request page: stage and deadline first, the actions that make sense now, the rest
//! under «Autres actions»; the answer drafted from a template, with the official letter attached,
//! previewed as the citizen will get it, then confirmed. Every post redirects (Post/Redirect/Get).

use askama::Template;
use worker::Request;

use super::{to_sign_in, visible_request};
use crate::app::http::csrf;
use crate::app::http::error::Outcome;
use crate::app::http::form::field;
use crate::app::http::respond;
use crate::app::http::respond::with_cookie;
use crate::app::http::staff_session::{current_staff, may_see_contacts, nav};
use crate::app::http::staff_session::{May, StaffPost};
use crate::app::staff_change::{self, allowed, Action, Refusal};
use crate::app::store::{Store, Tracked};
use crate::app::AppError;
use crate::app::Ctx;
use crate::domain::audit::{Action as AuditAction, Entry};
use crate::domain::code::RequestCode;
use crate::domain::staff::Staff;
use crate::domain::staff_action::StaffAction;
use crate::domain::stage::{Event, Stage};
use crate::domain::text_field::Message;
use crate::domain::time::date_fr;
use crate::i18n::staff::staff_stage;
use crate::i18n::workspace as words;
use crate::web::agent::{ActionForm, AgentRequestPage, FileLine, StaffHistoryLine};
use crate::web::submit::size_label;

/// What a page render carries besides the request: a notice, an error, the answer being drafted.
#[derive(Default)]
pub(super) struct Extra {
    pub(super) notice: Option<&'static str>,
    pub(super) error: Option<String>,
    pub(super) draft: Option<String>,
}

/// GET /agent/requetes/{code}[?modele=…][&fait=…]
pub async fn request(ctx: &Ctx, code: &str) -> Outcome {
    let store = Store::new(&ctx.env)?.for_client(&ctx.client_ip);
    let Some(staff) = current_staff(ctx, &store).await? else { return to_sign_in() };
    let r = visible_request(ctx, &store, &staff, code).await?;
    if may_see_contacts(&staff) && (!r.email.is_empty() || !r.phone.is_empty()) {
        // The page shows the citizen's contact details: the trail says who saw them.
        let entry = Entry::new(staff.id, AuditAction::ContactView, r.code.clone()).request(r.id);
        store.record(&entry, ctx.now()).await?;
    }
    let notice =
        ctx.query.get("fait").and_then(StaffAction::parse).map(|a| words::action_done(ctx.lang, a));
    let notice = notice.or_else(|| {
        ctx.query.get("rattachees").map(|_| crate::i18n::office::texts(ctx.lang).merged_report)
    });
    render(ctx, &store, &staff, r, Extra { notice, ..Extra::default() }, 200).await
}

fn form_for(
    t: &crate::i18n::Texts,
    o: &crate::i18n::office::OfficeTexts,
    action: StaffAction,
    secondary: bool,
) -> ActionForm {
    let a = &t.agent;
    let (label, message, hint) = match action {
        StaffAction::Take => (o.take, None, Some(o.take_hint)),
        StaffAction::Assign => (o.assign, Some((o.assign_reason, true)), None),
        StaffAction::Release => (o.release, Some((o.release_reason, false)), None),
        // Merging has its own panel and confirmation page (`duplicates`).
        StaffAction::Merge | StaffAction::Unmerge => (o.merge_confirm, None, None),
        StaffAction::Validate => (a.action_validate, None, None),
        StaffAction::Forward => (a.action_forward, None, None),
        StaffAction::TakeIntoAccount => {
            (t.staff.action_take, Some((t.staff.take_message, false)), Some(t.staff.take_hint))
        }
        StaffAction::Treat => (a.action_treat, None, None),
        StaffAction::Clarify => (a.action_clarify, Some((a.message_to_citizen, true)), None),
        StaffAction::ReturnToBody => {
            (a.action_return_to_body, Some((a.reason_for_body, false)), None)
        }
        StaffAction::Reassign => (a.action_reassign, None, None),
        StaffAction::SendBack => (a.action_send_back, Some((a.message_to_citizen, true)), None),
        StaffAction::RequestReassign => (a.action_request_reassign, Some((a.reason, true)), None),
        StaffAction::Note => (a.action_note, Some((a.note_label, true)), None),
    };
    ActionForm {
        slug: action.slug(),
        label,
        message,
        hint,
        reassign: action == StaffAction::Reassign,
        treat: action == StaffAction::Treat,
        assign: action == StaffAction::Assign,
        secondary,
    }
}

pub(super) async fn render(
    ctx: &Ctx,
    store: &Store,
    staff: &Staff,
    r: Tracked,
    extra: Extra,
    status: u16,
) -> Outcome {
    let t = ctx.lang.texts();
    let now = ctx.now();
    let o = crate::i18n::office::texts(ctx.lang);
    let (mut primary, mut others) = (Vec::new(), Vec::new());
    let generic = |a: &StaffAction| !matches!(a, StaffAction::Merge | StaffAction::Unmerge);
    for action in StaffAction::ALL
        .into_iter()
        .filter(generic)
        .filter(|a| *a == StaffAction::Note || allowed(staff, &r, *a))
    {
        if action.is_primary(r.stage) {
            primary.push(form_for(t, o, action, false));
        } else {
            others.push(form_for(t, o, action, true));
        }
    }
    let colleagues = match allowed(staff, &r, StaffAction::Assign) {
        true => store.colleagues(r.body_id, now).await?,
        false => Vec::new(),
    };
    let colleagues = colleagues
        .into_iter()
        .filter(|(c, _)| Some(c.id) != r.assignee_id && !c.away)
        .map(|(c, name)| (c.id, name))
        .collect();
    let merging = super::duplicates::panel(ctx, store, staff, &r).await?;
    let events = store.staff_history(r.id).await?;
    // Back in stage 2 because the citizen reopened it: the reason leads the page.
    let reopened = r.stage == Stage::InTreatment
        && crate::domain::stage::reopened_last(events.iter().map(|e| e.event.as_str()));
    let reopen_reason = reopened
        .then(|| events.iter().rev().find(|e| e.event == Event::Reopen.slug()))
        .flatten()
        .and_then(|e| e.note.clone());
    let history = events
        .into_iter()
        .map(|e| StaffHistoryLine {
            date: date_fr(e.at),
            label: words::event_label(ctx.lang, &e.event),
            who: e
                .actor_name
                .unwrap_or_else(|| words::actor_word(ctx.lang, &e.actor_role).to_owned()),
            note: e.note,
            internal: e.visible == 0,
        })
        .collect();
    let files = store
        .request_files(r.id)
        .await?
        .into_iter()
        .map(|f| FileLine {
            voice: f.kind_is_audio().then(|| {
                crate::domain::attachment::duration_label(f.duration_ms.unwrap_or(0).max(0) as u64)
            }),
            id: f.id,
            name: f.file_name,
            size: size_label(f.size),
            from_body: f.origin == "staff",
        })
        .collect();
    let treat = primary.iter().any(|a| a.treat);
    let templates = if treat { store.reply_templates_for(r.body_id).await? } else { Vec::new() };
    let chosen_template = ctx
        .query
        .get("modele")
        .and_then(|m| m.parse::<i64>().ok())
        .filter(|id| templates.iter().any(|x| x.id == *id));
    let draft = extra
        .draft
        .or_else(|| {
            chosen_template
                .and_then(|id| templates.iter().find(|x| x.id == id))
                .map(|x| x.text.clone())
        })
        .unwrap_or_default();
    let citizen = may_see_contacts(staff)
        .then(|| (r.full_name.clone().unwrap_or_default(), r.email.clone(), r.phone.clone()));
    let bodies = store
        .active_bodies()
        .await?
        .into_iter()
        .filter(|b| b.id != r.body_id)
        .map(|b| (b.id, b.name))
        .collect();
    let (csrf, cookie) = csrf::token(ctx)?;
    let page = AgentRequestPage {
        c: ctx.chrome(""),
        s: Some(nav(staff, "queues", &csrf, "")),
        csrf,
        code: r.code.clone(),
        version: r.version,
        nature: t.nature(r.nature),
        body: r.body_name.clone(),
        stage: staff_stage(ctx.lang, r.stage),
        received: date_fr(r.created_at),
        channel: words::channel_label(ctx.lang, &r.channel),
        due: r.due_at.map(date_fr),
        late_by: r.due_at.filter(|due| *due < now).map(|due| words::late_by(ctx.lang, crate::domain::queue::days_late(due, now))),
        theme: r.theme.clone(),
        place: crate::i18n::place_words(ctx.lang, r.place.as_deref(), r.abroad_city.as_deref(), r.abroad_country.as_deref())
            .unwrap_or_else(|| t.work.no_place.to_owned()),
        // A request told by voice only has no written message.
        message: if r.message.is_empty() { t.voice.only.to_owned() } else { r.message.clone() },
        citizen,
        reported: match (r.lat.zip(r.lon), &r.address) {
            (None, None) => None,
            (position, address) => Some(crate::web::agent::Reported {
                position: position.map(|(lat, lon)| {
                    (format!("{lat:.5}, {lon:.5}"), format!("https://www.openstreetmap.org/?mlat={lat:.5}&mlon={lon:.5}#map=15/{lat:.5}/{lon:.5}"))
                }),
                address: address.clone(),
            }),
        },
        links: store.request_links(r.id).await?,
        verdict: r.verdict.map(|v| t.track.verdict(v)),
        verdict_comment: r.verdict_comment.clone(),
        reopen_reason,
        history,
        transcribe: primary.iter().chain(&others).any(|a| a.slug == "note"),
        files,
        primary,
        others,
        bodies,
        templates: templates.into_iter().map(|x| (x.id, x.title)).collect(),
        chosen_template,
        draft,
        notice: extra.notice,
        error: extra.error,
        o,
        holder: match (r.assignee_id, &r.assignee_name) {
            (Some(id), _) if id == staff.id => Some(o.held_by_you.to_owned()),
            (Some(_), Some(name)) => Some(format!("{} {name}", o.held_by)),
            _ => matches!(r.stage, Stage::InTreatment | Stage::Forwarded).then(|| o.not_held.to_owned()),
        },
        colleagues,
        merging,
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
    crate::app::http::files::serve_attachment(ctx, &store, r.id, id).await
}

/// POST /agent/requetes/{code}/{action}. «traiter» goes through a preview first: the answer and
/// its files are checked and staged, the citizen's mail is shown, and only «Confirmer» applies it.
pub async fn act(ctx: &Ctx, code: &str, action: &str, mut req: Request) -> Outcome {
    let StaffPost { staff, form, store } = match StaffPost::read(ctx, &mut req, May::AnyStaff).await
    {
        Ok(post) => post,
        Err(answer) => return answer,
    };
    let r = visible_request(ctx, &store, &staff, code).await?;
    let t = ctx.lang.texts();
    let action = StaffAction::parse(action).ok_or(AppError::NotFound)?;
    let raw_message = field(&form, "message");
    let message = Message::parse(&raw_message).ok();
    let keep = |error: &str| Extra {
        error: Some(error.to_owned()),
        draft: Some(raw_message.clone()),
        ..Extra::default()
    };
    if !raw_message.trim().is_empty() && message.is_none() {
        return render(ctx, &store, &staff, r, keep(t.agent.message_required), 422).await;
    }
    let version: i64 = field(&form, "version").parse().unwrap_or(-1);
    let staged = super::answer::answer_key(&field(&form, "pieces_cle")).map(str::to_owned);
    if action == StaffAction::Treat && field(&form, "confirmer") != "1" {
        if field(&form, "modifier") == "1" {
            // Back to the answer box with the text; the staged files go (they are chosen again).
            if let Some(key) = &staged {
                super::answer::discard(ctx, &store, key).await?;
            }
            return render(
                ctx,
                &store,
                &staff,
                r,
                Extra { draft: Some(raw_message.clone()), ..Extra::default() },
                200,
            )
            .await;
        }
        return super::answer::preview(ctx, &store, &staff, r, &form, message, version).await;
    }
    let other = match action {
        StaffAction::Assign => field(&form, "agent").parse().ok(),
        StaffAction::Merge => store.request_id(&field(&form, "principale")).await?,
        _ => None,
    };
    let a = Action {
        action,
        note: message.as_ref().map(Message::as_str),
        version,
        body_id: field(&form, "organisme").parse().ok(),
        staff_files: staged.as_deref().filter(|_| action == StaffAction::Treat),
        other,
    };
    match staff_change::perform(ctx, &store, &staff, &r, &a).await? {
        Ok(()) => {
            let fresh = store
                .tracked(RequestCode::parse(&r.code).map_err(|_| AppError::NotFound)?, ctx.lang)
                .await?;
            match fresh.filter(|f| staff.sees_body(f.body_id)) {
                Some(_) => Ok(respond::redirect(&format!(
                    "/agent/requetes/{}?fait={}",
                    r.code,
                    action.slug()
                ))?),
                // Reassigned out of this person's scope: back to their queue.
                None => Ok(respond::redirect("/agent")?),
            }
        }
        Err(Refusal::Message) => {
            render(ctx, &store, &staff, r, keep(t.agent.message_required), 422).await
        }
        Err(Refusal::Holding(why)) => {
            let why = crate::i18n::office::assign_refusal(ctx.lang, why);
            render(ctx, &store, &staff, r, keep(why), 409).await
        }
        Err(Refusal::Merging(why)) => {
            let why = crate::i18n::office::merge_refusal(ctx.lang, why);
            render(ctx, &store, &staff, r, keep(why), 409).await
        }
        Err(Refusal::Rule | Refusal::Version) => {
            // The page reloads with the request as it is now, and says why nothing happened.
            let fresh = store
                .tracked(RequestCode::parse(&r.code).map_err(|_| AppError::NotFound)?, ctx.lang)
                .await?
                .ok_or(AppError::NotFound)?;
            render(ctx, &store, &staff, fresh, keep(t.agent.refused), 409).await
        }
    }
}
