//! The exact concentration index and Gini over rows spread across machines.
//!
//! Fractional ranks need every row's place among all rows, so a concentration
//! index cannot be merged from independent summaries. Range partitions make it
//! exact in two passes:
//!
//! 1. Split the ranking variable at values `s_1 < … < s_{k−1}` (from a sample
//!    or quantiles: any split points work, balance only affects speed) and
//!    send each row to the range holding its value. A split is a value, so a
//!    tie never straddles two ranges. Each range reports its rows, weight
//!    `W_j`, `Σw·h` and its smallest and largest rank value
//!    ([`RangeTotals`]). [`RankOffset::plan`] turns those into each range's
//!    weight and `Σw·h` below it, and the totals.
//! 2. Each range sorts its rows and walks its tie blocks with those offsets,
//!    so every rank `r_k = (W_before + w_k/2)/W` is the rank a single sort
//!    would give. It sums the covariance terms `H_k(r_k − ½)` and the terms
//!    of the linearized SE ([`RangeSums`]); sums of ranges merge by addition
//!    and [`RangeSums::finish`] gives the index.
//!
//! The linearized SE's influence value is
//! `z_i = a(g_i − 2GC) + b(h_i − μ)` with `g_i = h_i(2r_i − 1) + μ − (2S_{k−1} + H_k)/W`
//! (the per-row part, known in pass 2) and the kind's chain constants `a`, `b`.
//! `GC` is only known after pass 2, so pass 2 keeps the sums of `w²g²`,
//! `w²g`, `w²`, `w²ge`, `w²e`, `w²e²`, `wg`, `we` (`e = h − μ`), and the
//! square is expanded at the end: the same variance as
//! [`crate::measures::microdata::concentration_index`] (iid design), without
//! a third pass.

use super::{ExactSum, Mergeable, check_weights};
use crate::error::{Error, Result};
use crate::estimate::Estimate;
use crate::measures::microdata::{ConcentrationOptions, Kind, SeMethod};
use crate::rank::Ties;
use crate::stats::{check_level, z_value};
use crate::validate::{self, MissingPolicy};
use serde::{Deserialize, Serialize};

/// Ranks treat −0.0 and 0.0 as one value, as the single-machine sort does.
fn key(x: f64) -> f64 {
    if x == 0.0 { 0.0 } else { x }
}

/// Checks one partition's columns (complete rows only: apply a missing-value
/// policy before partitioning).
fn check_rows(outcome: &[f64], rank_by: &[f64], weights: Option<&[f64]>) -> Result<()> {
    validate::same_length("rank_by", "outcome", outcome.len(), rank_by.len())?;
    validate::finite("outcome", outcome)?;
    validate::finite("rank_by", rank_by)?;
    check_weights(weights, "outcome", outcome.len())
}

/// Pass 1 of one range partition: rows, weight, `Σw·h` and the range of the
/// ranking variable.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RangeTotals {
    /// Rows.
    pub n: usize,
    w: ExactSum,
    h: ExactSum,
    /// Smallest and largest `rank_by` value (`None` while empty).
    bounds: Option<(f64, f64)>,
}

impl RangeTotals {
    /// Adds rows of this range.
    ///
    /// # Errors
    /// Length mismatches, missing or infinite values, negative weights.
    pub fn update(
        &mut self,
        outcome: &[f64],
        rank_by: &[f64],
        weights: Option<&[f64]>,
    ) -> Result<()> {
        check_rows(outcome, rank_by, weights)?;
        for (i, (&h, &x)) in outcome.iter().zip(rank_by).enumerate() {
            let w = weights.map_or(1.0, |w| w[i]);
            self.w.add(w);
            self.h.add(w * h);
            let x = key(x);
            self.bounds = Some(match self.bounds {
                None => (x, x),
                Some((lo, hi)) => (lo.min(x), hi.max(x)),
            });
        }
        self.n += outcome.len();
        Ok(())
    }
}

impl Mergeable for RangeTotals {
    /// Merges two pieces of the same range (for example two Spark tasks).
    fn merge(&mut self, other: &Self) -> Result<()> {
        self.n += other.n;
        self.w.merge(&other.w);
        self.h.merge(&other.h);
        self.bounds = match (self.bounds, other.bounds) {
            (None, b) | (b, None) => b,
            (Some(a), Some(b)) => Some((a.0.min(b.0), a.1.max(b.1))),
        };
        Ok(())
    }
}

/// What pass 2 of one range needs from pass 1: the weight and `Σw·h` of the
/// ranges below it, and the totals of all ranges.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RankOffset {
    /// Weight of the lower ranges.
    pub w_before: f64,
    /// `Σw·h` of the lower ranges.
    pub h_before: f64,
    /// Total weight `W`.
    pub total_w: f64,
    /// Total `Σw·h`.
    pub total_h: f64,
}

impl RankOffset {
    /// The offsets of every range, given the pass-1 totals of the ranges in
    /// ascending order of their `rank_by` values (empty ranges are allowed).
    ///
    /// # Errors
    /// No rows, a zero total weight, or two ranges whose values overlap (the
    /// split points must separate the ranges' values, so a tie stays in one range).
    pub fn plan(ranges: &[RangeTotals]) -> Result<Vec<Self>> {
        let mut last: Option<(usize, f64)> = None;
        for (j, r) in ranges.iter().enumerate() {
            if let Some((lo, hi)) = r.bounds {
                if let Some((i, prev_hi)) = last
                    && lo <= prev_hi
                {
                    return Err(Error::invalid(
                        "rank_by",
                        format!(
                            "range partitions {i} and {j} overlap (values up to {prev_hi} in range {i}, from {lo} in range {j}); range-partition rows by `rank_by` with split values so every value (and tie) falls in one range, and list the ranges in ascending order"
                        ),
                    ));
                }
                last = Some((j, hi));
            }
        }
        if ranges.iter().all(|r| r.n == 0) {
            return Err(Error::Empty { arg: "totals" });
        }
        let (mut w, mut h) = (ExactSum::new(), ExactSum::new());
        let mut before = Vec::with_capacity(ranges.len());
        for r in ranges {
            before.push((w.value(), h.value()));
            w.merge(&r.w);
            h.merge(&r.h);
        }
        let total_w = crate::rank::sample::positive_total(w.value())?;
        let total_h = h.value();
        Ok(before
            .into_iter()
            .map(|(w_before, h_before)| Self {
                w_before,
                h_before,
                total_w,
                total_h,
            })
            .collect())
    }
}

/// Pass 2 of one or more range partitions: covariance and SE sums with
/// global ranks. Sums of different ranges (with offsets from one plan) merge
/// by addition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RangeSums {
    /// Rows.
    pub n: usize,
    total_w: f64,
    total_h: f64,
    /// `Σ_k H_k·(W_before,k + w_k/2 − W/2)`.
    cov: ExactSum,
    /// `[w²g², w²g, w², w²ge, w²e, w²e², wg, we]`.
    se: [ExactSum; 8],
    /// Smallest and largest `rank_by` value (to refuse a constant ranking).
    bounds: Option<(f64, f64)>,
    /// Range partitions merged in.
    ranges: usize,
}

impl RangeSums {
    /// Pass 2 of one range: sorts its rows by `rank_by` and sums with the
    /// offsets `offset` of [`RankOffset::plan`]. All rows of the range must
    /// be here (a tie block must be whole).
    ///
    /// # Errors
    /// As [`RangeTotals::update`]; a zero total weight in `offset`.
    pub fn of_range(
        outcome: &[f64],
        rank_by: &[f64],
        weights: Option<&[f64]>,
        offset: &RankOffset,
    ) -> Result<Self> {
        check_rows(outcome, rank_by, weights)?;
        let total_w = crate::rank::sample::positive_total(offset.total_w)?;
        let mu = offset.total_h / total_w;
        let weight = |i: usize| weights.map_or(1.0, |w| w[i]);
        let mut order: Vec<usize> = (0..rank_by.len()).collect();
        order.sort_unstable_by(|&a, &b| key(rank_by[a]).total_cmp(&key(rank_by[b])));
        let mut cov = ExactSum::new();
        let mut se = [ExactSum::new(); 8];
        let (mut wb, mut hb) = (ExactSum::new(), ExactSum::new());
        wb.add(offset.w_before);
        hb.add(offset.h_before);
        let mut start = 0;
        while start < order.len() {
            let k = key(rank_by[order[start]]);
            let mut end = start + 1;
            while end < order.len() && key(rank_by[order[end]]) == k {
                end += 1;
            }
            let block = &order[start..end];
            let (mut bw, mut bh) = (ExactSum::new(), ExactSum::new());
            for &i in block {
                bw.add(weight(i));
                bh.add(weight(i) * outcome[i]);
            }
            let (bw, bh) = (bw.value(), bh.value());
            let (w_before, h_before) = (wb.value(), hb.value());
            cov.add(bh * ((w_before - total_w / 2.0) + bw / 2.0));
            let r = (w_before + bw / 2.0) / total_w;
            let c = mu - (2.0 * h_before + bh) / total_w;
            for &i in block {
                let (w, h) = (weight(i), outcome[i]);
                let g = h * (2.0 * r - 1.0) + c;
                let e = h - mu;
                let w2 = w * w;
                for (s, t) in se.iter_mut().zip([
                    w2 * g * g,
                    w2 * g,
                    w2,
                    w2 * g * e,
                    w2 * e,
                    w2 * e * e,
                    w * g,
                    w * e,
                ]) {
                    s.add(t);
                }
            }
            wb.add(bw);
            hb.add(bh);
            start = end;
        }
        let bounds = order
            .first()
            .zip(order.last())
            .map(|(&a, &b)| (key(rank_by[a]), key(rank_by[b])));
        Ok(Self {
            n: outcome.len(),
            total_w,
            total_h: offset.total_h,
            cov,
            se,
            bounds,
            ranges: 1,
        })
    }

    /// The concentration index of all merged ranges, as
    /// [`crate::measures::microdata::concentration_index`] gives it for the
    /// same rows with an iid design.
    ///
    /// Supported: kinds standard and generalized; SE linearized or none;
    /// midpoint ties; `missing` must be `Error` (drop incomplete rows before
    /// partitioning).
    ///
    /// # Errors
    /// Unsupported options; no rows; all `rank_by` values equal; a zero mean
    /// (standard kind); fewer than two rows for the SE.
    pub fn finish(&self, opts: &ConcentrationOptions) -> Result<Estimate> {
        check_level("level", opts.level)?;
        let (a_kind, label) = match opts.kind {
            Kind::Standard | Kind::Generalized => (opts.kind, opts.kind.name()),
            other => {
                return Err(Error::invalid(
                    "kind",
                    format!(
                        "the distributed concentration index supports kind=\"standard\" and \"generalized\", not {:?}; compute the generalized index and rescale, or use concentration_index on one machine",
                        other.name()
                    ),
                ));
            }
        };
        if !matches!(opts.se, SeMethod::Linearized | SeMethod::None) {
            return Err(Error::invalid(
                "se",
                format!(
                    "the distributed concentration index supports se=\"linearized\" or \"none\", not {:?}",
                    opts.se.name()
                ),
            ));
        }
        if opts.ties != Ties::Midpoint {
            return Err(Error::invalid(
                "ties",
                "the distributed concentration index ranks ties by their midpoint only (ties=\"midpoint\"): row order is not defined across partitions",
            ));
        }
        if opts.limits.is_some() {
            return Err(Error::invalid(
                "limits",
                "limits only apply to the bounded kinds, which the distributed index does not support",
            ));
        }
        if opts.missing != MissingPolicy::Error {
            return Err(Error::invalid(
                "missing",
                "the distributed index takes complete rows: drop incomplete rows before partitioning (missing=\"error\")",
            ));
        }
        let Some((lo, hi)) = self.bounds else {
            return Err(Error::Empty { arg: "outcome" });
        };
        if lo == hi {
            return Err(Error::Degenerate {
                arg: "rank_by",
                reason:
                    "all values are equal, so every rank is the same and the index is undefined"
                        .into(),
            });
        }
        let w = self.total_w;
        let mu = self.total_h / w;
        let gc = 2.0 * self.cov.value() / (w * w);
        let (value, a, b) = match a_kind {
            Kind::Standard => {
                if mu == 0.0 {
                    return Err(Error::ZeroMean {
                        arg: "outcome",
                        what: "concentration index (standard)".into(),
                    });
                }
                let c = gc / mu;
                (c, 1.0 / mu, -c / mu)
            }
            _ => (gc, 1.0, 0.0),
        };
        let label = format!("concentration index ({label})");
        let estimate = if opts.se == SeMethod::None {
            Estimate::point(value, opts.level, format!("{label}; no SE"))
        } else {
            if self.n < 2 {
                return Err(Error::too_few("linearized SE", "PSUs", 2, self.n));
            }
            let [g2, g1, w2, ge, e1, e2, wg, we] = self.se.map(|s| s.value());
            let t = 2.0 * gc;
            // Σw²z² with z = a(g − t) + b·e, expanded.
            let sum_w2z2 =
                a * a * (g2 - 2.0 * t * g1 + t * t * w2) + 2.0 * a * b * (ge - t * e1) + b * b * e2;
            let sum_u = (a * (wg - t * w) + b * we) / w;
            let sum_u2 = sum_w2z2 / (w * w);
            let n = self.n as f64;
            let ss = (sum_u2 - sum_u * sum_u / n).max(0.0);
            let var = n / (n - 1.0) * ss;
            Estimate::wald(
                value,
                var.max(0.0).sqrt(),
                opts.level,
                z_value(opts.level)?,
                format!("{label}; SE linearized (iid; with-replacement PSU variance)"),
            )
        };
        Ok(estimate.with_n(self.n).with_note(format!(
            "exact two-pass over {} range partition(s) of rank_by",
            self.ranges
        )))
    }

    /// The Gini coefficient of the merged ranges (pass 1 and 2 run with
    /// `outcome` = `rank_by` = the values), as [`crate::measures::microdata::gini`]
    /// gives it with an iid design: all values equal gives 0 with no SE.
    ///
    /// # Errors
    /// As [`RangeSums::finish`]; negative values.
    pub fn finish_gini(&self, se: SeMethod, level: f64) -> Result<Estimate> {
        check_level("level", level)?;
        let Some((lo, hi)) = self.bounds else {
            return Err(Error::Empty { arg: "values" });
        };
        if lo < 0.0 {
            return Err(Error::invalid(
                "values",
                format!("the Gini needs non-negative values; the smallest is {lo}"),
            ));
        }
        if self.total_h / self.total_w == 0.0 {
            return Err(Error::ZeroMean {
                arg: "values",
                what: "Gini".into(),
            });
        }
        if lo == hi {
            return Ok(Estimate::point(0.0, level, "Gini (all values equal)")
                .with_note("all values are equal: the Gini coefficient is 0 and has no SE")
                .with_n(self.n));
        }
        let opts = ConcentrationOptions {
            se,
            level,
            ..ConcentrationOptions::default()
        };
        let mut e = self.finish(&opts)?;
        e.method = e.method.replace("concentration index (standard)", "Gini");
        Ok(e)
    }
}

impl Mergeable for RangeSums {
    /// Adds another range's sums (offsets from the same plan).
    fn merge(&mut self, other: &Self) -> Result<()> {
        if self.total_w != other.total_w || self.total_h != other.total_h {
            return Err(Error::invalid(
                "other",
                "range sums from different pass-1 plans (their totals differ): run pass 2 of every range with offsets from one RankOffset::plan",
            ));
        }
        self.n += other.n;
        self.cov.merge(&other.cov);
        for (a, b) in self.se.iter_mut().zip(&other.se) {
            a.merge(b);
        }
        self.bounds = match (self.bounds, other.bounds) {
            (None, b) | (b, None) => b,
            (Some(a), Some(b)) => Some((a.0.min(b.0), a.1.max(b.1))),
        };
        self.ranges += other.ranges;
        Ok(())
    }
}
