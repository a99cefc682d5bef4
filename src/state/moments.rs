//! Weighted mean and variance: Chan, Golub & LeVeque's merge of centred
//! moments, with the totals themselves kept as compensated sums.

use super::sum::exact_sum;
use super::{ExactSum, Mergeable, check_weights};
use crate::error::{Error, Result};
use crate::indicators::{Indicator, Limits};
use crate::validate;
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, StudentsT};

/// Moments of a (frequency-)weighted column: `n`, `W = Σw`, `Σw·x` and the
/// centred `M2 = Σw(x − x̄)²`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MomentState {
    /// Rows added.
    pub n: usize,
    w: ExactSum,
    wx: ExactSum,
    /// Centred second moment about the running mean.
    m2: f64,
}

impl MomentState {
    /// Adds rows (weights all 1 when `None`).
    ///
    /// # Errors
    /// Missing or infinite values, a weight column of another length or with
    /// negative values.
    pub fn update(&mut self, values: &[f64], weights: Option<&[f64]>) -> Result<()> {
        validate::finite("values", values)?;
        check_weights(weights, "values", values.len())?;
        if values.is_empty() {
            return Ok(());
        }
        let weight = |i: usize| weights.map_or(1.0, |w| w[i]);
        let w = exact_sum((0..values.len()).map(weight));
        let wx = exact_sum(values.iter().enumerate().map(|(i, &x)| weight(i) * x));
        let batch_mean = if w.value() > 0.0 {
            wx.value() / w.value()
        } else {
            0.0
        };
        let m2 = exact_sum(values.iter().enumerate().map(|(i, &x)| {
            let d = x - batch_mean;
            weight(i) * d * d
        }))
        .value();
        self.merge(&Self {
            n: values.len(),
            w,
            wx,
            m2,
        })
    }

    /// Total weight `W`.
    pub fn weight(&self) -> f64 {
        self.w.value()
    }

    /// Weighted mean `Σw·x/W`.
    ///
    /// # Errors
    /// No rows, or a zero total weight.
    pub fn mean(&self) -> Result<f64> {
        if self.n == 0 {
            return Err(Error::Empty { arg: "values" });
        }
        let w = self.weight();
        if w > 0.0 {
            Ok(self.wx.value() / w)
        } else {
            Err(Error::Degenerate {
                arg: "weights",
                reason: "the total weight is zero".into(),
            })
        }
    }

    /// Sample variance `M2/(W − 1)` (weights as frequencies; `None` when `W ≤ 1`).
    pub fn variance(&self) -> Option<f64> {
        let w = self.weight();
        (w > 1.0).then(|| self.m2.max(0.0) / (w - 1.0))
    }

    /// The mean with Student's t limits at each level, as
    /// [`crate::indicators::mean()`] gives for unweighted rows (weights count as
    /// frequencies: `k = W`).
    ///
    /// # Errors
    /// No rows, a zero total weight, a level outside (0, 1).
    pub fn finish_mean(&self, levels: &[f64]) -> Result<Indicator> {
        for &l in levels {
            crate::stats::check_level("level", l)?;
        }
        let m = self.mean()?;
        let Some(var) = self.variance() else {
            return Ok(Indicator {
                value: Some(m),
                limits: levels.iter().map(|&l| Limits::none(l)).collect(),
                method: "Student's t-distribution",
                note: Some("one value: no standard deviation, no limits".into()),
            });
        };
        let k = self.weight();
        let se = var.sqrt() / k.sqrt();
        let t = StudentsT::new(0.0, 1.0, k - 1.0).ok();
        let limits = levels
            .iter()
            .map(|&level| {
                let q = t.map_or(f64::NAN, |t| t.inverse_cdf(level + (1.0 - level) / 2.0));
                Limits::new(level, m - q * se, m + q * se)
            })
            .collect();
        Ok(Indicator {
            value: Some(m),
            limits,
            method: "Student's t-distribution",
            note: None,
        })
    }
}

impl Mergeable for MomentState {
    fn merge(&mut self, other: &Self) -> Result<()> {
        let (wa, wb) = (self.weight(), other.weight());
        let total = wa + wb;
        if other.n == 0 {
            return Ok(());
        }
        if self.n == 0 || total <= 0.0 {
            let m2 = self.m2 + other.m2;
            self.w.merge(&other.w);
            self.wx.merge(&other.wx);
            self.n += other.n;
            self.m2 = m2;
            return Ok(());
        }
        let mean_a = if wa > 0.0 { self.wx.value() / wa } else { 0.0 };
        let mean_b = if wb > 0.0 { other.wx.value() / wb } else { 0.0 };
        let delta = mean_b - mean_a;
        self.m2 = self.m2 + other.m2 + delta * delta * (wa * wb / total);
        self.w.merge(&other.w);
        self.wx.merge(&other.wx);
        self.n += other.n;
        Ok(())
    }
}
