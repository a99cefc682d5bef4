//! # jamlik — health goals and health equity
//!
//! jamlik ("equal" in Swedish) follows public-health goals and measures how
//! unequally health is distributed between places, sexes and socioeconomic
//! groups. It is a plain Rust library (this crate) with Python bindings built
//! from the same code (feature `python`).
//!
//! - [`measures::heat`]: WHO HEAT's 21 grouped summary measures with confidence intervals.
//! - [`measures::microdata`]: the concentration-index family with standard errors, Gini,
//!   entropy and Atkinson indices for individual-level data.
//! - [`grouped`]: a microdata index for every group of a long frame in one call, in parallel.
//! - [`indicators`]: proportions, rates, standardised rates, life expectancy, funnel limits.
//! - [`goals`]: goal areas, goals, indicators, targets, progress assessment and the
//!   follow-up of a municipality ([`goals::follow_up`]: comparisons with its county, the
//!   nation and similar municipalities; gaps).
//! - [`vocabulary`]: [`Sex`] and the Kolada publication [`Level`], shared by `data` and `goals`.
//! - [`data`]: Kolada ingestion, geography and the embedded (synthetic) demo dataset.
//!
//! Every function validates its input and returns [`Error`] naming the argument
//! at fault; results are [`Estimate`]s (value, SE, limits, level, method).
//!
//! ```
//! use jamlik::rank::{fractional_rank, Ties};
//! let ranks = fractional_rank(&[10.0, 30.0, 20.0], None, Ties::Midpoint)?;
//! assert_eq!(ranks, vec![1.0 / 6.0, 5.0 / 6.0, 0.5]);
//! # Ok::<(), jamlik::Error>(())
//! ```

mod alloc;
pub mod columns;
pub mod data;
pub mod error;
pub mod estimate;
pub mod goals;
pub mod grouped;
pub mod indicators;
pub mod measures;
pub mod rank;
pub mod state;
pub mod stats;
pub mod validate;
pub mod vocabulary;

#[cfg(feature = "python")]
mod python;

pub use error::{Error, MissingOptions, Result};
pub use estimate::Estimate;
pub use rank::Ties;
pub use validate::MissingPolicy;
pub use vocabulary::{Level, Sex};

/// The package's one default seed for every simulation (HEAT's simulation
/// intervals, ...): 123456, as WHO's healthequal. Python: `jamlik.DEFAULT_SEED`.
pub const DEFAULT_SEED: u64 = 123_456;

/// The README's Rust examples run as doc tests, so they stay correct.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
