//! Each index's value and influence values `z_i = W·∂T/∂w_i` (see the
//! table in `docs/methods.md`).

use super::InequalityIndex;
use crate::error::{Error, Result};
use crate::measures::microdata::{positive_total, weighted_totals};
use crate::rank::Ties;
use crate::rank::sample::{Plain, SampleRecord, SortedSample};
use crate::stats::CompensatedSum;

pub(super) fn mean(x: &[f64], w: Option<&[f64]>, what: &str) -> Result<(f64, f64)> {
    let (tw, txw) = weighted_totals(x, w);
    let tw = positive_total(tw)?;
    let mu = txw / tw;
    if mu == 0.0 {
        return Err(Error::ZeroMean {
            arg: "values",
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

/// The index value and, when `with_influence`, the influence values
/// `z_i = W·∂T/∂w_i` in row order.
pub(super) fn value_and_influence(
    index: InequalityIndex,
    y: &[f64],
    w: Option<&[f64]>,
    with_influence: bool,
) -> Result<(f64, Option<Vec<f64>>)> {
    match index {
        InequalityIndex::GeneralizedEntropy(alpha) => {
            let (_, mu) = mean(y, w, "generalized entropy")?;
            Ok(ge(y, w, alpha, mu, with_influence))
        }
        InequalityIndex::Atkinson(epsilon) => {
            let (_, mu) = mean(y, w, "Atkinson index")?;
            Ok(atkinson_of(y, w, epsilon, mu, with_influence))
        }
        InequalityIndex::Hoover => {
            let (_, mu) = mean(y, w, "Hoover index")?;
            Ok(hoover_of(y, w, mu, with_influence))
        }
        InequalityIndex::QuantileShareRatio { lower, upper } => {
            share_ratio_of(y, w, lower, upper, with_influence)
        }
    }
}

/// GE(α) and its influence values (Biewen & Jenkins 2006, in the
/// weight-derivative form). With `s = y/μ` and `M = Σw s^α/W`:
/// - α ∉ {0, 1}: `z = [(s^α − M) − αM(s − 1)]/(α(α−1))`;
/// - α = 1 (Theil T): `z = s ln s − (T + 1)s + 1`;
/// - α = 0 (MLD `L`): `z = s − 1 − ln s − L`.
fn ge(y: &[f64], w: Option<&[f64]>, alpha: f64, mu: f64, inf: bool) -> (f64, Option<Vec<f64>>) {
    if alpha == 0.0 {
        let value = -weighted_mean_of(y, w, |v| (v / mu).ln());
        let z = inf.then(|| {
            y.iter()
                .map(|&v| {
                    let s = v / mu;
                    s - 1.0 - s.ln() - value
                })
                .collect()
        });
        (value, z)
    } else if alpha == 1.0 {
        let slns = |v: f64| {
            let s = v / mu;
            if s > 0.0 { s * s.ln() } else { 0.0 }
        };
        let value = weighted_mean_of(y, w, slns);
        let z = inf.then(|| {
            y.iter()
                .map(|&v| slns(v) - (value + 1.0) * (v / mu) + 1.0)
                .collect()
        });
        (value, z)
    } else {
        let k = alpha * (alpha - 1.0);
        let m = weighted_mean_of(y, w, |v| (v / mu).powf(alpha));
        let value = (m - 1.0) / k;
        let z = inf.then(|| {
            y.iter()
                .map(|&v| {
                    let s = v / mu;
                    (s.powf(alpha) - m - alpha * m * (s - 1.0)) / k
                })
                .collect()
        });
        (value, z)
    }
}

/// Atkinson(ε) `A = 1 − ξ/μ` with the equally distributed equivalent
/// `ξ/μ = M^{1/(1−ε)}`, `M = Σw s^{1−ε}/W`, `s = y/μ` (ε = 1:
/// `ξ/μ = exp(Σw ln s/W)`). Influence (Biewen & Jenkins 2006):
/// `z = (1 − A)[(s − 1) − (s^{1−ε} − M)/((1−ε)M)]`; for ε = 1
/// `z = (1 − A)[(s − 1) − (ln s − Σw ln s/W)]`.
fn atkinson_of(
    y: &[f64],
    w: Option<&[f64]>,
    epsilon: f64,
    mu: f64,
    inf: bool,
) -> (f64, Option<Vec<f64>>) {
    if epsilon == 1.0 {
        let c = weighted_mean_of(y, w, |v| (v / mu).ln());
        let value = 1.0 - c.exp();
        let z = inf.then(|| {
            y.iter()
                .map(|&v| {
                    let s = v / mu;
                    (1.0 - value) * ((s - 1.0) - (s.ln() - c))
                })
                .collect()
        });
        (value, z)
    } else {
        let e = 1.0 - epsilon;
        let m = weighted_mean_of(y, w, |v| (v / mu).powf(e));
        let value = 1.0 - m.powf(1.0 / e);
        let z = inf.then(|| {
            y.iter()
                .map(|&v| {
                    let s = v / mu;
                    (1.0 - value) * ((s - 1.0) - (s.powf(e) - m) / (e * m))
                })
                .collect()
        });
        (value, z)
    }
}

/// Hoover `= D/(2μ)` with `D = Σw|y − μ|/W`. Influence of `D`:
/// `|y − μ| − D − (F₊ − F₋)(y − μ)` (`F₊`, `F₋` the weight shares above and
/// below the mean); of the index: `z_D/(2μ) − D(y − μ)/(2μ²)`.
fn hoover_of(y: &[f64], w: Option<&[f64]>, mu: f64, inf: bool) -> (f64, Option<Vec<f64>>) {
    let d = weighted_mean_of(y, w, |v| (v - mu).abs());
    let value = d / (2.0 * mu);
    let z = inf.then(|| {
        let sign = weighted_mean_of(y, w, |v| {
            if v > mu {
                1.0
            } else if v < mu {
                -1.0
            } else {
                0.0
            }
        });
        y.iter()
            .map(|&v| {
                let zd = (v - mu).abs() - d - sign * (v - mu);
                zd / (2.0 * mu) - d * (v - mu) / (2.0 * mu * mu)
            })
            .collect()
    });
    (value, z)
}

/// One Lorenz ordinate: `L(p)` and the value `q` of the boundary block.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LorenzPoint {
    pub share: f64,
    pub quantile: f64,
}

/// Lorenz ordinates at population shares `ps` (ascending), splitting the
/// boundary tie block proportionally. One streaming pass.
pub(crate) fn lorenz_points(x: &[f64], w: Option<&[f64]>, ps: &[f64]) -> Result<Vec<LorenzPoint>> {
    let s = SortedSample::<Plain>::new(x, x, w, Ties::Midpoint, 1)?;
    if s.total_h == 0.0 {
        return Err(Error::ZeroMean {
            arg: "values",
            what: "outcome shares".into(),
        });
    }
    let (total_w, total_h) = (s.total_w, s.total_h);
    let mut last = 0.0;
    let parts = s.pass(
        || Vec::with_capacity(ps.len()),
        |out: &mut Vec<LorenzPoint>, b| {
            while out.len() < ps.len() && ps[out.len()] * total_w <= b.w_before + b.w {
                let target = ps[out.len()] * total_w;
                let frac = if b.w > 0.0 {
                    ((target - b.w_before) / b.w).clamp(0.0, 1.0)
                } else {
                    0.0
                };
                out.push(LorenzPoint {
                    share: (b.h_before + frac * b.h) / total_h,
                    quantile: s.records[b.range.start].h(),
                });
            }
        },
    );
    if let Some(r) = s.records.last() {
        last = r.h();
    }
    let mut out: Vec<LorenzPoint> = parts.into_iter().flatten().collect();
    out.resize(
        ps.len(),
        LorenzPoint {
            share: 1.0,
            quantile: last,
        },
    );
    Ok(out)
}

/// Influence values of a Lorenz ordinate `L(p) = G/T` (`T = Σwy`,
/// `G = Σ_{y<q} w y + q(pW − Σ_{y<q} w)`, the interpolated share):
/// `∂G/∂w_i = g_i = y_i·1(y_i ≤ q) − q(1(y_i ≤ q) − p)` (the density-free form
/// of Osier 2009 / Langel & Tillé 2011), so `z_i = (g_i − L·y_i)/μ`.
fn lorenz_influence(y: &[f64], p: f64, pt: LorenzPoint, mu: f64) -> impl Iterator<Item = f64> + '_ {
    let LorenzPoint { share, quantile: q } = pt;
    y.iter().map(move |&v| {
        let below = if v <= q { 1.0 } else { 0.0 };
        let g = v * below - q * (below - p);
        (g - share * v) / mu
    })
}

/// `(1 − L(upper))/L(lower)`; influence
/// `z = −z_{L(upper)}/L(lower) − R·z_{L(lower)}/L(lower)`.
fn share_ratio_of(
    y: &[f64],
    w: Option<&[f64]>,
    lower: f64,
    upper: f64,
    inf: bool,
) -> Result<(f64, Option<Vec<f64>>)> {
    let l = lorenz_points(y, w, &[lower, upper])?;
    if l[0].share == 0.0 {
        return Err(Error::Degenerate {
            arg: "values",
            reason: format!(
                "the bottom {}% hold nothing, so the ratio is infinite",
                lower * 100.0
            ),
        });
    }
    let (ll, lu) = (l[0].share, l[1].share);
    let ratio = (1.0 - lu) / ll;
    if !inf {
        return Ok((ratio, None));
    }
    let (_, mu) = mean(y, w, "outcome shares")?;
    let z = lorenz_influence(y, lower, l[0], mu)
        .zip(lorenz_influence(y, upper, l[1], mu))
        .map(|(zl, zu)| -zu / ll - ratio * zl / ll)
        .collect();
    Ok((ratio, Some(z)))
}
