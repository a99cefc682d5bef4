//! Weighted fractional rank: the one sort every rank-based measure shares.
//!
//! Observations are sorted by their ranking key; each gets
//! `r_i = (weight before i + w_i / 2) / W`. With [`Ties::Midpoint`] (the
//! default) every member of a block of tied keys gets the rank of the block's
//! midpoint, `(weight before the block + block weight / 2) / W`, so results do
//! not depend on row order. [`Ties::RowOrder`] breaks ties by row order (the
//! convention of rineq and IC2).
//!
//! # How the sort is done (and why it is fast)
//!
//! Each key is mapped to its order-preserving `u64` bit pattern. The rows are
//! not sorted as `(key, row)` pairs followed by a gather of the other columns
//! (a random read per row and column); instead `bucket_sort` writes the
//! records a measure needs — key, outcome, weight and, only when a design or
//! the tie rule needs it, the row — straight into buckets by the top bits of
//! the key and sorts each bucket in cache (`sample::SortedSample`). The sort
//! is stable, so ties by row order come for free. Every rank-based measure
//! then streams through the sorted records block by block.

pub(crate) mod bucket_sort;
pub(crate) mod sample;

use crate::error::{Error, Result};
use crate::validate;
use rayon::prelude::*;
use sample::{SortedSample, WithRow};
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

/// Below this many rows everything runs on one thread.
const PARALLEL_MIN: usize = 1 << 16;

/// Order-preserving map of a finite f64 onto u64 (−0.0 and +0.0 map alike).
#[inline]
pub(crate) fn ordered_bits(x: f64) -> u64 {
    let x = if x == 0.0 { 0.0 } else { x };
    let b = x.to_bits();
    if b >> 63 == 1 { !b } else { b | (1 << 63) }
}

/// Smallest and largest [`ordered_bits`] of `keys`.
pub(crate) fn key_range(keys: &[f64]) -> (u64, u64) {
    let extremes = |(lo, hi): (u64, u64), &x: &f64| {
        let b = ordered_bits(x);
        (lo.min(b), hi.max(b))
    };
    let merge = |a: (u64, u64), b: (u64, u64)| (a.0.min(b.0), a.1.max(b.1));
    if keys.len() >= PARALLEL_MIN {
        keys.par_iter()
            .fold(|| (u64::MAX, 0), extremes)
            .reduce(|| (u64::MAX, 0), merge)
    } else {
        keys.iter().fold((u64::MAX, 0), extremes)
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
    Ok(SortedSample::<WithRow>::new(keys, keys, weights, ties, 1)?.ranks_in_input_order())
}
