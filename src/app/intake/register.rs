//! Registering a checked submission under a fresh code: one D1 batch with its files, history,
//! staff alerts and notifications — and, for citizens and partners, its count against the hourly
//! allowance, so a submission is one round trip. A leaf module: the form, the JSON API and
//! Open311 use it, none through another.

use crate::app::intake::checks::{allowance, recheck, Quota, Validated};
use crate::app::store::{CreateOutcome, NewRequest, QuotaGuard, Store};
use crate::app::Ctx;
use crate::domain::attachment::CheckedFile;
use crate::domain::code::RequestCode;
use crate::domain::geo::Position;
use crate::domain::open311::PublicId;
use crate::domain::rate_limit::Window;
use crate::domain::stage::Channel;
use crate::domain::submission::FieldErrors;

/// What the channel knows of a submission besides its checked fields.
pub struct Meta<'a> {
    /// Form key (web) or scoped idempotency key: a replay finds the request instead of making another.
    pub key: &'a str,
    pub channel: Channel,
    /// Who entered it: the citizen, or a phone operator (with the caller's consent noted).
    pub actor_role: &'a str,
    pub actor_id: Option<i64>,
    pub note: Option<&'a str>,
    /// Files already in R2 that were not staged (API): (R2 key, file).
    pub direct_files: &'a [(String, CheckedFile)],
    pub payload_hash: Option<&'a str>,
    pub position: Option<Position>,
    pub address: Option<&'a str>,
}

impl Meta<'_> {
    /// A submission without files, position or payload hash (the web form's).
    pub fn plain<'a>(
        key: &'a str,
        channel: Channel,
        actor_role: &'a str,
        actor_id: Option<i64>,
        note: Option<&'a str>,
    ) -> Meta<'a> {
        Meta {
            key,
            channel,
            actor_role,
            actor_id,
            note,
            direct_files: &[],
            payload_hash: None,
            position: None,
            address: None,
        }
    }
}

pub enum Registered {
    /// The request's code and Open311 id, and its body's name as registered.
    Created { code: RequestCode, public_id: PublicId, body_name: String },
    /// The same key was registered before (a replay, or a concurrent twin): its code and Open311 id.
    Existing(RequestCode, String),
    /// Over the hourly allowance: the minutes to wait. Nothing was stored.
    Limited(u32),
    /// The directory changed meanwhile and the submission no longer fits it (`errors` says why).
    Invalid,
}

/// Registers `validated`. With a quota, the batch first counts the submission and then checks,
/// inside the same transaction, that the count is within the allowance and the directory still
/// has the version the submission was checked against; otherwise the whole batch is undone
/// (nothing stored, the count taken back). A directory that moved is read again and the
/// submission checked and registered anew.
pub async fn register(
    ctx: &Ctx,
    store: &Store,
    quota: Option<Quota>,
    validated: Validated,
    errors: &mut FieldErrors,
    meta: &Meta<'_>,
) -> worker::Result<Registered> {
    let counted = quota.map(|q| allowance(ctx, q));
    let window = Window::hour(ctx.now());
    let mut validated = validated;
    // Each turn after the first follows a change of the directory during this very submission.
    for _ in 0..3 {
        let guard = counted.as_ref().map(|(bucket, limit)| QuotaGuard {
            bucket,
            window_start: window.start,
            limit: *limit,
            version: validated.version,
        });
        if let Some(done) = draw(ctx, store, &validated, meta, guard).await? {
            return Ok(done);
        }
        let Some((bucket, limit)) = &counted else {
            return Err(worker::Error::RustError(
                "a registration without a quota refused by its guard".into(),
            ));
        };
        // Refused by the guard: over the allowance, or the directory moved (one read tells which).
        let (hits, version) = store.rate_limit_and_version(bucket, window.start).await?;
        if hits >= *limit {
            return Ok(Registered::Limited(window.minutes_left(ctx.now())));
        }
        if version == validated.version {
            return Err(worker::Error::RustError("registration refused by its guard, within the allowance and the directory unchanged".into()));
        }
        match recheck(store, validated, errors).await? {
            Some(fresh) => validated = fresh,
            None => return Ok(Registered::Invalid),
        }
    }
    Err(worker::Error::RustError(
        "the directory changed three times during one registration".into(),
    ))
}

/// One registration attempt under fresh random codes, drawing again on the rare collision. None:
/// refused by the quota's guard.
async fn draw(
    ctx: &Ctx,
    store: &Store,
    validated: &Validated,
    meta: &Meta<'_>,
    quota: Option<QuotaGuard<'_>>,
) -> worker::Result<Option<Registered>> {
    let now = ctx.now();
    for _ in 0..8 {
        let code = new_code()?;
        let public_id = new_public_id()?;
        let request = NewRequest {
            submission: &validated.submission,
            code,
            public_id: public_id.clone(),
            key: meta.key,
            channel: meta.channel,
            actor_role: meta.actor_role,
            actor_id: meta.actor_id,
            note: meta.note,
            lang: ctx.lang,
            now,
            body_name: &validated.body_name,
            direct_files: meta.direct_files,
            channels: &validated.channels,
            payload_hash: meta.payload_hash,
            recipient_limit: crate::app::intake::checks::recipient_limit(ctx),
            deadline: validated.deadline(now),
            position: meta.position,
            address: meta.address,
            quota,
        };
        match store.create_request(&request).await? {
            CreateOutcome::Created { withheld, outbox } => {
                for channel in withheld {
                    // The refusal is logged by public id: never the code, the number or the address.
                    let message = format!(
                        "request {} ({channel}): recipient over its hourly limit",
                        public_id.as_str()
                    );
                    crate::app::log::warn("confirmation_withheld", &message);
                }
                // Committed: the confirmation mail and SMS are put on the queue once the answer
                // is on its way (the sweeper re-sends whatever that misses).
                let env = ctx.env.clone();
                ctx.after_response(async move {
                    crate::app::delivery::notifier::enqueue(&env, &outbox).await
                });
                return Ok(Some(Registered::Created {
                    code,
                    public_id,
                    body_name: validated.body_name.clone(),
                }));
            }
            CreateOutcome::CodeTaken => continue,
            CreateOutcome::DuplicateKey => {
                let existing = store.request_by_key(meta.key).await?.ok_or_else(|| {
                    worker::Error::RustError("duplicate key without a request".into())
                })?;
                return Ok(Some(Registered::Existing(existing.code, existing.public_id)));
            }
            CreateOutcome::Refused => return Ok(None),
        }
    }
    Err(worker::Error::RustError("no free request code after 8 draws".into()))
}

/// A fresh request code from the platform's cryptographic source (Web Crypto).
fn new_code() -> worker::Result<RequestCode> {
    loop {
        let mut bytes = [0u8; 4];
        getrandom::fill(&mut bytes)
            .map_err(|e| worker::Error::RustError(format!("getrandom: {e}")))?;
        if let Some(code) = RequestCode::from_random(u32::from_le_bytes(bytes)) {
            return Ok(code);
        }
    }
}

/// A fresh Open311 id.
fn new_public_id() -> worker::Result<PublicId> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|e| worker::Error::RustError(format!("getrandom: {e}")))?;
    Ok(PublicId::from_bytes(bytes))
}
