//! Indicator statistics (issue 5): indicator values with confidence limits.
//!
//! The methods are those public-health analysts in England know from UKHSA's
//! R package PHEindicatormethods (the methods behind Fingertips), re-implemented
//! from the published formulas and verified against that package's outputs:
//!
//! - [`proportion`](mod@proportion): Wilson score limits;
//! - [`rate`](mod@rate): exact Poisson limits below 10 events, Byars' approximation from 10;
//! - [`mean`](mod@mean): Student's t limits;
//! - [`dsr`](mod@dsr): directly standardised rates (Dobson method) with the 2013 European
//!   Standard Population ([`standard_population`]) or any other standard;
//! - [`isr`](mod@isr): indirectly standardised ratios (SMR) and rates;
//! - [`life_table`]: life expectancy by Chiang's abridged life table with
//!   Silcocks' final-interval variance, for any layout of age bands;
//! - [`health_expectancy`]: healthy life years by the Sullivan method on that
//!   life table, with prevalence and life-table variance, and group gaps;
//! - [`sii`](mod@sii): slope and relative index of inequality across quantiles (Low & Low);
//! - [`quantile`](mod@quantile): deprivation deciles and other quantiles;
//! - [`funnel`]: funnel-plot control limits and significance labels;
//! - [`small_numbers`]: rank intervals, funnel flags per group and empirical-Bayes smoothing;
//! - [`grouped`]: the group index behind every `*_by` function (one call over a
//!   long frame of municipality × year × sex).
//!
//! Every function accepts several confidence levels at once; each result
//! carries one [`Limits`] per level. Numerators are `count`, denominators
//! `population` (for life tables `count` is the deaths); every function that
//! reads values that can be missing takes a [`MissingPolicy`] policy with the
//! options that make sense for it. A value that the method declines to give
//! (suppression rules, undefined cases) is `None` with a [`Indicator::note`]
//! saying why, never NaN.

pub mod age_band;
pub mod dsr;
pub mod funnel;
pub mod grouped;
pub mod health_expectancy;
pub mod isr;
pub mod life_table;
pub mod mean;
pub mod poisson;
pub mod proportion;
pub mod quantile;
pub mod rate;
pub mod sii;
pub mod small_numbers;
pub mod standard_population;

pub use age_band::{age_band_start, age_band_starts};
pub use dsr::{DsrInput, DsrOptions, DsrResult, Standard, dsr, dsr_by};
pub use grouped::{Grouped, Groups};
pub use health_expectancy::{
    HealthExpectancies, HealthExpectancyInput, HealthExpectancyOptions, HealthGaps, HealthMeasure,
    Prevalence, health_expectancy_by, health_expectancy_gap,
};
pub use isr::{IsrInput, IsrKind, IsrOptions, IsrResult, isr, isr_by, reference_per_row};
pub use life_table::{
    LifeTableColumns, LifeTableNote, LifeTableOptions, LifeTableRow, LifeTables, life_expectancy,
    life_expectancy_by, life_tables_by,
};
pub use mean::{MeanOptions, MeanResult, mean, mean_by};
pub use proportion::{
    CountColumns, CountOptions, CountResult, proportion, proportion_by, proportion_columns,
};
pub use quantile::{quantiles, quantiles_by};
pub use rate::{rate, rate_by, rate_columns};
pub use sii::{SiiInput, SiiMethod, SiiOptions, SiiResult, ValueType, sii, sii_by};
pub use standard_population::StandardPopulation;

use crate::error::{Error, MissingOptions, Result};
use crate::validate::MissingPolicy;
use serde::Serialize;

impl MissingPolicy {
    /// Applies the policy to the rows of `groups` before a computation.
    ///
    /// `columns` are the columns the function reads, with `true` for the
    /// counts a [`MissingPolicy::Zero`] policy may count as zero. Under
    /// [`MissingPolicy::Error`] (and for non-count columns under
    /// [`MissingPolicy::Zero`]) the first missing value is an [`Error::Missing`]
    /// suggesting `options` (without "zero" when the column is not a count); under [`MissingPolicy::Drop`] the rows with a missing
    /// value leave their groups (groups left empty disappear). Returns the
    /// groups to compute (borrowed when nothing changes).
    ///
    /// # Errors
    /// A policy the function does not offer, or a missing value (see above).
    pub fn apply<'g>(
        self,
        groups: &'g Groups,
        columns: &[(&'static str, &[f64], bool)],
        options: MissingOptions,
    ) -> Result<std::borrow::Cow<'g, Groups>> {
        self.check_offered(options)?;
        let n = columns.first().map_or(0, |c| c.1.len());
        // A zero policy fills in the counts itself.
        let counted = |zeroable: bool| !(self == MissingPolicy::Zero && zeroable);
        let first = (0..n).find(|&i| columns.iter().any(|(_, c, z)| c[i].is_nan() && counted(*z)));
        let Some(first) = first else {
            return Ok(std::borrow::Cow::Borrowed(groups));
        };
        if self == MissingPolicy::Drop {
            let keep = |i: usize| !columns.iter().any(|(_, c, _)| c[i].is_nan());
            return Ok(std::borrow::Cow::Owned(groups.retain_rows(keep)));
        }
        let (arg, zeroable) = columns
            .iter()
            .find(|(_, c, z)| c[first].is_nan() && counted(*z))
            .map_or(("input", false), |(a, _, z)| (*a, *z));
        // "zero" fills in counts only: do not suggest it for a population.
        let options = match options {
            MissingOptions::DropOrZero if !zeroable => MissingOptions::Drop,
            other => other,
        };
        Err(Error::Missing {
            arg,
            index: first,
            options,
        })
    }
}

/// Confidence limits at one level. `None` where the method gives no limit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Limits {
    /// Confidence level, e.g. 0.95.
    pub level: f64,
    /// Lower limit.
    pub lower: Option<f64>,
    /// Upper limit.
    pub upper: Option<f64>,
}

impl Limits {
    /// Limits that are both present.
    pub fn new(level: f64, lower: f64, upper: f64) -> Self {
        Self {
            level,
            lower: Some(lower),
            upper: Some(upper),
        }
    }

    /// No limits at this level.
    pub fn none(level: f64) -> Self {
        Self {
            level,
            lower: None,
            upper: None,
        }
    }
}

/// One indicator value with its limits at every requested level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicator {
    /// The indicator value, or `None` when suppressed or undefined (see `note`).
    pub value: Option<f64>,
    /// One entry per requested level, in the order requested.
    pub limits: Vec<Limits>,
    /// How the limits were obtained ("Wilson", "Byars", "Exact", "Dobson", ...).
    pub method: &'static str,
    /// Why the value or limits are missing, when they are.
    pub note: Option<String>,
}

impl Indicator {
    /// A suppressed or undefined result: no value, no limits, and the reason.
    pub fn suppressed(levels: &[f64], method: &'static str, note: impl Into<String>) -> Self {
        Self {
            value: None,
            limits: levels.iter().map(|&l| Limits::none(l)).collect(),
            method,
            note: Some(note.into()),
        }
    }

    /// Limits at `level`, if it was requested.
    pub fn at(&self, level: f64) -> Option<&Limits> {
        self.limits.iter().find(|l| l.level == level)
    }

    /// The crate's one result type at the `k`-th requested level: value,
    /// limits, level, method and note (no SE: these methods give limits
    /// directly). `None` when there is no value (see `note`) or no `k`-th level.
    ///
    /// ```
    /// let p = jamlik::indicators::proportion(5.0, 10.0, &[0.95, 0.998], 100.0)?;
    /// let e = p.estimate(1).unwrap();
    /// assert_eq!((e.value, e.level, e.method.as_str()), (50.0, 0.998, "Wilson"));
    /// assert!(e.lower.unwrap() < p.limits[0].lower.unwrap());
    /// # Ok::<(), jamlik::Error>(())
    /// ```
    pub fn estimate(&self, k: usize) -> Option<crate::Estimate> {
        let value = self.value?;
        let limits = self.limits.get(k)?;
        Some(crate::Estimate {
            value,
            se: None,
            lower: limits.lower,
            upper: limits.upper,
            level: limits.level,
            method: self.method.to_string(),
            note: self.note.clone(),
            n: None,
        })
    }
}

/// Checks a list of confidence levels: each in (0, 1), no duplicates.
/// An empty list is allowed and means "no limits".
///
/// # Errors
/// [`Error::InvalidLevel`] naming `level` for a value outside (0, 1);
/// [`Error::InvalidArgument`] for a repeated level.
pub fn check_levels(levels: &[f64]) -> Result<()> {
    for (i, &l) in levels.iter().enumerate() {
        crate::stats::check_level("level", l)?;
        if levels[..i].contains(&l) {
            return Err(Error::invalid("level", format!("level {l} is given twice")));
        }
    }
    Ok(())
}

/// Two-sided normal critical value `Φ⁻¹(c + (1 − c)/2)` for a checked level.
pub(crate) fn z(level: f64) -> f64 {
    crate::stats::normal_quantile(level + (1.0 - level) / 2.0)
}

/// Checks a multiplier is finite and non-zero.
/// A rate's or proportion's multiplier: per how many (positive). SII alone
/// takes a negative one, to reverse the direction (as PHEindicatormethods).
pub(crate) fn check_multiplier(multiplier: f64) -> Result<()> {
    if multiplier.is_finite() && multiplier > 0.0 {
        Ok(())
    } else {
        Err(Error::invalid(
            "multiplier",
            format!(
                "must be a positive number (100 for percent, 100000 for rates), got {multiplier}"
            ),
        ))
    }
}

/// Checks one count: finite and non-negative.
pub(crate) fn check_count(arg: &'static str, index: usize, value: f64) -> Result<()> {
    if value.is_nan() {
        return Err(Error::Missing {
            arg,
            index,
            options: MissingOptions::None,
        });
    }
    if !value.is_finite() {
        return Err(Error::NonFinite { arg, index, value });
    }
    if value < 0.0 {
        return Err(Error::OutOfDomain {
            arg,
            index,
            value,
            requirement: "non-negative",
        });
    }
    Ok(())
}

/// Checks one denominator: finite and strictly positive.
pub(crate) fn check_positive(arg: &'static str, index: usize, value: f64) -> Result<()> {
    check_count(arg, index, value)?;
    if value == 0.0 {
        return Err(Error::OutOfDomain {
            arg,
            index,
            value,
            requirement: "positive",
        });
    }
    Ok(())
}
