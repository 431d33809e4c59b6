//! Finding operations: the query language and its ranking, fuzzy matching, ids and API calls
//! resolved to operations.

pub mod fuzzy;
pub mod query;
pub mod resolve;
