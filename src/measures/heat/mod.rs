//! WHO HEAT's 21 grouped summary measures of health inequality.
//!
//! Input is one row per subgroup ([`Subgroups`]): estimate, optional standard
//! error, optional population, optional subgroup order (ordered dimensions such
//! as wealth quintiles), an optional reference subgroup, the indicator's
//! direction and scale. Each measure returns an [`Estimate`] (value, SE on the
//! scale of the value or the log scale for ratios, limits at any level, method).
//!
//! The definitions follow WHO's HEAT / the R package `healthequal` (Schlotheuber
//! & Hosseinpoor 2022), with its scale bugs fixed and a statistically standard
//! default for the regression-based SII/RII. `docs/methods.md` (HEAT section) lists every
//! difference from healthequal and why; [`Compatibility::Healthequal`]
//! reproduces its SII/RII exactly.
//!
//! ```
//! use jamlik::measures::heat::{measure, Measure, Options, Subgroups};
//! let g = Subgroups::new(&[38.2, 45.6, 51.9, 60.3, 71.4])
//!     .se(&[2.41, 2.27, 2.18, 2.05, 1.87])
//!     .population(&[212_400.0, 198_700.0, 187_300.0, 176_900.0, 160_200.0])
//!     .subgroup_order(&[1.0, 2.0, 3.0, 4.0, 5.0])
//!     .scale(100.0)
//!     .build()?;
//! let d = measure(Measure::D, &g, &Options::default())?;
//! assert!((d.value - 33.2).abs() < 1e-12);
//! let sii = measure(Measure::Sii, &g, &Options::default())?;
//! assert!(sii.value > 30.0 && sii.se.is_some());
//! # Ok::<(), jamlik::Error>(())
//! ```

pub mod columns;
mod disproportionality;
mod entropy;
mod impact;
mod input;
mod mean_difference;
pub mod method;
mod pairwise;
mod regression;
mod simulation;
mod summary;
mod variance;

pub use input::{Subgroups, SubgroupsBuilder};
pub use method::Method;
pub use summary::{
    SummaryColumns, SummaryRow, SummaryTable, summarise, summarise_groups, summarise_groups_at,
    summarise_table,
};

use crate::error::{Error, Result};
use crate::estimate::Estimate;
use crate::validate::MissingPolicy;
use method::Outcome;
use serde::{Deserialize, Serialize};
use simulation::Replicates;

/// The 21 HEAT summary measures (HEAT codes in lower case via [`Measure::code`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Measure {
    /// Difference between two subgroups.
    D,
    /// Ratio of two subgroups.
    R,
    /// Absolute concentration index.
    Aci,
    /// Relative concentration index (a fraction, not ×100).
    Rci,
    /// Slope index of inequality.
    Sii,
    /// Relative index of inequality.
    Rii,
    /// Between-group variance.
    Bgv,
    /// Between-group standard deviation.
    Bgsd,
    /// Coefficient of variation (×100).
    Cov,
    /// Mean difference from mean, unweighted.
    Mdmu,
    /// Mean difference from mean, weighted.
    Mdmw,
    /// Mean difference from best subgroup, unweighted.
    Mdbu,
    /// Mean difference from best subgroup, weighted.
    Mdbw,
    /// Mean difference from reference subgroup, unweighted.
    Mdru,
    /// Mean difference from reference subgroup, weighted.
    Mdrw,
    /// Index of disparity, unweighted (×100).
    Idisu,
    /// Index of disparity, weighted (×100).
    Idisw,
    /// Mean log deviation (×1000).
    Mld,
    /// Theil index (×1000).
    Ti,
    /// Population attributable fraction (%).
    Paf,
    /// Population attributable risk (indicator units).
    Par,
}

impl Measure {
    /// Every measure, in HEAT's usual order.
    pub const ALL: [Measure; 21] = [
        Measure::D,
        Measure::R,
        Measure::Aci,
        Measure::Rci,
        Measure::Sii,
        Measure::Rii,
        Measure::Bgv,
        Measure::Bgsd,
        Measure::Cov,
        Measure::Mdmu,
        Measure::Mdmw,
        Measure::Mdbu,
        Measure::Mdbw,
        Measure::Mdru,
        Measure::Mdrw,
        Measure::Idisu,
        Measure::Idisw,
        Measure::Mld,
        Measure::Ti,
        Measure::Paf,
        Measure::Par,
    ];

    /// Position in [`Measure::ALL`] (the code the summaries store per row).
    pub fn index(self) -> usize {
        self as usize
    }

    /// Lower-case HEAT code (`"sii"`, `"idisw"`, ...).
    pub fn code(self) -> &'static str {
        match self {
            Measure::D => "d",
            Measure::R => "r",
            Measure::Aci => "aci",
            Measure::Rci => "rci",
            Measure::Sii => "sii",
            Measure::Rii => "rii",
            Measure::Bgv => "bgv",
            Measure::Bgsd => "bgsd",
            Measure::Cov => "cov",
            Measure::Mdmu => "mdmu",
            Measure::Mdmw => "mdmw",
            Measure::Mdbu => "mdbu",
            Measure::Mdbw => "mdbw",
            Measure::Mdru => "mdru",
            Measure::Mdrw => "mdrw",
            Measure::Idisu => "idisu",
            Measure::Idisw => "idisw",
            Measure::Mld => "mld",
            Measure::Ti => "ti",
            Measure::Paf => "paf",
            Measure::Par => "par",
        }
    }

    /// Measures that need an ordered dimension (ranked subgroups).
    pub fn needs_order(self) -> bool {
        matches!(
            self,
            Measure::Aci | Measure::Rci | Measure::Sii | Measure::Rii
        )
    }

    /// Measures whose CI comes from simulation (HEAT convention).
    pub fn simulated(self) -> bool {
        matches!(
            self,
            Measure::Bgsd
                | Measure::Cov
                | Measure::Mdmu
                | Measure::Mdmw
                | Measure::Mdbu
                | Measure::Mdbw
                | Measure::Mdru
                | Measure::Mdrw
                | Measure::Idisu
                | Measure::Idisw
        )
    }
}

impl std::fmt::Display for Measure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl std::str::FromStr for Measure {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let lower = s.to_ascii_lowercase();
        let alias = match lower.as_str() {
            "covar" => "cov",
            "parisk" => "par",
            other => other,
        };
        Measure::ALL
            .into_iter()
            .find(|m| m.code() == alias)
            .ok_or_else(|| Error::invalid("measure", format!("unknown HEAT measure {s:?}")))
    }
}

/// Model for SII/RII.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RegressionModel {
    /// Logistic (quasi-binomial) regression of the proportion on the rank (default).
    #[default]
    Logistic,
    /// Weighted least squares of the proportion on the rank.
    Linear,
}

/// Normalisation of the RCI for bounded indicators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Normalisation {
    /// Plain RCI = ACI / mean.
    #[default]
    None,
    /// Wagstaff (2005): RCI / (1 − mean) on the 0–1 scale.
    Wagstaff,
    /// Erreygers (2009): 4·mean·RCI on the 0–1 scale.
    Erreygers,
}

impl std::str::FromStr for Normalisation {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "none" | "" => Ok(Self::None),
            "wagstaff" => Ok(Self::Wagstaff),
            "erreygers" => Ok(Self::Erreygers),
            other => Err(Error::invalid(
                "method",
                format!("expected \"none\", \"wagstaff\" or \"erreygers\", got {other:?}"),
            )),
        }
    }
}

/// Which conventions SII/RII follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Compatibility {
    /// jamlik's statistically standard fit: declared scale, weights N, fractional events.
    #[default]
    Jamlik,
    /// Reproduce healthequal 1.0.1 exactly: scale guessed from max(estimate),
    /// ceiling(population), rounded events, binomial prior weights N (so N² in effect).
    Healthequal,
}

impl std::str::FromStr for Compatibility {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "jamlik" | "none" | "" => Ok(Self::Jamlik),
            "healthequal" => Ok(Self::Healthequal),
            other => Err(Error::invalid(
                "compat",
                format!("expected \"jamlik\" or \"healthequal\", got {other:?}"),
            )),
        }
    }
}

/// Options shared by every measure and by the summaries.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Options {
    /// Confidence level in (0, 1); default 0.95.
    pub level: f64,
    /// Seed of the simulation CIs (default [`crate::DEFAULT_SEED`], 123456, as healthequal).
    pub seed: u64,
    /// Number of simulation draws (default 100, as healthequal).
    pub draws: usize,
    /// SII/RII model.
    pub regression: RegressionModel,
    /// RCI normalisation.
    pub normalisation: Normalisation,
    /// SII/RII conventions.
    pub compat: Compatibility,
    /// Missing values (estimate, population, subgroup order) in
    /// [`summarise_groups`], which builds each case's [`Subgroups`]: `Error`
    /// (default) or `Drop` the subgroup. A table built by hand takes its
    /// policy from [`SubgroupsBuilder::missing`].
    pub missing: MissingPolicy,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            level: 0.95,
            seed: crate::DEFAULT_SEED,
            draws: 100,
            regression: RegressionModel::Logistic,
            normalisation: Normalisation::None,
            compat: Compatibility::Jamlik,
            missing: MissingPolicy::Error,
        }
    }
}

impl Options {
    /// Validates level and draws.
    ///
    /// # Errors
    /// [`Error::InvalidLevel`] for a level outside (0, 1); [`Error::InvalidArgument`]
    /// for `draws < 2`.
    pub fn check(&self) -> Result<()> {
        crate::stats::check_level("level", self.level)?;
        if self.draws < 2 {
            return Err(Error::invalid(
                "draws",
                format!("needs at least 2 simulation draws, got {}", self.draws),
            ));
        }
        Ok(())
    }
}

/// Computes one measure; the result's `n` is the number of subgroups used
/// (after any dropped as missing).
///
/// # Errors
/// A typed [`Error`] naming the argument when the measure is undefined for the
/// input: too few subgroups (n ≤ 2, except D and R), no subgroup order for the
/// ordered measures, no reference for MDRU/MDRW, no population for weighted
/// measures, zero mean, zero estimates for MLD, missing bounds for the RCI
/// normalisations, and so on.
pub fn measure(m: Measure, g: &Subgroups, o: &Options) -> Result<Estimate> {
    o.check()?;
    if !matches!(m, Measure::D | Measure::R) && g.len() <= 2 {
        return Err(Error::too_few(
            format!("{} (`estimate`)", m.code().to_uppercase()),
            "subgroups",
            3,
            g.len(),
        ));
    }
    let z = crate::stats::z_value(o.level)?;
    let sims = if m.simulated() {
        Replicates::draw(g, o)?
    } else {
        None
    };
    compute(m, g, o, z, sims.as_ref(), None).map(|out| out.into_estimate(o.level).with_n(g.len()))
}

/// One measure at the level of `o` with its normal quantile `z` already
/// known; simulated measures take the case's replicates and SII/RII may
/// take the case's fitted model (SII and RII of a summary share one fit).
/// The caller has checked the options and the number of subgroups.
fn compute(
    m: Measure,
    g: &Subgroups,
    o: &Options,
    z: f64,
    sims: Option<&Replicates>,
    fitted: Option<&regression::Fitted>,
) -> Result<Outcome> {
    match m {
        Measure::D => pairwise::difference(g, z),
        Measure::R => pairwise::ratio(g, z),
        Measure::Aci => disproportionality::aci(g, z),
        Measure::Rci => disproportionality::rci(g, o.normalisation, z, None),
        Measure::Sii | Measure::Rii => match fitted {
            Some(f) => regression::index(m, f, z),
            None => regression::fit(m, g, o.regression, o.compat, z),
        },
        Measure::Bgv => variance::bgv(g, z),
        Measure::Mld => entropy::mld(g, z),
        Measure::Ti => entropy::theil(g, z),
        Measure::Paf | Measure::Par => impact::attributable(m, g, z),
        _ => simulation::simulated_measure(m, g, sims, o.level),
    }
}
