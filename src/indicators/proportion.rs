//! Proportions with Wilson score limits (Newcombe & Altman, *Statistics with Confidence*).
//!
//! ```text
//! L, U = [2x + z² ∓ z·√(z² + 4x(1 − x/n))] / [2(n + z²)]
//! ```
//! At x = 0 the lower limit is exactly 0 and at x = n the upper limit is
//! exactly 1 (the closed form can give 0.99999999999999986 in floating point;
//! jamlik returns the exact limit, times the multiplier).

use super::grouped::{Grouped, Groups};
use super::{Indicator, Limits, check_count, check_levels, check_multiplier, check_positive, z};
use crate::error::{Error, Result};
use crate::stats::CompensatedSum;
use serde::Serialize;

/// An indicator computed from a count and a denominator, with both totals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountResult {
    /// The count (numerator), summed over the group for grouped calls.
    pub count: f64,
    /// The denominator, summed over the group for grouped calls.
    pub denominator: f64,
    /// Value and limits.
    pub indicator: Indicator,
}

/// Wilson limits of the proportion x/n (not multiplied).
pub fn wilson_limits(x: f64, n: f64, level: f64) -> (f64, f64) {
    let z = z(level);
    let z2 = z * z;
    let root = z * (z2 + 4.0 * x * (1.0 - x / n)).sqrt();
    let denom = 2.0 * (n + z2);
    let lower = if x == 0.0 {
        0.0
    } else {
        (2.0 * x + z2 - root) / denom
    };
    let upper = if x == n {
        1.0
    } else {
        (2.0 * x + z2 + root) / denom
    };
    (lower, upper)
}

fn check_inputs(x: f64, n: f64, index: usize) -> Result<()> {
    check_count("x", index, x)?;
    check_positive("n", index, n)?;
    if x > n {
        return Err(Error::OutOfBounds {
            arg: "x",
            index,
            value: x,
            lower: 0.0,
            upper: n,
        });
    }
    Ok(())
}

fn compute(x: f64, n: f64, levels: &[f64], multiplier: f64) -> Indicator {
    Indicator {
        value: Some(x / n * multiplier),
        limits: levels
            .iter()
            .map(|&level| {
                let (l, u) = wilson_limits(x, n, level);
                Limits::new(level, l * multiplier, u * multiplier)
            })
            .collect(),
        method: "Wilson",
        note: None,
    }
}

/// The proportion `x/n × multiplier` with Wilson limits at each level.
///
/// # Errors
/// `x` negative or above `n`, `n` not positive, NaN/infinite inputs, a level
/// outside (0, 1), or a zero/non-finite multiplier: an error naming the argument.
///
/// ```
/// let p = jamlik::indicators::proportion(0.0, 50.0, &[0.95], 1.0)?;
/// assert_eq!(p.value, Some(0.0));
/// assert_eq!(p.limits[0].lower, Some(0.0));
/// # Ok::<(), jamlik::Error>(())
/// ```
pub fn proportion(x: f64, n: f64, levels: &[f64], multiplier: f64) -> Result<Indicator> {
    check_levels(levels)?;
    check_multiplier(multiplier)?;
    check_inputs(x, n, 0)?;
    Ok(compute(x, n, levels, multiplier))
}

/// Row-by-row proportions.
///
/// # Errors
/// As [`proportion`], naming the first offending row; a length mismatch.
pub fn proportions(
    x: &[f64],
    n: &[f64],
    levels: &[f64],
    multiplier: f64,
) -> Result<Vec<Indicator>> {
    check_levels(levels)?;
    check_multiplier(multiplier)?;
    crate::validate::same_length("n", "x", x.len(), n.len())?;
    for i in 0..x.len() {
        check_inputs(x[i], n[i], i)?;
    }
    Ok(x.iter()
        .zip(n)
        .map(|(&x, &n)| compute(x, n, levels, multiplier))
        .collect())
}

/// Sums x and n within a group (compensated) after checking every row.
pub(crate) fn group_totals(
    x: &[f64],
    n: &[f64],
    rows: &[usize],
    bounded: bool,
) -> Result<(f64, f64)> {
    let mut sx = CompensatedSum::new();
    let mut sn = CompensatedSum::new();
    for &i in rows {
        if bounded {
            check_inputs(x[i], n[i], i)?;
        } else {
            check_count("x", i, x[i])?;
            check_positive("n", i, n[i])?;
        }
        sx.add(x[i]);
        sn.add(n[i]);
    }
    Ok((sx.value(), sn.value()))
}

/// Proportions per group: x and n are summed within each group (also when
/// there is only one group), one result per group.
///
/// # Errors
/// As [`proportions`].
pub fn proportion_by(
    x: &[f64],
    n: &[f64],
    groups: &Groups,
    levels: &[f64],
    multiplier: f64,
) -> Result<Grouped<CountResult>> {
    counts_by(x, n, groups, levels, multiplier, true, compute)
}

/// Sums `x` and `n` within each group (also for one group) and applies `compute` to the
/// totals: the grouped form shared by proportions and rates. `x_at_most_n` is the
/// proportion's extra check.
pub(crate) fn counts_by(
    x: &[f64],
    n: &[f64],
    groups: &Groups,
    levels: &[f64],
    multiplier: f64,
    x_at_most_n: bool,
    compute: fn(f64, f64, &[f64], f64) -> Indicator,
) -> Result<Grouped<CountResult>> {
    check_levels(levels)?;
    check_multiplier(multiplier)?;
    crate::validate::same_length("n", "x", x.len(), n.len())?;
    groups.check_len("x", x.len())?;
    let results = groups.map(|rows| {
        let (sx, sn) = group_totals(x, n, rows, x_at_most_n)?;
        Ok(CountResult {
            count: sx,
            denominator: sn,
            indicator: compute(sx, sn, levels, multiplier),
        })
    })?;
    Ok(Grouped {
        first_row: groups.first_rows(),
        results,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_edges_are_exact() {
        let p = proportion(50.0, 50.0, &[0.95, 0.998], 100.0).unwrap();
        assert_eq!(p.limits[0].upper, Some(100.0));
        assert_eq!(p.limits[1].upper, Some(100.0));
        assert!(proportion(51.0, 50.0, &[0.95], 1.0).is_err());
        assert!(proportion(1.0, 0.0, &[0.95], 1.0).is_err());
        assert!(proportion(1.0, 5.0, &[1.0], 1.0).is_err());
    }
}
