//! The HTTP plumbing every route family shares: errors and responses, forms, the edge cache,
//! attachments in R2, sessions (CSRF, staff), the one-time message after a redirect, Turnstile,
//! and what the worker signs.

pub mod cache;
pub mod crypto;
pub mod csrf;
pub mod error;
#[cfg(feature = "office")]
pub mod export;
pub mod files;
pub mod flash;
pub mod form;
pub mod respond;
#[cfg(feature = "office")]
pub mod staff_session;
pub mod tracking_link;
pub mod turnstile;
