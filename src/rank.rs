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
//! [`RankOrder`] maps each key to its order-preserving `u64` bit pattern and
//! sorts with a parallel radix sort (`voracious_radix_sort`), several times
//! faster than a comparison sort. When the patterns minus the smallest one,
//! shifted right just enough for the row index to fit in the low bits, drop
//! only zero bits (integer codes, small ranges, n small enough), one packed
//! `u64` per row is sorted (8 bytes per row), and equal keys come out in row
//! order for free. Otherwise `(key bits, row)` pairs are sorted (12 bytes per
//! row below 2^32 rows, a `u32` row index; 16 bytes above) and, for [`Ties::RowOrder`], tie runs are put back in row order. Tie
//! detection then compares neighbours in the sorted words and never has to
//! gather keys from the input.
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
    /// Sorted words: truncated key in the high bits, row index in the low
    /// bits. Used when the truncation drops only zero bits (exact).
    packed: Vec<u64>,
    /// Sorted (full key bits, row) pairs, used when the packed word would not
    /// be exact: tie detection then never has to gather keys.
    pairs: Vec<KeyRow>,
    /// As `pairs`, from 2^32 rows on.
    wide: Vec<KeyRowWide>,
    index_bits: u32,
    ties: Ties,
}

/// A full order-preserving key with its row, packed into 12 bytes (used
/// below 2^32 rows): a quarter less memory traffic in the sort and the
/// gathers that follow than a 16-byte pair.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
#[repr(C, packed(4))]
struct KeyRow {
    key: u64,
    row: u32,
}

impl voracious_radix_sort::Radixable<u64> for KeyRow {
    type Key = u64;
    #[inline]
    fn key(&self) -> u64 {
        self.key
    }
}

/// A full order-preserving key with its row (16 bytes, 2^32 rows or more).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
struct KeyRowWide {
    key: u64,
    row: u64,
}

impl voracious_radix_sort::Radixable<u64> for KeyRowWide {
    type Key = u64;
    #[inline]
    fn key(&self) -> u64 {
        self.key
    }
}

/// Sorts `(key bits, row)` pairs built by `make`; with [`Ties::RowOrder`]
/// tie runs are put back in row order (the radix sort is not stable).
fn sorted_pairs<P>(
    keys: &[f64],
    ties: Ties,
    make: impl Fn(usize, u64) -> P + Sync + Send,
    key: impl Fn(&P) -> u64,
    row: impl Fn(&P) -> u64 + Copy,
) -> Vec<P>
where
    P: voracious_radix_sort::Radixable<u64> + Send + Sync,
{
    use voracious_radix_sort::RadixSort;
    let n = keys.len();
    let mut pairs: Vec<P> = Vec::with_capacity(n);
    let pair = |(i, &x): (usize, &f64)| make(i, ordered_bits(x));
    if n >= PARALLEL_MIN {
        pairs.par_extend(keys.par_iter().enumerate().map(pair));
    } else {
        pairs.extend(keys.iter().enumerate().map(pair));
    }
    if n >= PARALLEL_MIN && rayon::current_num_threads() > 1 {
        pairs.voracious_mt_sort(rayon::current_num_threads());
    } else {
        pairs.voracious_sort();
    }
    if ties == Ties::RowOrder {
        let mut start = 0;
        while start < n {
            let mut end = start + 1;
            while end < n && key(&pairs[end]) == key(&pairs[start]) {
                end += 1;
            }
            if end - start > 1 {
                pairs[start..end].sort_unstable_by_key(row);
            }
            start = end;
        }
    }
    pairs
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
        // Are the dropped low bits zero for every key? Then the packed word
        // orders and ties exactly like the key.
        let dropped = if low_mask == 0 {
            0
        } else if n >= PARALLEL_MIN {
            keys.par_iter()
                .map(|&x| (ordered_bits(x) - lo) & low_mask)
                .reduce(|| 0, |a, b| a | b)
        } else {
            keys.iter()
                .fold(0, |a, &x| a | ((ordered_bits(x) - lo) & low_mask))
        };
        if dropped == 0 {
            let make = |(i, &x): (usize, &f64)| {
                (((ordered_bits(x) - lo) >> shift) << index_bits) | i as u64
            };
            let mut packed = Vec::with_capacity(n);
            if n >= PARALLEL_MIN {
                packed.par_extend(keys.par_iter().enumerate().map(make));
            } else {
                packed.extend(keys.iter().enumerate().map(make));
            }
            sort_words(&mut packed);
            return Ok(Self {
                keys,
                packed,
                pairs: Vec::new(),
                wide: Vec::new(),
                index_bits,
                ties,
            });
        }
        if u32::try_from(n).is_ok() {
            let pairs = sorted_pairs(
                keys,
                ties,
                |i, key| KeyRow {
                    key,
                    // n ≤ 2^32, so every row index fits.
                    row: u32::try_from(i).unwrap_or(u32::MAX),
                },
                |p| p.key,
                |p| u64::from(p.row),
            );
            return Ok(Self {
                keys,
                packed: Vec::new(),
                pairs,
                wide: Vec::new(),
                index_bits,
                ties,
            });
        }
        let wide = sorted_pairs(
            keys,
            ties,
            |i, key| KeyRowWide { key, row: i as u64 },
            |p| p.key,
            |p| p.row,
        );
        Ok(Self {
            keys,
            packed: Vec::new(),
            pairs: Vec::new(),
            wide,
            index_bits,
            ties,
        })
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.packed.len().max(self.pairs.len()).max(self.wide.len())
    }

    /// Always false (construction refuses empty input).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The tie rule the blocks follow.
    pub fn ties(&self) -> Ties {
        self.ties
    }

    /// The row (input index) at sorted position `pos`.
    #[inline]
    pub fn row(&self, pos: usize) -> usize {
        if !self.pairs.is_empty() {
            self.pairs[pos].row as usize
        } else if self.wide.is_empty() {
            (self.packed[pos] & ((1u64 << self.index_bits) - 1)) as usize
        } else {
            self.wide[pos].row as usize
        }
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
        if !self.pairs.is_empty() {
            self.pairs[pos].key == self.pairs[pos - 1].key
        } else if self.wide.is_empty() {
            let bits = self.index_bits;
            self.packed[pos] >> bits == self.packed[pos - 1] >> bits
        } else {
            self.wide[pos].key == self.wide[pos - 1].key
        }
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
