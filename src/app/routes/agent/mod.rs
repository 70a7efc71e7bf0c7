//! The back office: password-less sign-in, the workspace's queues and search, the request page
//! and its actions (each through the lifecycle's transition table), bulk actions, phone intake.

mod phone;
mod queues;
mod request;
mod sign_in;

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
    Ok(respond::redirect("/agent?enregistre=notifications#notifications")?)
}
