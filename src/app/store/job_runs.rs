//! Where each daily job stands (`job_runs`): started once a day, held by one invocation at a time
//! for one slice (a lease), moved on by each slice, backed off when a slice fails, and the admins
//! told when one keeps failing — at most once a day, by the mail's key.

use serde::Deserialize;
use worker::Result;

use super::{insert_outbox_sql, int, text, OutboxColumns, Store};
use crate::domain::job::Job;
use crate::domain::notification::Template;

/// A job held for one slice.
#[derive(Debug, Clone, Deserialize)]
pub struct JobRun {
    /// The daily run it belongs to (YYYY-MM-DD).
    pub day: String,
    /// The time the day's run started (ms): the time its slices reason with.
    pub run_at: i64,
    pub cursor: String,
    /// Failures in a row before this slice.
    pub failures: i64,
    pub alerted_day: Option<String>,
}

/// A job's state, as the admins' page and the tests read it.
#[derive(Debug, Clone, Deserialize)]
pub struct JobState {
    pub job: String,
    pub day: String,
    pub done: i64,
    pub slices: i64,
    pub failures: i64,
    pub last_error: Option<String>,
}

impl Store {
    /// Starts the day's run of each job, in one batch. A second start the same day changes
    /// nothing; a job still unfinished from the day before starts over, or carries on from its
    /// cursor if it does not restart each day.
    pub async fn start_job_runs(&self, day: &str, run_at: i64, wall: i64) -> Result<()> {
        let mut statements = Vec::new();
        for job in Job::ALL {
            statements.push(
                self.db
                    .prepare(
                        "INSERT INTO job_runs (job, day, run_at, cursor, done, next_at, updated_at)
                         VALUES (?1, ?2, ?3, '', 0, ?4, ?4)
                         ON CONFLICT (job) DO UPDATE SET
                           cursor = CASE WHEN ?5 = 1 OR job_runs.done = 1 THEN '' ELSE job_runs.cursor END,
                           day = excluded.day, run_at = excluded.run_at, done = 0, slices = 0,
                           next_at = excluded.next_at, updated_at = excluded.updated_at
                         WHERE job_runs.day <> excluded.day",
                    )
                    .bind(&[
                        text(job.slug()),
                        text(day),
                        int(run_at),
                        int(wall),
                        int(i64::from(job.restarts_each_day())),
                    ])?,
            );
        }
        self.run_batch(statements).await
    }

    /// Jobs with work left whose next slice is due and that nobody holds: a queue message lost,
    /// an invocation that died mid-slice, or a failed slice whose wait is over.
    pub async fn jobs_to_resume(&self, wall: i64) -> Result<Vec<String>> {
        #[derive(Deserialize)]
        struct Row {
            job: String,
        }
        let rows = self
            .db
            .prepare(
                "SELECT job FROM job_runs WHERE done = 0 AND next_at <= ?1 AND lease_until <= ?1",
            )
            .bind(&[int(wall)])?
            .all()
            .await?
            .results::<Row>()?;
        Ok(rows.into_iter().map(|r| r.job).collect())
    }

    /// Takes a job for one slice, unless it is done, waiting after a failure, or held by another
    /// invocation (`token` is this one's: a claim tried again after its answer was lost holds).
    pub async fn claim_job(
        &self,
        job: Job,
        token: &str,
        wall: i64,
        lease_ms: i64,
    ) -> Result<Option<JobRun>> {
        self.db
            .prepare(
                "UPDATE job_runs SET lease_until = ?2 + ?3, lease_token = ?4
                 WHERE job = ?1 AND done = 0 AND next_at <= ?2 AND (lease_until <= ?2 OR lease_token = ?4)
                 RETURNING job, day, run_at, cursor, failures, alerted_day",
            )
            .bind(&[text(job.slug()), int(wall), int(lease_ms), text(token)])?
            .first::<JobRun>(None)
            .await
    }

    /// A slice went through: the job's cursor moves on (or it is done), its failures are forgotten.
    pub async fn finish_slice(&self, job: Job, cursor: &str, done: bool, wall: i64) -> Result<()> {
        self.db
            .prepare(
                "UPDATE job_runs SET cursor = ?2, done = ?3, slices = slices + 1, failures = 0,
                   last_error = NULL, lease_until = 0, next_at = ?4, updated_at = ?4 WHERE job = ?1",
            )
            .bind(&[text(job.slug()), text(cursor), int(i64::from(done)), int(wall)])?
            .run()
            .await?;
        Ok(())
    }

    /// A slice failed: it is tried again at `next_at`. With `alert` (the day, and the lines of the
    /// mail), every active admin is told in the same batch, once that day whatever happens next.
    /// Returns the mails written.
    pub async fn fail_slice(
        &self,
        job: Job,
        error: &str,
        next_at: i64,
        wall: i64,
        alert: Option<(&str, &str)>,
    ) -> Result<Vec<i64>> {
        let mut statements = vec![self
            .db
            .prepare(
                "UPDATE job_runs SET failures = failures + 1, last_error = ?2, lease_until = 0,
                   next_at = ?3, updated_at = ?4, alerted_day = coalesce(?5, alerted_day) WHERE job = ?1",
            )
            .bind(&[
                text(job.slug()),
                text(error),
                int(next_at),
                int(wall),
                alert.map_or(wasm_bindgen::JsValue::NULL, |(day, _)| text(day)),
            ])?];
        if let Some((day, payload)) = alert {
            statements.push(
                self.db
                    .prepare(insert_outbox_sql(
                        &OutboxColumns {
                            key: &format!(
                                "'{}:' || ?1 || ':' || ?2 || ':' || s.id",
                                Template::JobFailing.slug()
                            ),
                            request: "NULL",
                            channel: "'email'",
                            recipient: "s.email",
                            template: Template::JobFailing,
                            lang: "'fr'",
                            payload: "?3",
                            created_at: "?4",
                        },
                        "FROM staff s WHERE s.active = 1 AND s.role = 'admin'",
                    ))
                    .bind(&[text(job.slug()), text(day), text(payload), int(wall)])?,
            );
        }
        Ok(super::returned_ids(&self.db.batch(statements).await?))
    }

    /// Every job's state, in the order they are listed.
    pub async fn job_states(&self) -> Result<Vec<JobState>> {
        self.db
            .prepare(
                "SELECT job, day, done, slices, failures, last_error FROM job_runs ORDER BY job",
            )
            .all()
            .await?
            .results::<JobState>()
    }
}
