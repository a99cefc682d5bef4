//! Crude rates with exact Poisson limits below 10 events and Byars' limits from 10.
//!
//! The method is chosen per row (or per group total): see [`super::poisson`].

use super::grouped::{Grouped, Groups};
use super::poisson::scaled_count_limits;
use super::proportion::CountResult;
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

/// The rate `x/n × multiplier` with exact (x < 10) or Byars (x ≥ 10) limits.
///
/// `x` may exceed `n` (a rate, not a proportion) and need not be an integer.
///
/// # Errors
/// Negative or non-finite `x`, `n` not positive, a level outside (0, 1), a
/// zero multiplier.
///
/// ```
/// let r = jamlik::indicators::rate(0.0, 1000.0, &[0.95], 100_000.0)?;
/// assert_eq!(r.method, "Exact");
/// assert!((r.limits[0].upper.unwrap() - 368.887_945_411_393_5).abs() < 1e-9);
/// # Ok::<(), jamlik::Error>(())
/// ```
pub fn rate(x: f64, n: f64, levels: &[f64], multiplier: f64) -> Result<Indicator> {
    check_levels(levels)?;
    check_multiplier(multiplier)?;
    check_count("x", 0, x)?;
    check_positive("n", 0, n)?;
    Ok(compute(x, n, levels, multiplier))
}

/// Row-by-row rates.
///
/// # Errors
/// As [`rate`], naming the first offending row.
pub fn rates(x: &[f64], n: &[f64], levels: &[f64], multiplier: f64) -> Result<Vec<Indicator>> {
    check_levels(levels)?;
    check_multiplier(multiplier)?;
    crate::validate::same_length("n", "x", x.len(), n.len())?;
    for i in 0..x.len() {
        check_count("x", i, x[i])?;
        check_positive("n", i, n[i])?;
    }
    Ok(x.iter()
        .zip(n)
        .map(|(&x, &n)| compute(x, n, levels, multiplier))
        .collect())
}

/// Rates per group: x and n summed within each group (also for one group).
///
/// # Errors
/// As [`rates`].
pub fn rate_by(
    x: &[f64],
    n: &[f64],
    groups: &Groups,
    levels: &[f64],
    multiplier: f64,
) -> Result<Grouped<CountResult>> {
    super::proportion::counts_by(x, n, groups, levels, multiplier, false, compute)
}
