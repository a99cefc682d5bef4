//! The gap between two independent groups' estimates.

use super::METHOD_GAP;
use crate::Estimate;
use crate::error::Result;
use crate::indicators::{check_count, check_levels, z};

/// Gaps `first − second` between two independent groups' estimates (health
/// expectancies, or any of the three measures), column by column.
#[derive(Debug, Clone, PartialEq)]
pub struct HealthGaps {
    /// The confidence levels.
    pub levels: Vec<f64>,
    /// The differences (NaN where either value is missing).
    pub value: Vec<f64>,
    /// `√(se₁² + se₂²)`.
    pub se: Vec<f64>,
    /// Lower limits, one column per level.
    pub lower: Vec<Vec<f64>>,
    /// Upper limits, one column per level.
    pub upper: Vec<Vec<f64>>,
}

impl HealthGaps {
    /// Gap `i` at the `k`-th level as an [`Estimate`] (`None` when missing).
    pub fn estimate(&self, i: usize, k: usize) -> Option<Estimate> {
        let value = *self.value.get(i)?;
        let level = *self.levels.get(k)?;
        if value.is_nan() {
            return None;
        }
        Some(Estimate::wald(
            value,
            self.se[i],
            level,
            z(level),
            METHOD_GAP,
        ))
    }
}

/// The gap between two independent groups: `first − second` with SE
/// `√(se₁² + se₂²)` and normal limits. A missing (NaN) value or SE gives a
/// missing gap.
///
/// # Errors
/// Columns of different lengths, a negative or infinite SE, bad levels.
///
/// ```
/// use jamlik::indicators::health_expectancy_gap;
/// let g = health_expectancy_gap(&[62.0], &[0.3], &[60.0], &[0.4], &[0.95])?;
/// let e = g.estimate(0, 0).unwrap();
/// assert!((e.value - 2.0).abs() < 1e-12 && (e.se.unwrap() - 0.5).abs() < 1e-12);
/// # Ok::<(), jamlik::Error>(())
/// ```
pub fn health_expectancy_gap(
    first: &[f64],
    first_se: &[f64],
    second: &[f64],
    second_se: &[f64],
    levels: &[f64],
) -> Result<HealthGaps> {
    check_levels(levels)?;
    let n = first.len();
    crate::validate::same_length("first_se", "first", n, first_se.len())?;
    crate::validate::same_length("second", "first", n, second.len())?;
    crate::validate::same_length("second_se", "first", n, second_se.len())?;
    for (arg, col) in [("first_se", first_se), ("second_se", second_se)] {
        for (i, &s) in col.iter().enumerate() {
            if !s.is_nan() {
                check_count(arg, i, s)?;
            }
        }
    }
    let value: Vec<f64> = first.iter().zip(second).map(|(a, b)| a - b).collect();
    let se: Vec<f64> = first_se
        .iter()
        .zip(second_se)
        .map(|(a, b)| a.hypot(*b))
        .collect();
    let (lower, upper) = levels
        .iter()
        .map(|&level| {
            let zl = z(level);
            value
                .iter()
                .zip(&se)
                .map(|(&v, &s)| (v - zl * s, v + zl * s))
                .unzip()
        })
        .unzip();
    Ok(HealthGaps {
        levels: levels.to_vec(),
        value,
        se,
        lower,
        upper,
    })
}
