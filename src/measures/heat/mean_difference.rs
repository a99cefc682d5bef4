//! Point formulas of the simulation-CI family: BGSD, COV, MDMU/MDMW,
//! MDBU/MDBW, MDRU/MDRW, IDISU/IDISW. Each is a function of the estimate
//! vector so the same code evaluates the point estimate and every replicate.

use super::input::small_sum;
use super::variance::bgv_value;
use super::{Measure, Subgroups};
use crate::error::{Error, Result};

/// What a measure needs besides the estimates, checked once.
pub(crate) struct Context {
    pub shares: Option<Vec<f64>>,
}

impl Context {
    pub(crate) fn new(m: Measure, g: &Subgroups) -> Result<Self> {
        let what = m.code().to_uppercase();
        let weighted = matches!(
            m,
            Measure::Bgsd
                | Measure::Cov
                | Measure::Mdmw
                | Measure::Mdbw
                | Measure::Mdrw
                | Measure::Idisw
        );
        if matches!(m, Measure::Mdru | Measure::Mdrw) && g.reference.is_none() {
            return Err(Error::invalid(
                "reference",
                format!("{what} needs a reference subgroup"),
            ));
        }
        if weighted {
            return Ok(Self {
                shares: Some(g.shares(&what)?),
            });
        }
        if matches!(m, Measure::Mdmu | Measure::Idisu)
            && g.setting_average.is_none()
            && g.population.is_none()
        {
            return Err(Error::invalid(
                "population",
                format!(
                    "{what} needs the population or the setting average (the mean to compare with)"
                ),
            ));
        }
        let shares = if g.population.is_some() {
            Some(g.shares(&what)?)
        } else {
            None
        };
        Ok(Self { shares })
    }
}

fn abs_dev_mean(y: &[f64], centre: f64) -> f64 {
    small_sum(y.len(), y.iter().map(|v| (v - centre).abs())) / y.len() as f64
}

fn abs_dev_weighted(w: &[f64], y: &[f64], centre: f64) -> f64 {
    small_sum(
        y.len(),
        w.iter().zip(y).map(|(w, v)| w * (v - centre).abs()),
    )
}

/// The measure evaluated on estimate vector `y` (original or simulated).
///
/// MDMU/IDISU compare with the setting average when one is given (kept fixed
/// across replicates), else with the population-weighted mean of `y`.
pub(crate) fn statistic(m: Measure, g: &Subgroups, ctx: &Context, y: &[f64]) -> Result<f64> {
    let what = || m.code().to_uppercase();
    let w = || ctx.shares.as_deref().unwrap_or(&[]);
    let best = || {
        if g.favourable {
            y.iter().copied().fold(f64::NEG_INFINITY, f64::max)
        } else {
            y.iter().copied().fold(f64::INFINITY, f64::min)
        }
    };
    let unweighted_centre = || match g.setting_average {
        Some(a) => a,
        None => Subgroups::weighted_mean(w(), y),
    };
    let reference = || g.reference.map_or(f64::NAN, |r| y[r]);
    Ok(match m {
        Measure::Bgsd => bgv_value(w(), y).sqrt(),
        Measure::Cov => {
            let mu = Subgroups::weighted_mean(w(), y);
            if mu == 0.0 {
                return Err(Error::ZeroMean {
                    arg: "estimate",
                    what: what(),
                });
            }
            100.0 * bgv_value(w(), y).sqrt() / mu
        }
        Measure::Mdmu => abs_dev_mean(y, unweighted_centre()),
        Measure::Mdmw => abs_dev_weighted(w(), y, Subgroups::weighted_mean(w(), y)),
        Measure::Mdbu => abs_dev_mean(y, best()),
        Measure::Mdbw => abs_dev_weighted(w(), y, best()),
        Measure::Mdru => abs_dev_mean(y, reference()),
        Measure::Mdrw => abs_dev_weighted(w(), y, reference()),
        Measure::Idisu => {
            let m0 = unweighted_centre();
            if m0 == 0.0 {
                return Err(Error::ZeroMean {
                    arg: "estimate",
                    what: what(),
                });
            }
            100.0 * abs_dev_mean(y, m0) / m0.abs()
        }
        Measure::Idisw => {
            let mu = Subgroups::weighted_mean(w(), y);
            if mu == 0.0 {
                return Err(Error::ZeroMean {
                    arg: "estimate",
                    what: what(),
                });
            }
            100.0 * abs_dev_weighted(w(), y, mu) / mu.abs()
        }
        _ => {
            return Err(Error::invalid(
                "measure",
                format!("{} has no simulation form", m.code()),
            ));
        }
    })
}

/// Description of each formula for `method`.
pub(crate) fn describe(m: Measure) -> &'static str {
    match m {
        Measure::Bgsd => "between-group standard deviation √(Σ w (y − μ)²)",
        Measure::Cov => "coefficient of variation 100·BGSD/μ",
        Measure::Mdmu => "mean difference from the mean, unweighted (1/n)·Σ|y − m|",
        Measure::Mdmw => "mean difference from the mean, weighted Σ w|y − μ|",
        Measure::Mdbu => "mean difference from the best subgroup, unweighted (1/n)·Σ|y − y_best|",
        Measure::Mdbw => "mean difference from the best subgroup, weighted Σ w|y − y_best|",
        Measure::Mdru => {
            "mean difference from the reference subgroup, unweighted (1/n)·Σ|y − y_ref|"
        }
        Measure::Mdrw => "mean difference from the reference subgroup, weighted Σ w|y − y_ref|",
        Measure::Idisu => "index of disparity, unweighted 100·(1/n)·Σ|y − m|/m",
        Measure::Idisw => "index of disparity, weighted 100·Σ w|y − μ|/μ",
        _ => "",
    }
}
