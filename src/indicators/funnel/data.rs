//! Funnel plots from the areas' data: the baseline (overall proportion or
//! rate), the x-axis and the significance label of every area.

use super::{
    ControlLimits, RatioType, axis, proportion_limits, proportion_significance, rate_baseline,
    rate_limits, rate_significance, ratio_limits, ratio_significance,
};
use crate::error::{Error, MissingOptions, Result};
use crate::indicators::grouped::Groups;
use crate::indicators::{MissingPolicy, check_levels};
use serde::Serialize;

/// What a funnel plot shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum Statistic {
    /// Proportions `count/population`; the x-axis is the population.
    #[default]
    Proportion,
    /// Ratios observed/expected (`count/expected`); the x-axis is the count.
    Ratio,
    /// Rates per `multiplier`; the x-axis is the count.
    Rate,
}

impl std::str::FromStr for Statistic {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "proportion" => Ok(Self::Proportion),
            "ratio" => Ok(Self::Ratio),
            "rate" => Ok(Self::Rate),
            other => Err(Error::invalid(
                "statistic",
                format!("expected \"proportion\", \"ratio\" or \"rate\", got {other:?}"),
            )),
        }
    }
}

/// Crude rates or directly standardised rates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum RateType {
    /// count/population × multiplier.
    #[default]
    Crude,
    /// DSRs given in `rate` (the denominators are derived as multiplier·count/rate).
    Dsr,
}

impl std::str::FromStr for RateType {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "crude" => Ok(Self::Crude),
            "dsr" => Ok(Self::Dsr),
            other => Err(Error::invalid(
                "rate_type",
                format!("expected \"crude\" or \"dsr\", got {other:?}"),
            )),
        }
    }
}

impl std::str::FromStr for RatioType {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "count" => Ok(Self::Count),
            "isr" => Ok(Self::Isr),
            other => Err(Error::invalid(
                "ratio_type",
                format!("expected \"count\" or \"isr\", got {other:?}"),
            )),
        }
    }
}

/// The areas of a funnel plot, one entry per area.
#[derive(Debug, Clone, Copy, Default)]
pub struct FunnelData<'a> {
    /// Events (numerator) per area.
    pub count: &'a [f64],
    /// Population (denominator) per area: proportions and crude rates.
    pub population: Option<&'a [f64]>,
    /// Expected count per area: ratios.
    pub expected: Option<&'a [f64]>,
    /// Rate per area (per `multiplier`): DSRs, or crude rates without a population.
    pub rate: Option<&'a [f64]>,
}

/// Options of [`funnel_limits`] and [`funnel_significance`].
#[derive(Debug, Clone, PartialEq)]
pub struct FunnelOptions {
    /// What the funnel shows.
    pub statistic: Statistic,
    /// Confidence levels (default 95% and 99.8%, "2 and 3 sigma").
    pub levels: Vec<f64>,
    /// Value per `multiplier`; `None`: 100 for proportions (per cent), 1 for
    /// ratios, 100 000 for rates.
    pub multiplier: Option<f64>,
    /// Ratios: O/E − 1 or O/E × 100.
    pub ratio_type: RatioType,
    /// Rates: crude or DSR.
    pub rate_type: RateType,
    /// Years of data pooled (rate limits give populations per year).
    pub years_of_data: f64,
    /// Areas with a missing value: [`MissingPolicy::Error`] (default) or [`MissingPolicy::Drop`].
    pub missing: MissingPolicy,
}

impl Default for FunnelOptions {
    fn default() -> Self {
        Self {
            statistic: Statistic::Proportion,
            levels: vec![0.95, 0.998],
            multiplier: None,
            ratio_type: RatioType::Count,
            rate_type: RateType::Crude,
            years_of_data: 1.0,
            missing: MissingPolicy::Error,
        }
    }
}

impl FunnelOptions {
    /// The multiplier in use (the per-statistic default when unset).
    pub fn multiplier(&self) -> f64 {
        self.multiplier.unwrap_or(match self.statistic {
            Statistic::Proportion => 100.0,
            Statistic::Ratio => 1.0,
            Statistic::Rate => 100_000.0,
        })
    }
}

/// Where to compute the limits.
#[derive(Debug, Clone, Copy)]
pub enum Points<'a> {
    /// This many points, spaced geometrically over the data's range (see [`axis`]).
    Count(usize),
    /// At these x values.
    At(&'a [f64]),
}

/// Control limits over an x-axis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunnelLimits {
    /// The x values: populations (proportions) or event counts (ratios, rates).
    pub x: Vec<f64>,
    /// The centre line on the scale of the limits: the overall proportion ×
    /// multiplier, 0 or 100 for ratios, the overall rate.
    pub baseline: f64,
    /// Limits at every x, one entry per level.
    pub limits: Vec<Vec<ControlLimits>>,
}

/// The significance label of every area kept.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Significance {
    /// Input row of each label (all rows, unless [`MissingPolicy::Drop`] dropped some).
    pub rows: Vec<usize>,
    /// "High (0.001)", ..., "Not significant" per kept row.
    pub labels: Vec<String>,
}

/// The areas' columns restricted to complete rows (owned only when some were dropped).
struct Columns {
    count: Vec<f64>,
    population: Option<Vec<f64>>,
    expected: Option<Vec<f64>>,
    rate: Option<Vec<f64>>,
    rows: Vec<usize>,
}

fn columns(data: &FunnelData<'_>, missing: MissingPolicy) -> Result<Columns> {
    let n = data.count.len();
    crate::validate::non_empty("count", data.count)?;
    let mut cols: Vec<(&'static str, &[f64], bool)> = vec![("count", data.count, false)];
    for (arg, c) in [
        ("population", data.population),
        ("expected", data.expected),
        ("rate", data.rate),
    ] {
        if let Some(c) = c {
            crate::validate::same_length(arg, "count", n, c.len())?;
            cols.push((arg, c, false));
        }
    }
    let all = Groups::each_row(n);
    let kept = missing.apply(&all, &cols, MissingOptions::Drop)?;
    let rows: Vec<usize> = (0..kept.len()).map(|g| kept.rows(g)[0]).collect();
    if rows.is_empty() {
        return Err(Error::Empty { arg: "count" });
    }
    let pick = |c: &[f64]| rows.iter().map(|&i| c[i]).collect::<Vec<f64>>();
    Ok(Columns {
        count: pick(data.count),
        population: data.population.map(pick),
        expected: data.expected.map(pick),
        rate: data.rate.map(pick),
        rows,
    })
}

/// The baseline proportion (not multiplied) or rate (per multiplier) of the areas.
fn baseline(c: &Columns, opts: &FunnelOptions) -> Result<f64> {
    let m = opts.multiplier();
    match opts.statistic {
        Statistic::Proportion => {
            let p = c.population.as_deref().ok_or_else(|| {
                Error::invalid("population", "is required for proportion funnels")
            })?;
            let total = crate::stats::sum(p.iter().copied());
            if total.is_nan() || total <= 0.0 {
                return Err(Error::Degenerate {
                    arg: "population",
                    reason: "the total population is zero, so the baseline is undefined".into(),
                });
            }
            Ok(crate::stats::sum(c.count.iter().copied()) / total)
        }
        Statistic::Rate => match opts.rate_type {
            RateType::Dsr => {
                let r = c.rate.as_deref().ok_or_else(|| {
                    Error::invalid("rate", "is required for DSR funnels (rate_type \"dsr\")")
                })?;
                rate_baseline(&c.count, None, Some(r), m)
            }
            RateType::Crude => {
                rate_baseline(&c.count, c.population.as_deref(), c.rate.as_deref(), m)
            }
        },
        Statistic::Ratio => Ok(f64::NAN),
    }
}

/// Control limits around the baseline of the areas in `data`, at `points`.
///
/// Proportions need `population` (the axis is the population), rates need
/// `population` or `rate` (`rate` for DSRs; the axis is the count), ratios
/// need only `count` (the axis). With [`Points::Count`] the axis runs
/// geometrically from 0 (or 0.95 × the smallest value, when the largest is
/// less than twice the smallest) to 1.05 × the largest value.
///
/// # Errors
/// A column the statistic needs is absent, bad values (negative counts,
/// populations ≤ 0), a missing value under [`MissingPolicy::Error`], bad options.
///
/// ```
/// use jamlik::indicators::funnel::{funnel_limits, FunnelData, FunnelOptions, Points};
/// let data = FunnelData { count: &[10.0, 30.0], population: Some(&[100.0, 200.0]), ..FunnelData::default() };
/// let f = funnel_limits(&data, Points::Count(50), &FunnelOptions::default())?;
/// assert_eq!(f.x.len(), 50);
/// assert!((f.baseline - 40.0 / 300.0 * 100.0).abs() < 1e-12);
/// # Ok::<(), jamlik::Error>(())
/// ```
pub fn funnel_limits(
    data: &FunnelData<'_>,
    points: Points<'_>,
    opts: &FunnelOptions,
) -> Result<FunnelLimits> {
    check_levels(&opts.levels)?;
    let c = columns(data, opts.missing)?;
    let base = baseline(&c, opts)?;
    let m = opts.multiplier();
    let x = match points {
        Points::At(x) => x.to_vec(),
        Points::Count(k) => {
            let xs: &[f64] = match opts.statistic {
                Statistic::Proportion => c.population.as_deref().unwrap_or(&c.count),
                Statistic::Ratio | Statistic::Rate => &c.count,
            };
            let min = xs.iter().copied().fold(f64::INFINITY, f64::min);
            let max = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let lo = if max > 2.0 * min { 0.0 } else { min * 0.95 };
            axis(lo, max * 1.05, k)?
        }
    };
    let (limits, centre) = match opts.statistic {
        Statistic::Proportion => (proportion_limits(base, &x, &opts.levels, m)?, base * m),
        Statistic::Ratio => (
            ratio_limits(&x, &opts.levels, opts.ratio_type)?,
            match opts.ratio_type {
                RatioType::Count => 0.0,
                RatioType::Isr => 100.0,
            },
        ),
        Statistic::Rate => (
            rate_limits(&x, base, m, opts.years_of_data, &opts.levels)?,
            base,
        ),
    };
    Ok(FunnelLimits {
        x,
        baseline: centre,
        limits,
    })
}

/// The significance label of every area against the funnel of all areas.
///
/// Proportions need `population`, ratios `expected`, rates `population` or
/// `rate` (DSRs: `rate`; their denominators are derived as
/// multiplier·count/rate, and areas with fewer than 10 events are "Not
/// applicable for events less than 10 for dsrs").
///
/// # Errors
/// As [`funnel_limits`].
pub fn funnel_significance(data: &FunnelData<'_>, opts: &FunnelOptions) -> Result<Significance> {
    check_levels(&opts.levels)?;
    let c = columns(data, opts.missing)?;
    let m = opts.multiplier();
    let labels = match opts.statistic {
        Statistic::Proportion => {
            let p = c.population.as_deref().ok_or_else(|| {
                Error::invalid("population", "is required for proportion funnels")
            })?;
            proportion_significance(&c.count, p, &opts.levels)?
        }
        Statistic::Ratio => {
            let e = c.expected.as_deref().ok_or_else(|| {
                Error::invalid(
                    "expected",
                    "is required for ratio funnels (observed/expected)",
                )
            })?;
            ratio_significance(&c.count, e, &opts.levels)?
        }
        Statistic::Rate => {
            let base = baseline(&c, opts)?;
            let dsr = opts.rate_type == RateType::Dsr;
            let derived;
            let population: &[f64] = if let (Some(p), false) = (&c.population, dsr) {
                p
            } else {
                let r = c.rate.as_deref().ok_or_else(|| {
                    Error::invalid("rate", "is required for rate funnels without `population`")
                })?;
                derived = c
                    .count
                    .iter()
                    .zip(r)
                    .map(|(&o, &r)| if o > 0.0 && r > 0.0 { m * o / r } else { 1.0 })
                    .collect::<Vec<f64>>();
                &derived
            };
            rate_significance(&c.count, population, base, m, dsr, &opts.levels)?
        }
    };
    Ok(Significance {
        rows: c.rows,
        labels,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drop_and_required_columns() {
        let data = FunnelData {
            count: &[1.0, f64::NAN, 3.0],
            population: Some(&[10.0, 10.0, 10.0]),
            ..FunnelData::default()
        };
        let opts = FunnelOptions::default();
        assert!(matches!(
            funnel_significance(&data, &opts),
            Err(Error::Missing {
                options: MissingOptions::Drop,
                ..
            })
        ));
        let drop = FunnelOptions {
            missing: MissingPolicy::Drop,
            ..FunnelOptions::default()
        };
        let s = funnel_significance(&data, &drop).unwrap();
        assert_eq!(s.rows, vec![0, 2]);
        let ratio = FunnelOptions {
            statistic: Statistic::Ratio,
            missing: MissingPolicy::Drop,
            ..FunnelOptions::default()
        };
        assert!(matches!(
            funnel_significance(&data, &ratio),
            Err(Error::InvalidArgument {
                arg: "expected",
                ..
            })
        ));
    }
}
