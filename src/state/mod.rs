//! Mergeable states: summaries of rows that can be built on many machines
//! (or Spark partitions), merged in any order and finished into the same
//! result as one pass over all rows.
//!
//! Every state has `update` (add rows), [`Mergeable::merge`] (add another
//! state) and `finish` (the result), and is serialisable with serde so it can
//! travel between workers. Sums are compensated ([`ExactSum`]), so the way the
//! rows are partitioned changes a result by no more than rounding (1e-12
//! relative in the property tests).
//!
//! - [`CountState`]: count and population totals → proportion or rate.
//! - [`MomentState`]: weighted mean and variance (Chan's merge of centred moments).
//! - [`SubgroupState`]: per-subgroup moments → HEAT's subgroup estimates, SEs and populations.
//! - [`EntropyState`]: Theil, MLD and GE(α) sums given the mean of a first pass.
//! - [`concentration`]: the exact two-pass concentration index and Gini over
//!   range partitions of the ranking variable.
//!
//! ```
//! use jamlik::state::{CountState, Mergeable};
//! let mut a = CountState::default();
//! a.update(&[3.0, 4.0], &[10.0, 10.0])?;
//! let mut b = CountState::default();
//! b.update(&[5.0], &[20.0])?;
//! a.merge(&b)?;
//! let p = a.finish_proportion(&[0.95], 100.0)?;
//! assert_eq!(p.value, Some(30.0));
//! # Ok::<(), jamlik::Error>(())
//! ```

pub mod concentration;
mod counts;
mod entropy;
mod moments;
mod subgroups;
mod sum;

pub use concentration::{RangeSums, RangeTotals, RankOffset};
pub use counts::CountState;
pub use entropy::{EntropyMeasure, EntropyState};
pub use moments::MomentState;
pub use subgroups::{SubgroupInput, SubgroupState};
pub use sum::ExactSum;

/// A state that absorbs another state of the same kind.
pub trait Mergeable {
    /// Adds `other`'s rows to `self`: the order of merges does not matter
    /// beyond rounding.
    ///
    /// # Errors
    /// States that cannot be merged (built for another pass 1 or another
    /// parameter): an error naming what differs, and `self` unchanged.
    fn merge(&mut self, other: &Self) -> crate::Result<()>;
}

/// Checks that an optional weight column matches and is finite and non-negative.
pub(crate) fn check_weights(
    weights: Option<&[f64]>,
    first: &'static str,
    n: usize,
) -> crate::Result<()> {
    if let Some(w) = weights {
        crate::validate::same_length("weights", first, n, w.len())?;
        crate::validate::finite("weights", w)?;
        crate::validate::non_negative("weights", w)?;
    }
    Ok(())
}
