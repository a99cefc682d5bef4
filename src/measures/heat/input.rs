//! The validated subgroup table every HEAT measure reads.

use crate::error::{Error, MissingOptions, Result};
use crate::validate::{self, MissingPolicy};

/// One setting × indicator × dimension: one row per subgroup, validated.
///
/// Build it with [`Subgroups::new`] and the builder methods; `build` checks
/// every column and names the argument at fault.
#[derive(Debug, Clone, PartialEq)]
pub struct Subgroups {
    pub(crate) estimate: Vec<f64>,
    /// Per-row SE; `None` where missing.
    pub(crate) se: Vec<Option<f64>>,
    pub(crate) population: Option<Vec<f64>>,
    /// Row indices from least (order 1) to most advantaged; `None` = non-ordered.
    pub(crate) order: Option<Vec<usize>>,
    pub(crate) reference: Option<usize>,
    pub(crate) favourable: bool,
    pub(crate) scale: Option<f64>,
    pub(crate) setting_average: Option<f64>,
    pub(crate) bounds: Option<(f64, f64)>,
}

/// Builder of [`Subgroups`] (borrowed columns; nothing is copied until `build`).
#[derive(Debug, Clone)]
pub struct SubgroupsBuilder<'a> {
    estimate: &'a [f64],
    se: Option<&'a [f64]>,
    population: Option<&'a [f64]>,
    subgroup_order: Option<&'a [f64]>,
    reference: Option<&'a [f64]>,
    favourable: bool,
    scale: Option<f64>,
    setting_average: Option<f64>,
    lmin: Option<f64>,
    lmax: Option<f64>,
    missing: MissingPolicy,
}

impl Subgroups {
    /// Starts a table from the subgroup estimates (favourable indicator, no
    /// other column).
    #[allow(clippy::new_ret_no_self)] // a builder: validation happens in `build`
    pub fn new(estimate: &[f64]) -> SubgroupsBuilder<'_> {
        SubgroupsBuilder {
            estimate,
            se: None,
            population: None,
            subgroup_order: None,
            reference: None,
            favourable: true,
            scale: None,
            setting_average: None,
            lmin: None,
            lmax: None,
            missing: MissingPolicy::Error,
        }
    }

    /// Number of subgroups.
    pub fn len(&self) -> usize {
        self.estimate.len()
    }

    /// Never true for a built table (at least one subgroup).
    pub fn is_empty(&self) -> bool {
        self.estimate.is_empty()
    }

    /// The estimates.
    pub fn estimates(&self) -> &[f64] {
        &self.estimate
    }

    /// Whether the dimension is ordered (a subgroup order was given).
    pub fn is_ordered(&self) -> bool {
        self.order.is_some()
    }

    /// Row index of the reference subgroup, if any.
    pub fn reference(&self) -> Option<usize> {
        self.reference
    }

    /// Whether a population was given.
    pub fn has_population(&self) -> bool {
        self.population.is_some()
    }

    /// Every SE present (the condition for analytic and simulation CIs).
    pub(crate) fn all_se(&self) -> Option<Vec<f64>> {
        self.se.iter().copied().collect()
    }

    /// Population, or 1 per subgroup.
    pub(crate) fn weights_or_ones(&self) -> Vec<f64> {
        self.population
            .clone()
            .unwrap_or_else(|| vec![1.0; self.len()])
    }

    /// Population shares; error naming `population` when none was given.
    pub(crate) fn shares(&self, what: &str) -> Result<Vec<f64>> {
        let pop = self.population.as_ref().ok_or_else(|| {
            Error::invalid(
                "population",
                format!("{what} is population-weighted and needs the subgroup populations"),
            )
        })?;
        let total = crate::stats::sum(pop.iter().copied());
        Ok(pop.iter().map(|p| p / total).collect())
    }

    /// Σ w_j y_j for shares `w`.
    pub(crate) fn weighted_mean(shares: &[f64], y: &[f64]) -> f64 {
        small_sum(y.len(), shares.iter().zip(y).map(|(w, v)| w * v))
    }
}

impl<'a> SubgroupsBuilder<'a> {
    /// Standard errors (NaN = missing for that subgroup; CIs needing it are then not computed).
    #[must_use]
    pub fn se(mut self, se: &'a [f64]) -> Self {
        self.se = Some(se);
        self
    }
    /// Subgroup populations (the weights).
    #[must_use]
    pub fn population(mut self, population: &'a [f64]) -> Self {
        self.population = Some(population);
        self
    }
    /// Subgroup order for ordered dimensions: consecutive integers, 1 = most disadvantaged.
    #[must_use]
    pub fn subgroup_order(mut self, order: &'a [f64]) -> Self {
        self.subgroup_order = Some(order);
        self
    }
    /// Reference-subgroup flags (1 for the reference, 0 otherwise; at most one 1).
    #[must_use]
    pub fn reference_flags(mut self, flags: &'a [f64]) -> Self {
        self.reference = Some(flags);
        self
    }
    /// `true` when higher values are better (default), `false` for adverse indicators.
    #[must_use]
    pub fn favourable(mut self, favourable: bool) -> Self {
        self.favourable = favourable;
        self
    }
    /// Declared indicator scale (1, 100, 1000, 100000...).
    #[must_use]
    pub fn scale(mut self, scale: f64) -> Self {
        self.scale = Some(scale);
        self
    }
    /// Setting (national) average supplied from outside.
    #[must_use]
    pub fn setting_average(mut self, average: f64) -> Self {
        self.setting_average = Some(average);
        self
    }
    /// Bounds of a bounded indicator.
    #[must_use]
    pub fn bounds(mut self, lmin: f64, lmax: f64) -> Self {
        self.lmin = Some(lmin);
        self.lmax = Some(lmax);
        self
    }
    /// Optional bounds (both or neither).
    #[must_use]
    pub fn bounds_opt(mut self, lmin: Option<f64>, lmax: Option<f64>) -> Self {
        self.lmin = lmin;
        self.lmax = lmax;
        self
    }
    /// Missing-estimate policy: `Error` (default) or `Drop` the subgroup.
    #[must_use]
    pub fn missing(mut self, missing: MissingPolicy) -> Self {
        self.missing = missing;
        self
    }

    /// Validates every column and builds the table.
    ///
    /// # Errors
    /// Empty estimates, mismatched lengths, missing/infinite estimates (under
    /// `missing = Error`), infinite or negative SEs, missing/negative/all-zero
    /// population, non-integer or non-consecutive subgroup order, reference
    /// flags other than 0/1 or more than one reference, a non-positive scale,
    /// a non-finite setting average, one bound without the other, lmin ≥ lmax,
    /// or an estimate below lmin or above lmax.
    pub fn build(self) -> Result<Subgroups> {
        let n = self.estimate.len();
        validate::non_empty("estimate", self.estimate)?;
        for (arg, col) in [
            ("se", self.se),
            ("population", self.population),
            ("subgroup_order", self.subgroup_order),
            ("reference", self.reference),
        ] {
            if let Some(c) = col {
                validate::same_length(arg, "estimate", n, c.len())?;
            }
        }
        // The columns a subgroup cannot do without: a missing value there is
        // an error, or (missing = Drop) drops the subgroup.
        let required = [
            Some(("estimate", self.estimate)),
            self.population.map(|p| ("population", p)),
            self.subgroup_order.map(|o| ("subgroup_order", o)),
        ];
        let required = required.iter().flatten();
        self.missing.check_offered(MissingOptions::Drop)?;
        let keep: Vec<usize> = match self.missing {
            MissingPolicy::Error | MissingPolicy::Zero => {
                for &(arg, col) in required {
                    if let Some(index) = col.iter().position(|v| v.is_nan()) {
                        return Err(Error::Missing {
                            arg,
                            index,
                            options: MissingOptions::Drop,
                        });
                    }
                }
                (0..n).collect()
            }
            MissingPolicy::Drop => {
                let keep: Vec<usize> = (0..n)
                    .filter(|&i| required.clone().all(|(_, c)| !c[i].is_nan()))
                    .collect();
                if keep.is_empty() {
                    return Err(Error::invalid(
                        "estimate",
                        "no subgroup is left after dropping the rows with missing values",
                    ));
                }
                keep
            }
        };
        let dropped = keep.len() < n;
        self.build_rows(&keep, dropped)
            .map_err(|e| e.remap_rows(&keep))
    }

    /// Validates and copies the rows `keep` (indices in errors refer to `keep`).
    fn build_rows(self, keep: &[usize], dropped: bool) -> Result<Subgroups> {
        let pick = |c: &[f64]| keep.iter().map(|&i| c[i]).collect::<Vec<f64>>();
        let estimate = pick(self.estimate);
        validate::finite("estimate", &estimate)?;

        let se: Vec<Option<f64>> = match self.se {
            None => vec![None; keep.len()],
            Some(s) => {
                let s = pick(s);
                for (index, &v) in s.iter().enumerate() {
                    if v.is_infinite() {
                        return Err(Error::NonFinite {
                            arg: "se",
                            index,
                            value: v,
                        });
                    }
                    if v < 0.0 {
                        return Err(Error::OutOfDomain {
                            arg: "se",
                            index,
                            value: v,
                            requirement: "non-negative",
                        });
                    }
                }
                s.into_iter().map(|v| (!v.is_nan()).then_some(v)).collect()
            }
        };

        let population = match self.population {
            None => None,
            Some(p) => {
                let p = pick(p);
                validate::non_negative("population", &p)?;
                if p.iter().all(|&v| v == 0.0) {
                    return Err(Error::Degenerate {
                        arg: "population",
                        reason: "every subgroup has population 0".into(),
                    });
                }
                Some(p)
            }
        };

        let order = match self.subgroup_order {
            None => None,
            Some(o) => Some(check_order(&pick(o), dropped)?),
        };

        let reference = match self.reference {
            None => None,
            Some(f) => check_reference(&pick(f))?,
        };

        if let Some(s) = self.scale
            && !(s.is_finite() && s > 0.0)
        {
            return Err(Error::invalid(
                "scale",
                format!("must be a positive finite number, got {s}"),
            ));
        }
        if let Some(a) = self.setting_average
            && !a.is_finite()
        {
            return Err(Error::NonFinite {
                arg: "setting_average",
                index: 0,
                value: a,
            });
        }
        let bounds = match (self.lmin, self.lmax) {
            (None, None) => None,
            (Some(_), None) => return Err(Error::invalid("lmax", "lmin was given without lmax")),
            (None, Some(_)) => return Err(Error::invalid("lmin", "lmax was given without lmin")),
            (Some(lo), Some(hi)) => {
                if !lo.is_finite() {
                    return Err(Error::NonFinite {
                        arg: "lmin",
                        index: 0,
                        value: lo,
                    });
                }
                if !hi.is_finite() {
                    return Err(Error::NonFinite {
                        arg: "lmax",
                        index: 0,
                        value: hi,
                    });
                }
                if lo >= hi {
                    return Err(Error::invalid(
                        "lmax",
                        format!("lmax ({hi}) must be greater than lmin ({lo})"),
                    ));
                }
                if let Some(index) = estimate.iter().position(|&v| v < lo || v > hi) {
                    return Err(Error::OutOfBounds {
                        arg: "estimate",
                        index,
                        value: estimate[index],
                        lower: lo,
                        upper: hi,
                    });
                }
                Some((lo, hi))
            }
        };
        Ok(Subgroups {
            estimate,
            se,
            population,
            order,
            reference,
            favourable: self.favourable,
            scale: self.scale,
            setting_average: self.setting_average,
            bounds,
        })
    }
}

/// Sum over subgroups: plain summation for up to 64 terms (its error, at most
/// about n·ε relative, is far below every tolerance, and it keeps the
/// simulation replicates cheap), compensated summation beyond.
pub(crate) fn small_sum(n: usize, terms: impl Iterator<Item = f64>) -> f64 {
    if n <= 64 {
        terms.sum()
    } else {
        crate::stats::sum(terms)
    }
}

/// Subgroup order must be distinct integers forming a run of consecutive
/// values; `gaps_allowed` (some subgroups were dropped as missing) accepts
/// the gaps the dropped subgroups leave.
fn check_order(order: &[f64], gaps_allowed: bool) -> Result<Vec<usize>> {
    validate::finite("subgroup_order", order)?;
    if let Some(index) = order.iter().position(|v| v.fract() != 0.0) {
        return Err(Error::invalid(
            "subgroup_order",
            format!("must hold integers; row {index} has {}", order[index]),
        ));
    }
    let mut rows: Vec<usize> = (0..order.len()).collect();
    rows.sort_by(|&a, &b| order[a].total_cmp(&order[b]));
    for pair in rows.windows(2) {
        let step = order[pair[1]] - order[pair[0]];
        if step == 0.0 {
            return Err(Error::invalid(
                "subgroup_order",
                format!(
                    "must be distinct; {} appears more than once (a non-ordered dimension takes no subgroup order)",
                    order[pair[0]]
                ),
            ));
        }
        if step != 1.0 && !gaps_allowed {
            return Err(Error::invalid(
                "subgroup_order",
                format!(
                    "must be consecutive integers (1, 2, ..., n); found {} followed by {}",
                    order[pair[0]], order[pair[1]]
                ),
            ));
        }
    }
    Ok(rows)
}

/// Reference flags: 0/1, at most one 1.
fn check_reference(flags: &[f64]) -> Result<Option<usize>> {
    validate::finite("reference", flags)?;
    if let Some(index) = flags.iter().position(|&v| v != 0.0 && v != 1.0) {
        return Err(Error::invalid(
            "reference",
            format!("flags must be 0 or 1; row {index} has {}", flags[index]),
        ));
    }
    let ones: Vec<usize> = (0..flags.len()).filter(|&i| flags[i] == 1.0).collect();
    match ones.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(*one)),
        many => Err(Error::invalid(
            "reference",
            format!("more than one reference subgroup (rows {many:?})"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_must_be_consecutive() {
        let e = Subgroups::new(&[1.0, 2.0, 3.0])
            .subgroup_order(&[1.0, 2.0, 4.0])
            .build()
            .unwrap_err();
        assert!(matches!(
            e,
            Error::InvalidArgument {
                arg: "subgroup_order",
                ..
            }
        ));
    }

    #[test]
    fn two_references_rejected() {
        let e = Subgroups::new(&[1.0, 2.0, 3.0])
            .reference_flags(&[1.0, 1.0, 0.0])
            .build()
            .unwrap_err();
        assert!(matches!(
            e,
            Error::InvalidArgument {
                arg: "reference",
                ..
            }
        ));
    }

    #[test]
    fn bounds_checked_on_both_sides() {
        let e = Subgroups::new(&[1.0, 2.0, 130.0])
            .bounds(0.0, 100.0)
            .build()
            .unwrap_err();
        assert!(matches!(
            e,
            Error::OutOfBounds {
                arg: "estimate",
                index: 2,
                ..
            }
        ));
    }

    #[test]
    fn drop_policy_removes_missing_estimates() {
        let g = Subgroups::new(&[1.0, f64::NAN, 3.0])
            .population(&[1.0, 2.0, 3.0])
            .missing(MissingPolicy::Drop)
            .build()
            .unwrap();
        assert_eq!(g.estimates(), &[1.0, 3.0]);
        assert_eq!(g.population, Some(vec![1.0, 3.0]));
    }
}
