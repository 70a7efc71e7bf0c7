//! Pure domain: no JS types, no I/O. Everything here builds and is tested natively.

pub mod attachment;
pub mod base64;
pub mod body;
pub mod channel;
pub mod code;
pub mod constraint;
pub mod contact;
pub mod countries;
// Generated (scripts/gen_countries.py): its layout is the generator's.
#[rustfmt::skip]
mod countries_data;
pub mod deadline;
pub mod directory;
pub mod email;
pub mod geo;
pub mod gsm7;
pub mod http_range;
pub mod idempotency;
pub mod import;
pub mod lang;
pub mod nature;
pub mod notice;
pub mod notification;
pub mod open311;
pub mod otp;
pub mod pagination;
pub mod phone;
pub mod queue;
pub mod rate_limit;
pub mod sms_command;
pub mod staff;
pub mod staff_action;
pub mod stage;
pub mod stats;
pub mod submission;
pub mod text;
pub mod text_field;
pub mod time;
pub mod token;
pub mod ussd;
