//! ims-perms: the Huawei Cloud IMS permission catalog, a query language over it, route matching,
//! a composer of least-privilege IAM policies, a policy reviewer, and a permission-table importer.
//! The command line and the explorer are thin front ends over these modules; nothing in the
//! core knows about terminals or argument parsing (the explorer, `tui`, is behind the `app`
//! feature). Wording lives in `present`: the rest returns facts.

pub mod action;
pub mod cache;
pub mod catalog;
pub mod export;
pub mod fuzzy;
pub mod import;
pub mod input;
pub mod lang;
pub mod output;
pub mod par;
pub mod policy;
pub mod present;
pub mod query;
pub mod resolve;
pub mod review;
pub mod route;
pub mod searchable;
pub mod synthetic;
#[doc(hidden)]
pub mod testing;
pub mod text;
/// The interactive explorer (feature `app`, on by default): not part of the core.
#[cfg(feature = "app")]
pub mod tui;

pub use catalog::{Catalog, CatalogError, Operation};
pub use lang::Lang;
