//! The staff session: the `__Host-agent` cookie of a signed-in staff member, checked on every
//! back-office route. A leaf module: the back office and the administration both use it.

use crate::app::http::crypto::sha256_hex;
use crate::app::store::Store;
use crate::app::Ctx;
use crate::domain::staff::Staff;

pub const SESSION_COOKIE: &str = "__Host-agent";
/// A session unused this long has ended.
const IDLE_MS: i64 = 30 * 60 * 1000;

/// The signed-in staff member, if the session cookie is live.
pub async fn current_staff(ctx: &Ctx, store: &Store) -> worker::Result<Option<Staff>> {
    match ctx.cookie(SESSION_COOKIE).filter(|t| t.len() == 22) {
        Some(token) => store.staff_for_session(&sha256_hex(token), ctx.now(), IDLE_MS).await,
        None => Ok(None),
    }
}

/// The workspace header for this person: the entries their role opens, one sign-out.
pub fn nav(
    staff: &Staff,
    current: &'static str,
    csrf: &str,
    q: &str,
) -> crate::web::agent::StaffNav {
    use crate::domain::stage::Role;
    crate::web::agent::StaffNav {
        name: staff.name.clone(),
        csrf: csrf.to_owned(),
        current,
        queues: !crate::domain::queue::Queue::for_role(staff.role).is_empty(),
        phone: may_take_calls(staff),
        admin: staff.role == Role::Admin,
        contacts: may_see_contacts(staff),
        q: q.to_owned(),
    }
}

/// Phone operators and admins register requests received by telephone.
pub fn may_take_calls(staff: &Staff) -> bool {
    use crate::domain::stage::Role;
    matches!(staff.role, Role::PhoneOperator | Role::Admin)
}

/// A focal point treats the request; the citizen's contact details are not theirs to see.
pub fn may_see_contacts(staff: &Staff) -> bool {
    staff.role != crate::domain::stage::Role::FocalPoint
}

/// Which staff may send a POST.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum May {
    /// Anyone signed in (what they may do to a request is the action table's to say).
    AnyStaff,
    /// Administrators only.
    Administer,
    /// Phone operators and administrators (`may_take_calls`).
    TakeCalls,
}

/// A staff POST, checked in one place before its handler does anything: the form read, signed in
/// (else to the sign-in page), in a role that may send it (else 403), with this browser's CSRF
/// token (else 403). A request's scope is checked next by the handlers that name one
/// (`visible_request`), through the same `Staff`.
pub struct StaffPost {
    pub staff: Staff,
    pub form: worker::FormData,
    pub store: Store,
}

impl StaffPost {
    pub async fn read(
        ctx: &Ctx,
        req: &mut worker::Request,
        may: May,
    ) -> Result<StaffPost, crate::app::http::error::Outcome> {
        use crate::app::http::error::AppError;
        let form = crate::app::http::form::read(req).await.map_err(Err)?;
        let store = Store::new(&ctx.env).map_err(|e| Err(e.into()))?.for_client(&ctx.client_ip);
        let Some(staff) = current_staff(ctx, &store).await.map_err(|e| Err(e.into()))? else {
            return Err(
                crate::app::http::respond::redirect("/agent/connexion").map_err(AppError::from)
            );
        };
        let allowed = match may {
            May::AnyStaff => true,
            May::Administer => staff.role == crate::domain::stage::Role::Admin,
            May::TakeCalls => may_take_calls(&staff),
        };
        if !allowed {
            return Err(Err(AppError::Forbidden));
        }
        if !crate::app::http::csrf::valid(ctx, &crate::app::http::form::field(&form, "csrf")) {
            return Err(Err(AppError::Forbidden));
        }
        Ok(StaffPost { staff, form, store })
    }
}
