//! Grouped dispatch: one measure for every group of a long frame in one call.
//!
//! Rows are partitioned once by their group code (order of first appearance)
//! into a permutation of the row numbers (4 bytes a row; none when the rows
//! already come grouped). Each group's columns are gathered when the group
//! runs, and the core's public measure function runs on those contiguous
//! slices, groups in parallel (rayon). Results come back in group order whatever the number of
//! threads, and each group's result is bit for bit the one a separate call on
//! that group's rows gives.
//!
//! A group on which the measure is undefined (one row, zero mean, all ranks
//! equal, every row dropped as missing) gets a row with `value` NaN, method
//! [`NOT_COMPUTED`] and a note saying why, so one small group does not fail a
//! call over thousands. Invalid input (a missing value under
//! `missing=Error`, a negative weight, a bad option) still fails the call:
//! [`GroupedEstimates::input_error`] names the first group where it occurs.

pub mod microdata;

pub use microdata::{
    atkinson_by, concentration_index_by, generalized_entropy_by, gini_by, hoover_by, kakwani_by,
    quantile_share_ratio_by,
};

use crate::error::{Error, Result};
use crate::estimate::Estimate;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

/// `method` of a group row whose measure could not be computed.
pub const NOT_COMPUTED: &str = "not computed";

/// Dense group ids by first appearance: a vector lookup for small
/// non-negative codes (what pandas' `ngroup`/`factorize` give), a hash map
/// otherwise.
enum DenseIds {
    Small(Vec<u32>),
    Hashed(HashMap<i64, u32>),
}

impl DenseIds {
    const UNSEEN: u32 = u32::MAX;

    fn for_codes(codes: &[i64]) -> Self {
        let n = codes.len() as u64;
        let (min, max) = codes
            .iter()
            .fold((i64::MAX, i64::MIN), |(lo, hi), &c| (lo.min(c), hi.max(c)));
        if min >= 0 && (max as u64) < 4 * n + 16 {
            Self::Small(vec![Self::UNSEEN; max as usize + 1])
        } else {
            Self::Hashed(HashMap::new())
        }
    }

    /// The id of `code`, or `None` when it has not been seen.
    #[inline]
    fn get(&self, code: i64) -> Option<u32> {
        match self {
            Self::Small(map) => Some(map[code as usize]).filter(|&id| id != Self::UNSEEN),
            Self::Hashed(map) => map.get(&code).copied(),
        }
    }

    #[inline]
    fn insert(&mut self, code: i64, id: u32) {
        match self {
            Self::Small(map) => map[code as usize] = id,
            Self::Hashed(map) => {
                map.insert(code, id);
            }
        }
    }
}

/// Input rows listed group after group (each group's rows ascending): 4
/// bytes a row while the row count fits in `u32`.
#[derive(Debug, Clone)]
enum Order {
    /// The rows already come grouped: the order is the identity.
    InPlace,
    Narrow(Vec<u32>),
    Wide(Vec<usize>),
}

/// Rows of a long frame partitioned into groups once.
///
/// Only a permutation of the row numbers is kept (4 bytes a row, none when
/// the rows already come grouped); each group's columns are gathered when
/// that group runs, into buffers its worker thread reuses, so the grouped
/// call needs a few bytes a row beyond its inputs rather than a grouped copy
/// of every column.
#[derive(Debug, Clone)]
pub struct Partition {
    /// Start of every group in the group order, and the row count at the end.
    offsets: Vec<usize>,
    /// The first input row of every group.
    first_rows: Vec<usize>,
    order: Order,
}

impl Partition {
    /// Partitions `n` rows by their group code `by` (equal codes = one group;
    /// groups numbered by first appearance).
    ///
    /// # Errors
    /// [`Error::Empty`] for no rows, [`Error::LengthMismatch`] naming `by`
    /// and `other` when `by` does not have `n` entries, [`Error::InvalidArgument`]
    /// for more than 2^32 − 1 groups.
    pub fn new(by: &[i64], n: usize, other: &'static str) -> Result<Self> {
        crate::validate::same_length("by", other, n, by.len())?;
        if by.is_empty() {
            return Err(Error::Empty { arg: "by" });
        }
        let mut ids = DenseIds::for_codes(by);
        let mut counts: Vec<usize> = Vec::new();
        let mut first_rows = Vec::new();
        let mut grouped = true;
        let mut last = 0u32;
        for (i, &c) in by.iter().enumerate() {
            let id = if let Some(id) = ids.get(c) {
                id
            } else {
                let id = u32::try_from(counts.len())
                    .ok()
                    .filter(|&id| id != DenseIds::UNSEEN)
                    .ok_or_else(|| {
                        Error::invalid("by", "more than 2^32 - 1 groups; split the call")
                    })?;
                ids.insert(c, id);
                counts.push(0);
                first_rows.push(i);
                id
            };
            counts[id as usize] += 1;
            grouped &= id >= last;
            last = id;
        }
        let mut offsets = Vec::with_capacity(counts.len() + 1);
        offsets.push(0);
        let mut total = 0;
        for c in &counts {
            total += c;
            offsets.push(total);
        }
        let order = if grouped {
            Order::InPlace
        } else if let Ok(n32) = u32::try_from(n) {
            Order::Narrow(scatter_rows(by, &ids, &offsets, n32 as usize, |i| i as u32))
        } else {
            Order::Wide(scatter_rows(by, &ids, &offsets, n, |i| i))
        };
        Ok(Self {
            offsets,
            first_rows,
            order,
        })
    }

    /// Number of groups.
    pub fn len(&self) -> usize {
        self.first_rows.len()
    }

    /// True when there are no groups.
    pub fn is_empty(&self) -> bool {
        self.first_rows.is_empty()
    }

    /// The first input row of every group (to attach the group keys).
    pub fn first_rows(&self) -> Vec<usize> {
        self.first_rows.clone()
    }

    /// Positions of group `g` in the grouped order.
    pub fn range(&self, g: usize) -> Range<usize> {
        self.offsets[g]..self.offsets[g + 1]
    }

    /// True when the rows already come grouped (columns are used in place).
    pub fn in_place(&self) -> bool {
        matches!(self.order, Order::InPlace)
    }

    /// Bytes this partition holds per row (the row permutation).
    pub fn bytes_per_row(&self) -> usize {
        match self.order {
            Order::InPlace => 0,
            Order::Narrow(_) => 4,
            Order::Wide(_) => std::mem::size_of::<usize>(),
        }
    }

    /// Group `g`'s values of `column`, in row order: a sub-slice when the
    /// rows come grouped, otherwise gathered into `buf`.
    pub fn group<'a, T: Copy>(&self, column: &'a [T], g: usize, buf: &'a mut Vec<T>) -> &'a [T] {
        let r = self.range(g);
        buf.clear();
        match &self.order {
            Order::InPlace => return &column[r],
            Order::Narrow(o) => buf.extend(o[r].iter().map(|&i| column[i as usize])),
            Order::Wide(o) => buf.extend(o[r].iter().map(|&i| column[i])),
        }
        buf
    }

    /// `column` in grouped order: borrowed when the rows already come
    /// grouped, otherwise copied once.
    pub fn gather<'a, T: Copy + Send + Sync>(&self, column: &'a [T]) -> Cow<'a, [T]> {
        match &self.order {
            Order::InPlace => Cow::Borrowed(column),
            Order::Narrow(o) => Cow::Owned(o.iter().map(|&i| column[i as usize]).collect()),
            Order::Wide(o) => Cow::Owned(o.iter().map(|&i| column[i]).collect()),
        }
    }

    /// Runs `f` on every group (its index and range) in parallel; results in group order.
    pub fn map<T: Send>(&self, f: impl Fn(usize, Range<usize>) -> T + Sync) -> Vec<T> {
        (0..self.len())
            .into_par_iter()
            .map(|g| f(g, self.range(g)))
            .collect()
    }
}

/// Row numbers listed group after group, each group's rows ascending (a
/// stable counting sort by dense id).
fn scatter_rows<I: Copy + Default>(
    by: &[i64],
    ids: &DenseIds,
    offsets: &[usize],
    n: usize,
    row: impl Fn(usize) -> I,
) -> Vec<I> {
    let mut next = offsets[..offsets.len() - 1].to_vec();
    let mut out = vec![I::default(); n];
    for (i, &c) in by.iter().enumerate() {
        // Every code was seen in the first pass.
        let g = ids.get(c).map_or(0, |g| g as usize);
        out[next[g]] = row(i);
        next[g] += 1;
    }
    out
}

/// One measure per group, in group order (first appearance of the code).
#[derive(Debug, Clone)]
pub struct GroupedEstimates {
    /// First input row of each group, to attach the keys.
    pub first_row: Vec<usize>,
    /// Input rows of each group (before the missing-value policy).
    pub rows: Vec<usize>,
    /// The core function's outcome for each group.
    pub outcomes: Vec<Result<Estimate>>,
}

/// True for errors that mean "this group's measure is undefined" rather than
/// "the input is wrong": those become a row with a note.
pub fn is_undefined_for_group(err: &Error) -> bool {
    matches!(
        err,
        Error::Empty { .. }
            | Error::TooFew { .. }
            | Error::ZeroMean { .. }
            | Error::Degenerate { .. }
    )
}

impl GroupedEstimates {
    /// The first group (in group order) whose input is invalid, with its error.
    pub fn input_error(&self) -> Option<(usize, &Error)> {
        self.outcomes.iter().enumerate().find_map(|(g, r)| match r {
            Err(e) if !is_undefined_for_group(e) => Some((g, e)),
            _ => None,
        })
    }

    /// One estimate per group: undefined measures become `value` NaN, method
    /// [`NOT_COMPUTED`], the reason in `note` and the group's rows in `n`.
    ///
    /// # Errors
    /// The first input error ([`GroupedEstimates::input_error`]), unchanged.
    pub fn into_rows(self, level: f64) -> Result<Vec<Estimate>> {
        self.outcomes
            .into_iter()
            .zip(&self.rows)
            .map(|(r, &n)| match r {
                Ok(e) => Ok(e),
                Err(e) if is_undefined_for_group(&e) => {
                    Ok(Estimate::point(f64::NAN, level, NOT_COMPUTED)
                        .with_note(format!("not computed for this group: {e}"))
                        .with_n(n))
                }
                Err(e) => Err(e),
            })
            .collect()
    }
}

/// One worker's gather buffers (reused from group to group).
#[derive(Default)]
struct Buffers {
    floats: Vec<Vec<f64>>,
    weights: Vec<f64>,
    cluster: Vec<i64>,
    strata: Vec<i64>,
}

/// Partitions, gathers `floats` (and the optional weights, cluster and
/// strata) group by group as each runs, and runs `f` on the group's slices.
pub(crate) fn dispatch(
    by: &[i64],
    floats: &[(&'static str, &[f64])],
    design: crate::measures::microdata::Design<'_>,
    f: impl Fn(&[&[f64]], crate::measures::microdata::Design<'_>) -> Result<Estimate> + Sync,
) -> Result<GroupedEstimates> {
    let (first_name, first) = floats[0];
    crate::validate::non_empty(first_name, first)?;
    let n = first.len();
    for &(name, c) in &floats[1..] {
        crate::validate::same_length(name, first_name, n, c.len())?;
    }
    if let Some(w) = design.weights {
        crate::validate::same_length("weights", first_name, n, w.len())?;
    }
    if let Some(c) = design.cluster {
        crate::validate::same_length("cluster", first_name, n, c.len())?;
    }
    if let Some(s) = design.strata {
        crate::validate::same_length("strata", first_name, n, s.len())?;
    }
    let part = Partition::new(by, n, first_name)?;
    // Each worker gathers one group at a time into buffers it reuses: the
    // call holds the row permutation plus a few groups' columns, never a
    // grouped copy of every column.
    let outcomes = (0..part.len())
        .into_par_iter()
        .map_init(Buffers::default, |b, g| {
            let Buffers {
                floats: bufs,
                weights,
                cluster,
                strata,
            } = b;
            bufs.resize_with(floats.len(), Vec::new);
            let slices: Vec<&[f64]> = floats
                .iter()
                .zip(bufs.iter_mut())
                .map(|(&(_, c), buf)| part.group(c, g, buf))
                .collect();
            let d = crate::measures::microdata::Design {
                weights: design.weights.map(|c| part.group(c, g, weights)),
                cluster: design.cluster.map(|c| part.group(c, g, cluster)),
                strata: design.strata.map(|c| part.group(c, g, strata)),
            };
            f(&slices, d)
        })
        .collect();
    let rows = (0..part.len()).map(|g| part.range(g).len()).collect();
    Ok(GroupedEstimates {
        first_row: part.first_rows(),
        rows,
        outcomes,
    })
}
