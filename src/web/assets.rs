//! Paths of the fingerprinted static assets (`/assets/<name>.<content hash>.<ext>`), written by
//! build.rs: a changed file gets a new URL, so browsers and the edge may keep each one forever.
include!(concat!(env!("OUT_DIR"), "/assets.rs"));
