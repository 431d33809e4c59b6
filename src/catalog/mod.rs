//! The permission catalog: operations, the IAM actions each needs, the scopes it supports.
//!
//! A catalog file is JSON (format in the README). The built-in IMS catalog is embedded in the
//! binary; user catalogs in the same format are added with `--catalog`. Loading validates
//! everything and refuses a file whole, with an error naming the file, the operation and the
//! field, so nothing is ever half-loaded.
//!
//! `model` holds the types, `parse` reads and checks a file, `index` is the loaded catalog,
//! `hash` its exact indexes; `route` and `action` are leaves. Inside this folder modules name
//! each other directly; outside, the names below are the catalog's.

pub mod action;
mod hash;
mod index;
mod model;
mod parse;
pub mod route;

pub use index::Catalog;
pub use model::*;
pub use parse::{check_document, is_action_name, is_action_pattern, is_kebab_id, parse};

#[cfg(test)]
mod tests;
