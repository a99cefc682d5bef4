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
use super::{
    Indicator, MissingPolicy, check_count, check_levels, check_multiplier, check_positive,
};
use crate::error::{Error, MissingOptions, Result};
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

/// Options of [`isr`] and [`isr_by`].
#[derive(Debug, Clone, PartialEq)]
pub struct IsrOptions {
    /// Ratio or rate (default: a ratio O/E × 1).
    pub kind: IsrKind,
    /// Confidence levels (default 0.95).
    pub levels: Vec<f64>,
    /// Missing values: [`MissingPolicy::Error`] (default), [`MissingPolicy::Drop`] or
    /// [`MissingPolicy::Zero`] (missing counts, populations and reference counts
    /// count as 0, as PHEindicatormethods does; a missing reference
    /// population is still an error).
    pub missing: MissingPolicy,
}

impl Default for IsrOptions {
    fn default() -> Self {
        Self {
            kind: IsrKind::Ratio { refvalue: 1.0 },
            levels: vec![0.95],
            missing: MissingPolicy::Error,
        }
    }
}

/// Reference values given once per age band, repeated to every row of every
/// group by the row's position within its group.
///
/// # Errors
/// [`Error::LengthMismatch`] naming `arg` unless every group has exactly
/// `reference.len()` rows.
pub fn reference_per_row(
    reference: &[f64],
    groups: &Groups,
    arg: &'static str,
) -> Result<Vec<f64>> {
    let bands = reference.len();
    for g in 0..groups.len() {
        let rows = groups.rows(g);
        if rows.len() != bands {
            return Err(Error::invalid(
                arg,
                format!(
                    "has {bands} entries: expected one per row or one per age band of every group \
                     (the group starting at row {} has {} rows)",
                    rows[0],
                    rows.len()
                ),
            ));
        }
    }
    let mut out = vec![f64::NAN; groups.rows_len()];
    for g in 0..groups.len() {
        for (k, &i) in groups.rows(g).iter().enumerate() {
            out[i] = reference[k];
        }
    }
    Ok(out)
}

/// An indirectly standardised ratio or rate with its ingredients.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IsrResult {
    /// Observed count O.
    pub count: f64,
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
        count: o,
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

fn apply_missing<'g>(
    input: &IsrInput<'_>,
    groups: &'g Groups,
    missing: MissingPolicy,
) -> Result<std::borrow::Cow<'g, Groups>> {
    missing.apply(
        groups,
        &[
            ("count", input.count, true),
            ("population", input.population, true),
            ("reference_count", input.reference_count, true),
            ("reference_population", input.reference_population, false),
        ],
        MissingOptions::DropOrZero,
    )
}

/// Indirectly standardised ratio or rate of one area.
///
/// # Errors
/// Negative counts or populations, reference populations ≤ 0, missing values
/// (see [`IsrOptions::missing`]), an expected count of zero, bad levels.
///
/// ```
/// use jamlik::indicators::{isr, IsrInput, IsrKind, IsrOptions};
/// let input = IsrInput { count: &[5.0, 15.0], population: &[1000.0, 1000.0],
///     reference_count: &[10.0, 10.0], reference_population: &[1000.0, 1000.0] };
/// let opts = IsrOptions { kind: IsrKind::Ratio { refvalue: 100.0 }, ..IsrOptions::default() };
/// let r = isr(&input, &opts)?;
/// assert_eq!(r.indicator.value, Some(100.0));
/// # Ok::<(), jamlik::Error>(())
/// ```
pub fn isr(input: &IsrInput<'_>, opts: &IsrOptions) -> Result<IsrResult> {
    check(input, opts.kind, &opts.levels)?;
    let all = Groups::single(input.count.len());
    let groups = apply_missing(input, &all, opts.missing)?;
    if groups.is_empty() {
        return Err(Error::Empty { arg: "count" });
    }
    group_isr(
        input,
        groups.rows(0),
        opts.kind,
        &opts.levels,
        opts.missing == MissingPolicy::Zero,
    )
}

/// Indirectly standardised ratios or rates per group.
///
/// # Errors
/// As [`isr`].
pub fn isr_by(
    input: &IsrInput<'_>,
    groups: &Groups,
    opts: &IsrOptions,
) -> Result<Grouped<IsrResult>> {
    check(input, opts.kind, &opts.levels)?;
    groups.check_len("count", input.count.len())?;
    let groups = apply_missing(input, groups, opts.missing)?;
    let zero = opts.missing == MissingPolicy::Zero;
    let results = groups.map(|rows| group_isr(input, rows, opts.kind, &opts.levels, zero))?;
    Ok(Grouped {
        first_row: groups.first_rows(),
        results,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_per_band_follows_position_in_group() {
        let g = Groups::from_codes(&[1, 2, 1, 2]).unwrap();
        let per_row = reference_per_row(&[10.0, 20.0], &g, "reference_count").unwrap();
        assert_eq!(per_row, vec![10.0, 10.0, 20.0, 20.0]);
        let err = reference_per_row(&[10.0, 20.0, 30.0], &g, "reference_count").unwrap_err();
        assert!(matches!(
            err,
            Error::InvalidArgument {
                arg: "reference_count",
                ..
            }
        ));
    }
}
