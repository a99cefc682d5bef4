//! Means with Student's t limits: `mean ∓ t_{k−1} · sd/√k`.

use super::grouped::{Grouped, Groups, gather};
use super::{Indicator, Limits, MissingPolicy, check_levels};
use crate::error::{MissingOptions, Result};
use crate::stats::sum;
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

/// A mean with its ingredients.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeanResult {
    /// Sum of the values.
    pub sum: f64,
    /// Number of values.
    pub n: usize,
    /// Sample standard deviation (divisor k − 1); `None` for one value.
    pub sd: Option<f64>,
    /// Mean and limits.
    pub indicator: Indicator,
}

fn compute(values: &[f64], levels: &[f64]) -> MeanResult {
    let k = values.len();
    let total = sum(values.iter().copied());
    let m = total / k as f64;
    if k < 2 {
        return MeanResult {
            sum: total,
            n: k,
            sd: None,
            indicator: Indicator {
                value: Some(m),
                limits: levels.iter().map(|&l| Limits::none(l)).collect(),
                method: "Student's t-distribution",
                note: Some("one value: no standard deviation, no limits".into()),
            },
        };
    }
    let ss = sum(values.iter().map(|v| (v - m) * (v - m)));
    let sd = (ss / (k as f64 - 1.0)).sqrt();
    let se = sd / (k as f64).sqrt();
    let t = StudentsT::new(0.0, 1.0, k as f64 - 1.0).ok();
    let limits = levels
        .iter()
        .map(|&level| {
            let q = t.map_or(f64::NAN, |t| t.inverse_cdf(level + (1.0 - level) / 2.0));
            Limits::new(level, m - q * se, m + q * se)
        })
        .collect();
    MeanResult {
        sum: total,
        n: k,
        sd: Some(sd),
        indicator: Indicator {
            value: Some(m),
            limits,
            method: "Student's t-distribution",
            note: None,
        },
    }
}

/// Options of [`mean_by`].
#[derive(Debug, Clone, PartialEq)]
pub struct MeanOptions {
    /// Confidence levels (default 0.95).
    pub levels: Vec<f64>,
    /// Missing values: [`MissingPolicy::Error`] (default) or [`MissingPolicy::Drop`].
    pub missing: MissingPolicy,
}

impl Default for MeanOptions {
    fn default() -> Self {
        Self {
            levels: vec![0.95],
            missing: MissingPolicy::Error,
        }
    }
}

/// Mean of `values` with Student's t limits at each level.
///
/// One value gives the mean without limits (and a note).
///
/// # Errors
/// Empty input, NaN/infinite values, a level outside (0, 1).
///
/// ```
/// let m = jamlik::indicators::mean(&[1.0, 2.0, 3.0], &[0.95])?;
/// assert_eq!(m.indicator.value, Some(2.0));
/// # Ok::<(), jamlik::Error>(())
/// ```
pub fn mean(values: &[f64], levels: &[f64]) -> Result<MeanResult> {
    check_levels(levels)?;
    crate::validate::non_empty("values", values)?;
    crate::validate::finite("values", values)?;
    Ok(compute(values, levels))
}

/// Means per group.
///
/// # Errors
/// As [`mean`]; a missing value under [`MissingPolicy::Error`].
pub fn mean_by(values: &[f64], groups: &Groups, opts: &MeanOptions) -> Result<Grouped<MeanResult>> {
    let levels = &opts.levels;
    check_levels(levels)?;
    crate::validate::non_empty("values", values)?;
    groups.check_len("values", values.len())?;
    let groups = opts
        .missing
        .apply(groups, &[("values", values, false)], MissingOptions::Drop)?;
    for g in 0..groups.len() {
        for &i in groups.rows(g) {
            if !values[i].is_finite() {
                return Err(crate::Error::NonFinite {
                    arg: "values",
                    index: i,
                    value: values[i],
                });
            }
        }
    }
    let results = groups.map(|rows| Ok(compute(&gather(values, rows), levels)))?;
    Ok(Grouped {
        first_row: groups.first_rows(),
        results,
    })
}
