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
use crate::alloc::fresh_column;
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
#[inline]
pub fn wilson_limits_z(x: f64, n: f64, z: f64) -> (f64, f64) {
    let z2 = z * z;
    let root = z * (z2 + 4.0 * x * (1.0 - x / n)).sqrt();
    let denom = 2.0 * (n + z2);
    // Both limits computed, then the exact edges selected: no branch, so
    // that loops over rows vectorise.
    let lower = (2.0 * x + z2 - root) / denom;
    let upper = (2.0 * x + z2 + root) / denom;
    (
        if x == 0.0 { 0.0 } else { lower },
        if x == n { 1.0 } else { upper },
    )
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
    /// The method of each group as an index into `methods` (one byte a row
    /// rather than a string).
    pub method: Vec<i8>,
    /// The method names `method` indexes ("Wilson"; "Exact", "Byars").
    pub methods: &'static [&'static str],
    /// First input row of each group, to attach the keys; `None` when every
    /// row is its own group in input order (row by row with nothing dropped).
    pub first_row: Option<Vec<usize>>,
}

impl CountColumns {
    /// The method name of group `g`.
    pub fn method_of(&self, g: usize) -> &'static str {
        usize::try_from(self.method[g])
            .ok()
            .and_then(|k| self.methods.get(k))
            .copied()
            .unwrap_or("")
    }
}

/// How the columnar form computes a group's limits on the unscaled scale,
/// given the group totals and the level's precomputed state.
pub(crate) trait CountLimits: Sync {
    /// Per-level state (the critical value, cached quantiles).
    type Level: Sync;
    /// The method names, indexed by [`CountLimits::method`].
    const METHODS: &'static [&'static str];
    /// The state of one level.
    fn level(&self, level: f64) -> Self::Level;
    /// `(lower, upper)` of totals `(x, n)` on the value scale (multiplied).
    fn limits(&self, at: &Self::Level, x: f64, n: f64, multiplier: f64) -> (f64, f64);
    /// The method of totals `(x, n)`, as an index into `METHODS`.
    fn method(&self, x: f64) -> i8;
    /// [`CountLimits::limits`] over slices of totals, into `lower`/`upper`.
    fn limits_into(
        &self,
        at: &Self::Level,
        (xs, ns): (&[f64], &[f64]),
        multiplier: f64,
        (lower, upper): (&mut [f64], &mut [f64]),
    ) {
        for (((l, u), &x), &n) in lower.iter_mut().zip(upper).zip(xs).zip(ns) {
            (*l, *u) = self.limits(at, x, n, multiplier);
        }
    }
}

/// Wilson limits for [`counts_columns`].
struct Wilson;

impl CountLimits for Wilson {
    type Level = f64;
    const METHODS: &'static [&'static str] = &["Wilson"];
    fn level(&self, level: f64) -> f64 {
        z(level)
    }
    #[inline]
    fn limits(&self, z: &f64, x: f64, n: f64, multiplier: f64) -> (f64, f64) {
        let (l, u) = wilson_limits_z(x, n, *z);
        (l * multiplier, u * multiplier)
    }
    #[inline]
    fn method(&self, _x: f64) -> i8 {
        0
    }
    fn limits_into(
        &self,
        z: &f64,
        (xs, ns): (&[f64], &[f64]),
        multiplier: f64,
        (lower, upper): (&mut [f64], &mut [f64]),
    ) {
        // The critical value in a local, so that the loop vectorises.
        let z = *z;
        for (((l, u), &x), &n) in lower.iter_mut().zip(upper).zip(xs).zip(ns) {
            let (lw, up) = wilson_limits_z(x, n, z);
            (*l, *u) = (lw * multiplier, up * multiplier);
        }
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

/// A row total through the same compensated sum as [`group_totals`] (so
/// −0 becomes +0 exactly as there).
#[inline]
fn one(v: f64) -> f64 {
    let mut s = CompensatedSum::new();
    s.add(v);
    s.value()
}

/// Rows per parallel task of the fused row-by-row pass.
const CHUNK: usize = 1 << 14;

/// The row-by-row columns in one fused parallel pass over the inputs: the
/// checks, totals, value, method and the first level's limits per row, then
/// one pass per further level. `None` when some row fails a check (missing,
/// negative, ...): the caller then takes the general path, which applies the
/// `missing` policy and names the offending row.
fn row_columns<L: CountLimits>(
    count: &[f64],
    population: &[f64],
    levels: &[f64],
    multiplier: f64,
    bounded: bool,
    how: &L,
) -> Option<CountColumns> {
    use rayon::prelude::*;
    let n = count.len();
    // The checks of `group_totals` as comparisons that NaN fails, combined
    // without short-circuits (so that they vectorise).
    #[allow(clippy::needless_bitwise_bool, clippy::manual_range_contains)]
    let ok = |x: f64, p: f64| {
        (x >= 0.0) & (x < f64::INFINITY) & (p > 0.0) & (p < f64::INFINITY) & (!bounded | (x <= p))
    };
    let at: Vec<L::Level> = levels.iter().map(|&l| how.level(l)).collect();
    let (mut sx, mut sn, mut value) = (fresh_column(n), fresh_column(n), fresh_column(n));
    let mut method = fresh_column::<i8>(n);
    let (mut lo, mut up) = if at.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        (fresh_column(n), fresh_column(n))
    };
    // The first level's limit chunks (or none), one entry per chunk of rows.
    let chunks = n.div_ceil(CHUNK);
    let first: Vec<Option<(&mut [f64], &mut [f64])>> = if at.is_empty() {
        (0..chunks).map(|_| None).collect()
    } else {
        lo.chunks_mut(CHUNK)
            .zip(up.chunks_mut(CHUNK))
            .map(Some)
            .collect()
    };
    let all_ok = sx
        .par_chunks_mut(CHUNK)
        .zip(sn.par_chunks_mut(CHUNK))
        .zip(value.par_chunks_mut(CHUNK))
        .zip(method.par_chunks_mut(CHUNK))
        .zip(first)
        .enumerate()
        .all(|(j, ((((cx, cn), v), m), lu))| {
            let base = j * CHUNK;
            let (xs, ps) = (
                &count[base..base + cx.len()],
                &population[base..base + cx.len()],
            );
            // Branch-free loops, one job each, so that the compiler can
            // vectorise them (the checks as one and-reduction).
            if !xs.iter().zip(ps).fold(true, |a, (&x, &p)| a & ok(x, p)) {
                return false;
            }
            for (t, &x) in cx.iter_mut().zip(xs) {
                *t = one(x);
            }
            for (t, &p) in cn.iter_mut().zip(ps) {
                *t = one(p);
            }
            for ((v, &x), &p) in v.iter_mut().zip(&*cx).zip(&*cn) {
                *v = x / p * multiplier;
            }
            for (m, &x) in m.iter_mut().zip(&*cx) {
                *m = how.method(x);
            }
            if let Some(lu) = lu {
                how.limits_into(&at[0], (cx, cn), multiplier, lu);
            }
            true
        });
    if !all_ok {
        return None;
    }
    let (mut lower, mut upper) = (Vec::with_capacity(at.len()), Vec::with_capacity(at.len()));
    if !at.is_empty() {
        lower.push(lo);
        upper.push(up);
    }
    for a in at.iter().skip(1) {
        let (l, u) = level_columns(&sx, &sn, a, multiplier, how);
        lower.push(l);
        upper.push(u);
    }
    Some(CountColumns {
        count: sx,
        population: sn,
        value,
        lower,
        upper,
        method,
        methods: L::METHODS,
        first_row: None,
    })
}

/// One level's limit columns from the totals.
fn level_columns<L: CountLimits>(
    sx: &[f64],
    sn: &[f64],
    at: &L::Level,
    multiplier: f64,
    how: &L,
) -> (Vec<f64>, Vec<f64>) {
    use rayon::prelude::*;
    let (mut l, mut u) = (fresh_column(sx.len()), fresh_column(sx.len()));
    l.par_chunks_mut(CHUNK)
        .zip(u.par_chunks_mut(CHUNK))
        .zip(sx.par_chunks(CHUNK).zip(sn.par_chunks(CHUNK)))
        .for_each(|(lu, xn)| how.limits_into(at, xn, multiplier, lu));
    (l, u)
}

/// The columnar form of [`counts_by`]: row by row, one fused pass (see
/// [`row_columns`]); per group, totals per group in parallel, then each
/// level's limits in one parallel pass over the totals.
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
    if groups.is_none() {
        opts.missing.check_offered(MissingOptions::Drop)?;
        if let Some(cols) = row_columns(count, population, levels, multiplier, bounded, how) {
            return Ok(cols);
        }
    }
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
    let value = sx
        .par_iter()
        .zip(&sn)
        .map(|(&x, &n)| x / n * multiplier)
        .collect();
    let (mut lower, mut upper) = (Vec::with_capacity(levels.len()), Vec::new());
    for &level in levels {
        let (l, u) = level_columns(&sx, &sn, &how.level(level), multiplier, how);
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
        methods: L::METHODS,
        first_row: Some(groups.first_rows()),
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
            assert_eq!(
                cols.first_row
                    .clone()
                    .unwrap_or_else(|| (0..rows.first_row.len()).collect()),
                rows.first_row
            );
            for (g, r) in rows.results.iter().enumerate() {
                assert_eq!(cols.count[g].to_bits(), r.count.to_bits());
                assert_eq!(cols.population[g].to_bits(), r.population.to_bits());
                assert_eq!(Some(cols.value[g]), r.indicator.value);
                assert_eq!(cols.method_of(g), r.indicator.method);
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
        assert_eq!(cols.first_row, Some(vec![0, 2]));
        assert!(
            proportion_columns(&[1.0, f64::NAN], &[4.0; 2], None, &CountOptions::default())
                .is_err()
        );
    }

    #[test]
    fn fused_rows_over_many_chunks_equal_the_row_results() {
        let n = 3 * CHUNK + 17;
        let pop: Vec<f64> = (0..n).map(|i| 1.0 + (i % 977) as f64).collect();
        let x: Vec<f64> = (0..n)
            .map(|i| ((i * 7919) % 1000) as f64 % pop[i])
            .collect();
        let opts = CountOptions {
            levels: vec![0.95, 0.9],
            ..CountOptions::default()
        };
        let rows = proportion_by(&x, &pop, &Groups::each_row(n), &opts).unwrap();
        let cols = proportion_columns(&x, &pop, None, &opts).unwrap();
        assert_eq!(cols.first_row, None);
        for (g, r) in rows.results.iter().enumerate() {
            assert_eq!(cols.count[g].to_bits(), r.count.to_bits());
            assert_eq!(Some(cols.value[g]), r.indicator.value);
            for k in 0..2 {
                assert_eq!(Some(cols.lower[k][g]), r.indicator.limits[k].lower);
                assert_eq!(Some(cols.upper[k][g]), r.indicator.limits[k].upper);
            }
        }
        // Two bad rows in different chunks: the error names the first.
        let mut bad = x.clone();
        bad[2 * CHUNK + 5] = -1.0;
        bad[CHUNK + 3] = pop[CHUNK + 3] + 1.0;
        let err = proportion_columns(&bad, &pop, None, &opts);
        assert!(matches!(err, Err(Error::OutOfBounds { index, .. }) if index == CHUNK + 3));
        let none = CountOptions {
            levels: vec![],
            ..CountOptions::default()
        };
        let cols = proportion_columns(&x, &pop, None, &none).unwrap();
        assert!(cols.lower.is_empty() && cols.value.len() == n);
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
