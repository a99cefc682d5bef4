//! Weighted fractional rank: the one sort every rank-based measure shares.
//!
//! Observations are sorted by their ranking key; each gets
//! `r_i = (weight before i + w_i / 2) / W`. With [`Ties::Midpoint`] (the
//! default) every member of a block of tied keys gets the rank of the block's
//! midpoint, `(weight before the block + block weight / 2) / W`, so results do
//! not depend on row order. [`Ties::RowOrder`] breaks ties by row order (the
//! convention of rineq and IC2).

use crate::error::{Error, Result};
use crate::validate;
use serde::{Deserialize, Serialize};

/// How observations with equal ranking keys are ranked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ties {
    /// A tie block shares the midpoint of its cumulative weight (conindex).
    #[default]
    Midpoint,
    /// Ties are broken by row order (rineq, IC2, the AHE do-file).
    RowOrder,
}

impl std::str::FromStr for Ties {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "midpoint" => Ok(Self::Midpoint),
            "row_order" => Ok(Self::RowOrder),
            other => Err(Error::invalid(
                "ties",
                format!("expected \"midpoint\" or \"row_order\", got {other:?}"),
            )),
        }
    }
}

/// Weighted fractional ranks of `keys`, in input order.
///
/// `weights = None` means every observation weighs 1.
///
/// # Errors
/// Empty input, length mismatch, NaN/infinite keys or weights, negative
/// weights, or a zero total weight.
///
/// ```
/// use jamlik::rank::{fractional_rank, Ties};
/// let r = fractional_rank(&[3.0, 1.0, 2.0, 2.0], None, Ties::Midpoint).unwrap();
/// assert_eq!(r, vec![0.875, 0.125, 0.5, 0.5]);
/// ```
pub fn fractional_rank(keys: &[f64], weights: Option<&[f64]>, ties: Ties) -> Result<Vec<f64>> {
    validate::non_empty("rank_by", keys)?;
    validate::finite("rank_by", keys)?;
    if let Some(w) = weights {
        validate::same_length("weights", "rank_by", keys.len(), w.len())?;
        validate::non_negative("weights", w)?;
    }
    let weight = |i: usize| weights.map_or(1.0, |w| w[i]);
    let mut order: Vec<usize> = (0..keys.len()).collect();
    // Stable sort keeps row order inside tie blocks for Ties::RowOrder.
    order.sort_by(|&a, &b| keys[a].total_cmp(&keys[b]));
    let total: f64 = crate::stats::sum(order.iter().map(|&i| weight(i)));
    if total <= 0.0 {
        return Err(Error::Degenerate {
            arg: "weights",
            reason: "the total weight is zero".into(),
        });
    }
    let mut ranks = vec![0.0; keys.len()];
    let mut before = 0.0;
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        if ties == Ties::Midpoint {
            while end < order.len() && keys[order[end]] == keys[order[start]] {
                end += 1;
            }
        }
        let block: f64 = order[start..end].iter().map(|&i| weight(i)).sum();
        let rank = (before + block / 2.0) / total;
        for &i in &order[start..end] {
            ranks[i] = rank;
        }
        before += block;
        start = end;
    }
    Ok(ranks)
}
