//! Small numbers (issue 11): honest uncertainty for small areas, offered beside
//! every raw value and never instead of it.
//!
//! Most Swedish municipalities are small, so a yearly rate for a few thousand
//! people is mostly noise. Three tools say how much:
//!
//! - [`rank_intervals`]: the uncertainty of each area's rank, by simulation from
//!   the values and their standard errors (Goldstein & Spiegelhalter 1996);
//! - [`funnel_flags`]: the funnel-plot flag of every area against its own group
//!   (one call over a long frame, reusing [`super::funnel::funnel_significance`]);
//! - [`smooth`]: empirical-Bayes smoothing toward a group mean, Poisson–gamma for
//!   counts (Marshall 1991) and beta–binomial for proportions (Martuzzi & Elliott
//!   1996), with the global method-of-moments estimators of R spdep's `EBest`.

mod flags;
mod rank_interval;
mod smoothing;

pub use flags::funnel_flags;
pub use rank_interval::{RankIntervals, RankOptions, rank_intervals};
pub use smoothing::{SmoothOptions, Smoothed, smooth};

use crate::error::Error;

/// The same error with its row index mapped from a subset back to the input.
fn reindex(e: Error, rows: &[usize]) -> Error {
    let map = |i: usize| rows.get(i).copied().unwrap_or(i);
    match e {
        Error::Missing {
            arg,
            index,
            options,
        } => Error::Missing {
            arg,
            index: map(index),
            options,
        },
        Error::NonFinite { arg, index, value } => Error::NonFinite {
            arg,
            index: map(index),
            value,
        },
        Error::OutOfDomain {
            arg,
            index,
            value,
            requirement,
        } => Error::OutOfDomain {
            arg,
            index: map(index),
            value,
            requirement,
        },
        Error::OutOfBounds {
            arg,
            index,
            value,
            lower,
            upper,
        } => Error::OutOfBounds {
            arg,
            index: map(index),
            value,
            lower,
            upper,
        },
        other => other,
    }
}
