//! The one door every way in goes through. The web form, the phone operator's form, the JSON API
//! and Open311 (and the channels to come) are adapters: each parses its input into an [`Intake`],
//! calls [`submit`] and renders the [`Outcome`]. The order of the checks is decided here, once:
//!
//! 1. a replay of the same key finds what it made (the same key with another payload is refused);
//! 2. validation: the fields, the files by content, the directory's bodies, themes and places;
//! 3. the human check (citizens, when Turnstile is on);
//! 4. the caller's hourly allowance — inside the registering batch, or, when files must reach R2
//!    first, in a round trip of its own before them;
//! 5. files to R2, only once admitted;
//! 6. the registering batch: the request, its files, its history, the staff alerts, and each
//!    confirmation within its recipient's hourly limit.
//!
//! Nothing reaches D1 or R2 for a submission refused at steps 1 to 4.

pub mod checks;
pub mod directory;
pub mod files;
pub mod form_flow;
mod register;

use crate::app::http::crypto::random_token;
use crate::app::http::turnstile;
use crate::app::store::{retrying, ApiKey, Origin, Registered, Store};
use crate::app::Ctx;
use crate::domain::code::RequestCode;
use crate::domain::geo::Position;
use crate::domain::idempotency::{payload_digest, IdempotencyKey};
use crate::domain::nature::Nature;
use crate::domain::staff::Staff;
use crate::domain::stage::{Channel, Role};
use crate::domain::submission::{Field, FieldErrors, Problem, RawSubmission};
pub use files::Upload;

/// Who submits: it decides the human check, whose hourly allowance counts, and who the first
/// history row names.
pub enum Caller<'a> {
    /// A citizen on the portal, or on the JSON API without a partner key: the client address's
    /// allowance, and the human check (its token, as the form or the call sent it).
    Citizen { human_check: &'a str },
    /// A partner's key (JSON API, Open311): the key's allowance.
    Partner(&'a ApiKey),
    /// A phone operator entering a caller's request: no allowance, no human check.
    Operator(&'a Staff),
    /// A handset on the USSD menu, known by the number its operator hands over (E.164): that
    /// number's allowance, no human check (the operator vouches for the handset); its messages
    /// in the language chosen on the menu.
    Handset { number: &'a str, lang: crate::domain::lang::Lang },
}

/// The files that come with it.
pub enum Attached<'a> {
    /// Staged under the form's key as the citizen attached them (the web and phone forms).
    Staged,
    /// Sent with the call itself: checked here, put in R2 only once admitted.
    Uploaded(&'a [Upload]),
}

/// What makes a repeat of the same submission find the request it made.
pub enum Key<'a> {
    /// The form's own key (it is also the staged files' key).
    Form(&'a str),
    /// A caller's `Idempotency-Key`: scoped to the caller, bound to the payload.
    Caller(&'a IdempotencyKey),
    /// None: every call is new.
    Fresh,
}

pub struct Intake<'a> {
    pub raw: &'a RawSubmission,
    pub files: Attached<'a>,
    pub channel: Channel,
    pub caller: Caller<'a>,
    pub key: Key<'a>,
    /// Where a partner says the problem is (Open311 `lat`/`long`, `address_string`), for staff.
    pub position: Option<Position>,
    pub address: Option<&'a str>,
    /// The first history row's note (the caller's consent, the partner's name).
    pub note: Option<&'a str>,
    /// Links the caller sent with it (Open311 `media_url`), kept with the request.
    pub links: &'a [String],
    /// Whatever else the caller sent that a replay must repeat exactly (Open311's media links
    /// and position), part of the payload a caller's key is bound to.
    pub extra: &'a str,
}

/// A registered request, as the adapters answer it.
pub struct Receipt {
    pub code: RequestCode,
    /// The Open311 id.
    pub public_id: String,
    pub nature: Nature,
    pub body_id: i64,
    pub body_name: String,
    pub created_at: i64,
}

pub enum Outcome {
    Created(Receipt),
    /// The same key came before with the same payload: what it made.
    Replayed(Receipt),
    /// Nothing stored; each field says why (the human check and a reused key are fields too).
    Refused(FieldErrors),
    /// Over the caller's hourly allowance: the minutes to wait. Nothing stored.
    Limited(u32),
}

/// The door: every check in order, then the one registering batch.
pub async fn submit(ctx: &Ctx, store: &Store, intake: &Intake<'_>) -> worker::Result<Outcome> {
    let (key, payload) = stored_key(ctx, intake)?;
    if !matches!(intake.key, Key::Fresh) {
        if let Some(existing) = retrying(|| store.request_by_key(&key)).await? {
            if payload.is_some() && existing.payload_hash != payload {
                return Ok(refused(Field::IdempotencyKey, Problem::Unknown));
            }
            return replayed(store, existing).await;
        }
    }
    let mut errors = FieldErrors::default();
    let checked = match intake.files {
        Attached::Uploaded(uploads) => files::check_files(uploads, &[], &mut errors),
        Attached::Staged => Vec::new(),
    };
    // The directory is read once per isolate; a passing failure of that read is tried again.
    let (validated, errors) = retrying(|| async {
        let mut found = errors.clone();
        let checked = checks::validate(store, intake.raw, &mut found).await?;
        Ok((checked, found))
    })
    .await?;
    // Some only when nothing was found wrong, the files included.
    let Some(validated) = validated else {
        return Ok(Outcome::Refused(errors));
    };
    if let Caller::Citizen { human_check } = intake.caller {
        if !turnstile::verify(ctx, human_check).await {
            return Ok(refused(Field::HumanCheck, Problem::Required));
        }
    }
    let (actor_role, actor_id) = match intake.caller {
        Caller::Operator(staff) => (staff.role, Some(staff.id)),
        Caller::Citizen { .. } | Caller::Partner(_) | Caller::Handset { .. } => {
            (Role::Citizen, None)
        }
    };
    let origin = Origin {
        key: &key,
        channel: intake.channel,
        actor_role,
        actor_id,
        note: intake.note,
        payload_hash: payload.as_deref(),
        position: intake.position,
        address: intake.address,
        direct_files: &[],
        api_key_id: match intake.caller {
            Caller::Partner(key) => Some(key.id),
            Caller::Citizen { .. } | Caller::Operator(_) | Caller::Handset { .. } => None,
        },
        links: intake.links,
        lang: match intake.caller {
            Caller::Handset { lang, .. } => lang,
            _ => ctx.lang,
        },
    };
    register::admit_and_register(ctx, store, &intake.caller, validated, checked, origin).await
}

/// The key stored with the request, and the payload digest a caller's key is bound to.
fn stored_key(ctx: &Ctx, intake: &Intake<'_>) -> worker::Result<(String, Option<String>)> {
    let channel = intake.channel.slug();
    Ok(match intake.key {
        Key::Form(form_key) => (form_key.to_owned(), None),
        Key::Fresh => (format!("{channel}:{}", random_token(16)?), None),
        Key::Caller(key) => {
            let scope = match intake.caller {
                Caller::Partner(k) => format!("key:{}", k.id),
                Caller::Citizen { .. } => format!("client:{}", ctx.client),
                Caller::Operator(s) => format!("staff:{}", s.id),
                Caller::Handset { number, .. } => format!("number:{number}"),
            };
            let files: Vec<(&str, &[u8])> = match intake.files {
                Attached::Uploaded(u) => {
                    u.iter().map(|f| (f.name.as_str(), &f.bytes[..])).collect()
                }
                Attached::Staged => Vec::new(),
            };
            (key.scoped(channel, &scope), Some(payload_digest(intake.raw, files, intake.extra)))
        }
    })
}

fn refused(field: Field, problem: Problem) -> Outcome {
    let mut errors = FieldErrors::default();
    errors.add(field, problem);
    Outcome::Refused(errors)
}

/// What an earlier submission with the same key made.
async fn replayed(store: &Store, existing: Registered) -> worker::Result<Outcome> {
    let summary = store
        .request_summary(existing.code)
        .await?
        .ok_or_else(|| worker::Error::RustError("a replayed key without its request".into()))?;
    Ok(Outcome::Replayed(Receipt {
        code: existing.code,
        public_id: existing.public_id,
        nature: summary.nature,
        body_id: summary.body_id,
        body_name: summary.body_name,
        created_at: summary.created_at,
    }))
}
