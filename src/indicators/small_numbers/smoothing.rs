//! Empirical-Bayes smoothing toward a group mean: the global method-of-moments
//! estimators of R spdep's `EBest`, computed within each group.
//!
//! In a group of `m` areas with counts `nᵢ` and denominators `xᵢ` (populations,
//! or expected counts for ratios), raw values `pᵢ = nᵢ/xᵢ`, mean
//! `b = Σn/Σx`, weighted variance `s² = Σxᵢ(pᵢ − b)²/Σx` and mean size
//! `x̄ = Σx/m`:
//!
//! - **Poisson–gamma** (rates and ratios; Marshall 1991): prior variance
//!   `a = s² − b/x̄`, truncated at 0 when negative; `θᵢ = b + Cᵢ(pᵢ − b)` with
//!   `Cᵢ = a/(a + b/xᵢ)`.
//! - **Beta–binomial** (proportions; Martuzzi & Elliott 1996):
//!   `ρᵢ = (xᵢs² − (xᵢ/x̄)b(1 − b)) / ((xᵢ − 1)s² + ((x̄ − xᵢ)/x̄)b(1 − b))`,
//!   `θᵢ = b + ρᵢ(pᵢ − b)`. When the between-area variance `s² − b(1 − b)/x̄` is
//!   negative, spdep's `ρᵢ` is negative and pushes areas past the mean; jamlik
//!   truncates it at 0 (full shrinkage), as the Poisson–gamma estimator does.
//!
//! A group whose estimator is undefined (one area, all counts zero) shrinks fully
//! to `b`. Values, smoothed values, `b` and the prior variance are returned times
//! the multiplier (the variance times its square).

use crate::error::{Error, MissingOptions, Result};
use crate::indicators::Groups;
use crate::indicators::funnel::Statistic;
use crate::validate::MissingPolicy;

/// Options of [`smooth`].
#[derive(Debug, Clone, PartialEq)]
pub struct SmoothOptions {
    /// Proportions (beta–binomial), rates or ratios (Poisson–gamma; ratios take
    /// expected counts as the denominator).
    pub statistic: Statistic,
    /// Value per `multiplier`; `None`: 100 for proportions, 100 000 for rates, 1
    /// for ratios.
    pub multiplier: Option<f64>,
    /// Missing counts or denominators: [`MissingPolicy::Error`] (default) or
    /// [`MissingPolicy::Drop`] (the row gets no smoothed value and does not enter
    /// its group's estimator).
    pub missing: MissingPolicy,
}

impl Default for SmoothOptions {
    fn default() -> Self {
        Self {
            statistic: Statistic::Proportion,
            multiplier: None,
            missing: MissingPolicy::Error,
        }
    }
}

impl SmoothOptions {
    /// The multiplier in use.
    pub fn multiplier(&self) -> f64 {
        self.multiplier.unwrap_or(match self.statistic {
            Statistic::Proportion => 100.0,
            Statistic::Ratio => 1.0,
            Statistic::Rate => 100_000.0,
        })
    }
}

/// Raw and smoothed values per input row (NaN for rows left out).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Smoothed {
    /// The raw value `count / denominator × multiplier`.
    pub value: Vec<f64>,
    /// The empirical-Bayes estimate.
    pub smoothed: Vec<f64>,
    /// Weight of the raw value (`Cᵢ` or `ρᵢ`): 0 is full shrinkage to the mean.
    pub shrinkage: Vec<f64>,
    /// The group's mean `b` (the prior mean).
    pub prior_mean: Vec<f64>,
    /// The group's between-area (prior) variance, truncated at 0.
    pub prior_variance: Vec<f64>,
}

fn check(
    count: &[f64],
    denominator: &[f64],
    arg: &'static str,
    opts: &SmoothOptions,
) -> Result<()> {
    crate::validate::same_length(arg, "count", count.len(), denominator.len())?;
    opts.missing.check_offered(MissingOptions::Drop)?;
    let m = opts.multiplier();
    if !m.is_finite() || m <= 0.0 {
        return Err(Error::invalid(
            "multiplier",
            format!("must be positive, got {m}"),
        ));
    }
    for (i, (&c, &x)) in count.iter().zip(denominator).enumerate() {
        if c.is_nan() || x.is_nan() {
            if opts.missing == MissingPolicy::Error {
                return Err(Error::Missing {
                    arg: if c.is_nan() { "count" } else { arg },
                    index: i,
                    options: MissingOptions::Drop,
                });
            }
            continue;
        }
        crate::indicators::check_count("count", i, c)?;
        crate::indicators::check_positive(arg, i, x)?;
        if opts.statistic == Statistic::Proportion && c > x {
            return Err(Error::OutOfBounds {
                arg: "count",
                index: i,
                value: c,
                lower: 0.0,
                upper: x,
            });
        }
    }
    Ok(())
}

/// Empirical-Bayes estimates of every row, toward the mean of its group.
///
/// `denominator` is the population (proportions, rates) or the expected count
/// (ratios).
///
/// # Errors
/// Lengths that differ; a negative or non-finite count, a denominator not
/// positive, a proportion's count above its population; a missing value under
/// [`MissingPolicy::Error`]; a multiplier not positive: an error naming the
/// argument and row.
///
/// ```
/// use jamlik::indicators::{Groups, small_numbers::{smooth, SmoothOptions}};
/// use jamlik::indicators::funnel::Statistic;
/// let opts = SmoothOptions { statistic: Statistic::Rate, multiplier: Some(1.0), ..Default::default() };
/// let s = smooth(&[0.0, 10.0, 40.0], &[10.0, 100.0, 100.0], &Groups::single(3), &opts)?;
/// assert!((s.prior_mean[0] - 50.0 / 210.0).abs() < 1e-15);
/// // The small area moves most of the way to the mean, the large ones less.
/// assert!(s.shrinkage[0] < s.shrinkage[1]);
/// # Ok::<(), jamlik::Error>(())
/// ```
pub fn smooth(
    count: &[f64],
    denominator: &[f64],
    groups: &Groups,
    opts: &SmoothOptions,
) -> Result<Smoothed> {
    let arg = if opts.statistic == Statistic::Ratio {
        "expected"
    } else {
        "population"
    };
    check(count, denominator, arg, opts)?;
    groups.check_len("count", count.len())?;
    let mult = opts.multiplier();
    let binomial = opts.statistic == Statistic::Proportion;
    let per_group = groups.map(|rows| {
        let rows: Vec<usize> = rows
            .iter()
            .copied()
            .filter(|&i| !count[i].is_nan() && !denominator[i].is_nan())
            .collect();
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let m = rows.len() as f64;
        let nsum = crate::stats::sum(rows.iter().map(|&i| count[i]));
        let xsum = crate::stats::sum(rows.iter().map(|&i| denominator[i]));
        let b = nsum / xsum;
        let s2 = crate::stats::sum(rows.iter().map(|&i| {
            let p = count[i] / denominator[i];
            denominator[i] * (p - b) * (p - b) / xsum
        }));
        let xbar = xsum / m;
        let v = if binomial { b * (1.0 - b) } else { b };
        // Between-area variance; negative: no evidence of any, full shrinkage.
        let a = (s2 - v / xbar).max(0.0);
        Ok(rows
            .iter()
            .map(|&i| {
                let (p, x) = (count[i] / denominator[i], denominator[i]);
                let w = if a <= 0.0 {
                    0.0
                } else if binomial {
                    (x * s2 - (x / xbar) * v) / ((x - 1.0) * s2 + ((xbar - x) / xbar) * v)
                } else {
                    a / (a + b / x)
                };
                let w = if w.is_finite() { w } else { 0.0 };
                (
                    i,
                    [
                        p * mult,
                        (b + w * (p - b)) * mult,
                        w,
                        b * mult,
                        a * mult * mult,
                    ],
                )
            })
            .collect::<Vec<_>>())
    })?;
    let n = count.len();
    let mut out = Smoothed {
        value: vec![f64::NAN; n],
        smoothed: vec![f64::NAN; n],
        shrinkage: vec![f64::NAN; n],
        prior_mean: vec![f64::NAN; n],
        prior_variance: vec![f64::NAN; n],
    };
    for (i, [p, s, w, b, a]) in per_group.into_iter().flatten() {
        out.value[i] = p;
        out.smoothed[i] = s;
        out.shrinkage[i] = w;
        out.prior_mean[i] = b;
        out.prior_variance[i] = a;
    }
    Ok(out)
}
