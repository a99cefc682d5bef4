//! A weighted sample sorted by its ranking variable: the one sort every
//! rank-based measure walks.
//!
//! Each row becomes a record `(key, h, w)` (plus its row index when a design
//! or the tie rule needs it), sorted by [`super::bucket_sort`]. Passes then
//! stream through the records tie block by tie block, in parallel chunks that
//! start at block boundaries, with the cumulative weight and `Σw·h` before
//! each block ([`Block`]). The covariance of `h` with the rank and the rank
//! variance are computed while the sort still has each bucket in cache.

use super::bucket_sort::{Record, sort_records};
use super::{Ties, ordered_bits};
use crate::error::{Error, Result};
use crate::stats::{BlockedSum, CompensatedSum};
use bytemuck::{Pod, Zeroable};
use rayon::prelude::*;
use std::ops::Range;

/// A sorted row: key, outcome and weight, with or without its row index.
pub(crate) trait SampleRecord: Record {
    /// Whether [`SampleRecord::row`] is the real input row.
    const HAS_ROW: bool;
    fn new(key: u64, h: f64, w: f64, row: usize) -> Self;
    fn h(&self) -> f64;
    fn w(&self) -> f64;
    /// The input row (0 for records without rows; see [`SampleRecord::HAS_ROW`]).
    fn row(&self) -> usize;
}

/// `(key, h, w)`: 24 bytes, for measures that never look back at input rows.
#[derive(Debug, Clone, Copy, Zeroable, Pod)]
#[repr(C)]
pub(crate) struct Plain {
    key: u64,
    h: f64,
    w: f64,
}

/// `(key, h, w, row)`: 32 bytes, for PSU designs, ties by row order and
/// per-row output.
#[derive(Debug, Clone, Copy, Zeroable, Pod)]
#[repr(C)]
pub(crate) struct WithRow {
    key: u64,
    h: f64,
    w: f64,
    row: u64,
}

impl Record for Plain {
    #[inline]
    fn key(&self) -> u64 {
        self.key
    }
    #[inline]
    fn tiebreak(&self) -> u64 {
        0
    }
}

impl SampleRecord for Plain {
    const HAS_ROW: bool = false;
    #[inline]
    fn new(key: u64, h: f64, w: f64, _row: usize) -> Self {
        Self { key, h, w }
    }
    #[inline]
    fn h(&self) -> f64 {
        self.h
    }
    #[inline]
    fn w(&self) -> f64 {
        self.w
    }
    #[inline]
    fn row(&self) -> usize {
        0
    }
}

impl Record for WithRow {
    #[inline]
    fn key(&self) -> u64 {
        self.key
    }
    #[inline]
    fn tiebreak(&self) -> u64 {
        self.row
    }
}

impl SampleRecord for WithRow {
    const HAS_ROW: bool = true;
    #[inline]
    fn new(key: u64, h: f64, w: f64, row: usize) -> Self {
        Self {
            key,
            h,
            w,
            row: row as u64,
        }
    }
    #[inline]
    fn h(&self) -> f64 {
        self.h
    }
    #[inline]
    fn w(&self) -> f64 {
        self.w
    }
    #[inline]
    fn row(&self) -> usize {
        // Rows come from `usize` indices, so the conversion is lossless.
        usize::try_from(self.row).unwrap_or(usize::MAX)
    }
}

/// The value whose [`ordered_bits`] is `key` (the inverse map; −0.0 comes
/// back as +0.0, which changes no sum).
#[inline]
fn value_of_key(key: u64) -> f64 {
    f64::from_bits(if key >> 63 == 1 {
        key & !(1 << 63)
    } else {
        !key
    })
}

/// `key` alone: 8 bytes, for an outcome ranked by itself (Gini, Lorenz)
/// without weights; `h` is decoded from the key and every weight is 1, so
/// the sort moves a third of [`Plain`]'s bytes.
#[derive(Debug, Clone, Copy, Zeroable, Pod)]
#[repr(C)]
pub(crate) struct SelfRanked {
    key: u64,
}

impl Record for SelfRanked {
    #[inline]
    fn key(&self) -> u64 {
        self.key
    }
    #[inline]
    fn tiebreak(&self) -> u64 {
        0
    }
}

impl SampleRecord for SelfRanked {
    const HAS_ROW: bool = false;
    #[inline]
    fn new(key: u64, _h: f64, _w: f64, _row: usize) -> Self {
        Self { key }
    }
    #[inline]
    fn h(&self) -> f64 {
        value_of_key(self.key)
    }
    #[inline]
    fn w(&self) -> f64 {
        1.0
    }
    #[inline]
    fn row(&self) -> usize {
        0
    }
}

/// `(key, w)`: 16 bytes, for a weighted outcome ranked by itself.
#[derive(Debug, Clone, Copy, Zeroable, Pod)]
#[repr(C)]
pub(crate) struct SelfRankedWeighted {
    key: u64,
    w: f64,
}

impl Record for SelfRankedWeighted {
    #[inline]
    fn key(&self) -> u64 {
        self.key
    }
    #[inline]
    fn tiebreak(&self) -> u64 {
        0
    }
}

impl SampleRecord for SelfRankedWeighted {
    const HAS_ROW: bool = false;
    #[inline]
    fn new(key: u64, _h: f64, w: f64, _row: usize) -> Self {
        Self { key, w }
    }
    #[inline]
    fn h(&self) -> f64 {
        value_of_key(self.key)
    }
    #[inline]
    fn w(&self) -> f64 {
        self.w
    }
    #[inline]
    fn row(&self) -> usize {
        0
    }
}

/// A tie block (or, with [`Ties::RowOrder`], a single row) seen by a pass.
#[derive(Debug, Clone)]
pub(crate) struct Block {
    /// Sorted positions of the block.
    pub range: Range<usize>,
    /// Block weight and block `Σw·h`.
    pub w: f64,
    pub h: f64,
    /// Cumulative weight and `Σw·h` before the block.
    pub w_before: f64,
    pub h_before: f64,
}

/// What the sort records about each bucket while it is in cache.
#[derive(Debug, Clone, Copy, Default)]
struct BucketSummary {
    w: BlockedSum,
    h: BlockedSum,
    /// `Σ_k H_k·(weight before block k within the bucket + w_k/2)`.
    h_by_midpoint: BlockedSum,
    /// `Σ_k w_k³` (tie correction of the rank variance).
    w_cubed: BlockedSum,
}

/// Rows sorted by the ranking key, ready for streaming passes.
pub(crate) struct SortedSample<R: SampleRecord> {
    pub records: Vec<R>,
    ties: Ties,
    /// Parallel chunks: whole buckets, about 2^18 rows each.
    chunks: Vec<Range<usize>>,
    /// (weight, `Σw·h`) before each chunk.
    offsets: Vec<(f64, f64)>,
    pub total_w: f64,
    pub total_h: f64,
    /// `cov_w(h, r) = Σ w h (r − ½) / W`.
    h_rank_covariance: f64,
    /// `var_w(r) = (1 − Σ_k p_k³)/12` for block shares `p_k`.
    rank_variance: f64,
}

impl<R: SampleRecord> SortedSample<R> {
    /// Sorts rows by `x`. Inputs must already be validated (same lengths,
    /// finite, weights non-negative); `max_chunks` bounds the number of
    /// parallel chunks (per-chunk accumulators can be large).
    ///
    /// # Errors
    /// A zero total weight.
    pub fn new(
        h: &[f64],
        x: &[f64],
        w: Option<&[f64]>,
        ties: Ties,
        max_chunks: usize,
    ) -> Result<Self> {
        let n = x.len();
        let key_range = super::key_range(x);
        let weight = |i: usize| w.map_or(1.0, |w| w[i]);
        let sorted = sort_records(
            n,
            key_range,
            |i| ordered_bits(x[i]),
            |i| R::new(ordered_bits(x[i]), h[i], weight(i), i),
            |bucket: &[R]| summarise_bucket(bucket, ties),
        );
        let (mut cw, mut ch) = (CompensatedSum::new(), CompensatedSum::new());
        let mut before = Vec::with_capacity(sorted.buckets.len());
        for s in &sorted.summaries {
            before.push((cw.value(), ch.value()));
            cw = cw.merge(s.w.compensated());
            ch = ch.merge(s.h.compensated());
        }
        let total_w = positive_total(cw.value())?;
        let total_h = ch.value();
        // Σ_b [H_b·(W_before_b − W/2) + Σ_k H_k·(in-bucket midpoint)] / W².
        let mut cov = CompensatedSum::new();
        let mut cubes = CompensatedSum::new();
        for (s, &(wb, _)) in sorted.summaries.iter().zip(&before) {
            cov.add(s.h.value() * ((wb - total_w / 2.0) / total_w));
            cov.add(s.h_by_midpoint.value() / total_w);
            cubes = cubes.merge(s.w_cubed.compensated());
        }
        let share_cubed = cubes.value() / total_w / total_w / total_w;
        let (chunks, offsets) = group_buckets(&sorted.buckets, &before, max_chunks);
        Ok(Self {
            records: sorted.records,
            ties,
            chunks,
            offsets,
            total_w,
            total_h,
            h_rank_covariance: cov.value() / total_w,
            rank_variance: ((1.0 - share_cubed) / 12.0).max(0.0),
        })
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// True when every ranking key is equal (one tie block).
    pub fn all_ranks_equal(&self) -> bool {
        self.records.first().map(Record::key) == self.records.last().map(Record::key)
    }

    /// `2·cov_w(h, r)`: the generalized concentration index.
    pub fn generalized_index(&self) -> f64 {
        2.0 * self.h_rank_covariance
    }

    /// `var_w(r)`, the weighted variance of the fractional rank.
    pub fn rank_variance(&self) -> f64 {
        self.rank_variance
    }

    /// Rank of a block (midpoint of its cumulative weight).
    #[inline]
    pub fn rank(&self, b: &Block) -> f64 {
        (b.w_before + b.w / 2.0) / self.total_w
    }

    /// Walks the blocks of every chunk in parallel; one accumulator per
    /// chunk, returned in sorted order (so merging is deterministic).
    pub fn pass<T: Send>(
        &self,
        init: impl Fn() -> T + Sync,
        f: impl Fn(&mut T, &Block) + Sync,
    ) -> Vec<T> {
        self.chunks
            .par_iter()
            .zip(self.offsets.par_iter())
            .map(|(range, &(w0, h0))| {
                let mut acc = init();
                let (mut cw, mut ch) = (BlockedSum::new(), BlockedSum::new());
                cw.add(w0);
                ch.add(h0);
                for_each_block(&self.records[range.clone()], self.ties, |local, rows| {
                    let (bw, bh) = block_totals(rows);
                    let start = range.start + local.start;
                    let b = Block {
                        range: start..start + local.len(),
                        w: bw,
                        h: bh,
                        w_before: cw.value(),
                        h_before: ch.value(),
                    };
                    f(&mut acc, &b);
                    cw.add(bw);
                    ch.add(bh);
                });
                acc
            })
            .collect()
    }
}

impl SortedSample<WithRow> {
    /// The fractional rank of every row, in input order.
    pub fn ranks_in_input_order(&self) -> Vec<f64> {
        let blocks = self.pass(Vec::new, |acc: &mut Vec<(Range<usize>, f64)>, b| {
            acc.push((b.range.clone(), self.rank(b)));
        });
        let mut ranks = vec![0.0; self.len()];
        for (range, rank) in blocks.into_iter().flatten() {
            for record in &self.records[range] {
                ranks[record.row()] = rank;
            }
        }
        ranks
    }
}

/// Calls `f(range, records)` for each tie block of sorted `records` (each
/// record alone with [`Ties::RowOrder`]).
#[inline]
fn for_each_block<R: Record>(records: &[R], ties: Ties, mut f: impl FnMut(Range<usize>, &[R])) {
    let mut start = 0;
    while start < records.len() {
        let mut end = start + 1;
        if ties == Ties::Midpoint {
            let key = records[start].key();
            while end < records.len() && records[end].key() == key {
                end += 1;
            }
        }
        f(start..end, &records[start..end]);
        start = end;
    }
}

/// Block weight and block `Σw·h`.
#[inline]
fn block_totals<R: SampleRecord>(rows: &[R]) -> (f64, f64) {
    rows.iter()
        .fold((0.0, 0.0), |(bw, bh), r| (bw + r.w(), bh + r.w() * r.h()))
}

fn summarise_bucket<R: SampleRecord>(bucket: &[R], ties: Ties) -> BucketSummary {
    let mut s = BucketSummary::default();
    for_each_block(bucket, ties, |_, rows| {
        let (bw, bh) = block_totals(rows);
        s.h_by_midpoint.add(bh * (s.w.value() + bw / 2.0));
        s.w_cubed.add(bw * bw * bw);
        s.w.add(bw);
        s.h.add(bh);
    });
    s
}

/// Groups whole buckets into chunks of about 2^18 rows (at most
/// `max_chunks`). The split depends only on the data, never on the number of
/// threads, so results are identical on every machine.
fn group_buckets(
    buckets: &[Range<usize>],
    before: &[(f64, f64)],
    max_chunks: usize,
) -> (Vec<Range<usize>>, Vec<(f64, f64)>) {
    let n = buckets.last().map_or(0, |b| b.end);
    let target = (n >> 18).clamp(1, max_chunks.max(1));
    let size = n.div_ceil(target).max(1);
    let mut chunks: Vec<Range<usize>> = Vec::new();
    let mut offsets = Vec::new();
    for (b, &off) in buckets.iter().zip(before) {
        match chunks.last_mut() {
            Some(last) if last.len() < size => last.end = b.end,
            _ => {
                chunks.push(b.clone());
                offsets.push(off);
            }
        }
    }
    (chunks, offsets)
}

/// Errors when the total weight is zero.
pub(crate) fn positive_total(total: f64) -> Result<f64> {
    if total > 0.0 {
        Ok(total)
    } else {
        Err(Error::Degenerate {
            arg: "weights",
            reason: "the total weight is zero".into(),
        })
    }
}
