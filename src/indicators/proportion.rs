//! Proportions with Wilson score limits (Newcombe & Altman, *Statistics with Confidence*).
//!
//! ```text
//! L, U = [2x + z² ∓ z·√(z² + 4x(1 − x/n))] / [2(n + z²)]
//! ```
//! At x = 0 the lower limit is exactly 0 and at x = n the upper limit is
//! exactly 1 (the closed form can give 0.99999999999999986 in floating point;
//! jamlik returns the exact limit, times the multiplier).

use super::grouped::{Grouped, Groups};
use super::{
    Indicator, Limits, MissingPolicy, check_count, check_levels, check_multiplier, check_positive,
    z,
};
use crate::error::{Error, MissingOptions, Result};
use crate::stats::CompensatedSum;
use serde::Serialize;

/// An indicator computed from a count and a population, with both totals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountResult {
    /// The count (numerator), summed over the group.
    pub count: f64,
    /// The population (denominator), summed over the group.
    pub population: f64,
    /// Value and limits.
    pub indicator: Indicator,
}

/// Options of [`proportion_by`] and [`super::rate_by`].
#[derive(Debug, Clone, PartialEq)]
pub struct CountOptions {
    /// Confidence levels (default 0.95; empty: no limits).
    pub levels: Vec<f64>,
    /// Value per `multiplier` (default 1; 100 for per cent, 100 000 for rates
    /// per 100 000).
    pub multiplier: f64,
    /// Missing counts or populations: [`MissingPolicy::Error`] (default) or
    /// [`MissingPolicy::Drop`]; a missing population is not a zero, so there is no
    /// [`MissingPolicy::Zero`].
    pub missing: MissingPolicy,
}

impl Default for CountOptions {
    fn default() -> Self {
        Self {
            levels: vec![0.95],
            multiplier: 1.0,
            missing: MissingPolicy::Error,
        }
    }
}

/// Wilson limits of the proportion x/n (not multiplied).
pub fn wilson_limits(x: f64, n: f64, level: f64) -> (f64, f64) {
    wilson_limits_z(x, n, z(level))
}

/// [`wilson_limits`] for a given two-sided critical value `z` (the quantile
/// is computed once per level, not once per row).
pub fn wilson_limits_z(x: f64, n: f64, z: f64) -> (f64, f64) {
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
    check_count("count", index, x)?;
    check_positive("population", index, n)?;
    if x > n {
        return Err(Error::OutOfBounds {
            arg: "count",
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

/// The proportion `count/population × multiplier` with Wilson limits at each level.
///
/// # Errors
/// `count` negative or above `population`, `population` not positive,
/// NaN/infinite inputs, a level outside (0, 1), or a zero/non-finite
/// multiplier: an error naming the argument.
///
/// ```
/// let p = jamlik::indicators::proportion(0.0, 50.0, &[0.95], 1.0)?;
/// assert_eq!(p.value, Some(0.0));
/// assert_eq!(p.limits[0].lower, Some(0.0));
/// # Ok::<(), jamlik::Error>(())
/// ```
pub fn proportion(
    count: f64,
    population: f64,
    levels: &[f64],
    multiplier: f64,
) -> Result<Indicator> {
    check_levels(levels)?;
    check_multiplier(multiplier)?;
    check_inputs(count, population, 0)?;
    Ok(compute(count, population, levels, multiplier))
}

/// Sums count and population within a group (compensated) after checking every row.
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
            check_count("count", i, x[i])?;
            check_positive("population", i, n[i])?;
        }
        sx.add(x[i]);
        sn.add(n[i]);
    }
    Ok((sx.value(), sn.value()))
}

/// Proportions per group: count and population are summed within each group
/// (also when there is only one group), one result per group. Row-by-row
/// proportions: [`Groups::each_row`].
///
/// # Errors
/// As [`proportion`], naming the first offending row; a length mismatch; a
/// missing value under [`MissingPolicy::Error`].
///
/// ```
/// use jamlik::MissingPolicy;
/// use jamlik::indicators::{proportion_by, CountOptions, Groups};
/// let opts = CountOptions { multiplier: 100.0, missing: MissingPolicy::Drop, ..CountOptions::default() };
/// let r = proportion_by(&[1.0, f64::NAN, 3.0], &[10.0, 10.0, 10.0], &Groups::each_row(3), &opts)?;
/// assert_eq!(r.first_row, vec![0, 2]);
/// assert_eq!(r.results[1].indicator.value, Some(30.0));
/// # Ok::<(), jamlik::Error>(())
/// ```
pub fn proportion_by(
    count: &[f64],
    population: &[f64],
    groups: &Groups,
    opts: &CountOptions,
) -> Result<Grouped<CountResult>> {
    counts_by(count, population, groups, opts, true, compute)
}

/// Sums `count` and `population` within each group (also for one group) and
/// applies `compute` to the totals: the grouped form shared by proportions
/// and rates. `bounded` is the proportion's extra check (count ≤ population).
pub(crate) fn counts_by(
    count: &[f64],
    population: &[f64],
    groups: &Groups,
    opts: &CountOptions,
    bounded: bool,
    compute: fn(f64, f64, &[f64], f64) -> Indicator,
) -> Result<Grouped<CountResult>> {
    let (levels, multiplier) = (&opts.levels, opts.multiplier);
    check_levels(levels)?;
    check_multiplier(multiplier)?;
    crate::validate::same_length("population", "count", count.len(), population.len())?;
    groups.check_len("count", count.len())?;
    let groups = opts.missing.apply(
        groups,
        &[("count", count, false), ("population", population, false)],
        MissingOptions::Drop,
    )?;
    let results = groups.map(|rows| {
        let (sx, sn) = group_totals(count, population, rows, bounded)?;
        Ok(CountResult {
            count: sx,
            population: sn,
            indicator: compute(sx, sn, levels, multiplier),
        })
    })?;
    Ok(Grouped {
        first_row: groups.first_rows(),
        results,
    })
}

/// Count-based results as columns (a struct of arrays): one entry per group,
/// one `lower`/`upper` column per level. The columnar forms
/// ([`proportion_columns`], [`super::rate_columns`]) give the same numbers as
/// [`proportion_by`] / [`super::rate_by`] bit for bit, without a result
/// struct and a limits vector per row, and with each level's quantile
/// computed once.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CountColumns {
    /// The count summed over each group.
    pub count: Vec<f64>,
    /// The population summed over each group.
    pub population: Vec<f64>,
    /// `count/population × multiplier`.
    pub value: Vec<f64>,
    /// Lower limits, one column per level (in the order of `levels`).
    pub lower: Vec<Vec<f64>>,
    /// Upper limits, one column per level.
    pub upper: Vec<Vec<f64>>,
    /// The method of each group ("Wilson", "Exact", "Byars").
    pub method: Vec<&'static str>,
    /// First input row of each group, to attach the keys.
    pub first_row: Vec<usize>,
}

/// How the columnar form computes a group's limits on the unscaled scale,
/// given the group totals and the level's precomputed state.
pub(crate) trait CountLimits: Sync {
    /// Per-level state (the critical value, cached quantiles).
    type Level: Sync;
    /// The state of one level.
    fn level(&self, level: f64) -> Self::Level;
    /// `(lower, upper)` of totals `(x, n)` on the value scale (multiplied).
    fn limits(&self, at: &Self::Level, x: f64, n: f64, multiplier: f64) -> (f64, f64);
    /// The method of totals `(x, n)`.
    fn method(&self, x: f64) -> &'static str;
}

/// Wilson limits for [`counts_columns`].
struct Wilson;

impl CountLimits for Wilson {
    type Level = f64;
    fn level(&self, level: f64) -> f64 {
        z(level)
    }
    #[inline]
    fn limits(&self, z: &f64, x: f64, n: f64, multiplier: f64) -> (f64, f64) {
        let (l, u) = wilson_limits_z(x, n, *z);
        (l * multiplier, u * multiplier)
    }
    fn method(&self, _x: f64) -> &'static str {
        "Wilson"
    }
}

/// Proportions per group as columns (see [`CountColumns`]); the same checks
/// and numbers as [`proportion_by`]. `groups = None` is row by row (as
/// [`Groups::each_row`], without building the index).
///
/// # Errors
/// As [`proportion_by`].
pub fn proportion_columns(
    count: &[f64],
    population: &[f64],
    groups: Option<&Groups>,
    opts: &CountOptions,
) -> Result<CountColumns> {
    counts_columns(count, population, groups, opts, true, &Wilson)
}

/// The columnar form of [`counts_by`]: totals per group in parallel (`None`:
/// each row), then each level's limits in one parallel pass over the totals.
pub(crate) fn counts_columns<L: CountLimits>(
    count: &[f64],
    population: &[f64],
    groups: Option<&Groups>,
    opts: &CountOptions,
    bounded: bool,
    how: &L,
) -> Result<CountColumns> {
    use rayon::prelude::*;
    let (levels, multiplier) = (&opts.levels, opts.multiplier);
    check_levels(levels)?;
    check_multiplier(multiplier)?;
    crate::validate::same_length("population", "count", count.len(), population.len())?;
    let (sx, sn, first_row) = match groups {
        None if !count.iter().chain(population).any(|v| v.is_nan()) => {
            // Row by row with nothing missing: the totals are the rows
            // themselves (through the same compensated sum), with no group
            // index built.
            opts.missing.check_offered(MissingOptions::Drop)?;
            // The checks of `group_totals` as one predicate; the first row
            // that fails it gets the full error.
            let ok = |x: f64, n: f64| {
                x.is_finite() && x >= 0.0 && n.is_finite() && n > 0.0 && (!bounded || x <= n)
            };
            if let Some(bad) = (0..count.len())
                .into_par_iter()
                .find_first(|&i| !ok(count[i], population[i]))
            {
                group_totals(count, population, &[bad], bounded)?;
            }
            let one = |v: f64| {
                let mut s = CompensatedSum::new();
                s.add(v);
                s.value()
            };
            let sx = count.par_iter().map(|&v| one(v)).collect();
            let sn = population.par_iter().map(|&v| one(v)).collect();
            (sx, sn, (0..count.len()).collect())
        }
        _ => {
            let each_row;
            let groups = if let Some(g) = groups {
                g
            } else {
                each_row = Groups::each_row(count.len());
                &each_row
            };
            groups.check_len("count", count.len())?;
            let groups = opts.missing.apply(
                groups,
                &[("count", count, false), ("population", population, false)],
                MissingOptions::Drop,
            )?;
            let totals = groups.map(|rows| group_totals(count, population, rows, bounded))?;
            let (sx, sn): (Vec<f64>, Vec<f64>) = totals.into_par_iter().unzip();
            (sx, sn, groups.first_rows())
        }
    };
    let value = sx
        .par_iter()
        .zip(&sn)
        .map(|(&x, &n)| x / n * multiplier)
        .collect();
    let (mut lower, mut upper) = (Vec::with_capacity(levels.len()), Vec::new());
    for &level in levels {
        let at = how.level(level);
        let (mut l, mut u) = (vec![0.0; sx.len()], vec![0.0; sx.len()]);
        l.par_iter_mut()
            .zip(&mut u)
            .zip(sx.par_iter().zip(&sn))
            .for_each(|((l, u), (&x, &n))| (*l, *u) = how.limits(&at, x, n, multiplier));
        lower.push(l);
        upper.push(u);
    }
    let method = sx.par_iter().map(|&x| how.method(x)).collect();
    Ok(CountColumns {
        count: sx,
        population: sn,
        value,
        lower,
        upper,
        method,
        first_row,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_equal_the_row_results_bit_for_bit() {
        let x = [0.0, 3.0, 50.0, 7.5, 1.0, 2.0];
        let n = [40.0, 80.0, 50.0, 60.0, 3.0, 9.0];
        let opts = CountOptions {
            levels: vec![0.95, 0.998],
            multiplier: 100.0,
            ..CountOptions::default()
        };
        let codes = Groups::new(Some(&[1, 2, 1, 3, 2, 1]), 6, "count").unwrap();
        for (groups, by) in [(Groups::each_row(6), None), (codes.clone(), Some(&codes))] {
            let rows = proportion_by(&x, &n, &groups, &opts).unwrap();
            let cols = proportion_columns(&x, &n, by, &opts).unwrap();
            assert_eq!(cols.first_row, rows.first_row);
            for (g, r) in rows.results.iter().enumerate() {
                assert_eq!(cols.count[g].to_bits(), r.count.to_bits());
                assert_eq!(cols.population[g].to_bits(), r.population.to_bits());
                assert_eq!(Some(cols.value[g]), r.indicator.value);
                assert_eq!(cols.method[g], r.indicator.method);
                for k in 0..2 {
                    assert_eq!(Some(cols.lower[k][g]), r.indicator.limits[k].lower);
                    assert_eq!(Some(cols.upper[k][g]), r.indicator.limits[k].upper);
                }
            }
        }
        let bad = proportion_columns(&[1.0, 5.0], &[4.0, 4.0], None, &opts);
        assert!(matches!(
            bad,
            Err(Error::OutOfBounds {
                arg: "count",
                index: 1,
                ..
            })
        ));
        let dropped = CountOptions {
            missing: MissingPolicy::Drop,
            ..opts
        };
        let cols = proportion_columns(&[1.0, f64::NAN, 2.0], &[4.0; 3], None, &dropped).unwrap();
        assert_eq!(cols.first_row, vec![0, 2]);
        assert!(
            proportion_columns(&[1.0, f64::NAN], &[4.0; 2], None, &CountOptions::default())
                .is_err()
        );
    }

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
