//! Disproportionality for non-ordered dimensions: mean log deviation (MLD) and
//! Theil index (TI), both ×1000 as in HEAT, SEs by the delta method on the same
//! ×1000 scale (healthequal forgets to scale its SE).

use super::Subgroups;
use super::method::{Method, Outcome};
use crate::error::{Error, Result};
use crate::stats::sum;

fn prepare(g: &Subgroups, what: &str) -> Result<(Vec<f64>, f64)> {
    let w = g.shares(what)?;
    if let Some(index) = g.estimate.iter().position(|&v| v < 0.0) {
        return Err(Error::OutOfDomain {
            arg: "estimate",
            index,
            value: g.estimate[index],
            requirement: "non-negative for MLD/TI",
        });
    }
    let mu = Subgroups::weighted_mean(&w, &g.estimate);
    if mu <= 0.0 {
        return Err(Error::ZeroMean {
            arg: "estimate",
            what: what.into(),
        });
    }
    Ok((w, mu))
}

/// MLD = 1000·Σ w (−ln(y/μ)); infinite (an error) when any estimate is 0.
pub(crate) fn mld(g: &Subgroups, z: f64) -> Result<Outcome> {
    let (w, mu) = prepare(g, "MLD")?;
    let y = &g.estimate;
    if let Some(index) = y.iter().position(|&v| v == 0.0) {
        return Err(Error::Degenerate {
            arg: "estimate",
            reason: format!(
                "subgroup at row {} has estimate 0, so the mean log deviation (−ln 0) is infinite",
                index + 1
            ),
        });
    }
    let value = 1000.0 * sum((0..y.len()).map(|j| -w[j] * (y[j] / mu).ln()));
    let Some(s) = g.all_se() else {
        return Ok(Outcome::point(
            value,
            Method::Fixed("mean log deviation 1000·Σ w (−ln(y/μ))"),
        )
        .with_note("no SE or CI: some subgroups have no se"));
    };
    let var = sum((0..y.len()).map(|j| {
        let r = y[j] / mu;
        w[j].powi(2) * s[j].powi(2) * (1.0 - 1.0 / r).powi(2) / (mu * mu)
    }));
    Ok(Outcome::wald(
        value,
        1000.0 * var.sqrt(),
        z,
        Method::Fixed(
            "mean log deviation 1000·Σ w (−ln(y/μ)); SE ×1000 by the delta method, Wald CI",
        ),
    ))
}

/// TI = 1000·Σ w (y/μ) ln(y/μ), with the exact limit 0·ln 0 = 0.
pub(crate) fn theil(g: &Subgroups, z: f64) -> Result<Outcome> {
    let (w, mu) = prepare(g, "TI")?;
    let y = &g.estimate;
    let rlnr = |v: f64| {
        let r = v / mu;
        if r == 0.0 { 0.0 } else { r * r.ln() }
    };
    let value = 1000.0 * sum((0..y.len()).map(|j| w[j] * rlnr(y[j])));
    let zeros = y.contains(&0.0);
    let Some(s) = g.all_se() else {
        return Ok(Outcome::point(value, Method::Theil { zeros, se: false })
            .with_note("no SE or CI: some subgroups have no se"));
    };
    if let Some(j) = (0..y.len()).find(|&j| y[j] == 0.0 && s[j] > 0.0) {
        return Ok(Outcome::point(value, Method::Theil { zeros, se: false }).with_note(format!(
            "no SE or CI: row {} has estimate 0 with se > 0, where the delta-method derivative (1 + ln r) is infinite",
            j + 1
        )));
    }
    let t0 = sum((0..y.len()).map(|j| w[j] * (y[j] / mu + rlnr(y[j]))));
    let var = sum((0..y.len()).map(|j| {
        if s[j] == 0.0 {
            return 0.0;
        }
        let r = y[j] / mu;
        (1.0 + r.ln() - t0).powi(2) * w[j].powi(2) * s[j].powi(2) / (mu * mu)
    }));
    Ok(Outcome::wald(
        value,
        1000.0 * var.sqrt(),
        z,
        Method::Theil { zeros, se: true },
    ))
}
