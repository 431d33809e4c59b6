//! From operations to policies: the composer, the evaluator (one for every decision), the
//! reviewer (`explain`), the simulator (`simulate`) and the exports.

pub mod compose;
pub mod evaluate;
pub mod export;
pub mod review;
pub mod simulate;
