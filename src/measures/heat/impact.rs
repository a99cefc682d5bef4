//! Impact measures: population attributable risk (PAR) and fraction (PAF).
//!
//! PAR = y_ref − m, PAF = 100·(y_ref − m)/m, where the reference is the most
//! advantaged subgroup (ordered: highest order; non-ordered: best estimate) and
//! m the population-weighted mean (or the setting average when no population is
//! given). Values on the "wrong" side are truncated to 0 as in HEAT. SE from
//! Walter's (1978) variance of the attributable fraction on a pseudo 2×2 table
//! built with the declared scale; PAF's SE on the % scale.

use super::method::{Method, Outcome};
use super::{Measure, Subgroups};
use crate::error::{Error, Result};
use crate::stats::sum;

pub(crate) fn attributable(m: Measure, g: &Subgroups, z: f64) -> Result<Outcome> {
    let y = &g.estimate;
    let what = if m == Measure::Paf { "PAF" } else { "PAR" };
    // Reference subgroup(s).
    let (yref, tied): (f64, Vec<usize>) = if let Some(order) = &g.order {
        let top = order[order.len() - 1];
        (y[top], vec![top])
    } else {
        let best = if g.favourable {
            y.iter().copied().fold(f64::NEG_INFINITY, f64::max)
        } else {
            y.iter().copied().fold(f64::INFINITY, f64::min)
        };
        (best, (0..y.len()).filter(|&j| y[j] == best).collect())
    };
    let (mean, mean_note) = match (&g.population, g.setting_average) {
        (Some(_), _) => {
            let w = g.shares(what)?;
            (Subgroups::weighted_mean(&w, y), "population-weighted mean")
        }
        (None, Some(a)) => (a, "setting average"),
        (None, None) => {
            return Err(Error::invalid(
                "population",
                format!("{what} needs the population or the setting average"),
            ));
        }
    };
    let par = yref - mean;
    let raw = if m == Measure::Paf {
        if mean == 0.0 {
            return Err(Error::ZeroMean {
                arg: "estimate",
                what: what.into(),
            });
        }
        100.0 * par / mean
    } else {
        par
    };
    let truncated = (g.favourable && par < 0.0) || (!g.favourable && par > 0.0);
    let value = if truncated { 0.0 } else { raw };
    let reference = if g.order.is_some() {
        "reference = most advantaged subgroup (highest order)"
    } else if g.favourable {
        "reference = highest estimate"
    } else {
        "reference = lowest estimate"
    };
    let method = |walter| Method::Attributable {
        paf: m == Measure::Paf,
        reference,
        mean: mean_note,
        truncated,
        walter,
    };
    let (Some(pop), Some(scale)) = (&g.population, g.scale) else {
        return Ok(Outcome::point(value, method(None))
            .with_note("no SE or CI: Walter's SE needs the population and the scale"));
    };
    // Walter (1978). Tied references: the largest population (HEAT).
    let n_ref = tied
        .iter()
        .map(|&j| pop[j])
        .fold(f64::NEG_INFINITY, f64::max);
    let total = sum(pop.iter().copied());
    let c = yref / scale * n_ref;
    let d = n_ref - c;
    let a = mean / scale * total - c;
    let b = total - a - n_ref;
    let var_f = c * total * (a * d * (total - c) + b * c * c) / ((a + c).powi(3) * (c + d).powi(3));
    if !(var_f.is_finite() && var_f >= 0.0) {
        return Ok(Outcome::point(value, method(None))
            .with_note("no SE or CI: Walter's variance is undefined for this table"));
    }
    let se = if m == Measure::Paf {
        100.0 * var_f.sqrt()
    } else {
        mean.abs() * var_f.sqrt()
    };
    Ok(Outcome::wald(value, se, z, method(Some(tied.len()))))
}
