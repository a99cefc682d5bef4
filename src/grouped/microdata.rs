//! Microdata indices per group: the concentration-index family, Gini,
//! generalized entropy (Theil T, MLD), Atkinson, Hoover, quantile share
//! ratios (S80/S20, Palma) and the Kakwani index, each with its SE, for
//! every group of a long frame in one call (see [`super`]).

use super::{GroupedEstimates, dispatch};
use crate::error::Result;
use crate::measures::microdata::{
    self as md, ConcentrationOptions, Design, GiniOptions, InequalityOptions,
};
use crate::stats::check_level;

/// [`md::concentration_index`] for every group of `by` (one code per row).
/// Each group's estimate carries its rows used in `n`.
///
/// # Errors
/// A bad `level`, lengths that differ, no rows. Errors inside a group are
/// kept per group (see [`GroupedEstimates`]).
///
/// ```
/// use jamlik::grouped::concentration_index_by;
/// use jamlik::measures::microdata::{ConcentrationOptions, Design};
/// let h = [1.0, 2.0, 3.0, 4.0, 2.0, 2.0, 1.0];
/// let x = [1.0, 2.0, 3.0, 4.0, 1.0, 2.0, 3.0];
/// let by = [0, 0, 0, 0, 1, 1, 1];
/// let opts = ConcentrationOptions::default();
/// let g = concentration_index_by(&h, &x, &by, Design::default(), &opts)?;
/// let rows = g.into_rows(opts.level)?;
/// assert!((rows[0].value - 0.25).abs() < 1e-12);
/// # Ok::<(), jamlik::Error>(())
/// ```
pub fn concentration_index_by(
    outcome: &[f64],
    rank_by: &[f64],
    by: &[i64],
    design: Design<'_>,
    opts: &ConcentrationOptions,
) -> Result<GroupedEstimates> {
    check_level("level", opts.level)?;
    dispatch(
        by,
        &[("outcome", outcome), ("rank_by", rank_by)],
        design,
        |c, d| md::concentration_index(c[0], c[1], d, opts).map(|r| r.estimate.with_n(r.n)),
    )
}

/// [`md::gini`] for every group of `by`.
///
/// # Errors
/// As [`concentration_index_by`].
pub fn gini_by(
    values: &[f64],
    by: &[i64],
    design: Design<'_>,
    opts: &GiniOptions,
) -> Result<GroupedEstimates> {
    check_level("level", opts.level)?;
    dispatch(by, &[("values", values)], design, |c, d| {
        md::gini(c[0], d, opts)
    })
}

/// [`md::generalized_entropy`] GE(α) for every group of `by` (α = 1 Theil T, α = 0 MLD).
///
/// # Errors
/// As [`concentration_index_by`].
pub fn generalized_entropy_by(
    values: &[f64],
    alpha: f64,
    by: &[i64],
    design: Design<'_>,
    opts: &InequalityOptions,
) -> Result<GroupedEstimates> {
    check_level("level", opts.level)?;
    dispatch(by, &[("values", values)], design, |c, d| {
        md::generalized_entropy(c[0], alpha, d, opts)
    })
}

/// [`md::atkinson`] with aversion ε for every group of `by`.
///
/// # Errors
/// As [`concentration_index_by`].
pub fn atkinson_by(
    values: &[f64],
    epsilon: f64,
    by: &[i64],
    design: Design<'_>,
    opts: &InequalityOptions,
) -> Result<GroupedEstimates> {
    check_level("level", opts.level)?;
    dispatch(by, &[("values", values)], design, |c, d| {
        md::atkinson(c[0], epsilon, d, opts)
    })
}

/// [`md::hoover`] for every group of `by`.
///
/// # Errors
/// As [`concentration_index_by`].
pub fn hoover_by(
    values: &[f64],
    by: &[i64],
    design: Design<'_>,
    opts: &InequalityOptions,
) -> Result<GroupedEstimates> {
    check_level("level", opts.level)?;
    dispatch(by, &[("values", values)], design, |c, d| {
        md::hoover(c[0], d, opts)
    })
}

/// [`md::quantile_share_ratio`] (share above `upper` over share below
/// `lower`) for every group of `by`; Palma is `lower = 0.4, upper = 0.9`.
///
/// # Errors
/// As [`concentration_index_by`]; `lower`/`upper` are checked once, before
/// any group runs, so a bad share fails the call rather than every group.
pub fn quantile_share_ratio_by(
    values: &[f64],
    lower: f64,
    upper: f64,
    by: &[i64],
    design: Design<'_>,
    opts: &InequalityOptions,
) -> Result<GroupedEstimates> {
    check_level("level", opts.level)?;
    md::inequality::check_index(md::InequalityIndex::QuantileShareRatio { lower, upper })?;
    dispatch(by, &[("values", values)], design, |c, d| {
        md::quantile_share_ratio(c[0], lower, upper, d, opts)
    })
}

/// [`md::kakwani`] (C of `payment` by `income` minus the Gini of `income`)
/// for every group of `by`. Each group's estimate carries its rows used in `n`.
///
/// # Errors
/// As [`concentration_index_by`].
pub fn kakwani_by(
    payment: &[f64],
    income: &[f64],
    by: &[i64],
    design: Design<'_>,
    opts: &InequalityOptions,
) -> Result<GroupedEstimates> {
    check_level("level", opts.level)?;
    dispatch(
        by,
        &[("payment", payment), ("income", income)],
        design,
        |c, d| md::kakwani(c[0], c[1], d, opts).map(|r| r.estimate.with_n(r.n)),
    )
}
