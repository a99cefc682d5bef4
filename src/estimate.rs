//! The result of one measure: estimate, standard error, confidence limits, method.

use serde::{Deserialize, Serialize};

/// One estimated quantity with its uncertainty.
///
/// `se` is on the scale of `value`, except for ratio measures, where it is the
/// SE of the natural log of the ratio (said in `method`). Missing pieces are
/// `None`, never NaN: a measure without an SE (or without a CI) says so.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// The point estimate.
    pub value: f64,
    /// Standard error (see the type docs for the scale), if the method gives one.
    pub se: Option<f64>,
    /// Lower confidence limit.
    pub lower: Option<f64>,
    /// Upper confidence limit.
    pub upper: Option<f64>,
    /// Confidence level of `lower`/`upper`, for example 0.95.
    pub level: f64,
    /// How the estimate and its interval were obtained.
    pub method: String,
    /// Why a piece is missing or what to watch out for (for example "no SE for
    /// this kind"); `None` when there is nothing to add.
    pub note: Option<String>,
    /// Number of observations (rows, subgroups or years) the estimate used.
    pub n: Option<usize>,
}

impl Estimate {
    /// A point estimate with no uncertainty attached.
    pub fn point(value: f64, level: f64, method: impl Into<String>) -> Self {
        Self {
            value,
            se: None,
            lower: None,
            upper: None,
            level,
            method: method.into(),
            note: None,
            n: None,
        }
    }

    /// Estimate with a normal-approximation (Wald) interval `value ± z·se`.
    pub fn wald(value: f64, se: f64, level: f64, z: f64, method: impl Into<String>) -> Self {
        Self {
            value,
            se: Some(se),
            lower: Some(value - z * se),
            upper: Some(value + z * se),
            level,
            method: method.into(),
            note: None,
            n: None,
        }
    }

    /// The same estimate with the number of observations it used.
    #[must_use]
    pub fn with_n(mut self, n: usize) -> Self {
        self.n = Some(n);
        self
    }

    /// The same estimate with a note (why a piece is missing, a caveat).
    #[must_use]
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }
}
