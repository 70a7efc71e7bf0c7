//! The back office: password-less sign-in, the workspace's queues and search, the request page
//! and its actions (each through the lifecycle's transition table), bulk actions, phone intake.

mod answer;
mod duplicates;
mod export;
mod phone;
mod queues;
mod request;
mod sign_in;

pub use duplicates::{attach, attach_confirm, merge_confirm, unmerge_confirm};
pub use phone::{phone, phone_done, phone_post};
pub use queues::{bulk, home};
pub use request::{act, file, request};
pub use sign_in::{sign_in, sign_in_link, sign_in_link_post, sign_in_post, sign_out};

use crate::app::http::error::Outcome;
use crate::app::http::form::field;
use crate::app::http::respond;
use crate::app::http::staff_session::{May, StaffPost};
use crate::app::store::{Store, Tracked};
use crate::app::AppError;
use crate::app::Ctx;
use crate::domain::audit::{Action, Entry};
use crate::domain::code::RequestCode;
use crate::domain::notice::Cadence;
use crate::domain::staff::Staff;
use worker::Request;

fn to_sign_in() -> Outcome {
    Ok(respond::redirect("/agent/connexion")?)
}

/// The request, when this staff member may see it; a uniform «not found» otherwise.
async fn visible_request(
    ctx: &Ctx,
    store: &Store,
    staff: &Staff,
    code: &str,
) -> Result<Tracked, AppError> {
    let code = RequestCode::parse(code).map_err(|_| AppError::NotFound)?;
    let r = store.tracked(code, ctx.lang).await?.ok_or(AppError::NotFound)?;
    if !staff.sees_body(r.body_id) {
        return Err(AppError::NotFound);
    }
    Ok(r)
}

/// POST /agent/notifications — how often this person is told of new work (Post/Redirect/Get).
pub async fn set_notifications(ctx: &Ctx, mut req: Request) -> Outcome {
    let StaffPost { staff, form, store } = match StaffPost::read(ctx, &mut req, May::AnyStaff).await
    {
        Ok(post) => post,
        Err(answer) => return answer,
    };
    let cadence = Cadence::parse(&field(&form, "cadence")).ok_or(AppError::BadRequest)?;
    store.set_notify_pref(staff.id, cadence.slug()).await?;
    let entry = Entry::new(staff.id, Action::OwnNotifications, staff.id.to_string());
    store.record(&entry.detail(cadence.slug()), ctx.now()).await?;
    Ok(respond::redirect("/agent?enregistre=notifications#notifications")?)
}

/// POST /agent/absence — away until a day (included), or back (`retour=1`). Going away gives
/// back every request one holds, each through the action table with a note.
pub async fn set_absence(ctx: &Ctx, mut req: Request) -> Outcome {
    let StaffPost { staff, form, store } = match StaffPost::read(ctx, &mut req, May::AnyStaff).await
    {
        Ok(post) => post,
        Err(answer) => return answer,
    };
    let now = ctx.now();
    let until = if field(&form, "retour") == "1" {
        None
    } else {
        // The day given is the last day away: back the next morning (UTC is Abidjan's time).
        match crate::domain::time::parse_day(field(&form, "jusqu_au").trim()) {
            Some(day) if (day + 1) * 86_400_000 > now => Some((day + 1) * 86_400_000),
            _ => return Ok(respond::redirect("/agent?erreur=absence#absence")?),
        }
    };
    store.set_away(staff.id, until).await?;
    let detail = until.map_or_else(|| "retour".to_owned(), crate::domain::time::day_iso);
    let entry = Entry::new(staff.id, Action::OwnAbsence, staff.id.to_string()).detail(detail);
    store.record(&entry, now).await?;
    if until.is_some() {
        let note = crate::i18n::office::texts(ctx.lang).away_note;
        crate::app::staff_change::release_all(ctx, &store, staff.id, note).await?;
    }
    Ok(respond::redirect("/agent?enregistre=absence#absence")?)
}
