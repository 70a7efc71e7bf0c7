//! The door's last steps: the caller's hourly allowance, files to R2 once admitted, and the
//! registering batch under a fresh code. Without files the allowance is counted inside that batch,
//! under a guard that undoes it whole when the count is over or the directory moved; with files
//! (which must reach R2 before the batch that records them) it is a round trip of its own first.

use super::checks::{recheck, Validated};
use super::files::put_files;
use super::{Caller, Outcome, Receipt};
use crate::app::http::files::Files;
use crate::app::store::{retrying, CreateOutcome, NewRequest, Origin, QuotaGuard, Store};
use crate::app::Ctx;
use crate::domain::attachment::CheckedFile;
use crate::domain::code::RequestCode;
use crate::domain::open311::PublicId;
use crate::domain::rate_limit::{self, Window};
use crate::domain::submission::FieldErrors;

/// The counter a caller's submissions count in (the client address, or the partner's key,
/// hashed) and its hourly limit; none for a phone operator.
fn allowance(ctx: &Ctx, caller: &Caller<'_>) -> Option<(String, i64)> {
    match caller {
        Caller::Citizen { .. } => Some((
            rate_limit::bucket("submit:client", &ctx.client),
            ctx.settings.submit_limit_per_hour,
        )),
        Caller::Partner(key) => Some((
            rate_limit::bucket("partner", &key.id.to_string()),
            ctx.settings.partner_limit_per_hour,
        )),
        // A handset on the USSD menu: its number, whatever gateway address it comes through.
        Caller::Handset { number, .. } => Some((
            rate_limit::bucket("submit:number", number),
            crate::domain::channel::limits::SUBMISSIONS_PER_HOUR,
        )),
        Caller::Operator(_) => None,
    }
}

/// Admits `validated` (the allowance), puts its files in R2 and registers it. Files that reached
/// R2 for a submission that was not registered are deleted again.
pub(super) async fn admit_and_register(
    ctx: &Ctx,
    store: &Store,
    caller: &Caller<'_>,
    validated: Validated,
    checked: Vec<(CheckedFile, Vec<u8>)>,
    origin: Origin<'_>,
) -> worker::Result<Outcome> {
    let counted = allowance(ctx, caller);
    let window = Window::hour(ctx.now());
    let mut errors = FieldErrors::default();
    let mut validated = validated;
    let mut in_batch = counted.as_ref();
    if !checked.is_empty() {
        // No byte reaches R2 for a submission the allowance refuses.
        if let Some((bucket, limit)) = &counted {
            let (hits, version) =
                retrying(|| store.rate_limit_hit_and_version(bucket, window.start)).await?;
            if hits > *limit {
                return Ok(Outcome::Limited(window.minutes_left(ctx.now())));
            }
            if version != validated.version {
                match recheck(store, validated, &mut errors).await? {
                    Some(fresh) => validated = fresh,
                    None => return Ok(Outcome::Refused(errors)),
                }
            }
        }
        in_batch = None;
    }
    let files = Files::new(&ctx.env)?;
    // A failed put takes back what it wrote (`put_files`), so trying again leaves nothing behind.
    let stored = retrying(|| put_files(&files, &checked)).await?;
    let origin = Origin { direct_files: &stored, ..origin };
    let outcome = register(ctx, store, in_batch, validated, &mut errors, &origin).await;
    if !matches!(outcome, Ok(Outcome::Created(_))) {
        // The batch may have been written although its answer was lost (and a retry then found
        // it registered): only what D1 does not know goes. If D1 cannot say, the objects stay for
        // the orphaned-uploads sweep, which takes them once they are a day old.
        let keys: Vec<String> = stored.iter().map(|(k, _)| k.clone()).collect();
        forget_unknown(store, &files, &keys).await;
    }
    outcome
}

/// Registers `validated`. With an allowance counted in the batch, a batch its guard undid is
/// either over the limit or behind a directory that moved (one read tells which); then the
/// directory is read again and the submission checked and registered anew.
async fn register(
    ctx: &Ctx,
    store: &Store,
    counted: Option<&(String, i64)>,
    validated: Validated,
    errors: &mut FieldErrors,
    origin: &Origin<'_>,
) -> worker::Result<Outcome> {
    let window = Window::hour(ctx.now());
    let mut validated = validated;
    // Each turn after the first follows a change of the directory during this very submission.
    for _ in 0..3 {
        let guard = counted.map(|(bucket, limit)| QuotaGuard {
            bucket,
            window_start: window.start,
            limit: *limit,
            version: validated.version,
        });
        if let Some(done) = draw(ctx, store, &validated, origin, guard).await? {
            return Ok(done);
        }
        let Some((bucket, limit)) = counted else {
            return Err(worker::Error::RustError(
                "a registration without an allowance refused by its guard".into(),
            ));
        };
        let (hits, version) =
            retrying(|| store.rate_limit_and_version(bucket, window.start)).await?;
        if hits >= *limit {
            return Ok(Outcome::Limited(window.minutes_left(ctx.now())));
        }
        if version == validated.version {
            return Err(worker::Error::RustError(
                "registration refused by its guard, within the allowance and the directory unchanged"
                    .into(),
            ));
        }
        match recheck(store, validated, errors).await? {
            Some(fresh) => validated = fresh,
            None => return Ok(Outcome::Refused(std::mem::take(errors))),
        }
    }
    Err(worker::Error::RustError(
        "the directory changed three times during one registration".into(),
    ))
}

/// One registration batch under fresh random codes, drawing again on the rare collision. None:
/// undone by the allowance's guard.
async fn draw(
    ctx: &Ctx,
    store: &Store,
    validated: &Validated,
    origin: &Origin<'_>,
    quota: Option<QuotaGuard<'_>>,
) -> worker::Result<Option<Outcome>> {
    let now = ctx.now();
    for _ in 0..8 {
        let (code, public_id) = (new_code()?, new_public_id()?);
        let request = NewRequest {
            submission: &validated.submission,
            body_name: &validated.body_name,
            channels: &validated.channels,
            deadline: validated.deadline(now),
            origin,
            code,
            public_id: &public_id,
            lang: origin.lang,
            now,
            recipient_limit: ctx.settings.confirmations_per_recipient_per_hour,
            quota,
        };
        // The batch is atomic and its key unique: a batch tried again after a lost answer finds
        // its own request (`DuplicateKey`) instead of making another.
        match retrying(|| store.create_request(&request)).await? {
            CreateOutcome::Created { withheld, outbox } => {
                for channel in withheld {
                    // Logged by public id: never the code, the number or the address.
                    let message = format!(
                        "request {} ({channel}): recipient over its hourly limit",
                        public_id.as_str()
                    );
                    crate::app::log::warn("confirmation_withheld", &message);
                }
                // Committed: the confirmations are put on the queue once the answer is on its way
                // (the sweeper re-sends whatever that misses).
                let env = ctx.env.clone();
                ctx.after_response(async move {
                    crate::app::delivery::notifier::enqueue(&env, &outbox).await
                });
                let s = &validated.submission;
                return Ok(Some(Outcome::Created(Receipt {
                    code,
                    public_id: public_id.as_str().to_owned(),
                    nature: s.nature,
                    body_id: s.body_id,
                    body_name: validated.body_name.clone(),
                    created_at: now,
                })));
            }
            CreateOutcome::CodeTaken => continue,
            CreateOutcome::DuplicateKey => {
                // A concurrent twin with the same key won the race: what it made.
                return match store.request_by_key(origin.key).await? {
                    Some(existing) => Ok(Some(super::replayed(store, existing).await?)),
                    None => Err(worker::Error::RustError("duplicate key without a request".into())),
                };
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

/// Deletes those of `keys` no attachment row knows; on any doubt, nothing.
pub(super) async fn forget_unknown(store: &Store, files: &Files, keys: &[String]) {
    if keys.is_empty() {
        return;
    }
    match store.unknown_keys(keys).await {
        Ok(unknown) => files.delete(&unknown).await,
        Err(e) => crate::app::log::error(
            "r2",
            &format!("{} objects left to the orphaned-uploads sweep: {e}", keys.len()),
        ),
    }
}
