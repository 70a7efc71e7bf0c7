//! R2: citizens' attachments, stored under random keys with the original name as metadata only.

use std::collections::HashMap;

use worker::{Bucket, Env, HttpMetadata, Result};

use super::crypto::random_token;
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
        Ok(format!("attachments/{}", random_token(24)?))
    }

    pub async fn put(&self, key: &str, bytes: Vec<u8>, kind: AttachmentKind, file_name: &str) -> Result<()> {
        let metadata = HttpMetadata { content_type: Some(kind.mime().to_owned()), ..Default::default() };
        self.bucket
            .put(key, bytes)
            .http_metadata(metadata)
            .custom_metadata(HashMap::from([("file_name".to_owned(), file_name.to_owned())]))
            .execute()
            .await?;
        Ok(())
    }

    /// Best effort: a key that cannot be deleted now is logged; the staging sweep retries later.
    pub async fn delete(&self, keys: &[String]) {
        if keys.is_empty() {
            return;
        }
        if let Err(e) = self.bucket.delete_multiple(keys.iter().map(String::as_str).collect()).await {
            worker::console_error!("r2 delete of {} objects failed: {e}", keys.len());
        }
    }
}
