//! Every applicable measure in one call, for one case or for many cases at once.

use super::simulation::{Replicates, simulated_measure};
use super::{Measure, Options, Subgroups, measure};
use crate::error::{Error, Result};
use crate::estimate::Estimate;
use crate::validate;
use rayon::prelude::*;

/// One measure of one group in a summary.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryRow {
    /// Group id (0 for a single case).
    pub group: usize,
    /// Which measure.
    pub measure: Measure,
    /// The estimate, or why this measure is undefined for this group.
    pub result: Result<Estimate>,
}

/// Measures HEAT reports for a dimension: D and R always; with three or more
/// subgroups ACI/RCI/SII/RII for ordered dimensions, the variance,
/// mean-difference and entropy families for non-ordered ones (MDRU/MDRW only
/// with a reference subgroup), and PAF/PAR.
pub fn applicable(g: &Subgroups) -> Vec<Measure> {
    let mut out = vec![Measure::D, Measure::R];
    if g.len() <= 2 {
        return out;
    }
    if g.is_ordered() {
        out.extend([Measure::Aci, Measure::Rci, Measure::Sii, Measure::Rii]);
    } else {
        out.extend([
            Measure::Bgv,
            Measure::Bgsd,
            Measure::Cov,
            Measure::Mdmu,
            Measure::Mdmw,
            Measure::Mdbu,
            Measure::Mdbw,
        ]);
        if g.reference().is_some() {
            out.extend([Measure::Mdru, Measure::Mdrw]);
        }
        out.extend([Measure::Idisu, Measure::Idisw, Measure::Mld, Measure::Ti]);
    }
    out.extend([Measure::Paf, Measure::Par]);
    out
}

/// All applicable measures of one case. The simulation replicates are drawn
/// once and shared by every simulated measure (identical to calling each
/// measure separately with the same seed).
///
/// # Errors
/// Invalid options (level, draws). Per-measure problems are returned inside
/// each row's `result`.
pub fn summarise(g: &Subgroups, o: &Options) -> Result<Vec<(Measure, Result<Estimate>)>> {
    o.check()?;
    let measures = applicable(g);
    let sims = if measures.iter().any(|m| m.simulated()) {
        Some(Replicates::draw(g, o))
    } else {
        None
    };
    Ok(measures
        .into_iter()
        .map(|m| {
            let r = if m.simulated() {
                match &sims {
                    Some(Ok(s)) => simulated_measure(m, g, s.as_ref(), o.level),
                    Some(Err(e)) => Err(e.clone()),
                    None => measure(m, g, o),
                }
            } else {
                measure(m, g, o)
            };
            (m, r)
        })
        .collect())
}

/// Row-level columns of many cases (one row per subgroup), as in HEAT's
/// data layout. Per-case settings (`ordered`, `favourable`, `scale`,
/// `setting_average`, `lmin`, `lmax`) repeat on every row of a case and must
/// be constant within it; NaN means "not given".
#[derive(Debug, Clone, Copy, Default)]
pub struct SummaryColumns<'a> {
    /// Group id of each row, 0..G (None: a single case).
    pub group: Option<&'a [i64]>,
    pub estimate: &'a [f64],
    pub se: Option<&'a [f64]>,
    /// All NaN within a case = no population for that case.
    pub population: Option<&'a [f64]>,
    pub subgroup_order: Option<&'a [f64]>,
    /// 1 = ordered dimension, 0 = non-ordered.
    pub ordered: Option<&'a [f64]>,
    pub reference: Option<&'a [f64]>,
    /// 1 = favourable, 0 = adverse (default favourable).
    pub favourable: Option<&'a [f64]>,
    pub scale: Option<&'a [f64]>,
    pub setting_average: Option<&'a [f64]>,
    pub lmin: Option<&'a [f64]>,
    pub lmax: Option<&'a [f64]>,
}

fn constant(arg: &'static str, col: Option<&[f64]>, rows: &[usize]) -> Result<Option<f64>> {
    let Some(c) = col else { return Ok(None) };
    let first = c[rows[0]];
    for &i in rows {
        let v = c[i];
        if !(v == first || (v.is_nan() && first.is_nan())) {
            return Err(Error::invalid(
                arg,
                format!(
                    "must be the same on every row of a case; row {i} has {v}, the case's first row {first}"
                ),
            ));
        }
    }
    Ok((!first.is_nan()).then_some(first))
}

/// Re-labels a per-case row index as the row of the whole input.
fn global_row(e: Error, rows: &[usize]) -> Error {
    let map = |i: usize| rows.get(i).copied().unwrap_or(i);
    match e {
        Error::Missing {
            arg,
            index,
            options,
        } => Error::Missing {
            arg,
            index: map(index),
            options,
        },
        Error::NonFinite { arg, index, value } => Error::NonFinite {
            arg,
            index: map(index),
            value,
        },
        Error::OutOfDomain {
            arg,
            index,
            value,
            requirement,
        } => Error::OutOfDomain {
            arg,
            index: map(index),
            value,
            requirement,
        },
        Error::OutOfBounds {
            arg,
            index,
            value,
            lower,
            upper,
        } => Error::OutOfBounds {
            arg,
            index: map(index),
            value,
            lower,
            upper,
        },
        other => other,
    }
}

fn build_case(c: &SummaryColumns<'_>, rows: &[usize]) -> Result<Subgroups> {
    let pick = |col: &[f64]| rows.iter().map(|&i| col[i]).collect::<Vec<f64>>();
    let estimate = pick(c.estimate);
    let se = c.se.map(pick);
    let population = c
        .population
        .map(pick)
        .filter(|p| !p.iter().all(|v| v.is_nan()));
    let ordered = constant("ordered_dimension", c.ordered, rows)?.unwrap_or(0.0);
    if ordered != 0.0 && ordered != 1.0 {
        return Err(Error::invalid(
            "ordered_dimension",
            format!("must be 0 or 1, got {ordered}"),
        ));
    }
    let order = if ordered == 1.0 {
        Some(pick(c.subgroup_order.ok_or_else(|| {
            Error::invalid(
                "subgroup_order",
                "an ordered dimension needs the subgroup order",
            )
        })?))
    } else {
        None
    };
    let reference = c.reference.map(|r| {
        pick(r)
            .into_iter()
            .map(|v| if v.is_nan() { 0.0 } else { v })
            .collect::<Vec<f64>>()
    });
    let favourable = constant("favourable_indicator", c.favourable, rows)?.unwrap_or(1.0);
    if favourable != 0.0 && favourable != 1.0 {
        return Err(Error::invalid(
            "favourable_indicator",
            format!("must be 0 or 1, got {favourable}"),
        ));
    }
    let mut b = Subgroups::new(&estimate).favourable(favourable == 1.0);
    if let Some(s) = &se {
        b = b.se(s);
    }
    if let Some(p) = &population {
        b = b.population(p);
    }
    if let Some(o) = &order {
        b = b.subgroup_order(o);
    }
    if let Some(r) = &reference {
        b = b.reference_flags(r);
    }
    if let Some(s) = constant("scaleval", c.scale, rows)? {
        b = b.scale(s);
    }
    if let Some(a) = constant("setting_average", c.setting_average, rows)? {
        b = b.setting_average(a);
    }
    b = b.bounds_opt(
        constant("lmin", c.lmin, rows)?,
        constant("lmax", c.lmax, rows)?,
    );
    b.build().map_err(|e| global_row(e, rows))
}

/// Summaries of many cases in one call (parallel over cases, deterministic).
///
/// # Errors
/// Mismatched column lengths, negative group ids, per-case settings that vary
/// within a case, or any invalid input column (row indices in the error refer
/// to the whole input).
pub fn summarise_groups(c: &SummaryColumns<'_>, o: &Options) -> Result<Vec<SummaryRow>> {
    o.check()?;
    let n = c.estimate.len();
    validate::non_empty("estimate", c.estimate)?;
    for (arg, col) in [
        ("se", c.se),
        ("population", c.population),
        ("subgroup_order", c.subgroup_order),
        ("ordered_dimension", c.ordered),
        ("reference_subgroup", c.reference),
        ("favourable_indicator", c.favourable),
        ("scaleval", c.scale),
        ("setting_average", c.setting_average),
        ("lmin", c.lmin),
        ("lmax", c.lmax),
    ] {
        if let Some(col) = col {
            validate::same_length(arg, "estimate", n, col.len())?;
        }
    }
    let groups: Vec<Vec<usize>> = match c.group {
        None => vec![(0..n).collect()],
        Some(ids) => {
            validate::same_length("group", "estimate", n, ids.len())?;
            let mut max = 0usize;
            for (i, &id) in ids.iter().enumerate() {
                if id < 0 {
                    return Err(Error::OutOfDomain {
                        arg: "group",
                        index: i,
                        value: id as f64,
                        requirement: "a non-negative group id",
                    });
                }
                max = max.max(id as usize);
            }
            let mut groups = vec![Vec::new(); max + 1];
            for (i, &id) in ids.iter().enumerate() {
                groups[id as usize].push(i);
            }
            groups
        }
    };
    let per_group: Vec<Result<Vec<SummaryRow>>> = groups
        .par_iter()
        .enumerate()
        .map(|(k, rows)| {
            if rows.is_empty() {
                return Ok(Vec::new());
            }
            let g = build_case(c, rows)?;
            Ok(summarise(&g, o)?
                .into_iter()
                .map(|(measure, result)| SummaryRow {
                    group: k,
                    measure,
                    result,
                })
                .collect())
        })
        .collect();
    let mut out = Vec::with_capacity(per_group.len() * 16);
    for r in per_group {
        out.extend(r?);
    }
    Ok(out)
}
