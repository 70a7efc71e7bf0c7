//! The D1 store: every SQL statement the worker runs lives in this file.

use serde::Deserialize;
use worker::{D1Database, Env, Result};

use crate::domain::body::{Body, BodyPhone};

pub struct Store {
    db: D1Database,
}

#[derive(Deserialize)]
struct BodyRow {
    id: i64,
    slug: String,
    name: String,
    phones: String,
    location: String,
}

impl BodyRow {
    fn into_body(self) -> Result<Body> {
        let phones: Vec<BodyPhone> = serde_json::from_str(&self.phones)
            .map_err(|e| worker::Error::RustError(format!("body {} phones: {e}", self.id)))?;
        Ok(Body { id: self.id, slug: self.slug, name: self.name, phones, location: self.location })
    }
}

impl Store {
    pub fn new(env: &Env) -> Result<Store> {
        Ok(Store { db: env.d1("DB")? })
    }

    /// All active bodies. The directory is small (tens of bodies), so search and paging
    /// happen in Rust, where accent-insensitive matching is exact.
    pub async fn active_bodies(&self) -> Result<Vec<Body>> {
        let rows = self
            .db
            .prepare("SELECT id, slug, name, phones, location FROM bodies WHERE active = 1")
            .all()
            .await?
            .results::<BodyRow>()?;
        rows.into_iter().map(BodyRow::into_body).collect()
    }
}
