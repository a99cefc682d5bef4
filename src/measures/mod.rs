//! Equity measures.
//!
//! - [`heat`]: grouped data (one row per subgroup), WHO HEAT's summary measures.
//! - [`microdata`]: individual-level data (one row per person, with weights).

pub mod heat;
pub mod microdata;
