//! Weighted inequality indices of one variable.
//!
//! With `s_i = y_i/μ` and weighted means over `W = Σw`:
//! - Gini: the concentration index of `y` ranked by itself;
//! - GE(α) = `[Σw s^α/W − 1]/(α(α−1))`; GE(1) = Theil T = `Σw s ln s/W`
//!   (with `0·ln 0 = 0`); GE(0) = MLD = `−Σw ln s/W`;
//! - Atkinson(ε) = `1 − [Σw s^{1−ε}/W]^{1/(1−ε)}`, ε = 1: `1 − exp(Σw ln y/W)/μ`;
//! - Hoover = `Σw|y − μ|/(2Wμ)`;
//! - shares from the Lorenz curve with the boundary observation split
//!   proportionally: Palma = share of the top 10% / share of the bottom 40%,
//!   quantile share ratio = share above `upper` / share below `lower`.

use super::concentration::{ConcentrationOptions, ConcentrationResult, concentration_index};
use super::variance::Design;
use super::{positive_total, prepare, weighted_totals};
use crate::error::{Error, Result};
use crate::estimate::Estimate;
use crate::rank::Ties;
use crate::rank::sample::{Plain, SortedSample};
use crate::stats::CompensatedSum;
use crate::validate::{self, MissingPolicy};
use std::borrow::Cow;

/// Values and weights after the missing-value policy.
type Cleaned<'a> = (Cow<'a, [f64]>, Option<Cow<'a, [f64]>>);

fn clean<'a>(
    x: &'a [f64],
    weights: Option<&'a [f64]>,
    missing: MissingPolicy,
) -> Result<Cleaned<'a>> {
    let mut c = prepare(&[("x", x)], weights, &[], missing)?;
    let x = c.floats.swap_remove(0);
    validate::non_negative("x", &x)?;
    Ok((x, c.weights))
}

fn mean(x: &[f64], w: Option<&[f64]>, what: &str) -> Result<(f64, f64)> {
    let (tw, txw) = weighted_totals(x, w);
    let tw = positive_total(tw)?;
    let mu = txw / tw;
    if mu == 0.0 {
        return Err(Error::ZeroMean {
            arg: "x",
            what: what.into(),
        });
    }
    Ok((tw, mu))
}

fn weighted_mean_of(x: &[f64], w: Option<&[f64]>, f: impl Fn(f64) -> f64) -> f64 {
    let mut s = CompensatedSum::new();
    let mut tw = CompensatedSum::new();
    for (i, &xi) in x.iter().enumerate() {
        let wi = w.map_or(1.0, |w| w[i]);
        if wi != 0.0 {
            s.add(wi * f(xi));
        }
        tw.add(wi);
    }
    s.value() / tw.value()
}

/// Weighted Gini coefficient, with an SE by the chosen method (the
/// concentration index of `x` ranked by itself). A constant `x` gives 0.
///
/// # Errors
/// Negative or non-finite `x`, zero mean, bad weights or design.
pub fn gini(
    x: &[f64],
    design: Design<'_>,
    opts: &ConcentrationOptions,
) -> Result<ConcentrationResult> {
    validate::non_empty("x", x)?;
    if let Some((index, &value)) = x.iter().enumerate().find(|(_, v)| **v < 0.0) {
        return Err(Error::OutOfDomain {
            arg: "x",
            index,
            value,
            requirement: "non-negative",
        });
    }
    let mut o = *opts;
    o.ties = Ties::Midpoint;
    match concentration_index(x, x, design, &o) {
        Err(Error::Degenerate { arg: "rank_by", .. }) => {
            let (_, mu) = mean(x, design.weights, "Gini")?;
            Ok(ConcentrationResult {
                estimate: Estimate {
                    value: 0.0,
                    se: None,
                    lower: None,
                    upper: None,
                    level: opts.level,
                    method: "Gini (all values equal)".into(),
                    note: None,
                    n: None,
                },
                n: x.len(),
                mean: mu,
            })
        }
        Err(Error::ZeroMean { .. }) => Err(Error::ZeroMean {
            arg: "x",
            what: "Gini".into(),
        }),
        Err(e) => Err(e),
        Ok(mut r) => {
            r.estimate.method = r
                .estimate
                .method
                .replace("concentration index (standard)", "Gini");
            Ok(r)
        }
    }
}

/// Generalized entropy GE(α) (α = 0: MLD, α = 1: Theil T).
///
/// # Errors
/// Negative `x`; zeros when α ≤ 0; zero mean; bad weights; non-finite α.
pub fn generalized_entropy(
    x: &[f64],
    alpha: f64,
    weights: Option<&[f64]>,
    missing: MissingPolicy,
) -> Result<f64> {
    if !alpha.is_finite() {
        return Err(Error::invalid("alpha", "must be finite"));
    }
    let (x, w) = clean(x, weights, missing)?;
    let w = w.as_deref();
    if alpha <= 0.0 {
        validate::positive("x", &x).map_err(|e| match e {
            Error::OutOfDomain { index, value, .. } => Error::OutOfDomain {
                arg: "x",
                index,
                value,
                requirement: "positive for GE(alpha <= 0) and MLD (log of zero)",
            },
            e => e,
        })?;
    }
    let (_, mu) = mean(&x, w, "generalized entropy")?;
    Ok(if alpha == 0.0 {
        -weighted_mean_of(&x, w, |v| (v / mu).ln())
    } else if alpha == 1.0 {
        weighted_mean_of(&x, w, |v| {
            let s = v / mu;
            if s > 0.0 { s * s.ln() } else { 0.0 }
        })
    } else {
        (weighted_mean_of(&x, w, |v| (v / mu).powf(alpha)) - 1.0) / (alpha * (alpha - 1.0))
    })
}

/// Theil T index, GE(1).
///
/// # Errors
/// As [`generalized_entropy`].
pub fn theil(x: &[f64], weights: Option<&[f64]>, missing: MissingPolicy) -> Result<f64> {
    generalized_entropy(x, 1.0, weights, missing)
}

/// Mean log deviation, GE(0).
///
/// # Errors
/// As [`generalized_entropy`].
pub fn mld(x: &[f64], weights: Option<&[f64]>, missing: MissingPolicy) -> Result<f64> {
    generalized_entropy(x, 0.0, weights, missing)
}

/// Atkinson index with inequality aversion `epsilon ≥ 0`.
///
/// # Errors
/// Negative `x`, zeros when ε ≥ 1, zero mean, negative ε.
pub fn atkinson(
    x: &[f64],
    epsilon: f64,
    weights: Option<&[f64]>,
    missing: MissingPolicy,
) -> Result<f64> {
    if !(epsilon.is_finite() && epsilon >= 0.0) {
        return Err(Error::invalid(
            "epsilon",
            format!("must be finite and >= 0, got {epsilon}"),
        ));
    }
    let (x, w) = clean(x, weights, missing)?;
    let w = w.as_deref();
    if epsilon >= 1.0 {
        validate::positive("x", &x)?;
    }
    let (_, mu) = mean(&x, w, "Atkinson index")?;
    Ok(if epsilon == 1.0 {
        1.0 - weighted_mean_of(&x, w, |v| (v / mu).ln()).exp()
    } else {
        let e = 1.0 - epsilon;
        1.0 - weighted_mean_of(&x, w, |v| (v / mu).powf(e)).powf(1.0 / e)
    })
}

/// Hoover (Robin Hood, Pietra) index `Σw|y − μ|/(2Wμ)`.
///
/// # Errors
/// Negative `x`, zero mean, bad weights.
pub fn hoover(x: &[f64], weights: Option<&[f64]>, missing: MissingPolicy) -> Result<f64> {
    let (x, w) = clean(x, weights, missing)?;
    let w = w.as_deref();
    let (_, mu) = mean(&x, w, "Hoover index")?;
    Ok(weighted_mean_of(&x, w, |v| (v - mu).abs()) / (2.0 * mu))
}

/// Ratio of the outcome share above the `upper` population quantile to the
/// share below the `lower` one (S80/S20 with 0.8, 0.2; Palma with 0.9, 0.4).
///
/// # Errors
/// `lower`/`upper` outside (0, 1) or `lower > upper`, negative `x`, zero total.
pub fn quantile_share_ratio(
    x: &[f64],
    weights: Option<&[f64]>,
    upper: f64,
    lower: f64,
    missing: MissingPolicy,
) -> Result<f64> {
    if !(lower > 0.0 && lower < 1.0) {
        return Err(Error::invalid(
            "lower",
            format!("must lie in (0, 1), got {lower}"),
        ));
    }
    if !(upper > 0.0 && upper < 1.0 && upper >= lower) {
        return Err(Error::invalid(
            "upper",
            format!("must lie in [lower, 1), got {upper}"),
        ));
    }
    let (x, w) = clean(x, weights, missing)?;
    let l = lorenz_points(&x, w.as_deref(), &[lower, upper])?;
    if l[0] == 0.0 {
        return Err(Error::Degenerate {
            arg: "x",
            reason: format!(
                "the bottom {}% hold nothing, so the ratio is infinite",
                lower * 100.0
            ),
        });
    }
    Ok((1.0 - l[1]) / l[0])
}

/// Palma ratio: share of the top 10% over the share of the bottom 40%.
///
/// # Errors
/// As [`quantile_share_ratio`].
pub fn palma(x: &[f64], weights: Option<&[f64]>, missing: MissingPolicy) -> Result<f64> {
    quantile_share_ratio(x, weights, 0.9, 0.4, missing)
}

/// Lorenz ordinates at population shares `ps` (ascending), splitting the
/// boundary observation proportionally. One streaming pass.
pub(crate) fn lorenz_points(x: &[f64], w: Option<&[f64]>, ps: &[f64]) -> Result<Vec<f64>> {
    let s = SortedSample::<Plain>::new(x, x, w, Ties::Midpoint, 1)?;
    if s.total_h == 0.0 {
        return Err(Error::ZeroMean {
            arg: "x",
            what: "outcome shares".into(),
        });
    }
    let (total_w, total_h) = (s.total_w, s.total_h);
    let parts = s.pass(
        || Vec::with_capacity(ps.len()),
        |out: &mut Vec<f64>, b| {
            while out.len() < ps.len() && ps[out.len()] * total_w <= b.w_before + b.w {
                let target = ps[out.len()] * total_w;
                let frac = if b.w > 0.0 {
                    ((target - b.w_before) / b.w).clamp(0.0, 1.0)
                } else {
                    0.0
                };
                out.push((b.h_before + frac * b.h) / total_h);
            }
        },
    );
    let mut out: Vec<f64> = parts.into_iter().flatten().collect();
    out.resize(ps.len(), 1.0);
    Ok(out)
}
