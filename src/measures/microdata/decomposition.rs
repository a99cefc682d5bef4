//! Decompositions.
//!
//! - Theil T and MLD by a grouping (additive): Theil `T = Σ_g s_g T_g +
//!   Σ_g s_g ln(μ_g/μ)` with `s_g` the group's outcome share; MLD
//!   `L = Σ_g p_g L_g + Σ_g p_g ln(μ/μ_g)` with `p_g` the population share.
//! - The concentration index by regressors (Wagstaff, van Doorslaer &
//!   Watanabe 2003): with the WLS fit `h = α + Σ_k β_k x_k + ε`,
//!   `C = Σ_k (β_k x̄_k/μ)·C_k + GC_ε/μ`. The least squares use nalgebra's QR.

use super::concentration::{ConcentrationOptions, SeMethod, concentration_index};
use super::inequality::ge_value;
use super::variance::Design;
use super::{positive_total, prepare, weighted_totals};
use crate::error::{Error, Result};
use crate::rank::Ties;
use crate::validate::{self, MissingPolicy};
use serde::{Deserialize, Serialize};

/// Between/within split of an entropy index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntropyDecomposition {
    pub total: f64,
    pub between: f64,
    pub within: f64,
    /// Per group: code, population share, outcome share, group mean, index within the group.
    pub groups: Vec<GroupEntropy>,
}

/// One group of an [`EntropyDecomposition`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupEntropy {
    pub group: i64,
    pub population_share: f64,
    pub outcome_share: f64,
    pub mean: f64,
    pub index: f64,
}

fn entropy_decomposition(
    values: &[f64],
    group: &[i64],
    weights: Option<&[f64]>,
    alpha: f64,
    missing: MissingPolicy,
) -> Result<EntropyDecomposition> {
    let c = prepare(
        &[("values", values)],
        weights,
        &[("group", Some(group))],
        missing,
    )?;
    let x: &[f64] = &c.floats[0];
    let w = c.weights.as_deref();
    let g = c.ints[0].as_deref().unwrap_or(&[]);
    validate::non_negative("values", x)?;
    let total = ge_value(x, alpha, w)?;
    let (tw, txw) = weighted_totals(x, w);
    let tw = positive_total(tw)?;
    let mu = txw / tw;
    let mut codes = g.to_vec();
    codes.sort_unstable();
    codes.dedup();
    let mut groups = Vec::with_capacity(codes.len());
    let mut between = 0.0;
    for &code in &codes {
        let rows: Vec<usize> = (0..x.len()).filter(|&i| g[i] == code).collect();
        let xs: Vec<f64> = rows.iter().map(|&i| x[i]).collect();
        let ws: Option<Vec<f64>> = w.map(|w| rows.iter().map(|&i| w[i]).collect());
        let (gw, gxw) = weighted_totals(&xs, ws.as_deref());
        if gw <= 0.0 {
            continue;
        }
        let mg = gxw / gw;
        if mg == 0.0 {
            return Err(Error::ZeroMean {
                arg: "values",
                what: format!("entropy decomposition, group {code}"),
            });
        }
        let p = gw / tw;
        let s = gxw / txw;
        between += if alpha == 1.0 {
            s * (mg / mu).ln()
        } else {
            p * (mu / mg).ln()
        };
        let index = ge_value(&xs, alpha, ws.as_deref())?;
        groups.push(GroupEntropy {
            group: code,
            population_share: p,
            outcome_share: s,
            mean: mg,
            index,
        });
    }
    Ok(EntropyDecomposition {
        total,
        between,
        within: total - between,
        groups,
    })
}

/// Theil T between/within decomposition by `group`.
///
/// # Errors
/// As [`super::theil`]; length mismatch of `group`.
pub fn theil_decomposition(
    values: &[f64],
    group: &[i64],
    weights: Option<&[f64]>,
    missing: MissingPolicy,
) -> Result<EntropyDecomposition> {
    entropy_decomposition(values, group, weights, 1.0, missing)
}

/// MLD between/within decomposition by `group`.
///
/// # Errors
/// As [`super::mld`]; length mismatch of `group`.
pub fn mld_decomposition(
    values: &[f64],
    group: &[i64],
    weights: Option<&[f64]>,
    missing: MissingPolicy,
) -> Result<EntropyDecomposition> {
    entropy_decomposition(values, group, weights, 0.0, missing)
}

/// Concentration-index decomposition by regressors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CiDecomposition {
    /// Concentration index of the outcome.
    pub total: f64,
    /// Fitted intercept.
    pub intercept: f64,
    /// Per regressor: coefficient β_k.
    pub coefficients: Vec<f64>,
    /// Weighted means x̄_k.
    pub means: Vec<f64>,
    /// Elasticities η_k = β_k x̄_k/μ.
    pub elasticities: Vec<f64>,
    /// Concentration indices C_k of the regressors (same ranking); `None`
    /// when a regressor's mean is zero (its contribution is then β_k·GC_k/μ).
    pub indices: Vec<Option<f64>>,
    /// Contributions η_k C_k.
    pub contributions: Vec<f64>,
    /// Residual component GC_ε/μ = C − Σ contributions.
    pub residual: f64,
}

/// Decomposes the concentration index of `outcome` by `regressors`
/// (Wagstaff, van Doorslaer & Watanabe 2003), weighted least squares by QR.
///
/// # Errors
/// Length mismatches, non-finite values, a rank-deficient design, zero mean.
pub fn decompose_concentration_index(
    outcome: &[f64],
    regressors: &[&[f64]],
    rank_by: &[f64],
    weights: Option<&[f64]>,
    missing: MissingPolicy,
) -> Result<CiDecomposition> {
    use nalgebra::{DMatrix, DVector};
    if regressors.is_empty() {
        return Err(Error::invalid("regressors", "need at least one regressor"));
    }
    let mut floats: Vec<(&'static str, &[f64])> = vec![("outcome", outcome), ("rank_by", rank_by)];
    for r in regressors {
        floats.push(("regressors", r));
    }
    let c = prepare(&floats, weights, &[], missing)?;
    let h: &[f64] = &c.floats[0];
    let x: &[f64] = &c.floats[1];
    let w = c.weights.as_deref();
    let k = regressors.len();
    let n = h.len();
    if n <= k + 1 {
        return Err(Error::too_few(
            "decomposition (`outcome` with `regressors`)",
            "observations",
            k + 2,
            n,
        ));
    }
    let sw = |i: usize| w.map_or(1.0, |w| w[i]).sqrt();
    let a = DMatrix::from_fn(n, k + 1, |i, j| {
        if j == 0 {
            sw(i)
        } else {
            sw(i) * c.floats[j + 1][i]
        }
    });
    let b = DVector::from_fn(n, |i, _| sw(i) * h[i]);
    let qr = a.qr();
    let r = qr.r();
    let scale = r.diagonal().iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if r.diagonal()
        .iter()
        .any(|v| v.abs() <= 1e-12 * scale.max(f64::MIN_POSITIVE))
    {
        return Err(Error::Degenerate {
            arg: "regressors",
            reason: "the regressors (with the intercept) are collinear".into(),
        });
    }
    let qtb = qr.q().transpose() * b;
    let beta = r
        .solve_upper_triangular(&qtb)
        .ok_or_else(|| Error::Degenerate {
            arg: "regressors",
            reason: "singular least-squares system".into(),
        })?;
    let opts = ConcentrationOptions {
        se: SeMethod::None,
        ties: Ties::Midpoint,
        ..Default::default()
    };
    let design = Design {
        weights: w,
        ..Default::default()
    };
    let total = concentration_index(h, x, design, &opts)?;
    let mu = total.mean;
    let mut out = CiDecomposition {
        total: total.estimate.value,
        intercept: beta[0],
        coefficients: Vec::with_capacity(k),
        means: Vec::with_capacity(k),
        elasticities: Vec::with_capacity(k),
        indices: Vec::with_capacity(k),
        contributions: Vec::with_capacity(k),
        residual: 0.0,
    };
    let mut explained = 0.0;
    for j in 0..k {
        let xj: &[f64] = &c.floats[j + 2];
        let (tw, txw) = weighted_totals(xj, w);
        let mean = txw / tw;
        let bj = beta[j + 1];
        let eta = bj * mean / mu;
        // A regressor with mean zero contributes β·GC_k/μ; its C_k is undefined.
        let gopts = ConcentrationOptions {
            kind: super::Kind::Generalized,
            ..opts
        };
        let gc = concentration_index(xj, x, design, &gopts)?.estimate.value;
        let ck = (mean != 0.0).then(|| gc / mean);
        let contribution = bj * gc / mu;
        explained += contribution;
        out.coefficients.push(bj);
        out.means.push(mean);
        out.elasticities.push(eta);
        out.indices.push(ck);
        out.contributions.push(contribution);
    }
    out.residual = out.total - explained;
    Ok(out)
}
