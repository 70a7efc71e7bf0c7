//! Files that come with a request: read from a form, checked by content and size, staged in R2
//! for a form not yet submitted (or put there once a submission is admitted), and the hourly cap
//! on what one client address (and one staff member) may stage.

use worker::{FormData, FormEntry};

use crate::app::http::files::Files;
use crate::app::store::Store;
use crate::app::Ctx;
use crate::domain::attachment::{self, CheckedFile, MAX_FILES, MAX_TOTAL_BYTES};
use crate::domain::rate_limit::{self, Window};
use crate::domain::submission::{Field, FieldErrors, Problem};
use crate::web::submit::StagedFile;

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

/// Every file of a form whatever its field's name (Open311 clients name them `media`, `photo1`,
/// `file_…`), in the order sent; the form comes back with them.
pub async fn read_all_files(form: FormData) -> worker::Result<(FormData, Vec<Upload>)> {
    use worker::wasm_bindgen::{JsCast, JsValue};
    let js: JsValue = form.into();
    let mut names: Vec<String> = Vec::new();
    if let Some(keys) =
        worker::js_sys::try_iter(&js.unchecked_ref::<worker::web_sys::FormData>().keys())
            .ok()
            .flatten()
    {
        for key in keys.flatten() {
            if let Some(name) = key.as_string().filter(|n| !names.contains(n)) {
                names.push(name);
            }
        }
    }
    let form = FormData::from(js);
    let mut uploads = Vec::new();
    for name in &names {
        uploads.extend(read_files(&form, name).await?);
    }
    Ok((form, uploads))
}

/// Checks each new file by content and size, then the count and total with the files already
/// attached. Problems go to `errors`; the files that passed come back ready to store.
pub fn check_files(
    uploads: &[Upload],
    already: &[StagedFile],
    errors: &mut FieldErrors,
) -> Vec<(CheckedFile, Vec<u8>)> {
    check_form_files(uploads, &[], already, errors)
}

/// `check_files` with the form's voice notes beside its attachments: each must be a recording
/// (its problems said next to its own field), and they count in the same limits.
pub fn check_form_files(
    uploads: &[Upload],
    voice: &[Upload],
    already: &[StagedFile],
    errors: &mut FieldErrors,
) -> Vec<(CheckedFile, Vec<u8>)> {
    let mut ok = Vec::new();
    let checks = uploads
        .iter()
        .map(|u| (u, Field::Attachments, attachment::check(&u.name, &u.bytes)))
        .chain(
            voice.iter().map(|u| (u, Field::VoiceNote, attachment::check_voice(&u.name, &u.bytes))),
        );
    for (upload, field, result) in checks {
        match result {
            Ok(file) => ok.push((file, upload.bytes.clone())),
            Err(error) => errors
                .add(field, Problem::File { name: attachment::clean_name(&upload.name), error }),
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

/// Puts files in R2 under fresh random keys. If any put fails, every key it tried — the failed one
/// too, which may have been written before its answer was lost — is deleted again.
pub async fn put_files(
    files: &Files,
    checked: &[(CheckedFile, Vec<u8>)],
) -> worker::Result<Vec<(String, CheckedFile)>> {
    let mut stored: Vec<(String, CheckedFile)> = Vec::new();
    for (file, bytes) in checked {
        let key = Files::new_key()?;
        if let Err(e) = files.put(&key, bytes.clone(), file.kind, &file.name).await {
            let mut tried: Vec<String> = stored.iter().map(|(k, _)| k.clone()).collect();
            tried.push(key);
            files.delete(&tried).await;
            return Err(e);
        }
        stored.push((key, file.clone()));
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
/// written the objects D1 does not know are deleted again (the orphaned-uploads sweep takes what
/// a lost answer leaves in doubt).
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
    let stored = put_files(files, &checked).await?;
    if let Err(e) = store.stage_files(form_key, &stored, now).await {
        // The rows may have been written although the answer was lost: only what D1 does not
        // know goes.
        let keys: Vec<String> = stored.into_iter().map(|(k, _)| k).collect();
        crate::app::intake::register::forget_unknown(store, files, &keys).await;
        return Err(e);
    }
    Ok(())
}
