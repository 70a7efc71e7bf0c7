//! Miliê: the citizens' portal for réclamations, suggestions and observations.
//!
//! `domain`, `i18n` and `web` are pure and build natively (`cargo test`);
//! `app` binds them to the Workers runtime (D1, R2, Queues, Cron) and only builds for wasm32.

pub mod domain;
pub mod i18n;
pub mod notify;
pub mod web;

#[cfg(target_arch = "wasm32")]
mod app;
