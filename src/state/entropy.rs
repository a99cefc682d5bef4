//! Entropy sums of GE(α), Theil T (α = 1) and MLD (α = 0).
//!
//! The terms `(y/μ)^α`, `(y/μ)ln(y/μ)` and `ln(μ/y)` need the mean first, so
//! this is the second pass: a [`super::MomentState`] over the same rows gives
//! `μ`, then every partition sums its terms given that `μ`. Expanding the
//! logarithm instead (`Σw·y·ln y − ln μ·Σw·y`) would save the pass but cancels
//! catastrophically when inequality is small.

use super::{ExactSum, Mergeable, check_weights};
use crate::error::{Error, Result};
use crate::estimate::Estimate;
use crate::validate;
use serde::{Deserialize, Serialize};

/// Which member of the generalized-entropy family.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum EntropyMeasure {
    /// Theil T, GE(1).
    Theil,
    /// Mean log deviation, GE(0).
    Mld,
    /// GE(α) for any finite α.
    GeneralizedEntropy(f64),
}

impl EntropyMeasure {
    fn alpha(self) -> f64 {
        match self {
            Self::Theil => 1.0,
            Self::Mld => 0.0,
            Self::GeneralizedEntropy(a) => a,
        }
    }
}

/// Entropy sums `W = Σw` and `Σw·f(y/μ)` given the mean `μ` of all rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntropyState {
    alpha: f64,
    mean: f64,
    /// Rows added.
    pub n: usize,
    w: ExactSum,
    terms: ExactSum,
}

impl EntropyState {
    /// An empty state for `measure` with the mean `mean` of all rows (pass 1).
    ///
    /// # Errors
    /// A mean that is not positive and finite, or a non-finite α.
    pub fn new(measure: EntropyMeasure, mean: f64) -> Result<Self> {
        let alpha = measure.alpha();
        if !alpha.is_finite() {
            return Err(Error::invalid(
                "alpha",
                format!("alpha must be finite, got {alpha}"),
            ));
        }
        if !(mean.is_finite() && mean > 0.0) {
            return Err(Error::ZeroMean {
                arg: "values",
                what: "generalized entropy (the mean of pass 1 must be positive)".into(),
            });
        }
        Ok(Self {
            alpha,
            mean,
            n: 0,
            w: ExactSum::new(),
            terms: ExactSum::new(),
        })
    }

    fn term(&self, y: f64) -> f64 {
        let s = y / self.mean;
        if self.alpha == 0.0 {
            s.ln()
        } else if self.alpha == 1.0 {
            if s > 0.0 { s * s.ln() } else { 0.0 }
        } else {
            s.powf(self.alpha)
        }
    }

    /// Adds rows.
    ///
    /// # Errors
    /// Missing, infinite or negative values (zeros too where the index takes
    /// their logarithm or a negative power); bad weights.
    pub fn update(&mut self, values: &[f64], weights: Option<&[f64]>) -> Result<()> {
        validate::non_negative("values", values)?;
        check_weights(weights, "values", values.len())?;
        if self.alpha <= 0.0
            && let Some(index) = values.iter().position(|&v| v == 0.0)
        {
            return Err(Error::OutOfDomain {
                arg: "values",
                index,
                value: 0.0,
                requirement: "positive (MLD and GE(α ≤ 0) take logarithms or negative powers)",
            });
        }
        for (i, &y) in values.iter().enumerate() {
            let wi = weights.map_or(1.0, |w| w[i]);
            if wi != 0.0 {
                self.terms.add(wi * self.term(y));
            }
            self.w.add(wi);
        }
        self.n += values.len();
        Ok(())
    }

    /// The index value (no SE: the linearized SE needs the value itself, a
    /// third pass; the single-machine functions give it).
    ///
    /// # Errors
    /// No rows or a zero total weight; a level outside (0, 1).
    pub fn finish(&self, level: f64) -> Result<Estimate> {
        crate::stats::check_level("level", level)?;
        if self.n == 0 {
            return Err(Error::Empty { arg: "values" });
        }
        let w = crate::rank::sample::positive_total(self.w.value())?;
        let m = self.terms.value() / w;
        let a = self.alpha;
        let (value, name) = if a == 0.0 {
            (-m, "MLD (GE(0))".to_string())
        } else if a == 1.0 {
            (m, "Theil T (GE(1))".to_string())
        } else {
            ((m - 1.0) / (a * (a - 1.0)), format!("GE({a})"))
        };
        Ok(Estimate::point(
            value,
            level,
            format!("{name}; two-pass mergeable state; no SE"),
        )
        .with_note(
            "no SE from the mergeable state: the linearized SE needs a third pass over the rows",
        )
        .with_n(self.n))
    }
}

impl Mergeable for EntropyState {
    /// Merges sums taken with the same α and the same mean of pass 1.
    fn merge(&mut self, other: &Self) -> Result<()> {
        if self.alpha != other.alpha || self.mean != other.mean {
            return Err(Error::invalid(
                "other",
                format!(
                    "entropy states of different passes: alpha {} vs {}, mean {} vs {}; build every partition's state with the same measure and the same pass-1 mean",
                    self.alpha, other.alpha, self.mean, other.mean
                ),
            ));
        }
        self.w.merge(&other.w);
        self.terms.merge(&other.terms);
        self.n += other.n;
        Ok(())
    }
}
