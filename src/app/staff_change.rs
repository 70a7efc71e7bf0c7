//! One staff action on one request: its rule from the action table, checked against the
//! transition table (and the guards beside it), applied with its history row, the citizen's
//! notifications and the staff alerts in one batch. The request page and the bulk actions both
//! come through here, so a bulk action is exactly N single ones.

use super::delivery::notifier;
use super::store::Message;
use super::store::{Change, ChangeKind, Store, Tracked};
use super::{AppError, Ctx};
use crate::domain::staff::Staff;
use crate::domain::staff_action::{Effect, MessageRule, StaffAction};
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
}

/// Whether this person may do `action` to the request now.
pub fn allowed(staff: &Staff, r: &Tracked, action: StaffAction) -> bool {
    action
        .next(r.stage, staff.acting_role(action.rule().event), r.nature, r.verdict, r.examined == 1)
        .is_ok()
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
    let kind = match rule.effect {
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
    if let Some(template) = rule.citizen_template {
        let channels = store.citizen_channels().await?;
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
    let change = Change {
        request_id: r.id,
        version: a.version,
        now: ctx.now(),
        event: rule.event,
        to_stage: to,
        actor_role: staff.role,
        actor_id: Some(staff.id),
        note: a.note,
        visible: rule.visible,
        note_visible: rule.message_to_citizen,
        kind,
        notifications,
        alert: rule.alert,
        staff_files: a.staff_files,
    };
    let Some(outbox) = store.apply_change(&change).await? else {
        return Ok(Err(Refusal::Version));
    };
    notifier::enqueue(&ctx.env, &outbox).await;
    Ok(Ok(()))
}
