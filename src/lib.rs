//! ims-perms: the Huawei Cloud IMS permission catalog, a query language over it, route matching,
//! and a composer of least-privilege IAM policies. The command line (and later the explorer) are
//! thin front ends over these modules; nothing here knows about terminals.

pub mod catalog;
pub mod export;
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
pub mod synthetic;
pub mod text;
pub mod tui;

pub use catalog::{Catalog, CatalogError, Operation};
pub use lang::Lang;
