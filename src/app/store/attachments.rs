//! Attachments: files staged with a form not yet submitted, and their clean-up.

use serde::Deserialize;
use worker::Result;

use super::Stmt;

use super::*;
use crate::domain::attachment::{AttachmentKind, CheckedFile};
use crate::domain::code::RequestCode;
use crate::domain::directory::StagedFile;

impl Store {
    /// Which of these R2 keys no attachment row (of a request, or staged with a form) knows.
    pub async fn unknown_keys(&self, keys: &[String]) -> Result<Vec<String>> {
        #[derive(Deserialize)]
        struct Row {
            key: String,
        }
        let rows = self
            .db
            .prepare(
                "SELECT j.value AS key FROM json_each(?1) j
                 WHERE NOT EXISTS (SELECT 1 FROM attachments a WHERE a.r2_key = j.value)",
            )
            .bind(&[json_array(keys)])?
            .all()
            .await?
            .results::<Row>()?;
        Ok(rows.into_iter().map(|r| r.key).collect())
    }

    /// The media links a partner sent with a request, in order.
    pub async fn request_links(&self, request_id: i64) -> Result<Vec<String>> {
        #[derive(serde::Deserialize)]
        struct Row {
            url: String,
        }
        let rows = self
            .db
            .prepare("SELECT url FROM request_links WHERE request_id = ?1 ORDER BY position")
            .bind(&[int(request_id)])?
            .all()
            .await?
            .results::<Row>()?;
        Ok(rows.into_iter().map(|r| r.url).collect())
    }

    /// Files uploaded with a form that has not become a request yet.
    pub async fn staged_files(&self, form_key: &str) -> Result<Vec<StagedFile>> {
        #[derive(Deserialize)]
        struct Row {
            id: i64,
            file_name: String,
            size: i64,
            kind: String,
        }
        let rows = self
            .db
            .prepare("SELECT id, file_name, size, kind FROM attachments WHERE form_key = ?1 AND request_id IS NULL ORDER BY id")
            .bind(&[text(form_key)])?
            .all()
            .await?
            .results::<Row>()?;
        Ok(rows
            .into_iter()
            .map(|r| StagedFile {
                id: r.id,
                name: r.file_name,
                size: r.size,
                audio: AttachmentKind::parse_slug(&r.kind).is_some_and(AttachmentKind::is_audio),
            })
            .collect())
    }

    /// Records files already in R2 as staged for this form (one batch: all or none).
    pub async fn stage_files(
        &self,
        form_key: &str,
        files: &[(String, CheckedFile)],
        now: i64,
    ) -> Result<()> {
        if files.is_empty() {
            return Ok(());
        }
        let statements = files
            .iter()
            .map(|(key, file)| self.insert_attachment(key, form_key, None, file, now))
            .collect::<Result<Vec<_>>>()?;
        self.run_batch(statements).await
    }

    /// Removes staged files the citizen took off the form (one statement); returns their R2 keys.
    pub async fn unstage(&self, form_key: &str, ids: &[i64]) -> Result<Vec<String>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        #[derive(Deserialize)]
        struct Row {
            r2_key: String,
        }
        let rows = self
            .db
            .prepare("DELETE FROM attachments WHERE form_key = ?2 AND request_id IS NULL AND id IN (SELECT value FROM json_each(?1)) RETURNING r2_key")
            .bind(&[json_array(ids), text(form_key)])?
            .all()
            .await?
            .results::<Row>()?;
        Ok(rows.into_iter().map(|r| r.r2_key).collect())
    }

    pub(super) fn insert_attachment(
        &self,
        key: &str,
        form_key: &str,
        code: Option<RequestCode>,
        file: &CheckedFile,
        now: i64,
    ) -> Result<Stmt> {
        self.db
            .prepare(
                "INSERT INTO attachments (r2_key, form_key, request_id, file_name, kind, size, created_at, duration_ms)
                 VALUES (?1, ?2, (SELECT id FROM requests WHERE code = ?3), ?4, ?5, ?6, ?7, ?8)",
            )
            .bind(&[
                text(key),
                text(form_key),
                opt_text(code.map(|c| c.to_string()).as_deref()),
                text(&file.name),
                text(file.kind.slug()),
                int(file.size as i64),
                int(now),
                opt_int(file.duration_ms.map(|ms| ms as i64)),
            ])
    }

    /// Staged files (never submitted) created before `before`: (id, R2 key), oldest first.
    pub async fn expired_staged_files(
        &self,
        before: i64,
        limit: i64,
    ) -> Result<Vec<(i64, String)>> {
        #[derive(Deserialize)]
        struct Row {
            id: i64,
            r2_key: String,
        }
        let rows = self
            .db
            .prepare("SELECT id, r2_key FROM attachments WHERE request_id IS NULL AND created_at < ?1 ORDER BY created_at LIMIT ?2")
            .bind(&[int(before), int(limit)])?
            .all()
            .await?
            .results::<Row>()?;
        Ok(rows.into_iter().map(|r| (r.id, r.r2_key)).collect())
    }

    pub async fn delete_staged_files(&self, ids: &[i64]) -> Result<()> {
        let statements = ids
            .iter()
            .map(|id| {
                self.db
                    .prepare("DELETE FROM attachments WHERE id = ?1 AND request_id IS NULL")
                    .bind(&[int(*id)])
            })
            .collect::<Result<Vec<_>>>()?;
        self.run_batch(statements).await
    }
}
