//! Small numerical building blocks shared by every measure: confidence-level
//! checks, normal quantiles and compensated summation.

use crate::error::{Error, Result};
use statrs::distribution::{ContinuousCDF, Normal};

/// Checks a confidence level lies in (0, 1) and returns it.
///
/// # Errors
/// [`Error::InvalidLevel`] when `level` is not strictly between 0 and 1 (or NaN).
pub fn check_level(arg: &'static str, level: f64) -> Result<f64> {
    if level > 0.0 && level < 1.0 {
        Ok(level)
    } else {
        Err(Error::InvalidLevel { arg, value: level })
    }
}

/// Two-sided standard-normal critical value for a confidence level:
/// `Φ⁻¹(1 − (1 − level)/2)`, 1.959964 at 0.95.
///
/// # Errors
/// [`Error::InvalidLevel`] when `level` is outside (0, 1).
///
/// ```
/// let z = jamlik::stats::z_value(0.95).unwrap();
/// assert!((z - 1.959_963_984_540_054).abs() < 1e-12);
/// ```
pub fn z_value(level: f64) -> Result<f64> {
    let level = check_level("level", level)?;
    Ok(normal_quantile(1.0 - (1.0 - level) / 2.0))
}

/// Standard-normal quantile function Φ⁻¹(p) for p in (0, 1).
pub fn normal_quantile(p: f64) -> f64 {
    // statrs' Normal::new(0, 1) cannot fail; fall back to NaN rather than panic.
    Normal::new(0.0, 1.0).map_or(f64::NAN, |n| n.inverse_cdf(p))
}

/// Standard-normal CDF Φ(x).
pub fn normal_cdf(x: f64) -> f64 {
    Normal::new(0.0, 1.0).map_or(f64::NAN, |n| n.cdf(x))
}

/// Compensated running sum: accurate sums over millions of rows.
///
/// Each addition keeps its exact rounding error (Knuth's branch-free TwoSum),
/// which is as accurate as Neumaier's variant without its data-dependent
/// branch (unpredictable, and measured at a third of a streaming pass).
#[derive(Debug, Clone, Copy, Default)]
pub struct CompensatedSum {
    sum: f64,
    compensation: f64,
}

impl CompensatedSum {
    /// An empty sum.
    pub const fn new() -> Self {
        Self {
            sum: 0.0,
            compensation: 0.0,
        }
    }

    /// Adds one term.
    #[inline]
    pub fn add(&mut self, x: f64) {
        let t = self.sum + x;
        let x_part = t - self.sum;
        let error = (self.sum - (t - x_part)) + (x - x_part);
        self.compensation += error;
        self.sum = t;
    }

    /// Merges another partial sum (for parallel reductions).
    #[inline]
    #[must_use]
    pub fn merge(mut self, other: Self) -> Self {
        self.add(other.sum);
        self.compensation += other.compensation;
        self
    }

    /// The compensated total.
    #[inline]
    pub fn value(self) -> f64 {
        self.sum + self.compensation
    }
}

/// A running sum for hot loops: plain additions into a short partial that is
/// folded into a [`CompensatedSum`] every [`BlockedSum::BLOCK`] terms.
///
/// The partial holds at most 32 terms, so its rounding error is bounded by
/// 31 ulp of 32 terms' magnitude, far below the total's last digit once the
/// total is large; the cost per term is one addition and a predictable branch.
#[derive(Debug, Clone, Copy, Default)]
pub struct BlockedSum {
    total: CompensatedSum,
    partial: f64,
    pending: u32,
}

impl BlockedSum {
    /// Terms summed plainly before they are folded into the compensated total.
    pub const BLOCK: u32 = 32;

    /// An empty sum.
    pub const fn new() -> Self {
        Self {
            total: CompensatedSum::new(),
            partial: 0.0,
            pending: 0,
        }
    }

    /// Adds one term.
    #[inline]
    pub fn add(&mut self, x: f64) {
        self.partial += x;
        self.pending += 1;
        if self.pending == Self::BLOCK {
            self.total.add(self.partial);
            self.partial = 0.0;
            self.pending = 0;
        }
    }

    /// Merges another partial sum (for parallel reductions).
    #[inline]
    #[must_use]
    pub fn merge(self, other: Self) -> Self {
        Self {
            total: self.compensated().merge(other.compensated()),
            partial: 0.0,
            pending: 0,
        }
    }

    /// The sum as a compensated sum (for merging partial results).
    #[inline]
    pub fn compensated(self) -> CompensatedSum {
        let mut t = self.total;
        t.add(self.partial);
        t
    }

    /// The total.
    #[inline]
    pub fn value(self) -> f64 {
        self.total.sum + (self.total.compensation + self.partial)
    }
}

/// Compensated sum of an iterator of terms.
///
/// ```
/// let v = [1e16, 1.0, -1e16];
/// assert_eq!(jamlik::stats::sum(v.iter().copied()), 1.0);
/// ```
pub fn sum(values: impl IntoIterator<Item = f64>) -> f64 {
    values
        .into_iter()
        .fold(CompensatedSum::new(), |mut acc, x| {
            acc.add(x);
            acc
        })
        .value()
}
