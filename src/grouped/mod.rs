//! Grouped dispatch: one measure for every group of a long frame in one call.
//!
//! Rows are partitioned once by their group code (order of first appearance,
//! [`crate::indicators::grouped::Groups`]); every column is gathered once into
//! group order (no copy when the rows already come grouped), and the core's
//! public measure function runs on each group's contiguous slices, groups in
//! parallel (rayon). Results come back in group order whatever the number of
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
use crate::indicators::grouped::Groups;
use rayon::prelude::*;
use std::borrow::Cow;
use std::ops::Range;

/// `method` of a group row whose measure could not be computed.
pub const NOT_COMPUTED: &str = "not computed";

/// Rows of a long frame partitioned into groups once.
#[derive(Debug, Clone)]
pub struct Partition {
    groups: Groups,
    /// True when the rows already come grouped in first-appearance order
    /// (columns are then used in place, without a gather).
    in_place: bool,
    /// Dense group of every row (empty when `in_place`).
    group_of: Vec<u32>,
}

impl Partition {
    /// Partitions `n` rows by their group code `by` (equal codes = one group).
    ///
    /// # Errors
    /// [`Error::Empty`] for no rows, [`Error::LengthMismatch`] naming `by`
    /// and `other` when `by` does not have `n` entries.
    pub fn new(by: &[i64], n: usize, other: &'static str) -> Result<Self> {
        crate::validate::same_length("by", other, n, by.len())?;
        let groups = Groups::from_codes(by)?;
        let in_place = (0..groups.len())
            .flat_map(|g| groups.rows(g).iter().copied())
            .enumerate()
            .all(|(k, i)| k == i);
        let mut group_of = Vec::new();
        if !in_place {
            group_of = vec![0u32; n];
            for g in 0..groups.len() {
                for &i in groups.rows(g) {
                    group_of[i] = g as u32;
                }
            }
        }
        Ok(Self {
            groups,
            in_place,
            group_of,
        })
    }

    /// Number of groups.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// True when there are no groups.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The first input row of every group (to attach the group keys).
    pub fn first_rows(&self) -> Vec<usize> {
        self.groups.first_rows()
    }

    /// Positions of group `g` in the gathered (grouped) order.
    pub fn range(&self, g: usize) -> Range<usize> {
        let o = self.groups.offsets();
        o[g]..o[g + 1]
    }

    /// `column` in grouped order: borrowed when the rows already come
    /// grouped, otherwise copied once in a streaming pass (rows read in
    /// order, each written at its group's cursor: one write stream per
    /// group rather than a random read per row).
    pub fn gather<'a, T: Copy + Default + Send + Sync>(&self, column: &'a [T]) -> Cow<'a, [T]> {
        if self.in_place {
            return Cow::Borrowed(column);
        }
        let offsets = self.groups.offsets();
        let mut next = offsets[..self.len()].to_vec();
        let mut out = vec![T::default(); column.len()];
        for (&v, &g) in column.iter().zip(&self.group_of) {
            let slot = &mut next[g as usize];
            out[*slot] = v;
            *slot += 1;
        }
        Cow::Owned(out)
    }

    /// Runs `f` on every group (its index and range) in parallel; results in group order.
    pub fn map<T: Send>(&self, f: impl Fn(usize, Range<usize>) -> T + Sync) -> Vec<T> {
        (0..self.len())
            .into_par_iter()
            .map(|g| f(g, self.range(g)))
            .collect()
    }
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

/// Partitions, gathers `floats` (and the optional weights, cluster and
/// strata) into group order once, and runs `f` on each group's slices.
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
    let (cols, weights) = rayon::join(
        || -> Vec<Cow<'_, [f64]>> { floats.par_iter().map(|&(_, c)| part.gather(c)).collect() },
        || design.weights.map(|w| part.gather(w)),
    );
    let cluster = design.cluster.map(|c| part.gather(c));
    let strata = design.strata.map(|s| part.gather(s));
    let outcomes = part.map(|_, r| {
        let slices: Vec<&[f64]> = cols.iter().map(|c| &c[r.clone()]).collect();
        let d = crate::measures::microdata::Design {
            weights: weights.as_deref().map(|w| &w[r.clone()]),
            cluster: cluster.as_deref().map(|c| &c[r.clone()]),
            strata: strata.as_deref().map(|s| &s[r.clone()]),
        };
        f(&slices, d)
    });
    let rows = (0..part.len()).map(|g| part.range(g).len()).collect();
    Ok(GroupedEstimates {
        first_row: part.first_rows(),
        rows,
        outcomes,
    })
}
