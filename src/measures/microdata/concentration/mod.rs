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
//!
//! Modules: `kinds` (limits, each kind's value and chain constants),
//! `se` (influence values, linearized totals, convenient regression),
//! `curve` (concentration-curve ordinates), `kakwani`.

mod curve;
mod kakwani;
mod kinds;
mod se;

pub use curve::{CurveOrdinates, concentration_curve};
pub use kakwani::kakwani;
pub use se::concentration_influence;
pub(crate) use se::linearized_totals;

use kinds::{check_limits, kind_value, rank_weighted_value};
use se::convenient_regression_variance;

use crate::error::{Error, Result};
use crate::estimate::Estimate;
use crate::measures::microdata::prepare;
use crate::measures::microdata::variance::{Design, PsuMap};
use crate::rank::Ties;
use crate::rank::sample::{
    Plain, SampleRecord, SelfRanked, SelfRankedWeighted, SortedSample, WithRow,
};
use crate::stats::{check_level, z_value};
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
pub struct OutcomeBounds {
    /// Theoretical minimum `a`.
    pub lower: f64,
    /// Theoretical maximum `b` (needed by Wagstaff and Erreygers).
    pub upper: Option<f64>,
}

/// Options of [`concentration_index`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConcentrationOptions {
    pub kind: Kind,
    pub limits: Option<OutcomeBounds>,
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
    // An outcome ranked by itself (the Gini) needs only the key, and the
    // weight when there is one: the outcome is decoded from the key.
    let self_ranked = std::ptr::eq(outcome, rank_by);
    if opts.ties == Ties::RowOrder || psu.needs_rows() {
        let s = SortedSample::<WithRow>::new(h, x, w, opts.ties, max_chunks)?;
        index_of_sorted(&s, &prep, opts, &psu, cluster)
    } else if self_ranked && w.is_none() {
        let s = SortedSample::<SelfRanked>::new(h, x, w, opts.ties, max_chunks)?;
        index_of_sorted(&s, &prep, opts, &psu, cluster)
    } else if self_ranked {
        let s = SortedSample::<SelfRankedWeighted>::new(h, x, w, opts.ties, max_chunks)?;
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
