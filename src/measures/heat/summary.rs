//! Every applicable measure in one call, for one case or for many cases at once.

use super::simulation::{Replicates, simulated_measure};
use super::{Measure, Options, Subgroups, measure};
use crate::error::{Error, Result};
use crate::estimate::Estimate;
use crate::validate::{self, MissingPolicy};
use rayon::prelude::*;

/// One measure of one group at one confidence level in a summary.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryRow {
    /// Group id (0 for a single case).
    pub group: usize,
    /// Confidence level of this row's limits.
    pub level: f64,
    /// Number of subgroups used (after any dropped as missing).
    pub n: usize,
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
            (m, r.map(|e| e.with_n(g.len())))
        })
        .collect())
}

/// Row-level columns of many cases (one row per subgroup), as in HEAT's
/// data layout ([`super::columns::COLUMNS`] names the frame column of each
/// field; [`SummaryColumns::set`] fills a field by that name). Per-case
/// settings (`ordered`, `favourable`, `scale`, `setting_average`, `lmin`,
/// `lmax`) repeat on every row of a case and must be constant within it;
/// NaN means "not given".
#[derive(Debug, Clone, Copy, Default)]
pub struct SummaryColumns<'a> {
    /// Group id of each row, 0..G (None: a single case).
    pub group: Option<&'a [i64]>,
    /// `estimate`.
    pub estimate: &'a [f64],
    /// `se` (NaN: no SE for that subgroup).
    pub se: Option<&'a [f64]>,
    /// `population`; all NaN within a case = no population for that case.
    pub population: Option<&'a [f64]>,
    /// `subgroup_order`.
    pub subgroup_order: Option<&'a [f64]>,
    /// `ordered_dimension`: 1 = ordered dimension, 0 = non-ordered; absent
    /// or NaN for a case: ordered when its subgroup orders are all present
    /// and distinct.
    pub ordered: Option<&'a [f64]>,
    /// `reference_subgroup`: 1 for the reference (NaN counts as 0).
    pub reference: Option<&'a [f64]>,
    /// `favourable_indicator`: 1 = favourable, 0 = adverse (default favourable).
    pub favourable: Option<&'a [f64]>,
    /// `scaleval`.
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

impl<'a> SummaryColumns<'a> {
    /// Sets the column of a HEAT frame named `name` (see
    /// [`super::columns::COLUMNS`]: `estimate`, `se`, `population`,
    /// `subgroup_order`, `ordered_dimension`, `reference_subgroup`,
    /// `favourable_indicator`, `scaleval`, `setting_average`, `lmin`, `lmax`).
    ///
    /// # Errors
    /// [`Error::Column`] for a name that is not a HEAT column.
    pub fn set(&mut self, name: &str, values: &'a [f64]) -> Result<()> {
        let slot = match name {
            "estimate" => {
                self.estimate = values;
                return Ok(());
            }
            "se" => &mut self.se,
            "population" => &mut self.population,
            "subgroup_order" => &mut self.subgroup_order,
            "ordered_dimension" => &mut self.ordered,
            "reference_subgroup" => &mut self.reference,
            "favourable_indicator" => &mut self.favourable,
            "scaleval" => &mut self.scale,
            "setting_average" => &mut self.setting_average,
            "lmin" => &mut self.lmin,
            "lmax" => &mut self.lmax,
            other => {
                let expected: Vec<String> = super::columns::COLUMNS
                    .iter()
                    .map(|c| c.name.to_string())
                    .collect();
                return Err(Error::Column {
                    arg: "columns",
                    column: other.to_string(),
                    suggestions: expected
                        .iter()
                        .filter(|e| super::columns::looks_like(other, e))
                        .cloned()
                        .collect(),
                    expected,
                });
            }
        };
        *slot = Some(values);
        Ok(())
    }
}

/// The frame's column name for a builder argument, so errors name the
/// column the caller has.
fn column_name(arg: &'static str) -> &'static str {
    match arg {
        "scale" => "scaleval",
        "reference" => "reference_subgroup",
        other => other,
    }
}

/// Re-labels an error of one case: rows of the whole input, column names.
fn case_error(e: Error, rows: &[usize]) -> Error {
    match e.remap_rows(rows) {
        Error::InvalidArgument { arg, reason } => Error::InvalidArgument {
            arg: column_name(arg),
            reason,
        },
        Error::NonFinite { arg, index, value } => Error::NonFinite {
            arg: column_name(arg),
            index,
            value,
        },
        Error::Missing {
            arg,
            index,
            options,
        } => Error::Missing {
            arg: column_name(arg),
            index,
            options,
        },
        other => other,
    }
}

/// A 0/1 flag column's value (named in the error otherwise).
fn flag(arg: &'static str, value: f64) -> Result<bool> {
    if value == 0.0 || value == 1.0 {
        Ok(value == 1.0)
    } else {
        Err(Error::invalid(
            arg,
            format!("must be 1 or 0 (true or false), got {value}"),
        ))
    }
}

/// Whether a case without an `ordered_dimension` value is ordered: its
/// `subgroup_order` values are all present and distinct (all zeros or all
/// equal mark a non-ordered dimension, as in HEAT's data layout).
fn looks_ordered(order: Option<&[f64]>, rows: &[usize]) -> bool {
    let Some(order) = order else { return false };
    let mut values = Vec::with_capacity(rows.len());
    for &i in rows {
        let v = order[i];
        if v.is_nan() {
            return false;
        }
        values.push(v);
    }
    values.sort_by(f64::total_cmp);
    values.windows(2).all(|w| w[0] != w[1])
}

fn build_case(c: &SummaryColumns<'_>, rows: &[usize], o: &Options) -> Result<Subgroups> {
    let pick = |col: &[f64]| rows.iter().map(|&i| col[i]).collect::<Vec<f64>>();
    let estimate = pick(c.estimate);
    if o.missing == MissingPolicy::Drop && estimate.iter().all(|v| v.is_nan()) {
        return Err(Error::invalid(
            "estimate",
            format!(
                "every estimate of the case at rows {:?} is missing, so no subgroup is left after dropping; remove that case",
                &rows[..rows.len().min(5)]
            ),
        ));
    }
    let se = c.se.map(pick);
    let population = c
        .population
        .map(pick)
        .filter(|p| !p.iter().all(|v| v.is_nan()));
    let ordered = match constant("ordered_dimension", c.ordered, rows)? {
        Some(v) => flag("ordered_dimension", v)?,
        None => looks_ordered(c.subgroup_order, rows),
    };
    let order = if ordered {
        Some(pick(c.subgroup_order.ok_or_else(|| {
            Error::invalid(
                "subgroup_order",
                "an ordered dimension (ordered_dimension = 1) needs the subgroup order",
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
    let favourable = match constant("favourable_indicator", c.favourable, rows)? {
        Some(v) => flag("favourable_indicator", v)?,
        None => true,
    };
    let mut b = Subgroups::new(&estimate)
        .favourable(favourable)
        .missing(o.missing);
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
    b.build().map_err(|e| case_error(e, rows))
}

/// Summaries of many cases in one call (parallel over cases, deterministic)
/// at the level of `o`.
///
/// A case is ordered when its `ordered_dimension` says so (1) or, where that
/// column is absent or empty for the case, when its `subgroup_order` values
/// are all present and distinct; so each case of a mixed frame gets its own
/// family of measures.
///
/// # Errors
/// As [`summarise_groups_at`].
pub fn summarise_groups(c: &SummaryColumns<'_>, o: &Options) -> Result<Vec<SummaryRow>> {
    summarise_groups_at(c, o, &[o.level])
}

/// Summaries of many cases at several confidence levels: for each case, one
/// set of rows per level (in the order given; the simulation replicates are
/// the same at every level, so only the limits change).
///
/// # Errors
/// No level, a level outside (0, 1), invalid options, mismatched column
/// lengths, negative group ids, per-case settings that vary within a case,
/// flags other than 0/1, or any invalid input column (row indices in the
/// error refer to the whole input, column names to the frame's).
pub fn summarise_groups_at(
    c: &SummaryColumns<'_>,
    o: &Options,
    levels: &[f64],
) -> Result<Vec<SummaryRow>> {
    if levels.is_empty() {
        return Err(Error::invalid(
            "level",
            "needs at least one confidence level",
        ));
    }
    for &level in levels {
        Options { level, ..*o }.check()?;
    }
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
    let per_group: Vec<Result<Vec<SummaryRow>>> =
        groups
            .par_iter()
            .enumerate()
            .map(|(k, rows)| {
                if rows.is_empty() {
                    return Ok(Vec::new());
                }
                let g = build_case(c, rows, o)?;
                let mut out = Vec::with_capacity(16 * levels.len());
                for &level in levels {
                    let at = Options { level, ..*o };
                    out.extend(summarise(&g, &at)?.into_iter().map(|(measure, result)| {
                        SummaryRow {
                            group: k,
                            level,
                            n: g.len(),
                            measure,
                            result,
                        }
                    }));
                }
                Ok(out)
            })
            .collect();
    let mut out = Vec::with_capacity(per_group.len() * 16 * levels.len());
    for r in per_group {
        out.extend(r?);
    }
    Ok(out)
}
