//! What every channel does with a submission (web form, JSON API): read and check files, stage
//! them, validate fields against the domain and the store, rate-limit, and register with a fresh code.

use askama::Template;
use worker::{FormData, FormEntry};

use super::files::Files;
use super::store::{CreateOutcome, NewRequest, Store};
use super::{respond, Ctx};
use crate::domain::attachment::{self, CheckedFile, MAX_FILES, MAX_TOTAL_BYTES};
use crate::domain::code::RequestCode;
use crate::domain::submission::{Field, FieldErrors, PlaceChoice, Problem, RawSubmission, Submission};
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
pub fn check_files(uploads: &[Upload], already: &[StagedFile], errors: &mut FieldErrors) -> Vec<(CheckedFile, Vec<u8>)> {
    let mut ok = Vec::new();
    for upload in uploads {
        match attachment::check(&upload.name, &upload.bytes) {
            Ok(file) => ok.push((file, upload.bytes.clone())),
            Err(error) => errors.add(Field::Attachments, Problem::File { name: attachment::clean_name(&upload.name), error }),
        }
    }
    let count = already.len() + ok.len();
    let total: usize = already.iter().map(|f| f.size.max(0) as usize).sum::<usize>() + ok.iter().map(|(f, _)| f.size).sum::<usize>();
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
pub async fn put_files(files: &Files, checked: Vec<(CheckedFile, Vec<u8>)>) -> worker::Result<Vec<(String, CheckedFile)>> {
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

/// Stores files for a form not yet submitted: R2 first, then their rows; if the rows cannot be
/// written the objects are deleted again, so nothing is left that D1 does not know about.
pub async fn stage(store: &Store, files: &Files, form_key: &str, checked: Vec<(CheckedFile, Vec<u8>)>, now: i64) -> worker::Result<()> {
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

/// Domain validation, then the checks that need the store (body, theme and place exist and fit).
/// Some only when `errors` (with whatever the caller found before, e.g. attachments) is empty;
/// None always leaves at least one error saying why.
pub async fn validate(store: &Store, raw: &RawSubmission, errors: &mut FieldErrors) -> worker::Result<Option<Submission>> {
    match raw.parse() {
        Ok(submission) => {
            let refs = store.check_refs(&submission).await?;
            if !refs.body {
                errors.add(Field::Body, Problem::Unknown);
            }
            if !refs.theme {
                errors.add(Field::Theme, Problem::Unknown);
            }
            if !refs.place && matches!(submission.place, Some(PlaceChoice::Place(_))) {
                errors.add(Field::Place, Problem::Unknown);
            }
            Ok(errors.is_empty().then_some(submission))
        }
        // A refusal always names at least one field (`RawSubmission::parse` says why).
        Err(found) => {
            errors.merge(found);
            Ok(None)
        }
    }
}

/// Minutes until this client may submit again, when over the hourly limit (`SUBMIT_LIMIT_PER_HOUR`).
pub async fn rate_limited(ctx: &Ctx, store: &Store) -> worker::Result<Option<u32>> {
    const HOUR_MS: i64 = 3600 * 1000;
    let limit: i64 = ctx.var("SUBMIT_LIMIT_PER_HOUR").and_then(|v| v.parse().ok()).unwrap_or(20);
    let now = ctx.now();
    let window = now - now.rem_euclid(HOUR_MS);
    let hits = store.rate_limit_hit(&format!("submit:{}", ctx.client_ip), window).await?;
    if hits > limit {
        let minutes = ((window + HOUR_MS - now) as f64 / 60_000.0).ceil().max(1.0) as u32;
        return Ok(Some(minutes));
    }
    Ok(None)
}

pub fn rate_limited_page(ctx: &Ctx, minutes: u32) -> super::routes::Outcome {
    let mut response = respond::html(429, RateLimitedPage { c: ctx.chrome("submit"), minutes }.render()?)?;
    response.headers_mut().set("Retry-After", &(minutes * 60).to_string())?;
    Ok(response)
}

/// Registers the request under a fresh random code, drawing again on the rare collision.
/// Returns the code, or the existing request's when the same key was registered concurrently.
pub async fn register<'a>(env: &worker::Env, store: &Store, new: impl Fn(RequestCode) -> NewRequest<'a>) -> worker::Result<Registration> {
    let mut rng = rand::rng();
    for _ in 0..8 {
        let code = RequestCode::generate(&mut rng);
        let request = new(code);
        match store.create_request(&request).await? {
            CreateOutcome::Created => {
                // Committed: the confirmation mail and SMS leave now (or with the sweeper).
                super::notifier::enqueue_for_request(env, &code.to_string()).await;
                return Ok(Registration::Created(code));
            }
            CreateOutcome::CodeTaken => continue,
            CreateOutcome::DuplicateKey => {
                let existing = store
                    .request_by_key(request.key)
                    .await?
                    .ok_or_else(|| worker::Error::RustError("duplicate key without a request".into()))?;
                return Ok(Registration::Existing(existing.code));
            }
        }
    }
    Err(worker::Error::RustError("no free request code after 8 draws".into()))
}

pub enum Registration {
    Created(RequestCode),
    Existing(RequestCode),
}
