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
//! [`RankOrder`] sorts *one* `u64` per row: the order-preserving bit pattern of
//! the key, minus the smallest key's pattern, shifted right just enough that
//! the row index fits in the low bits. A parallel radix sort of those words
//! (`voracious_radix_sort`) is several times faster than a comparison sort of
//! `(key, index)` pairs and needs 8 bytes per row. If the shift dropped bits
//! that are not zero for every key, runs of equal truncated keys are re-sorted
//! by the full key afterwards (they are rare and short for continuous data;
//! for discrete data such as integer codes the shift drops only zero bits and
//! no fix-up is needed). Because the row index sits in the low bits, equal keys
//! come out in row order, which is exactly what [`Ties::RowOrder`] needs, and
//! irrelevant for [`Ties::Midpoint`].
//!
//! Every rank-based measure walks the same sorted order block by block
//! ([`RankOrder::chunks`] splits it at block boundaries for parallel passes).

use crate::error::{Error, Result};
use crate::validate;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::ops::Range;

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
fn ordered_bits(x: f64) -> u64 {
    let x = if x == 0.0 { 0.0 } else { x };
    let b = x.to_bits();
    if b >> 63 == 1 { !b } else { b | (1 << 63) }
}

/// The rows sorted by a ranking key, with tie blocks.
///
/// Built once per ranking variable and reused by every rank-based measure
/// (concentration indices, Gini, Lorenz/concentration curves, shares).
#[derive(Debug, Clone)]
pub struct RankOrder<'a> {
    keys: &'a [f64],
    /// Sorted words: truncated key in the high bits, row index in the low bits.
    packed: Vec<u64>,
    index_bits: u32,
    /// True when the truncated key orders (and ties) exactly like the key.
    exact: bool,
    ties: Ties,
}

impl<'a> RankOrder<'a> {
    /// Sorts the rows of `keys`.
    ///
    /// # Errors
    /// Empty input ([`Error::Empty`]), NaN or infinite keys, or more than
    /// 2^40 rows.
    ///
    /// ```
    /// use jamlik::rank::{RankOrder, Ties};
    /// let order = RankOrder::new(&[3.0, 1.0, 2.0, 1.0], Ties::Midpoint).unwrap();
    /// let sorted: Vec<usize> = (0..4).map(|p| order.row(p)).collect();
    /// assert_eq!(sorted, vec![1, 3, 2, 0]);
    /// assert_eq!(order.blocks().count(), 3);
    /// ```
    pub fn new(keys: &'a [f64], ties: Ties) -> Result<Self> {
        validate::non_empty("rank_by", keys)?;
        validate::finite("rank_by", keys)?;
        let n = keys.len();
        if n as u64 > 1 << 40 {
            return Err(Error::invalid("rank_by", "more than 2^40 rows"));
        }
        let index_bits = (64 - ((n - 1) as u64).leading_zeros()).max(1);
        let (lo, hi) = if n >= PARALLEL_MIN {
            keys.par_iter()
                .map(|&x| {
                    let b = ordered_bits(x);
                    (b, b)
                })
                .reduce(|| (u64::MAX, 0), |a, b| (a.0.min(b.0), a.1.max(b.1)))
        } else {
            keys.iter().fold((u64::MAX, 0), |a, &x| {
                let b = ordered_bits(x);
                (a.0.min(b), a.1.max(b))
            })
        };
        let range = hi - lo;
        let key_bits = 64 - range.leading_zeros();
        let shift = key_bits.saturating_sub(64 - index_bits);
        let low_mask = if shift == 0 { 0 } else { (1u64 << shift) - 1 };
        let make = |(i, &x): (usize, &f64)| {
            let d = ordered_bits(x) - lo;
            (((d >> shift) << index_bits) | i as u64, d & low_mask)
        };
        let mut packed = Vec::with_capacity(n);
        let dropped = if n >= PARALLEL_MIN {
            let mut dropped = 0;
            packed.par_extend(keys.par_iter().enumerate().map(make).map(|(p, _)| p));
            if low_mask != 0 {
                dropped = keys
                    .par_iter()
                    .map(|&x| (ordered_bits(x) - lo) & low_mask)
                    .reduce(|| 0, |a, b| a | b);
            }
            dropped
        } else {
            let mut dropped = 0;
            for item in keys.iter().enumerate() {
                let (p, d) = make(item);
                packed.push(p);
                dropped |= d;
            }
            dropped
        };
        sort_words(&mut packed);
        let mut order = Self {
            keys,
            packed,
            index_bits,
            exact: dropped == 0,
            ties,
        };
        if !order.exact {
            order.fix_truncated_runs();
        }
        Ok(order)
    }

    /// Re-sorts runs whose truncated keys are equal by (full key, row).
    fn fix_truncated_runs(&mut self) {
        let bits = self.index_bits;
        let mask = (1u64 << bits) - 1;
        let keys = self.keys;
        let n = self.packed.len();
        let mut start = 0;
        while start < n {
            let top = self.packed[start] >> bits;
            let mut end = start + 1;
            while end < n && self.packed[end] >> bits == top {
                end += 1;
            }
            if end - start > 1 {
                self.packed[start..end].sort_unstable_by(|&a, &b| {
                    let (ia, ib) = ((a & mask) as usize, (b & mask) as usize);
                    keys[ia].total_cmp(&keys[ib]).then(ia.cmp(&ib))
                });
            }
            start = end;
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.packed.len()
    }

    /// Always false (construction refuses empty input).
    pub fn is_empty(&self) -> bool {
        self.packed.is_empty()
    }

    /// The tie rule the blocks follow.
    pub fn ties(&self) -> Ties {
        self.ties
    }

    /// The row (input index) at sorted position `pos`.
    #[inline]
    pub fn row(&self, pos: usize) -> usize {
        (self.packed[pos] & ((1u64 << self.index_bits) - 1)) as usize
    }

    /// The key at sorted position `pos`.
    #[inline]
    pub fn key(&self, pos: usize) -> f64 {
        self.keys[self.row(pos)]
    }

    /// True when sorted position `pos` (> 0) belongs to the block of `pos − 1`.
    #[inline]
    pub fn continues_block(&self, pos: usize) -> bool {
        if self.ties == Ties::RowOrder || pos == 0 {
            return false;
        }
        let bits = self.index_bits;
        if self.packed[pos] >> bits != self.packed[pos - 1] >> bits {
            return false;
        }
        self.exact || self.key(pos) == self.key(pos - 1)
    }

    /// Tie blocks (ranges of sorted positions) in ascending key order.
    pub fn blocks(&self) -> Blocks<'_, 'a> {
        self.blocks_in(0..self.len())
    }

    /// Tie blocks within a range of sorted positions that starts at a block start.
    pub fn blocks_in(&self, range: Range<usize>) -> Blocks<'_, 'a> {
        Blocks {
            order: self,
            pos: range.start,
            end: range.end,
        }
    }

    /// Splits the sorted positions into about `parts` ranges that start and
    /// end at block boundaries (for parallel passes).
    pub fn chunks(&self, parts: usize) -> Vec<Range<usize>> {
        let n = self.len();
        let parts = parts.clamp(1, n.max(1));
        let mut cuts = vec![0];
        for k in 1..parts {
            let mut c = (n * k / parts).max(*cuts.last().unwrap_or(&0));
            while c < n && self.continues_block(c) {
                c += 1;
            }
            if c > *cuts.last().unwrap_or(&0) && c < n {
                cuts.push(c);
            }
        }
        cuts.push(n);
        cuts.windows(2).map(|w| w[0]..w[1]).collect()
    }

    /// Chunks of about 2^18 rows each (at most `max_parts`), for parallel
    /// passes. The split depends only on the data, never on the number of
    /// threads, so results are identical on every machine.
    pub fn default_chunks(&self, max_parts: usize) -> Vec<Range<usize>> {
        self.chunks((self.len() >> 18).clamp(1, max_parts.max(1)))
    }

    /// True when the keys have fewer distinct values than rows (with midpoint ties).
    pub fn has_ties(&self) -> bool {
        (1..self.len()).any(|p| self.continues_block(p))
    }
}

/// Iterator over tie blocks; see [`RankOrder::blocks`].
#[derive(Debug)]
pub struct Blocks<'o, 'a> {
    order: &'o RankOrder<'a>,
    pos: usize,
    end: usize,
}

impl Iterator for Blocks<'_, '_> {
    type Item = Range<usize>;
    #[inline]
    fn next(&mut self) -> Option<Range<usize>> {
        if self.pos >= self.end {
            return None;
        }
        let start = self.pos;
        let mut e = start + 1;
        while e < self.end && self.order.continues_block(e) {
            e += 1;
        }
        self.pos = e;
        Some(start..e)
    }
}

/// Sorts u64 words: parallel radix sort for large inputs.
fn sort_words(words: &mut [u64]) {
    use voracious_radix_sort::RadixSort;
    if words.len() >= PARALLEL_MIN && rayon::current_num_threads() > 1 {
        words.voracious_mt_sort(rayon::current_num_threads());
    } else {
        words.voracious_sort();
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
    let order = RankOrder::new(keys, ties)?;
    let weight = |i: usize| weights.map_or(1.0, |w| w[i]);
    let total: f64 = match weights {
        Some(w) => crate::stats::sum(w.iter().copied()),
        None => keys.len() as f64,
    };
    if total <= 0.0 {
        return Err(Error::Degenerate {
            arg: "weights",
            reason: "the total weight is zero".into(),
        });
    }
    let mut ranks = vec![0.0; keys.len()];
    let mut before = 0.0;
    for block in order.blocks() {
        let w_block: f64 = block.clone().map(|p| weight(order.row(p))).sum();
        let rank = (before + w_block / 2.0) / total;
        for p in block {
            ranks[order.row(p)] = rank;
        }
        before += w_block;
    }
    Ok(ranks)
}
