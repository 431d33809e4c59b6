//! From operations to policies: the composer, the reviewer (`explain`) and the exports.

pub mod compose;
pub mod export;
pub mod review;
