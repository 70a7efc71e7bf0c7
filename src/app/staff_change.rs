//! One staff action on one request: its rule from the action table, checked against the
//! transition table (and the guards beside it), applied with its history row, the citizen's
//! notifications and the staff alerts in one batch. The request page and the bulk actions both
//! come through here, so a bulk action is exactly N single ones.

use super::delivery::notifier;
use super::store::Message;
use super::store::{Change, ChangeKind, StaffExtras, Store, Tracked};
use super::{AppError, Ctx};
use crate::domain::audit::{self, Entry};
use crate::domain::notification::Template;
use crate::domain::staff::Staff;
use crate::domain::staff_action::{Effect, MessageRule, StaffAction};
use crate::domain::stage::Role;
use crate::domain::{assignment, merge};
use crate::notify::Payload;

/// Why an action was not applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The action needs a message and none (or an unreadable one) came.
    Message,
    /// Not allowed at this stage, for this role or nature (or to this body).
    Rule,
    /// Someone changed the request since the page was loaded.
    Version,
    /// Who holds it does not allow it (`domain::assignment`).
    Holding(assignment::Refusal),
    /// The pair cannot be merged (`domain::merge`).
    Merging(merge::Refusal),
}

pub struct Action<'a> {
    pub action: StaffAction,
    pub note: Option<&'a str>,
    /// The version the person saw.
    pub version: i64,
    /// The body to reassign to.
    pub body_id: Option<i64>,
    /// Staged answer files (form key) joining the request with the change.
    pub staff_files: Option<&'a str>,
    /// The colleague to give it to (`Assign`), or the main request's id (`Merge`).
    pub other: Option<i64>,
}

/// Whether this person may do `action` to the request now.
pub fn allowed(staff: &Staff, r: &Tracked, action: StaffAction) -> bool {
    action
        .next(r.stage, staff.acting_role(action.rule().event), r.nature, r.verdict, r.examined == 1)
        .is_ok()
        && assignment::offered(action, staff, r.assignee_id)
}

pub async fn perform(
    ctx: &Ctx,
    store: &Store,
    staff: &Staff,
    r: &Tracked,
    a: &Action<'_>,
) -> Result<Result<(), Refusal>, AppError> {
    let rule = a.action.rule();
    // Changed since the page was loaded: say so first (the batch checks it again, atomically).
    if a.version != r.version {
        return Ok(Err(Refusal::Version));
    }
    if rule.message == MessageRule::Required && a.note.is_none() {
        return Ok(Err(Refusal::Message));
    }
    let Ok(to) =
        a.action.next(r.stage, staff.acting_role(rule.event), r.nature, r.verdict, r.examined == 1)
    else {
        return Ok(Err(Refusal::Rule));
    };
    let (mut to, mut subject) = (to, a.other);
    let kind = match rule.effect {
        Effect::Assign => {
            let chosen = match (a.action, a.other) {
                (StaffAction::Assign, Some(id)) => store.colleague(id, ctx.now()).await?,
                _ => None,
            };
            let holder =
                assignment::next_holder(a.action, staff, r.body_id, r.assignee_id, chosen.as_ref());
            match holder {
                Ok(next) => {
                    subject = next.or(r.assignee_id);
                    ChangeKind::Assign { from: r.assignee_id, to: next }
                }
                Err(why) => return Ok(Err(Refusal::Holding(why))),
            }
        }
        Effect::Merge => {
            let Some((main, _)) = (match a.other {
                Some(id) => store.merge_facts(id).await?,
                None => None,
            }) else {
                return Ok(Err(Refusal::Merging(merge::Refusal::Itself)));
            };
            let Some((me, _)) = store.merge_facts(r.id).await? else {
                return Ok(Err(Refusal::Version));
            };
            if let Err(why) = merge::check(&me, &main) {
                return Ok(Err(Refusal::Merging(why)));
            }
            ChangeKind::Merge { into: main.id }
        }
        Effect::Unmerge => {
            let Some(main) = r.merged_into else { return Ok(Err(Refusal::Rule)) };
            to = merge::unmerged_stage(r.stage_before_merge);
            subject = Some(main);
            ChangeKind::Unmerge { main }
        }
        Effect::Move { treated } => ChangeKind::Move { treated },
        Effect::Close => ChangeKind::Close,
        Effect::Note => ChangeKind::Note,
        Effect::Reassign => match a.body_id {
            Some(body_id) if body_id != r.body_id && store.body(body_id).await?.is_some() => {
                ChangeKind::Reassign { body_id }
            }
            _ => return Ok(Err(Refusal::Rule)),
        },
    };
    let mut notifications = Vec::new();
    let channels = store.citizen_channels().await?;
    if let Some(template) = rule.citizen_template {
        // No code in the payload: the consumer reads it from the request when it renders.
        let payload = Payload {
            nature: r.nature.slug().to_owned(),
            body: r.body_name.clone(),
            note: a.note.map(str::to_owned),
            ..Default::default()
        };
        let payload =
            serde_json::to_string(&payload).map_err(|e| AppError::Internal(e.to_string()))?;
        for (channel, recipient) in
            crate::domain::contact::recipients(&r.email, &r.phone, &channels)
        {
            notifications.push(Message {
                key: format!("{}:{}:{}:{channel}", template.slug(), r.id, a.version),
                channel,
                recipient: recipient.to_owned(),
                template,
                lang: r.lang.clone(),
                payload: payload.clone(),
            });
        }
    }
    // The main request's answer reaches each of its followers' citizens too, with their own code.
    let followers = match a.action {
        StaffAction::Treat | StaffAction::TakeIntoAccount => {
            let payload = Payload {
                nature: r.nature.slug().to_owned(),
                body: r.body_name.clone(),
                note: a.note.map(str::to_owned),
                ..Default::default()
            };
            let payload =
                serde_json::to_string(&payload).map_err(|e| AppError::Internal(e.to_string()))?;
            Some((Template::FollowedAnswered, payload))
        }
        _ => None,
    };
    let system = staff.role == Role::System;
    let entry = (!system).then(|| {
        let entry =
            Entry::new(staff.id, audit::Action::Request(a.action), r.code.clone()).request(r.id);
        match (kind_detail(&kind), a.body_id.filter(|_| a.action == StaffAction::Reassign)) {
            (Some(detail), _) => entry.detail(detail),
            (None, Some(body)) => entry.detail(format!("organisme {body}")),
            (None, None) => entry,
        }
    });
    let extras = StaffExtras {
        subject,
        followers,
        audit: entry.as_ref().map(|e| (e, ctx.client_ip.as_str())),
        channels: &channels,
    };
    let change = Change {
        request_id: r.id,
        version: a.version,
        now: ctx.now(),
        event: rule.event,
        to_stage: to,
        actor_role: staff.role,
        actor_id: (!system).then_some(staff.id),
        note: a.note,
        visible: rule.visible,
        note_visible: rule.message_to_citizen,
        kind,
        notifications,
        alert: rule.alert,
        staff_files: a.staff_files,
    };
    let Some(outbox) = store.apply_staff_change(&change, Some(&extras)).await? else {
        return Ok(Err(Refusal::Version));
    };
    notifier::enqueue(&ctx.env, &outbox).await;
    Ok(Ok(()))
}

/// What an audit record says of a holding or merging change: to whom, into which request.
fn kind_detail(kind: &ChangeKind<'_>) -> Option<String> {
    match kind {
        ChangeKind::Assign { to: Some(id), .. } => Some(format!("agent {id}")),
        ChangeKind::Assign { to: None, .. } => Some("file de l'organisme".to_owned()),
        ChangeKind::Merge { into } => Some(format!("dans la requête {into}")),
        ChangeKind::Unmerge { main } => Some(format!("de la requête {main}")),
        _ => None,
    }
}

/// Every open request a person holds goes back to its body's queue, each through the action
/// table as the system's «Rendre à la file» with `note` (they were deactivated, or are away).
pub async fn release_all(
    ctx: &Ctx,
    store: &Store,
    person: i64,
    note: &str,
) -> Result<usize, AppError> {
    let system = Staff {
        id: 0,
        email: String::new(),
        name: String::new(),
        role: Role::System,
        body_id: None,
        scope: Vec::new(),
    };
    let mut released = 0;
    for code in store.held_by(person).await? {
        let Ok(code) = crate::domain::code::RequestCode::parse(&code) else { continue };
        let Some(r) = store.tracked(code, ctx.lang).await? else { continue };
        if r.assignee_id != Some(person) {
            continue;
        }
        let a = Action {
            action: StaffAction::Release,
            note: Some(note),
            version: r.version,
            body_id: None,
            staff_files: None,
            other: None,
        };
        if perform(ctx, store, &system, &r, &a).await?.is_ok() {
            released += 1;
        }
    }
    Ok(released)
}
