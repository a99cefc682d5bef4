//! Ordered disproportionality: absolute and relative concentration index (ACI, RCI).
//!
//! Subgroups are ranked by `subgroup_order` with population-weighted midpoint
//! ranks X_j; ACI = Σ w_j (2X_j − 1) y_j. Its SE is HEAT's: the model-based
//! slope SE of the "convenient regression" of 2σ²_X·y_j on X_j with weights
//! N_j (residual variance on n − 2 degrees of freedom).

use super::method::{Method, Outcome};
use super::{Normalisation, Subgroups};
use crate::error::{Error, Result};
use crate::stats::sum;

/// Population-weighted midpoint ranks (row order) and population shares.
pub(crate) fn ranks(g: &Subgroups, weights: &[f64], what: &str) -> Result<Vec<f64>> {
    let order = g.order.as_ref().ok_or_else(|| {
        Error::invalid(
            "subgroup_order",
            format!("{what} needs an ordered dimension (give the subgroup order)"),
        )
    })?;
    let total = sum(weights.iter().copied());
    let mut x = vec![0.0; weights.len()];
    let mut before = 0.0;
    for &i in order {
        x[i] = (before + weights[i] / 2.0) / total;
        before += weights[i];
    }
    Ok(x)
}

/// Values on the scale the concentration index uses: normalised to 0–1 when bounded.
fn values(g: &Subgroups) -> Vec<f64> {
    match g.bounds {
        Some((lo, hi)) => g.estimate.iter().map(|y| (y - lo) / (hi - lo)).collect(),
        None => g.estimate.clone(),
    }
}

/// ACI and its convenient-regression SE, plus the weighted mean.
fn concentration(g: &Subgroups, y: &[f64], what: &str) -> Result<(f64, f64, f64)> {
    let n = y.len();
    let pop = g.weights_or_ones();
    let x = ranks(g, &pop, what)?;
    let total = sum(pop.iter().copied());
    let w: Vec<f64> = pop.iter().map(|p| p / total).collect();
    let mean = Subgroups::weighted_mean(&w, y);
    let xbar = Subgroups::weighted_mean(&w, &x);
    let var_x = sum(w.iter().zip(&x).map(|(w, x)| w * (x - xbar).powi(2)));
    let aci = sum((0..n).map(|j| w[j] * (2.0 * x[j] - 1.0) * y[j]));
    // Convenient regression: lhs = 2σ² y on X, weights N, with intercept.
    let lhs: Vec<f64> = y.iter().map(|v| 2.0 * var_x * v).collect();
    let lbar = Subgroups::weighted_mean(&w, &lhs);
    let sxx = sum((0..n).map(|j| pop[j] * (x[j] - xbar).powi(2)));
    let slope = sum((0..n).map(|j| pop[j] * (x[j] - xbar) * (lhs[j] - lbar))) / sxx;
    let intercept = lbar - slope * xbar;
    let rss = sum((0..n).map(|j| pop[j] * (lhs[j] - intercept - slope * x[j]).powi(2)));
    let se = (rss / (n as f64 - 2.0) / sxx).sqrt();
    Ok((aci, se, mean))
}

/// ACI, its SE and the weighted mean on the concentration scale: what ACI
/// and RCI share (`what` names the measure in errors).
pub(crate) fn parts(g: &Subgroups, what: &str) -> Result<(f64, f64, f64)> {
    concentration(g, &values(g), what)
}

/// Absolute concentration index.
pub(crate) fn aci(g: &Subgroups, z: f64) -> Result<Outcome> {
    Ok(aci_from(g, parts(g, "ACI")?, z))
}

/// ACI from the shared [`parts`].
pub(crate) fn aci_from(g: &Subgroups, (aci, se, _): (f64, f64, f64), z: f64) -> Outcome {
    Outcome::wald(
        aci,
        se,
        z,
        Method::Aci {
            bounded: g.bounds.is_some(),
        },
    )
}

/// Relative concentration index (fraction), optionally normalised; `shared`
/// are the case's [`parts`] when already computed.
pub(crate) fn rci(
    g: &Subgroups,
    norm: Normalisation,
    z: f64,
    shared: Option<(f64, f64, f64)>,
) -> Result<Outcome> {
    if norm != Normalisation::None && g.bounds.is_none() {
        return Err(Error::invalid(
            "lmin",
            "the Wagstaff and Erreygers normalisations are for bounded indicators: give lmin and lmax",
        ));
    }
    let (aci, se, mean) = match shared {
        Some(p) => p,
        None => parts(g, "RCI")?,
    };
    if mean == 0.0 {
        return Err(Error::ZeroMean {
            arg: "estimate",
            what: "RCI".into(),
        });
    }
    let rci = aci / mean;
    let rse = se / mean.abs();
    let (value, se) = match norm {
        Normalisation::None => (rci, rse),
        Normalisation::Wagstaff => {
            if mean == 1.0 {
                return Err(Error::Degenerate {
                    arg: "estimate",
                    reason:
                        "every subgroup is at lmax, so the Wagstaff normalisation divides by zero"
                            .into(),
                });
            }
            let f = 1.0 / (1.0 - mean);
            (rci * f, rse * f.abs())
        }
        Normalisation::Erreygers => (4.0 * mean * rci, 4.0 * mean.abs() * rse),
    };
    Ok(Outcome::wald(value, se, z, Method::Rci(norm)))
}
