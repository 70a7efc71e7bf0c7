//! Pure domain: no JS types, no I/O. Everything here builds and is tested natively.

pub mod attachment;
pub mod body;
pub mod code;
pub mod countries;
pub mod deadline;
pub mod directory;
mod countries_data;
pub mod email;
pub mod http_range;
pub mod import;
pub mod lang;
pub mod nature;
pub mod notice;
pub mod open311;
pub mod pagination;
pub mod rate_limit;
pub mod phone;
pub mod stage;
pub mod staff;
pub mod staff_action;
pub mod stats;
pub mod submission;
pub mod text;
pub mod text_field;
pub mod time;
pub mod token;
