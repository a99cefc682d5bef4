//! Crude rates with exact Poisson limits below 10 events and Byars' limits from 10.
//!
//! The method is chosen per row (or per group total): see [`super::poisson`].

use super::grouped::{Grouped, Groups};
use super::poisson::{EXACT_BELOW, count_limits_z, exact_limits, scaled_count_limits};
use super::proportion::{CountColumns, CountLimits, CountOptions, CountResult, counts_columns};
use super::{Indicator, check_count, check_levels, check_multiplier, check_positive, z};
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

/// Exact limits below 10 events, Byars' from 10, for [`counts_columns`].
struct ExactOrByars;

/// One level's state: its critical value and the exact limits of the
/// integer counts 0..9, which rows with few events repeat (each gamma
/// quantile is an iterative solve).
struct RateLevel {
    level: f64,
    z: f64,
    exact: [(f64, f64); 10],
}

impl CountLimits for ExactOrByars {
    type Level = RateLevel;
    const METHODS: &'static [&'static str] = &["Exact", "Byars"];
    fn level(&self, level: f64) -> RateLevel {
        RateLevel {
            level,
            z: z(level),
            exact: std::array::from_fn(|k| exact_limits(k as f64, level)),
        }
    }
    #[inline]
    fn limits(&self, at: &RateLevel, x: f64, n: f64, multiplier: f64) -> (f64, f64) {
        let scale = multiplier / n;
        let (l, u) = if x < EXACT_BELOW && x.fract() == 0.0 {
            // 0 ≤ x < 10 and whole: the cached exact limits of that count.
            at.exact[x as usize]
        } else {
            let (l, u, _) = count_limits_z(x, at.level, at.z);
            (l, u)
        };
        (l * scale, u * scale)
    }
    #[inline]
    fn method(&self, x: f64) -> i8 {
        i8::from(x >= EXACT_BELOW)
    }
}

/// Rates per group as columns (see [`CountColumns`]); the same checks and
/// numbers as [`rate_by`]. `groups = None` is row by row.
///
/// # Errors
/// As [`rate_by`].
pub fn rate_columns(
    count: &[f64],
    population: &[f64],
    groups: Option<&Groups>,
    opts: &CountOptions,
) -> Result<CountColumns> {
    counts_columns(count, population, groups, opts, false, &ExactOrByars)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_equal_the_row_results_bit_for_bit() {
        let x = [0.0, 3.0, 9.0, 9.5, 10.0, 250.0, 1.0, 12.0];
        let n = [40.0, 80.0, 50.0, 60.0, 3.0, 9000.0, 7.0, 1e6];
        let opts = CountOptions {
            levels: vec![0.95, 0.998, 0.5],
            multiplier: 100_000.0,
            ..CountOptions::default()
        };
        let codes = Groups::new(Some(&[1, 2, 1, 3, 2, 1, 4, 4]), 8, "count").unwrap();
        for (groups, by) in [(Groups::each_row(8), None), (codes.clone(), Some(&codes))] {
            let rows = rate_by(&x, &n, &groups, &opts).unwrap();
            let cols = rate_columns(&x, &n, by, &opts).unwrap();
            assert_eq!(
                cols.first_row
                    .clone()
                    .unwrap_or_else(|| (0..rows.first_row.len()).collect()),
                rows.first_row
            );
            for (g, r) in rows.results.iter().enumerate() {
                assert_eq!(cols.count[g].to_bits(), r.count.to_bits());
                assert_eq!(Some(cols.value[g]), r.indicator.value);
                assert_eq!(cols.method_of(g), r.indicator.method);
                for k in 0..3 {
                    assert_eq!(Some(cols.lower[k][g]), r.indicator.limits[k].lower);
                    assert_eq!(Some(cols.upper[k][g]), r.indicator.limits[k].upper);
                }
            }
        }
    }
}
