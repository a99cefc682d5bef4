//! Crude rates with exact Poisson limits below 10 events and Byars' limits from 10.
//!
//! The method is chosen per row (or per group total): see [`super::poisson`].

use super::grouped::{Grouped, Groups};
use super::poisson::scaled_count_limits;
use super::proportion::{CountOptions, CountResult};
use super::{Indicator, check_count, check_levels, check_multiplier, check_positive};
use crate::error::Result;

fn compute(x: f64, n: f64, levels: &[f64], multiplier: f64) -> Indicator {
    let (limits, method) = scaled_count_limits(x, levels, multiplier / n);
    Indicator {
        value: Some(x / n * multiplier),
        limits,
        method,
        note: None,
    }
}

/// The rate `count/population × multiplier` with exact (count < 10) or Byars
/// (count ≥ 10) limits.
///
/// `count` may exceed `population` (a rate, not a proportion) and need not be
/// an integer.
///
/// # Errors
/// Negative or non-finite `count`, `population` not positive, a level outside
/// (0, 1), a zero multiplier.
///
/// ```
/// let r = jamlik::indicators::rate(0.0, 1000.0, &[0.95], 100_000.0)?;
/// assert_eq!(r.method, "Exact");
/// assert!((r.limits[0].upper.unwrap() - 368.887_945_411_393_5).abs() < 1e-9);
/// # Ok::<(), jamlik::Error>(())
/// ```
pub fn rate(count: f64, population: f64, levels: &[f64], multiplier: f64) -> Result<Indicator> {
    check_levels(levels)?;
    check_multiplier(multiplier)?;
    check_count("count", 0, count)?;
    check_positive("population", 0, population)?;
    Ok(compute(count, population, levels, multiplier))
}

/// Rates per group: count and population summed within each group (also for
/// one group). Row-by-row rates: [`Groups::each_row`].
///
/// # Errors
/// As [`rate`], naming the first offending row; a missing value under
/// [`MissingPolicy::Error`](crate::MissingPolicy::Error).
pub fn rate_by(
    count: &[f64],
    population: &[f64],
    groups: &Groups,
    opts: &CountOptions,
) -> Result<Grouped<CountResult>> {
    super::proportion::counts_by(count, population, groups, opts, false, compute)
}
