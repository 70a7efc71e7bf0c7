//! The one way to D1: every statement and batch the store runs goes through here, so each is
//! counted against its invocation's limits (`app::meter`) and, in development only, may fail as
//! D1 can (`FAULT_D1_RATE`: before it takes effect, or after with its answer lost).

use std::future::Future;

use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1DatabaseSession, D1PreparedStatement, D1Result, Result};

use crate::app::meter;

/// The database, or a D1 session over it (Sessions API: reads may be served by a nearby replica,
/// in an order consistent with the bookmark the session started from).
pub(super) enum Conn {
    Db(D1Database),
    Session(D1DatabaseSession),
}

impl Conn {
    pub(super) fn prepare<T: Into<String>>(&self, query: T) -> Stmt {
        let query: String = query.into();
        meter::statement(&query);
        Stmt(match self {
            Conn::Db(db) => db.prepare(query),
            Conn::Session(s) => s.prepare(query),
        })
    }

    /// One round trip for every statement, in one transaction.
    pub(super) async fn batch(&self, statements: Vec<Stmt>) -> Result<Vec<D1Result>> {
        let n = statements.len() as u32;
        let statements: Vec<D1PreparedStatement> = statements.into_iter().map(|s| s.0).collect();
        round_trip(n, true, || async move {
            match self {
                Conn::Db(db) => db.batch(statements).await,
                Conn::Session(s) => s.batch(statements).await,
            }
        })
        .await
    }
}

/// A prepared statement, run alone (one round trip) or in a batch.
pub struct Stmt(D1PreparedStatement);

impl Stmt {
    pub fn bind(self, values: &[JsValue]) -> Result<Stmt> {
        Ok(Stmt(self.0.bind(values)?))
    }

    pub async fn first<T: DeserializeOwned>(&self, column: Option<&str>) -> Result<Option<T>> {
        round_trip(1, false, || self.0.first::<T>(column)).await
    }

    pub async fn run(&self) -> Result<D1Result> {
        round_trip(1, false, || self.0.run()).await
    }

    pub async fn all(&self) -> Result<D1Result> {
        round_trip(1, false, || self.0.all()).await
    }
}

/// Counts a round trip of `statements` statements, then runs it — or, in development with
/// `FAULT_D1_RATE`, fails it before or after it takes effect.
async fn round_trip<T, F, Fut>(statements: u32, batch: bool, run: F) -> Result<T>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    meter::d1(statements, batch);
    match meter::d1_fault() {
        None => run().await,
        Some(false) => Err(meter::injected("D1")),
        Some(true) => {
            // It took effect; the answer is lost on the way back.
            let _ = run().await;
            Err(meter::injected("D1"))
        }
    }
}
