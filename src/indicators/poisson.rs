//! Confidence limits for a Poisson count: exact (chi-square / gamma) and Byars.
//!
//! The exact limits for a count x at level c are the gamma quantiles
//! `L = Γ⁻¹((1 − c)/2; x)` and `U = Γ⁻¹(1 − (1 − c)/2; x + 1)` (equivalently
//! half the chi-square quantiles on 2x and 2x + 2 degrees of freedom), with
//! `L = 0` at x = 0. Byars' approximation (Breslow & Day 1987) is
//! `L = x(1 − 1/(9x) − z/(3√x))³`, `U = (x + 1)(1 − 1/(9(x + 1)) + z/(3√(x + 1)))³`.

use statrs::distribution::{ContinuousCDF, Gamma};

/// Count below which the exact limits are used (as Fingertips and PHEindicatormethods).
pub const EXACT_BELOW: f64 = 10.0;

/// Quantile of the gamma distribution with `shape` and scale 1 (`shape > 0`, p in (0, 1)).
pub(crate) fn gamma_quantile(shape: f64, p: f64) -> f64 {
    Gamma::new(shape, 1.0).map_or(f64::NAN, |g| g.inverse_cdf(p))
}

/// Exact limits of a Poisson count `x ≥ 0` (non-integer x allowed) at `level`.
pub fn exact_limits(x: f64, level: f64) -> (f64, f64) {
    let alpha = 1.0 - level;
    let lower = if x > 0.0 {
        gamma_quantile(x, alpha / 2.0)
    } else {
        0.0
    };
    let upper = gamma_quantile(x + 1.0, 1.0 - alpha / 2.0);
    (lower, upper)
}

/// Byars' lower limit; may be negative for small counts at very high levels.
pub fn byars_lower(x: f64, level: f64) -> f64 {
    byars_lower_z(x, super::z(level))
}

/// Byars' upper limit.
pub fn byars_upper(x: f64, level: f64) -> f64 {
    byars_upper_z(x, super::z(level))
}

/// Byars' lower limit for a given two-sided critical value `z`.
pub fn byars_lower_z(x: f64, z: f64) -> f64 {
    x * (1.0 - 1.0 / (9.0 * x) - z / (3.0 * x.sqrt())).powi(3)
}

/// Byars' upper limit for a given two-sided critical value `z`.
pub fn byars_upper_z(x: f64, z: f64) -> f64 {
    let y = x + 1.0;
    y * (1.0 - 1.0 / (9.0 * y) + z / (3.0 * y.sqrt())).powi(3)
}

/// Limits of a count with the Fingertips switch: exact below 10, Byars from 10.
///
/// Byars' lower limit can only fall below zero for counts of 10 or more at
/// levels above 1 − 1e-20; then the exact lower limit is used instead.
/// Returns `(lower, upper, method)`.
pub fn count_limits(x: f64, level: f64) -> (f64, f64, &'static str) {
    count_limits_z(x, level, super::z(level))
}

/// [`count_limits`] with the level's critical value `z` given (computed once
/// per level by the columnar forms).
pub fn count_limits_z(x: f64, level: f64, z: f64) -> (f64, f64, &'static str) {
    if x < EXACT_BELOW {
        let (l, u) = exact_limits(x, level);
        (l, u, "Exact")
    } else {
        let mut l = byars_lower_z(x, z);
        if l < 0.0 {
            l = exact_limits(x, level).0;
        }
        (l, byars_upper_z(x, z), "Byars")
    }
}

/// Exact (count < 10) or Byars limits on `count` at every level, each multiplied by
/// `scale` (for example `multiplier / n` for a rate), and the method used.
pub(crate) fn scaled_count_limits(
    count: f64,
    levels: &[f64],
    scale: f64,
) -> (Vec<super::Limits>, &'static str) {
    let mut method = if count < EXACT_BELOW {
        "Exact"
    } else {
        "Byars"
    };
    let limits = levels
        .iter()
        .map(|&level| {
            let (l, u, m) = count_limits(count, level);
            method = m;
            super::Limits::new(level, l * scale, u * scale)
        })
        .collect();
    (limits, method)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_limits_of_zero_and_one() {
        let (l, u) = exact_limits(0.0, 0.95);
        assert_eq!(l, 0.0);
        // P(X = 0 | u) = 0.025 → u = −ln 0.025
        assert!((u - (-(0.025f64).ln())).abs() < 1e-12);
        let (l1, _) = exact_limits(1.0, 0.95);
        // P(X ≥ 1 | l) = 0.025 → l = −ln 0.975
        assert!((l1 - (-(0.975f64).ln())).abs() < 1e-12);
    }

    #[test]
    fn byars_brackets_count() {
        let (l, u, m) = count_limits(100.0, 0.95);
        assert_eq!(m, "Byars");
        assert!(l < 100.0 && u > 100.0);
    }
}
