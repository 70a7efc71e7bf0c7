//! Every way a request comes in.

pub mod checks;
pub mod directory;
pub mod form_flow;
pub mod register;
