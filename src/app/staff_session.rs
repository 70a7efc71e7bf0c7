//! The staff session: the `__Host-agent` cookie of a signed-in staff member, checked on every
//! back-office route. A leaf module: the back office and the administration both use it.

use super::crypto::sha256_hex;
use super::store::Store;
use super::Ctx;
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
