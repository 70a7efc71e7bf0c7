//! Pure domain: no JS types, no I/O. Everything here builds and is tested natively.

pub mod body;
pub mod nature;
pub mod pagination;
pub mod text;
