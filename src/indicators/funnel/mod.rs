//! Funnel plots: control limits around a baseline and a significance label
//! per area (Fingertips technical guidance; Spiegelhalter 2005).
//!
//! - **Proportions**: the limits of the proportion an area of size N would
//!   show by chance around the overall proportion π, by inverting Wilson's
//!   score interval (closed form, z = Φ⁻¹(1 − (1 − level)/2)):
//!   `A = π(N/z² + 1)`,
//!   `B = √((8A)² − 64(1/z² + 1/N)·π·(N(π(N/z² + 2) − 1) + z²(π − 1)))`,
//!   `limit = (A ∓ B/8) / (1/z² + 1/N) / N`, clamped to [0, 1], × multiplier.
//! - **Ratios** (observed/expected): for O observed events, the expected
//!   count E at which O is just significant: `P(X ≤ O | E) = (1 − level)/2`
//!   (lower limit, E = Γ⁻¹(1 − α/2; O + 1)) or `P(X ≥ O | E) = α/2` (upper,
//!   E = Γ⁻¹(α/2; O)); limit O/E ("count": O/E − 1, "isr": × 100).
//! - **Rates**: the same expected counts turned into populations with the
//!   baseline rate: population = E/baseline, limit = O/E · baseline.
//!
//! [`funnel_limits`] and [`funnel_significance`] work from the areas' data
//! (they set the baseline and the axis); the functions below them take a
//! baseline and compute limits or labels directly.
//!
//! The expected counts are solved exactly (gamma quantiles); the reference
//! package finds them by about 23 bisection steps, so its limits agree with
//! these to about 1e-7 relative.

mod data;

pub use data::{
    FunnelData, FunnelLimits, FunnelOptions, Points, RateType, Significance, Statistic,
    funnel_limits, funnel_significance,
};

use crate::error::{Error, Result};
use crate::indicators::poisson::{count_limits, gamma_quantile};
use crate::indicators::{check_levels, check_multiplier};
use serde::Serialize;

/// Lower and upper control limit at one level.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ControlLimits {
    /// Confidence level (0.95 → "2 sigma", 0.998 → "3 sigma").
    pub level: f64,
    /// Lower control limit.
    pub lower: f64,
    /// Upper control limit.
    pub upper: f64,
    /// Expected count at the lower limit (ratios/rates) or NaN-free `None` (proportions).
    pub lower_expected: Option<f64>,
    /// Expected count at the upper limit (ratios/rates).
    pub upper_expected: Option<f64>,
}

/// What a ratio funnel shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum RatioType {
    /// O/E − 1 (0 = as expected).
    Count,
    /// O/E × 100 (an indirectly standardised ratio).
    Isr,
}

/// Proportion control limits for an area of size `n` around `baseline` (a
/// proportion in [0, 1]), clamped to [0, 1] and multiplied.
pub fn proportion_limit(baseline: f64, n: f64, level: f64, multiplier: f64) -> (f64, f64) {
    let z = crate::indicators::z(level);
    let z2 = z * z;
    let pi = baseline;
    let a = pi * (n / z2 + 1.0);
    let c = 1.0 / z2 + 1.0 / n;
    let b = ((8.0 * a).powi(2)
        - 64.0 * c * pi * (n * (pi * (n / z2 + 2.0) - 1.0) + z2 * (pi - 1.0)))
        .sqrt();
    let lower = ((a - b / 8.0) / c / n).clamp(0.0, 1.0);
    let upper = ((a + b / 8.0) / c / n).clamp(0.0, 1.0);
    (lower * multiplier, upper * multiplier)
}

fn check_points(arg: &'static str, x: &[f64], positive: bool) -> Result<()> {
    crate::validate::non_empty(arg, x)?;
    for (i, &v) in x.iter().enumerate() {
        if positive {
            crate::indicators::check_positive(arg, i, v)?;
        } else {
            crate::indicators::check_count(arg, i, v)?;
        }
    }
    Ok(())
}

/// Proportion funnel: limits at each population size in `population`.
///
/// # Errors
/// `baseline` outside [0, 1], populations ≤ 0, bad levels or multiplier.
pub fn proportion_limits(
    baseline: f64,
    population: &[f64],
    levels: &[f64],
    multiplier: f64,
) -> Result<Vec<Vec<ControlLimits>>> {
    check_levels(levels)?;
    check_multiplier(multiplier)?;
    if !(0.0..=1.0).contains(&baseline) {
        return Err(Error::invalid(
            "baseline",
            format!("must be a proportion in [0, 1], got {baseline}"),
        ));
    }
    check_points("population", population, true)?;
    Ok(population
        .iter()
        .map(|&n| {
            levels
                .iter()
                .map(|&level| {
                    let (lower, upper) = proportion_limit(baseline, n, level, multiplier);
                    ControlLimits {
                        level,
                        lower,
                        upper,
                        lower_expected: None,
                        upper_expected: None,
                    }
                })
                .collect()
        })
        .collect())
}

/// Expected counts at which `observed` is just significant at `level`:
/// `(E_lower, E_upper)`; the lower *limit* O/E_lower uses the larger E.
fn expected_at(observed: f64, level: f64) -> (f64, f64) {
    let alpha = 1.0 - level;
    let e_for_lower = gamma_quantile(observed + 1.0, 1.0 - alpha / 2.0);
    let e_for_upper = if observed > 0.0 {
        gamma_quantile(observed, alpha / 2.0)
    } else {
        0.0
    };
    (e_for_lower, e_for_upper)
}

/// Ratio funnel: limits of O/E at each observed count.
///
/// # Errors
/// Negative observed counts, bad levels.
pub fn ratio_limits(
    count: &[f64],
    levels: &[f64],
    ratio_type: RatioType,
) -> Result<Vec<Vec<ControlLimits>>> {
    check_levels(levels)?;
    check_points("count", count, false)?;
    let map = |r: f64| match ratio_type {
        RatioType::Count => r - 1.0,
        RatioType::Isr => r * 100.0,
    };
    Ok(count
        .iter()
        .map(|&o| {
            levels
                .iter()
                .map(|&level| {
                    let (el, eu) = expected_at(o, level);
                    ControlLimits {
                        level,
                        lower: map(o / el),
                        upper: map(if eu > 0.0 { o / eu } else { f64::INFINITY }),
                        lower_expected: Some(el),
                        upper_expected: Some(eu),
                    }
                })
                .collect()
        })
        .collect())
}

/// Rate funnel at each observed count, around `baseline` (a rate per
/// `multiplier`). `lower_expected`/`upper_expected` hold the populations
/// (per year of data, divided by `years`) at which the count is just significant.
///
/// # Errors
/// Negative counts, a baseline that is not positive, `years` not positive, bad levels.
pub fn rate_limits(
    count: &[f64],
    baseline: f64,
    multiplier: f64,
    years: f64,
    levels: &[f64],
) -> Result<Vec<Vec<ControlLimits>>> {
    check_levels(levels)?;
    check_multiplier(multiplier)?;
    if !(baseline.is_finite() && baseline > 0.0) {
        return Err(Error::invalid(
            "baseline",
            format!("must be a positive rate, got {baseline}"),
        ));
    }
    if !(years.is_finite() && years > 0.0) {
        return Err(Error::invalid(
            "years",
            format!("must be positive, got {years}"),
        ));
    }
    check_points("count", count, false)?;
    let per_person = baseline / multiplier;
    Ok(count
        .iter()
        .map(|&o| {
            levels
                .iter()
                .map(|&level| {
                    let (el, eu) = expected_at(o, level);
                    let (pl, pu) = (el / per_person, eu / per_person);
                    ControlLimits {
                        level,
                        lower: o / pl * multiplier,
                        upper: if pu > 0.0 {
                            o / pu * multiplier
                        } else {
                            f64::INFINITY
                        },
                        lower_expected: Some(pl / years),
                        upper_expected: Some(pu / years),
                    }
                })
                .collect()
        })
        .collect())
}

/// Baseline rate of a set of areas: Σcount / Σpopulation × multiplier.
/// For DSRs pass `rate` instead of `population`: the population is then
/// derived as multiplier·O/rate, and areas without events are left out.
///
/// # Errors
/// Length mismatch, negative counts, no usable area.
pub fn rate_baseline(
    count: &[f64],
    population: Option<&[f64]>,
    rate: Option<&[f64]>,
    multiplier: f64,
) -> Result<f64> {
    check_multiplier(multiplier)?;
    check_points("count", count, false)?;
    let (mut so, mut sd) = (0.0, 0.0);
    match (population, rate) {
        (Some(d), _) => {
            crate::validate::same_length("population", "count", count.len(), d.len())?;
            check_points("population", d, true)?;
            so = crate::stats::sum(count.iter().copied());
            sd = crate::stats::sum(d.iter().copied());
        }
        (None, Some(r)) => {
            crate::validate::same_length("rate", "count", count.len(), r.len())?;
            for (i, (&o, &r)) in count.iter().zip(r).enumerate() {
                if o > 0.0 {
                    crate::indicators::check_positive("rate", i, r)?;
                    so += o;
                    sd += multiplier * o / r;
                }
            }
        }
        (None, None) => {
            return Err(Error::invalid("population", "give `population` or `rate`"));
        }
    }
    if sd <= 0.0 {
        return Err(Error::Degenerate {
            arg: "count",
            reason: "no area with events to set the baseline".into(),
        });
    }
    Ok(so / sd * multiplier)
}

/// Label text for a tail probability, e.g. "High (0.025)".
fn label(high: bool, level: f64) -> String {
    let tail = (1.0 - level) / 2.0;
    let tail = (tail * 1e12).round() / 1e12;
    format!("{} ({tail})", if high { "High" } else { "Low" })
}

/// Significance label from an area's position relative to limits at several
/// levels: the widest level it lies outside of wins.
fn classify(levels: &[f64], outside: impl Fn(f64) -> (bool, bool)) -> String {
    let mut sorted = levels.to_vec();
    sorted.sort_by(|a, b| b.total_cmp(a));
    for level in sorted {
        let (high, low) = outside(level);
        if high {
            return label(true, level);
        }
        if low {
            return label(false, level);
        }
    }
    "Not significant".into()
}

/// Significance of each area's proportion against the funnel around the
/// overall proportion Σcount/Σpopulation.
///
/// # Errors
/// Negative counts, populations ≤ 0, a count above its population, bad levels.
pub fn proportion_significance(
    count: &[f64],
    population: &[f64],
    levels: &[f64],
) -> Result<Vec<String>> {
    check_levels(levels)?;
    crate::validate::same_length("population", "count", count.len(), population.len())?;
    check_points("count", count, false)?;
    check_points("population", population, true)?;
    if let Some(i) = (0..count.len()).find(|&i| count[i] > population[i]) {
        return Err(Error::OutOfBounds {
            arg: "count",
            index: i,
            value: count[i],
            lower: 0.0,
            upper: population[i],
        });
    }
    let av =
        crate::stats::sum(count.iter().copied()) / crate::stats::sum(population.iter().copied());
    Ok(count
        .iter()
        .zip(population)
        .map(|(&x, &n)| {
            let p = x / n;
            classify(levels, |level| {
                let (lo, hi) = proportion_limit(av, n, level, 1.0);
                (p > hi, p < lo)
            })
        })
        .collect())
}

/// Significance of each area's ratio O/E against 1, from the exact (O < 10)
/// or Byars limits of O.
///
/// # Errors
/// Negative counts, expected counts ≤ 0, bad levels.
pub fn ratio_significance(count: &[f64], expected: &[f64], levels: &[f64]) -> Result<Vec<String>> {
    check_levels(levels)?;
    crate::validate::same_length("expected", "count", count.len(), expected.len())?;
    check_points("count", count, false)?;
    check_points("expected", expected, true)?;
    Ok(count
        .iter()
        .zip(expected)
        .map(|(&o, &e)| {
            classify(levels, |level| {
                let (l, u, _) = count_limits(o, level);
                (l / e > 1.0, u / e < 1.0)
            })
        })
        .collect())
}

/// Significance of each area's rate against `baseline` (per `multiplier`):
/// the exact (O < 10) or Byars limits of O divided by the population. For
/// DSRs pass the derived population multiplier·O/DSR and `dsr = true`: areas
/// with fewer than 10 events get "Not applicable for events less than 10 for dsrs".
///
/// # Errors
/// Negative counts, populations ≤ 0, bad levels or multiplier.
pub fn rate_significance(
    count: &[f64],
    population: &[f64],
    baseline: f64,
    multiplier: f64,
    dsr: bool,
    levels: &[f64],
) -> Result<Vec<String>> {
    check_levels(levels)?;
    check_multiplier(multiplier)?;
    crate::validate::same_length("population", "count", count.len(), population.len())?;
    check_points("count", count, false)?;
    count
        .iter()
        .zip(population)
        .enumerate()
        .map(|(i, (&o, &d))| {
            if dsr && o < crate::indicators::poisson::EXACT_BELOW {
                return Ok("Not applicable for events less than 10 for dsrs".to_string());
            }
            crate::indicators::check_positive("population", i, d)?;
            Ok(classify(levels, |level| {
                let (l, u, _) = count_limits(o, level);
                (l / d * multiplier > baseline, u / d * multiplier < baseline)
            }))
        })
        .collect::<Result<Vec<_>>>()
}

/// The package's default funnel axis is not reproduced; this is jamlik's:
/// `points` values from `min` to `max`, spaced geometrically (from 1 when
/// `min` is 0), rounded to integers and strictly increasing.
///
/// # Errors
/// `max` not above `min`, fewer than 2 points.
pub fn axis(min: f64, max: f64, points: usize) -> Result<Vec<f64>> {
    if points < 2 {
        return Err(Error::invalid("points", "at least 2"));
    }
    let lo = min.max(1.0);
    if !(max.is_finite() && max > lo) {
        return Err(Error::invalid(
            "max",
            format!("must exceed {lo}, got {max}"),
        ));
    }
    let ratio = (max / lo).ln() / (points - 1) as f64;
    let mut out: Vec<f64> = crate::alloc::vec_with_capacity("points", points)?;
    for i in 0..points {
        let v = (lo * (ratio * i as f64).exp()).round();
        let v = match out.last() {
            Some(&p) if v <= p => p + 1.0,
            _ => v,
        };
        out.push(v);
    }
    Ok(out)
}
