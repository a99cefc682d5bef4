//! The concentration-index family for weighted microdata.
//!
//! With weights `w`, `W = Σw`, `μ = Σwh/W` and the weighted fractional rank
//! `r` of `rank_by` ([`crate::rank`]), the generalized index is
//! `GC = 2·cov_w(h, r)`; the others rescale it:
//!
//! | kind | value |
//! |---|---|
//! | standard | `C = GC/μ` |
//! | generalized | `GC` |
//! | wagstaff | `GC(b−a)/((μ−a)(b−μ))` (Wagstaff 2005) |
//! | erreygers | `4GC/(b−a)` (Erreygers 2009) |
//! | modified | `GC/(μ−a)` (Erreygers & Van Ourti 2011) |
//! | modified_conindex | `GC·μ/(μ−a)²`: what conindex 1.5 returns (double factor) |
//! | extended | `Σ_k (m_k/μ)[p_k + (1−P_k)^ν − (1−P_{k−1})^ν]` (Wagstaff 2002) |
//! | symmetric | `Σ_k (m_k/μ)·2^{β−2}[|P_k−½|^β − |P_{k−1}−½|^β]` (Erreygers, Clarke & Van Ourti 2012) |
//!
//! `k` runs over tie blocks of `rank_by`: `m_k` block mean of `h`, `p_k` its
//! weight share, `P_k` the cumulative share. Everything is computed in
//! streaming passes over one shared sort ([`crate::rank`]).
//!
//! Standard errors: see [`SeMethod`]. The default linearized SE uses the
//! influence value of `GC`,
//! `z_i = h_i(2r_i − 1) + μ − (S_{k−1} + S_k)/W − 2GC`
//! (`S_k` the cumulative `Σwh` through the block of `i`), chained through each
//! kind's normalisation, and PSU totals ([`super::variance`]).

use super::prepare;
use super::variance::{Design, PsuAccumulator, PsuMap};
use crate::error::{Error, Result};
use crate::estimate::Estimate;
use crate::rank::Ties;
use crate::rank::sample::{Block, Plain, SampleRecord, SortedSample, WithRow};
use crate::stats::{BlockedSum, CompensatedSum, check_level, z_value};
use crate::validate::MissingPolicy;
use serde::{Deserialize, Serialize};

/// Which member of the concentration-index family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// `C = 2cov(h, r)/μ`.
    #[default]
    Standard,
    /// `GC = μC = 2cov(h, r)`.
    Generalized,
    /// Wagstaff (2005) normalisation for bounded outcomes (needs `limits=(a, b)`).
    Wagstaff,
    /// Erreygers (2009) corrected index (needs `limits=(a, b)`).
    Erreygers,
    /// Erreygers & Van Ourti (2011) modified index `2cov(h,r)/(μ−a)` (needs `limits=(a,)`).
    Modified,
    /// What conindex 1.5 (and its R port) returns for `limits(a)`: `2cov·μ/(μ−a)²`.
    ModifiedConindex,
    /// Extended index (Wagstaff 2002), parameter `nu > 1`.
    Extended,
    /// conindex's generalized extended index `ν^{ν/(ν−1)}/(ν−1)·μ·C(ν)`.
    GeneralizedExtended,
    /// Symmetric index (Erreygers, Clarke & Van Ourti 2012), parameter `beta > 1`.
    Symmetric,
    /// conindex's generalized symmetric index `4μ·S(β)`.
    GeneralizedSymmetric,
}

impl Kind {
    /// The name used in `method` strings and by `FromStr`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Standard => "standard",
            Kind::Generalized => "generalized",
            Kind::Wagstaff => "wagstaff",
            Kind::Erreygers => "erreygers",
            Kind::Modified => "modified",
            Kind::ModifiedConindex => "modified_conindex",
            Kind::Extended => "extended",
            Kind::GeneralizedExtended => "generalized_extended",
            Kind::Symmetric => "symmetric",
            Kind::GeneralizedSymmetric => "generalized_symmetric",
        }
    }

    fn is_rank_weighted(self) -> bool {
        matches!(
            self,
            Kind::Extended
                | Kind::GeneralizedExtended
                | Kind::Symmetric
                | Kind::GeneralizedSymmetric
        )
    }
}

impl std::str::FromStr for Kind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Ok(match s {
            "standard" => Kind::Standard,
            "generalized" | "generalised" => Kind::Generalized,
            "wagstaff" => Kind::Wagstaff,
            "erreygers" => Kind::Erreygers,
            "modified" => Kind::Modified,
            "modified_conindex" => Kind::ModifiedConindex,
            "extended" => Kind::Extended,
            "generalized_extended" | "generalised_extended" => Kind::GeneralizedExtended,
            "symmetric" => Kind::Symmetric,
            "generalized_symmetric" | "generalised_symmetric" => Kind::GeneralizedSymmetric,
            other => {
                return Err(Error::invalid(
                    "kind",
                    format!(
                        "unknown kind {other:?}; expected standard, generalized, wagstaff, erreygers, modified, modified_conindex, extended, generalized_extended, symmetric or generalized_symmetric"
                    ),
                ));
            }
        })
    }
}

/// How the standard error is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeMethod {
    /// Design-based linearization (weights, clusters, strata); accounts for the
    /// estimated mean and ranks. The default.
    #[default]
    Linearized,
    /// Kakwani, Wagstaff & van Doorslaer (1997): `(1/n)Σw z²/W` (iid).
    Kwvd,
    /// conindex default: classical OLS SE of the convenient regression.
    Classical,
    /// conindex `robust`: HC1 SE of the convenient regression.
    Robust,
    /// conindex `cluster()`: CR1 SE of the convenient regression.
    Cluster,
    /// No standard error.
    None,
}

impl SeMethod {
    /// Name used in `method` strings.
    pub fn name(self) -> &'static str {
        match self {
            SeMethod::Linearized => "linearized",
            SeMethod::Kwvd => "kwvd",
            SeMethod::Classical => "classical",
            SeMethod::Robust => "robust",
            SeMethod::Cluster => "cluster",
            SeMethod::None => "none",
        }
    }
}

impl std::str::FromStr for SeMethod {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Ok(match s {
            "linearized" | "linearised" => SeMethod::Linearized,
            "kwvd" => SeMethod::Kwvd,
            "classical" => SeMethod::Classical,
            "robust" | "hc1" => SeMethod::Robust,
            "cluster" | "cr1" => SeMethod::Cluster,
            "none" => SeMethod::None,
            other => {
                return Err(Error::invalid(
                    "se",
                    format!(
                        "unknown SE method {other:?}; expected linearized, kwvd, classical, robust, cluster or none"
                    ),
                ));
            }
        })
    }
}

/// Theoretical limits of a bounded outcome: minimum `lower`, maximum `upper`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Limits {
    /// Theoretical minimum `a`.
    pub lower: f64,
    /// Theoretical maximum `b` (needed by Wagstaff and Erreygers).
    pub upper: Option<f64>,
}

/// Options of [`concentration_index`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConcentrationOptions {
    pub kind: Kind,
    pub limits: Option<Limits>,
    /// Extended-index parameter ν (> 1).
    pub nu: Option<f64>,
    /// Symmetric-index parameter β (> 1).
    pub beta: Option<f64>,
    pub se: SeMethod,
    pub level: f64,
    pub ties: Ties,
    pub missing: MissingPolicy,
}

impl Default for ConcentrationOptions {
    fn default() -> Self {
        Self {
            kind: Kind::Standard,
            limits: None,
            nu: None,
            beta: None,
            se: SeMethod::Linearized,
            level: 0.95,
            ties: Ties::Midpoint,
            missing: MissingPolicy::Error,
        }
    }
}

/// A concentration index with its SE and the sample it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConcentrationResult {
    pub estimate: Estimate,
    /// Rows used (after the missing-value policy).
    pub n: usize,
    /// Weighted mean of the outcome.
    pub mean: f64,
}

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

/// Point value and linearization constants of one index kind.
struct KindValue {
    value: f64,
    /// Index = `scale·GC` for the GC-based kinds (convenient-regression factor `K`).
    scale: f64,
    /// Chain rule: `z = A·z_GC + B·(h − μ)`.
    a: f64,
    b: f64,
}

fn check_limits(
    kind: Kind,
    limits: Option<Limits>,
    h: &[f64],
) -> Result<(Option<f64>, Option<f64>)> {
    let (lo, hi) = match limits {
        None => (None, None),
        Some(l) => {
            if !l.lower.is_finite() {
                return Err(Error::invalid("limits", "the lower limit must be finite"));
            }
            if let Some(u) = l.upper {
                if !(u.is_finite() && u > l.lower) {
                    return Err(Error::invalid(
                        "limits",
                        format!("need lower < upper (both finite), got ({}, {u})", l.lower),
                    ));
                }
            }
            (Some(l.lower), l.upper)
        }
    };
    let needs_both = matches!(kind, Kind::Wagstaff | Kind::Erreygers);
    let needs_lower = matches!(kind, Kind::Modified | Kind::ModifiedConindex);
    if needs_both && hi.is_none() {
        return Err(Error::invalid(
            "limits",
            format!(
                "kind={:?} needs limits=(lower, upper), the theoretical bounds of the outcome",
                kind.name()
            ),
        ));
    }
    if needs_lower && lo.is_none() {
        return Err(Error::invalid(
            "limits",
            format!(
                "kind={:?} needs limits=(lower,), the theoretical minimum of the outcome",
                kind.name()
            ),
        ));
    }
    if let Some(a) = lo {
        let b = hi.unwrap_or(f64::INFINITY);
        if let Some((index, &value)) = h.iter().enumerate().find(|(_, v)| **v < a || **v > b) {
            return Err(Error::OutOfBounds {
                arg: "outcome",
                index,
                value,
                lower: a,
                upper: b,
            });
        }
    }
    Ok((lo, hi))
}

fn kind_value(kind: Kind, gc: f64, mu: f64, lo: Option<f64>, hi: Option<f64>) -> Result<KindValue> {
    let zero_mean = || Error::ZeroMean {
        arg: "outcome",
        what: format!("concentration index ({})", kind.name()),
    };
    let a = lo.unwrap_or(0.0);
    let b = hi.unwrap_or(f64::INFINITY);
    Ok(match kind {
        Kind::Standard => {
            if mu == 0.0 {
                return Err(zero_mean());
            }
            let c = gc / mu;
            KindValue {
                value: c,
                scale: 1.0 / mu,
                a: 1.0 / mu,
                b: -c / mu,
            }
        }
        Kind::Generalized => KindValue {
            value: gc,
            scale: 1.0,
            a: 1.0,
            b: 0.0,
        },
        Kind::Erreygers => {
            let s = 4.0 / (b - a);
            KindValue {
                value: s * gc,
                scale: s,
                a: s,
                b: 0.0,
            }
        }
        Kind::Wagstaff => {
            if mu == a || mu == b {
                return Err(Error::Degenerate {
                    arg: "outcome",
                    reason: "the mean equals a limit, so the Wagstaff index (which divides by (μ−a)(b−μ)) is undefined".into(),
                });
            }
            let s = (b - a) / ((mu - a) * (b - mu));
            let v = s * gc;
            KindValue {
                value: v,
                scale: s,
                a: s,
                b: v * (1.0 / (b - mu) - 1.0 / (mu - a)),
            }
        }
        Kind::Modified => {
            if mu == a {
                return Err(Error::Degenerate {
                    arg: "outcome",
                    reason: "the mean equals the lower limit, so the modified index (which divides by μ−a) is undefined".into(),
                });
            }
            let s = 1.0 / (mu - a);
            let v = s * gc;
            KindValue {
                value: v,
                scale: s,
                a: s,
                b: -v / (mu - a),
            }
        }
        Kind::ModifiedConindex => {
            if mu == a || mu == 0.0 {
                return Err(Error::Degenerate {
                    arg: "outcome",
                    reason: "the mean equals the lower limit (or zero), so conindex's modified index is undefined".into(),
                });
            }
            let s = mu / ((mu - a) * (mu - a));
            let v = s * gc;
            KindValue {
                value: v,
                scale: s,
                a: s,
                b: v * (1.0 / mu - 2.0 / (mu - a)),
            }
        }
        _ => unreachable_kind(),
    })
}

#[cold]
fn unreachable_kind() -> KindValue {
    KindValue {
        value: f64::NAN,
        scale: f64::NAN,
        a: f64::NAN,
        b: f64::NAN,
    }
}

/// Rank-weighted kinds (extended, symmetric): `Σ_k (H_k/W) g_k / p_k` style sums.
fn rank_weighted_value<R: SampleRecord>(
    s: &SortedSample<R>,
    kind: Kind,
    param: f64,
    mu: f64,
) -> f64 {
    let total = s.total_w;
    let parts = s.pass(CompensatedSum::new, |acc, b| {
        if b.w <= 0.0 {
            return;
        }
        let p0 = b.w_before / total;
        let p1 = (b.w_before + b.w) / total;
        let mean = b.h / b.w;
        let g = match kind {
            Kind::Extended | Kind::GeneralizedExtended => {
                b.w / total + (1.0 - p1).max(0.0).powf(param) - (1.0 - p0).max(0.0).powf(param)
            }
            _ => {
                2f64.powf(param - 2.0)
                    * ((p1 - 0.5).abs().powf(param) - (p0 - 0.5).abs().powf(param))
            }
        };
        acc.add(mean * g);
    });
    let sum = parts
        .into_iter()
        .fold(CompensatedSum::new(), CompensatedSum::merge)
        .value();
    match kind {
        Kind::Extended | Kind::Symmetric => sum / mu,
        Kind::GeneralizedExtended => param.powf(param / (param - 1.0)) / (param - 1.0) * sum,
        _ => 4.0 * sum,
    }
}

/// Convenient-regression variance of the slope of `2σ_r²h` on `r` (WLS),
/// classical, HC1 or CR1 (conindex).
fn convenient_regression_variance<R: SampleRecord>(
    s: &SortedSample<R>,
    gc: f64,
    sigma2: f64,
    method: SeMethod,
    cluster: Option<&[i64]>,
) -> Result<f64> {
    let n = s.len() as f64;
    if s.len() < 3 {
        return Err(Error::too_few(
            "convenient-regression SE",
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

/// Validated inputs shared by [`concentration_index`] and its relatives.
pub(crate) struct Prepared {
    pub kind: Kind,
    pub lo: Option<f64>,
    pub hi: Option<f64>,
    pub param: f64,
}

pub(crate) fn check_options(opts: &ConcentrationOptions, h: &[f64]) -> Result<Prepared> {
    check_level("level", opts.level)?;
    let (lo, hi) = check_limits(opts.kind, opts.limits, h)?;
    let param = match opts.kind {
        Kind::Extended | Kind::GeneralizedExtended => {
            let nu = opts.nu.ok_or_else(|| {
                Error::invalid(
                    "nu",
                    "kind=\"extended\" needs nu (> 1; nu=2 is the standard index)",
                )
            })?;
            if !(nu.is_finite() && nu > 1.0) {
                return Err(Error::invalid("nu", format!("nu must be > 1, got {nu}")));
            }
            nu
        }
        Kind::Symmetric | Kind::GeneralizedSymmetric => {
            let beta = opts
                .beta
                .ok_or_else(|| Error::invalid("beta", "kind=\"symmetric\" needs beta (> 1)"))?;
            if !(beta.is_finite() && beta > 1.0) {
                return Err(Error::invalid(
                    "beta",
                    format!("beta must be > 1, got {beta}"),
                ));
            }
            beta
        }
        _ => 0.0,
    };
    Ok(Prepared {
        kind: opts.kind,
        lo,
        hi,
        param,
    })
}

/// The concentration index of `outcome` by the rank of `rank_by`.
///
/// # Errors
/// Length mismatch, NaN/infinite values (or missing values under
/// `missing=Error`), negative weights, zero total weight, zero mean where the
/// index divides by it, all `rank_by` values equal, outcomes outside `limits`,
/// missing limits or parameters for the kind, a stratum with one PSU.
///
/// ```
/// use jamlik::measures::microdata::{concentration_index, ConcentrationOptions, Design};
/// let h = [1.0, 2.0, 3.0, 4.0];
/// let x = [10.0, 20.0, 30.0, 40.0];
/// let r = concentration_index(&h, &x, Design::default(), &ConcentrationOptions::default())?;
/// assert!((r.estimate.value - 0.25).abs() < 1e-12);
/// # Ok::<(), jamlik::Error>(())
/// ```
pub fn concentration_index(
    outcome: &[f64],
    rank_by: &[f64],
    design: Design<'_>,
    opts: &ConcentrationOptions,
) -> Result<ConcentrationResult> {
    let cols = prepare(
        &[("outcome", outcome), ("rank_by", rank_by)],
        design.weights,
        &[("cluster", design.cluster), ("strata", design.strata)],
        opts.missing,
    )?;
    let h: &[f64] = &cols.floats[0];
    let x: &[f64] = &cols.floats[1];
    let w = cols.weights.as_deref();
    let cluster = cols.ints[0].as_deref();
    let strata = cols.ints[1].as_deref();
    let prep = check_options(opts, h)?;
    if opts.se == SeMethod::Cluster && cluster.is_none() {
        return Err(Error::invalid(
            "cluster",
            "se=\"cluster\" needs cluster ids",
        ));
    }
    let psu = PsuMap::new(cluster, strata)?;
    // Per-chunk PSU accumulators cost (clusters + strata) each: bound the
    // number of chunks so they never outweigh the data.
    let per_chunk = psu.n_clusters + psu.n_strata;
    let max_chunks = (4 * h.len() / per_chunk.max(1)).max(1);
    // Rows ride along in the sorted records only when the design or the tie
    // rule needs them (8 more bytes per row).
    if opts.ties == Ties::RowOrder || psu.needs_rows() {
        let s = SortedSample::<WithRow>::new(h, x, w, opts.ties, max_chunks)?;
        index_of_sorted(&s, &prep, opts, &psu, cluster)
    } else {
        let s = SortedSample::<Plain>::new(h, x, w, opts.ties, max_chunks)?;
        index_of_sorted(&s, &prep, opts, &psu, cluster)
    }
}

/// [`concentration_index`] on an already sorted sample.
fn index_of_sorted<R: SampleRecord>(
    s: &SortedSample<R>,
    prep: &Prepared,
    opts: &ConcentrationOptions,
    psu: &PsuMap<'_>,
    cluster: Option<&[i64]>,
) -> Result<ConcentrationResult> {
    if s.all_ranks_equal() {
        return Err(Error::Degenerate {
            arg: "rank_by",
            reason: "all values are equal, so every rank is the same and the index is undefined"
                .into(),
        });
    }
    let mu = s.total_h / s.total_w;
    let z = z_value(opts.level)?;
    let n = s.len();
    let ties = match opts.ties {
        Ties::Midpoint => "",
        Ties::RowOrder => ", ties by row order",
    };
    let (gc, sigma2) = (s.generalized_index(), s.rank_variance());
    if prep.kind.is_rank_weighted() {
        if mu == 0.0 {
            return Err(Error::ZeroMean {
                arg: "outcome",
                what: format!("concentration index ({})", prep.kind.name()),
            });
        }
        let value = rank_weighted_value(s, prep.kind, prep.param, mu);
        let par = if matches!(prep.kind, Kind::Extended | Kind::GeneralizedExtended) {
            format!("nu={}", prep.param)
        } else {
            format!("beta={}", prep.param)
        };
        let why = if opts.se == SeMethod::None {
            "no SE requested".to_string()
        } else {
            format!(
                "no SE: se={:?} is not available for this kind (conindex gives none either; a verified linearization is not implemented)",
                opts.se.name()
            )
        };
        return Ok(ConcentrationResult {
            estimate: Estimate::point(
                value,
                opts.level,
                format!(
                    "concentration index ({}, {par}{ties}); {why}",
                    prep.kind.name()
                ),
            ),
            n,
            mean: mu,
        });
    }
    let kv = kind_value(prep.kind, gc, mu, prep.lo, prep.hi)?;
    let label = format!("concentration index ({}{ties})", prep.kind.name());
    let variance = match opts.se {
        SeMethod::None => None,
        SeMethod::Linearized | SeMethod::Kwvd => {
            let (acc, sum_wz2) = linearized_totals(s, psu, gc, mu, kv.a, kv.b);
            if opts.se == SeMethod::Kwvd {
                Some((
                    sum_wz2 / n as f64,
                    "SE kwvd (Kakwani, Wagstaff & van Doorslaer 1997, iid)".to_string(),
                ))
            } else {
                Some((
                    psu.variance(&acc)?,
                    format!(
                        "SE linearized ({}; with-replacement PSU variance)",
                        psu.label()
                    ),
                ))
            }
        }
        SeMethod::Classical | SeMethod::Robust | SeMethod::Cluster => {
            let v = convenient_regression_variance(s, gc, sigma2, opts.se, cluster)?;
            let which = match opts.se {
                SeMethod::Classical => "classical OLS",
                SeMethod::Robust => "HC1",
                _ => "CR1 by cluster",
            };
            Some((
                v * kv.scale * kv.scale,
                format!(
                    "SE convenient regression, {which} (conindex; mean and ranks treated as fixed)"
                ),
            ))
        }
    };
    let estimate = match variance {
        None => Estimate::point(kv.value, opts.level, format!("{label}; no SE")),
        Some((v, how)) => Estimate::wald(
            kv.value,
            v.max(0.0).sqrt(),
            opts.level,
            z,
            format!("{label}; {how}"),
        ),
    };
    Ok(ConcentrationResult {
        estimate,
        n,
        mean: mu,
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

/// Concentration (or Lorenz) curve ordinates: one point per tie block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurveOrdinates {
    /// Cumulative population (weight) share, starting at 0.
    pub population_share: Vec<f64>,
    /// Cumulative outcome share, starting at 0.
    pub outcome_share: Vec<f64>,
}

/// Concentration-curve ordinates of `outcome` ranked by `rank_by` (the Lorenz
/// curve when `rank_by` is the outcome): one point per tie block, from (0, 0)
/// to (1, 1).
///
/// # Errors
/// As [`concentration_index`] (zero total outcome is an error).
pub fn concentration_curve(
    outcome: &[f64],
    rank_by: &[f64],
    weights: Option<&[f64]>,
    missing: MissingPolicy,
) -> Result<CurveOrdinates> {
    let cols = prepare(
        &[("outcome", outcome), ("rank_by", rank_by)],
        weights,
        &[],
        missing,
    )?;
    let s = SortedSample::<Plain>::new(
        &cols.floats[0],
        &cols.floats[1],
        cols.weights.as_deref(),
        Ties::Midpoint,
        1,
    )?;
    if s.total_h == 0.0 {
        return Err(Error::ZeroMean {
            arg: "outcome",
            what: "concentration curve".into(),
        });
    }
    let mut p = vec![0.0];
    let mut l = vec![0.0];
    let parts = s.pass(Vec::new, |acc: &mut Vec<(f64, f64)>, b| {
        acc.push((
            (b.w_before + b.w) / s.total_w,
            (b.h_before + b.h) / s.total_h,
        ));
    });
    for (a, b) in parts.into_iter().flatten() {
        p.push(a);
        l.push(b);
    }
    Ok(CurveOrdinates {
        population_share: p,
        outcome_share: l,
    })
}

/// Kakwani progressivity index `K = C(payment by income) − G(income)` with a
/// linearized SE from the joint influence function (same design).
///
/// # Errors
/// As [`concentration_index`].
pub fn kakwani(
    payment: &[f64],
    income: &[f64],
    design: Design<'_>,
    level: f64,
    missing: MissingPolicy,
) -> Result<ConcentrationResult> {
    let cols = prepare(
        &[("payment", payment), ("income", income)],
        design.weights,
        &[("cluster", design.cluster), ("strata", design.strata)],
        missing,
    )?;
    let t: &[f64] = &cols.floats[0];
    let x: &[f64] = &cols.floats[1];
    let w = cols.weights.as_deref();
    let psu = PsuMap::new(cols.ints[0].as_deref(), cols.ints[1].as_deref())?;
    let z = z_value(level)?;
    // The variance of a difference needs PSU totals of both parts: without
    // clusters every row is its own PSU.
    let rows: Vec<i64>;
    let psu = if psu.cluster.is_some() {
        psu
    } else {
        rows = (0..t.len() as i64).collect();
        PsuMap::new(Some(&rows), cols.ints[1].as_deref())?
    };
    let max_chunks = (4 * t.len() / (psu.n_clusters + psu.n_strata).max(1)).max(1);
    let st = SortedSample::<WithRow>::new(t, x, w, Ties::Midpoint, max_chunks)?;
    let sx = SortedSample::<WithRow>::new(x, x, w, Ties::Midpoint, max_chunks)?;
    let (mt, mx) = (st.total_h / st.total_w, sx.total_h / sx.total_w);
    if mt == 0.0 {
        return Err(Error::ZeroMean {
            arg: "payment",
            what: "Kakwani index".into(),
        });
    }
    if mx == 0.0 {
        return Err(Error::ZeroMean {
            arg: "income",
            what: "Kakwani index".into(),
        });
    }
    let (gct, gcx) = (st.generalized_index(), sx.generalized_index());
    let (ct, g) = (gct / mt, gcx / mx);
    let (acc_t, _) = linearized_totals(&st, &psu, gct, mt, 1.0 / mt, -ct / mt);
    let (acc_x, _) = linearized_totals(&sx, &psu, gcx, mx, -1.0 / mx, g / mx);
    let var = psu.variance(&acc_t.merge(acc_x))?;
    let label = if cols.ints[0].is_some() {
        psu.label()
    } else if cols.ints[1].is_some() {
        "strata"
    } else {
        "iid"
    };
    Ok(ConcentrationResult {
        estimate: Estimate::wald(
            ct - g,
            var.max(0.0).sqrt(),
            level,
            z,
            format!("Kakwani index C(payment) − G(income); SE linearized ({label})"),
        ),
        n: t.len(),
        mean: mt,
    })
}

/// Influence (linearization) values `z_i = W·∂T/∂w_i` of a GC-based index, in
/// input order: the variable whose weighted PSU totals give the linearized
/// variance. Useful for custom variance estimators (replicate weights,
/// bootstrap) and to verify the derivation by finite differences.
///
/// # Errors
/// As [`concentration_index`]; extended and symmetric kinds are refused
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
