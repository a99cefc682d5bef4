//! Concentration (and Lorenz) curve ordinates.

use crate::error::{Error, Result};
use crate::measures::microdata::prepare;
use crate::rank::Ties;
use crate::rank::sample::{Plain, SortedSample};
use crate::validate::MissingPolicy;
use serde::{Deserialize, Serialize};

/// Concentration (or Lorenz) curve ordinates: one point per tie block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurveOrdinates {
    /// Cumulative population (weight) share, starting at 0.
    pub population_share: Vec<f64>,
    /// Cumulative outcome share, starting at 0.
    pub outcome_share: Vec<f64>,
}

/// Concentration-curve ordinates of `outcome` ranked by `rank_by` (the Lorenz
/// curve when `rank_by` is the outcome): one point per tie block, from (0, 0)
/// to (1, 1).
///
/// # Errors
/// As [`concentration_index`](super::concentration_index) (zero total outcome is an error).
pub fn concentration_curve(
    outcome: &[f64],
    rank_by: &[f64],
    weights: Option<&[f64]>,
    missing: MissingPolicy,
) -> Result<CurveOrdinates> {
    let cols = prepare(
        &[("outcome", outcome), ("rank_by", rank_by)],
        weights,
        &[],
        missing,
    )?;
    let s = SortedSample::<Plain>::new(
        &cols.floats[0],
        &cols.floats[1],
        cols.weights.as_deref(),
        Ties::Midpoint,
        1,
    )?;
    if s.total_h == 0.0 {
        return Err(Error::ZeroMean {
            arg: "outcome",
            what: "concentration curve".into(),
        });
    }
    let mut p = vec![0.0];
    let mut l = vec![0.0];
    let parts = s.pass(Vec::new, |acc: &mut Vec<(f64, f64)>, b| {
        acc.push((
            (b.w_before + b.w) / s.total_w,
            (b.h_before + b.h) / s.total_h,
        ));
    });
    for (a, b) in parts.into_iter().flatten() {
        p.push(a);
        l.push(b);
    }
    Ok(CurveOrdinates {
        population_share: p,
        outcome_share: l,
    })
}
