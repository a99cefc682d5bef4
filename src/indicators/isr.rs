//! Indirect standardisation: standardised ratios (SMR) and standardised rates.
//!
//! Expected count `E = Σ x_ref,i / n_ref,i · nᵢ` from reference (e.g. national)
//! age-specific rates; observed `O = Σxᵢ`.
//!
//! - ratio = O/E · refvalue (refvalue 1, or 100 for "SMR × 100");
//! - rate  = O/E · ref_rate, with `ref_rate = Σx_ref / Σn_ref · multiplier`.
//!
//! Limits: the exact (O < 10) or Byars (O ≥ 10) limits of O, divided by E and
//! scaled like the value.

use super::grouped::{Grouped, Groups};
use super::poisson::scaled_count_limits;
use super::{Indicator, check_count, check_levels, check_multiplier, check_positive};
use crate::error::{Error, Result};
use crate::stats::CompensatedSum;
use serde::Serialize;

/// Which indirectly standardised statistic.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum IsrKind {
    /// Standardised ratio O/E × `refvalue` (SMR).
    Ratio {
        /// 1 for a ratio, 100 for "× 100".
        refvalue: f64,
    },
    /// Standardised rate O/E × reference rate per `multiplier`.
    Rate {
        /// Rate per this many persons.
        multiplier: f64,
    },
}

/// Columns of an indirect standardisation (one row per group × age band).
#[derive(Debug, Clone, Copy)]
pub struct IsrInput<'a> {
    /// Observed events per row (NaN = missing).
    pub count: &'a [f64],
    /// Population per row (0 allowed: it adds nothing to E).
    pub population: &'a [f64],
    /// Reference events for the row's band.
    pub reference_count: &'a [f64],
    /// Reference population for the row's band (> 0).
    pub reference_population: &'a [f64],
}

/// An indirectly standardised ratio or rate with its ingredients.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IsrResult {
    /// Observed count O.
    pub observed: f64,
    /// Expected count E.
    pub expected: f64,
    /// Reference rate (rates only).
    pub reference_rate: Option<f64>,
    /// Value and limits.
    pub indicator: Indicator,
}

fn group_isr(
    input: &IsrInput<'_>,
    rows: &[usize],
    kind: IsrKind,
    levels: &[f64],
    missing_as_zero: bool,
) -> Result<IsrResult> {
    let mut o = CompensatedSum::new();
    let mut e = CompensatedSum::new();
    let mut xr = CompensatedSum::new();
    let mut nr = CompensatedSum::new();
    for &i in rows {
        let mut x = input.count[i];
        let mut x_ref = input.reference_count[i];
        let mut n = input.population[i];
        if missing_as_zero {
            for v in [&mut x, &mut x_ref, &mut n] {
                if v.is_nan() {
                    *v = 0.0;
                }
            }
        }
        check_count("count", i, x)?;
        check_count("population", i, n)?;
        check_count("reference_count", i, x_ref)?;
        check_positive("reference_population", i, input.reference_population[i])?;
        o.add(x);
        e.add(x_ref / input.reference_population[i] * n);
        xr.add(x_ref);
        nr.add(input.reference_population[i]);
    }
    let (o, e) = (o.value(), e.value());
    if e <= 0.0 {
        return Err(Error::Degenerate {
            arg: "reference_count",
            reason: format!(
                "the expected count of a group is zero (rows from {}), so the ratio is undefined",
                rows[0]
            ),
        });
    }
    let (scale, reference_rate) = match kind {
        IsrKind::Ratio { refvalue } => (refvalue, None),
        IsrKind::Rate { multiplier } => {
            let r = xr.value() / nr.value() * multiplier;
            (r, Some(r))
        }
    };
    let (limits, method) = scaled_count_limits(o, levels, scale / e);
    Ok(IsrResult {
        observed: o,
        expected: e,
        reference_rate,
        indicator: Indicator {
            value: Some(o / e * scale),
            limits,
            method,
            note: None,
        },
    })
}

fn check(input: &IsrInput<'_>, kind: IsrKind, levels: &[f64]) -> Result<()> {
    check_levels(levels)?;
    match kind {
        IsrKind::Ratio { refvalue } => {
            if !(refvalue.is_finite() && refvalue > 0.0) {
                return Err(Error::invalid(
                    "refvalue",
                    format!("must be positive, got {refvalue}"),
                ));
            }
        }
        IsrKind::Rate { multiplier } => check_multiplier(multiplier)?,
    }
    let n = input.count.len();
    crate::validate::non_empty("count", input.count)?;
    crate::validate::same_length("population", "count", n, input.population.len())?;
    crate::validate::same_length("reference_count", "count", n, input.reference_count.len())?;
    crate::validate::same_length(
        "reference_population",
        "count",
        n,
        input.reference_population.len(),
    )
}

/// Indirectly standardised ratio or rate of one area. With `missing_as_zero`
/// missing counts, populations and reference counts count as 0 (as the
/// reference package does); otherwise they are errors.
///
/// # Errors
/// Negative counts or populations, reference populations ≤ 0, missing counts
/// (unless `missing_as_zero`), an expected count of zero, bad levels.
///
/// ```
/// use jamlik::indicators::{isr, IsrInput, IsrKind};
/// let input = IsrInput { count: &[5.0, 15.0], population: &[1000.0, 1000.0],
///     reference_count: &[10.0, 10.0], reference_population: &[1000.0, 1000.0] };
/// let r = isr(&input, IsrKind::Ratio { refvalue: 100.0 }, &[0.95], false)?;
/// assert_eq!(r.indicator.value, Some(100.0));
/// # Ok::<(), jamlik::Error>(())
/// ```
pub fn isr(
    input: &IsrInput<'_>,
    kind: IsrKind,
    levels: &[f64],
    missing_as_zero: bool,
) -> Result<IsrResult> {
    check(input, kind, levels)?;
    let rows: Vec<usize> = (0..input.count.len()).collect();
    group_isr(input, &rows, kind, levels, missing_as_zero)
}

/// Indirectly standardised ratios or rates per group.
///
/// # Errors
/// As [`isr`].
pub fn isr_by(
    input: &IsrInput<'_>,
    groups: &Groups,
    kind: IsrKind,
    levels: &[f64],
    missing_as_zero: bool,
) -> Result<Grouped<IsrResult>> {
    check(input, kind, levels)?;
    groups.check_len("count", input.count.len())?;
    let results = groups.map(|rows| group_isr(input, rows, kind, levels, missing_as_zero))?;
    Ok(Grouped {
        first_row: groups.first_rows(),
        results,
    })
}
