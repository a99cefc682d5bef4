//! Quantiles of area values (e.g. deprivation deciles), per group.
//!
//! Within a group, N is the number of non-missing values and rank the
//! "min" rank (ties share the lowest rank) of the value, or of −value when
//! inverted (the default: the highest value gets quantile 1, as deprivation
//! deciles number the most deprived first). Then
//! `q = ⌊(Q + 1) − ⌈((N + 1) − rank) / (N/Q)⌉⌋`, with 0 raised to 1 — the
//! rule of PHEindicatormethods' `phe_quantile`. A group with fewer values
//! than quantiles gets none at all. Missing values: an error under
//! [`MissingPolicy::Error`]; under [`MissingPolicy::Drop`] they are left out of the
//! ranking and get no quantile (as in the package).

use super::MissingPolicy;
use super::grouped::Groups;
use crate::error::{Error, MissingOptions, Result};

fn group_quantiles(
    values: &[f64],
    rows: &[usize],
    nq: usize,
    invert: bool,
    out: &mut [(usize, Option<u32>)],
) {
    let mut present: Vec<(f64, usize)> = rows
        .iter()
        .enumerate()
        .filter(|&(_, &i)| !values[i].is_nan())
        .map(|(k, &i)| (if invert { -values[i] } else { values[i] }, k))
        .collect();
    for (k, &i) in rows.iter().enumerate() {
        out[k] = (i, None);
    }
    let n = present.len();
    if n < nq || n == 0 {
        return;
    }
    present.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (nf, qf) = (n as f64, nq as f64);
    let mut rank = 1;
    for j in 0..n {
        if j > 0 && present[j].0 != present[j - 1].0 {
            rank = j + 1;
        }
        let q = ((qf + 1.0) - (((nf + 1.0) - rank as f64) / (nf / qf)).ceil()).floor();
        out[present[j].1].1 = Some(if q < 1.0 { 1 } else { q as u32 });
    }
}

fn check(values: &[f64], nquantiles: usize, invert: &[bool]) -> Result<()> {
    crate::validate::non_empty("values", values)?;
    if nquantiles < 2 {
        return Err(Error::invalid(
            "nquantiles",
            format!("must be at least 2, got {nquantiles}"),
        ));
    }
    if let Some(i) = values.iter().position(|v| v.is_infinite()) {
        return Err(Error::NonFinite {
            arg: "values",
            index: i,
            value: values[i],
        });
    }
    if invert.len() != 1 {
        crate::validate::same_length("invert", "values", values.len(), invert.len())?;
    }
    Ok(())
}

/// Quantile (1 … `nquantiles`) of each value; `None` for missing values
/// (dropped from the ranking) or when there are fewer values than quantiles.
///
/// # Errors
/// Empty input, infinite values, fewer than 2 quantiles.
///
/// ```
/// let q = jamlik::indicators::quantiles(&[5.0, 1.0, 3.0, 2.0, 4.0], 5, true)?;
/// assert_eq!(q, vec![Some(1), Some(5), Some(3), Some(4), Some(2)]);
/// # Ok::<(), jamlik::Error>(())
/// ```
pub fn quantiles(values: &[f64], nquantiles: usize, invert: bool) -> Result<Vec<Option<u32>>> {
    quantiles_by(
        values,
        &Groups::single(values.len()),
        nquantiles,
        &[invert],
        MissingPolicy::Drop,
    )
}

/// Quantiles within each group, one per input row (input order). `invert`
/// has one entry for all rows or one per row (constant within each group).
/// `missing`: [`MissingPolicy::Error`] or [`MissingPolicy::Drop`] (missing values are
/// left out of the ranking and get `None`).
///
/// # Errors
/// As [`quantiles`]; `invert` varying within a group.
pub fn quantiles_by(
    values: &[f64],
    groups: &Groups,
    nquantiles: usize,
    invert: &[bool],
    missing: MissingPolicy,
) -> Result<Vec<Option<u32>>> {
    check(values, nquantiles, invert)?;
    groups.check_len("values", values.len())?;
    // Drop keeps the rows (they get no quantile): the ranking skips them.
    missing.apply(groups, &[("values", values, false)], MissingOptions::Drop)?;
    let per_group = groups.map(|rows| {
        let inv = if invert.len() == 1 {
            invert[0]
        } else {
            invert[rows[0]]
        };
        if invert.len() > 1 {
            if let Some(&i) = rows.iter().find(|&&i| invert[i] != inv) {
                return Err(Error::invalid(
                    "invert",
                    format!("must be constant within a group; row {i} differs"),
                ));
            }
        }
        let mut out = vec![(0, None); rows.len()];
        group_quantiles(values, rows, nquantiles, inv, &mut out);
        Ok(out)
    })?;
    let mut result = vec![None; values.len()];
    for g in per_group {
        for (i, q) in g {
            result[i] = q;
        }
    }
    Ok(result)
}
