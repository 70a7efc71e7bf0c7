//! R2: citizens' attachments, stored under random keys with the original name as metadata only.

use std::collections::HashMap;

use worker::{Bucket, Env, HttpMetadata, Response, Result};

use crate::app::http::crypto::random_token;
use crate::app::http::error::Outcome;
use crate::app::store::Store;
use crate::app::AppError;
use crate::app::Ctx;
use crate::domain::attachment::AttachmentKind;

pub struct Files {
    bucket: Bucket,
}

impl Files {
    pub fn new(env: &Env) -> Result<Files> {
        Ok(Files { bucket: env.bucket("FILES")? })
    }

    /// A fresh object key: never derived from the citizen's file name.
    pub fn new_key() -> Result<String> {
        Ok(format!("{}{}", Self::UPLOADS, random_token(24)?))
    }

    pub async fn put(
        &self,
        key: &str,
        bytes: Vec<u8>,
        kind: AttachmentKind,
        file_name: &str,
    ) -> Result<()> {
        let metadata =
            HttpMetadata { content_type: Some(kind.mime().to_owned()), ..Default::default() };
        let custom = HashMap::from([("file_name".to_owned(), file_name.to_owned())]);
        r2(|| async {
            let put = self.bucket.put(key, bytes).http_metadata(metadata).custom_metadata(custom);
            put.execute().await.map(|_| ())
        })
        .await
    }

    pub async fn get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        match r2(|| self.bucket.get(key).execute()).await? {
            Some(object) => match object.body() {
                Some(body) => Ok(Some(body.bytes().await?)),
                None => Ok(None),
            },
            None => Ok(None),
        }
    }

    /// The size of an object, or None when there is none.
    pub async fn size(&self, key: &str) -> Result<Option<u64>> {
        Ok(r2(|| self.bucket.head(key)).await?.map(|o| o.size()))
    }

    /// An object's bytes, or `(offset, length)` of them.
    pub async fn read(&self, key: &str, range: Option<(u64, u64)>) -> Result<Option<Vec<u8>>> {
        let mut get = self.bucket.get(key);
        if let Some((offset, length)) = range {
            get = get.range(worker::Range::OffsetWithLength { offset, length });
        }
        match r2(|| get.execute()).await? {
            Some(object) => match object.body() {
                Some(body) => Ok(Some(body.bytes().await?)),
                None => Ok(None),
            },
            None => Ok(None),
        }
    }

    /// Best effort, for clean-ups on an error path: a failure is logged, not raised.
    /// One page of the keys under `prefix` (at most `limit`), from `cursor` («» for the first),
    /// each with when it was uploaded (ms); and the cursor of the next page, if there is one.
    pub async fn list_page(
        &self,
        prefix: &str,
        cursor: &str,
        limit: u32,
    ) -> Result<(Vec<(String, i64)>, Option<String>)> {
        let listed = r2(|| {
            let list = self.bucket.list().prefix(prefix).limit(limit);
            let list = if cursor.is_empty() { list } else { list.cursor(cursor) };
            list.execute()
        })
        .await?;
        let keys = listed
            .objects()
            .into_iter()
            .map(|o| (o.key(), o.uploaded().as_millis() as i64))
            .collect();
        Ok((keys, if listed.truncated() { listed.cursor() } else { None }))
    }

    /// The prefix of every citizen's and staff member's file (`new_key`).
    pub const UPLOADS: &'static str = "attachments/";

    pub async fn delete(&self, keys: &[String]) {
        if let Err(e) = self.try_delete(keys).await {
            crate::app::log::error(
                "r2",
                &format!("r2 delete of {} objects failed: {e}", keys.len()),
            );
        }
    }

    pub async fn try_delete(&self, keys: &[String]) -> Result<()> {
        if keys.is_empty() {
            return Ok(());
        }
        r2(|| self.bucket.delete_multiple(keys.iter().map(String::as_str).collect())).await
    }
}

/// One R2 operation: counted against its invocation's subrequests and, in development with
/// `FAULT_R2_RATE`, failed before or after it takes effect.
async fn r2<T, F, Fut>(operation: F) -> Result<T>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<T>>,
{
    crate::app::meter::subrequest();
    match crate::app::meter::r2_fault() {
        None => operation().await,
        Some(false) => Err(crate::app::meter::injected("R2")),
        Some(true) => {
            let _ = operation().await;
            Err(crate::app::meter::injected("R2"))
        }
    }
}

/// One attachment of a request, for someone already allowed to see the request: downloaded,
/// never rendered (attachment disposition, its own type, nosniff, a sandboxing CSP).
pub async fn serve_attachment(ctx: &Ctx, store: &Store, request_id: i64, id: &str) -> Outcome {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let file = store
        .request_files(request_id)
        .await?
        .into_iter()
        .find(|f| f.id == id)
        .ok_or(AppError::NotFound)?;
    let kind = crate::domain::attachment::AttachmentKind::parse_slug(&file.kind)
        .ok_or(AppError::NotFound)?;
    let bytes = Files::new(&ctx.env)?.get(&file.r2_key).await?.ok_or(AppError::NotFound)?;
    let mut response = Response::from_bytes(bytes)?;
    let headers = response.headers_mut();
    headers.set("Content-Type", kind.mime())?;
    headers.set("Content-Disposition", &content_disposition(&file.file_name))?;
    headers.set("Cache-Control", "private, no-store")?;
    headers.set("Content-Security-Policy", "default-src 'none'; sandbox")?;
    Ok(response)
}

/// `attachment; filename="ascii"; filename*=UTF-8''percent-encoded` (RFC 6266).
fn content_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| if c.is_ascii_graphic() || c == ' ' { c } else { '_' })
        .filter(|c| *c != '"' && *c != '\\')
        .collect();
    let encoded: String =
        form_urlencoded::byte_serialize(name.as_bytes()).collect::<String>().replace('+', "%20");
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}
