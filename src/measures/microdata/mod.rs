//! Microdata (one row per person) equity measures: the concentration-index
//! family with design-based standard errors, and the standard inequality
//! indices (Gini, generalized entropy, Atkinson, Hoover, Palma, share ratios).
//!
//! - [`concentration`]: standard, generalized, Wagstaff, Erreygers, modified,
//!   extended and symmetric indices; curve ordinates; Kakwani.
//! - [`variance`]: linearized (design-based) variance from PSU totals and the
//!   convenient-regression SEs of conindex.
//! - [`compare`]: [`compare_concentration`] (conindex `compare`): per-group
//!   indices, their difference with a Wald interval, z, Chow F.
//! - [`inequality`]: Gini, Theil T, MLD, GE(α), Atkinson(ε), Hoover, Palma,
//!   quantile share ratios.
//! - [`decomposition`]: Theil/MLD between/within; CI by regressors.
//!
//! Every function takes plain slices; weights are optional (all 1 when `None`).

pub mod compare;
pub mod concentration;
pub mod decomposition;
pub mod inequality;
pub mod variance;

use crate::error::{Error, Result};
use crate::validate::{self, MissingPolicy};
use std::borrow::Cow;

pub use compare::{ConcentrationComparison, compare_concentration};
pub use concentration::{
    ConcentrationOptions, ConcentrationResult, CurveOrdinates, Kind, OutcomeBounds, SeMethod,
    concentration_curve, concentration_index, concentration_influence, kakwani,
};
pub use decomposition::{
    CiDecomposition, EntropyDecomposition, decompose_concentration_index, mld_decomposition,
    theil_decomposition,
};
pub use inequality::{
    GiniOptions, InequalityIndex, InequalityOptions, SeChoice, atkinson, generalized_entropy, gini,
    hoover, inequality_influence, mld, palma, quantile_share_ratio, theil,
};
pub use variance::Design;

/// Rows that survive the missing-value policy: borrowed when nothing is dropped.
pub(crate) struct Columns<'a> {
    pub floats: Vec<Cow<'a, [f64]>>,
    pub weights: Option<Cow<'a, [f64]>>,
    pub ints: Vec<Option<Cow<'a, [i64]>>>,
}

/// Checks lengths, applies the missing policy and validates weights.
///
/// `floats` are required float columns (outcome, rank_by...); `ints` are
/// optional integer code columns (cluster, strata, group) that cannot be missing.
pub(crate) fn prepare<'a>(
    floats: &[(&'static str, &'a [f64])],
    weights: Option<&'a [f64]>,
    ints: &[(&'static str, Option<&'a [i64]>)],
    missing: MissingPolicy,
) -> Result<Columns<'a>> {
    let (first_name, first) = floats[0];
    validate::non_empty(first_name, first)?;
    let n = first.len();
    for &(name, c) in &floats[1..] {
        validate::same_length(name, first_name, n, c.len())?;
    }
    if let Some(w) = weights {
        validate::same_length("weights", first_name, n, w.len())?;
    }
    for &(name, c) in ints {
        if let Some(c) = c {
            validate::same_length(name, first_name, n, c.len())?;
        }
    }
    // Clean input (the usual case) is checked in one fast scan per column.
    if floats.iter().all(|&(_, c)| validate::all_finite(c))
        && weights.is_none_or(validate::all_non_negative)
    {
        return Ok(Columns {
            floats: floats.iter().map(|&(_, c)| Cow::Borrowed(c)).collect(),
            weights: weights.map(Cow::Borrowed),
            ints: ints.iter().map(|&(_, c)| c.map(Cow::Borrowed)).collect(),
        });
    }
    let mut cols: Vec<(&'static str, &[f64])> = floats.to_vec();
    if let Some(w) = weights {
        cols.push(("weights", w));
    }
    let keep = validate::complete_rows(&cols, missing)?;
    let pick = |c: &'a [f64]| -> Cow<'a, [f64]> {
        match &keep {
            None => Cow::Borrowed(c),
            Some(k) => Cow::Owned(k.iter().map(|&i| c[i]).collect()),
        }
    };
    let pick_int = |c: &'a [i64]| -> Cow<'a, [i64]> {
        match &keep {
            None => Cow::Borrowed(c),
            Some(k) => Cow::Owned(k.iter().map(|&i| c[i]).collect()),
        }
    };
    let out = Columns {
        floats: floats.iter().map(|&(_, c)| pick(c)).collect(),
        weights: weights.map(pick),
        ints: ints.iter().map(|&(_, c)| c.map(pick_int)).collect(),
    };
    if out.floats[0].is_empty() {
        return Err(Error::Empty { arg: first_name });
    }
    for (&(name, _), c) in floats.iter().zip(&out.floats) {
        validate::finite(name, c)?;
    }
    if let Some(w) = &out.weights {
        validate::non_negative("weights", w)?;
    }
    Ok(out)
}

/// Weighted totals `(W, Σ w·x)` with compensated sums.
pub(crate) fn weighted_totals(x: &[f64], w: Option<&[f64]>) -> (f64, f64) {
    use crate::stats::CompensatedSum;
    use rayon::prelude::*;
    let fold = |(mut a, mut b): (CompensatedSum, CompensatedSum), (xi, wi): (f64, f64)| {
        a.add(wi);
        b.add(wi * xi);
        (a, b)
    };
    let merge = |a: (CompensatedSum, CompensatedSum), b: (CompensatedSum, CompensatedSum)| {
        (a.0.merge(b.0), a.1.merge(b.1))
    };
    let zero = || (CompensatedSum::new(), CompensatedSum::new());
    let (tw, txw) = match w {
        Some(w) if x.len() >= 1 << 16 => x
            .par_iter()
            .zip(w.par_iter())
            .map(|(&a, &b)| (a, b))
            .fold(zero, fold)
            .reduce(zero, merge),
        Some(w) => x.iter().zip(w).map(|(&a, &b)| (a, b)).fold(zero(), fold),
        None if x.len() >= 1 << 16 => x
            .par_iter()
            .map(|&a| (a, 1.0))
            .fold(zero, fold)
            .reduce(zero, merge),
        None => x.iter().map(|&a| (a, 1.0)).fold(zero(), fold),
    };
    (tw.value(), txw.value())
}

pub(crate) use crate::rank::sample::positive_total;
