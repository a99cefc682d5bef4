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
