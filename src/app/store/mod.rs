//! The D1 store: every SQL statement the worker runs lives in this module (this file and its children).

mod admin;
mod alerts;
mod attachments;
mod audit;
mod changes;
mod channels;
mod conn;
mod dashboard;
mod delivery;
mod directory;
mod export;
mod holding;
#[cfg(feature = "office")]
mod imports;
mod job_runs;
mod jobs;
mod open311;
mod otp;
mod outbox;
mod places;
mod rate_limits;
mod requests;
mod rights;
mod rollups;
mod staff;
mod stats;
mod tracking;
mod workspace;
pub use admin::BodyAdmin;
pub use audit::{JournalFilter, JournalLine};
pub use changes::{Change, ChangeKind, StaffExtras};
pub use channels::{HandsetRequest, UssdRead};
pub use delivery::{Attempt, Claimed};
pub use export::{ExportLine, ExportSource};
pub use job_runs::JobRun;
pub use jobs::{DueFor, DueItem, OutboxLine, DIGEST_COUNT_CAP};
pub use open311::{ApiKey, PublicRequest, ServiceRow, UpdateRow};
pub use otp::CodeHolder;
use outbox::{insert_outbox_sql, OutboxColumns};
pub use outbox::{Message, OutboxRow};
use rate_limits::{Hits, RATE_LIMIT_ADD};
pub use requests::{CreateOutcome, NewRequest, Origin, QuotaGuard, Registered};
pub use rights::{ContactRequest, HeldFile};
pub use stats::{BodyFacts, StatsLabels};
pub use tracking::{LookupRead, Tracked};
pub use workspace::{QueueLine, Scope};

use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{D1Result, Env, Result};

use conn::Conn;
pub use conn::Stmt;

use crate::domain::deadline::{DayCount, Deadline, Holidays};
use crate::domain::stage::Stage;
use crate::domain::time::day_iso;

pub(super) fn text(s: &str) -> JsValue {
    JsValue::from_str(s)
}
/// D1 numbers cross as f64: exact for every id and timestamp we store (< 2^53).
pub(super) fn int(n: i64) -> JsValue {
    JsValue::from_f64(n as f64)
}
pub(super) fn opt_text(s: Option<&str>) -> JsValue {
    s.map_or(JsValue::NULL, text)
}
/// A list as one parameter, read in SQL with `IN (SELECT value FROM json_each(?n))`.
/// The ids a batch's `RETURNING id` statements gave back (the outbox rows it wrote), in order.
fn returned_ids(results: &[worker::D1Result]) -> Vec<i64> {
    #[derive(serde::Deserialize)]
    struct Written {
        id: Option<i64>,
    }
    results
        .iter()
        .flat_map(|r| r.results::<Written>().unwrap_or_default())
        .filter_map(|w| w.id)
        .collect()
}

pub(super) fn json_array<T: serde::Serialize>(items: &[T]) -> JsValue {
    text(&serde_json::to_string(items).unwrap_or_else(|_| "[]".into()))
}
pub(super) fn opt_int(n: Option<i64>) -> JsValue {
    n.map_or(JsValue::NULL, int)
}

/// Runs a database step, trying it again twice after a failure (D1 can refuse a statement for a
/// moment: an overloaded or restarting database, a busy file locally). Only for steps that are
/// safe to repeat — a claim that takes only free rows, a record that only closes open attempts, a
/// sweep — and where a failure would otherwise be paid later (a notification re-sent, a job
/// waiting for the next cron).
pub async fn retrying<T, F, Fut>(step: F) -> Result<T>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<T>>,
{
    for pause_ms in [250u64, 1000] {
        match step().await {
            Ok(value) => return Ok(value),
            Err(e) => crate::app::log::warn(
                "database",
                &format!("a database step failed, trying again in {pause_ms} ms: {e}"),
            ),
        }
        worker::Delay::from(std::time::Duration::from_millis(pause_ms)).await;
    }
    step().await
}

/// A one-column text row (`SELECT … AS value`): one deserializer for every such read.
#[derive(Deserialize)]
pub(super) struct TextValue {
    pub value: String,
}

pub struct Store {
    db: Conn,
    /// The client's address (audit records say where an action came from).
    client: String,
}

/// A bookmark as D1 writes them (hex groups and dashes); anything else is ignored.
fn is_bookmark(s: &str) -> bool {
    !s.is_empty() && s.len() <= 200 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

impl Store {
    pub fn new(env: &Env) -> Result<Store> {
        Ok(Store { db: Conn::Db(env.d1("DB")?), client: String::new() })
    }

    /// A store reading through a D1 session: from the citizen's last bookmark when there is one
    /// (so they always see their own latest write), else from whichever copy is nearest.
    pub fn session(env: &Env, bookmark: Option<&str>) -> Result<Store> {
        let start = bookmark.filter(|b| is_bookmark(b)).unwrap_or("first-unconstrained");
        Ok(Store {
            db: Conn::Session(env.d1("DB")?.with_session(Some(start))?),
            client: String::new(),
        })
    }

    /// The same store, recording `ip` as where its audited actions come from.
    pub fn for_client(mut self, ip: &str) -> Store {
        self.client = ip.chars().take(64).collect();
        self
    }

    pub(super) fn client(&self) -> &str {
        &self.client
    }

    /// The session's latest bookmark, to carry to the next request.
    pub fn bookmark(&self) -> Option<String> {
        match &self.db {
            Conn::Session(s) => {
                s.get_bookmark().ok().flatten().map(|b| b.to_string()).filter(|b| is_bookmark(b))
            }
            Conn::Db(_) => None,
        }
    }

    /// The deadline of the step a request enters: its body's triage or treatment days from `now`,
    /// in calendar or business days as the body counts them; none while the citizen has the hand
    /// or once the request is done. (A new request takes its first deadline from the directory
    /// in memory, `RefIndex::triage_deadline`.)
    pub(super) async fn step_deadline(
        &self,
        request_id: i64,
        stage: &str,
        now: i64,
    ) -> Result<Option<Deadline>> {
        #[derive(Deserialize)]
        struct Rule {
            days: i64,
            deadline_unit: String,
        }
        #[derive(Deserialize)]
        struct Day {
            day: String,
        }
        let days = match Stage::parse(stage) {
            Some(Stage::AwaitingTriage) => "triage_days",
            Some(Stage::InTreatment) => "treatment_days",
            _ => return Ok(None),
        };
        let results = self
            .db
            .batch(vec![
                self.db
                    .prepare(format!("SELECT {days} AS days, deadline_unit FROM bodies WHERE id = (SELECT body_id FROM requests WHERE id = ?1)"))
                    .bind(&[int(request_id)])?,
                // Holidays from today on: the table holds a few a year, so this stays small.
                self.db.prepare("SELECT day FROM holidays WHERE day >= ?1 ORDER BY day").bind(&[text(&day_iso(now))])?,
            ])
            .await?;
        let [rule, holidays] = <[D1Result; 2]>::try_from(results)
            .map_err(|_| worker::Error::RustError("deadline batch".into()))?;
        let Some(rule) = rule.results::<Rule>()?.into_iter().next() else { return Ok(None) };
        let count = DayCount::parse(&rule.deadline_unit).unwrap_or(DayCount::Calendar);
        let holidays = holidays.results::<Day>()?;
        let holidays = Holidays::from_days(holidays.iter().map(|d| d.day.as_str()));
        Ok(Some(Deadline::from(now, rule.days, count, &holidays)))
    }

    /// A numeric row of `settings`, if set.
    pub(super) async fn setting_number(&self, key: &str) -> Result<Option<i64>> {
        let row = self
            .db
            .prepare("SELECT value FROM settings WHERE key = ?1")
            .bind(&[text(key)])?
            .first::<TextValue>(None)
            .await?;
        Ok(row.and_then(|r| r.value.parse().ok()))
    }

    pub(super) async fn run_batch(&self, statements: Vec<Stmt>) -> Result<()> {
        for result in self.db.batch(statements).await? {
            if let Some(error) = result.error() {
                return Err(worker::Error::RustError(error));
            }
        }
        Ok(())
    }
}
