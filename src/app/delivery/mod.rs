//! Notifications on their way out: from the outbox to the queue (`notifier`), the queue's
//! consumers (`consumer`, the back office's), and the providers they call (`providers`).

#[cfg(feature = "office")]
pub mod consumer;
#[cfg(feature = "office")]
mod mails;
pub mod notifier;
pub mod providers;
