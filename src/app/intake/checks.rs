//! What every channel does with a submission (web form, JSON API): read and check files, stage
//! them, validate fields against the domain and the store, rate-limit, and register with a fresh code.

use askama::Template;
use worker::{FormData, FormEntry};

use std::rc::Rc;

use crate::app::http::crypto::sha256_hex;
use crate::app::http::files::Files;
use crate::app::http::respond;
use crate::app::intake::directory::{self, Snapshot};
use crate::app::store::Store;
use crate::app::Ctx;
use crate::domain::attachment::{self, CheckedFile, MAX_FILES, MAX_TOTAL_BYTES};
use crate::domain::rate_limit::{self, Window};
use crate::domain::submission::{
    Field, FieldErrors, PlaceChoice, Problem, RawSubmission, Submission,
};
use crate::web::submit::{RateLimitedPage, StagedFile};

/// An uploaded file as received: the browser's name and the bytes.
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The files of a multipart field; the empty part browsers send when no file was chosen is skipped.
pub async fn read_files(form: &FormData, name: &str) -> worker::Result<Vec<Upload>> {
    let mut uploads = Vec::new();
    for entry in form.get_all(name).unwrap_or_default() {
        if let FormEntry::File(file) = entry {
            let name = file.name();
            if name.is_empty() && file.size() == 0 {
                continue;
            }
            uploads.push(Upload { name, bytes: file.bytes().await? });
        }
    }
    Ok(uploads)
}

/// Checks each new file by content and size, then the count and total with the files already
/// attached. Problems go to `errors`; the files that passed come back ready to store.
pub fn check_files(
    uploads: &[Upload],
    already: &[StagedFile],
    errors: &mut FieldErrors,
) -> Vec<(CheckedFile, Vec<u8>)> {
    let mut ok = Vec::new();
    for upload in uploads {
        match attachment::check(&upload.name, &upload.bytes) {
            Ok(file) => ok.push((file, upload.bytes.clone())),
            Err(error) => errors.add(
                Field::Attachments,
                Problem::File { name: attachment::clean_name(&upload.name), error },
            ),
        }
    }
    let count = already.len() + ok.len();
    let total: usize = already.iter().map(|f| f.size.max(0) as usize).sum::<usize>()
        + ok.iter().map(|(f, _)| f.size).sum::<usize>();
    if count > MAX_FILES {
        errors.add(Field::Attachments, Problem::TooManyFiles { max: MAX_FILES });
        return Vec::new();
    }
    if total > MAX_TOTAL_BYTES {
        errors.add(Field::Attachments, Problem::TotalTooLarge { max_bytes: MAX_TOTAL_BYTES });
        return Vec::new();
    }
    ok
}

/// Puts files in R2 under fresh random keys. If any put fails, the ones already written are deleted.
pub async fn put_files(
    files: &Files,
    checked: Vec<(CheckedFile, Vec<u8>)>,
) -> worker::Result<Vec<(String, CheckedFile)>> {
    let mut stored: Vec<(String, CheckedFile)> = Vec::new();
    for (file, bytes) in checked {
        let key = Files::new_key()?;
        if let Err(e) = files.put(&key, bytes, file.kind, &file.name).await {
            files.delete(&stored.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>()).await;
            return Err(e);
        }
        stored.push((key, file));
    }
    Ok(stored)
}

/// Bytes of attachments one client address may stage per hour (`STAGING_BYTES_PER_HOUR`,
/// default 50 MB), and one staff member too when `staff` is given (staff answers): counted
/// before anything is written; over either, the minutes to wait.
pub async fn staging_over_cap(
    ctx: &Ctx,
    store: &Store,
    checked: &[(CheckedFile, Vec<u8>)],
    staff: Option<i64>,
) -> worker::Result<Option<u32>> {
    let bytes: i64 = checked.iter().map(|(f, _)| f.size as i64).sum();
    if bytes == 0 {
        return Ok(None);
    }
    let cap = ctx.settings.staging_bytes_per_hour;
    let window = Window::hour(ctx.now());
    let mut buckets = vec![rate_limit::bucket("stage:client", &ctx.client)];
    if let Some(id) = staff {
        buckets.push(rate_limit::bucket("stage:staff", &id.to_string()));
    }
    let mut over = false;
    for bucket in &buckets {
        over |= store.rate_limit_add(bucket, window.start, bytes).await? > cap;
    }
    Ok(over.then(|| window.minutes_left(ctx.now())))
}

/// Stores files for a form not yet submitted: R2 first, then their rows; if the rows cannot be
/// written the objects are deleted again, so nothing is left that D1 does not know about.
pub async fn stage(
    store: &Store,
    files: &Files,
    form_key: &str,
    checked: Vec<(CheckedFile, Vec<u8>)>,
    now: i64,
) -> worker::Result<()> {
    if checked.is_empty() {
        return Ok(());
    }
    let stored = put_files(files, checked).await?;
    if let Err(e) = store.stage_files(form_key, &stored, now).await {
        files.delete(&stored.into_iter().map(|(k, _)| k).collect::<Vec<_>>()).await;
        return Err(e);
    }
    Ok(())
}

/// A submission that passed every check, with what registering it needs from the directory.
pub struct Validated {
    pub submission: Submission,
    pub body_name: String,
    pub channels: Vec<&'static str>,
    /// The directory version it was checked against.
    pub version: i64,
    snapshot: Rc<Snapshot>,
}

impl Validated {
    /// When the analyst's step is due, for a request registered at `now`.
    pub fn deadline(&self, now: i64) -> Option<crate::domain::deadline::Deadline> {
        self.snapshot.index.triage_deadline(self.submission.body_id, now)
    }
}

/// Domain validation, then the references (body, theme, place) against the directory this
/// isolate keeps in memory (read from D1 only on first use). Some only when `errors` (with
/// whatever the caller found before, e.g. attachments) is empty; None leaves at least one error.
pub async fn validate(
    store: &Store,
    raw: &RawSubmission,
    errors: &mut FieldErrors,
) -> worker::Result<Option<Validated>> {
    let submission = match raw.parse() {
        Ok(submission) => submission,
        // A refusal always names at least one field (`RawSubmission::parse` says why).
        Err(found) => {
            errors.merge(found);
            return Ok(None);
        }
    };
    let mut snapshot = directory::current(store).await?;
    if !fits(&snapshot, &submission) && store.directory_version().await? != snapshot.version {
        // An id this isolate does not know may be new: read the directory again before refusing.
        snapshot = directory::reload(store).await?;
    }
    Ok(check_refs(&snapshot, submission, errors))
}

fn fits(snapshot: &Snapshot, s: &Submission) -> bool {
    let refs = snapshot.index.check(s.body_id, s.theme_id, place_of(s));
    refs.body && refs.theme && refs.place
}

fn place_of(s: &Submission) -> Option<i64> {
    match s.place {
        Some(PlaceChoice::Place(id)) => Some(id),
        _ => None,
    }
}

/// The references against a directory snapshot; Some only when `errors` is empty.
fn check_refs(
    snapshot: &Rc<Snapshot>,
    submission: Submission,
    errors: &mut FieldErrors,
) -> Option<Validated> {
    let refs = snapshot.index.check(submission.body_id, submission.theme_id, place_of(&submission));
    if !refs.body {
        errors.add(Field::Body, Problem::Unknown);
    }
    if !refs.theme {
        errors.add(Field::Theme, Problem::Unknown);
    }
    if !refs.place {
        errors.add(Field::Place, Problem::Unknown);
    }
    if !errors.is_empty() {
        return None;
    }
    let body_name = snapshot.index.body_name(submission.body_id)?.to_owned();
    Some(Validated {
        submission,
        body_name,
        channels: snapshot.index.channels.clone(),
        version: snapshot.version,
        snapshot: snapshot.clone(),
    })
}

/// Whose hourly allowance a submission counts against.
pub enum Quota {
    /// The client address (`SUBMIT_LIMIT_PER_HOUR`).
    Client,
    /// A partner key (`OPEN311_LIMIT_PER_HOUR`, for Open311 and the JSON API together).
    Partner(i64),
}

pub enum Admission {
    Admitted(Validated),
    /// Over the allowance: the minutes to wait.
    Limited(u32),
    /// The directory changed meanwhile and the submission no longer fits it (`errors` says why).
    Invalid,
}

/// The last check before storage, in a round trip of its own (a submission whose files must
/// reach R2 first): the hourly allowance, counted atomically in the same round trip as the
/// directory's version stamp is read. When the stamp moved since validation, the directory is
/// read again and the submission validated again. Without files, `crate::app::intake::register::register`
/// counts inside the registering batch instead.
pub async fn admit(
    ctx: &Ctx,
    store: &Store,
    quota: Quota,
    validated: Validated,
    errors: &mut FieldErrors,
) -> worker::Result<Admission> {
    let (bucket, limit) = allowance(ctx, quota);
    let window = Window::hour(ctx.now());
    let (hits, version) = store.rate_limit_hit_and_version(&bucket, window.start).await?;
    if hits > limit {
        return Ok(Admission::Limited(window.minutes_left(ctx.now())));
    }
    if version == validated.version {
        return Ok(Admission::Admitted(validated));
    }
    Ok(match recheck(store, validated, errors).await? {
        Some(fresh) => Admission::Admitted(fresh),
        None => Admission::Invalid,
    })
}

/// The counter a quota counts in (its bucket: the client address or the key, hashed) and its
/// hourly limit.
pub fn allowance(ctx: &Ctx, quota: Quota) -> (String, i64) {
    match quota {
        Quota::Client => {
            (rate_limit::bucket("submit:client", &ctx.client), ctx.settings.submit_limit_per_hour)
        }
        Quota::Partner(key_id) => (
            rate_limit::bucket("partner", &key_id.to_string()),
            ctx.settings.partner_limit_per_hour,
        ),
    }
}

/// The directory moved since `validated` was checked: read it again and check the references anew.
pub async fn recheck(
    store: &Store,
    validated: Validated,
    errors: &mut FieldErrors,
) -> worker::Result<Option<Validated>> {
    let snapshot = directory::reload(store).await?;
    Ok(check_refs(&snapshot, validated.submission, errors))
}

/// Confirmations one phone number or address may receive per hour, whatever the channel
/// (`CONFIRMATIONS_PER_RECIPIENT_PER_HOUR`, default 3): every SMS costs money.
pub fn recipient_limit(ctx: &Ctx) -> i64 {
    ctx.settings.confirmations_per_recipient_per_hour
}

pub fn rate_limited_page(ctx: &Ctx, minutes: u32) -> crate::app::http::error::Outcome {
    let mut response =
        respond::html(429, RateLimitedPage { c: ctx.chrome("submit"), minutes }.render()?)?;
    response.headers_mut().set("Retry-After", &(minutes * 60).to_string())?;
    Ok(response)
}

/// The hash an API idempotency key is bound to: every text field and every file (name and
/// content), so a replay is recognised only for the very same submission.
pub fn payload_hash(raw: &RawSubmission, uploads: &[Upload]) -> String {
    let mut canonical = String::new();
    for value in [
        &raw.body,
        &raw.nature,
        &raw.place,
        &raw.abroad_country,
        &raw.abroad_city,
        &raw.theme,
        &raw.message,
        &raw.last_name,
        &raw.first_names,
        &raw.country,
        &raw.phone,
        &raw.email,
    ] {
        canonical.push_str(value);
        canonical.push('\u{0}');
    }
    canonical.push_str(if raw.terms { "1" } else { "0" });
    for upload in uploads {
        canonical.push('\u{0}');
        canonical.push_str(&upload.name);
        canonical.push('\u{0}');
        canonical.push_str(&sha256_bytes_hex(&upload.bytes));
    }
    sha256_hex(&canonical)
}

fn sha256_bytes_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// A caller's idempotency key as stored: scoped to the caller (a partner key, or the client
/// address) and hashed, so one caller's key never finds another's request and no raw header is kept.
pub fn scoped_key(channel: &str, scope: &str, key: &str) -> String {
    format!("{channel}:{}", sha256_hex(&format!("{scope}\n{key}")))
}
