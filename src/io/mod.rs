//! Reading and writing files: bounded, checked reads; safe writes; the cache of parsed catalogs.

pub mod cache;
pub mod input;
pub mod output;
