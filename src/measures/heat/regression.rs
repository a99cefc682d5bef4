//! Regression-based measures: slope and relative index of inequality (SII, RII).
//!
//! The proportion p_j = y_j / scale is regressed on the population-weighted
//! midpoint rank X_j. Logistic (default): a quasi-binomial GLM with weights N_j
//! and fractional "events" (no rounding), fitted by Newton/IRLS. Linear: WLS
//! with weights N_j. SII = scale·(ŷ(1) − ŷ(0)), RII = ŷ(1)/ŷ(0); SEs by the
//! delta method (analytic gradient) with the HC1 sandwich covariance
//! n/(n − 2)·A⁻¹BA⁻¹. RII's SE is on the log scale.
//!
//! [`Compatibility::Healthequal`] reproduces healthequal 1.0.1: scale guessed
//! from max(y), ceiling(population), events rounded, and binomial prior
//! weights N on top of N trials (so each subgroup weighs N²).

use super::disproportionality::ranks;
use super::method::{Method, Outcome, ScaleSource};
use super::{Compatibility, Measure, RegressionModel, Subgroups};
use crate::error::{Error, Result};
use crate::stats::sum;

type Mat2 = [[f64; 2]; 2];

fn inverse(a: Mat2) -> Option<Mat2> {
    let det = a[0][0] * a[1][1] - a[0][1] * a[1][0];
    if det == 0.0 || !det.is_finite() {
        return None;
    }
    Some([
        [a[1][1] / det, -a[0][1] / det],
        [-a[1][0] / det, a[0][0] / det],
    ])
}

fn mul(a: Mat2, b: Mat2) -> Mat2 {
    let mut c = [[0.0; 2]; 2];
    for (i, row) in c.iter_mut().enumerate() {
        for (j, cell) in row.iter_mut().enumerate() {
            *cell = a[i][0] * b[0][j] + a[i][1] * b[1][j];
        }
    }
    c
}

fn quad(v: Mat2, g: [f64; 2]) -> f64 {
    g[0] * (v[0][0] * g[0] + v[0][1] * g[1]) + g[1] * (v[1][0] * g[0] + v[1][1] * g[1])
}

/// Σ c_j x_j x_j' with x_j = (1, X_j).
fn cross(x: &[f64], c: impl Fn(usize) -> f64) -> Mat2 {
    let s0 = sum((0..x.len()).map(&c));
    let s1 = sum((0..x.len()).map(|j| c(j) * x[j]));
    let s2 = sum((0..x.len()).map(|j| c(j) * x[j] * x[j]));
    [[s0, s1], [s1, s2]]
}

fn singular() -> Error {
    Error::Degenerate {
        arg: "subgroup_order",
        reason: "the rank has no spread (one subgroup holds all the population)".into(),
    }
}

/// Sandwich n/(n−2)·A⁻¹ B A⁻¹.
fn sandwich(a: Mat2, b: Mat2, n: usize) -> Result<Mat2> {
    let ai = inverse(a).ok_or_else(singular)?;
    let v = mul(mul(ai, b), ai);
    let f = n as f64 / (n as f64 - 2.0);
    Ok([[v[0][0] * f, v[0][1] * f], [v[1][0] * f, v[1][1] * f]])
}

fn logistic(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// Quasi-binomial fit of proportions `p` on `x` with weights `w`: (β, covariance).
fn fit_logistic(x: &[f64], p: &[f64], w: &[f64]) -> Result<([f64; 2], Mat2)> {
    let n = x.len();
    let wsum = sum(w.iter().copied());
    let pbar = (sum((0..n).map(|j| w[j] * p[j])) / wsum).clamp(1e-10, 1.0 - 1e-10);
    let mut beta = [(pbar / (1.0 - pbar)).ln(), 0.0];
    let loglik = |b: [f64; 2]| {
        sum((0..n).map(|j| {
            let eta = b[0] + b[1] * x[j];
            // p ln π + (1 − p) ln(1 − π), written stably in η: ln π =
            // −softplus(−η) and ln(1 − π) = −softplus(η) share ln(1 + e^−|η|).
            let tail = softplus_tail(eta);
            let ln_pi = -((-eta).max(0.0) + tail);
            let ln_1m = -(eta.max(0.0) + tail);
            w[j] * (if p[j] > 0.0 { p[j] * ln_pi } else { 0.0 }
                + if p[j] < 1.0 {
                    (1.0 - p[j]) * ln_1m
                } else {
                    0.0
                })
        }))
    };
    let mut ll = loglik(beta);
    let mut converged = false;
    // One buffer for the fitted probabilities of every iteration.
    let mut pi: Vec<f64> = Vec::with_capacity(n);
    for _ in 0..200 {
        pi.clear();
        pi.extend(x.iter().map(|&xj| logistic(beta[0] + beta[1] * xj)));
        let h = cross(x, |j| w[j] * pi[j] * (1.0 - pi[j]));
        let g0 = sum((0..n).map(|j| w[j] * (p[j] - pi[j])));
        let g1 = sum((0..n).map(|j| w[j] * (p[j] - pi[j]) * x[j]));
        let hi = inverse(h).ok_or_else(singular)?;
        let step = [hi[0][0] * g0 + hi[0][1] * g1, hi[1][0] * g0 + hi[1][1] * g1];
        let mut t = 1.0;
        let mut next = [beta[0] + step[0], beta[1] + step[1]];
        let mut next_ll = loglik(next);
        while next_ll < ll - 1e-12 * ll.abs() && t > 1e-6 {
            t /= 2.0;
            next = [beta[0] + t * step[0], beta[1] + t * step[1]];
            next_ll = loglik(next);
        }
        let change = (next[0] - beta[0]).abs().max((next[1] - beta[1]).abs());
        beta = next;
        ll = next_ll;
        // Newton converges quadratically: after a step below 1e-10 the error is ~1e-20.
        if change <= 1e-10 * (1.0 + beta[0].abs().max(beta[1].abs())) {
            converged = true;
            break;
        }
    }
    if !converged
        || !beta.iter().all(|b| b.is_finite())
        || beta[0].abs() > 50.0
        || (beta[0] + beta[1]).abs() > 50.0
    {
        return Err(Error::Degenerate {
            arg: "estimate",
            reason: "the logistic SII/RII fit does not converge (the fitted proportion runs to 0 or 1); try the linear model (WLS)".into(),
        });
    }
    pi.clear();
    pi.extend(x.iter().map(|&xj| logistic(beta[0] + beta[1] * xj)));
    let a = cross(x, |j| w[j] * pi[j] * (1.0 - pi[j]));
    let b = cross(x, |j| (w[j] * (p[j] - pi[j])).powi(2));
    Ok((beta, sandwich(a, b, n)?))
}

/// The part of softplus(±t) = ln(1 + e^±t) = max(±t, 0) + ln(1 + e^−|t|)
/// that both signs share (no overflow for any t).
fn softplus_tail(t: f64) -> f64 {
    (-t.abs()).exp().ln_1p()
}

/// WLS of `p` on `x` with weights `w`: (β, HC1 covariance).
fn fit_linear(x: &[f64], p: &[f64], w: &[f64]) -> Result<([f64; 2], Mat2)> {
    let n = x.len();
    let a = cross(x, |j| w[j]);
    let ai = inverse(a).ok_or_else(singular)?;
    let r0 = sum((0..n).map(|j| w[j] * p[j]));
    let r1 = sum((0..n).map(|j| w[j] * p[j] * x[j]));
    let beta = [ai[0][0] * r0 + ai[0][1] * r1, ai[1][0] * r0 + ai[1][1] * r1];
    let b = cross(x, |j| (w[j] * (p[j] - beta[0] - beta[1] * x[j])).powi(2));
    Ok((beta, sandwich(a, b, n)?))
}

/// healthequal's scale guess from the largest estimate.
fn guessed_scale(y: &[f64]) -> f64 {
    let max = y.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    [1.0, 100.0, 1000.0, 10_000.0, 100_000.0]
        .into_iter()
        .find(|&s| max <= s)
        .unwrap_or(1_000_000.0)
}

/// The fitted SII/RII model of one case: SII and RII of a summary share it.
pub(crate) struct Fitted {
    beta: [f64; 2],
    covariance: Mat2,
    scale: f64,
    source: ScaleSource,
    logistic: bool,
    weights: &'static str,
}

/// SII or RII of one case (`m` names the measure in errors).
pub(crate) fn fit(
    m: Measure,
    g: &Subgroups,
    model: RegressionModel,
    compat: Compatibility,
    z: f64,
) -> Result<Outcome> {
    index(m, &fit_model(m, g, model, compat)?, z)
}

/// Fits the model of `g`; `m` (SII or RII) only names the measure in errors.
pub(crate) fn fit_model(
    m: Measure,
    g: &Subgroups,
    model: RegressionModel,
    compat: Compatibility,
) -> Result<Fitted> {
    let what = if m == Measure::Rii { "RII" } else { "SII" };
    let y = &g.estimate;
    if g.order.is_none() {
        return Err(Error::invalid(
            "subgroup_order",
            format!("{what} needs an ordered dimension (give the subgroup order)"),
        ));
    }
    if let Some(index) = y.iter().position(|&v| v < 0.0) {
        return Err(Error::OutOfDomain {
            arg: "estimate",
            index,
            value: y[index],
            requirement: "non-negative for SII/RII (a proportion of the scale)",
        });
    }
    if y.iter().all(|&v| v == y[0]) {
        return Err(Error::Degenerate {
            arg: "estimate",
            reason: format!(
                "all estimates are equal, so the {what} regression has no residual variation and no usable SE"
            ),
        });
    }
    let healthequal = compat == Compatibility::Healthequal;
    let logit = model == RegressionModel::Logistic;
    let (scale, source) = if healthequal {
        let s = guessed_scale(y);
        (s, ScaleSource::Guessed(s.to_bits()))
    } else if let Some(s) = g.scale {
        (s, ScaleSource::Declared(s.to_bits()))
    } else if logit {
        return Err(Error::invalid(
            "scale",
            format!(
                "the logistic {what} models estimate/scale as a proportion: give the indicator scale (1, 100, 1000, ...)"
            ),
        ));
    } else {
        (1.0, ScaleSource::Unit)
    };
    if logit && let Some(index) = y.iter().position(|&v| v > scale) {
        return Err(Error::OutOfBounds {
            arg: "estimate",
            index,
            value: y[index],
            lower: 0.0,
            upper: scale,
        });
    }
    let pop = if healthequal {
        if logit && g.population.is_none() {
            return Err(Error::invalid(
                "population",
                format!(
                    "healthequal's logistic {what} without population rounds every event count to 0 or 1 and is meaningless; give the population or use the default (jamlik) fit"
                ),
            ));
        }
        g.population.as_ref().map_or_else(
            || vec![1.0; y.len()],
            |p| p.iter().map(|v| v.ceil()).collect(),
        )
    } else {
        g.weights_or_ones()
    };
    let x = ranks(g, &pop, what)?;
    let p: Vec<f64> = if healthequal && logit {
        y.iter()
            .zip(&pop)
            .map(|(v, n)| {
                if *n > 0.0 {
                    (v / scale * n).round_ties_even() / n
                } else {
                    0.0
                }
            })
            .collect()
    } else {
        y.iter().map(|v| v / scale).collect()
    };
    let w: Vec<f64> = if healthequal && logit {
        pop.iter().map(|n| n * n).collect()
    } else {
        pop.clone()
    };
    let (beta, v) = if logit {
        fit_logistic(&x, &p, &w)?
    } else {
        fit_linear(&x, &p, &w)?
    };
    let weights_note = match (healthequal && logit, g.population.is_some()) {
        (true, _) => {
            "ceiling(population) trials with events rounded and prior weights N (N² in effect, healthequal-compatible)"
        }
        (false, true) if healthequal => "weights ceiling(population) (healthequal-compatible)",
        (false, true) => "weights = population",
        (false, false) => "equal weights (no population given)",
    };
    Ok(Fitted {
        beta,
        covariance: v,
        scale,
        source,
        logistic: logit,
        weights: weights_note,
    })
}

/// SII (`m` = SII) or RII from a fitted model.
pub(crate) fn index(m: Measure, fitted: &Fitted, z: f64) -> Result<Outcome> {
    let Fitted {
        beta,
        covariance: v,
        scale,
        source,
        logistic: logit,
        weights,
    } = *fitted;
    let method = Method::Regression {
        rii: m == Measure::Rii,
        logistic: logit,
        scale: source,
        weights,
    };
    let (f0, f1, d0, d1) = if logit {
        let (f0, f1) = (logistic(beta[0]), logistic(beta[0] + beta[1]));
        // dπ/dβ = π(1 − π)·(1, X)
        (
            f0,
            f1,
            [f0 * (1.0 - f0), 0.0],
            [f1 * (1.0 - f1), f1 * (1.0 - f1)],
        )
    } else {
        (beta[0], beta[0] + beta[1], [1.0, 0.0], [1.0, 1.0])
    };
    if m == Measure::Sii {
        let value = scale * (f1 - f0);
        let grad = [scale * (d1[0] - d0[0]), scale * (d1[1] - d0[1])];
        let se = quad(v, grad).max(0.0).sqrt();
        Ok(Outcome::wald(value, se, z, method))
    } else {
        if f0 <= 0.0 || f1 <= 0.0 {
            return Err(Error::Degenerate {
                arg: "estimate",
                reason: "the fitted value at one end of the rank is ≤ 0, so RII (a ratio) is undefined; use the logistic model".into(),
            });
        }
        let value = f1 / f0;
        let grad = [d1[0] / f1 - d0[0] / f0, d1[1] / f1 - d0[1] / f0];
        let se = quad(v, grad).max(0.0).sqrt();
        Ok(Outcome {
            value,
            se: Some(se),
            lower: Some((value.ln() - z * se).exp()),
            upper: Some((value.ln() + z * se).exp()),
            method,
            note: None,
        })
    }
}
