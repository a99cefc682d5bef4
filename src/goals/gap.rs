//! Gap closure: is a gap (women vs men, a municipality vs the nation, an equity
//! measure over time) closing, when does it close at its current trend, and how
//! fast must it shrink to close within a generation?
//!
//! The trend is an ordinary least-squares line `gap = a + b·year` with the slope's
//! standard error `sqrt(σ̂² / Σ(t − t̄)²)`, `σ̂² = RSS/(n − 2)`, and a Student-t
//! confidence interval with `n − 2` degrees of freedom.
//!
//! ```
//! use jamlik::goals::gap::{gap_closure, GapOptions};
//! let years = [2015, 2016, 2017, 2018, 2019];
//! let gap = [5.0, 4.5, 4.0, 3.5, 3.0];
//! let g = gap_closure(&years, &gap, &GapOptions::default())?;
//! assert!((g.slope.value + 0.5).abs() < 1e-12);
//! assert!((g.closure_year.unwrap() - 2025.0).abs() < 1e-9);
//! # Ok::<(), jamlik::Error>(())
//! ```

use crate::error::{Error, MissingOptions, Result};
use crate::estimate::Estimate;
use crate::stats::{CompensatedSum, check_level};
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, StudentsT};

/// Options of [`gap_closure`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GapOptions {
    /// Years within which the gap should close ("within a generation"): 25.
    pub generation_years: f64,
    /// Confidence level of the slope interval.
    pub level: f64,
}

impl Default for GapOptions {
    fn default() -> Self {
        Self {
            generation_years: 25.0,
            level: 0.95,
        }
    }
}

/// The result of [`gap_closure`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GapClosure {
    /// Number of years used.
    pub n: usize,
    /// First and last year.
    pub first_year: i32,
    /// Last year.
    pub last_year: i32,
    /// Observed gap in the last year.
    pub latest_gap: f64,
    /// Fitted gap in the last year (`a + b·last_year`).
    pub fitted_latest_gap: f64,
    /// OLS slope per year with SE and t interval.
    pub slope: Estimate,
    /// Year the fitted line reaches zero, if the trend points toward zero.
    pub closure_year: Option<f64>,
    /// Closure year at the slope's confidence limits (earliest, latest); a side is
    /// `None` when that limit does not point toward zero.
    pub closure_year_range: (Option<f64>, Option<f64>),
    /// Years the gap should close within.
    pub generation_years: f64,
    /// Linear change per year that closes the observed latest gap within the
    /// generation: `−latest_gap / generation_years`.
    pub required_annual_change: f64,
    /// `slope / required_annual_change`: 1 = exactly fast enough, < 0 widening.
    pub pace_ratio: Option<f64>,
    /// One line of text.
    pub text: String,
}

fn closes_at(fitted_latest: f64, slope: f64, last_year: i32) -> Option<f64> {
    if fitted_latest == 0.0 {
        return Some(f64::from(last_year));
    }
    if slope != 0.0 && slope.signum() != fitted_latest.signum() {
        Some(f64::from(last_year) - fitted_latest / slope)
    } else {
        None
    }
}

/// Trend and closure of a gap series (any sign: the target is zero).
///
/// # Errors
/// [`Error::LengthMismatch`], [`Error::Empty`]; [`Error::NonFinite`]/[`Error::Missing`]
/// for non-finite gaps; [`Error::TooFew`] with fewer than three years (the slope's SE
/// needs `n − 2 ≥ 1`); [`Error::InvalidArgument`] for duplicated years or a
/// non-positive generation; [`Error::InvalidLevel`].
pub fn gap_closure(years: &[i32], gaps: &[f64], options: &GapOptions) -> Result<GapClosure> {
    let level = check_level("level", options.level)?;
    if gaps.len() != years.len() {
        return Err(Error::LengthMismatch {
            arg: "gaps",
            other: "years",
            expected: years.len(),
            found: gaps.len(),
        });
    }
    if years.is_empty() {
        return Err(Error::Empty { arg: "years" });
    }
    let generation = options.generation_years;
    if !(generation.is_finite() && generation > 0.0) {
        return Err(Error::invalid(
            "generation_years",
            format!("must be positive, got {generation}"),
        ));
    }
    for (i, &g) in gaps.iter().enumerate() {
        if g.is_nan() {
            return Err(Error::Missing {
                arg: "gaps",
                index: i,
                options: MissingOptions::None,
            });
        }
        if !g.is_finite() {
            return Err(Error::NonFinite {
                arg: "gaps",
                index: i,
                value: g,
            });
        }
    }
    let mut pts: Vec<(i32, f64)> = years.iter().copied().zip(gaps.iter().copied()).collect();
    pts.sort_by_key(|&(y, _)| y);
    if pts.windows(2).any(|w| w[0].0 == w[1].0) {
        return Err(Error::invalid("years", "a year appears twice"));
    }
    let n = pts.len();
    if n < 3 {
        return Err(Error::too_few("gap trend (slope with SE)", "years", 3, n));
    }
    let nf = n as f64;
    let t_mean = crate::stats::sum(pts.iter().map(|&(y, _)| f64::from(y))) / nf;
    let g_mean = crate::stats::sum(pts.iter().map(|&(_, g)| g)) / nf;
    let (mut sxx, mut sxy) = (CompensatedSum::new(), CompensatedSum::new());
    for &(y, g) in &pts {
        let dx = f64::from(y) - t_mean;
        sxx.add(dx * dx);
        sxy.add(dx * (g - g_mean));
    }
    let (sxx, sxy) = (sxx.value(), sxy.value());
    let slope = sxy / sxx;
    let intercept = g_mean - slope * t_mean;
    let mut rss = CompensatedSum::new();
    for &(y, g) in &pts {
        let r = g - (intercept + slope * f64::from(y));
        rss.add(r * r);
    }
    let df = nf - 2.0;
    let se = (rss.value() / df / sxx).sqrt();
    let tq = StudentsT::new(0.0, 1.0, df)
        .map_err(|e| Error::invalid("years", e.to_string()))?
        .inverse_cdf(1.0 - (1.0 - level) / 2.0);
    let slope_est = Estimate {
        value: slope,
        se: Some(se),
        lower: Some(slope - tq * se),
        upper: Some(slope + tq * se),
        level,
        method: format!("OLS slope per year, t interval with {df} df"),
        note: None,
        n: None,
    };
    let (first_year, last_year) = (pts[0].0, pts[n - 1].0);
    let latest_gap = pts[n - 1].1;
    let fitted = intercept + slope * f64::from(last_year);
    let closure_year = closes_at(fitted, slope, last_year);
    let ends: Vec<Option<f64>> = [slope - tq * se, slope + tq * se]
        .into_iter()
        .map(|s| closes_at(fitted, s, last_year))
        .collect();
    let range = match (ends[0], ends[1]) {
        (Some(a), Some(b)) => (Some(a.min(b)), Some(a.max(b))),
        (a, b) => (a.or(b), None),
    };
    let required = -latest_gap / generation;
    let pace_ratio = (required != 0.0).then(|| slope / required);
    let text = match closure_year {
        Some(y) => format!(
            "gap {latest_gap:.3} in {last_year}, trend {slope:+.3}/yr (SE {se:.3}): closes about {y:.0} at this trend; closing within {generation:.0} years needs {required:+.3}/yr"
        ),
        None => format!(
            "gap {latest_gap:.3} in {last_year}, trend {slope:+.3}/yr (SE {se:.3}): not closing at this trend; closing within {generation:.0} years needs {required:+.3}/yr"
        ),
    };
    Ok(GapClosure {
        n,
        first_year,
        last_year,
        latest_gap,
        fitted_latest_gap: fitted,
        slope: slope_est,
        closure_year,
        closure_year_range: range,
        generation_years: generation,
        required_annual_change: required,
        pace_ratio,
        text,
    })
}
