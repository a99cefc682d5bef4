//! Standard errors of the concentration-index family: influence values of
//! `GC` chained through each kind, their PSU totals (linearized SE), and
//! conindex's convenient-regression SEs.

use super::kinds::kind_value;
use super::{ConcentrationOptions, SeMethod, check_options};
use crate::error::{Error, Result};
use crate::measures::microdata::prepare;
use crate::measures::microdata::variance::{PsuAccumulator, PsuMap};
use crate::rank::sample::{Block, SampleRecord, SortedSample, WithRow};
use crate::stats::{BlockedSum, CompensatedSum};
use crate::validate::MissingPolicy;

/// PSU totals of `u_i = w_i z_i / W` with `z_i = h_i·α_k + β_k`, where
/// `(α_k, β_k) = coef(block)`; also returns `Σ w z² / W`.
pub(crate) fn influence_totals<R: SampleRecord>(
    s: &SortedSample<R>,
    psu: &PsuMap<'_>,
    coef: impl Fn(&Block) -> (f64, f64) + Sync,
) -> (PsuAccumulator, f64) {
    debug_assert!(R::HAS_ROW || !psu.needs_rows());
    let inv_w = 1.0 / s.total_w;
    if !psu.needs_rows() {
        // iid: every row is its own PSU, so only Σu, Σu² (and Σuz) matter.
        let parts = s.pass(
            || [BlockedSum::new(); 3],
            |acc, b| {
                let (alpha, beta) = coef(b);
                for r in &s.records[b.range.clone()] {
                    let z = r.h() * alpha + beta;
                    let u = r.w() * z * inv_w;
                    acc[0].add(u);
                    acc[1].add(u * u);
                    acc[2].add(u * z);
                }
            },
        );
        let [sum, sum_sq, sum_uz] = parts.into_iter().fold([BlockedSum::new(); 3], |a, b| {
            [a[0].merge(b[0]), a[1].merge(b[1]), a[2].merge(b[2])]
        });
        return (
            PsuMap::iid_accumulator(sum, sum_sq, s.len()),
            sum_uz.value(),
        );
    }
    let parts = s.pass(
        || (psu.accumulator(), BlockedSum::new()),
        |acc, b| {
            let (alpha, beta) = coef(b);
            for r in &s.records[b.range.clone()] {
                let z = r.h() * alpha + beta;
                let u = r.w() * z * inv_w;
                psu.add(&mut acc.0, r.row(), u);
                acc.1.add(u * z);
            }
        },
    );
    let mut it = parts.into_iter();
    let first = it
        .next()
        .unwrap_or_else(|| (psu.accumulator(), BlockedSum::new()));
    let (acc, sum) = it.fold(first, |a, b| (a.0.merge(b.0), a.1.merge(b.1)));
    (acc, sum.value())
}

/// Convenient-regression variance of the slope of `2σ_r²h` on `r` (WLS),
/// classical, HC1 or CR1 (conindex).
pub(super) fn convenient_regression_variance<R: SampleRecord>(
    s: &SortedSample<R>,
    gc: f64,
    sigma2: f64,
    method: SeMethod,
    cluster: Option<&[i64]>,
) -> Result<f64> {
    let n = s.len() as f64;
    if s.len() < 3 {
        return Err(Error::too_few(
            "convenient-regression SE (`se`)",
            "observations",
            3,
            s.len(),
        ));
    }
    let total = s.total_w;
    // WLS of y = 2σ²h on x = r − ½ with weights w.
    let sw = total;
    let sums = s.pass(CompensatedSum::new, |acc, b| {
        acc.add(b.w * (s.rank(b) - 0.5));
    });
    let swx = sums
        .into_iter()
        .fold(CompensatedSum::new(), CompensatedSum::merge)
        .value();
    let swxx = total * sigma2;
    let swy = 2.0 * sigma2 * s.total_h;
    let swxy = sigma2 * total * gc;
    let det = sw * swxx - swx * swx;
    if det <= 0.0 {
        return Err(Error::Degenerate {
            arg: "rank_by",
            reason: "the ranks do not vary".into(),
        });
    }
    let slope = (sw * swxy - swx * swy) / det;
    let intercept = (swy - slope * swx) / sw;
    let n_clusters = cluster.map_or(0, |c| c.iter().copied().max().unwrap_or(0) as usize + 1);
    let parts = s.pass(
        || ([CompensatedSum::new(); 4], vec![[0.0f64; 2]; n_clusters]),
        |acc, b| {
            let x = s.rank(b) - 0.5;
            for r in &s.records[b.range.clone()] {
                let (hi, wi, row) = (r.h(), r.w(), r.row());
                let e = 2.0 * sigma2 * hi - intercept - slope * x;
                let we2 = wi * wi * e * e;
                acc.0[0].add(wi * e * e);
                acc.0[1].add(we2 * x * x);
                acc.0[2].add(we2 * x);
                acc.0[3].add(we2);
                if let Some(c) = cluster {
                    let g = &mut acc.1[c[row] as usize];
                    g[0] += wi * e * x;
                    g[1] += wi * e;
                }
            }
        },
    );
    let mut sums = [CompensatedSum::new(); 4];
    let mut scores = vec![[0.0f64; 2]; n_clusters];
    for (p, sc) in parts {
        for k in 0..4 {
            sums[k] = sums[k].merge(p[k]);
        }
        for (a, b) in scores.iter_mut().zip(sc) {
            a[0] += b[0];
            a[1] += b[1];
        }
    }
    let sandwich = |m11: f64, m12: f64, m22: f64| {
        (sw * sw * m11 - 2.0 * sw * swx * m12 + swx * swx * m22) / (det * det)
    };
    Ok(match method {
        SeMethod::Classical => sums[0].value() / (n - 2.0) * sw / det,
        SeMethod::Robust => {
            sandwich(sums[1].value(), sums[2].value(), sums[3].value()) * n / (n - 2.0)
        }
        _ => {
            let used: Vec<&[f64; 2]> = scores
                .iter()
                .filter(|g| g[0] != 0.0 || g[1] != 0.0)
                .collect();
            let present = {
                let mut seen = vec![false; n_clusters];
                if let Some(c) = cluster {
                    for &ci in c {
                        seen[ci as usize] = true;
                    }
                }
                seen.iter().filter(|&&b| b).count()
            };
            let _ = used;
            if present < 2 {
                return Err(Error::too_few(
                    "cluster-robust SE (`cluster`)",
                    "clusters",
                    2,
                    present,
                ));
            }
            let (mut m11, mut m12, mut m22) = (0.0, 0.0, 0.0);
            for g in &scores {
                m11 += g[0] * g[0];
                m12 += g[0] * g[1];
                m22 += g[1] * g[1];
            }
            let gq = present as f64;
            sandwich(m11, m12, m22) * gq / (gq - 1.0) * (n - 1.0) / (n - 2.0)
        }
    })
}

/// PSU totals of the linearization variable of a GC-based index with chain
/// constants `a`, `b`: `z = a·z_GC + b·(h − μ)`.
pub(crate) fn linearized_totals<R: SampleRecord>(
    s: &SortedSample<R>,
    psu: &PsuMap<'_>,
    gc: f64,
    mu: f64,
    a: f64,
    b: f64,
) -> (PsuAccumulator, f64) {
    let coef = Linearization::new(s.total_w, gc, mu, a, b);
    influence_totals(s, psu, |blk| coef.of_block(blk))
}

/// Per-block constants of the influence value `z_i = h_i·α_k + β_k` of a
/// GC-based index with chain constants `a`, `b`.
struct Linearization {
    /// `1/W`: multiplying instead of dividing keeps the per-block cost low.
    inv_w: f64,
    gc: f64,
    mu: f64,
    a: f64,
    b: f64,
}

impl Linearization {
    fn new(total_w: f64, gc: f64, mu: f64, a: f64, b: f64) -> Self {
        Self {
            inv_w: 1.0 / total_w,
            gc,
            mu,
            a,
            b,
        }
    }

    /// `(α_k, β_k)` of a block.
    #[inline]
    fn of_block(&self, blk: &Block) -> (f64, f64) {
        let r = (blk.w_before + blk.w / 2.0) * self.inv_w;
        let c = self.mu - (2.0 * blk.h_before + blk.h) * self.inv_w - 2.0 * self.gc;
        (
            self.a * (2.0 * r - 1.0) + self.b,
            self.a * c - self.b * self.mu,
        )
    }
}

/// Influence (linearization) values `z_i = W·∂T/∂w_i` of a GC-based index, in
/// input order: the variable whose weighted PSU totals give the linearized
/// variance. Useful for custom variance estimators (replicate weights,
/// bootstrap) and to verify the derivation by finite differences.
///
/// # Errors
/// As [`concentration_index`](super::concentration_index); extended and symmetric kinds are refused
/// (no verified linearization).
pub fn concentration_influence(
    outcome: &[f64],
    rank_by: &[f64],
    weights: Option<&[f64]>,
    opts: &ConcentrationOptions,
) -> Result<Vec<f64>> {
    let cols = prepare(
        &[("outcome", outcome), ("rank_by", rank_by)],
        weights,
        &[],
        MissingPolicy::Error,
    )?;
    let h: &[f64] = &cols.floats[0];
    let x: &[f64] = &cols.floats[1];
    let prep = check_options(opts, h)?;
    if prep.kind.is_rank_weighted() {
        return Err(Error::invalid(
            "kind",
            "no linearization for extended/symmetric indices",
        ));
    }
    let s = SortedSample::<WithRow>::new(h, x, cols.weights.as_deref(), opts.ties, usize::MAX)?;
    let mu = s.total_h / s.total_w;
    let gc = s.generalized_index();
    let kv = kind_value(prep.kind, gc, mu, prep.lo, prep.hi)?;
    let coef = Linearization::new(s.total_w, gc, mu, kv.a, kv.b);
    let parts = s.pass(Vec::new, |acc: &mut Vec<(usize, f64)>, blk| {
        let (alpha, beta) = coef.of_block(blk);
        for r in &s.records[blk.range.clone()] {
            acc.push((r.row(), r.h() * alpha + beta));
        }
    });
    let mut z = vec![0.0; h.len()];
    for (row, v) in parts.into_iter().flatten() {
        z[row] = v;
    }
    Ok(z)
}
