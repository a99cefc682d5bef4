//! Group index for computations per group over a long frame in one call.
//!
//! The Python layer factorises the `by=` columns into integer codes; the Rust
//! side sorts rows into groups once (counting sort, O(n)), keeps the order of
//! first appearance, and every `*_by` function computes the groups in
//! parallel. Each group is computed on its own, so results do not depend on
//! the number of threads.

use crate::error::{Error, Result};
use rayon::prelude::*;
use std::collections::HashMap;

/// Rows of a long frame partitioned into groups (order of first appearance).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Groups {
    offsets: Vec<usize>,
    rows: Vec<usize>,
}

impl Groups {
    /// One group holding every row.
    pub fn single(n: usize) -> Self {
        Self {
            offsets: vec![0, n],
            rows: (0..n).collect(),
        }
    }

    /// Groups from integer codes, one per row (any values; equal codes = same group).
    ///
    /// # Errors
    /// [`Error::Empty`] when `codes` is empty.
    pub fn from_codes(codes: &[i64]) -> Result<Self> {
        if codes.is_empty() {
            return Err(Error::Empty { arg: "by" });
        }
        let n = codes.len();
        // Dense ids by first appearance: a vector lookup for small non-negative
        // codes (what pandas' ngroup gives), a hash map otherwise.
        let mut dense = Vec::with_capacity(n);
        let mut count: Vec<usize> = Vec::new();
        let small = codes
            .iter()
            .all(|&c| c >= 0 && (c as u64) < 4 * n as u64 + 16);
        if small {
            let max = codes.iter().copied().max().unwrap_or(0) as usize;
            let mut map = vec![usize::MAX; max + 1];
            for &c in codes {
                let slot = &mut map[c as usize];
                if *slot == usize::MAX {
                    *slot = count.len();
                    count.push(0);
                }
                count[*slot] += 1;
                dense.push(*slot);
            }
        } else {
            let mut map: HashMap<i64, usize> = HashMap::new();
            for &c in codes {
                let id = *map.entry(c).or_insert_with(|| {
                    count.push(0);
                    count.len() - 1
                });
                count[id] += 1;
                dense.push(id);
            }
        }
        let mut offsets = Vec::with_capacity(count.len() + 1);
        offsets.push(0);
        for c in &count {
            offsets.push(offsets.last().copied().unwrap_or(0) + c);
        }
        let mut next = offsets[..count.len()].to_vec();
        let mut rows = vec![0; n];
        for (i, &g) in dense.iter().enumerate() {
            rows[next[g]] = i;
            next[g] += 1;
        }
        Ok(Self { offsets, rows })
    }

    /// Every row its own group (row-by-row results through the grouped code).
    pub fn each_row(n: usize) -> Self {
        Self {
            offsets: (0..=n).collect(),
            rows: (0..n).collect(),
        }
    }

    /// The same groups without the rows `keep` rejects; groups left without
    /// rows disappear (the order of the others is kept).
    #[must_use]
    pub fn retain_rows(&self, keep: impl Fn(usize) -> bool) -> Self {
        let mut offsets = Vec::with_capacity(self.offsets.len());
        let mut rows = Vec::with_capacity(self.rows.len());
        offsets.push(0);
        for g in 0..self.len() {
            let before = rows.len();
            rows.extend(self.rows(g).iter().copied().filter(|&i| keep(i)));
            if rows.len() > before {
                offsets.push(rows.len());
            }
        }
        Self { offsets, rows }
    }

    /// Position of every row within its group (0, 1, 2, ... in input order),
    /// indexed by row.
    pub fn position_in_group(&self) -> Vec<usize> {
        let n = self.rows.iter().copied().max().map_or(0, |m| m + 1);
        let mut pos = vec![0; n];
        for g in 0..self.len() {
            for (k, &i) in self.rows(g).iter().enumerate() {
                pos[i] = k;
            }
        }
        pos
    }

    /// Number of rows covered by the groups.
    pub fn rows_len(&self) -> usize {
        self.rows.len()
    }

    /// Groups from optional codes: `None` means one group of `n` rows.
    ///
    /// # Errors
    /// As [`Groups::from_codes`], and [`Error::LengthMismatch`] when the codes
    /// do not have `n` entries.
    pub fn new(codes: Option<&[i64]>, n: usize, other: &'static str) -> Result<Self> {
        match codes {
            None => Ok(Self::single(n)),
            Some(c) => {
                crate::validate::same_length("by", other, n, c.len())?;
                Self::from_codes(c)
            }
        }
    }

    /// Checks the groups were built for `n` rows.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] naming `by` and `other`.
    pub fn check_len(&self, other: &'static str, n: usize) -> Result<()> {
        crate::validate::same_length("by", other, n, self.rows.len())
    }

    /// Number of groups.
    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    /// True when there are no groups.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row indices of group `g`, in input order.
    pub fn rows(&self, g: usize) -> &[usize] {
        &self.rows[self.offsets[g]..self.offsets[g + 1]]
    }

    /// Group boundaries: the rows of group g are at positions
    /// `offsets[g]..offsets[g + 1]` of the grouped order.
    pub(crate) fn offsets(&self) -> &[usize] {
        &self.offsets
    }

    /// The first row of every group (to attach the group keys to results).
    pub fn first_rows(&self) -> Vec<usize> {
        (0..self.len()).map(|g| self.rows(g)[0]).collect()
    }

    /// Applies `f` to every group in parallel; the first error (in group order) wins.
    ///
    /// # Errors
    /// The error `f` returns for the first failing group.
    pub fn map<T: Send>(&self, f: impl Fn(&[usize]) -> Result<T> + Sync) -> Result<Vec<T>> {
        let all: Vec<Result<T>> = (0..self.len())
            .into_par_iter()
            .map(|g| f(self.rows(g)))
            .collect();
        all.into_iter().collect()
    }

    /// As [`Groups::map`], with working memory made by `init` and reused
    /// across the groups one thread computes (no allocation per group).
    ///
    /// # Errors
    /// The error `f` returns for the first failing group.
    pub fn map_init<S, T: Send>(
        &self,
        init: impl Fn() -> S + Sync + Send,
        f: impl Fn(&mut S, &[usize]) -> Result<T> + Sync + Send,
    ) -> Result<Vec<T>> {
        let all: Vec<Result<T>> = (0..self.len())
            .into_par_iter()
            .map_init(init, |scratch, g| f(scratch, self.rows(g)))
            .collect();
        all.into_iter().collect()
    }
}

/// Results per group together with the first input row of each group.
#[derive(Debug, Clone, PartialEq)]
pub struct Grouped<T> {
    /// First input row of each group, to attach the keys.
    pub first_row: Vec<usize>,
    /// One result per group.
    pub results: Vec<T>,
}

/// Gathers `values[rows]` into a new vector.
pub(crate) fn gather(values: &[f64], rows: &[usize]) -> Vec<f64> {
    rows.iter().map(|&i| values[i]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_appearance_order() {
        let g = Groups::from_codes(&[7, 3, 7, 3, 9]).unwrap();
        assert_eq!(g.len(), 3);
        assert_eq!(g.rows(0), &[0, 2]);
        assert_eq!(g.rows(1), &[1, 3]);
        assert_eq!(g.rows(2), &[4]);
        let h = Groups::from_codes(&[-5, i64::MAX, -5]).unwrap();
        assert_eq!(h.rows(0), &[0, 2]);
        let r = g.retain_rows(|i| i != 4 && i != 0);
        assert_eq!(r.len(), 2);
        assert_eq!(r.rows(0), &[2]);
        assert_eq!(r.rows(1), &[1, 3]);
        assert_eq!(g.position_in_group(), vec![0, 0, 1, 1, 0]);
        let e = Groups::each_row(3);
        assert_eq!(e.len(), 3);
        assert_eq!(e.rows(2), &[2]);
    }
}
