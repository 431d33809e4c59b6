//! ims-perms: the Huawei Cloud IMS permission catalog, a query language over it, route matching,
//! a composer of least-privilege IAM policies, a policy reviewer, and a permission-table importer.
//! The command line and the explorer are thin front ends over these modules; nothing in the
//! core knows about terminals or argument parsing (the explorer, `tui`, is behind the `app`
//! feature). Wording lives in `present`: the rest returns facts.
//!
//! The folders follow the data's path: `catalog` (the model, its checks, routes and action
//! patterns) → `load` (catalog files through the cache) → `search` (the query language, ranking,
//! resolving ids and API calls) → `policy` (compose, review, export) → `present` (every
//! sentence); `import` reads permission tables into catalogs; `io` reads and writes files;
//! `text`, `lang` and `par` are leaves every stage may use.

pub mod calls;
pub mod catalog;
pub mod import;
pub mod io;
pub mod lang;
pub mod load;
pub mod par;
pub mod policy;
pub mod present;
pub mod search;
/// Fixtures for tests and benchmarks (feature `testing`, on for the crate's own tests).
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod text;
/// The interactive explorer (feature `app`, on by default): not part of the core.
#[cfg(feature = "app")]
pub mod tui;

pub use catalog::{Catalog, CatalogError, Operation};
pub use lang::Lang;
